//! Reviewer-approved overrides: a stricter verdict a person determined for an order.

use super::{BookContext, Findings};
use crate::rules::Order;
use crate::rules::decision::{Severity, Verdict};
use crate::rules::finding::FindingCode;
use crate::rules::override_request::OverrideVerdict;

/// The verdict an approved override sets for the order (the latest request counts); a request
/// still waiting for a reviewer is noted and has no effect.
pub(super) fn approved_for(ctx: &BookContext, order: &Order, f: &mut Findings) -> Option<Verdict> {
    let (i, o) = ctx
        .overrides
        .iter()
        .enumerate()
        .rev()
        .find(|(_, o)| o.order_id == order.id)?;
    let index = u32::try_from(i).unwrap_or(u32::MAX);
    if o.approved.is_none() {
        f.push(FindingCode::OverridePending { index }, Severity::Info);
        return None;
    }
    f.push(FindingCode::OverrideApplied { index }, Severity::Warning);
    Some(match o.verdict {
        OverrideVerdict::LicenseRequired => Verdict::LicenseRequired,
        OverrideVerdict::PresumptionOfDenial => Verdict::PresumptionOfDenial,
    })
}
