//! An order's timeline: every event that touched it, from the audit trail alone, in words an
//! auditor can follow — "created by alice on 2025-07-01 · decision changed on 2025-07-09 because
//! order Q3-011 was back-dated (authorized under LPP → license required) · licence D123456
//! approved on 2025-07-20 · match cleared by bob: a namesake".
//!
//! Three kinds of events reach an order's timeline: events about the order itself (added,
//! edited, voided, its licence, its screening matches, its overrides); events about something
//! else that changed its decision (caps are cumulative: an order back-dated before it, a licence
//! approved, a party cleared); and decisions on the licence it ships under.

use super::audit::{Action, AuditEvent};
use super::event_text::{cause, day, edit_how, edited_fields, effect_line, licence_state};
use super::model::Resolution;
use crate::rules::{Licence, LicenceOutcome, Order};

/// Why an event is on the order's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// The event is about the order.
    Own,
    /// Another change altered the order's verdict or authority.
    Effect,
    /// A decision on the licence the order ships under.
    Licence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub seq: u64,
    /// RFC 3339, as recorded.
    pub at: String,
    pub user: String,
    pub kind: EntryKind,
    /// "created by alice on 2025-07-01".
    pub text: String,
}

/// The timeline of order `order_id`, oldest first.
pub fn order_timeline(history: &[AuditEvent], order_id: &str) -> Vec<TimelineEntry> {
    // The licence reference the order names, as the history last recorded the order.
    let mut ships_under: Option<String> = None;
    let mut out = Vec::new();
    for e in history {
        let own = e.action.order_ids().contains(&order_id);
        if let Some(o) = order_in(&e.action, order_id) {
            ships_under = o.licence.clone();
        }
        let entry = |kind, text| TimelineEntry {
            seq: e.seq,
            at: e.at.clone(),
            user: e.user.clone(),
            kind,
            text,
        };
        if own {
            out.push(entry(EntryKind::Own, own_text(e)));
        } else if let Some(l) = named_licence(&e.action, ships_under.as_deref()) {
            out.push(entry(EntryKind::Licence, shipped_licence_text(e, l)));
        }
        if let Some(c) = e.effects.iter().find(|c| c.order_id == order_id) {
            let line = effect_line(c);
            let outcome = line.split_once(": ").map_or(line.as_str(), |(_, o)| o);
            out.push(entry(
                EntryKind::Effect,
                format!(
                    "decision changed on {} because {} ({outcome})",
                    day(&e.at),
                    cause(&e.action)
                ),
            ));
        }
    }
    out
}

/// The whole timeline as one line, entries joined by " · ".
pub fn sentence(entries: &[TimelineEntry]) -> String {
    entries
        .iter()
        .map(|e| e.text.as_str())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The order as the action records it (its latest form), if the action carries it.
fn order_in<'a>(action: &'a Action, id: &str) -> Option<&'a Order> {
    match action {
        Action::OrderAdded { order } | Action::OrderRestored { order } => {
            (order.id == id).then_some(order)
        }
        Action::OrderEdited { after, .. } => (after.id == id).then_some(after),
        Action::OrdersImported { orders, .. } => orders.iter().find(|o| o.id == id),
        Action::Imported { snapshot, .. } => snapshot.orders.iter().find(|o| o.id == id),
        _ => None,
    }
}

/// A licence decision on the licence `reference` names (not the order's own application).
fn named_licence<'a>(action: &'a Action, reference: Option<&str>) -> Option<&'a Licence> {
    let r = reference?;
    match action {
        Action::LicenceSaved { after, .. } if after.is_named(r) => Some(after),
        _ => None,
    }
}

fn with_reason(mut s: String, reason: &str) -> String {
    if !reason.is_empty() {
        s.push_str(": ");
        s.push_str(reason);
    }
    s
}

