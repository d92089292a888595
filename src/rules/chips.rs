//! The chip catalogue and the 3A090 classification computed from each chip's numbers.

use super::data_file::{DataError, parse_ron};
use super::provenance::Confidence;
use super::ruleset::ChipThresholds;
use serde::{Deserialize, Serialize};

pub const DEFAULT_CHIPS_RON: &str = include_str!("../../assets/chips.ron");

/// One chip: the datasheet numbers the TPP is computed from, and where they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chip {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// Dense (not sparse) rate in TFLOPS or TOPS for the format giving the highest TPP.
    pub dense_rate: f64,
    /// Format of `dense_rate`, e.g. "FP8", "BF16", "INT8".
    pub format: String,
    /// Input bit length of that format.
    pub bit_length: u32,
    /// Applicable (non-planar logic) die area; `None` when not disclosed.
    pub die_area_mm2: Option<f64>,
    /// Designed or marketed for datacenters.
    pub datacenter: bool,
    /// False for reference-only parts that are not U.S.-origin items (they cannot be ordered).
    #[serde(default = "yes")]
    pub orderable: bool,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub note: String,
    /// What one unit of this item is, where it is not obvious (GB200: one GPU, not a superchip).
    #[serde(default)]
    pub unit_note: String,
    /// Dense training throughput, for "what a cap buys"; `None` where the reference states none
    /// (never estimated from the TPP).
    #[serde(default)]
    pub training_rate: Option<TrainingRate>,
}

/// A chip's dense (no sparsity) training throughput, with where the figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRate {
    /// Dense TFLOPS in `format`.
    pub tflops: f64,
    /// Number format of the rate, e.g. "BF16".
    pub format: String,
    pub source: String,
    pub confidence: Confidence,
}

fn yes() -> bool {
    true
}

impl Chip {
    /// TPP = dense rate × bit length (3A090 Technical Note), rounded to a whole TPP.
    pub fn tpp(&self) -> u64 {
        (self.dense_rate * f64::from(self.bit_length)).round() as u64
    }

    /// Performance density = TPP ÷ applicable die area, when the area is known.
    pub fn performance_density(&self) -> Option<f64> {
        self.die_area_mm2
            .filter(|a| *a > 0.0)
            .map(|a| self.tpp() as f64 / a)
    }

    pub fn classify(&self, t: &ChipThresholds) -> ChipClass {
        classify(self.tpp(), self.performance_density(), self.datacenter, t)
    }
}

/// Where a chip falls under ECCN 3A090 and this rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChipClass {
    /// 3A090.a: under the worldwide licence requirement and the rule's caps.
    A090a,
    /// 3A090.a through performance density alone (TPP below the TPP-only threshold).
    A090aByDensity,
    /// 3A090.a by the numbers, but with unknown die area, so density could not be checked.
    A090aDensityUnknown,
    /// A non-datacenter part at or above the threshold: License Exception NAC/ACA.
    AcaNonDatacenter,
    /// 3A090.b: controlled elsewhere in the EAR, not by this rule's caps.
    A090b,
    /// Below every threshold (or a non-datacenter part below the ACA threshold).
    NotControlled,
}

impl ChipClass {
    /// Whether this class is 3A090.a under the rule's worldwide licence and caps.
    pub fn is_advanced(self) -> bool {
        matches!(
            self,
            ChipClass::A090a | ChipClass::A090aByDensity | ChipClass::A090aDensityUnknown
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            ChipClass::A090a => "3A090.a",
            ChipClass::A090aByDensity => "3A090.a (by performance density)",
            ChipClass::A090aDensityUnknown => "3A090.a (density unknown)",
            ChipClass::AcaNonDatacenter => "3A090.a, non-datacenter (NAC/ACA)",
            ChipClass::A090b => "3A090.b",
            ChipClass::NotControlled => "not controlled by this rule",
        }
    }
}

