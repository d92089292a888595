//! The purchase-figure data file: what each figure is, how it was counted and where it comes from.

use super::units::FigureUnit;
use crate::rules::data_file::{DataError, parse_ron};
use crate::rules::{Confidence, CountryCode};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const DEFAULT_FLEETS_RON: &str = include_str!("../../assets/fleets.ron");
const DEFAULT_FLEETS_NAME: &str = "assets/fleets.ron";

/// How directly a figure reaches us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceQuality {
    /// The company (or government) said it, possibly relayed by the press.
    CompanyStatement,
    /// An analyst's estimate read at the analyst's own site.
    AnalystEstimate,
    /// An estimate or statement seen only through a press relay or mirror.
    PressRelay,
}

impl SourceQuality {
    pub fn label(self) -> &'static str {
        match self {
            SourceQuality::CompanyStatement => "company statement",
            SourceQuality::AnalystEstimate => "analyst estimate",
            SourceQuality::PressRelay => "press relay",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FigureKind {
    Company,
    NationalProgramme,
}

impl FigureKind {
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::Company => "company",
            FigureKind::NationalProgramme => "national programme",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Headline of the article or page.
    pub title: String,
    /// Who published it, and whose estimate it relays.
    pub publisher: String,
    pub url: String,
    /// Further pages the reference cites for the same figure.
    #[serde(default)]
    pub also: Vec<String>,
    /// When the page was read; `None` when the reference did not record it.
    #[serde(default)]
    pub accessed: Option<Date>,
    pub quality: SourceQuality,
}

/// One published figure: a purchase, a fleet or a national programme, in the unit its source used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub id: String,
    pub owner: String,
    /// Short label for plot axes.
    pub label: String,
    /// The group the figure belongs to in the picker (usually one source's list).
    pub series: String,
    /// Year or period the figure covers.
    pub period: String,
    /// What was counted, in words (e.g. "H100 GPUs bought in 2023").
    pub what: String,
    pub unit: FigureUnit,
    /// The kind of chip counted, for units that are not H100s.
    #[serde(default)]
    pub chip: String,
    pub value: u64,
    /// The source gave "~", ">" or a range; `note` says which and what is plotted.
    #[serde(default)]
    pub approx: bool,
    pub kind: FigureKind,
    /// Where a national programme applies (its tier is derived from the ruleset).
    #[serde(default)]
    pub country: Option<CountryCode>,
    pub source: Source,
    pub confidence: Confidence,
    #[serde(default)]
    pub note: String,
}

/// The figures file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fleets {
    /// Figure ids the demo comparison shows beside the caps.
    pub demo_preset: Vec<String>,
    pub figures: Vec<Figure>,
}

impl Fleets {
    /// The figures shipped in the binary.
    pub fn embedded() -> Result<Self, DataError> {
        Self::parse(DEFAULT_FLEETS_NAME, DEFAULT_FLEETS_RON)
    }

