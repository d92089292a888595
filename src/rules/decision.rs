//! What the engine says of one order: verdict, authority, what it draws, and cited findings.

use super::chips::ChipClass;
use super::countries::{Tier, TierReason};
use super::ruleset::Basis;
use super::{CountryCode, Engine};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NotControlled,
    Authorized,
    LicenseRequired,
    PresumptionOfDenial,
    Invalid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotControlled => "not_controlled",
            Verdict::Authorized => "authorized",
            Verdict::LicenseRequired => "license_required",
            Verdict::PresumptionOfDenial => "presumption_of_denial",
            Verdict::Invalid => "invalid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::NotControlled => "Not controlled",
            Verdict::Authorized => "Authorized",
            Verdict::LicenseRequired => "License required",
            Verdict::PresumptionOfDenial => "Presumption of denial",
            Verdict::Invalid => "Invalid",
        }
    }

    pub const ALL: [Verdict; 5] = [
        Verdict::NotControlled,
        Verdict::Authorized,
        Verdict::LicenseRequired,
        Verdict::PresumptionOfDenial,
        Verdict::Invalid,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Authority {
    #[serde(rename = "AIA")]
    Aia,
    #[serde(rename = "LPP")]
    Lpp,
    #[serde(rename = "UVEU")]
    Uveu,
    #[serde(rename = "NVEU")]
    Nveu,
    #[serde(rename = "ACA")]
    Aca,
    #[serde(rename = "none")]
    None,
}

impl Authority {
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Aia => "AIA",
            Authority::Lpp => "LPP",
            Authority::Uveu => "UVEU",
            Authority::Nveu => "NVEU",
            Authority::Aca => "ACA",
            Authority::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Eccn {
    #[serde(rename = "3A090.a")]
    A3A090a,
    #[serde(rename = "3A090.b")]
    A3A090b,
    #[serde(rename = "4E091")]
    E4E091,
}

impl Eccn {
    pub fn as_str(self) -> &'static str {
        match self {
            Eccn::A3A090a => "3A090.a",
            Eccn::A3A090b => "3A090.b",
            Eccn::E4E091 => "4E091",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context: how the order was read.
    Info,
    /// A check that passed.
    Pass,
    /// A route that does not hold, or a value to treat with care.
    Warning,
    /// What stops the order.
    Deny,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Pass => "pass",
            Severity::Warning => "warning",
            Severity::Deny => "deny",
        }
    }
}

/// Which running total an order draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LedgerKind {
    /// The consignee's LPP room for a calendar year.
    Lpp { year: i16 },
    /// The destination's 2025–2027 allocation.
    CountryAllocation { country: CountryCode },
    /// The NVEU's installed base in the destination against the phase-in schedule.
    Nveu { country: CountryCode },
    /// The UVEU's installed base (no cap of its own; distribution limits apply).
    Uveu { country: CountryCode },
}

/// What an order takes from a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub ledger: LedgerKind,
    /// The cap in force (TPP); `None` for a ledger without a cap (UVEU).
    pub limit: Option<u64>,
    /// Used before this order (TPP).
    pub used_before: u64,
    /// Taken by this order (TPP).
    pub amount: u64,
}

impl Draw {
    pub fn remaining_before(&self) -> Option<u64> {
        self.limit.map(|l| l.saturating_sub(self.used_before))
    }

    pub fn remaining_after(&self) -> Option<u64> {
        self.limit
            .map(|l| l.saturating_sub(self.used_before.saturating_add(self.amount)))
    }
}

/// The UVEU distribution limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UveuLimit {
    Tier1Share,
    Tier2CountryShare,
    UsShare,
}

