//! Audit events in words, for the History view, order timelines and period reports: what an event
//! is about, a one-line summary, why it changed other decisions, and its before/after field by
//! field. Pure text; no egui.

use super::audit::{Action, AuditEvent, DecisionChange};
use super::model::{Party, ScreeningDecision};
use crate::format;
use crate::rules::{DecisionOverride, Licence, LicenceAmount, LicenceOutcome, Order, Scenario};

/// One field of an event's before/after. An empty side means the field did not exist (added or
/// removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The date of an event's RFC 3339 time, "2025-07-09".
pub fn day(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// An event's time for tables, "2025-07-09 14:03" (UTC, as recorded).
pub fn time(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => at.to_string(),
    }
}

/// "21,000 units" or "1B TPP".
pub fn amount(a: LicenceAmount) -> String {
    match a {
        LicenceAmount::Units(n) => format!("{} units", format::thousands(n)),
        LicenceAmount::Tpp(t) => format!("{} TPP", format::tpp(t)),
    }
}

/// What the event is about, for the History table: "order Q3-014", "licence D123456", …
pub fn subject(action: &Action) -> String {
    match action {
        Action::Created => "session".into(),
        Action::Imported { snapshot, .. } => {
            format!(
                "session ({})",
                format::count(snapshot.orders.len(), "order")
            )
        }
        Action::OrderAdded { order }
        | Action::OrderVoided { order }
        | Action::OrderRestored { order } => format!("order {}", order.id),
        Action::OrderEdited { before, after } if before.id != after.id => {
            format!("order {} (now {})", before.id, after.id)
        }
        Action::OrderEdited { after, .. } => format!("order {}", after.id),
        Action::OrdersVoided { orders } | Action::OrdersImported { orders, .. } => {
            orders_subject(orders)
        }
        Action::PartySaved { after, .. } => format!("party {}", after.name),
        Action::PartyRemoved { party } => format!("party {}", party.name),
        Action::LicenceSaved { after, .. } => {
            format!("licence {} (order {})", after.reference(), after.order_id)
        }
        Action::LicenceRemoved { licence } => {
            format!(
                "licence {} (order {})",
                licence.reference(),
                licence.order_id
            )
        }
        Action::ScreeningDecided { decision } | Action::ScreeningReopened { decision } => {
            format!(
                "{} × {} (order {})",
                decision.party, decision.list, decision.order_id
            )
        }
        Action::OverrideRequested { request }
        | Action::OverrideApproved { request, .. }
        | Action::OverrideWithdrawn { request } => format!("order {}", request.order_id),
        Action::ScenarioChanged { .. } => "scenario".into(),
        Action::ScreeningThresholdChanged { .. } => "screening threshold".into(),
        Action::WhatIfSaved { after, .. } => format!("what-if {}", after.name),
        Action::WhatIfRemoved { what_if } => format!("what-if {}", what_if.name),
    }
}

fn orders_subject(orders: &[Order]) -> String {
    match orders {
        [one] => format!("order {}", one.id),
        [first, .., last] => format!(
            "{} ({} … {})",
            format::count(orders.len(), "order"),
            first.id,
            last.id
        ),
        [] => "no orders".into(),
    }
}

/// What a licence record says now: "application Z1 filed 2025-06-16", "approved as D1 for …".
pub fn licence_state(l: &Licence) -> String {
    match &l.outcome {
        LicenceOutcome::Pending => {
            format!("application {} filed {}, pending", l.application, l.applied)
        }
        LicenceOutcome::Approved {
            number,
            decided,
            approved,
            valid_until,
            ..
        } => format!(
            "approved as {number} on {decided}: {} until {valid_until}",
            amount(*approved)
        ),
        LicenceOutcome::Denied { decided, reason } => {
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!(" ({reason})")
            };
            format!("application {} denied on {decided}{why}", l.application)
        }
    }
}

