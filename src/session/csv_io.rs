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
    #[error("{0}: cannot save: {1}")]
    Write(String, String),
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

const ALL_FIELDS: [Field; 13] = Field::ALL;

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
    f.text_mut(raw)
}

/// A row validated: the order, or the errors that make it invalid.
pub fn validate_row(engine: &Engine, row: &CsvRow) -> Result<Order, Vec<FieldError>> {
    if !row.missing_columns.is_empty() {
        return Err(row
            .missing_columns
            .iter()
            .map(|&field| FieldError {
                field,
                kind: crate::rules::FieldErrorKind::MissingColumn,
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
        let mut record: Vec<String> = ALL_FIELDS.iter().map(|f| f.text(&r).to_string()).collect();
        record.extend([
            d.tier.number().to_string(),
            d.verdict.as_str().to_string(),
            d.authority.as_str().to_string(),
            d.eccn.map_or("", |e| e.as_str()).to_string(),
            d.tpp.to_string(),
            format!("{:.2}", engine.ruleset().h100e(d.tpp)),
            d.counts_against_allocation().to_string(),
            d.allocation_remaining_tpp
                .map_or(String::new(), |v| v.to_string()),
        ]);
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Orders CSV files larger than this are refused (100,000 rows take about 10 MB).
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// A row that failed validation, as the import dialog lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedRow {
    pub row: usize,
    pub line: u64,
    /// The row's id as written (may be empty).
    pub id: String,
    /// "row 3 (line 4): quantity: …" — the same text `check` prints.
    pub message: String,
}

/// An id that was already taken (in the book or earlier in the file) and was given a new one.
#[derive(Debug, Clone, PartialEq)]
pub struct RenamedId {
    pub row: usize,
    pub from: String,
    pub to: String,
}

/// What importing a CSV would do: nothing is applied until the user accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvImport {
    /// The file, as named in messages.
    pub source: String,
    /// Data rows read (valid and rejected).
    pub rows_read: usize,
    /// Valid orders in file order, ids already made unique.
    pub orders: Vec<Order>,
    pub rejected: Vec<RejectedRow>,
    pub renamed: Vec<RenamedId>,
}

/// Reads and validates an orders CSV against the engine. Ids that clash with `existing_ids` or
/// with an earlier row get a `-2`, `-3`, … suffix and are reported in `renamed`.
pub fn plan_import<'a>(
    engine: &Engine,
    source: &str,
    input: impl Read,
    existing_ids: impl IntoIterator<Item = &'a str>,
) -> Result<CsvImport, CsvError> {
    let rows = read_rows(source, input)?;
    let mut taken: std::collections::HashSet<String> =
        existing_ids.into_iter().map(str::to_string).collect();
    let mut plan = CsvImport {
        source: source.to_string(),
        rows_read: rows.len(),
        orders: Vec::new(),
        rejected: Vec::new(),
        renamed: Vec::new(),
    };
    for row in &rows {
        match validate_row(engine, row) {
            Ok(mut order) => {
                if taken.contains(&order.id) {
                    let fresh = unique_id(&order.id, &taken);
                    plan.renamed.push(RenamedId {
                        row: row.row,
                        from: std::mem::replace(&mut order.id, fresh.clone()),
                        to: fresh,
                    });
                }
                taken.insert(order.id.clone());
                plan.orders.push(order);
            }
            Err(errors) => plan.rejected.push(RejectedRow {
                row: row.row,
                line: row.line,
                id: row.raw.id.trim().to_string(),
                message: row_message(row, &errors),
            }),
        }
    }
    Ok(plan)
}

fn unique_id(id: &str, taken: &std::collections::HashSet<String>) -> String {
    (2u64..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken.contains(c))
        .expect("an unused suffix exists")
}

/// [`plan_import`] on a file, refusing one over `limit` bytes. The file is only read.
pub fn plan_import_file<'a>(
    engine: &Engine,
    path: &std::path::Path,
    limit: u64,
    existing_ids: impl IntoIterator<Item = &'a str>,
) -> Result<CsvImport, CsvError> {
    let source = path.display().to_string();
    let bytes = super::file::read_limited(path, limit).map_err(|e| match e {
        super::file::ReadError::Io(m) => CsvError::Io(source.clone(), m),
        super::file::ReadError::TooLarge(size) => CsvError::Malformed(
            source.clone(),
            format!("{size} bytes is over the {limit}-byte limit for an orders CSV"),
        ),
    })?;
    plan_import(engine, &source, bytes.as_slice(), existing_ids)
}

/// Writes the order book with its decisions to `path` atomically.
pub fn export_orders_csv(
    path: &std::path::Path,
    engine: &Engine,
    orders: &[Order],
    decisions: &[Decision],
) -> Result<(), CsvError> {
    let file = path.display().to_string();
    let bytes = write_orders_csv(engine, orders, decisions)
        .map_err(|e| CsvError::Write(file.clone(), e.to_string()))?;
    super::file::write_atomically(path, &bytes).map_err(|e| CsvError::Write(file, e.to_string()))
}
