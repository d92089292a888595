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
    pub uveu_eligibility: Provenance,
    pub nveu_eligibility: Provenance,
    pub aca: Provenance,
    pub model_weights: Provenance,
    pub model_weights_policy: Provenance,
    pub open_weights: Provenance,
    pub status: Provenance,
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
    pub model_weights_threshold_ops: Param<f64>,
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

    /// Every parameter with a dotted name, for the provenance browser and the docs.
    pub fn parameters(&self) -> Vec<ParamSummary> {
        let d = &self.dates;
        let t = &self.chip_thresholds;
        let u = &self.uveu;
        let p = &self.provisions;
        let mut out = vec![
            summary(
                "dates.effective",
                &d.effective,
                d.effective.value.to_string(),
            ),
            summary(
                "dates.publication",
                &d.publication,
                d.publication.value.to_string(),
            ),
            summary(
                "dates.compliance",
                &d.compliance,
                d.compliance.value.to_string(),
            ),
            summary(
                "dates.non_enforcement_announced",
                &d.non_enforcement_announced,
                d.non_enforcement_announced.value.to_string(),
            ),
            summary(
                "dates.modelled_until",
                &d.modelled_until,
                d.modelled_until.value.to_string(),
            ),
            summary("tier1", &self.tier1, codes(&self.tier1.value)),
            summary("d5", &self.d5, codes(&self.d5.value)),
            summary(
                "tier3_extra",
                &self.tier3_extra,
                codes(&self.tier3_extra.value),
            ),
            summary(
                "counted_as",
                &self.counted_as,
                self.counted_as
                    .value
                    .iter()
                    .map(|(a, b)| format!("{a}→{b}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            summary("h100_tpp", &self.h100_tpp, self.h100_tpp.value.to_string()),
            summary("chip_thresholds.a_tpp", &t.a_tpp, t.a_tpp.value.to_string()),
            summary(
                "chip_thresholds.a_tpp_with_density",
                &t.a_tpp_with_density,
                t.a_tpp_with_density.value.to_string(),
            ),
            summary(
                "chip_thresholds.a_density",
                &t.a_density,
                t.a_density.value.to_string(),
            ),
            summary(
                "chip_thresholds.b1_tpp_min",
                &t.b1_tpp_min,
                t.b1_tpp_min.value.to_string(),
            ),
            summary(
                "chip_thresholds.b1_density_min",
                &t.b1_density_min,
                t.b1_density_min.value.to_string(),
            ),
            summary(
                "chip_thresholds.b2_tpp_min",
                &t.b2_tpp_min,
                t.b2_tpp_min.value.to_string(),
            ),
            summary(
                "chip_thresholds.b2_density_min",
                &t.b2_density_min,
                t.b2_density_min.value.to_string(),
            ),
            summary(
                "chip_thresholds.non_datacenter_tpp",
                &t.non_datacenter_tpp,
                t.non_datacenter_tpp.value.to_string(),
            ),
            summary(
                "lpp_room_tpp_per_year",
                &self.lpp_room_tpp_per_year,
                self.lpp_room_tpp_per_year.value.to_string(),
            ),
            summary(
                "country_allocation_tpp",
                &self.country_allocation_tpp,
                self.country_allocation_tpp.value.to_string(),
            ),
            summary(
                "g2g_multiplier",
                &self.g2g_multiplier,
                self.g2g_multiplier.value.to_string(),
            ),
            summary(
                "nveu_schedule",
                &self.nveu_schedule,
                self.nveu_schedule
                    .value
                    .iter()
                    .map(|s| format!("≤{}: {}", s.until, s.cumulative_tpp))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            summary(
                "uveu.min_tier1_share",
                &u.min_tier1_share,
                u.min_tier1_share.value.to_string(),
            ),
            summary(
                "uveu.max_share_per_tier2_country",
                &u.max_share_per_tier2_country,
                u.max_share_per_tier2_country.value.to_string(),
            ),
            summary(
                "uveu.min_us_share_for_us_hq",
                &u.min_us_share_for_us_hq,
                u.min_us_share_for_us_hq.value.to_string(),
            ),
            summary(
                "model_weights_threshold_ops",
                &self.model_weights_threshold_ops,
                format!("{:e}", self.model_weights_threshold_ops.value),
            ),
            summary(
                "lpp_barred_in_d1_d4",
                &self.lpp_barred_in_d1_d4,
                self.lpp_barred_in_d1_d4.value.to_string(),
            ),
        ];
        for (name, prov) in [
            ("provisions.worldwide_license", &p.worldwide_license),
            ("provisions.aia", &p.aia),
            ("provisions.lpp", &p.lpp),
            ("provisions.lpp_not_counted", &p.lpp_not_counted),
            ("provisions.headquarters", &p.headquarters),
            ("provisions.tier3_policy", &p.tier3_policy),
            ("provisions.tier2_license_policy", &p.tier2_license_policy),
            ("provisions.allocation_counting", &p.allocation_counting),
            ("provisions.uveu_eligibility", &p.uveu_eligibility),
            ("provisions.nveu_eligibility", &p.nveu_eligibility),
            ("provisions.aca", &p.aca),
            ("provisions.model_weights", &p.model_weights),
            ("provisions.model_weights_policy", &p.model_weights_policy),
            ("provisions.open_weights", &p.open_weights),
            ("provisions.status", &p.status),
        ] {
            out.push(ParamSummary {
                name: name.to_string(),
                value: String::new(),
                unit: String::new(),
                provenance: prov.clone(),
            });
        }
        out
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

fn summary<T>(name: &str, p: &Param<T>, value: String) -> ParamSummary {
    ParamSummary {
        name: name.to_string(),
        value,
        unit: p.unit.clone(),
        provenance: p.provenance(),
    }
}

fn codes(list: &[CountryCode]) -> String {
    list.iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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
