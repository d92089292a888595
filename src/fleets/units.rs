//! Units of purchase figures and the only conversions the app allows.
//!
//! TPP ↔ H100-equivalents uses the ruleset's `h100_tpp`. A count of H100s converts exactly (one
//! H100 is `h100_tpp` TPP, one H100e); everything else has no single TPP per unit, so asking for
//! it in TPP or H100e is an error that names the figure, never a silent guess.

use super::caps::Cap;
use super::data::Figure;
use crate::format;
use crate::rules::Ruleset;
use serde::{Deserialize, Serialize};

/// How a source counted a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FigureUnit {
    /// NVIDIA H100s (or a part with the same TPP, which the note names).
    H100Units,
    /// Hopper GPUs of mixed SKUs (H100/H200/H20): no single TPP per unit.
    HopperUnits,
    /// H100-equivalents by TPP (TPP ÷ the H100's TPP).
    H100eByTpp,
    /// H100-equivalents by FP16 throughput (Epoch's measure), not by TPP.
    H100eByFp16,
    /// "H100 equivalents" whose basis the source does not state.
    H100eUnstated,
    /// GPUs of another kind, as counted.
    Gpus,
    /// Systems, as counted.
    Systems,
    /// Chips or superchips of another kind, as counted.
    Chips,
}

impl FigureUnit {
    pub fn label(self) -> &'static str {
        match self {
            FigureUnit::H100Units => "H100 units",
            FigureUnit::HopperUnits => "Hopper units (H100/H200/H20 mix)",
            FigureUnit::H100eByTpp => "H100e by TPP",
            FigureUnit::H100eByFp16 => "H100e by FP16 throughput",
            FigureUnit::H100eUnstated => "H100e (basis not stated)",
            FigureUnit::Gpus => "GPUs as counted",
            FigureUnit::Systems => "systems as counted",
            FigureUnit::Chips => "chips as counted",
        }
    }

    pub fn family(self) -> UnitFamily {
        match self {
            FigureUnit::H100Units | FigureUnit::H100eByTpp => UnitFamily::H100,
            FigureUnit::HopperUnits => UnitFamily::Hopper,
            FigureUnit::H100eByFp16 => UnitFamily::H100eByFp16,
            FigureUnit::H100eUnstated => UnitFamily::H100eUnstated,
            FigureUnit::Gpus => UnitFamily::Gpus,
            FigureUnit::Systems => UnitFamily::Systems,
            FigureUnit::Chips => UnitFamily::Chips,
        }
    }

    /// Whether a figure in this unit can be shown in `measure` (without building the error).
    pub fn shows_in(self, measure: Measure) -> bool {
        match measure {
            Measure::Tpp | Measure::H100eByTpp => self.why_not_tpp().is_none(),
            Measure::Source(family) => self.family() == family,
        }
    }

    /// Why a figure in this unit has no TPP (`None` when it converts exactly).
    fn why_not_tpp(self) -> Option<&'static str> {
        match self {
            FigureUnit::H100Units | FigureUnit::H100eByTpp => None,
            FigureUnit::HopperUnits => Some(
                "a Hopper count mixes SKUs with different TPP (H100, H200, H20) and the mix is not reported",
            ),
            FigureUnit::H100eByFp16 => Some(
                "H100e by FP16 throughput is a different measure from TPP (which takes each chip's highest dense rate)",
            ),
            FigureUnit::H100eUnstated => {
                Some("the source does not say what its H100-equivalence is based on")
            }
            FigureUnit::Gpus | FigureUnit::Systems | FigureUnit::Chips => {
                Some("these are not H100s and no TPP per unit is recorded for them")
            }
        }
    }
}

/// Units that may share an axis in "source units" mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UnitFamily {
    /// H100 units and H100e by TPP (the caps can join: TPP ÷ H100 TPP).
    H100,
    Hopper,
    H100eByFp16,
    H100eUnstated,
    Gpus,
    Systems,
    Chips,
}

impl UnitFamily {
    pub const ALL: [UnitFamily; 7] = [
        UnitFamily::H100,
        UnitFamily::Hopper,
        UnitFamily::H100eByFp16,
        UnitFamily::H100eUnstated,
        UnitFamily::Gpus,
        UnitFamily::Systems,
        UnitFamily::Chips,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UnitFamily::H100 => "H100 units",
            UnitFamily::Hopper => "Hopper units (H100/H200/H20 mix)",
            UnitFamily::H100eByFp16 => "H100e by FP16 throughput",
            UnitFamily::H100eUnstated => "H100e, basis not stated",
            UnitFamily::Gpus => "GPUs as counted",
            UnitFamily::Systems => "systems as counted",
            UnitFamily::Chips => "chips as counted",
        }
    }
}

/// What a comparison plot's value axis measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Tpp,
    H100eByTpp,
    /// The sources' own units, one family at a time.
    Source(UnitFamily),
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Tpp => "TPP",
            Measure::H100eByTpp => "H100e by TPP",
            Measure::Source(f) => f.label(),
        }
    }
}

