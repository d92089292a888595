//! The ruleset: every number and list of the rule as data, each with unit, citation and confidence.
//!
//! The default ruleset (`assets/ruleset.ron`) is embedded in the binary; another file can be given
//! on the command line. Nothing of the rule is hard-coded in Rust: the engine only reads these values.

use super::CountryCode;
use super::data_file::{DataError, parse_ron};
use super::provenance::{Confidence, Param, Provenance};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const DEFAULT_RULESET_RON: &str = include_str!("../../assets/ruleset.ron");

/// One step of the NVEU phase-in: cumulative installed base allowed up to and including `until`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NveuStep {
    pub until: Date,
    pub cumulative_tpp: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dates {
    pub effective: Param<Date>,
    pub publication: Param<Date>,
    pub compliance: Param<Date>,
    pub non_enforcement_announced: Param<Date>,
    /// Last day the model covers: the end of the 2025–2027 allocation period.
    pub modelled_until: Param<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChipThresholds {
    /// 3A090.a: TPP at or above this, whatever the density.
    pub a_tpp: Param<u64>,
    /// 3A090.a: TPP at or above this together with density at or above `a_density`.
    pub a_tpp_with_density: Param<u64>,
    pub a_density: Param<f64>,
    /// 3A090.b.1: `b1_tpp_min ≤ TPP < a_tpp` and `b1_density_min ≤ PD < a_density`.
    pub b1_tpp_min: Param<u64>,
    pub b1_density_min: Param<f64>,
    /// 3A090.b.2: `TPP ≥ b2_tpp_min` and `b2_density_min ≤ PD < a_density`.
    pub b2_tpp_min: Param<u64>,
    pub b2_density_min: Param<f64>,
    /// Non-datacenter parts below this TPP are outside 3A090; at or above it they go to NAC/ACA.
    pub non_datacenter_tpp: Param<u64>,
}

/// Whose headquarters decide UVEU eligibility (engine v2 rule 2). The reference reads it from
/// secondary sources, so the reading is data with its confidence, not code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UveuEligibility {
    /// The ultimate parent's headquarters (the consignee's when no parent is named) is in Tier 1,
    /// and neither headquarters is in Tier 3.
    UltimateParentInTier1,
    /// Both the consignee's and the parent's headquarters are in Tier 1.
    EntityAndParentInTier1,
}

