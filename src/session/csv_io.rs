//! Orders CSV (the format in `product.md`): read by name-addressed columns, written with decisions.

mod records;

use crate::rules::{Decision, Engine, Field, FieldError, Order, RawOrder};
pub use records::{MAX_RECORD_BYTES, RecordError, RecordReader};
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
    #[error("{0}: column `{1}` appears twice in the header")]
    DuplicateColumn(String, String),
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

/// Where the header puts each column the importer reads, and which required ones it lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    positions: Vec<(Field, usize)>,
    /// Required columns absent from the header: every row reports them.
    pub missing: Vec<Field>,
}

impl ColumnMap {
    /// Maps a header row (fields trimmed). Errors: no header at all, a header that names none of
    /// the required columns, or a column named twice (case-insensitively), which would make it
    /// ambiguous which one is read.
    pub fn from_header(source: &str, headers: &[&str]) -> Result<Self, CsvError> {
        if headers.iter().all(|h| h.is_empty()) {
            return Err(CsvError::NoHeader(source.into()));
        }
        let col = |f: Field| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(f.column()))
        };
        // A header that names none of the required columns is not an orders header at all.
        if REQUIRED.iter().all(|&f| col(f).is_none()) {
            return Err(CsvError::NoHeader(source.into()));
        }
        // A set, not pairwise comparison: a junk header may have many thousands of columns.
        let mut seen = std::collections::HashSet::with_capacity(headers.len());
        for h in headers.iter().filter(|h| !h.is_empty()) {
            if !seen.insert(h.to_ascii_lowercase()) {
                return Err(CsvError::DuplicateColumn(source.into(), h.to_string()));
            }
        }
        Ok(Self {
            positions: ALL_FIELDS
                .iter()
                .filter_map(|&f| col(f).map(|p| (f, p)))
                .collect(),
            missing: REQUIRED
                .iter()
                .copied()
                .filter(|&f| col(f).is_none())
                .collect(),
        })
    }
}

/// Reads an orders CSV one row at a time, in memory bounded by the longest record allowed
/// ([`MAX_RECORD_BYTES`]), into a reused [`CsvRow`].
pub struct CsvReader<R> {
    source: String,
    records: RecordReader<R>,
    columns: ColumnMap,
    rows: usize,
}

impl<R: Read> CsvReader<R> {
    /// Reads and maps the header; `source` names the input in errors.
    pub fn new(source: &str, input: R) -> Result<Self, CsvError> {
        let mut records = RecordReader::new(input);
        let malformed = |m: String| CsvError::Malformed(source.into(), m);
        if !records
            .read_record()
            .map_err(|e| malformed(format!("header (line {}): {e}", records.next_line())))?
        {
            return Err(CsvError::NoHeader(source.into()));
        }
        let mut headers = Vec::with_capacity(records.len());
        for (i, h) in records.fields().enumerate() {
            let h = std::str::from_utf8(h).map_err(|_| {
                malformed(format!(
                    "header (line {}): column {} is not UTF-8 text",
                    records.record_line(),
                    i + 1
                ))
            })?;
            headers.push(h.trim());
        }
        let columns = ColumnMap::from_header(source, &headers)?;
        Ok(Self {
            source: source.to_string(),
            records,
            columns,
            rows: 0,
        })
    }

    pub fn columns(&self) -> &ColumnMap {
        &self.columns
    }

    /// Reads the next data row into `row` (blank rows are skipped); `Ok(false)` at the end.
    /// Errors make the rest of the file unreadable: a record too long, a quote never closed, a
    /// read error, a field that is not UTF-8 text.
    pub fn next_row(&mut self, row: &mut CsvRow) -> Result<bool, CsvError> {
        loop {
            let next = self.rows.saturating_add(1);
            let more = self.records.read_record().map_err(|e| match e {
                RecordError::Io(m) => CsvError::Io(self.source.clone(), m),
                e => CsvError::Malformed(
                    self.source.clone(),
                    format!("row {next} (line {}): {e}", self.records.next_line()),
                ),
            })?;
            if !more {
                return Ok(false);
            }
            if self.records.fields().all(is_blank) {
                continue;
            }
            self.rows = next;
            row.row = next;
            row.line = self.records.record_line();
            row.missing_columns.clone_from(&self.columns.missing);
            self.fill_raw(&mut row.raw).map_err(|(field, offset)| {
                CsvError::Malformed(
                    self.source.clone(),
                    format!(
                        "row {next} (line {}): {}: not UTF-8 text (invalid byte at offset {offset})",
                        row.line,
                        field.column(),
                    ),
                )
            })?;
            return Ok(true);
        }
    }