    /// Parses and checks a figures file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let fleets: Fleets = parse_ron(file, text)?;
        fleets.check().map_err(|message| DataError::Invalid {
            file: file.to_string(),
            message,
        })?;
        Ok(fleets)
    }

    pub fn get(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }

    /// Checks a parse cannot express; the message names the figure and field.
    fn check(&self) -> Result<(), String> {
        let mut seen = HashSet::new();
        for f in &self.figures {
            let at = |field: &str| format!("figure `{}`: {field}", f.id);
            if f.id.trim().is_empty() {
                return Err("a figure has an empty id".into());
            }
            if !seen.insert(f.id.as_str()) {
                return Err(at("id is used twice"));
            }
            if f.id.starts_with(super::caps::CAP_ID_PREFIX) {
                return Err(at(
                    "ids starting with `cap-` are reserved for the ruleset's caps",
                ));
            }
            for (field, value) in [
                ("owner", &f.owner),
                ("label", &f.label),
                ("series", &f.series),
                ("period", &f.period),
                ("what", &f.what),
                ("source.title", &f.source.title),
                ("source.publisher", &f.source.publisher),
            ] {
                if value.trim().is_empty() {
                    return Err(at(&format!("{field} is empty")));
                }
            }
            for url in std::iter::once(&f.source.url).chain(&f.source.also) {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(at(&format!("`{url}` is not an http(s) URL")));
                }
            }
            if f.value == 0 {
                return Err(at("value must be positive"));
            }
        }
        for id in &self.demo_preset {
            if self.get(id).is_none() {
                return Err(format!("demo_preset: no figure `{id}`"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Engine;

    #[test]
    fn data_file_loads() {
        let fleets = Fleets::embedded().expect("assets/fleets.ron loads");
        assert!(fleets.figures.len() >= 30);
        assert!(!fleets.demo_preset.is_empty());
    }

    #[test]
    fn every_figure_has_source_title_url_and_quality() {
        let fleets = Fleets::embedded().unwrap();
        for f in &fleets.figures {
            assert!(!f.source.title.trim().is_empty(), "{}: no title", f.id);
            assert!(f.source.url.starts_with("https://"), "{}: bad URL", f.id);
            // Quality is a required enum field: reaching here means every figure has one.
            let _ = f.source.quality.label();
        }
    }

    #[test]
    fn the_reference_figures_are_all_there() {
        let fleets = Fleets::embedded().unwrap();
        let value = |id: &str| fleets.get(id).map(|f| (f.value, f.unit));
        use FigureUnit::*;
        for (id, v, u) in [
            ("omdia-2023-meta", 150_000, H100Units),
            ("omdia-2023-microsoft", 150_000, H100Units),
            ("omdia-2023-google", 50_000, H100Units),
            ("omdia-2023-amazon", 50_000, H100Units),
            ("omdia-2023-oracle", 50_000, H100Units),
            ("omdia-2023-tencent", 50_000, H100Units),
            ("omdia-2023-coreweave", 40_000, H100Units),
            ("omdia-2023-baidu", 30_000, H100Units),
            ("omdia-2023-alibaba", 25_000, H100Units),
            ("omdia-2023-bytedance", 20_000, H100Units),
            ("omdia-2023-lambda", 20_000, H100Units),
            ("omdia-2023-tesla", 15_000, H100Units),
            ("omdia-2024-microsoft", 485_000, HopperUnits),
            ("omdia-2024-bytedance", 230_000, HopperUnits),
            ("omdia-2024-tencent", 230_000, HopperUnits),
            ("omdia-2024-meta", 224_000, HopperUnits),
            ("omdia-2024-amazon", 196_000, HopperUnits),
            ("omdia-2024-google", 169_000, HopperUnits),
            ("meta-2024-h100-statement", 350_000, H100Units),
            ("meta-2024-h100e-statement", 600_000, H100eUnstated),
            ("xai-colossus-2024", 100_000, H100Units),
            ("xai-colossus-expansion", 200_000, HopperUnits),
            ("epoch-2024-google", 1_000_000, H100eByFp16),
            ("epoch-2024-microsoft", 500_000, H100eByFp16),
            ("kr-2025-blackwell", 260_000, Gpus),
            ("in-2025-gpus-approved", 34_333, Gpus),
            ("in-2025-sarvam-h100", 4_096, H100Units),
            ("gb-isambard-ai", 5_448, Chips),
            ("sa-humain-gb300", 18_000, Chips),
            ("eu-gigafactory", 100_000, Chips),
        ] {
            assert_eq!(value(id), Some((v, u)), "{id}");
        }
        let tencent = fleets.get("omdia-2023-tencent").unwrap();
        assert_eq!(tencent.chip, "H800");
    }

    #[test]
    fn national_programme_tiers_match_the_reference() {
        // compute-fleets.md §5.2 gives each programme's tier; here it is derived from the ruleset.
        let engine = Engine::embedded();
        let fleets = Fleets::embedded().unwrap();
        let tier = |id: &str| {
            let c = fleets.get(id).unwrap().country.unwrap();
            engine.countries().tier(c).unwrap().number()
        };
        assert_eq!(tier("sa-humain-gb300"), 2);
        assert_eq!(tier("ae-chips-per-year"), 2);
        assert_eq!(tier("in-2025-gpus-approved"), 2);
        assert_eq!(tier("kr-2025-blackwell"), 1);
        assert_eq!(tier("gb-isambard-ai"), 1);
        for f in &fleets.figures {
            if let Some(c) = f.country {
                assert!(engine.countries().get(c).is_some(), "{}: unknown {c}", f.id);
            }
        }
    }

    #[test]
    fn malformed_file_names_line_and_column() {
        let text = DEFAULT_FLEETS_RON.replacen("value: 150000", "value: \"lots\"", 1);
        match Fleets::parse("bad.ron", &text).unwrap_err() {
            DataError::Parse { file, line, .. } => {
                assert_eq!(file, "bad.ron");
                assert!(line > 20);
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn duplicate_ids_and_bad_urls_are_refused() {
        let dup = DEFAULT_FLEETS_RON.replacen(
            "id: \"omdia-2023-microsoft\"",
            "id: \"omdia-2023-meta\"",
            1,
        );
        let err = Fleets::parse("dup.ron", &dup).unwrap_err().to_string();
        assert!(
            err.contains("omdia-2023-meta") && err.contains("twice"),
            "{err}"
        );

        let bad = DEFAULT_FLEETS_RON.replacen("url: \"https://", "url: \"ftp://", 1);
        let err = Fleets::parse("bad.ron", &bad).unwrap_err().to_string();
        assert!(err.contains("not an http(s) URL"), "{err}");
    }
}
