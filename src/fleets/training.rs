//! "What a cap buys": how long a fleet takes to train a model of C operations.
//!
//! Training time for C operations on N chips at utilisation u is C ÷ (N × rate × u), with the
//! chip's dense training rate from the catalogue (`ai-diffusion-rule.md` §13, "Dense training
//! rates"). A fleet is a cap spent on one chip type (N = ⌊cap TPP ÷ chip TPP⌋: whole chips within
//! the cap), a purchase figure that converts exactly to H100s, or N chips of one kind. Every result
//! carries the formula with its numbers and the assumptions behind it, so the view can show them.
//!
//! Pure domain, no egui.

use super::caps::Cap;
use super::comparison::Catalogue;
use super::data::Figure;
use super::units::{UnitConverter, UnitError};
use crate::format;
use crate::rules::chips::{Chip, ChipCatalogue, TrainingRate};
use crate::rules::{Confidence, Ruleset};
use serde::{Deserialize, Serialize};

pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// The utilisation the reference's what-if table assumes (`compute-fleets.md`).
pub const DEFAULT_UTILISATION: f64 = 0.4;
/// The chip an H100 count (or H100e by TPP) is timed on.
pub const H100_CHIP_ID: &str = "h100-sxm";
/// More chips than any fleet on record by orders of magnitude; beyond it f64 counts lose
/// whole-chip precision, so larger inputs are refused rather than silently rounded.
pub const MAX_CHIPS: u64 = 1_000_000_000_000;

/// Why a training time cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainingError {
    #[error("utilisation must be more than 0 % and at most 100 % (got {0})")]
    Utilisation(f64),
    #[error("the compute C must be a positive number of operations (got {0})")]
    Compute(f64),
    #[error(
        "{name} has no dense training rate in the chip catalogue, so its training time is not computed"
    )]
    NoRate { chip: String, name: String },
    #[error("no chip `{0}` in the catalogue")]
    UnknownChip(String),
    #[error("no cap `{0}` in the ruleset")]
    UnknownCap(String),
    #[error("no purchase figure `{0}`")]
    UnknownFigure(String),
    #[error("{0}")]
    Unit(#[from] UnitError),
    #[error("{cap} ({tpp} TPP) buys no whole {chip} ({chip_tpp} TPP each)")]
    CapBuysNone {
        cap: String,
        tpp: String,
        chip: String,
        chip_tpp: String,
    },
    #[error("the fleet must have at least one chip")]
    NoChips,
    #[error("{0} chips is more than this calculator handles (at most 10¹² chips)")]
    TooManyChips(u64),
    #[error("the result is not a finite number of days")]
    NotFinite,
}

/// Where a fleet's chip count comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FleetOrigin {
    Cap,
    Purchase,
    Chips,
}

/// A number of chips of one kind, with how the count was reached and what backs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    pub origin: FleetOrigin,
    /// Short label, e.g. "Tier 2 country cap 2025–27" or "Meta 2023".
    pub label: String,
    pub count: u64,
    pub chip: Chip,
    /// How `count` was reached, with units: "790,000,000 TPP ÷ 15,832 TPP per … = 49,898.94 → 49,898".
    pub count_derivation: String,
    /// Source of the count (ruleset citation or publisher), for tooltips.
    pub source: String,
    pub confidence: Confidence,
    /// Assumptions particular to how the count was reached.
    pub assumptions: Vec<String>,
}