/// One step of the engine's reasoning. The payload keeps evaluation allocation-free; the text is
/// rendered on demand by [`Finding::message`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum FindingCode {
    DestinationTier {
        country: CountryCode,
        tier: Tier,
        reason: TierReasonTag,
    },
    EntityHeadquarters {
        hq: CountryCode,
        tier: Tier,
        via_parent: bool,
    },
    ChipClassified {
        class: ChipClass,
        tpp_per_unit: u64,
    },
    DensityUnknown,
    ChipOutsideRule {
        class: ChipClass,
    },
    WorldwideLicense,
    BeforeComplianceDate,
    NonEnforcement,
    Tier3Destination,
    Tier3Headquarters {
        hq: CountryCode,
    },
    AiaApplies,
    AiaHeadquartersOutsideTier1 {
        hq: CountryCode,
    },
    LppFits {
        year: i16,
        remaining_before: u64,
        remaining_after: u64,
    },
    LppNoRoom {
        year: i16,
        remaining: u64,
        needed: u64,
    },
    LppOpenQuestionD1D4,
    LppBarredD1D4,
    LppNotCounted,
    UveuApplies,
    UveuHeadquartersNotTier1 {
        hq: CountryCode,
    },
    UveuInstalledBaseUnknown,
    UveuSharesHold {
        tier1_share: f64,
        country_share: f64,
    },
    UveuShareBreached {
        limit: UveuLimit,
        share: f64,
    },
    NveuWithinSchedule {
        limit: u64,
        used_after: u64,
    },
    NveuExceedsSchedule {
        limit: u64,
        used_before: u64,
        needed: u64,
    },
    VeuNotCounted,
    AllocationFits {
        limit: u64,
        remaining_before: u64,
        remaining_after: u64,
    },
    AllocationExceeded {
        remaining: u64,
        needed: u64,
    },
    G2gDoubled,
    Tier2ReviewPolicyUnconfirmed,
    Tier1NoAllocation,
    AcaApplies,
    WeightsControlled {
        ops: f64,
    },
    WeightsOpen,
    WeightsBelowThreshold {
        ops: f64,
    },
    WeightsAia,
    WeightsLicenseInTier1,
    WeightsDenial,
}

/// A serialisable copy of [`TierReason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierReasonTag {
    Supp5a,
    D5,
    NamedBesideD5,
    CountedAs(CountryCode),
    Residual,
}