/// An event about the order itself.
fn own_text(e: &AuditEvent) -> String {
    let (who, on) = (&e.user, day(&e.at));
    match &e.action {
        Action::OrderAdded { .. } => format!("created by {who} on {on}"),
        Action::OrdersImported { source, .. } => {
            format!("imported from {source} by {who} on {on}")
        }
        Action::Imported { from_version, .. } => {
            format!("in the session imported from version {from_version} on {on}")
        }
        Action::OrderEdited { before, after } => {
            let fields = edited_fields(before, after);
            let fields = if fields.is_empty() {
                String::new()
            } else {
                format!(" ({fields})")
            };
            with_reason(
                format!("{}{fields} by {who} on {on}", edit_how(before, after)),
                &e.reason,
            )
        }
        Action::OrderVoided { .. } | Action::OrdersVoided { .. } => {
            with_reason(format!("voided by {who} on {on}"), &e.reason)
        }
        Action::OrderRestored { .. } => {
            with_reason(format!("restored by {who} on {on}"), &e.reason)
        }
        Action::LicenceSaved { before, after } => own_licence_text(before.as_ref(), after, who, on),
        Action::LicenceRemoved { licence } => {
            format!("licence {} removed by {who} on {on}", licence.reference())
        }
        Action::ScreeningDecided { decision } => {
            let what = match decision.resolution {
                Resolution::Cleared => "match cleared",
                Resolution::Confirmed => "match confirmed",
            };
            with_reason(
                format!(
                    "{what} by {who} on {on} ({} × {} “{}”)",
                    decision.party, decision.list, decision.entry_name
                ),
                &e.reason,
            )
        }
        Action::ScreeningReopened { decision } => with_reason(
            format!(
                "match of {} on the {} reopened by {who} on {on}",
                decision.party, decision.list
            ),
            &e.reason,
        ),
        Action::OverrideRequested { request } => with_reason(
            format!(
                "override to {} requested by {who} on {on}",
                request.verdict.label()
            ),
            &e.reason,
        ),
        Action::OverrideApproved { request, .. } => with_reason(
            format!(
                "override to {} approved by {who} on {on}",
                request.verdict.label()
            ),
            &e.reason,
        ),
        Action::OverrideWithdrawn { .. } => {
            with_reason(format!("override withdrawn by {who} on {on}"), &e.reason)
        }
        other => format!("{} by {who} on {on}", other.kind()),
    }
}

/// ", recorded by bob", with the day when it is not the day the act itself is dated.
fn recorded(who: &str, on: &str, act: Option<jiff::civil::Date>) -> String {
    match act {
        Some(d) if d.to_string() == on => format!(", recorded by {who}"),
        _ => format!(", recorded by {who} on {on}"),
    }
}

/// The day BIS decided, or the application's day while pending.
fn act_day(l: &Licence) -> jiff::civil::Date {
    match &l.outcome {
        LicenceOutcome::Pending => l.applied,
        LicenceOutcome::Approved { decided, .. } | LicenceOutcome::Denied { decided, .. } => {
            *decided
        }
    }
}

/// The order's own licence: applied for, decided, changed.
fn own_licence_text(before: Option<&Licence>, after: &Licence, who: &str, on: &str) -> String {
    let was_pending = before.is_none_or(|b| b.outcome == LicenceOutcome::Pending);
    let by = recorded(who, on, Some(act_day(after)));
    match &after.outcome {
        LicenceOutcome::Pending if before.is_none() => format!(
            "licence application {} filed {}{by}",
            after.application, after.applied
        ),
        LicenceOutcome::Approved { .. } | LicenceOutcome::Denied { .. } if was_pending => {
            format!("licence {}{by}", licence_state(after))
        }
        _ => format!(
            "licence {} changed by {who} on {on}: {}",
            after.reference(),
            licence_state(after)
        ),
    }
}

