//! `diffusion-desk screen NAME [--country CC] [--threshold T] [--screening-list FILE]`: screens
//! one party name and prints the list vintage, then one line per match.

use crate::rules::CountryCode;
use crate::screening::{self, Match, ScreeningIndex, ScreeningList};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The index of the shipped snapshot (stored between runs), or of the trade.gov JSON file named
/// by `--screening-list` (gzip allowed).
pub fn load_index(path: Option<&Path>) -> Result<Arc<ScreeningIndex>, String> {
    match path {
        None => Ok(screening::shipped_index()),
        Some(p) => screening::import_file(p)
            .map(|list| Arc::new(ScreeningIndex::build(Arc::new(list))))
            .map_err(|e| e.to_string()),
    }
}

/// `--country`: an ISO 3166-1 alpha-2 code.
pub fn parse_country(text: &str) -> Result<CountryCode, String> {
    CountryCode::parse(text)
        .ok_or_else(|| format!("--country `{text}`: expected a two-letter ISO code such as CN"))
}

/// Screens `name` and writes the result. Exit status: 0 screened (whether or not anything
/// matched), 2 unusable input (no letters to screen, a threshold outside 0..=1) or an output
/// failure, with a message on `err`.
pub fn run(
    index: &ScreeningIndex,
    list: &ScreeningList,
    name: &str,
    country: Option<CountryCode>,
    threshold: f64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if !(0.0..=1.0).contains(&threshold) {
        let _ = writeln!(
            err,
            "error: --threshold {threshold}: expected a number from 0 to 1"
        );
        return 2;
    }
    if screening::normalize(name).is_empty() {
        let _ = writeln!(err, "error: `{name}` has no letters or digits to screen");
        return 2;
    }
    let matches = index.screen(name, country, threshold);
    match write_report(list, &matches, threshold, out) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the result: {e}");
            2
        }
    }
}

fn write_report(
    list: &ScreeningList,
    matches: &[Match],
    threshold: f64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "screening list vintage {} ({}, {} entries)",
        list.vintage,
        list.source,
        list.len()
    )?;
    if matches.is_empty() {
        writeln!(out, "no match above threshold {threshold:.2}")?;
    }
    for m in matches {
        writeln!(out, "{}", match_line(list, m))?;
    }
    out.flush()
}

/// "0.930  EL   Inspur Group Co., Ltd. | alias 'Inspur Group' | entity - | CN | possible | why".
fn match_line(list: &ScreeningList, m: &Match) -> String {
    let countries: Vec<&str> = list
        .entries
        .get(m.entry)
        .map(|e| e.countries.iter().map(CountryCode::as_str).collect())
        .unwrap_or_default();
    let countries = if countries.is_empty() {
        "-".to_string()
    } else {
        countries.join(",")
    };
    let matched = if m.matched_name == m.entry_name {
        "name".to_string()
    } else if m.via_alias {
        format!("alias '{}'", m.matched_name)
    } else {
        format!("as '{}'", m.matched_name)
    };
    let strength = if m.exact { "exact" } else { "possible" };
    format!(
        "{:.3}  {:<6} {} | {matched} | entity {} | {countries} | {strength} | {}",
        m.score,
        m.list.short(),
        m.entry_name,
        m.entity_number.as_deref().unwrap_or("-"),
        m.why
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn small() -> (ScreeningIndex, Arc<ScreeningList>) {
        let json = br#"{"meta": {"source_generated_at": "2026-07-31T00:00:00Z"}, "results": [
            {"name": "INSPUR GROUP CO., LTD.", "alt_names": ["Inspur Group"], "entity_number": "7",
             "source": "Entity List (EL) - Bureau of Industry and Security", "addresses": [{"country": "CN"}]}]}"#;
        let list = Arc::new(screening::import_json("small.json", json).unwrap());
        (ScreeningIndex::build(Arc::clone(&list)), list)
    }

    fn screen(name: &str, threshold: f64) -> (i32, String, String) {
        let (index, list) = small();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&index, &list, name, None, threshold, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn prints_vintage_then_one_line_per_match() {
        let (code, out, _) = screen("Inspur Group", 0.8);
        assert_eq!(code, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("screening list vintage 2026-07-31 (small.json, 1 entries)"));
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[1].starts_with(
                "1.000  EL     INSPUR GROUP CO., LTD. | name | entity 7 | CN | exact |"
            ),
            "{out}"
        );
    }

    #[test]
    fn says_when_nothing_matches_and_rejects_unusable_input() {
        let (code, out, _) = screen("Northwind Cloud", 0.8);
        assert_eq!(code, 0);
        assert!(out.ends_with("no match above threshold 0.80\n"), "{out}");
        let (code, _, err) = screen("...", 0.8);
        assert_eq!(code, 2);
        assert!(err.contains("no letters"), "{err}");
        let (code, _, err) = screen("Inspur", 1.5);
        assert_eq!(code, 2);
        assert!(err.contains("--threshold"), "{err}");
        assert!(parse_country("CHN").is_err());
        assert_eq!(parse_country("cn").unwrap().as_str(), "CN");
    }
}