/// The 3A090 test and its Note, on TPP, density (if known) and the datacenter flag.
pub fn classify(tpp: u64, density: Option<f64>, datacenter: bool, t: &ChipThresholds) -> ChipClass {
    let a_by_tpp = tpp >= t.a_tpp.value;
    if !datacenter {
        return if tpp >= t.non_datacenter_tpp.value {
            ChipClass::AcaNonDatacenter
        } else {
            ChipClass::NotControlled
        };
    }
    if a_by_tpp {
        return ChipClass::A090a;
    }
    match density {
        Some(pd) => {
            if tpp >= t.a_tpp_with_density.value && pd >= t.a_density.value {
                ChipClass::A090aByDensity
            } else if (tpp >= t.b1_tpp_min.value
                && pd >= t.b1_density_min.value
                && pd < t.a_density.value)
                || (tpp >= t.b2_tpp_min.value
                    && pd >= t.b2_density_min.value
                    && pd < t.a_density.value)
            {
                ChipClass::A090b
            } else {
                ChipClass::NotControlled
            }
        }
        // Without a die area the density prong cannot be excluded: stay on the controlled side.
        None if tpp >= t.a_tpp_with_density.value => ChipClass::A090aDensityUnknown,
        None => ChipClass::NotControlled,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChipCatalogue {
    pub chips: Vec<Chip>,
}

impl ChipCatalogue {
    pub fn embedded() -> Self {
        Self::parse("assets/chips.ron", DEFAULT_CHIPS_RON)
            .expect("the embedded catalogue is checked by tests")
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let cat: ChipCatalogue = parse_ron(file, text)?;
        for (i, c) in cat.chips.iter().enumerate() {
            let bad = |m: &str| DataError::Invalid {
                file: file.to_string(),
                message: format!("chips[{i}] ({}): {m}", c.id),
            };
            if c.id.trim().is_empty() || c.id == "model-weights" {
                return Err(bad("id: must be non-empty and not `model-weights`"));
            }
            if !(c.dense_rate.is_finite() && c.dense_rate > 0.0) {
                return Err(bad("dense_rate: must be a positive number"));
            }
            if c.bit_length == 0 {
                return Err(bad("bit_length: must be positive"));
            }
            if c.source.trim().is_empty() {
                return Err(bad("source: every chip needs a source"));
            }
            if let Some(r) = &c.training_rate {
                if !(r.tflops.is_finite() && r.tflops > 0.0) {
                    return Err(bad("training_rate.tflops: must be a positive number"));
                }
                if r.source.trim().is_empty() || r.format.trim().is_empty() {
                    return Err(bad("training_rate: needs a format and a source"));
                }
            }
            if cat.chips[..i].iter().any(|o| o.id == c.id) {
                return Err(bad("id: duplicate"));
            }
        }
        Ok(cat)
    }

    pub fn get(&self, id: &str) -> Option<&Chip> {
        self.chips
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(id.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::LoadedRuleset;

    fn setup() -> (ChipCatalogue, ChipThresholds) {
        (
            ChipCatalogue::embedded(),
            LoadedRuleset::embedded().ruleset.chip_thresholds,
        )
    }

    /// §13: TPP computed from dense datasheet figures matches the reference table.
    #[test]
    fn tpp_matches_reference_table() {
        let (cat, _) = setup();
        for (id, tpp) in [
            ("h100-sxm", 15_832),
            ("h100-pcie", 12_104),
            ("h200", 15_832),
            ("h20", 2_368),
            ("a100", 4_992),
            ("b200", 36_000),
            ("l40s", 5_864),
            ("rtx-4090", 5_285),
            ("mi300x", 20_919),
            ("gaudi3", 29_360),
        ] {
            assert_eq!(
                cat.get(id).unwrap_or_else(|| panic!("{id}")).tpp(),
                tpp,
                "{id}"
            );
        }
    }

    /// ECCN 3A090 and its Note: classification is computed, never stored.
    #[test]
    fn classification_follows_3a090() {
        let (cat, t) = setup();
        let class = |id: &str| cat.get(id).unwrap().classify(&t);
        assert_eq!(class("h100-sxm"), ChipClass::A090a);
        assert_eq!(class("a100"), ChipClass::A090a);
        assert_eq!(class("l40s"), ChipClass::A090a);
        // H20: TPP 2,368 < 2,400 (b.1) and PD 2.91 < 3.2 (b.2): below every prong (Discrepancies #9).
        assert_eq!(class("h20"), ChipClass::NotControlled);
        assert_eq!(class("rtx-4090"), ChipClass::AcaNonDatacenter);
    }

    #[test]
    fn density_prong_and_b_prongs() {
        let (_, t) = setup();
        assert_eq!(
            classify(2000, Some(6.0), true, &t),
            ChipClass::A090aByDensity
        );
        assert_eq!(classify(2500, Some(2.0), true, &t), ChipClass::A090b);
        assert_eq!(classify(1700, Some(3.5), true, &t), ChipClass::A090b);
        assert_eq!(
            classify(1700, Some(1.0), true, &t),
            ChipClass::NotControlled
        );
        assert_eq!(
            classify(4000, None, true, &t),
            ChipClass::A090aDensityUnknown
        );
        assert_eq!(
            classify(4000, Some(9.0), false, &t),
            ChipClass::NotControlled
        );
    }

    #[test]
    fn every_chip_has_a_source() {
        let (cat, _) = setup();
        assert!(cat.chips.len() >= 15);
        assert!(cat.chips.iter().all(|c| !c.source.is_empty()));
    }

    /// §13 "Dense training rates": exactly the parts the reference gives a rate, with its figure.
    #[test]
    fn training_rates_match_the_reference() {
        let (cat, _) = setup();
        let expected = [
            ("h100-sxm", 989.0),
            ("h200", 989.0),
            ("h100-pcie", 756.0),
            ("a100", 312.0),
            ("b200", 2_250.0),
            ("gb200", 2_500.0),
            ("mi300x", 1_307.0),
            ("mi325x", 1_307.0),
            ("l40s", 362.0),
            ("h20", 148.0),
            ("gaudi3", 1_835.0),
            ("tpu-v5p", 459.0),
        ];
        for c in &cat.chips {
            let want = expected.iter().find(|(id, _)| *id == c.id).map(|(_, r)| *r);
            let got = c.training_rate.as_ref().map(|r| r.tflops);
            assert_eq!(got, want, "{}", c.id);
            if let Some(r) = &c.training_rate {
                assert_eq!(r.format, "BF16", "{}", c.id);
                assert_eq!(r.confidence, Confidence::Secondary, "{}", c.id);
                assert!(r.source.contains("§13"), "{}", c.id);
            }
        }
        let bad = DEFAULT_CHIPS_RON.replacen("tflops: 989,", "tflops: 0,", 1);
        let err = ChipCatalogue::parse("chips.ron", &bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("training_rate.tflops"), "{err}");
    }

    #[test]
    fn bad_catalogue_names_the_chip_and_field() {
        let text = DEFAULT_CHIPS_RON.replacen("bit_length: 8", "bit_length: 0", 1);
        let err = ChipCatalogue::parse("chips.ron", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("bit_length"), "{err}");
    }
}
