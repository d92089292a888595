//! Which decisions a what-if changes, and why: the order book evaluated under the rule as written
//! beside the same book under the what-if, reduced to the orders whose verdict or authority
//! differs, each with the finding of the what-if that decides it, and a one-line summary such as
//! "12 orders change: 9 license_required → authorized, 3 authorized → license_required".
//! Pure domain, no egui.

use super::audit::Outcome;
use crate::rules::{Authority, Decision, Finding, Order, Severity, Verdict};

/// One order whose outcome the what-if changes.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderChange {
    /// Index into the order book.
    pub index: usize,
    pub order_id: String,
    /// Under the rule as written.
    pub before: Outcome,
    /// Under the what-if.
    pub after: Outcome,
    /// The what-if's finding that decides the new outcome (see [`deciding_finding`]).
    pub reason: Option<Finding>,
}

/// How many orders go from one outcome to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Verdict,
    pub to: Verdict,
    /// Set when the verdict stays and only the authority changes (authorized under LPP →
    /// authorized under NVEU).
    pub authorities: Option<(Authority, Authority)>,
    pub count: usize,
}

impl Transition {
    /// "license_required → authorized", or "authorized (LPP) → authorized (NVEU)".
    pub fn label(&self) -> String {
        match self.authorities {
            None => format!("{} → {}", self.from.as_str(), self.to.as_str()),
            Some((a, b)) => format!(
                "{} ({}) → {} ({})",
                self.from.as_str(),
                a.as_str(),
                self.to.as_str(),
                b.as_str()
            ),
        }
    }
}

/// The decisions a what-if changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WhatIfDiff {
    /// In book order.
    pub changes: Vec<OrderChange>,
    /// The number of orders compared.
    pub orders: usize,
}

