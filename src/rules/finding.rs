//! Findings: one step of the engine's reasoning each, with the rule text it rests on.
//!
//! A finding is a small `Copy` code with the numbers it needs, so evaluation allocates nothing
//! per step; its text is rendered on demand by [`Finding::message`], naming the parties, countries
//! and amounts, with every figure taken from the loaded ruleset.

use super::chips::ChipClass;
use super::countries::{Tier, TierReason};
use super::decision::{Authority, Severity, Verdict};
use super::licence::{Licence, LicenceOutcome};
use super::override_request::DecisionOverride;
use super::ruleset::Basis;
use super::screening::{HitState, PartyRole, Screening};
use super::{CountryCode, Engine, Order};
use crate::format;
use serde::{Deserialize, Serialize};

/// The UVEU distribution limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UveuLimit {
    Tier1Share,
    Tier2CountryShare,
    UsShare,
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

/// One step of the engine's reasoning. Indices refer to the order's screening hits, the
/// session's licences and overrides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum FindingCode {
    // Context (v2 rules 1–3).
    DestinationTier {
        country: CountryCode,
        tier: Tier,
        reason: TierReasonTag,
    },
    ConsigneeHq {
        hq: CountryCode,
        tier: Tier,
    },
    ParentHq {
        hq: CountryCode,
        tier: Tier,
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
    // Tier 3 (rules 2 and 4).
    Tier3Destination,
    Tier3Link {
        role: PartyRole,
        hq: CountryCode,
    },
    // AIA (rules 2 and 5).
    AiaApplies {
        /// The order names an ultimate parent (whose headquarters passed too).
        with_parent: bool,
        /// Where the entity is located.
        country: CountryCode,
    },
    AiaBlocked {
        role: PartyRole,
        hq: CountryCode,
        tier: Tier,
    },
    // LPP (rules 5–7).
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
    // VEU (rules 2, 5, 6).
    UveuApplies,
    UveuIneligible {
        role: PartyRole,
        hq: CountryCode,
        tier: Tier,
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
        country: CountryCode,
        limit: u64,
        used_after: u64,
    },
    NveuExceedsSchedule {
        limit: u64,
        used_before: u64,
        needed: u64,
    },
    VeuNotCounted,
    // The country allocation (rule 6).
    AllocationFits {
        country: CountryCode,
        limit: u64,
        remaining_before: u64,
        remaining_after: u64,
    },
    AllocationExceeded {
        country: CountryCode,
        remaining: u64,
        needed: u64,
    },
    G2gDoubled {
        country: CountryCode,
    },
    Tier2ReviewPolicyUnconfirmed,
    Tier1NoAllocation,
    // ACA (rule 3).
    AcaApplies,
    AcaBarred,
    // Model weights (rule 8).
    WeightsControlled {
        ops: f64,
    },
    WeightsOpen,
    WeightsBelowThreshold {
        ops: f64,
    },
    WeightsAia,
    WeightsLicenseInTier1,
    WeightsDenial {
        dest_tier: Tier,
    },
    // Screening (rule 9).
    ScreeningClear {
        /// The order names an ultimate parent, screened too.
        with_parent: bool,
    },
    ScreeningMatch {
        hit: u16,
    },
    ScreeningHold,
    WouldBeOnceCleared {
        verdict: Verdict,
        authority: Authority,
    },
    ScreeningListVerdict {
        hit: u16,
        verdict: Verdict,
    },
    ScreeningNonEar {
        hit: u16,
    },
    // Licences.
    LicencePending {
        licence: u32,
    },
    LicenceDraws {
        licence: u32,
        limit: u64,
        used_after: u64,
        units: bool,
    },
    LicenceAllocation {
        licence: u32,
        country: CountryCode,
        amount: u64,
    },
    LicenceUsedUp {
        licence: u32,
        remaining: u64,
        needed: u64,
        units: bool,
    },
    LicenceExpired {
        licence: u32,
    },
    LicenceNotYetApproved {
        licence: u32,
    },
    LicenceDenied {
        licence: u32,
        applying_order: bool,
    },
    LicenceUnknown,
    // Overrides.
    OverrideApplied {
        index: u32,
    },
    OverridePending {
        index: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
}

/// What a finding's text and basis may refer to besides the engine: the order, its screening,
/// and the session's licences and overrides.
#[derive(Debug, Clone, Copy)]
pub struct FindingContext<'a> {
    pub engine: &'a Engine,
    pub order: &'a Order,
    pub screening: Option<&'a Screening>,
    pub licences: &'a [Licence],
    pub overrides: &'a [DecisionOverride],
}