impl Fleet {
    /// A cap spent entirely on one chip type: the whole chips that fit within its TPP.
    pub fn from_cap(cap: &Cap, chip: &Chip) -> Result<Self, TrainingError> {
        let chip_tpp = chip.tpp();
        let count = cap.tpp.checked_div(chip_tpp).unwrap_or(0);
        if count == 0 {
            return Err(TrainingError::CapBuysNone {
                cap: cap.label.clone(),
                tpp: format::thousands(cap.tpp),
                chip: chip.name.clone(),
                chip_tpp: format::thousands(chip_tpp),
            });
        }
        let exact = cap.tpp as f64 / chip_tpp as f64;
        let rounding = if cap.tpp.is_multiple_of(chip_tpp) {
            String::new()
        } else {
            format!(
                " = {} → {} whole chips within the cap",
                fmt_fraction(exact),
                format::thousands(count)
            )
        };
        Ok(Self {
            origin: FleetOrigin::Cap,
            label: cap.label.clone(),
            count,
            chip: chip.clone(),
            count_derivation: format!(
                "{} TPP ÷ {} TPP per {}{rounding}",
                format::thousands(cap.tpp),
                format::thousands(chip_tpp),
                chip.name,
            ),
            source: format!("ruleset {} ({})", cap.parameter, cap.provenance.cite),
            confidence: cap.provenance.confidence,
            assumptions: vec![format!(
                "The whole cap is spent on one chip type ({}), none of it on anything else.",
                chip.name
            )],
        })
    }

    /// A purchase figure that converts exactly to H100s, timed on the H100 SXM's rate.
    pub fn from_figure(
        figure: &Figure,
        converter: &UnitConverter,
        chips: &ChipCatalogue,
    ) -> Result<Self, TrainingError> {
        // The exact unit rules: H100 units and H100e by TPP convert, everything else is refused.
        let h100e = converter.figure_h100e(figure)?;
        let count = h100e as u64;
        let chip = chips
            .get(H100_CHIP_ID)
            .ok_or_else(|| TrainingError::UnknownChip(H100_CHIP_ID.into()))?;
        let mut assumptions = vec![format!(
            "The {} {} count as {} at the H100 SXM's dense rate.",
            format::thousands(figure.value),
            figure.unit.label(),
            if matches!(figure.unit, super::FigureUnit::H100eByTpp) {
                "H100-equivalents by TPP, timed"
            } else {
                "H100s, timed"
            },
        )];
        if !figure.chip.is_empty() && !figure.chip.eq_ignore_ascii_case("H100") {
            assumptions.push(format!(
                "The source counted {} (same TPP as the H100); they are timed at the H100 SXM's rate.",
                figure.chip
            ));
        }
        if figure.approx {
            assumptions.push(format!(
                "The source gives an approximate figure (~{}).",
                format::thousands(figure.value)
            ));
        }
        Ok(Self {
            origin: FleetOrigin::Purchase,
            label: figure.label.clone(),
            count,
            chip: chip.clone(),
            count_derivation: format!(
                "{} {} ({})",
                format::thousands(figure.value),
                figure.unit.label(),
                figure.what
            ),
            source: format!(
                "{} ({})",
                figure.source.publisher,
                figure.source.quality.label()
            ),
            confidence: figure.confidence,
            assumptions,
        })
    }

    /// N chips of one kind.
    pub fn of_chips(count: u64, chip: &Chip) -> Self {
        Self {
            origin: FleetOrigin::Chips,
            label: format!("{} × {}", format::thousands(count), chip.name),
            count,
            chip: chip.clone(),
            count_derivation: format!("{} {} (entered)", format::thousands(count), chip.name),
            source: "entered by the user".into(),
            confidence: chip
                .training_rate
                .as_ref()
                .map_or(chip.confidence, |r| r.confidence),
            assumptions: Vec::new(),
        }
    }
}

/// The result: days, the formula with its numbers, and every assumption behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingTime {
    pub fleet: Fleet,
    pub compute_ops: f64,
    pub utilisation: f64,
    pub rate: TrainingRate,
    pub seconds: f64,
    pub days: f64,
    /// "C ÷ (N × rate × u)".
    pub formula: String,
    /// The formula with the numbers filled in and its result.
    pub worked: String,
    pub assumptions: Vec<String>,
}

/// Checks C and u (the same checks for one result and for a whole comparison).
pub fn check_inputs(compute_ops: f64, utilisation: f64) -> Result<(), TrainingError> {
    if !(utilisation.is_finite() && utilisation > 0.0 && utilisation <= 1.0) {
        return Err(TrainingError::Utilisation(utilisation));
    }
    if !(compute_ops.is_finite() && compute_ops > 0.0) {
        return Err(TrainingError::Compute(compute_ops));
    }
    Ok(())
}

