//! Importing trade.gov's consolidated screening list JSON (`consolidated.json`).
//!
//! The file is streamed through serde: entries are converted one by one as the parser reaches
//! them, unknown fields are skipped without being built, and no `serde_json::Value` of the whole
//! file ever exists. A shared cursor records which entry and field the parser is in, so an error
//! names them ("results[1234].addresses") as well as the line and column.

use super::list::{Entry, ListKind, ScreeningList};
use crate::rules::CountryCode;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// A screening list that could not be read; every variant names the source.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{source_name}: cannot read: {message}")]
    Io {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: cannot decompress: {message}")]
    Decompress {
        source_name: String,
        message: String,
    },
    /// Malformed JSON or a value of the wrong type. `location` is where in the document
    /// ("results[12].addresses"), or empty when the error is outside the entries.
    #[error("{source_name}:{line}:{column}: {}{message}", location_prefix(.location))]
    Parse {
        source_name: String,
        line: usize,
        column: usize,
        location: String,
        message: String,
    },
    /// An entry without a field the screening needs (`name`, `source`).
    #[error("{source_name}:{line}:{column}: results[{index}]: missing required field `{field}`")]
    MissingField {
        source_name: String,
        line: usize,
        column: usize,
        index: usize,
        field: &'static str,
    },
    #[error(
        "{source_name}: no `results` array: not a trade.gov consolidated screening list (`{{\"results\": [...]}}`)"
    )]
    NoResults { source_name: String },
}

fn location_prefix(location: &str) -> String {
    if location.is_empty() {
        String::new()
    } else {
        format!("{location}: ")
    }
}

/// Imports a trade.gov consolidated screening list. `source_name` names it in errors and
/// supplies the vintage when the file has no `meta.source_generated_at`.
pub fn import_json(source_name: &str, bytes: &[u8]) -> Result<ScreeningList, ImportError> {
    let cursor = RefCell::new(Cursor::default());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let document = DocumentSeed { cursor: &cursor }
        .deserialize(&mut de)
        .and_then(|doc| de.end().map(|()| doc))
        .map_err(|e| parse_error(source_name, &cursor.borrow(), &e))?;
    let entries = document.results.ok_or_else(|| ImportError::NoResults {
        source_name: source_name.to_string(),
    })?;
    let vintage = document
        .generated_at
        .as_deref()
        .and_then(date_prefix)
        .or_else(|| date_in(source_name))
        .unwrap_or_else(|| "unknown".to_string());
    Ok(ScreeningList::new(
        vintage,
        source_name.to_string(),
        entries,
    ))
}

/// Reads a list file from disk; gzip-compressed files (by their magic bytes) are decompressed.
pub fn import_file(path: &Path) -> Result<ScreeningList, ImportError> {
    let source_name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Io {
        source_name: source_name.clone(),
        message: e.to_string(),
    })?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let json = gunzip(&source_name, &bytes)?;
        import_json(&source_name, &json)
    } else {
        import_json(&source_name, &bytes)
    }
}

/// Decompresses a gzip stream.
pub fn gunzip(source_name: &str, bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(8));
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::Decompress {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
    Ok(out)
}

/// "2026-07-31T13:15:00…" → "2026-07-31".
fn date_prefix(text: &str) -> Option<String> {
    let head = text.trim().get(..10)?;
    is_iso_date(head).then(|| head.to_string())
}