impl<'a> FindingContext<'a> {
    /// A context with no screening, licences or overrides.
    pub fn new(engine: &'a Engine, order: &'a Order) -> Self {
        Self {
            engine,
            order,
            screening: None,
            licences: &[],
            overrides: &[],
        }
    }

    /// "Amsterdam Sub BV", or the parent's name ("its ultimate parent Huawei Technologies").
    fn party(&self, role: PartyRole) -> String {
        match role {
            PartyRole::Consignee => self.order.consignee.clone(),
            PartyRole::Parent => match &self.order.parent {
                Some(p) => format!(
                    "{} ultimate parent, {p},",
                    possessive(&self.order.consignee)
                ),
                None => format!("{} ultimate parent", possessive(&self.order.consignee)),
            },
        }
    }

    fn country(&self, c: CountryCode) -> String {
        format!("{} ({c})", self.engine.countries().name(c))
    }

    fn licence(&self, i: u32) -> Option<&'a Licence> {
        self.licences.get(i as usize)
    }

    fn licence_ref(&self, i: u32) -> String {
        self.licence(i)
            .map_or_else(|| "a licence".into(), |l| l.reference().to_string())
    }

    fn tpp_h(&self, tpp: u64) -> String {
        format::tpp_and_h100e(tpp, self.engine.ruleset().h100_tpp.value)
    }
}

impl Finding {
    /// Whether the message depends on more than the finding and the consignee's name (the
    /// parent's name, the screening matches, the session's licences or overrides). Messages
    /// that do not can be rendered once per run and reused (`check` does), with the consignee
    /// filled in; the screening list's vintage is the same for a whole run.
    pub fn depends_on_context(&self) -> bool {
        use FindingCode::*;
        match self.code {
            ParentHq { .. }
            | ScreeningMatch { .. }
            | ScreeningListVerdict { .. }
            | ScreeningNonEar { .. }
            | LicencePending { .. }
            | LicenceDraws { .. }
            | LicenceAllocation { .. }
            | LicenceUsedUp { .. }
            | LicenceExpired { .. }
            | LicenceNotYetApproved { .. }
            | LicenceDenied { .. }
            | LicenceUnknown
            | OverrideApplied { .. }
            | OverridePending { .. } => true,
            Tier3Link { role, .. } | AiaBlocked { role, .. } | UveuIneligible { role, .. } => {
                role == PartyRole::Parent
            }
            _ => false,
        }
    }

    /// A stable machine code, e.g. `LPP_FITS`.
    pub fn code_str(&self) -> &'static str {
        self.code.code_str()
    }
}

impl FindingCode {
    pub fn code_str(&self) -> &'static str {
        use FindingCode::*;
        match self {
            DestinationTier { .. } => "DESTINATION_TIER",
            ConsigneeHq { .. } => "CONSIGNEE_HQ",
            ParentHq { .. } => "PARENT_HQ",
            ChipClassified { .. } => "CHIP_CLASS",
            DensityUnknown => "DENSITY_UNKNOWN",
            ChipOutsideRule { .. } => "OUTSIDE_RULE",
            WorldwideLicense => "WORLDWIDE_LICENSE",
            BeforeComplianceDate => "BEFORE_COMPLIANCE_DATE",
            NonEnforcement => "NON_ENFORCEMENT",
            Tier3Destination => "TIER3_DESTINATION",
            Tier3Link { .. } => "TIER3_LINK",
            AiaApplies { .. } => "AIA_APPLIES",
            AiaBlocked { .. } => "AIA_BLOCKED",
            LppFits { .. } => "LPP_FITS",
            LppNoRoom { .. } => "LPP_NO_ROOM",
            LppOpenQuestionD1D4 => "LPP_D1_D4_OPEN_QUESTION",
            LppBarredD1D4 => "LPP_BARRED_D1_D4",
            LppNotCounted => "LPP_NOT_COUNTED",
            UveuApplies => "UVEU_APPLIES",
            UveuIneligible { .. } => "UVEU_INELIGIBLE",
            UveuInstalledBaseUnknown => "UVEU_BASE_UNKNOWN",
            UveuSharesHold { .. } => "UVEU_SHARES_HOLD",
            UveuShareBreached { .. } => "UVEU_SHARE_BREACHED",
            NveuWithinSchedule { .. } => "NVEU_WITHIN_SCHEDULE",
            NveuExceedsSchedule { .. } => "NVEU_EXCEEDS_SCHEDULE",
            VeuNotCounted => "VEU_NOT_COUNTED",
            AllocationFits { .. } => "ALLOCATION_FITS",
            AllocationExceeded { .. } => "ALLOCATION_EXCEEDED",
            G2gDoubled { .. } => "G2G_DOUBLED",
            Tier2ReviewPolicyUnconfirmed => "TIER2_REVIEW_POLICY",
            Tier1NoAllocation => "TIER1_NO_ALLOCATION",
            AcaApplies => "ACA_APPLIES",
            AcaBarred => "ACA_BARRED",
            WeightsControlled { .. } => "WEIGHTS_4E091",
            WeightsOpen => "WEIGHTS_OPEN",
            WeightsBelowThreshold { .. } => "WEIGHTS_BELOW_THRESHOLD",
            WeightsAia => "WEIGHTS_AIA",
            WeightsLicenseInTier1 => "WEIGHTS_LICENSE_TIER1",
            WeightsDenial { .. } => "WEIGHTS_DENIAL",
            ScreeningClear { .. } => "SCREENING_CLEAR",
            ScreeningMatch { .. } => "SCREENING_MATCH",
            ScreeningHold => "SCREENING_HOLD",
            WouldBeOnceCleared { .. } => "ONCE_CLEARED",
            ScreeningListVerdict { .. } => "SCREENING_LIST_VERDICT",
            ScreeningNonEar { .. } => "SCREENING_NON_EAR",
            LicencePending { .. } => "LICENSE_PENDING",
            LicenceDraws { .. } => "LICENSE_DRAWS",
            LicenceAllocation { .. } => "LICENSE_ALLOCATION",
            LicenceUsedUp { .. } => "LICENSE_USED_UP",
            LicenceExpired { .. } => "LICENSE_EXPIRED",
            LicenceNotYetApproved { .. } => "LICENSE_NOT_YET_APPROVED",
            LicenceDenied { .. } => "LICENSE_DENIED",
            LicenceUnknown => "LICENSE_UNKNOWN",
            OverrideApplied { .. } => "OVERRIDE_APPLIED",
            OverridePending { .. } => "OVERRIDE_PENDING",
        }
    }
}