/// Why other decisions changed, in words: "order Q3-011 was back-dated".
pub fn cause(action: &Action) -> String {
    match action {
        Action::Created => "the session was created".into(),
        Action::Imported { from_version, .. } => {
            format!("the session was imported from version {from_version}")
        }
        Action::OrderAdded { order } => format!("order {} was added", order.id),
        Action::OrderEdited { before, after } => {
            format!("order {} was {}", after.id, edit_how(before, after))
        }
        Action::OrderVoided { order } => format!("order {} was voided", order.id),
        Action::OrdersVoided { orders } => format!("{} were voided", orders_subject(orders)),
        Action::OrderRestored { order } => format!("order {} was restored", order.id),
        Action::OrdersImported { orders, source } => {
            format!("{} were imported from {source}", orders_subject(orders))
        }
        Action::PartySaved { after, .. } => format!("party {} was saved", after.name),
        Action::PartyRemoved { party } => format!("party {} was removed", party.name),
        Action::LicenceSaved { before, after } => licence_cause(before.as_ref(), after),
        Action::LicenceRemoved { licence } => {
            format!("licence {} was removed", licence.reference())
        }
        Action::ScreeningDecided { decision } => format!(
            "a match of {} on the {} was {}",
            decision.party,
            decision.list,
            decision.resolution.label()
        ),
        Action::ScreeningReopened { decision } => format!(
            "a match of {} on the {} was reopened",
            decision.party, decision.list
        ),
        Action::OverrideRequested { request } => {
            format!("an override of order {} was requested", request.order_id)
        }
        Action::OverrideApproved { request, .. } => {
            format!("an override of order {} was approved", request.order_id)
        }
        Action::OverrideWithdrawn { request } => {
            format!("an override of order {} was withdrawn", request.order_id)
        }
        Action::ScenarioChanged { .. } => "the scenario changed".into(),
        Action::ScreeningThresholdChanged { before, after } => {
            format!("the screening threshold changed from {before:.2} to {after:.2}")
        }
        Action::WhatIfSaved { after, .. } => format!("what-if {} was saved", after.name),
        Action::WhatIfRemoved { what_if } => format!("what-if {} was removed", what_if.name),
    }
}

fn licence_cause(before: Option<&Licence>, after: &Licence) -> String {
    let was_pending = before.is_none_or(|b| b.outcome == LicenceOutcome::Pending);
    match &after.outcome {
        LicenceOutcome::Pending if before.is_none() => format!(
            "licence application {} was filed for order {}",
            after.application, after.order_id
        ),
        LicenceOutcome::Approved { number, .. } if was_pending => {
            format!("licence {number} was approved")
        }
        LicenceOutcome::Denied { .. } if was_pending => {
            format!("licence application {} was denied", after.application)
        }
        _ => format!("licence {} was changed", after.reference()),
    }
}

/// How an edit moved an order: "back-dated", "moved to a later date" or "edited".
pub fn edit_how(before: &Order, after: &Order) -> &'static str {
    if after.date < before.date {
        "back-dated"
    } else if after.date > before.date {
        "moved to a later date"
    } else {
        "edited"
    }
}