/// The first YYYY-MM-DD in a file name, e.g. "consolidated-screening-list-2026-07-31.json".
fn date_in(name: &str) -> Option<String> {
    (0..name.len().saturating_sub(9))
        .filter_map(|i| name.get(i..i + 10))
        .find(|s| is_iso_date(s))
        .map(str::to_string)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Where the parser is, for error messages.
#[derive(Debug, Default)]
struct Cursor {
    /// Index in `results` of the entry being read.
    entry: Option<usize>,
    /// The entry's field being read.
    field: Option<&'static str>,
    /// Set when an entry ended without a required field.
    missing: Option<&'static str>,
    /// Inside `meta`.
    in_meta: bool,
}

impl Cursor {
    fn location(&self) -> String {
        match (self.entry, self.field) {
            (Some(i), Some(f)) => format!("results[{i}].{f}"),
            (Some(i), None) => format!("results[{i}]"),
            (None, _) if self.in_meta => "meta".to_string(),
            (None, _) => String::new(),
        }
    }
}

fn parse_error(source_name: &str, cursor: &Cursor, e: &serde_json::Error) -> ImportError {
    if let (Some(index), Some(field)) = (cursor.entry, cursor.missing) {
        return ImportError::MissingField {
            source_name: source_name.to_string(),
            line: e.line(),
            column: e.column(),
            index,
            field,
        };
    }
    ImportError::Parse {
        source_name: source_name.to_string(),
        line: e.line(),
        column: e.column(),
        location: cursor.location(),
        message: message_without_position(e),
    }
}

/// serde_json's message without its " at line L column C" suffix (the error shows them itself).
fn message_without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

struct Document {
    generated_at: Option<String>,
    results: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Meta {
    source_generated_at: Option<String>,
}

struct DocumentSeed<'c> {
    cursor: &'c RefCell<Cursor>,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Document;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object with a `results` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut doc = Document {
            generated_at: None,
            results: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "meta" => {
                    self.cursor.borrow_mut().in_meta = true;
                    let meta: Option<Meta> = map.next_value()?;
                    self.cursor.borrow_mut().in_meta = false;
                    doc.generated_at = meta.and_then(|m| m.source_generated_at);
                }
                "results" => {
                    doc.results = Some(map.next_value_seed(ResultsSeed {
                        cursor: self.cursor,
                    })?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(doc)
    }
}

struct ResultsSeed<'c> {
    cursor: &'c RefCell<Cursor>,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_> {
    type Value = Vec<Entry>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<Entry>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_> {
    type Value = Vec<Entry>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Entry>, A::Error> {
        let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            {
                let mut c = self.cursor.borrow_mut();
                c.entry = Some(entries.len());
                c.field = None;
            }
            match seq.next_element_seed(EntrySeed {
                cursor: self.cursor,
            })? {
                Some(entry) => entries.push(entry),
                None => break,
            }
        }
        let mut c = self.cursor.borrow_mut();
        c.entry = None;
        c.field = None;
        Ok(entries)
    }
}

/// The entry fields screening keeps; any other key is skipped.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Name,
    AltNames,
    Source,
    Type,
    Addresses,
    EntityNumber,
    LicenseRequirement,
    LicensePolicy,
    Programs,
    FederalRegisterNotice,
    SourceListUrl,
    #[serde(other)]
    Unknown,
}

impl Field {
    fn key(&self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::AltNames => "alt_names",
            Field::Source => "source",
            Field::Type => "type",
            Field::Addresses => "addresses",
            Field::EntityNumber => "entity_number",
            Field::LicenseRequirement => "license_requirement",
            Field::LicensePolicy => "license_policy",
            Field::Programs => "programs",
            Field::FederalRegisterNotice => "federal_register_notice",
            Field::SourceListUrl => "source_list_url",
            Field::Unknown => "(unknown field)",
        }
    }
}

#[derive(Deserialize)]
struct Address {
    country: Option<String>,
}

/// Entity numbers are strings in trade.gov's files; accept a bare number too.
#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Default)]
struct RawEntry {
    name: Option<String>,
    alt_names: Vec<String>,
    source: Option<String>,
    entry_type: Option<String>,
    addresses: Vec<Address>,
    entity_number: Option<String>,
    license_requirement: Option<String>,
    license_policy: Option<String>,
    programs: Vec<String>,
    federal_register_notice: Option<String>,
    source_list_url: Option<String>,
}

struct EntrySeed<'c> {
    cursor: &'c RefCell<Cursor>,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = Entry;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_> {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an entry object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut raw = RawEntry::default();
        while let Some(field) = map.next_key::<Field>()? {
            self.cursor.borrow_mut().field = Some(field.key());
            read_field(&mut map, field, &mut raw)?;
            // A syntax error between fields belongs to the entry, not to the last field read.
            self.cursor.borrow_mut().field = None;
        }
        self.cursor.borrow_mut().field = None;
        let name = required(raw.name.take(), "name", self.cursor)?;
        let source = required(raw.source.take(), "source", self.cursor)?;
        Ok(into_entry(raw, name, &source))
    }
}