impl Finding {
    /// The ruleset value, provision or list authority this finding rests on: its citation and
    /// confidence.
    pub fn basis<'a>(&self, ctx: &FindingContext<'a>) -> Basis<'a> {
        use FindingCode::*;
        let rs = ctx.engine.ruleset();
        let p = &rs.provisions;
        let t = &rs.chip_thresholds;
        match self.code {
            DestinationTier { reason, .. } => match reason {
                TierReasonTag::Supp5a | TierReasonTag::Residual => (&rs.tier1).into(),
                TierReasonTag::D5 => (&rs.d5).into(),
                TierReasonTag::NamedBesideD5 => (&rs.tier3_extra).into(),
                TierReasonTag::CountedAs(_) => (&rs.counted_as).into(),
            },
            ConsigneeHq { .. } | ParentHq { .. } | Tier3Link { .. } => (&p.headquarters).into(),
            ChipClassified { class, .. } | ChipOutsideRule { class } => match class {
                ChipClass::AcaNonDatacenter => (&t.non_datacenter_tpp).into(),
                ChipClass::A090b => (&t.b1_tpp_min).into(),
                ChipClass::A090aByDensity => (&t.a_density).into(),
                _ => (&t.a_tpp).into(),
            },
            DensityUnknown => (&t.a_density).into(),
            WorldwideLicense => (&p.worldwide_license).into(),
            BeforeComplianceDate => (&rs.dates.compliance).into(),
            NonEnforcement => (&p.status).into(),
            Tier3Destination => (&p.tier3_policy).into(),
            AiaApplies { .. } | AiaBlocked { .. } => (&p.aia).into(),
            LppFits { .. } | LppNoRoom { .. } => (&rs.lpp_room_tpp_per_year).into(),
            LppOpenQuestionD1D4 | LppBarredD1D4 => (&rs.lpp_barred_in_d1_d4).into(),
            LppNotCounted => (&p.lpp_not_counted).into(),
            UveuApplies | UveuIneligible { .. } => (&rs.uveu_eligibility).into(),
            UveuInstalledBaseUnknown | UveuSharesHold { .. } => (&rs.uveu.min_tier1_share).into(),
            UveuShareBreached { limit, .. } => match limit {
                UveuLimit::Tier1Share => (&rs.uveu.min_tier1_share).into(),
                UveuLimit::Tier2CountryShare => (&rs.uveu.max_share_per_tier2_country).into(),
                UveuLimit::UsShare => (&rs.uveu.min_us_share_for_us_hq).into(),
            },
            NveuWithinSchedule { .. } | NveuExceedsSchedule { .. } => (&rs.nveu_schedule).into(),
            VeuNotCounted | Tier1NoAllocation => (&p.allocation_counting).into(),
            AllocationFits { .. } => (&rs.country_allocation_tpp).into(),
            AllocationExceeded { .. } | Tier2ReviewPolicyUnconfirmed => {
                (&p.tier2_license_policy).into()
            }
            G2gDoubled { .. } => (&rs.g2g_multiplier).into(),
            AcaApplies | AcaBarred => (&p.aca).into(),
            WeightsControlled { .. } | WeightsBelowThreshold { .. } => {
                (&rs.model_weights_threshold_ops).into()
            }
            WeightsOpen => (&p.open_weights).into(),
            WeightsAia => (&rs.weights_storage_conditions).into(),
            WeightsLicenseInTier1 | WeightsDenial { .. } => (&p.model_weights_policy).into(),
            ScreeningMatch { hit } | ScreeningListVerdict { hit, .. } | ScreeningNonEar { hit } => {
                hit_basis(ctx, hit)
            }
            ScreeningClear { .. } | ScreeningHold | WouldBeOnceCleared { .. } => {
                (&p.screening).into()
            }
            LicenceAllocation { .. } => (&p.allocation_counting).into(),
            LicencePending { .. }
            | LicenceDraws { .. }
            | LicenceUsedUp { .. }
            | LicenceExpired { .. }
            | LicenceNotYetApproved { .. }
            | LicenceDenied { .. }
            | LicenceUnknown => (&p.licences).into(),
            OverrideApplied { .. } | OverridePending { .. } => (&p.overrides).into(),
        }
    }

    /// The human explanation, naming parties, countries and amounts.
    pub fn message(&self, ctx: &FindingContext) -> String {
        use FindingCode::*;
        match self.code {
            DestinationTier { .. } | ConsigneeHq { .. } | ParentHq { .. } => {
                context_message(self.code, ctx)
            }
            ChipClassified { .. }
            | DensityUnknown
            | ChipOutsideRule { .. }
            | WorldwideLicense
            | BeforeComplianceDate
            | NonEnforcement => item_message(self.code, ctx),
            Tier3Destination | Tier3Link { .. } | AiaApplies { .. } | AiaBlocked { .. } => {
                headquarters_message(self.code, ctx)
            }
            LppFits { .. }
            | LppNoRoom { .. }
            | LppOpenQuestionD1D4
            | LppBarredD1D4
            | LppNotCounted => lpp_message(self.code, ctx),
            UveuApplies
            | UveuIneligible { .. }
            | UveuInstalledBaseUnknown
            | UveuSharesHold { .. }
            | UveuShareBreached { .. }
            | NveuWithinSchedule { .. }
            | NveuExceedsSchedule { .. }
            | VeuNotCounted => veu_message(self.code, ctx),
            AllocationFits { .. }
            | AllocationExceeded { .. }
            | G2gDoubled { .. }
            | Tier2ReviewPolicyUnconfirmed
            | Tier1NoAllocation
            | AcaApplies
            | AcaBarred => allocation_message(self.code, ctx),
            WeightsControlled { .. }
            | WeightsOpen
            | WeightsBelowThreshold { .. }
            | WeightsAia
            | WeightsLicenseInTier1
            | WeightsDenial { .. } => weights_message(self.code, ctx),
            ScreeningClear { .. }
            | ScreeningMatch { .. }
            | ScreeningHold
            | WouldBeOnceCleared { .. }
            | ScreeningListVerdict { .. }
            | ScreeningNonEar { .. } => screening_message(self.code, ctx),
            LicencePending { .. }
            | LicenceDraws { .. }
            | LicenceAllocation { .. }
            | LicenceUsedUp { .. }
            | LicenceExpired { .. }
            | LicenceNotYetApproved { .. }
            | LicenceDenied { .. }
            | LicenceUnknown => licence_message(self.code, ctx),
            OverrideApplied { index } | OverridePending { index } => {
                override_message(self.code, index, ctx)
            }
        }
    }
}