impl From<TierReason> for TierReasonTag {
    fn from(r: TierReason) -> Self {
        match r {
            TierReason::Supp5a => Self::Supp5a,
            TierReason::D5 => Self::D5,
            TierReason::NamedBesideD5 => Self::NamedBesideD5,
            TierReason::CountedAs(c) => Self::CountedAs(c),
            TierReason::Residual => Self::Residual,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub tier: Tier,
    pub verdict: Verdict,
    pub authority: Authority,
    pub eccn: Option<Eccn>,
    pub tpp: u64,
    pub draw: Option<Draw>,
    pub counts_against_allocation: bool,
    /// The destination's allocation left after this order; `None` where there is no allocation.
    pub allocation_remaining_tpp: Option<u64>,
    pub findings: Vec<Finding>,
}

/// Formats a TPP figure compactly for messages.
///
/// ```
/// use diffusion_desk::rules::decision::fmt_tpp;
/// assert_eq!(fmt_tpp(26_900_000), "26.9M");
/// assert_eq!(fmt_tpp(790_000_000), "790M");
/// assert_eq!(fmt_tpp(1_580_000_000), "1.58B");
/// assert_eq!(fmt_tpp(15_832), "15,832");
/// ```
pub fn fmt_tpp(tpp: u64) -> String {
    let v = tpp as f64;
    if tpp >= 1_000_000_000 {
        format!("{}B", trim_decimals(v / 1e9))
    } else if tpp >= 1_000_000 {
        format!("{}M", trim_decimals(v / 1e6))
    } else {
        group_thousands(tpp)
    }
}

fn trim_decimals(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// 1234567 → "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

impl Finding {
    /// A stable machine code, e.g. `LPP_FITS`.
    pub fn code_str(&self) -> &'static str {
        use FindingCode::*;
        match self.code {
            DestinationTier { .. } => "DESTINATION_TIER",
            EntityHeadquarters { .. } => "ENTITY_HQ",
            ChipClassified { .. } => "CHIP_CLASS",
            DensityUnknown => "DENSITY_UNKNOWN",
            ChipOutsideRule { .. } => "OUTSIDE_RULE",
            WorldwideLicense => "WORLDWIDE_LICENSE",
            BeforeComplianceDate => "BEFORE_COMPLIANCE_DATE",
            NonEnforcement => "NON_ENFORCEMENT",
            Tier3Destination => "TIER3_DESTINATION",
            Tier3Headquarters { .. } => "TIER3_HQ",
            AiaApplies => "AIA_APPLIES",
            AiaHeadquartersOutsideTier1 { .. } => "AIA_HQ_OUTSIDE_TIER1",
            LppFits { .. } => "LPP_FITS",
            LppNoRoom { .. } => "LPP_NO_ROOM",
            LppOpenQuestionD1D4 => "LPP_D1_D4_OPEN_QUESTION",
            LppBarredD1D4 => "LPP_BARRED_D1_D4",
            LppNotCounted => "LPP_NOT_COUNTED",
            UveuApplies => "UVEU_APPLIES",
            UveuHeadquartersNotTier1 { .. } => "UVEU_HQ_NOT_TIER1",
            UveuInstalledBaseUnknown => "UVEU_BASE_UNKNOWN",
            UveuSharesHold { .. } => "UVEU_SHARES_HOLD",
            UveuShareBreached { .. } => "UVEU_SHARE_BREACHED",
            NveuWithinSchedule { .. } => "NVEU_WITHIN_SCHEDULE",
            NveuExceedsSchedule { .. } => "NVEU_EXCEEDS_SCHEDULE",
            VeuNotCounted => "VEU_NOT_COUNTED",
            AllocationFits { .. } => "ALLOCATION_FITS",
            AllocationExceeded { .. } => "ALLOCATION_EXCEEDED",
            G2gDoubled => "G2G_DOUBLED",
            Tier2ReviewPolicyUnconfirmed => "TIER2_REVIEW_POLICY",
            Tier1NoAllocation => "TIER1_NO_ALLOCATION",
            AcaApplies => "ACA_APPLIES",
            WeightsControlled { .. } => "WEIGHTS_4E091",
            WeightsOpen => "WEIGHTS_OPEN",
            WeightsBelowThreshold { .. } => "WEIGHTS_BELOW_THRESHOLD",
            WeightsAia => "WEIGHTS_AIA",
            WeightsLicenseInTier1 => "WEIGHTS_LICENSE_TIER1",
            WeightsDenial => "WEIGHTS_DENIAL",
        }
    }

    /// The ruleset value or provision this finding rests on: its citation and confidence.
    pub fn basis<'a>(&self, engine: &'a Engine) -> Basis<'a> {
        use FindingCode::*;
        let rs = engine.ruleset();
        let p = &rs.provisions;
        match self.code {
            DestinationTier { reason, .. } => match reason {
                TierReasonTag::Supp5a | TierReasonTag::Residual => (&rs.tier1).into(),
                TierReasonTag::D5 => (&rs.d5).into(),
                TierReasonTag::NamedBesideD5 => (&rs.tier3_extra).into(),
                TierReasonTag::CountedAs(_) => (&rs.counted_as).into(),
            },
            EntityHeadquarters { .. } | Tier3Headquarters { .. } => (&p.headquarters).into(),
            ChipClassified { class, .. } | ChipOutsideRule { class } => match class {
                ChipClass::AcaNonDatacenter => (&rs.chip_thresholds.non_datacenter_tpp).into(),
                ChipClass::A090b => (&rs.chip_thresholds.b1_tpp_min).into(),
                _ => (&rs.chip_thresholds.a_tpp).into(),
            },
            DensityUnknown => (&rs.chip_thresholds.a_density).into(),
            WorldwideLicense => (&p.worldwide_license).into(),
            BeforeComplianceDate => (&rs.dates.compliance).into(),
            NonEnforcement => (&p.status).into(),
            Tier3Destination => (&p.tier3_policy).into(),
            AiaApplies | AiaHeadquartersOutsideTier1 { .. } => (&p.aia).into(),
            LppFits { .. } | LppNoRoom { .. } => (&rs.lpp_room_tpp_per_year).into(),
            LppOpenQuestionD1D4 | LppBarredD1D4 => (&rs.lpp_barred_in_d1_d4).into(),
            LppNotCounted => (&p.lpp_not_counted).into(),
            UveuApplies | UveuHeadquartersNotTier1 { .. } => (&p.uveu_eligibility).into(),
            UveuInstalledBaseUnknown | UveuSharesHold { .. } => (&rs.uveu.min_tier1_share).into(),
            UveuShareBreached { limit, .. } => match limit {
                UveuLimit::Tier1Share => (&rs.uveu.min_tier1_share).into(),
                UveuLimit::Tier2CountryShare => (&rs.uveu.max_share_per_tier2_country).into(),
                UveuLimit::UsShare => (&rs.uveu.min_us_share_for_us_hq).into(),
            },
            NveuWithinSchedule { .. } | NveuExceedsSchedule { .. } => (&rs.nveu_schedule).into(),
            VeuNotCounted => (&p.allocation_counting).into(),
            AllocationFits { .. } => (&rs.country_allocation_tpp).into(),
            AllocationExceeded { .. } | Tier2ReviewPolicyUnconfirmed => {
                (&p.tier2_license_policy).into()
            }
            G2gDoubled => (&rs.g2g_multiplier).into(),
            Tier1NoAllocation => (&p.allocation_counting).into(),
            AcaApplies => (&p.aca).into(),
            WeightsControlled { .. } | WeightsBelowThreshold { .. } => {
                (&rs.model_weights_threshold_ops).into()
            }
            WeightsOpen => (&p.open_weights).into(),
            WeightsAia | WeightsLicenseInTier1 | WeightsDenial => (&p.model_weights_policy).into(),
        }
    }