/// Days for `fleet` to perform `compute_ops` dense operations at `utilisation` (0 < u ≤ 1).
pub fn training_time(
    fleet: &Fleet,
    compute_ops: f64,
    utilisation: f64,
) -> Result<TrainingTime, TrainingError> {
    check_inputs(compute_ops, utilisation)?;
    let rate = fleet
        .chip
        .training_rate
        .clone()
        .ok_or_else(|| TrainingError::NoRate {
            chip: fleet.chip.id.clone(),
            name: fleet.chip.name.clone(),
        })?;
    if fleet.count == 0 {
        return Err(TrainingError::NoChips);
    }
    if fleet.count > MAX_CHIPS {
        return Err(TrainingError::TooManyChips(fleet.count));
    }
    let ops_per_second = fleet.count as f64 * rate.tflops * 1e12 * utilisation;
    let seconds = compute_ops / ops_per_second;
    let days = seconds / SECONDS_PER_DAY;
    if !(days.is_finite() && days > 0.0) {
        return Err(TrainingError::NotFinite);
    }
    let worked = format!(
        "{} FLOP ÷ ({} × {} TFLOP/s × {}) = {} s ÷ 86,400 s/day ≈ {}",
        fmt_ops(compute_ops),
        format::thousands(fleet.count),
        fmt_fraction(rate.tflops),
        fmt_percent(utilisation),
        fmt_ops(seconds),
        fmt_days(days),
    );
    let mut assumptions = vec![
        format!(
            "{}: {} TFLOP/s dense {} (no sparsity), from {} [{}].",
            fleet.chip.name,
            fmt_fraction(rate.tflops),
            rate.format,
            rate.source,
            rate.confidence.label()
        ),
        format!(
            "Utilisation {}: the share of that peak rate the run sustains end to end.",
            fmt_percent(utilisation)
        ),
    ];
    assumptions.extend(fleet.assumptions.iter().cloned());
    assumptions.push(
        "Every chip works on this one run for its whole length: no failures, restarts or other jobs."
            .into(),
    );
    Ok(TrainingTime {
        fleet: fleet.clone(),
        compute_ops,
        utilisation,
        rate,
        seconds,
        days,
        formula: "days = C ÷ (N × rate × u) ÷ 86,400 s/day".into(),
        worked,
        assumptions,
    })
}

/// Dense operations `fleet` performs in `days` at `utilisation` ("FLOP in 90 days").
pub fn ops_in_days(fleet: &Fleet, days: f64, utilisation: f64) -> Result<f64, TrainingError> {
    check_inputs(1.0, utilisation)?;
    let rate = fleet
        .chip
        .training_rate
        .as_ref()
        .ok_or_else(|| TrainingError::NoRate {
            chip: fleet.chip.id.clone(),
            name: fleet.chip.name.clone(),
        })?;
    let ops = fleet.count as f64 * rate.tflops * 1e12 * utilisation * days * SECONDS_PER_DAY;
    if ops.is_finite() && ops >= 0.0 {
        Ok(ops)
    } else {
        Err(TrainingError::NotFinite)
    }
}

/// The 4E091 threshold, the default compute C.
pub fn default_compute_ops(ruleset: &Ruleset) -> f64 {
    ruleset.model_weights_threshold_ops.value
}

/// One bar of the comparison: a cap or purchase and its days to train.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareBar {
    pub id: String,
    pub time: TrainingTime,
}

/// A selected cap or purchase the comparison cannot time, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSkip {
    pub id: String,
    pub label: String,
    pub reason: String,
}