fn hit_basis<'a>(ctx: &FindingContext<'a>, hit: u16) -> Basis<'a> {
    let rs = ctx.engine.ruleset();
    match ctx.screening.and_then(|s| s.hits.get(hit as usize)) {
        Some(h) => Basis {
            cite: &h.list.authority,
            source: &h.list.label,
            confidence: rs.provisions.screening.confidence,
            note: &rs.provisions.screening.note,
        },
        None => (&rs.provisions.screening).into(),
    }
}

fn context_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let o = ctx.order;
    match code {
        DestinationTier {
            country,
            tier,
            reason,
        } => match reason {
            TierReasonTag::Supp5a => {
                format!(
                    "{} is {tier}: listed in Supp. No. 5 ¶(a).",
                    ctx.country(country)
                )
            }
            TierReasonTag::D5 => format!("{} is {tier}: Country Group D:5.", ctx.country(country)),
            TierReasonTag::NamedBesideD5 => format!(
                "{} is {tier}: named beside D:5 (\"Macau or D:5\").",
                ctx.country(country)
            ),
            TierReasonTag::CountedAs(p) => format!(
                "{} is {tier}: counted as {}.",
                ctx.country(country),
                ctx.country(p)
            ),
            TierReasonTag::Residual => format!(
                "{} is {tier}: neither in Supp. No. 5 ¶(a) nor in D:5/Macau.",
                ctx.country(country)
            ),
        },
        ConsigneeHq { hq, tier } => format!(
            "{} is headquartered in {} ({tier}).",
            o.consignee,
            ctx.country(hq)
        ),
        ParentHq { hq, tier } => format!(
            "{} is headquartered in {} ({tier}).",
            capitalise(&ctx.party(PartyRole::Parent)),
            ctx.country(hq)
        ),
        _ => unreachable!("context findings only"),
    }
}

