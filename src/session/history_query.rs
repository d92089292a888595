//! Filtering the audit trail by order, party, user and date (pure; the History view caches the
//! result by the history's length and the filter, since the history only grows).

use super::audit::{Action, AuditEvent, party_key};
use super::event_text::day;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HistoryFilter {
    /// Part of an order id (case-insensitive): events about the order or changing its decision.
    pub order: String,
    /// Part of a party's name: events naming the party, or about orders that name it.
    pub party: String,
    /// Part of a user name (case-insensitive).
    pub user: String,
    /// Events recorded on or after this day (UTC).
    pub from: Option<Date>,
    /// Events recorded on or before this day (UTC).
    pub to: Option<Date>,
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Positions (into `history`) of the events passing `filter`, oldest first.
pub fn filter(history: &[AuditEvent], filter: &HistoryFilter) -> Vec<usize> {
    let order = filter.order.trim().to_lowercase();
    let user = filter.user.trim().to_lowercase();
    let party = party_key(&filter.party);
    // Orders naming the party, from the history itself (voided and edited ones included), so
    // licence and override events about them match too.
    let party_orders: HashSet<String> = if party.is_empty() {
        HashSet::new()
    } else {
        parties_by_order(history)
            .into_iter()
            .filter(|(_, names)| names.iter().any(|n| n.contains(&party)))
            .map(|(id, _)| id)
            .collect()
    };
    history
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let d = day(&e.at).parse::<Date>().ok();
            let ids = || {
                e.action
                    .order_ids()
                    .into_iter()
                    .chain(e.effects.iter().map(|c| c.order_id.as_str()))
            };
            (user.is_empty() || e.user.to_lowercase().contains(&user))
                && filter.from.is_none_or(|f| d.is_some_and(|d| d >= f))
                && filter.to.is_none_or(|t| d.is_some_and(|d| d <= t))
                && (order.is_empty() || ids().any(|id| id.to_lowercase().contains(&order)))
                && (party.is_empty()
                    || e.action
                        .party_names()
                        .iter()
                        .any(|n| party_key(n).contains(&party))
                    || e.action
                        .order_ids()
                        .iter()
                        .any(|id| party_orders.contains(*id)))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Every order id the history mentions, with the party keys its versions named.
fn parties_by_order(history: &[AuditEvent]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let mut note = |o: &crate::rules::Order| {
        let names = map.entry(o.id.clone()).or_default();
        for (_, n) in o.party_names() {
            let k = party_key(n);
            if !names.contains(&k) {
                names.push(k);
            }
        }
    };
    for e in history {
        match &e.action {
            Action::OrderAdded { order } | Action::OrderRestored { order } => note(order),
            Action::OrderEdited { before, after } => {
                note(before);
                note(after);
            }
            Action::OrdersImported { orders, .. } => orders.iter().for_each(&mut note),
            Action::Imported { snapshot, .. } => {
                snapshot.orders.iter().for_each(&mut note);
                snapshot.voided.iter().for_each(|v| note(&v.order));
            }
            _ => {}
        }
    }
    map
}

/// The users who recorded events, in order of first appearance.
pub fn users(history: &[AuditEvent]) -> Vec<String> {
    let mut seen = Vec::<String>::new();
    for e in history {
        if !seen.contains(&e.user) {
            seen.push(e.user.clone());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Engine, Item, Order, VeuStatus};
    use crate::session::Workspace;
    use std::sync::{Arc, Mutex};

    fn order(id: &str, consignee: &str, date: &str) -> Order {
        Order {
            id: id.into(),
            date: date.parse().unwrap(),
            destination: crate::cc!("IN"),
            consignee: consignee.into(),
            consignee_hq: crate::cc!("IN"),
            parent: None,
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip("h100-sxm".into()),
            quantity: 1_000,
            licence: None,
        }
    }

    #[test]
    fn filters_by_order_party_user_and_day() {
        let now = Arc::new(Mutex::new("2025-07-01T09:00:00Z"));
        let t = Arc::clone(&now);
        let engine = Arc::new(Engine::embedded());
        let s = crate::session::Session::new("t", crate::session::RulesetRef::of(engine.loaded()));
        let clock = Arc::new(move || t.lock().unwrap().parse().unwrap());
        let mut ws = Workspace::with_clock(engine, s, "alice".into(), clock);
        ws.add_order(order("Q3-001", "Bharat Compute Pvt", "2025-07-02"))
            .unwrap();
        *now.lock().unwrap() = "2025-07-05T09:00:00Z";
        ws.user = "bob".into();
        ws.add_order(order("Q3-002", "Sakura AI KK", "2025-07-01"))
            .unwrap();
        ws.void_order(0, "Duplicate").unwrap();
        let h = &ws.session.history;
        assert_eq!(h.len(), 4, "created, two added, one voided");
        let f = |f: HistoryFilter| filter(h, &f);
        assert_eq!(f(HistoryFilter::default()), [0, 1, 2, 3]);
        let by_order = HistoryFilter {
            order: "q3-001".into(),
            ..Default::default()
        };
        assert_eq!(f(by_order), [1, 3]);
        let by_party = HistoryFilter {
            party: "bharat compute".into(),
            ..Default::default()
        };
        assert_eq!(f(by_party), [1, 3]);
        let by_user = HistoryFilter {
            user: "BOB".into(),
            ..Default::default()
        };
        assert_eq!(f(by_user), [2, 3]);
        let by_day = HistoryFilter {
            from: Some("2025-07-02".parse().unwrap()),
            to: Some("2025-07-05".parse().unwrap()),
            ..Default::default()
        };
        assert_eq!(f(by_day), [2, 3]);
        assert_eq!(users(h), ["alice", "bob"]);
    }
}