/// The fields an edit changed, "date 2025-08-20 → 2025-07-23; quantity 700 → 600".
pub fn edited_fields(before: &Order, after: &Order) -> String {
    order_changes(Some(before), Some(after))
        .into_iter()
        .map(|c| format!("{} {} → {}", c.field, c.before, c.after))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line for lists: the cause, with the fields an edit changed.
pub fn summary(e: &AuditEvent) -> String {
    let mut s = capitalise(&cause(&e.action));
    if let Action::OrderEdited { before, after } = &e.action {
        let fields = edited_fields(before, after);
        if !fields.is_empty() {
            s.push_str(&format!(" ({fields})"));
        }
    }
    s
}

/// "Q3-021: authorized under LPP → license required".
pub fn effect_line(c: &DecisionChange) -> String {
    format!("{}: {} → {}", c.order_id, c.before.label(), c.after.label())
}

/// The event's before and after, field by field (fields that did not change are left out of
/// edits; additions and removals list every field that has a value).
pub fn changes(action: &Action) -> Vec<FieldChange> {
    match action {
        Action::Created => Vec::new(),
        Action::Imported {
            from_version,
            snapshot,
        } => vec![
            change("from format version", "", &from_version.to_string()),
            change("orders", "", &snapshot.orders.len().to_string()),
            change("voided orders", "", &snapshot.voided.len().to_string()),
            change("parties", "", &snapshot.parties.len().to_string()),
            change("licences", "", &snapshot.licences.len().to_string()),
        ],
        Action::OrderAdded { order } | Action::OrderRestored { order } => {
            order_changes(None, Some(order))
        }
        Action::OrderEdited { before, after } => order_changes(Some(before), Some(after)),
        Action::OrderVoided { order } => order_changes(Some(order), None),
        Action::OrdersVoided { orders } => {
            orders.iter().map(|o| change("order", &o.id, "")).collect()
        }
        Action::OrdersImported { orders, source } => {
            let mut v = vec![change("source", "", source)];
            v.extend(orders.iter().map(|o| change("order", "", &o.id)));
            v
        }
        Action::PartySaved { before, after } => {
            diff(party_fields(before.as_ref()), party_fields(Some(after)))
        }
        Action::PartyRemoved { party } => diff(party_fields(Some(party)), party_fields(None)),
        Action::LicenceSaved { before, after } => {
            diff(licence_fields(before.as_ref()), licence_fields(Some(after)))
        }
        Action::LicenceRemoved { licence } => {
            diff(licence_fields(Some(licence)), licence_fields(None))
        }
        Action::ScreeningDecided { decision } => diff(Vec::new(), screening_fields(decision)),
        Action::ScreeningReopened { decision } => diff(screening_fields(decision), Vec::new()),
        Action::OverrideRequested { request } => diff(Vec::new(), override_fields(request)),
        Action::OverrideApproved { request, approval } => {
            let before = override_fields(request);
            let mut after = before.clone();
            after.push(("approved by", approval.by.clone()));
            after.push(("approved at", time(&approval.at)));
            diff(before, after)
        }
        Action::OverrideWithdrawn { request } => diff(override_fields(request), Vec::new()),
        Action::ScreeningThresholdChanged { before, after } => vec![change(
            "match threshold",
            &format!("{before:.2}"),
            &format!("{after:.2}"),
        )],
        Action::ScenarioChanged { before, after } => {
            diff(scenario_fields(before), scenario_fields(after))
        }
        Action::WhatIfSaved { before, after } => diff(
            before
                .iter()
                .map(|w| ("what-if", format!("{}: {}", w.name, w.description)))
                .collect(),
            vec![("what-if", format!("{}: {}", after.name, after.description))],
        ),
        Action::WhatIfRemoved { what_if } => vec![change("what-if", &what_if.name, "")],
    }
}

fn change(field: &str, before: &str, after: &str) -> FieldChange {
    FieldChange {
        field: field.to_string(),
        before: before.to_string(),
        after: after.to_string(),
    }
}

type Fields = Vec<(&'static str, String)>;

/// Field-by-field difference of two labelled lists (same labels in the same order, or one empty).
fn diff(before: Fields, after: Fields) -> Vec<FieldChange> {
    let mut labels: Vec<&'static str> = before.iter().map(|(l, _)| *l).collect();
    for (l, _) in &after {
        if !labels.contains(l) {
            labels.push(l);
        }
    }
    let get = |fields: &Fields, label: &str| {
        fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    labels
        .into_iter()
        .map(|l| change(l, &get(&before, l), &get(&after, l)))
        .filter(|c| c.before != c.after)
        .collect()
}

fn order_fields(o: Option<&Order>) -> Fields {
    let Some(o) = o else { return Vec::new() };
    let r = o.to_raw();
    let mut v = vec![
        ("id", r.id),
        ("date", r.date),
        ("destination", r.destination),
        ("consignee", r.consignee),
        ("consignee HQ", r.consignee_hq),
        ("parent", r.parent),
        ("parent HQ", r.parent_hq),
        ("VEU", r.veu),
        ("item", r.item),
        ("quantity", r.quantity),
        ("training ops", r.training_ops),
        ("open weights", r.open_weights),
        ("ships under licence", r.licence),
    ];
    // "none" is the default VEU: say nothing rather than list it on every order.
    v.retain(|(l, val)| !(val.is_empty() || (*l == "VEU" && val == "none")));
    v
}

fn order_changes(before: Option<&Order>, after: Option<&Order>) -> Vec<FieldChange> {
    diff(order_fields(before), order_fields(after))
}

fn party_fields(p: Option<&Party>) -> Fields {
    let Some(p) = p else { return Vec::new() };
    let mut v = vec![("name", p.name.clone()), ("HQ", p.hq.to_string())];
    v.extend(p.parent.clone().map(|x| ("parent", x)));
    v.extend(p.parent_hq.map(|c| ("parent HQ", c.to_string())));
    if !p.veu.is_none() {
        v.push(("VEU", p.veu.as_str().to_string()));
    }
    v
}

fn licence_fields(l: Option<&Licence>) -> Fields {
    let Some(l) = l else { return Vec::new() };
    let mut v = vec![
        ("application", l.application.clone()),
        ("order", l.order_id.clone()),
        ("applied", l.applied.to_string()),
        ("state", l.state().label().to_string()),
    ];
    match &l.outcome {
        LicenceOutcome::Pending => {}
        LicenceOutcome::Approved {
            number,
            decided,
            approved,
            valid_until,
            conditions,
        } => {
            v.push(("licence number", number.clone()));
            v.push(("decided", decided.to_string()));
            v.push(("approved", amount(*approved)));
            v.push(("valid until", valid_until.to_string()));
            if !conditions.is_empty() {
                v.push(("conditions", conditions.clone()));
            }
        }
        LicenceOutcome::Denied { decided, reason } => {
            v.push(("decided", decided.to_string()));
            if !reason.is_empty() {
                v.push(("denial reason", reason.clone()));
            }
        }
    }
    v
}

fn screening_fields(d: &ScreeningDecision) -> Fields {
    vec![
        ("party", d.party.clone()),
        ("list", d.list.clone()),
        ("entry", d.entry_name.clone()),
        ("decision", d.resolution.label().to_string()),
        ("by", d.by.clone()),
        ("list vintage", d.list_vintage.clone()),
    ]
}

fn override_fields(o: &DecisionOverride) -> Fields {
    vec![
        ("order", o.order_id.clone()),
        ("verdict", o.verdict.label().to_string()),
        ("requested by", o.requested_by.clone()),
        ("reason", o.reason.clone()),
    ]
}

fn scenario_fields(s: &Scenario) -> Fields {
    let g2g: Vec<String> = s.g2g.iter().map(|c| c.to_string()).collect();
    // One line for every entity: the diff compares fields by label.
    let bases: Vec<String> = s
        .installed_base
        .iter()
        .map(|(entity, base)| {
            let parts: Vec<String> = base
                .iter()
                .map(|(c, t)| format!("{c} {}", format::tpp(*t)))
                .collect();
            format!("{entity}: {}", parts.join(", "))
        })
        .collect();
    vec![
        ("g2g arrangements", g2g.join(", ")),
        ("installed bases", bases.join("; ")),
    ]
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Item, VeuStatus};

    fn order(id: &str, date: &str) -> Order {
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
            quantity: 700,
            licence: None,
        }
    }

    #[test]
    fn an_edit_lists_only_what_changed_and_says_it_was_back_dated() {
        let a = Action::OrderEdited {
            before: order("Q3-011", "2025-08-20"),
            after: order("Q3-011", "2025-07-23"),
        };
        assert_eq!(
            changes(&a),
            vec![change("date", "2025-08-20", "2025-07-23")]
        );
        assert_eq!(cause(&a), "order Q3-011 was back-dated");
        assert_eq!(subject(&a), "order Q3-011");
    }

    #[test]
    fn licence_causes_follow_the_outcome() {
        let pending = Licence {
            application: "Z1".into(),
            order_id: "Q3-004".into(),
            applied: "2025-06-16".parse().unwrap(),
            outcome: LicenceOutcome::Pending,
        };
        let filed = Action::LicenceSaved {
            before: None,
            after: pending.clone(),
        };
        assert_eq!(
            cause(&filed),
            "licence application Z1 was filed for order Q3-004"
        );
        let mut approved = pending.clone();
        approved.outcome = LicenceOutcome::Approved {
            number: "D1".into(),
            decided: "2025-07-02".parse().unwrap(),
            approved: LicenceAmount::Units(21_000),
            valid_until: "2027-06-30".parse().unwrap(),
            conditions: String::new(),
        };
        let decided = Action::LicenceSaved {
            before: Some(pending),
            after: approved.clone(),
        };
        assert_eq!(cause(&decided), "licence D1 was approved");
        let c = changes(&decided);
        assert!(c.contains(&change("state", "applied", "approved")));
        assert!(c.contains(&change("approved", "", "21,000 units")));
        assert_eq!(
            licence_state(&approved),
            "approved as D1 on 2025-07-02: 21,000 units until 2027-06-30"
        );
    }

    #[test]
    fn times_read_as_date_and_minutes() {
        assert_eq!(time("2025-07-09T14:03:55Z"), "2025-07-09 14:03");
        assert_eq!(day("2025-07-09T14:03:55Z"), "2025-07-09");
        assert_eq!(day("junk"), "junk");
    }
}