fn item_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let rs = ctx.engine.ruleset();
    match code {
        ChipClassified { class, tpp_per_unit } => format!(
            "Item classified {} ({} TPP per unit, computed from the datasheet).",
            class.label(),
            format::thousands(tpp_per_unit)
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
        _ => unreachable!("item findings only"),
    }
}

fn headquarters_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let o = ctx.order;
    let aia = &ctx.engine.ruleset().provisions.aia.cite;
    match code {
        Tier3Destination => {
            "Tier 3 destination: presumption of denial, with no exception or VEU route.".into()
        }
        Tier3Link { role, hq } => format!(
            "{} is headquartered in {} (D:5 or Macau): no licence exception (LPP, chip AIA, ACA) and no VEU, wherever {} is located.",
            capitalise(&ctx.party(role)),
            ctx.country(hq),
            o.consignee
        ),
        AiaApplies {
            with_parent,
            country,
        } => format!(
            "AIA: {} {} headquartered in Supp. No. 5 ¶(a) and located in {} ({aia}); the (b)(2) certification is needed before shipping.",
            o.consignee,
            if with_parent {
                "and its ultimate parent are"
            } else {
                "is"
            },
            ctx.country(country)
        ),
        AiaBlocked { role, hq, tier } => format!(
            "{} is headquartered in {} ({tier}): AIA needs both the entity and its ultimate parent headquartered in Supp. No. 5 ¶(a) ({aia}).",
            capitalise(&ctx.party(role)),
            ctx.country(hq)
        ),
        _ => unreachable!("headquarters findings only"),
    }
}

fn lpp_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let rs = ctx.engine.ruleset();
    let c = &ctx.order.consignee;
    match code {
        LppFits {
            year,
            remaining_before,
            remaining_after,
        } => format!(
            "License Exception LPP: {year} room for {c} {} → {} TPP (limit {} TPP per calendar year, inclusive).",
            format::tpp(remaining_before),
            format::tpp(remaining_after),
            format::tpp(rs.lpp_room_tpp_per_year.value)
        ),
        LppNoRoom {
            year,
            remaining,
            needed,
        } => format!(
            "LPP not available: the order needs {} but {c} has {} TPP of {year} room left.",
            ctx.tpp_h(needed),
            format::tpp(remaining)
        ),
        LppOpenQuestionD1D4 => "Open question: the 2026 eCFR transcription of §740.2(a)(9)(ii) would bar LPP in this D:1/D:4 destination; secondary sources say LPP applies. Check before relying on LPP.".into(),
        LppBarredD1D4 => "LPP barred in this D:1/D:4 destination outside A:5/A:6 (ruleset switch on; UNCONFIRMED reading).".into(),
        LppNotCounted => "LPP shipments do not count against the country allocation.".into(),
        _ => unreachable!("LPP findings only"),
    }
}

