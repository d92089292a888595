//! Licences on top of the rules: an approved licence authorizes an order that needs one, drawing
//! on the licence; a denied application releases what its order held of the allocation.

use super::{Findings, Route};
use crate::rules::decision::{Authority, Decision, Draw, LedgerKind, Severity, Verdict};
use crate::rules::finding::FindingCode;
use crate::rules::licence::{LicenceAmount, LicenceOutcome};

/// Applies the order's licence, if it has one and needs one.
pub(super) fn apply(
    route: &Route,
    allocation_before: Option<u64>,
    d: &mut Decision,
    f: &mut Findings,
) {
    let order = route.order;
    let licences = route.ctx.licences;
    // A reference to a licence the session does not have is a typo worth saying, whatever the
    // order's route.
    if let Some(r) = order.licence.as_deref()
        && !licences.iter().any(|l| l.is_named(r))
    {
        f.push(FindingCode::LicenceUnknown, Severity::Warning);
    }
    if !matches!(
        d.verdict,
        Verdict::LicenseRequired | Verdict::PresumptionOfDenial
    ) {
        return;
    }
    let applying = licences.iter().position(|l| l.order_id == order.id);
    let found = applying.map(|i| (i, true)).or_else(|| {
        let reference = order.licence.as_deref()?;
        licences
            .iter()
            .position(|l| l.is_named(reference))
            .map(|i| (i, false))
    });
    let Some((i, applying)) = found else {
        return;
    };
    let index = u32::try_from(i).unwrap_or(u32::MAX);
    match &licences[i].outcome {
        LicenceOutcome::Pending => f.push(
            FindingCode::LicencePending { licence: index },
            Severity::Info,
        ),
        LicenceOutcome::Denied { .. } => {
            f.push(
                FindingCode::LicenceDenied {
                    licence: index,
                    applying_order: applying,
                },
                Severity::Deny,
            );
            if applying {
                release_allocation(d, allocation_before);
            }
        }
        LicenceOutcome::Approved {
            decided,
            approved,
            valid_until,
            ..
        } => {
            if order.date < *decided {
                f.push(
                    FindingCode::LicenceNotYetApproved { licence: index },
                    Severity::Warning,
                );
            } else if order.date > *valid_until {
                f.push(
                    FindingCode::LicenceExpired { licence: index },
                    Severity::Warning,
                );
            } else {
                let grant = Grant {
                    index,
                    approved: *approved,
                    applying,
                };
                grant.draw(route, allocation_before, d, f);
            }
        }
    }
}

/// What a denied application's order held of the allocation is given back.
fn release_allocation(d: &mut Decision, allocation_before: Option<u64>) {
    if matches!(
        d.draw.map(|dr| dr.ledger),
        Some(LedgerKind::CountryAllocation { .. })
    ) {
        d.draw = None;
    }
    d.allocation_draw = 0;
    d.allocation_remaining_tpp = allocation_before;
}

/// An approved licence valid on the order's date.
struct Grant {
    index: u32,
    approved: LicenceAmount,
    /// The order the licence was applied for (it carries the allocation draw).
    applying: bool,
}

impl Grant {
    fn draw(
        &self,
        route: &Route,
        allocation_before: Option<u64>,
        d: &mut Decision,
        f: &mut Findings,
    ) {
        let order = route.order;
        let (units, limit, need) = match self.approved {
            LicenceAmount::Units(n) => (true, n, order.quantity),
            LicenceAmount::Tpp(t) => (false, t, d.tpp),
        };
        let used = route.ledger.licence_used(self.index);
        let remaining = limit.saturating_sub(used);
        if need > remaining {
            f.push(
                FindingCode::LicenceUsedUp {
                    licence: self.index,
                    remaining,
                    needed: need,
                    units,
                },
                Severity::Warning,
            );
            return;
        }
        d.verdict = Verdict::Authorized;
        d.authority = Authority::License;
        d.draw = Some(Draw {
            ledger: LedgerKind::Licence {
                index: self.index,
                units,
            },
            limit: Some(limit),
            used_before: used,
            amount: need,
        });
        f.push(
            FindingCode::LicenceDraws {
                licence: self.index,
                limit,
                used_after: used + need,
                units,
            },
            Severity::Pass,
        );
        self.draw_allocation(order, allocation_before, d, f);
    }

    /// The approved amount draws a Tier 2 country's allocation once, through the applying order;
    /// other shipments under the licence draw nothing more from it.
    fn draw_allocation(
        &self,
        order: &crate::rules::Order,
        allocation_before: Option<u64>,
        d: &mut Decision,
        f: &mut Findings,
    ) {
        d.allocation_remaining_tpp = allocation_before;
        d.allocation_draw = 0;
        let Some(before) = allocation_before else {
            return;
        };
        if !self.applying {
            return;
        }
        let amount = match self.approved {
            LicenceAmount::Tpp(t) => t,
            LicenceAmount::Units(n) => {
                let per_unit = d.tpp.checked_div(order.quantity).unwrap_or(0);
                per_unit.saturating_mul(n)
            }
        };
        d.allocation_draw = amount;
        d.allocation_remaining_tpp = Some(before.saturating_sub(amount));
        f.push(
            FindingCode::LicenceAllocation {
                licence: self.index,
                country: order.destination,
                amount,
            },
            Severity::Info,
        );
    }
}
