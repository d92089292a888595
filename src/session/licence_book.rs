//! Where each licence of a session stands: applied, approved and drawing, used up, expired or
//! denied, with what it has authorized and which orders shipped under it. Read from the
//! decisions the engine derived (each shipment's draw on the licence), so the Licences view, the
//! order lines and the period report agree with the engine by construction.

use crate::format;
use crate::rules::{
    Authority, Decision, Engine, LedgerKind, Licence, LicenceAmount, LicenceOutcome, Order,
};
use jiff::civil::Date;

/// A licence's standing on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    /// Applied for; BIS has not decided.
    Applied,
    /// Approved, valid, with something left.
    Drawing,
    /// Approved, and everything it allows has shipped.
    UsedUp,
    /// Approved, and past its last valid day.
    Expired,
    Denied,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Applied => "applied",
            Standing::Drawing => "approved and drawing",
            Standing::UsedUp => "used up",
            Standing::Expired => "expired",
            Standing::Denied => "denied",
        }
    }

    pub const ALL: [Standing; 5] = [
        Standing::Applied,
        Standing::Drawing,
        Standing::UsedUp,
        Standing::Expired,
        Standing::Denied,
    ];
}

/// One licence of the session and what the book does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceUse {
    /// Index into the session's licences.
    pub index: usize,
    pub standing: Standing,
    /// The approved amount, once approved (units or TPP, see `units`).
    pub limit: Option<u64>,
    pub units: bool,
    /// What shipments under it have taken, in its unit.
    pub used: u64,
    /// TPP of a Tier 2 destination's allocation its approval drew (once, through the applying
    /// order).
    pub allocation_tpp: u64,
    /// The order it was applied for (book index), when that order is in the book.
    pub applying_order: Option<usize>,
    /// Orders (book indices) that shipped under it, in evaluation (date) order.
    pub shipments: Vec<usize>,
    /// Orders naming it (or applying for it) that it does not authorize: pending, denied,
    /// used up, expired or not yet approved on their date.
    pub not_authorized: Vec<usize>,
}

impl LicenceUse {
    /// What is left of the approved amount.
    pub fn left(&self) -> Option<u64> {
        self.limit.map(|l| l.saturating_sub(self.used))
    }

    /// "1.2B TPP" or "21,000 units" in the licence's own unit.
    pub fn amount_text(&self, v: u64) -> String {
        if self.units {
            format!("{} units", format::thousands(v))
        } else {
            format!("{} TPP", format::tpp(v))
        }
    }

    /// "1.2B of 1.6B TPP left", or the standing when nothing was approved.
    pub fn left_text(&self) -> String {
        match (self.left(), self.limit) {
            (Some(left), Some(limit)) => {
                let unit = if self.units { "units" } else { "TPP" };
                let n = |v| {
                    if self.units {
                        format::thousands(v)
                    } else {
                        format::tpp(v)
                    }
                };
                format!("{} of {} {unit} left", n(left), n(limit))
            }
            _ => self.standing.label().to_string(),
        }
    }
}

/// Every licence of the session with its standing on `as_of` (expiry is judged on that day),
/// counting every order of the book (planned shipments hold their share of a licence).
/// `decisions[i]` is the decision of `orders[i]`.
pub fn licence_uses(
    licences: &[Licence],
    orders: &[Order],
    decisions: &[Decision],
    as_of: Date,
) -> Vec<LicenceUse> {
    uses(licences, orders, decisions, as_of, None)
}

/// As [`licence_uses`], counting only orders dated on or before `as_of` (a period report's
/// "as of the period's end").
pub fn licence_uses_through(
    licences: &[Licence],
    orders: &[Order],
    decisions: &[Decision],
    as_of: Date,
) -> Vec<LicenceUse> {
    uses(licences, orders, decisions, as_of, Some(as_of))
}

fn uses(
    licences: &[Licence],
    orders: &[Order],
    decisions: &[Decision],
    as_of: Date,
    cutoff: Option<Date>,
) -> Vec<LicenceUse> {
    let by_date: Vec<usize> = Engine::evaluation_order(orders)
        .into_iter()
        .filter(|&i| cutoff.is_none_or(|c| orders[i].date <= c))
        .collect();
    licences
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let drawing = |i: usize| {
                decisions
                    .get(i)
                    .and_then(|d| d.draw)
                    .and_then(|dr| match dr.ledger {
                        LedgerKind::Licence { index: k, .. } if k as usize == index => {
                            Some(dr.amount)
                        }
                        _ => None,
                    })
            };
            let names_it = |o: &Order| {
                o.id == l.order_id || o.licence.as_deref().is_some_and(|r| l.is_named(r))
            };
            let mut u = LicenceUse {
                index,
                standing: Standing::Applied,
                limit: None,
                units: false,
                used: 0,
                allocation_tpp: 0,
                applying_order: orders.iter().position(|o| o.id == l.order_id),
                shipments: Vec::new(),
                not_authorized: Vec::new(),
            };
            for &i in &by_date {
                match drawing(i) {
                    Some(amount) => {
                        u.used = u.used.saturating_add(amount);
                        u.shipments.push(i);
                    }
                    None if names_it(&orders[i]) => u.not_authorized.push(i),
                    None => {}
                }
            }
            u.allocation_tpp = u
                .applying_order
                .filter(|&i| cutoff.is_none_or(|c| orders[i].date <= c))
                .and_then(|i| decisions.get(i))
                .filter(|d| d.authority == Authority::License)
                .map_or(0, |d| d.allocation_draw);
            (u.standing, u.limit, u.units) = standing(l, u.used, as_of);
            u
        })
        .collect()
}