fn veu_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let rs = ctx.engine.ruleset();
    let u = &rs.uveu;
    let c = &ctx.order.consignee;
    match code {
        UveuApplies => format!(
            "Universal VEU: {c} qualifies ({}).",
            rs.uveu_eligibility.value.label()
        ),
        UveuIneligible { role, hq, tier } => format!(
            "UVEU claim does not hold: {} is headquartered in {} ({tier}); UVEU needs the {}.",
            ctx.party(role),
            ctx.country(hq),
            rs.uveu_eligibility.value.label()
        ),
        UveuInstalledBaseUnknown => format!(
            "UVEU distribution limits ({} in Tier 1 / at most {} per Tier 2 country / {} in the U.S. for a U.S.-headquartered UVEU) not checked: the session does not know the installed base of {c}.",
            format::pct_limit(u.min_tier1_share.value),
            format::pct_limit(u.max_share_per_tier2_country.value),
            format::pct_limit(u.min_us_share_for_us_hq.value)
        ),
        UveuSharesHold {
            tier1_share,
            country_share,
        } => format!(
            "UVEU distribution limits hold after this order: {} in Tier 1, {} in this country.",
            format::pct(tier1_share),
            format::pct(country_share)
        ),
        UveuShareBreached { limit, share } => match limit {
            UveuLimit::Tier1Share => format!(
                "UVEU claim does not hold: the Tier 1 share of {c} would fall to {} (minimum {}).",
                format::pct(share),
                format::pct_limit(u.min_tier1_share.value)
            ),
            UveuLimit::Tier2CountryShare => format!(
                "UVEU claim does not hold: the share of {c} in this country would reach {} (maximum {}).",
                format::pct(share),
                format::pct_limit(u.max_share_per_tier2_country.value)
            ),
            UveuLimit::UsShare => format!(
                "UVEU claim does not hold: the U.S. share of {c} would fall to {} (minimum {} for a U.S.-headquartered UVEU).",
                format::pct(share),
                format::pct_limit(u.min_us_share_for_us_hq.value)
            ),
        },
        NveuWithinSchedule {
            country,
            limit,
            used_after,
        } => format!(
            "National VEU: the installed base of {c} in {} reaches {} of the {} TPP allowed on this date (inclusive).",
            ctx.country(country),
            format::tpp(used_after),
            format::tpp(limit)
        ),
        NveuExceedsSchedule {
            limit,
            used_before,
            needed,
        } => format!(
            "NVEU claim does not hold: {c} has {} + {} TPP, beyond the {} TPP schedule for this date.",
            format::tpp(used_before),
            format::tpp(needed),
            format::tpp(limit)
        ),
        VeuNotCounted => "VEU shipments do not count against the country allocation.".into(),
        _ => unreachable!("VEU findings only"),
    }
}

fn allocation_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let rs = ctx.engine.ruleset();
    let period = rs.allocation_period();
    let of = |c: CountryCode| possessive(ctx.engine.countries().name(c));
    match code {
        AllocationFits {
            country,
            limit,
            remaining_before,
            remaining_after,
        } => format!(
            "Licence against {} allocation: {} → {} TPP remaining (of {} TPP for {period}, inclusive).",
            of(country),
            format::tpp(remaining_before),
            format::tpp(remaining_after),
            format::tpp(limit)
        ),
        AllocationExceeded {
            country,
            remaining,
            needed,
        } => format!(
            "Exceeds {} allocation: needs {} but {} TPP remain. Nothing is drawn.",
            of(country),
            ctx.tpp_h(needed),
            format::tpp(remaining)
        ),
        G2gDoubled { country } => format!(
            "Allocation × {}: the scenario gives {} a government-to-government arrangement.",
            rs.g2g_multiplier.value,
            ctx.country(country)
        ),
        Tier2ReviewPolicyUnconfirmed => "Licence review within the allocation (presumption of approval) is assumed, not read in the rule.".into(),
        Tier1NoAllocation => "Tier 1 destinations have no country allocation.".into(),
        AcaApplies => format!(
            "License Exception ACA: a non-datacenter part at or above {} TPP; no allocation is drawn.",
            format::thousands(rs.chip_thresholds.non_datacenter_tpp.value)
        ),
        AcaBarred => "ACA not available to this order (Tier-3 link or restricted party): a licence is needed; the NAC notification route is not modelled and no allocation is drawn.".into(),
        _ => unreachable!("allocation findings only"),
    }
}

fn weights_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let rs = ctx.engine.ruleset();
    let threshold = format::ops(rs.model_weights_threshold_ops.value);
    match code {
        WeightsControlled { ops } => format!(
            "Closed model weights trained with {} operations (≥ {threshold}): ECCN 4E091.",
            format::ops(ops)
        ),
        WeightsOpen => "Published (open) weights are not controlled by 4E091.".into(),
        WeightsBelowThreshold { ops } => format!(
            "Trained with {} operations, below {threshold}: not 4E091.",
            format::ops(ops)
        ),
        WeightsAia => format!(
            "AIA for 4E091: {} and its ultimate parent are headquartered in Supp. No. 5 ¶(a) and it is located outside D:5 and Macau. Conditions ({}): {}.",
            ctx.order.consignee,
            rs.weights_storage_conditions.confidence,
            rs.weights_storage_conditions.value.join("; ")
        ),
        WeightsLicenseInTier1 => format!(
            "4E091 to a Tier 1 destination without AIA ({} is not an all-Tier-1 entity, or its parties are restricted): licence (presumption of approval).",
            ctx.order.consignee
        ),
        WeightsDenial { dest_tier } => {
            format!("4E091 to a {dest_tier} destination without AIA: presumption of denial.")
        }
        _ => unreachable!("weights findings only"),
    }
}