    /// The human explanation, naming countries and amounts.
    pub fn message(&self, engine: &Engine, consignee: &str) -> String {
        use FindingCode::*;
        let rs = engine.ruleset();
        let name = |c: CountryCode| format!("{} ({c})", engine.countries().name(c));
        let h = |tpp: u64| {
            format!(
                "{} TPP ≈ {} H100e",
                fmt_tpp(tpp),
                group_thousands(rs.h100e(tpp).round() as u64)
            )
        };
        match self.code {
            DestinationTier { country, tier, reason } => match reason {
                TierReasonTag::Supp5a => format!("{} is {tier}: listed in Supp. No. 5 ¶(a).", name(country)),
                TierReasonTag::D5 => format!("{} is {tier}: Country Group D:5.", name(country)),
                TierReasonTag::NamedBesideD5 => format!("{} is {tier}: named beside D:5 (\"Macau or D:5\").", name(country)),
                TierReasonTag::CountedAs(p) => format!("{} is {tier}: counted as {}.", name(country), name(p)),
                TierReasonTag::Residual => format!("{} is {tier}: neither in Supp. No. 5 ¶(a) nor in D:5/Macau.", name(country)),
            },
            EntityHeadquarters { hq, tier, via_parent } => format!(
                "{consignee} is treated as a {tier} entity: {} headquarters in {}.",
                if via_parent { "ultimate parent's" } else { "its" },
                name(hq)
            ),
            ChipClassified { class, tpp_per_unit } => format!(
                "Item classified {} ({} TPP per unit, computed from the datasheet).",
                class.label(),
                group_thousands(tpp_per_unit)
            ),
            DensityUnknown => "Die area not disclosed, so performance density is unknown: treated as 3A090.a (the controlled side).".into(),
            ChipOutsideRule { class } => match class {
                ChipClass::A090b => "3A090.b: outside this rule's worldwide licence and caps; other EAR licence requirements (e.g. D:1/D:4/D:5) may apply and are not modelled.".into(),
                _ => "Below the 3A090 thresholds: not controlled by this rule (other controls, such as the 2025 H20 action, are not modelled).".into(),
            },
            WorldwideLicense => "3A090.a/4A090.a need a licence to any destination unless an exception or VEU applies.".into(),
            BeforeComplianceDate => format!(
                "Dated before the compliance date ({}); SemiAnalysis reads shipments after {} as counting already.",
                rs.dates.compliance.value, rs.dates.effective.value
            ),
            NonEnforcement => format!(
                "BIS announced non-enforcement on {}: this models the rule as written.",
                rs.dates.non_enforcement_announced.value
            ),
            Tier3Destination => "Tier 3 destination: presumption of denial, with no exception or VEU route.".into(),
            Tier3Headquarters { hq } => format!(
                "Headquarters in {} (D:5 or Macau): no LPP, no chip AIA and no VEU, wherever the entity is.",
                name(hq)
            ),
            AiaApplies => "License Exception AIA: a Tier 1 entity located in a Tier 1 destination (needs the (b)(2) certification before shipping).".into(),
            AiaHeadquartersOutsideTier1 { hq } => format!(
                "AIA not available: headquarters in {} is outside Supp. No. 5 ¶(a).",
                name(hq)
            ),
            LppFits { year, remaining_before, remaining_after } => format!(
                "License Exception LPP: {consignee}'s {year} room {} → {} TPP (limit {} TPP per calendar year).",
                fmt_tpp(remaining_before),
                fmt_tpp(remaining_after),
                fmt_tpp(rs.lpp_room_tpp_per_year.value)
            ),
            LppNoRoom { year, remaining, needed } => format!(
                "LPP not available: the order needs {} but {consignee} has {} TPP of {year} room left.",
                h(needed),
                fmt_tpp(remaining)
            ),
            LppOpenQuestionD1D4 => "Open question: the 2026 eCFR transcription of §740.2(a)(9)(ii) would bar LPP in this D:1/D:4 destination; secondary sources say LPP applies. Check before relying on LPP.".into(),
            LppBarredD1D4 => "LPP barred in this D:1/D:4 destination outside A:5/A:6 (ruleset switch on; UNCONFIRMED reading).".into(),
            LppNotCounted => "LPP shipments do not count against the country allocation.".into(),
            UveuApplies => "Universal VEU: Tier 1-headquartered validated end user.".into(),
            UveuHeadquartersNotTier1 { hq } => format!(
                "UVEU claim does not hold: headquarters in {} is not Tier 1.",
                name(hq)
            ),
            UveuInstalledBaseUnknown => "UVEU distribution limits (75 % / 7 % / 50 %) not checked: the session does not know this entity's installed base.".into(),
            UveuSharesHold { tier1_share, country_share } => format!(
                "UVEU distribution limits hold after this order: {} in Tier 1, {} in this country.",
                pct(tier1_share),
                pct(country_share)
            ),
            UveuShareBreached { limit, share } => match limit {
                UveuLimit::Tier1Share => format!(
                    "UVEU claim does not hold: Tier 1 share would fall to {} (minimum {}).",
                    pct(share),
                    pct(rs.uveu.min_tier1_share.value)
                ),
                UveuLimit::Tier2CountryShare => format!(
                    "UVEU claim does not hold: this country's share would reach {} (maximum {}).",
                    pct(share),
                    pct(rs.uveu.max_share_per_tier2_country.value)
                ),
                UveuLimit::UsShare => format!(
                    "UVEU claim does not hold: US share would fall to {} (minimum {} for a US-headquartered UVEU).",
                    pct(share),
                    pct(rs.uveu.min_us_share_for_us_hq.value)
                ),
            },
            NveuWithinSchedule { limit, used_after } => format!(
                "National VEU: {consignee}'s installed base here reaches {} of the {} TPP allowed on this date.",
                fmt_tpp(used_after),
                fmt_tpp(limit)
            ),
            NveuExceedsSchedule { limit, used_before, needed } => format!(
                "NVEU claim does not hold: {} + {} TPP would exceed the {} TPP schedule for this date.",
                fmt_tpp(used_before),
                fmt_tpp(needed),
                fmt_tpp(limit)
            ),
            VeuNotCounted => "VEU shipments do not count against the country allocation.".into(),
            AllocationFits { limit, remaining_before, remaining_after } => format!(
                "Counts against the country allocation: {} → {} TPP remaining (of {} TPP for 2025–2027).",
                fmt_tpp(remaining_before),
                fmt_tpp(remaining_after),
                fmt_tpp(limit)
            ),
            AllocationExceeded { remaining, needed } => format!(
                "Exceeds the country allocation: needs {} but {} TPP remain. Nothing is drawn.",
                h(needed),
                fmt_tpp(remaining)
            ),
            G2gDoubled => "Allocation doubled: the scenario gives this country a government-to-government arrangement.".into(),
            Tier2ReviewPolicyUnconfirmed => "Licence review within the allocation (presumption of approval) is assumed, not read in the rule.".into(),
            Tier1NoAllocation => "Tier 1 destinations have no country allocation.".into(),
            AcaApplies => "License Exception ACA: a non-datacenter part at or above the threshold; no allocation is drawn.".into(),
            WeightsControlled { ops } => format!("Closed model weights trained with {ops:.2e} operations: ECCN 4E091."),
            WeightsOpen => "Published (open) weights are not controlled by 4E091.".into(),
            WeightsBelowThreshold { ops } => format!(
                "Trained with {ops:.2e} operations, below {:.0e}: not 4E091.",
                rs.model_weights_threshold_ops.value
            ),
            WeightsAia => "AIA for 4E091: Tier 1-headquartered entity in a Tier 1 destination (storage-security conditions apply).".into(),
            WeightsLicenseInTier1 => "4E091 to a Tier 1 destination for a non-Tier-1 entity: licence (presumption of approval).".into(),
            WeightsDenial => "4E091 outside Tier 1: presumption of denial.".into(),
        }
    }
}

