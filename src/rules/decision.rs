//! What the engine says of one order: verdict, authority, what it draws, and cited findings.

use super::countries::Tier;
use super::finding::Finding;
use super::screening::ScreeningStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NotControlled,
    Authorized,
    LicenseRequired,
    PresumptionOfDenial,
    /// A possible restricted-party match waits for a person to clear or confirm it.
    Hold,
    Invalid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotControlled => "not_controlled",
            Verdict::Authorized => "authorized",
            Verdict::LicenseRequired => "license_required",
            Verdict::PresumptionOfDenial => "presumption_of_denial",
            Verdict::Hold => "hold",
            Verdict::Invalid => "invalid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::NotControlled => "Not controlled",
            Verdict::Authorized => "Authorized",
            Verdict::LicenseRequired => "License required",
            Verdict::PresumptionOfDenial => "Presumption of denial",
            Verdict::Hold => "Hold",
            Verdict::Invalid => "Invalid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    /// A dense index for per-verdict tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// How restrictive a rule verdict is, for raising a decision to a floor (screening, overrides).
    pub fn strictness(self) -> u8 {
        match self {
            Verdict::NotControlled => 0,
            Verdict::Authorized => 1,
            Verdict::LicenseRequired => 2,
            Verdict::PresumptionOfDenial => 3,
            Verdict::Hold => 4,
            Verdict::Invalid => 5,
        }
    }

    pub const COUNT: usize = 6;

    pub const ALL: [Verdict; Verdict::COUNT] = [
        Verdict::NotControlled,
        Verdict::Authorized,
        Verdict::LicenseRequired,
        Verdict::PresumptionOfDenial,
        Verdict::Hold,
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
    /// Shipped under an approved individual licence.
    #[serde(rename = "LICENSE")]
    License,
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
            Authority::License => "LICENSE",
            Authority::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub const COUNT: usize = 7;

    pub const ALL: [Authority; Authority::COUNT] = [
        Authority::Aia,
        Authority::Lpp,
        Authority::Uveu,
        Authority::Nveu,
        Authority::Aca,
        Authority::License,
        Authority::None,
    ];
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
    /// The destination's allocation for the modelled period.
    CountryAllocation { country: super::CountryCode },
    /// The NVEU's installed base in the destination against the phase-in schedule.
    Nveu { country: super::CountryCode },
    /// The UVEU's installed base (no cap of its own; distribution limits apply).
    Uveu { country: super::CountryCode },
    /// An approved licence (index into the session's licences), counted in units or TPP.
    Licence { index: u32, units: bool },
}

impl LedgerKind {
    /// The contract's name for the ledger (`check` JSON, CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Lpp { .. } => "lpp",
            LedgerKind::CountryAllocation { .. } => "country_allocation",
            LedgerKind::Nveu { .. } => "nveu",
            LedgerKind::Uveu { .. } => "uveu",
            LedgerKind::Licence { .. } => "licence",
        }
    }
}

/// What an order takes from a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub ledger: LedgerKind,
    /// The cap in force; `None` for a ledger without a cap (UVEU). TPP, or units for a licence
    /// approved in units.
    pub limit: Option<u64>,
    /// Used before this order.
    pub used_before: u64,
    /// Taken by this order.
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub tier: Tier,
    pub verdict: Verdict,
    pub authority: Authority,
    pub eccn: Option<Eccn>,
    pub tpp: u64,
    /// The cap the order uses: LPP room, NVEU schedule, UVEU base, a licence, or the allocation.
    pub draw: Option<Draw>,
    /// TPP taken from the destination's allocation (a licensed order, or the approval of a
    /// licence); 0 when the order does not count against it.
    pub allocation_draw: u64,
    /// The destination's allocation left after this order; `None` where there is no allocation.
    pub allocation_remaining_tpp: Option<u64>,
    /// The order's screening status; `None` when the book was not screened.
    pub screening: Option<ScreeningStatus>,
    pub findings: Vec<Finding>,
}

impl Decision {
    /// A decision that has not been reasoned about yet: not controlled, drawing nothing.
    pub fn new(tier: Tier, allocation_remaining_tpp: Option<u64>) -> Self {
        Self {
            tier,
            verdict: Verdict::NotControlled,
            authority: Authority::None,
            eccn: None,
            tpp: 0,
            draw: None,
            allocation_draw: 0,
            allocation_remaining_tpp,
            screening: None,
            findings: Vec::new(),
        }
    }

    pub fn counts_against_allocation(&self) -> bool {
        self.allocation_draw > 0
    }

    /// Whether the verdict or authority differs: what users call "the decision changed".
    pub fn outcome_differs(&self, other: &Decision) -> bool {
        self.verdict != other.verdict || self.authority != other.authority
    }
}