fn standing(l: &Licence, used: u64, as_of: Date) -> (Standing, Option<u64>, bool) {
    match &l.outcome {
        LicenceOutcome::Pending => (Standing::Applied, None, false),
        LicenceOutcome::Denied { .. } => (Standing::Denied, None, false),
        LicenceOutcome::Approved {
            approved,
            valid_until,
            ..
        } => {
            let (limit, units) = match *approved {
                LicenceAmount::Units(n) => (n, true),
                LicenceAmount::Tpp(t) => (t, false),
            };
            let s = if used >= limit {
                Standing::UsedUp
            } else if *valid_until < as_of {
                Standing::Expired
            } else {
                Standing::Drawing
            };
            (s, Some(limit), units)
        }
    }
}

/// The licences an order has to do with: the one it applied for and the one it names.
pub fn licences_of(licences: &[Licence], order: &Order) -> Vec<usize> {
    licences
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.order_id == order.id || order.licence.as_deref().is_some_and(|r| l.is_named(r))
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{BookContext, Item, Scenario, VeuStatus};

    fn order(id: &str, date: &str, qty: u64, licence: Option<&str>) -> Order {
        Order {
            id: id.into(),
            date: date.parse().unwrap(),
            destination: crate::cc!("MY"),
            consignee: "Johor Hyperscale Sdn Bhd".into(),
            consignee_hq: crate::cc!("MY"),
            parent: None,
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip("b200".into()),
            quantity: qty,
            licence: licence.map(str::to_string),
        }
    }

    fn approved(units: u64, valid_until: &str) -> Licence {
        Licence {
            application: "Z1".into(),
            order_id: "A".into(),
            applied: "2025-06-01".parse().unwrap(),
            outcome: LicenceOutcome::Approved {
                number: "D1".into(),
                decided: "2025-06-20".parse().unwrap(),
                approved: LicenceAmount::Units(units),
                valid_until: valid_until.parse().unwrap(),
                conditions: String::new(),
            },
        }
    }

    fn uses(licences: &[Licence], orders: &[Order], as_of: &str) -> Vec<LicenceUse> {
        let engine = Engine::embedded();
        let scenario = Scenario::default();
        let ctx = BookContext {
            licences,
            ..BookContext::new(&scenario)
        };
        let d = engine.evaluate_book_in(&ctx, orders);
        licence_uses(licences, orders, &d, as_of.parse().unwrap())
    }

    #[test]
    fn drawing_used_up_and_expired() {
        let orders = [
            order("A", "2025-07-01", 1_000, None),
            // Each too large for the consignee's LPP room: they need the licence.
            order("B", "2025-08-01", 1_000, Some("D1")),
            order("C", "2025-09-01", 1_200, Some("d1")),
        ];
        let l = [approved(2_500, "2027-06-30")];
        let u = &uses(&l, &orders, "2025-09-30")[0];
        assert_eq!(u.standing, Standing::Drawing);
        assert_eq!((u.used, u.left(), u.units), (2_000, Some(500), true));
        assert_eq!(u.shipments, [0, 1]);
        assert_eq!(u.not_authorized, [2], "1,200 more than the 500 left");
        assert_eq!(u.left_text(), "500 of 2,500 units left");
        assert!(
            u.allocation_tpp > 0,
            "the approval draws Malaysia's allocation"
        );

        let l = [approved(2_000, "2027-06-30")];
        let u = &uses(&l, &orders[..2], "2025-09-30")[0];
        assert_eq!(u.standing, Standing::UsedUp);
        // Through 31 July only A had shipped.
        let engine = Engine::embedded();
        let scenario = Scenario::default();
        let ctx = BookContext {
            licences: &l,
            ..BookContext::new(&scenario)
        };
        let d = engine.evaluate_book_in(&ctx, &orders[..2]);
        let u = &licence_uses_through(&l, &orders[..2], &d, "2025-07-31".parse().unwrap())[0];
        assert_eq!(
            (u.standing, u.used, u.shipments.len()),
            (Standing::Drawing, 1_000, 1)
        );

        let l = [approved(2_500, "2025-08-15")];
        let u = &uses(&l, &orders, "2025-09-30")[0];
        assert_eq!(u.standing, Standing::Expired);
        assert_eq!(u.shipments, [0, 1]);
        assert_eq!(u.not_authorized, [2]);
    }

    #[test]
    fn pending_and_denied_authorize_nothing() {
        let orders = [order("A", "2025-07-01", 1_000, None)];
        let mut l = approved(1, "2027-01-01");
        l.outcome = LicenceOutcome::Pending;
        let u = &uses(std::slice::from_ref(&l), &orders, "2025-09-30")[0];
        assert_eq!((u.standing, u.limit), (Standing::Applied, None));
        assert_eq!(u.not_authorized, [0]);
        assert_eq!(u.left_text(), "applied");
        l.outcome = LicenceOutcome::Denied {
            decided: "2025-06-30".parse().unwrap(),
            reason: String::new(),
        };
        let u = &uses(&[l], &orders, "2025-09-30")[0];
        assert_eq!(u.standing, Standing::Denied);
        assert_eq!(u.allocation_tpp, 0);
    }
}
