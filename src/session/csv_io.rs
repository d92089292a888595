//! Orders CSV (the format in `product.md`): read by name-addressed columns, written with decisions.

use crate::rules::{Decision, Engine, Field, FieldError, Order, RawOrder};
use std::io::Read;

/// A CSV that cannot be used at all (unreadable, empty, no header).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("{0}: cannot read: {1}")]
    Io(String, String),
    #[error("{0}: no header row (expected columns such as id,date,destination,…)")]
    NoHeader(String),
    #[error("{0}: {1}")]
    Malformed(String, String),
}

/// One data row: its 1-based row number (header excluded), file line, and text fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    pub row: usize,
    pub line: u64,
    pub raw: RawOrder,
    /// Required columns absent from the header: every row reports them.
    pub missing_columns: Vec<Field>,
}

const REQUIRED: [Field; 7] = [
    Field::Id,
    Field::Date,
    Field::Destination,
    Field::Consignee,
    Field::ConsigneeHq,
    Field::Item,
    Field::Quantity,
];

const ALL_FIELDS: [Field; 11] = [
    Field::Id,
    Field::Date,
    Field::Destination,
    Field::Consignee,
    Field::ConsigneeHq,
    Field::ParentHq,
    Field::Veu,
    Field::Item,
    Field::Quantity,
    Field::TrainingOps,
    Field::OpenWeights,
];

/// Reads every row; `source` names the input in errors.
pub fn read_rows(source: &str, input: impl Read) -> Result<Vec<CsvRow>, CsvError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = rdr
        .headers()
        .map_err(|e| CsvError::Malformed(source.into(), e.to_string()))?
        .clone();
    if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
        return Err(CsvError::NoHeader(source.into()));
    }
    let col = |f: Field| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(f.column()))
    };
    let positions: Vec<(Field, Option<usize>)> = ALL_FIELDS.iter().map(|&f| (f, col(f))).collect();
    // A header that names none of the required columns is not an orders header at all.
    if REQUIRED.iter().all(|&f| col(f).is_none()) {
        return Err(CsvError::NoHeader(source.into()));
    }
    let missing: Vec<Field> = REQUIRED
        .iter()
        .copied()
        .filter(|&f| col(f).is_none())
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut n = 0;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(CsvError::Malformed(source.into(), e.to_string())),
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        n += 1;
        let mut raw = RawOrder::default();
        for &(field, pos) in &positions {
            let v = pos.and_then(|p| record.get(p)).unwrap_or("").to_string();
            *raw_field(&mut raw, field) = v;
        }
        rows.push(CsvRow {
            row: n,
            line: record.position().map_or(0, |p| p.line()),
            raw,
            missing_columns: missing.clone(),
        });
    }
    Ok(rows)
}

fn raw_field(raw: &mut RawOrder, f: Field) -> &mut String {
    match f {
        Field::Id => &mut raw.id,
        Field::Date => &mut raw.date,
        Field::Destination => &mut raw.destination,
        Field::Consignee => &mut raw.consignee,
        Field::ConsigneeHq => &mut raw.consignee_hq,
        Field::ParentHq => &mut raw.parent_hq,
        Field::Veu => &mut raw.veu,
        Field::Item => &mut raw.item,
        Field::Quantity => &mut raw.quantity,
        Field::TrainingOps => &mut raw.training_ops,
        Field::OpenWeights => &mut raw.open_weights,
    }
}

/// A row validated: the order, or the errors that make it invalid.
pub fn validate_row(engine: &Engine, row: &CsvRow) -> Result<Order, Vec<FieldError>> {
    if !row.missing_columns.is_empty() {
        return Err(row
            .missing_columns
            .iter()
            .map(|&field| FieldError {
                field,
                reason: "required column is missing from the header".into(),
            })
            .collect());
    }
    engine.validator().validate(&row.raw)
}

/// "row 3 (line 4): quantity: `abc` is not a positive whole number; date: …"
pub fn row_message(row: &CsvRow, errors: &[FieldError]) -> String {
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!("row {} (line {}): {}", row.row, row.line, list.join("; "))
}

/// Writes orders with their decisions as CSV (the input columns, then the decision's).
pub fn write_orders_csv(
    engine: &Engine,
    orders: &[Order],
    decisions: &[Decision],
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = ALL_FIELDS.iter().map(|f| f.column()).collect();
    header.extend([
        "tier",
        "verdict",
        "authority",
        "eccn",
        "tpp",
        "h100e",
        "counts_against_allocation",
        "allocation_remaining_tpp",
    ]);
    w.write_record(&header)?;
    for (o, d) in orders.iter().zip(decisions) {
        let r = o.to_raw();
        w.write_record([
            r.id.as_str(),
            &r.date,
            &r.destination,
            &r.consignee,
            &r.consignee_hq,
            &r.parent_hq,
            &r.veu,
            &r.item,
            &r.quantity,
            &r.training_ops,
            &r.open_weights,
            &d.tier.number().to_string(),
            d.verdict.as_str(),
            d.authority.as_str(),
            d.eccn.map_or("", |e| e.as_str()),
            &d.tpp.to_string(),
            &format!("{:.2}", engine.ruleset().h100e(d.tpp)),
            &d.counts_against_allocation.to_string(),
            &d.allocation_remaining_tpp
                .map_or(String::new(), |v| v.to_string()),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