fn read_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    field: Field,
    raw: &mut RawEntry,
) -> Result<(), A::Error> {
    match field {
        Field::Name => raw.name = map.next_value()?,
        Field::AltNames => raw.alt_names = vec_or_empty(map.next_value()?),
        Field::Source => raw.source = map.next_value()?,
        Field::Type => raw.entry_type = map.next_value()?,
        Field::Addresses => raw.addresses = vec_or_empty(map.next_value()?),
        Field::EntityNumber => {
            raw.entity_number = map
                .next_value::<Option<StringOrNumber>>()?
                .map(|v| match v {
                    StringOrNumber::Text(s) => s,
                    StringOrNumber::Number(n) => n.to_string(),
                })
        }
        Field::LicenseRequirement => raw.license_requirement = map.next_value()?,
        Field::LicensePolicy => raw.license_policy = map.next_value()?,
        Field::Programs => raw.programs = vec_or_empty(map.next_value()?),
        Field::FederalRegisterNotice => raw.federal_register_notice = map.next_value()?,
        Field::SourceListUrl => raw.source_list_url = map.next_value()?,
        Field::Unknown => {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

fn vec_or_empty<T>(v: Option<Vec<T>>) -> Vec<T> {
    v.unwrap_or_default()
}

/// A required text field, present and not blank; otherwise an error the cursor attributes to
/// the entry and field.
fn required<E: de::Error>(
    value: Option<String>,
    field: &'static str,
    cursor: &RefCell<Cursor>,
) -> Result<String, E> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => {
            cursor.borrow_mut().missing = Some(field);
            Err(E::custom(format!("missing required field `{field}`")))
        }
    }
}

fn into_entry(raw: RawEntry, name: String, source: &str) -> Entry {
    let name = name.trim().to_string();
    let mut alt_names: Vec<String> = Vec::with_capacity(raw.alt_names.len());
    for alt in raw.alt_names {
        let alt = alt.trim();
        if !alt.is_empty() && alt != name && !alt_names.iter().any(|a| a == alt) {
            alt_names.push(alt.to_string());
        }
    }
    let mut countries: Vec<CountryCode> = Vec::new();
    for code in raw
        .addresses
        .iter()
        .filter_map(|a| country(a.country.as_deref()?))
    {
        if !countries.contains(&code) {
            countries.push(code);
        }
    }
    Entry {
        name,
        alt_names,
        list: ListKind::from_source(source),
        entity_number: non_blank(raw.entity_number),
        countries,
        license_requirement: non_blank(raw.license_requirement),
        license_policy: non_blank(raw.license_policy),
        federal_register_notice: non_blank(raw.federal_register_notice),
        programs: raw.programs,
        source_list_url: non_blank(raw.source_list_url),
        entry_type: non_blank(raw.entry_type),
    }
}

fn non_blank(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// An address country as a code. The CSL mostly uses ISO alpha-2; the few spelled-out values
/// seen in it are mapped, "UK" becomes GB, anything else (regions) is left out.
fn country(text: &str) -> Option<CountryCode> {
    let text = text.trim();
    let code = match text.to_ascii_uppercase().as_str() {
        "UK" => "GB",
        "TURKIYE" | "TURKEY" => "TR",
        "PRC" | "CHINA" => "CN",
        "MACAU" | "MACAO" => "MO",
        _ => text,
    };
    CountryCode::parse(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::ListPolicy;

    const SMALL: &str = r#"{
  "meta": {"total": 3, "source_generated_at": "2026-07-31T13:15:00.015113+00:00", "extra": [1, 2]},
  "results": [
    {"name": "Inspur Group Co., Ltd.", "alt_names": ["Inspur Group", "IGL", ""],
     "source": "Entity List (EL) - Bureau of Industry and Security",
     "addresses": [{"country": "CN", "city": "Jinan", "address": "1036 Langchao Rd"}, {"country": "CN"}],
     "license_requirement": "For all items subject to the EAR.",
     "license_policy": "Presumption of denial.",
     "federal_register_notice": "88 FR 14487",
     "source_list_url": "https://www.bis.gov/entity-list",
     "dates_of_birth": null, "ids": [{"type": "x", "number": "1"}], "start_date": "2023-03-06"},
    {"name": "Minimal Person", "source": "Specially Designated Nationals (SDN) - Treasury Department"},
    {"name": "Odd Codes Ltd", "source": "A New List (NEW)", "entity_number": 42,
     "addresses": [{"country": "UK"}, {"country": "REGION: CRIMEA"}, {"country": null}],
     "alt_names": null, "programs": ["X"]}
  ],
  "sources_used": ["..."]
}"#;

    #[test]
    fn imports_trade_gov_shape_and_ignores_unknown_fields() {
        let list = import_json("small.json", SMALL.as_bytes()).unwrap();
        assert_eq!(list.vintage, "2026-07-31");
        assert_eq!(list.source, "small.json");
        assert_eq!(list.len(), 3);
        let e = &list.entries[0];
        assert_eq!(e.name, "Inspur Group Co., Ltd.");
        assert_eq!(e.alt_names, ["Inspur Group", "IGL"]);
        assert_eq!(e.list, ListKind::EntityList);
        assert_eq!(e.countries, [crate::cc!("CN")]);
        assert_eq!(e.policy(), ListPolicy::PresumptionOfDenial);
        assert_eq!(e.federal_register_notice.as_deref(), Some("88 FR 14487"));
        assert_eq!(list.count(&ListKind::EntityList), 1);
        assert_eq!(list.count(&ListKind::Sdn), 1);
    }

    #[test]
    fn missing_optional_fields_are_empty_not_errors() {
        let list = import_json("small.json", SMALL.as_bytes()).unwrap();
        let minimal = &list.entries[1];
        assert!(minimal.alt_names.is_empty() && minimal.countries.is_empty());
        assert_eq!(minimal.entity_number, None);
        assert_eq!(minimal.entry_type, None);
        assert_eq!(minimal.policy(), ListPolicy::Unstated);
        let odd = &list.entries[2];
        assert_eq!(odd.entity_number.as_deref(), Some("42"));
        assert_eq!(odd.countries, [crate::cc!("GB")]);
        assert_eq!(odd.list, ListKind::Other("A New List (NEW)".into()));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let text = "{\"results\": [\n  {\"name\": \"A\", \"source\": \"x\"},\n  {\"name\": \"B\" \"source\": \"x\"}\n]}";
        let err = import_json("bad.json", text.as_bytes()).unwrap_err();
        match &err {
            ImportError::Parse {
                line,
                column,
                location,
                ..
            } => {
                assert_eq!(*line, 3);
                assert!(*column > 10, "{err}");
                assert_eq!(location, "results[1]");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().starts_with("bad.json:3:"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_entry_and_field() {
        let text = r#"{"results": [{"name": "A", "source": "x"}, {"name": "B", "source": "x", "addresses": "CN"}]}"#;
        let err = import_json("t.json", text.as_bytes()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("results[1].addresses"), "{msg}");
        assert!(msg.contains("expected a sequence"), "{msg}");
    }

    #[test]
    fn missing_name_names_the_entry_index_and_field() {
        let text = "{\"results\": [\n{\"name\": \"A\", \"source\": \"x\"},\n{\"alt_names\": [\"B\"], \"source\": \"x\"}\n]}";
        let err = import_json("t.json", text.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::MissingField {
                    index: 1,
                    field: "name",
                    line: 3,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("results[1]: missing required field `name`")
        );
        let no_source = r#"{"results": [{"name": "A"}]}"#;
        let err = import_json("t.json", no_source.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::MissingField {
                    index: 0,
                    field: "source",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_document_without_results_is_rejected() {
        let err = import_json("t.json", br#"{"meta": {}}"#).unwrap_err();
        assert!(matches!(err, ImportError::NoResults { .. }), "{err:?}");
        let err = import_json("t.json", b"[1, 2]").unwrap_err();
        assert!(matches!(err, ImportError::Parse { line: 1, .. }), "{err:?}");
    }

    #[test]
    fn vintage_falls_back_to_the_file_name_then_unknown() {
        let text = br#"{"results": []}"#;
        assert_eq!(
            import_json("csl-2025-01-15.json", text).unwrap().vintage,
            "2025-01-15"
        );
        assert_eq!(import_json("csl.json", text).unwrap().vintage, "unknown");
        let with_meta =
            br#"{"results": [], "meta": {"source_generated_at": "2026-02-01T00:00:00Z"}}"#;
        assert_eq!(
            import_json("csl-2025-01-15.json", with_meta)
                .unwrap()
                .vintage,
            "2026-02-01"
        );
    }

    #[test]
    fn gzip_files_are_read_by_their_magic() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.json.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(SMALL.as_bytes()).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        assert_eq!(import_file(&path).unwrap().len(), 3);
        let missing = import_file(&dir.path().join("nope.json")).unwrap_err();
        assert!(matches!(missing, ImportError::Io { .. }));
    }

    #[test]
    fn the_embedded_snapshot_has_every_entry() {
        let list = ScreeningList::embedded();
        assert_eq!(list.len(), 25_921);
        assert_eq!(list.vintage, "2026-07-31");
        assert_eq!(list.count(&ListKind::EntityList), 3_420);
        assert_eq!(list.count(&ListKind::Sdn), 19_181);
        assert_eq!(list.count(&ListKind::DeniedPersons), 1_596);
        assert_eq!(list.count(&ListKind::Unverified), 222);
        assert_eq!(list.count(&ListKind::MilitaryEndUser), 70);
        assert_eq!(list.counts.len(), 12, "{:?}", list.counts.keys());
    }
}
