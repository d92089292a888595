//! Overrides: an officer's determination that an order needs more than the engine's reading
//! gives it (for example where the reference marks an open question), approved by a reviewer.
//!
//! An override can only make a decision stricter: it never widens an exception. The way to
//! authorize an order the engine does not authorize is a licence.

use serde::{Deserialize, Serialize};

/// The verdict an override sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OverrideVerdict {
    /// No licence exception or VEU: the order goes the licence route (drawing a Tier 2 country's
    /// allocation while it fits, like any licence).
    LicenseRequired,
    /// The order may not go ahead; it draws nothing.
    PresumptionOfDenial,
}

impl OverrideVerdict {
    pub fn label(self) -> &'static str {
        match self {
            OverrideVerdict::LicenseRequired => "license required",
            OverrideVerdict::PresumptionOfDenial => "presumption of denial",
        }
    }
}

/// Who approved an override, and when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionOverride {
    pub order_id: String,
    pub verdict: OverrideVerdict,
    /// Why: required, and shown in every finding and report that mentions the override.
    pub reason: String,
    pub requested_by: String,
    /// RFC 3339 time of the request.
    pub requested_at: String,
    /// A reviewer's approval; until then the override has no effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<Approval>,
}