fn screening_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let vintage = ctx.screening.map_or("", |s| s.list_vintage.as_str());
    let hit = |i: u16| ctx.screening.and_then(|s| s.hits.get(i as usize));
    match code {
        ScreeningClear { with_parent } => format!(
            "{}{} screened against the Consolidated Screening List of {vintage}: no match above the threshold.",
            ctx.order.consignee,
            if with_parent {
                " and its ultimate parent"
            } else {
                " (no ultimate parent named)"
            }
        ),
        ScreeningMatch { hit: i } => match hit(i) {
            Some(h) => {
                let state = match &h.state {
                    HitState::Open => "possible match, waiting for a person".to_string(),
                    HitState::Cleared { by, reason } => format!("cleared by {by}: {reason}"),
                    HitState::Confirmed { by, reason } => format!("confirmed by {by}: {reason}"),
                };
                format!(
                    "{} {} matches {} '{}'{} (score {:.2}; {}) — {state}.",
                    capitalise(h.role.as_str()),
                    h.party,
                    h.list.short,
                    h.entry_name,
                    h.entity_number
                        .as_ref()
                        .map_or(String::new(), |n| format!(" #{n}")),
                    h.score,
                    h.why
                )
            }
            None => "A screening match (details not available).".into(),
        },
        ScreeningHold => "Hold: a possible restricted-party match waits for a person to clear or confirm it; nothing is drawn from any cap until then.".into(),
        WouldBeOnceCleared { verdict, authority } => format!(
            "Once cleared, the rules give: {}{}.",
            verdict.label().to_lowercase(),
            if authority == Authority::None {
                String::new()
            } else {
                format!(" under {}", authority.as_str())
            }
        ),
        ScreeningListVerdict { hit: i, verdict } => match hit(i) {
            Some(h) => format!(
                "{} is on the {} ({}): no licence exception or VEU; {} → {}.",
                h.party,
                h.list.label,
                h.list.authority,
                h.policy_text
                    .as_deref()
                    .map_or_else(|| "the list's effect".to_string(), |p| format!("licence policy \"{}\"", p.trim())),
                verdict.label().to_lowercase()
            ),
            None => "A confirmed restricted-party match decides the verdict.".into(),
        },
        ScreeningNonEar { hit: i } => match hit(i) {
            Some(h) => format!(
                "{} is on the {} ({}): outside the EAR's licence rules; the order stays on hold for sanctions review.",
                h.party, h.list.label, h.list.authority
            ),
            None => "A confirmed match on a sanctions list keeps the order on hold.".into(),
        },
        _ => unreachable!("screening findings only"),
    }
}

fn licence_message(code: FindingCode, ctx: &FindingContext) -> String {
    use FindingCode::*;
    let unit = |units: bool| if units { "units" } else { "TPP" };
    let amount = |v: u64, units: bool| {
        if units {
            format::thousands(v)
        } else {
            format::tpp(v)
        }
    };
    match code {
        LicencePending { licence } => match ctx.licence(licence) {
            Some(l) => format!(
                "Licence application {} filed on {}: pending; until BIS decides, the order needs the licence.",
                l.application, l.applied
            ),
            None => "Licence application pending.".into(),
        },
        LicenceDraws {
            licence,
            limit,
            used_after,
            units,
        } => format!(
            "Shipped under licence {}: {} of {} {} left after this order.",
            ctx.licence_ref(licence),
            amount(limit.saturating_sub(used_after), units),
            amount(limit, units),
            unit(units)
        ),
        LicenceAllocation {
            licence,
            country,
            amount: a,
        } => format!(
            "Licence {} draws {} of {} allocation once, on approval.",
            ctx.licence_ref(licence),
            ctx.tpp_h(a),
            possessive(ctx.engine.countries().name(country))
        ),
        LicenceUsedUp {
            licence,
            remaining,
            needed,
            units,
        } => format!(
            "Licence {} is used up for this order: {} {} left, {} needed.",
            ctx.licence_ref(licence),
            amount(remaining, units),
            unit(units),
            amount(needed, units)
        ),
        LicenceExpired { licence } => match ctx.licence(licence).map(|l| &l.outcome) {
            Some(LicenceOutcome::Approved { valid_until, .. }) => format!(
                "Licence {} expired on {valid_until}: it no longer authorizes shipments.",
                ctx.licence_ref(licence)
            ),
            _ => "The licence has expired.".into(),
        },
        LicenceNotYetApproved { licence } => match ctx.licence(licence).map(|l| &l.outcome) {
            Some(LicenceOutcome::Approved { decided, .. }) => format!(
                "Licence {} was approved on {decided}, after this order's date.",
                ctx.licence_ref(licence)
            ),
            _ => "The licence was not yet approved on this order's date.".into(),
        },
        LicenceDenied {
            licence,
            applying_order,
        } => match ctx.licence(licence).map(|l| (&l.outcome, &l.application)) {
            Some((LicenceOutcome::Denied { decided, reason }, app)) => format!(
                "Licence application {app} denied on {decided}{}{}",
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({reason})")
                },
                if applying_order {
                    ": what the order held of the allocation is released."
                } else {
                    "."
                }
            ),
            _ => "The licence application was denied.".into(),
        },
        LicenceUnknown => format!(
            "The order names licence {}, which is not in this session.",
            ctx.order.licence.as_deref().unwrap_or("?")
        ),
        _ => unreachable!("licence findings only"),
    }
}