impl Decision {
    /// One line on what the order takes from which cap and what remains, e.g.
    /// "LPP room for Bharat Compute in 2025: 26.9M → 11.07M TPP".
    pub fn draw_summary(&self, engine: &Engine, order: &super::Order) -> String {
        let Some(draw) = self.draw else {
            return if self.verdict == Verdict::PresumptionOfDenial
                && self.allocation_remaining_tpp.is_some()
            {
                format!(
                    "Draws nothing; {} allocation stays at {} TPP",
                    engine.countries().name(order.destination),
                    fmt_tpp(self.allocation_remaining_tpp.unwrap_or(0))
                )
            } else {
                "Draws from no cap".to_string()
            };
        };
        let before = draw.remaining_before().map_or_else(|| "—".into(), fmt_tpp);
        let after = draw.remaining_after().map_or_else(|| "—".into(), fmt_tpp);
        match draw.ledger {
            LedgerKind::Lpp { year } => {
                format!(
                    "LPP room for {} in {year}: {before} → {after} TPP",
                    order.consignee
                )
            }
            LedgerKind::CountryAllocation { country } => format!(
                "{} allocation (2025–2027): {before} → {after} TPP",
                engine.countries().name(country)
            ),
            LedgerKind::Nveu { country } => format!(
                "NVEU schedule for {} in {}: {before} → {after} TPP remaining",
                order.consignee,
                engine.countries().name(country)
            ),
            LedgerKind::Uveu { country } => format!(
                "UVEU installed base of {} in {}: {} → {} TPP (no cap; distribution limits apply)",
                order.consignee,
                engine.countries().name(country),
                fmt_tpp(draw.used_before),
                fmt_tpp(draw.used_before.saturating_add(draw.amount))
            ),
        }
    }
}