/// A figure that cannot be shown in the requested unit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{figure} ({figure_id}) is counted in {unit}; it cannot be shown in {target}: {reason}")]
pub struct UnitError {
    pub figure_id: String,
    pub figure: String,
    pub unit: String,
    pub target: String,
    pub reason: String,
}

/// Converts with the ruleset's H100 TPP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitConverter {
    h100_tpp: u64,
}

impl UnitConverter {
    pub fn new(ruleset: &Ruleset) -> Self {
        Self {
            // The ruleset check guarantees a positive value; max(1) keeps division safe anyway.
            h100_tpp: ruleset.h100_tpp.value.max(1),
        }
    }

    pub fn h100_tpp(&self) -> u64 {
        self.h100_tpp
    }

    pub fn h100e_from_tpp(&self, tpp: u64) -> f64 {
        tpp as f64 / self.h100_tpp as f64
    }

    /// TPP of `n` H100s (or H100e by TPP); `None` on overflow.
    pub fn tpp_from_h100(&self, n: u64) -> Option<u64> {
        n.checked_mul(self.h100_tpp)
    }

    fn refuse(f: &Figure, target: &str, reason: impl Into<String>) -> UnitError {
        UnitError {
            figure_id: f.id.clone(),
            figure: f.label.clone(),
            unit: f.unit.label().to_string(),
            target: target.to_string(),
            reason: reason.into(),
        }
    }

    /// The figure in TPP, when its unit converts exactly.
    pub fn figure_tpp(&self, f: &Figure) -> Result<u64, UnitError> {
        if let Some(why) = f.unit.why_not_tpp() {
            return Err(Self::refuse(f, "TPP", why));
        }
        self.tpp_from_h100(f.value)
            .ok_or_else(|| Self::refuse(f, "TPP", "the TPP total overflows"))
    }

    /// The figure in H100e by TPP, when its unit converts exactly.
    pub fn figure_h100e(&self, f: &Figure) -> Result<f64, UnitError> {
        match f.unit.why_not_tpp() {
            // One H100 is one H100e by definition: no rounding through TPP.
            None => Ok(f.value as f64),
            Some(why) => Err(Self::refuse(f, "H100e by TPP", why)),
        }
    }

    pub fn figure_value(&self, f: &Figure, measure: Measure) -> Result<f64, UnitError> {
        match measure {
            Measure::Tpp => self.figure_tpp(f).map(|t| t as f64),
            Measure::H100eByTpp => self.figure_h100e(f),
            Measure::Source(family) if f.unit.family() == family => Ok(f.value as f64),
            Measure::Source(family) => Err(Self::refuse(
                f,
                family.label(),
                "source units are only shown beside figures counted the same way",
            )),
        }
    }

    /// Whether caps can be shown in `measure`: TPP, H100e, or beside H100 counts.
    pub fn cap_shows_in(measure: Measure) -> bool {
        matches!(
            measure,
            Measure::Tpp | Measure::H100eByTpp | Measure::Source(UnitFamily::H100)
        )
    }

    /// A cap (TPP in the ruleset) in `measure`. In source units a cap only joins H100 counts.
    pub fn cap_value(&self, cap: &Cap, measure: Measure) -> Result<f64, UnitError> {
        match measure {
            Measure::Tpp => Ok(cap.tpp as f64),
            Measure::H100eByTpp | Measure::Source(UnitFamily::H100) => {
                Ok(self.h100e_from_tpp(cap.tpp))
            }
            Measure::Source(family) => Err(UnitError {
                figure_id: cap.id.clone(),
                figure: cap.label.clone(),
                unit: "TPP".into(),
                target: family.label().into(),
                reason: "a cap is a TPP amount, and these units have no TPP per unit".into(),
            }),
        }
    }

    /// Figures that may share one source-units axis; refuses a mix and names the first odd one.
    pub fn common_family(figures: &[&Figure]) -> Result<Option<UnitFamily>, UnitError> {
        let Some(first) = figures.first() else {
            return Ok(None);
        };
        let family = first.unit.family();
        if let Some(odd) = figures.iter().find(|f| f.unit.family() != family) {
            return Err(Self::refuse(
                odd,
                family.label(),
                format!(
                    "it would be mixed with {} ({}) on one axis",
                    first.label,
                    first.unit.label()
                ),
            ));
        }
        Ok(Some(family))
    }