/// Days to train for every cap (each spent on `cap_chip`) and the given purchase figures,
/// fastest first. Entries that cannot be timed are listed with the reason.
pub fn compare(
    catalogue: &Catalogue,
    chips: &ChipCatalogue,
    cap_chip: &Chip,
    figure_ids: &[String],
    compute_ops: f64,
    utilisation: f64,
) -> Result<(Vec<CompareBar>, Vec<CompareSkip>), TrainingError> {
    check_inputs(compute_ops, utilisation)?;
    let mut bars = Vec::new();
    let mut skipped = Vec::new();
    let caps = catalogue
        .caps
        .iter()
        .map(|c| (c.id.clone(), c.label.clone(), Fleet::from_cap(c, cap_chip)));
    let figures = figure_ids.iter().map(|id| match catalogue.fleets.get(id) {
        Some(f) => (
            id.clone(),
            f.label.clone(),
            Fleet::from_figure(f, &catalogue.converter, chips),
        ),
        None => (
            id.clone(),
            id.clone(),
            Err(TrainingError::UnknownFigure(id.clone())),
        ),
    });
    for (id, label, fleet) in caps.chain(figures) {
        match fleet.and_then(|f| training_time(&f, compute_ops, utilisation)) {
            Ok(time) => bars.push(CompareBar { id, time }),
            Err(e) => skipped.push(CompareSkip {
                id,
                label,
                reason: e.to_string(),
            }),
        }
    }
    bars.sort_by(|a, b| a.time.days.total_cmp(&b.time.days));
    Ok((bars, skipped))
}

/// Which kind of fleet the calculator times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum FleetKind {
    /// A cap of the rule spent on one chip type.
    #[default]
    Cap,
    /// A purchase figure from the fleets data.
    Purchase,
    /// N chips of one kind.
    Chips,
}

impl FleetKind {
    pub const ALL: [FleetKind; 3] = [FleetKind::Cap, FleetKind::Purchase, FleetKind::Chips];

    pub fn label(self) -> &'static str {
        match self {
            FleetKind::Cap => "A cap in the rule",
            FleetKind::Purchase => "A published purchase",
            FleetKind::Chips => "N chips",
        }
    }
}

/// The calculator's inputs, saved with the session's view state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalculatorSettings {
    pub fleet: FleetKind,
    /// The cap for `FleetKind::Cap` (a `cap-…` id from the ruleset).
    pub cap_id: String,
    /// The purchase figure for `FleetKind::Purchase`.
    pub figure_id: String,
    /// The chip a cap is spent on, and the chip of `FleetKind::Chips`.
    pub chip_id: String,
    /// N for `FleetKind::Chips`.
    pub chip_count: u64,
    /// C in operations; `None` follows the ruleset's 4E091 threshold.
    pub compute_ops: Option<f64>,
    /// u, 0 < u ≤ 1.
    pub utilisation: f64,
    /// Purchase figures shown beside every cap in the comparison chart.
    pub compare_figures: Vec<String>,
    pub log_scale: bool,
}

impl Default for CalculatorSettings {
    fn default() -> Self {
        Self {
            fleet: FleetKind::Cap,
            cap_id: "cap-allocation".into(),
            figure_id: "omdia-2023-meta".into(),
            chip_id: H100_CHIP_ID.into(),
            chip_count: 50_000,
            compute_ops: None,
            utilisation: DEFAULT_UTILISATION,
            compare_figures: [
                "omdia-2023-meta",
                "xai-colossus-2024",
                "meta-2024-h100-statement",
                "omdia-2023-google",
                "in-2025-sarvam-h100",
            ]
            .map(String::from)
            .to_vec(),
            log_scale: true,
        }
    }
}

impl CalculatorSettings {
    /// C: the stored value, or the ruleset's 4E091 threshold.
    pub fn compute_ops(&self, ruleset: &Ruleset) -> f64 {
        self.compute_ops
            .unwrap_or_else(|| default_compute_ops(ruleset))
    }