impl UveuEligibility {
    pub fn label(self) -> &'static str {
        match self {
            UveuEligibility::UltimateParentInTier1 => {
                "ultimate parent headquartered in Tier 1 (the consignee when no parent is named), no Tier-3 link"
            }
            UveuEligibility::EntityAndParentInTier1 => {
                "both the entity and its ultimate parent headquartered in Tier 1"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UveuLimits {
    pub min_tier1_share: Param<f64>,
    pub max_share_per_tier2_country: Param<f64>,
    pub min_us_share_for_us_hq: Param<f64>,
}

/// Texts of the rule that a decision rests on, without a number of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provisions {
    pub worldwide_license: Provenance,
    pub aia: Provenance,
    pub lpp: Provenance,
    pub lpp_not_counted: Provenance,
    pub headquarters: Provenance,
    pub tier3_policy: Provenance,
    pub tier2_license_policy: Provenance,
    pub allocation_counting: Provenance,
    pub nveu_eligibility: Provenance,
    pub aca: Provenance,
    pub model_weights: Provenance,
    pub model_weights_policy: Provenance,
    pub open_weights: Provenance,
    pub status: Provenance,
    /// Licence applications and licences (what an approved licence authorizes).
    pub licences: Provenance,
    /// What a confirmed restricted-party match does (engine v2 rule 9).
    pub screening: Provenance,
    /// Reviewer-approved overrides that make a decision stricter.
    pub overrides: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruleset {
    pub name: String,
    pub version: String,
    /// Date of the rule text this reading models.
    pub rule_date: Date,
    pub rule_citation: String,
    pub dates: Dates,
    /// Supplement No. 5 to Part 740 ¶(a), including the United States.
    pub tier1: Param<Vec<CountryCode>>,
    /// Country Group D:5 as of the rule date.
    pub d5: Param<Vec<CountryCode>>,
    /// Destinations named beside D:5 (Macau).
    pub tier3_extra: Param<Vec<CountryCode>>,
    /// Territories the EAR counts as another destination: (territory, counted as).
    pub counted_as: Param<Vec<(CountryCode, CountryCode)>>,
    pub us: CountryCode,
    pub h100_tpp: Param<u64>,
    pub chip_thresholds: ChipThresholds,
    pub lpp_room_tpp_per_year: Param<u64>,
    pub country_allocation_tpp: Param<u64>,
    pub g2g_multiplier: Param<u64>,
    pub nveu_schedule: Param<Vec<NveuStep>>,
    pub uveu: UveuLimits,
    pub uveu_eligibility: Param<UveuEligibility>,
    pub model_weights_threshold_ops: Param<f64>,
    /// The storage-security conditions that come with AIA for 4E091 (§740.27(a)(3); not read).
    pub weights_storage_conditions: Param<Vec<String>>,
    /// Whether LPP is barred for D:1/D:4 destinations outside A:5/A:6 (an open question).
    pub lpp_barred_in_d1_d4: Param<bool>,
    pub provisions: Provisions,
}

/// A ruleset with its identity: where it came from and a hash of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRuleset {
    pub ruleset: Ruleset,
    pub source: String,
    pub sha256: String,
}

impl LoadedRuleset {
    pub fn embedded() -> Self {
        Self::parse("built-in ruleset (assets/ruleset.ron)", DEFAULT_RULESET_RON)
            .expect("the embedded ruleset is checked by tests")
    }

    pub fn parse(source: &str, text: &str) -> Result<Self, DataError> {
        let ruleset: Ruleset = parse_ron(source, text)?;
        ruleset.check().map_err(|message| DataError::Invalid {
            file: source.to_string(),
            message,
        })?;
        Ok(Self {
            ruleset,
            source: source.to_string(),
            sha256: sha256_hex(text.as_bytes()),
        })
    }

    pub fn load(path: &std::path::Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(&path.display().to_string(), &text)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Ruleset {
    /// Consistency checks a parse cannot express; the message names the field.
    fn check(&self) -> Result<(), String> {
        if self.h100_tpp.value == 0 {
            return Err("h100_tpp.value: must be positive".into());
        }
        if self.g2g_multiplier.value == 0 {
            return Err("g2g_multiplier.value: must be positive".into());
        }
        if self.nveu_schedule.value.is_empty() {
            return Err("nveu_schedule.value: needs at least one step".into());
        }
        if !self
            .nveu_schedule
            .value
            .windows(2)
            .all(|w| w[0].until < w[1].until && w[0].cumulative_tpp <= w[1].cumulative_tpp)
        {
            return Err(
                "nveu_schedule.value: steps must be in date order and non-decreasing".into(),
            );
        }
        for (name, share) in [
            ("uveu.min_tier1_share", self.uveu.min_tier1_share.value),
            (
                "uveu.max_share_per_tier2_country",
                self.uveu.max_share_per_tier2_country.value,
            ),
            (
                "uveu.min_us_share_for_us_hq",
                self.uveu.min_us_share_for_us_hq.value,
            ),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(format!("{name}.value: a share must be between 0 and 1"));
            }
        }
        if self.dates.effective.value > self.dates.modelled_until.value {
            return Err("dates.modelled_until.value: must not be before dates.effective".into());
        }
        self.check_tier_lists()
    }

    /// The tier lists as a whole: each country has one tier. Without this, a country listed in
    /// both `tier1` and `d5` silently took the first list's tier (China in Tier 1).
    fn check_tier_lists(&self) -> Result<(), String> {
        let lists = [
            ("tier1", &self.tier1.value),
            ("d5", &self.d5.value),
            ("tier3_extra", &self.tier3_extra.value),
        ];
        // Where each code was first seen: (list, position).
        let mut seen: std::collections::HashMap<CountryCode, &str> = Default::default();
        for (name, list) in lists {
            for &c in list.iter() {
                match seen.insert(c, name) {
                    Some(first) if first == name => {
                        return Err(format!("{name}.value: {c} is listed twice"));
                    }
                    Some(first) => {
                        return Err(format!(
                            "{c} is in both {first} and {name}: a country has exactly one tier"
                        ));
                    }
                    None => {}
                }
            }
        }
        let mut territories = std::collections::HashSet::new();
        for &(territory, parent) in &self.counted_as.value {
            if let Some(list) = seen.get(&territory) {
                return Err(format!(
                    "counted_as.value: {territory} is counted as {parent} but is itself listed \
                     in {list}"
                ));
            }
            if territory == parent {
                return Err(format!(
                    "counted_as.value: {territory} is counted as itself"
                ));
            }
            if !territories.insert(territory) {
                return Err(format!("counted_as.value: {territory} is listed twice"));
            }
        }
        for &(territory, parent) in &self.counted_as.value {
            // The parent's own tier is used, not followed further: a chain would be misread.
            if territories.contains(&parent) {
                return Err(format!(
                    "counted_as.value: {territory} is counted as {parent}, which is itself \
                     counted as another destination"
                ));
            }
        }
        if !self.tier1.value.contains(&self.us) {
            return Err(format!(
                "us: {} must be listed in tier1 (the United States is Tier 1)",
                self.us
            ));
        }
        Ok(())
    }

    /// The NVEU cumulative limit in force on `date` (the last step applies after the schedule ends).
    pub fn nveu_limit_on(&self, date: Date) -> u64 {
        let steps = &self.nveu_schedule.value;
        steps
            .iter()
            .find(|s| date <= s.until)
            .or(steps.last())
            .map_or(0, |s| s.cumulative_tpp)
    }

    /// H100-equivalents of a TPP amount (display only: caps are kept in TPP).
    pub fn h100e(&self, tpp: u64) -> f64 {
        tpp as f64 / self.h100_tpp.value as f64
    }

    /// Every parameter and provision with a dotted name, for the rule-data window and the docs.
    ///
    /// Walks the ruleset's own serialised form, so a field added to the file can never drop out
    /// of the window: anything with a citation, a source and a confidence is listed.
    pub fn parameters(&self) -> Vec<ParamSummary> {
        let tree = serde_json::to_value(self).expect("rulesets serialise");
        let mut out = Vec::new();
        collect_parameters("", &tree, &mut out);
        out
    }

    /// The modelled allocation period as years, e.g. "2025–2027".
    pub fn allocation_period(&self) -> String {
        format!(
            "{}–{}",
            self.dates.effective.value.year(),
            self.dates.modelled_until.value.year()
        )
    }
}

fn collect_parameters(path: &str, node: &serde_json::Value, out: &mut Vec<ParamSummary>) {
    let serde_json::Value::Object(map) = node else {
        return;
    };
    let text = |k: &str| {
        map.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    if map.contains_key("cite") && map.contains_key("confidence") {
        let confidence = map
            .get("confidence")
            .and_then(|c| serde_json::from_value(c.clone()).ok())
            .unwrap_or(Confidence::Unconfirmed);
        out.push(ParamSummary {
            name: path.to_string(),
            value: map.get("value").map(display_value).unwrap_or_default(),
            unit: text("unit"),
            provenance: Provenance {
                cite: text("cite"),
                source: text("source"),
                confidence,
                note: text("note"),
            },
        });
        return;
    }
    for (key, child) in map {
        let child_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        collect_parameters(&child_path, child, out);
    }
}

/// A parameter's value as the rule-data window shows it.
fn display_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_u64() {
            Some(u) => u.to_string(),
            // Operation counts such as 1e26 read better in scientific notation.
            None => n.as_f64().map_or_else(
                || n.to_string(),
                |f| {
                    if f.abs() >= 1e9 {
                        format!("{f:e}")
                    } else {
                        format!("{f}")
                    }
                },
            ),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let sep = if items.iter().all(|i| i.is_string()) {
                ", "
            } else {
                "; "
            };
            items.iter().map(display_item).collect::<Vec<_>>().join(sep)
        }
        Value::Object(_) => display_item(v),
    }
}

fn display_item(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        // Tuples such as (territory, counted as).
        Value::Array(pair) => pair.iter().map(display_value).collect::<Vec<_>>().join("→"),
        Value::Object(map) => map
            .values()
            .map(display_value)
            .collect::<Vec<_>>()
            .join(": "),
        other => display_value(other),
    }
}

/// One row of the provenance browser.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSummary {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub provenance: Provenance,
}