    /// How a cap is derived in H100e, for tooltips: "790,000,000 TPP ÷ 15,832 TPP per H100".
    pub fn h100e_derivation(&self, tpp: u64) -> String {
        format!(
            "{} TPP ÷ {} TPP per H100",
            format::thousands(tpp),
            format::thousands(self.h100_tpp)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleets::{Fleets, caps_from_ruleset};
    use crate::rules::LoadedRuleset;
    use crate::rules::ruleset::DEFAULT_RULESET_RON;

    fn ruleset_with_h100_tpp(tpp: u64) -> Ruleset {
        let text = DEFAULT_RULESET_RON.replacen(
            "h100_tpp: (\n        value: 15832,",
            &format!("h100_tpp: (\n        value: {tpp},"),
            1,
        );
        let rs = LoadedRuleset::parse("test.ron", &text).unwrap().ruleset;
        assert_eq!(rs.h100_tpp.value, tpp, "the test edit must take effect");
        rs
    }

    #[test]
    fn h100_counts_convert_with_the_rulesets_h100_tpp() {
        let fleets = Fleets::embedded().unwrap();
        let meta = fleets.get("omdia-2023-meta").unwrap();

        let conv = UnitConverter::new(&LoadedRuleset::embedded().ruleset);
        assert_eq!(conv.figure_tpp(meta), Ok(150_000 * 15_832));
        assert_eq!(conv.figure_h100e(meta), Ok(150_000.0));

        // SemiAnalysis's 15,831: the same count gives another TPP, and caps give other H100e.
        let rs = ruleset_with_h100_tpp(15_831);
        let conv = UnitConverter::new(&rs);
        assert_eq!(conv.figure_tpp(meta), Ok(150_000 * 15_831));
        assert_eq!(conv.figure_h100e(meta), Ok(150_000.0));
        assert!((conv.h100e_from_tpp(790_000_000) - 49_902.09).abs() < 0.01);
    }

    #[test]
    fn caps_in_h100e_follow_the_ruleset() {
        let rs = LoadedRuleset::embedded().ruleset;
        let conv = UnitConverter::new(&rs);
        let caps = caps_from_ruleset(&rs).unwrap();
        let h = |id: &str| {
            let cap = caps.iter().find(|c| c.id == id).unwrap();
            conv.cap_value(cap, Measure::H100eByTpp).unwrap().round()
        };
        assert_eq!(h("cap-allocation"), 49_899.0);
        assert_eq!(h("cap-allocation-g2g"), 99_798.0);
        assert_eq!(h("cap-lpp"), 1_699.0);
        assert_eq!(h("cap-nveu-2027-12-31"), 320_000.0);
        let alloc = caps.iter().find(|c| c.id == "cap-allocation").unwrap();
        assert_eq!(conv.cap_value(alloc, Measure::Tpp), Ok(790_000_000.0));
    }

    #[test]
    fn inexact_units_are_refused_naming_figure_and_units() {
        let fleets = Fleets::embedded().unwrap();
        let conv = UnitConverter::new(&LoadedRuleset::embedded().ruleset);
        let hopper = fleets.get("omdia-2024-microsoft").unwrap();
        let err = conv.figure_tpp(hopper).unwrap_err();
        assert_eq!(err.figure_id, "omdia-2024-microsoft");
        let text = err.to_string();
        assert!(text.contains("Microsoft 2024"), "{text}");
        assert!(text.contains("Hopper units"), "{text}");
        assert!(text.contains("TPP"), "{text}");

        for id in [
            "epoch-2024-google",
            "meta-2024-h100e-statement",
            "kr-2025-blackwell",
            "gb-isambard-ai",
            "sa-humain-600k",
        ] {
            let f = fleets.get(id).unwrap();
            assert!(conv.figure_h100e(f).is_err(), "{id} must not convert");
            assert!(conv.figure_tpp(f).is_err(), "{id} must not convert");
        }
    }

    #[test]
    fn shows_in_agrees_with_the_conversions() {
        let fleets = Fleets::embedded().unwrap();
        let rs = LoadedRuleset::embedded().ruleset;
        let conv = UnitConverter::new(&rs);
        let cap = &caps_from_ruleset(&rs).unwrap()[0];
        let mut measures = vec![Measure::Tpp, Measure::H100eByTpp];
        measures.extend(UnitFamily::ALL.map(Measure::Source));
        for m in measures {
            assert_eq!(
                UnitConverter::cap_shows_in(m),
                conv.cap_value(cap, m).is_ok()
            );
            for f in &fleets.figures {
                assert_eq!(
                    f.unit.shows_in(m),
                    conv.figure_value(f, m).is_ok(),
                    "{}",
                    f.id
                );
            }
        }
    }

    #[test]
    fn mixing_units_on_one_axis_is_refused() {
        let fleets = Fleets::embedded().unwrap();
        let meta = fleets.get("omdia-2023-meta").unwrap();
        let sarvam = fleets.get("in-2025-sarvam-h100").unwrap();
        let hopper = fleets.get("omdia-2024-meta").unwrap();
        assert_eq!(
            UnitConverter::common_family(&[meta, sarvam]),
            Ok(Some(UnitFamily::H100))
        );
        let err = UnitConverter::common_family(&[meta, hopper, sarvam]).unwrap_err();
        assert_eq!(err.figure_id, "omdia-2024-meta");
        assert!(err.to_string().contains("mixed with Meta 2023"), "{err}");

        let conv = UnitConverter::new(&LoadedRuleset::embedded().ruleset);
        assert!(
            conv.figure_value(hopper, Measure::Source(UnitFamily::H100))
                .is_err()
        );
        assert_eq!(
            conv.figure_value(hopper, Measure::Source(UnitFamily::Hopper)),
            Ok(224_000.0)
        );
    }
}