impl WhatIfDiff {
    /// Compares `base[i]` with `what_if[i]`, the decisions of `orders[i]` under the rule as
    /// written and under the what-if.
    pub fn new(orders: &[Order], base: &[Decision], what_if: &[Decision]) -> Self {
        let changes = orders
            .iter()
            .zip(base.iter().zip(what_if))
            .enumerate()
            .filter(|(_, (_, (b, w)))| b.outcome_differs(w))
            .map(|(index, (o, (b, w)))| OrderChange {
                index,
                order_id: o.id.clone(),
                before: Outcome::of(b),
                after: Outcome::of(w),
                reason: deciding_finding(b, w),
            })
            .collect();
        Self {
            changes,
            orders: orders.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether order `index` of the book changes.
    pub fn changes_order(&self, index: usize) -> bool {
        self.changes
            .binary_search_by_key(&index, |c| c.index)
            .is_ok()
    }

    pub fn change_of(&self, index: usize) -> Option<&OrderChange> {
        self.changes
            .binary_search_by_key(&index, |c| c.index)
            .ok()
            .map(|i| &self.changes[i])
    }

    /// The changes grouped by outcome, most frequent first (ties in order of first appearance).
    pub fn transitions(&self) -> Vec<Transition> {
        let mut out: Vec<Transition> = Vec::new();
        for c in &self.changes {
            let authorities = (c.before.verdict == c.after.verdict)
                .then_some((c.before.authority, c.after.authority));
            let (from, to) = (c.before.verdict, c.after.verdict);
            match out
                .iter_mut()
                .find(|t| t.from == from && t.to == to && t.authorities == authorities)
            {
                Some(t) => t.count += 1,
                None => out.push(Transition {
                    from,
                    to,
                    authorities,
                    count: 1,
                }),
            }
        }
        // A stable sort keeps first appearance among equal counts.
        out.sort_by_key(|t| std::cmp::Reverse(t.count));
        out
    }

    /// "12 orders change: 9 license_required → authorized, 3 authorized → license_required";
    /// "No order changes (10 orders compared)".
    pub fn summary(&self) -> String {
        let n = self.changes.len();
        if n == 0 {
            return format!(
                "No order changes ({} compared)",
                orders_word(self.orders, "order")
            );
        }
        let parts: Vec<String> = self
            .transitions()
            .iter()
            .map(|t| format!("{} {}", t.count, t.label()))
            .collect();
        format!(
            "{} change{}: {}",
            orders_word(n, "order"),
            if n == 1 { "s" } else { "" },
            parts.join(", ")
        )
    }
}

fn orders_word(n: usize, noun: &str) -> String {
    format!(
        "{} {noun}{}",
        crate::format::thousands(n as u64),
        if n == 1 { "" } else { "s" }
    )
}

/// The what-if's finding that explains its outcome for an order, preferring what the rule as
/// written did not say: first a kind of finding the baseline decision lacks (LPP_NO_ROOM once
/// there is no LPP room), then one it has with other figures (ALLOCATION_FITS against a doubled
/// allocation), then any. Within each, the weightiest (what stops the order, then the route that
/// holds, then a route that does not, then context), the first of those on ties, since the engine
/// lists findings in the order it tried the routes.
pub fn deciding_finding(base: &Decision, what_if: &Decision) -> Option<Finding> {
    let new_kind = |f: &&Finding| !base.findings.iter().any(|b| b.code_str() == f.code_str());
    let new_figures = |f: &&Finding| !base.findings.iter().any(|b| b.code == f.code);
    let all = || what_if.findings.iter();
    weightiest(all().filter(new_kind))
        .or_else(|| weightiest(all().filter(new_figures)))
        .or_else(|| weightiest(all()))
        .copied()
}

fn weightiest<'a>(it: impl Iterator<Item = &'a Finding>) -> Option<&'a Finding> {
    let weight = |s: Severity| match s {
        Severity::Deny => 3,
        Severity::Pass => 2,
        Severity::Warning => 1,
        Severity::Info => 0,
    };
    let mut best: Option<&Finding> = None;
    for f in it {
        if best.is_none_or(|b| weight(f.severity) > weight(b.severity)) {
            best = Some(f);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;
    use crate::rules::{Engine, FindingCode, Item, Scenario, Tier, VeuStatus, WhatIf};
    use jiff::civil::date;

    fn order(id: &str, dest: &str, consignee: &str, chip: &str, qty: u64) -> Order {
        let dest = crate::rules::CountryCode::parse(dest).unwrap();
        Order {
            id: id.into(),
            date: date(2025, 6, 1),
            destination: dest,
            consignee: consignee.into(),
            consignee_hq: dest,
            parent: None,
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip(chip.into()),
            quantity: qty,
            licence: None,
        }
    }

    fn evaluate(engine: &Engine, scenario: &Scenario, orders: &[Order]) -> Vec<Decision> {
        engine.evaluate_book(scenario, orders)
    }

    #[test]
    fn no_lpp_turns_lpp_orders_into_licences_and_says_why() {
        let base = Engine::embedded();
        let orders = vec![
            order("A", "IN", "Bharat", "h100-sxm", 100),
            order("B", "IN", "Bharat", "h100-sxm", 100),
            order("C", "MY", "Selangor", "h100-sxm", 2000),
            order("D", "CN", "Shenzhen", "h100-sxm", 10),
        ];
        let scenario = Scenario::default();
        let before = evaluate(&base, &scenario, &orders);
        let mut w = WhatIf::new("No LPP");
        w.changes.lpp_room_tpp_per_year = Some(0);
        let engine = w.engine(&base).unwrap();
        let after = evaluate(&engine, &w.scenario(&scenario), &orders);
        let diff = WhatIfDiff::new(&orders, &before, &after);
        assert_eq!(before[0].authority, Authority::Lpp);
        assert_eq!(
            diff.changes.iter().map(|c| c.index).collect::<Vec<_>>(),
            [0, 1],
            "{diff:?}"
        );
        assert!(diff.changes_order(1) && !diff.changes_order(2));
        let c = diff.change_of(0).unwrap();
        assert_eq!(c.before.verdict, Verdict::Authorized);
        assert_eq!(c.after.verdict, Verdict::LicenseRequired);
        assert!(
            matches!(c.reason.unwrap().code, FindingCode::LppNoRoom { .. }),
            "{:?}",
            c.reason
        );
        assert_eq!(
            diff.summary(),
            "2 orders change: 2 authorized → license_required"
        );
    }

    #[test]
    fn poland_in_tier1_authorizes_a_polish_company_under_aia() {
        let base = Engine::embedded();
        let orders = vec![order("P", "PL", "Warsaw AI", "h100-sxm", 5000)];
        let s = Scenario::default();
        let before = evaluate(&base, &s, &orders);
        let mut w = WhatIf::new("Poland in Tier 1");
        w.changes.tiers.insert(cc!("PL"), Tier::One);
        let after = evaluate(&w.engine(&base).unwrap(), &s, &orders);
        let diff = WhatIfDiff::new(&orders, &before, &after);
        assert_eq!(diff.changes.len(), 1);
        assert_eq!(diff.changes[0].before.verdict, Verdict::LicenseRequired);
        assert_eq!(diff.changes[0].after.authority, Authority::Aia);
        assert_eq!(
            diff.changes[0].reason.map(|f| f.code),
            Some(FindingCode::AiaApplies {
                with_parent: false,
                country: cc!("PL")
            })
        );
        assert_eq!(
            diff.summary(),
            "1 order changes: 1 license_required → authorized"
        );
    }

    #[test]
    fn summaries_group_and_count_transitions() {
        let o = |v: Verdict, a: Authority| Outcome {
            verdict: v,
            authority: a,
        };
        let change = |i: usize, b: Outcome, a: Outcome| OrderChange {
            index: i,
            order_id: format!("O{i}"),
            before: b,
            after: a,
            reason: Option::None,
        };
        use Authority::*;
        use Verdict::*;
        let mut changes = Vec::new();
        for i in 0..3 {
            changes.push(change(
                i,
                o(Authorized, Lpp),
                o(LicenseRequired, Authority::None),
            ));
        }
        for i in 3..12 {
            changes.push(change(
                i,
                o(LicenseRequired, Authority::None),
                o(Authorized, Aia),
            ));
        }
        changes.push(change(12, o(Authorized, Lpp), o(Authorized, Nveu)));
        let diff = WhatIfDiff {
            changes,
            orders: 20,
        };
        assert_eq!(
            diff.summary(),
            "13 orders change: 9 license_required → authorized, 3 authorized → \
             license_required, 1 authorized (LPP) → authorized (NVEU)"
        );
        assert_eq!(
            WhatIfDiff {
                changes: vec![],
                orders: 10
            }
            .summary(),
            "No order changes (10 orders compared)"
        );
    }
}