/// A borrowed view of a value's provenance (what a finding cites).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Basis<'a> {
    pub cite: &'a str,
    pub source: &'a str,
    pub confidence: Confidence,
    pub note: &'a str,
}

impl<'a, T> From<&'a Param<T>> for Basis<'a> {
    fn from(p: &'a Param<T>) -> Self {
        Basis {
            cite: &p.cite,
            source: &p.source,
            confidence: p.confidence,
            note: &p.note,
        }
    }
}

impl<'a> From<&'a Provenance> for Basis<'a> {
    fn from(p: &'a Provenance) -> Self {
        Basis {
            cite: &p.cite,
            source: &p.source,
            confidence: p.confidence,
            note: &p.note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_ruleset_parses_and_checks() {
        let rs = LoadedRuleset::embedded();
        assert_eq!(rs.ruleset.h100_tpp.value, 15_832);
        assert_eq!(rs.sha256.len(), 64);
    }

    #[test]
    fn malformed_ruleset_names_line_and_column() {
        let text = DEFAULT_RULESET_RON.replacen("h100_tpp: (", "h100_tpp: (value: \"x\", ", 1);
        let err = LoadedRuleset::parse("bad.ron", &text).unwrap_err();
        match err {
            DataError::Parse { file, line, .. } => {
                assert_eq!(file, "bad.ron");
                assert!(line > 1);
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn missing_field_is_named() {
        let text =
            DEFAULT_RULESET_RON.replacen("lpp_room_tpp_per_year:", "lpp_room_tpp_per_yeer:", 1);
        let err = LoadedRuleset::parse("bad.ron", &text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("lpp_room_tpp_per_yeer") || err.contains("lpp_room_tpp_per_year"),
            "{err}"
        );
    }

    /// The default ruleset with `from` replaced by `to` (once), parsed.
    fn edited(from: &str, to: &str) -> Result<LoadedRuleset, String> {
        assert!(DEFAULT_RULESET_RON.contains(from), "{from}");
        LoadedRuleset::parse("edited.ron", &DEFAULT_RULESET_RON.replacen(from, to, 1))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_country_in_two_tier_lists_is_an_error() {
        let err = edited("\"TW\", \"GB\", \"US\"]", "\"TW\", \"GB\", \"US\", \"CN\"]").unwrap_err();
        assert!(
            err.contains("edited.ron") && err.contains("CN is in both tier1 and d5"),
            "{err}"
        );
        let err = edited("value: [\"MO\"]", "value: [\"MO\", \"RU\"]").unwrap_err();
        assert!(err.contains("RU is in both d5 and tier3_extra"), "{err}");
        let err = edited("value: [\"MO\"]", "value: [\"MO\", \"JP\"]").unwrap_err();
        assert!(err.contains("JP is in both tier1 and tier3_extra"), "{err}");
    }

    #[test]
    fn a_country_twice_in_one_list_is_an_error() {
        let err = edited("\"AU\", \"BE\"", "\"AU\", \"BE\", \"AU\"").unwrap_err();
        assert!(err.contains("tier1.value: AU is listed twice"), "{err}");
        let err = edited("[(\"HK\", \"CN\")]", "[(\"HK\", \"CN\"), (\"HK\", \"CN\")]").unwrap_err();
        assert!(
            err.contains("counted_as.value: HK is listed twice"),
            "{err}"
        );
    }

    #[test]
    fn a_counted_as_territory_cannot_have_a_tier_of_its_own() {
        let err = edited("[(\"HK\", \"CN\")]", "[(\"HK\", \"CN\"), (\"MO\", \"CN\")]").unwrap_err();
        assert!(
            err.contains(
                "counted_as.value: MO is counted as CN but is itself listed in tier3_extra"
            ),
            "{err}"
        );
        let err = edited("[(\"HK\", \"CN\")]", "[(\"HK\", \"CN\"), (\"GF\", \"HK\")]").unwrap_err();
        assert!(
            err.contains("GF is counted as HK, which is itself counted"),
            "{err}"
        );
        let err = edited("[(\"HK\", \"CN\")]", "[(\"HK\", \"HK\")]").unwrap_err();
        assert!(err.contains("HK is counted as itself"), "{err}");
    }

    #[test]
    fn us_must_be_tier1() {
        let err = edited("\"GB\", \"US\"]", "\"GB\"]").unwrap_err();
        assert!(err.contains("us: US must be listed in tier1"), "{err}");
        let err = edited("us: \"US\"", "us: \"QQ\"").unwrap_err();
        assert!(err.contains("us: QQ must be listed in tier1"), "{err}");
    }

    #[test]
    fn every_parameter_has_a_citation_and_source() {
        let rs = LoadedRuleset::embedded().ruleset;
        for p in rs.parameters() {
            assert!(
                !p.provenance.cite.trim().is_empty(),
                "{} has no cite",
                p.name
            );
            assert!(
                !p.provenance.source.trim().is_empty(),
                "{} has no source",
                p.name
            );
        }
    }
}