fn override_message(code: FindingCode, index: u32, ctx: &FindingContext) -> String {
    let Some(o) = ctx.overrides.get(index as usize) else {
        return "An override applies to this order.".into();
    };
    match (code, &o.approved) {
        (FindingCode::OverrideApplied { .. }, Some(a)) => format!(
            "Override to {} by {}, approved by {}: {}",
            o.verdict.label(),
            o.requested_by,
            a.by,
            o.reason
        ),
        _ => format!(
            "Override to {} requested by {} ({}), waiting for a reviewer: no effect yet.",
            o.verdict.label(),
            o.requested_by,
            o.reason
        ),
    }
}

/// "Acme's", "Cotai Holdings'".
pub fn possessive(name: &str) -> String {
    if name.ends_with('s') || name.ends_with('S') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One line on what the order takes from which cap and what remains, e.g.
/// "LPP room for Bharat Compute in 2025: 26.9M → 11.07M TPP".
pub fn draw_summary(d: &super::Decision, ctx: &FindingContext) -> String {
    use super::decision::{LedgerKind, Verdict};
    let engine = ctx.engine;
    let order = ctx.order;
    let period = engine.ruleset().allocation_period();
    let name = |c: CountryCode| engine.countries().name(c).to_string();
    let Some(draw) = d.draw else {
        return match (d.verdict, d.allocation_remaining_tpp) {
            (Verdict::Hold, _) => "Draws nothing while on hold".to_string(),
            (Verdict::PresumptionOfDenial, Some(rem)) => format!(
                "Draws nothing; {} allocation stays at {} TPP",
                name(order.destination),
                format::tpp(rem)
            ),
            _ => "Draws from no cap".to_string(),
        };
    };
    let before = draw
        .remaining_before()
        .map_or_else(|| "—".into(), format::tpp);
    let after = draw
        .remaining_after()
        .map_or_else(|| "—".into(), format::tpp);
    match draw.ledger {
        LedgerKind::Lpp { year } => {
            format!(
                "LPP room for {} in {year}: {before} → {after} TPP",
                order.consignee
            )
        }
        LedgerKind::CountryAllocation { country } => format!(
            "{} allocation ({period}): {before} → {after} TPP",
            name(country)
        ),
        LedgerKind::Nveu { country } => format!(
            "NVEU schedule for {} in {}: {before} → {after} TPP remaining",
            order.consignee,
            name(country)
        ),
        LedgerKind::Uveu { country } => format!(
            "UVEU installed base of {} in {}: {} → {} TPP (no cap; distribution limits apply)",
            order.consignee,
            name(country),
            format::tpp(draw.used_before),
            format::tpp(draw.used_before.saturating_add(draw.amount))
        ),
        LedgerKind::Licence { index, units } => {
            let limit = draw.limit.unwrap_or(0);
            let left = draw.remaining_after().unwrap_or(0);
            let (left, limit, unit) = if units {
                (format::thousands(left), format::thousands(limit), "units")
            } else {
                (format::tpp(left), format::tpp(limit), "TPP")
            };
            let mut line = format!(
                "under {}: {left} of {limit} {unit} left",
                ctx.licence_ref(index)
            );
            if d.allocation_draw > 0 {
                line.push_str(&format!(
                    "; draws {} TPP of {}'s allocation",
                    format::tpp(d.allocation_draw),
                    name(order.destination)
                ));
            }
            line
        }
    }
}