    /// Copies the mapped fields of the current record, trimmed, into `raw`. Errors: the field
    /// that is not UTF-8 text, and where in it.
    fn fill_raw(&self, raw: &mut RawOrder) -> Result<(), (Field, usize)> {
        for &f in &ALL_FIELDS {
            raw_field(raw, f).clear();
        }
        // One UTF-8 check for the whole record (fields are stored one after the other); a
        // field is then valid text when it starts and ends on character boundaries.
        let all = std::str::from_utf8(self.records.record_bytes()).ok();
        for &(field, pos) in &self.columns.positions {
            let Some(range) = self.records.field_range(pos) else {
                continue;
            };
            let text = match all {
                Some(all)
                    if all.is_char_boundary(range.start) && all.is_char_boundary(range.end) =>
                {
                    &all[range]
                }
                _ => {
                    let bytes = &self.records.record_bytes()[range];
                    std::str::from_utf8(bytes).map_err(|e| (field, e.valid_up_to()))?
                }
            };
            raw_field(raw, field).push_str(trim(text));
        }
        Ok(())
    }
}

/// `str::trim` (as the `csv` crate's `Trim::All` did), with a fast path for the common field
/// that starts and ends with a visible ASCII character.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        s
    } else {
        s.trim()
    }
}

/// A field that trims to nothing (rows of such fields are skipped, as blank lines are).
fn is_blank(field: &[u8]) -> bool {
    field.trim_ascii().is_empty() || std::str::from_utf8(field).is_ok_and(|s| s.trim().is_empty())
}

impl CsvRow {
    /// An empty row to read into.
    pub fn empty() -> Self {
        Self {
            row: 0,
            line: 0,
            raw: RawOrder::default(),
            missing_columns: Vec::new(),
        }
    }
}

/// Reads every row; `source` names the input in errors.
pub fn read_rows(source: &str, input: impl Read) -> Result<Vec<CsvRow>, CsvError> {
    let mut reader = CsvReader::new(source, input)?;
    let mut rows = Vec::new();
    let mut row = CsvRow::empty();
    while reader.next_row(&mut row)? {
        rows.push(row.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,date,destination,consignee,consignee_hq,item,quantity\n";

    #[test]
    fn a_column_named_twice_is_refused_in_any_case() {
        let e = read_rows("f.csv", format!("{},ID\n", HEADER.trim_end()).as_bytes()).unwrap_err();
        assert_eq!(e, CsvError::DuplicateColumn("f.csv".into(), "ID".into()));
        assert!(e.to_string().contains("`ID` appears twice"), "{e}");
        // Empty names (trailing commas) are not columns; a non-orders header is "no header".
        assert!(read_rows("f.csv", format!("{},,\n", HEADER.trim_end()).as_bytes()).is_ok());
        assert_eq!(
            read_rows("f.csv", "a,a\n1,2\n".as_bytes()).unwrap_err(),
            CsvError::NoHeader("f.csv".into())
        );
    }

    #[test]
    fn rows_are_numbered_past_blank_lines_and_trimmed() {
        let text = format!(
            "{HEADER}\n A1 ,2025-02-01,IN,\"Bharat, \"\"Pvt\"\"\",IN,h100-sxm,5\n,,\nA2,2025-02-01\n"
        );
        let rows = read_rows("f.csv", text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].row, rows[0].line), (1, 3));
        assert_eq!(rows[0].raw.id, "A1");
        assert_eq!(rows[0].raw.consignee, "Bharat, \"Pvt\"");
        assert_eq!((rows[1].row, rows[1].line), (2, 5));
        assert_eq!(
            rows[1].raw.quantity, "",
            "a short row leaves the rest empty"
        );
    }

    #[test]
    fn unreadable_rows_name_row_line_and_column() {
        let quote = format!("{HEADER}A1,2025-02-01,IN,X,IN,h100-sxm,5\nA2,\"2025\n\nA3\n");
        let e = read_rows("f.csv", quote.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("f.csv: row 2 (line 3): unterminated quote"),
            "{e}"
        );
        assert!(e.contains("opened on line 3"), "{e}");
        let mut latin1 = HEADER.as_bytes().to_vec();
        latin1.extend_from_slice(b"A1,2025-02-01,IN,S\xe3o Paulo,BR,h100-sxm,5\n");
        let e = read_rows("f.csv", latin1.as_slice())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("row 1 (line 2): consignee: not UTF-8 text"),
            "{e}"
        );
        // Bytes that are not text in a column nobody reads are ignored.
        let mut extra = b"notes,".to_vec();
        extra.extend_from_slice(HEADER.as_bytes());
        extra.extend_from_slice(b"\xff,A1,2025-02-01,IN,X,IN,h100-sxm,5\n");
        assert_eq!(read_rows("f.csv", extra.as_slice()).unwrap().len(), 1);
    }
}