    /// The chip caps are spent on (and N chips are of).
    pub fn chip<'c>(&self, chips: &'c ChipCatalogue) -> Result<&'c Chip, TrainingError> {
        chips
            .get(&self.chip_id)
            .ok_or_else(|| TrainingError::UnknownChip(self.chip_id.clone()))
    }

    /// The fleet the settings describe.
    pub fn fleet(
        &self,
        catalogue: &Catalogue,
        chips: &ChipCatalogue,
    ) -> Result<Fleet, TrainingError> {
        match self.fleet {
            FleetKind::Cap => {
                let cap = catalogue
                    .caps
                    .iter()
                    .find(|c| c.id == self.cap_id)
                    .ok_or_else(|| TrainingError::UnknownCap(self.cap_id.clone()))?;
                Fleet::from_cap(cap, self.chip(chips)?)
            }
            FleetKind::Purchase => {
                let f = catalogue
                    .fleets
                    .get(&self.figure_id)
                    .ok_or_else(|| TrainingError::UnknownFigure(self.figure_id.clone()))?;
                Fleet::from_figure(f, &catalogue.converter, chips)
            }
            FleetKind::Chips => Ok(Fleet::of_chips(self.chip_count, self.chip(chips)?)),
        }
    }

    /// The training time the settings describe.
    pub fn result(
        &self,
        catalogue: &Catalogue,
        chips: &ChipCatalogue,
        ruleset: &Ruleset,
    ) -> Result<TrainingTime, TrainingError> {
        let fleet = self.fleet(catalogue, chips)?;
        training_time(&fleet, self.compute_ops(ruleset), self.utilisation)
    }
}

/// Parses C as typed: "1e26", "2.1e25", "1.5 × 10^26", "100000000000000000000000000".
pub fn parse_ops(text: &str) -> Result<f64, TrainingError> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let t = t
        .replace("×10^", "e")
        .replace("x10^", "e")
        .replace("*10^", "e");
    let t = t
        .strip_prefix("10^")
        .map_or(t.clone(), |exp| format!("1e{exp}"));
    let v: f64 = t.parse().map_err(|_| TrainingError::Compute(f64::NAN))?;
    check_inputs(v, 1.0).map(|()| v)
}

/// 1e26 → "1e26", 2.1e25 → "2.1e25", 5065846.2 → "5.07e6".
pub fn fmt_ops(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return format!("{v}");
    }
    let exp = v.abs().log10().floor() as i32;
    let mantissa = v / 10f64.powi(exp);
    // Rounding can carry into the next decade (9.996e5 → "10e5"): renormalise.
    let (mantissa, exp) = if (mantissa * 100.0).round() / 100.0 >= 10.0 {
        (mantissa / 10.0, exp + 1)
    } else {
        (mantissa, exp)
    };
    let m = format!("{mantissa:.2}");
    let m = m.trim_end_matches('0').trim_end_matches('.');
    format!("{m}e{exp}")
}

/// 0.4 → "40 %", 0.355 → "35.5 %".
pub fn fmt_percent(u: f64) -> String {
    let p = format!("{:.1}", u * 100.0);
    format!("{} %", p.trim_end_matches('0').trim_end_matches('.'))
}

/// 989.0 → "989", 49898.9388 → "49,898.94".
pub fn fmt_fraction(v: f64) -> String {
    let whole = v.trunc();
    let frac = v - whole;
    let cents = (frac * 100.0).round() as u64;
    if cents == 0 {
        format::thousands(whole.max(0.0) as u64)
    } else if cents == 100 {
        format::thousands(whole.max(0.0) as u64 + 1)
    } else {
        let s = format!("{}.{cents:02}", format::thousands(whole.max(0.0) as u64));
        s.trim_end_matches('0').to_string()
    }
}

/// 58.63 → "58.6 days", 1722.0 → "1,722 days (4.7 years)", 0.25 → "6.0 hours".
pub fn fmt_days(days: f64) -> String {
    if days < 1.0 {
        return format!("{:.1} hours", days * 24.0);
    }
    let d = if days < 100.0 {
        format!("{days:.1} days")
    } else {
        format!("{} days", format::thousands(days.round() as u64))
    };
    if days >= 365.0 {
        format!("{d} ({:.1} years)", days / 365.25)
    } else {
        d
    }
}

#[cfg(test)]
mod tests;