/// A decision on the licence the order ships under (applied for by another order).
fn shipped_licence_text(e: &AuditEvent, l: &Licence) -> String {
    format!(
        "licence it ships under {}{}",
        licence_state(l),
        recorded(&e.user, day(&e.at), Some(act_day(l)))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Engine, Item, LicenceAmount, VeuStatus};
    use crate::session::Workspace;
    use std::sync::{Arc, Mutex};

    fn order(id: &str, date: &str, qty: u64) -> Order {
        Order {
            id: id.into(),
            date: date.parse().unwrap(),
            destination: crate::cc!("IN"),
            consignee: "Bharat Compute Pvt".into(),
            consignee_hq: crate::cc!("IN"),
            parent: None,
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip("h100-sxm".into()),
            quantity: qty,
            licence: None,
        }
    }

    /// A workspace whose clock the test moves, and whose user it switches.
    fn workspace() -> (Workspace, Arc<Mutex<&'static str>>) {
        let now = Arc::new(Mutex::new("2025-07-01T09:00:00Z"));
        let t = Arc::clone(&now);
        let clock = Arc::new(move || t.lock().unwrap().parse().unwrap());
        let engine = Arc::new(Engine::embedded());
        let s = crate::session::Session::new("t", crate::session::RulesetRef::of(engine.loaded()));
        (Workspace::with_clock(engine, s, "alice".into(), clock), now)
    }

    #[test]
    fn back_dating_licences_and_voiding_are_told_in_order() {
        let (mut ws, now) = workspace();
        ws.add_order(order("A", "2025-08-20", 1_000)).unwrap();
        ws.add_order(order("B", "2025-08-14", 700)).unwrap();
        *now.lock().unwrap() = "2025-07-09T10:30:00Z";
        // A moves before B: A takes the LPP room, B needs a licence.
        ws.perform(
            Action::OrderEdited {
                before: order("A", "2025-08-20", 1_000),
                after: order("A", "2025-07-23", 1_000),
            },
            "Shipped 23 July (bill of lading)",
        )
        .unwrap();
        let applied = Licence {
            application: "Z1".into(),
            order_id: "B".into(),
            applied: "2025-07-10".parse().unwrap(),
            outcome: LicenceOutcome::Pending,
        };
        *now.lock().unwrap() = "2025-07-10T08:00:00Z";
        ws.save_licence(None, applied.clone()).unwrap();
        let mut approved = applied.clone();
        approved.outcome = LicenceOutcome::Approved {
            number: "D123456".into(),
            decided: "2025-07-20".parse().unwrap(),
            approved: LicenceAmount::Units(1_000),
            valid_until: "2027-07-20".parse().unwrap(),
            conditions: String::new(),
        };
        ws.user = "bob".into();
        *now.lock().unwrap() = "2025-07-21T08:00:00Z";
        ws.save_licence(Some(&applied), approved).unwrap();
        let mut c = order("C", "2025-09-01", 100);
        c.licence = Some("D123456".into());
        ws.add_order(c).unwrap();
        *now.lock().unwrap() = "2025-07-22T08:00:00Z";
        ws.void_order(2, "Customer cancelled").unwrap();

        let b = sentence(&order_timeline(&ws.session.history, "B"));
        assert_eq!(
            b,
            "created by alice on 2025-07-01 · decision changed on 2025-07-09 because order A \
             was back-dated (authorized under LPP → license required) · licence application Z1 \
             filed 2025-07-10, recorded by alice · licence approved as D123456 on 2025-07-20: \
             1,000 units until 2027-07-20, recorded by bob on 2025-07-21"
        );
        let a = sentence(&order_timeline(&ws.session.history, "A"));
        assert_eq!(
            a,
            "created by alice on 2025-07-01 · decision changed on 2025-07-01 because order B \
             was added (authorized under LPP → license required) · back-dated (date 2025-08-20 \
             → 2025-07-23) by alice on 2025-07-09: Shipped 23 July (bill of lading)"
        );
        let c = order_timeline(&ws.session.history, "C");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].text, "voided by bob on 2025-07-22: Customer cancelled");
        assert!(order_timeline(&ws.session.history, "nope").is_empty());
    }

    #[test]
    fn a_later_order_naming_a_licence_hears_of_its_decisions() {
        let (mut ws, _) = workspace();
        let mut shipment = order("S", "2025-09-01", 10);
        shipment.licence = Some("Z9".into());
        ws.add_order(order("P", "2025-08-01", 5_000)).unwrap();
        ws.add_order(shipment).unwrap();
        let applied = Licence {
            application: "Z9".into(),
            order_id: "P".into(),
            applied: "2025-07-01".parse().unwrap(),
            outcome: LicenceOutcome::Pending,
        };
        ws.save_licence(None, applied).unwrap();
        let t = order_timeline(&ws.session.history, "S");
        assert_eq!(t.last().unwrap().kind, EntryKind::Licence);
        assert!(
            t.last()
                .unwrap()
                .text
                .starts_with("licence it ships under application Z9 filed 2025-07-01, pending"),
            "{t:?}"
        );
    }
}
