//! The audit trail: every change to an order, party, licence, screening decision, override or
//! scenario is an append-only event with time, user, action, before and after, and a reason where
//! one is required. Events are hash-chained (each carries the hash of the one before), so an edit
//! to the history shows: [`verify_chain`] says at which event the chain breaks, and [`replay`]
//! rebuilds the audited state from the events alone.

use super::model::{Party, ScreeningDecision, Session, VoidedOrder};
use crate::rules::ruleset::sha256_hex;
use crate::rules::{
    Approval, Authority, DecisionOverride, Licence, Order, Scenario, Verdict, WhatIf,
};
use serde::{Deserialize, Serialize};

/// A decision's outcome, as the history records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub authority: Authority,
}

impl Outcome {
    pub fn of(d: &crate::rules::Decision) -> Self {
        Self {
            verdict: d.verdict,
            authority: d.authority,
        }
    }

    /// "license required" or "authorized under LPP".
    pub fn label(&self) -> String {
        let v = self.verdict.label().to_lowercase();
        if self.authority == Authority::None {
            v
        } else {
            format!("{v} under {}", self.authority.as_str())
        }
    }
}

/// Another order's decision that an event changed (caps are cumulative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionChange {
    pub order_id: String,
    pub before: Outcome,
    pub after: Outcome,
}

/// The audited part of a session, as an import records it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    pub orders: Vec<Order>,
    pub voided: Vec<VoidedOrder>,
    pub parties: Vec<Party>,
    pub scenario: Scenario,
    pub licences: Vec<Licence>,
    pub screening_decisions: Vec<ScreeningDecision>,
    pub screening_threshold: Option<f64>,
    pub overrides: Vec<DecisionOverride>,
    pub what_ifs: Vec<WhatIf>,
}

impl Snapshot {
    pub fn of(s: &Session) -> Self {
        Self {
            orders: s.orders.clone(),
            voided: s.voided.clone(),
            parties: s.parties.clone(),
            scenario: s.scenario.clone(),
            licences: s.licences.clone(),
            screening_decisions: s.screening.decisions.clone(),
            screening_threshold: Some(s.screening.threshold),
            overrides: s.overrides.clone(),
            what_ifs: s.what_ifs.clone(),
        }
    }

    fn install(self, s: &mut Session) {
        s.orders = self.orders;
        s.voided = self.voided;
        s.parties = self.parties;
        s.scenario = self.scenario;
        s.licences = self.licences;
        s.screening.decisions = self.screening_decisions;
        if let Some(t) = self.screening_threshold {
            s.screening.threshold = t;
        }
        s.overrides = self.overrides;
        s.what_ifs = self.what_ifs;
    }
}

/// What happened. Each carries what is needed to replay it (the "after") and to show it (the
/// "before").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// A new, empty session.
    Created,
    /// A session from an older format (or another source), as it was when imported.
    Imported {
        from_version: u32,
        snapshot: Box<Snapshot>,
    },
    OrderAdded {
        order: Order,
    },
    OrderEdited {
        before: Order,
        after: Order,
    },
    OrderVoided {
        order: Order,
    },
    OrdersVoided {
        orders: Vec<Order>,
    },
    OrderRestored {
        order: Order,
    },
    OrdersImported {
        source: String,
        orders: Vec<Order>,
    },
    PartySaved {
        before: Option<Party>,
        after: Party,
    },
    PartyRemoved {
        party: Party,
    },
    LicenceSaved {
        before: Option<Licence>,
        after: Licence,
    },
    LicenceRemoved {
        licence: Licence,
    },
    ScreeningDecided {
        decision: ScreeningDecision,
    },
    ScreeningReopened {
        decision: ScreeningDecision,
    },
    /// The match threshold: what counts as a possible match (it changes which orders are holds).
    ScreeningThresholdChanged {
        before: f64,
        after: f64,
    },
    OverrideRequested {
        request: DecisionOverride,
    },
    OverrideApproved {
        request: DecisionOverride,
        approval: Approval,
    },
    OverrideWithdrawn {
        request: DecisionOverride,
    },
    ScenarioChanged {
        before: Scenario,
        after: Scenario,
    },
    WhatIfSaved {
        before: Option<WhatIf>,
        after: WhatIf,
    },
    WhatIfRemoved {
        what_if: WhatIf,
    },
}

impl Action {
    /// Whether a person must say why (holds, overrides, voiding an order with a decision).
    pub fn requires_reason(&self) -> bool {
        matches!(
            self,
            Action::ScreeningDecided { .. }
                | Action::ScreeningReopened { .. }
                | Action::OverrideRequested { .. }
                | Action::OverrideApproved { .. }
                | Action::OrderVoided { .. }
                | Action::OrdersVoided { .. }
        )
    }

    /// A short name for lists and filters, e.g. "order added".
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Created => "session created",
            Action::Imported { .. } => "imported",
            Action::OrderAdded { .. } => "order added",
            Action::OrderEdited { .. } => "order edited",
            Action::OrderVoided { .. } | Action::OrdersVoided { .. } => "order voided",
            Action::OrderRestored { .. } => "order restored",
            Action::OrdersImported { .. } => "orders imported",
            Action::PartySaved { .. } => "party saved",
            Action::PartyRemoved { .. } => "party removed",
            Action::LicenceSaved { .. } => "licence saved",
            Action::LicenceRemoved { .. } => "licence removed",
            Action::ScreeningDecided { .. } => "screening decided",
            Action::ScreeningReopened { .. } => "screening reopened",
            Action::ScreeningThresholdChanged { .. } => "screening threshold changed",
            Action::OverrideRequested { .. } => "override requested",
            Action::OverrideApproved { .. } => "override approved",
            Action::OverrideWithdrawn { .. } => "override withdrawn",
            Action::ScenarioChanged { .. } => "scenario changed",
            Action::WhatIfSaved { .. } => "what-if saved",
            Action::WhatIfRemoved { .. } => "what-if removed",
        }
    }

    /// The orders the action is about (for per-order timelines and filters).
    pub fn order_ids(&self) -> Vec<&str> {
        match self {
            Action::OrderAdded { order }
            | Action::OrderVoided { order }
            | Action::OrderRestored { order } => vec![order.id.as_str()],
            Action::OrderEdited { before, after } => {
                if before.id == after.id {
                    vec![after.id.as_str()]
                } else {
                    vec![before.id.as_str(), after.id.as_str()]
                }
            }
            Action::OrdersVoided { orders } | Action::OrdersImported { orders, .. } => {
                orders.iter().map(|o| o.id.as_str()).collect()
            }
            Action::Imported { snapshot, .. } => {
                snapshot.orders.iter().map(|o| o.id.as_str()).collect()
            }
            Action::LicenceSaved { after, .. } => vec![after.order_id.as_str()],
            Action::LicenceRemoved { licence } => vec![licence.order_id.as_str()],
            Action::ScreeningDecided { decision } | Action::ScreeningReopened { decision } => {
                vec![decision.order_id.as_str()]
            }
            Action::OverrideRequested { request }
            | Action::OverrideApproved { request, .. }
            | Action::OverrideWithdrawn { request } => vec![request.order_id.as_str()],
            _ => Vec::new(),
        }
    }

    /// The parties the action names (for the history's party filter).
    pub fn party_names(&self) -> Vec<&str> {
        fn of_order(o: &Order) -> Vec<&str> {
            let mut v = vec![o.consignee.as_str()];
            v.extend(o.parent.as_deref());
            v
        }
        match self {
            Action::OrderAdded { order }
            | Action::OrderVoided { order }
            | Action::OrderRestored { order }
            | Action::OrderEdited { after: order, .. } => of_order(order),
            Action::OrdersVoided { orders } | Action::OrdersImported { orders, .. } => {
                orders.iter().flat_map(of_order).collect()
            }
            Action::PartySaved { after, .. } => vec![after.name.as_str()],
            Action::PartyRemoved { party } => vec![party.name.as_str()],
            Action::ScreeningDecided { decision } | Action::ScreeningReopened { decision } => {
                vec![decision.party.as_str()]
            }
            _ => Vec::new(),
        }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// 1, 2, 3, … in the order events were recorded.
    pub seq: u64,
    /// RFC 3339, UTC.
    pub at: String,
    pub user: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Other orders' decisions this event changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<DecisionChange>,
    /// The hash of the event before (empty for the first).
    pub prev: String,
    /// SHA-256 of `prev` and this event's content.
    pub hash: String,
}

/// The hashed content of an event: everything but its own hash.
#[derive(Serialize)]
struct HashedBody<'a> {
    seq: u64,
    at: &'a str,
    user: &'a str,
    action: &'a Action,
    reason: &'a str,
    effects: &'a [DecisionChange],
}

impl AuditEvent {
    /// A new event chained to `prev` (the previous event's hash, empty for the first).
    pub fn new(
        seq: u64,
        at: String,
        user: String,
        action: Action,
        reason: String,
        effects: Vec<DecisionChange>,
        prev: &str,
    ) -> Self {
        let mut e = Self {
            seq,
            at,
            user,
            action,
            reason,
            effects,
            prev: prev.to_string(),
            hash: String::new(),
        };
        e.hash = e.content_hash();
        e
    }

    /// The hash this event should carry, from `prev` and its content.
    pub fn content_hash(&self) -> String {
        let body = HashedBody {
            seq: self.seq,
            at: &self.at,
            user: &self.user,
            action: &self.action,
            reason: &self.reason,
            effects: &self.effects,
        };
        let json = serde_json::to_string(&body).expect("events serialise");
        let mut bytes = Vec::with_capacity(self.prev.len() + 1 + json.len());
        bytes.extend_from_slice(self.prev.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(json.as_bytes());
        sha256_hex(&bytes)
    }
}

/// Where and why a history stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error(
        "event {position} (#{seq}): its content does not match its hash (edited after it was recorded)"
    )]
    Tampered { position: usize, seq: u64 },
    #[error(
        "event {position} (#{seq}): does not link to the event before it (inserted, removed or reordered)"
    )]
    Unlinked { position: usize, seq: u64 },
    #[error("event {position} (#{seq}): sequence number out of order (expected #{expected})")]
    Sequence {
        position: usize,
        seq: u64,
        expected: u64,
    },
}

impl ChainBreak {
    /// 1-based position of the first bad event.
    pub fn position(&self) -> usize {
        match self {
            ChainBreak::Tampered { position, .. }
            | ChainBreak::Unlinked { position, .. }
            | ChainBreak::Sequence { position, .. } => *position,
        }
    }
}

/// Checks every link of the chain; the first bad event is reported.
pub fn verify_chain(events: &[AuditEvent]) -> Result<(), ChainBreak> {
    let mut prev = "";
    for (i, e) in events.iter().enumerate() {
        let position = i + 1;
        let expected = events.first().map_or(1, |f| f.seq) + i as u64;
        if e.seq != expected {
            return Err(ChainBreak::Sequence {
                position,
                seq: e.seq,
                expected,
            });
        }
        if e.prev != prev {
            return Err(ChainBreak::Unlinked {
                position,
                seq: e.seq,
            });
        }
        if e.content_hash() != e.hash {
            return Err(ChainBreak::Tampered {
                position,
                seq: e.seq,
            });
        }
        prev = &e.hash;
    }
    Ok(())
}

/// Why replaying a history failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event #{seq}: {message}")]
pub struct ReplayError {
    pub seq: u64,
    pub message: String,
}

/// Applies one event to the audited state of a session.
pub fn apply(s: &mut Session, e: &AuditEvent) -> Result<(), ReplayError> {
    let fail = |message: String| ReplayError {
        seq: e.seq,
        message,
    };
    match &e.action {
        Action::Created => {}
        Action::Imported { snapshot, .. } => snapshot.as_ref().clone().install(s),
        Action::OrderAdded { order } => s.orders.push(order.clone()),
        Action::OrdersImported { orders, .. } => s.orders.extend(orders.iter().cloned()),
        Action::OrderEdited { before, after } => {
            let slot = s
                .orders
                .iter_mut()
                .find(|o| o.id == before.id)
                .ok_or_else(|| {
                    fail(format!(
                        "edits order {}, which is not in the book",
                        before.id
                    ))
                })?;
            *slot = after.clone();
        }
        Action::OrderVoided { order } => void(s, order, e).map_err(fail)?,
        Action::OrdersVoided { orders } => {
            for o in orders {
                void(s, o, e).map_err(fail)?;
            }
        }
        Action::OrderRestored { order } => {
            let i = s
                .voided
                .iter()
                .position(|v| v.order.id == order.id)
                .ok_or_else(|| fail(format!("restores order {}, which is not voided", order.id)))?;
            s.voided.remove(i);
            s.orders.push(order.clone());
        }
        other => apply_records(s, other).map_err(fail)?,
    }
    Ok(())
}

fn void(s: &mut Session, order: &Order, e: &AuditEvent) -> Result<(), String> {
    let i = s
        .orders
        .iter()
        .position(|o| o.id == order.id)
        .ok_or_else(|| format!("voids order {}, which is not in the book", order.id))?;
    let order = s.orders.remove(i);
    s.voided.push(VoidedOrder {
        order,
        at: e.at.clone(),
        by: e.user.clone(),
        reason: e.reason.clone(),
    });
    Ok(())
}

/// Parties, licences, screening decisions, overrides, the scenario and what-ifs.
fn apply_records(s: &mut Session, action: &Action) -> Result<(), String> {
    match action {
        Action::PartySaved { before, after } => {
            let key = before.as_ref().map_or(&after.name, |b| &b.name);
            match s.parties.iter_mut().find(|p| &p.name == key) {
                Some(p) => *p = after.clone(),
                None => s.parties.push(after.clone()),
            }
        }
        Action::PartyRemoved { party } => s.parties.retain(|p| p.name != party.name),
        Action::LicenceSaved { before, after } => {
            let key = before
                .as_ref()
                .map_or(&after.application, |b| &b.application);
            match s.licences.iter_mut().find(|l| &l.application == key) {
                Some(l) => *l = after.clone(),
                None => s.licences.push(after.clone()),
            }
        }
        Action::LicenceRemoved { licence } => {
            s.licences.retain(|l| l.application != licence.application)
        }
        Action::ScreeningDecided { decision } => {
            let d = &mut s.screening.decisions;
            d.retain(|x| !same_match(x, decision));
            d.push(decision.clone());
        }
        Action::ScreeningReopened { decision } => {
            s.screening.decisions.retain(|x| !same_match(x, decision))
        }
        Action::ScreeningThresholdChanged { after, .. } => s.screening.threshold = *after,
        Action::OverrideRequested { request } => s.overrides.push(request.clone()),
        Action::OverrideApproved { request, approval } => {
            let o = s
                .overrides
                .iter_mut()
                .find(|o| same_request(o, request))
                .ok_or_else(|| {
                    format!(
                        "approves an override of {} that was never requested",
                        request.order_id
                    )
                })?;
            o.approved = Some(approval.clone());
        }
        Action::OverrideWithdrawn { request } => s.overrides.retain(|o| !same_request(o, request)),
        Action::ScenarioChanged { after, .. } => s.scenario = after.clone(),
        Action::WhatIfSaved { before, after } => {
            let key = before.as_ref().map_or(&after.name, |b| &b.name);
            match s.what_ifs.iter_mut().find(|w| &w.name == key) {
                Some(w) => *w = after.clone(),
                None => s.what_ifs.push(after.clone()),
            }
        }
        Action::WhatIfRemoved { what_if } => s.what_ifs.retain(|w| w.name != what_if.name),
        _ => unreachable!("order actions are applied by `apply`"),
    }
    Ok(())
}

/// The same party against the same list entry (names compared without case or spacing).
pub fn same_match(a: &ScreeningDecision, b: &ScreeningDecision) -> bool {
    party_key(&a.party) == party_key(&b.party) && a.list == b.list && a.entry == b.entry
}

/// A party name as screening decisions are keyed: case, accents, punctuation and spacing do not
/// make another party, but a different legal form does ("Acme Ltd" is not "Acme Inc").
pub fn party_key(name: &str) -> String {
    crate::screening::normalize::words(name).join(" ")
}

fn same_request(a: &DecisionOverride, b: &DecisionOverride) -> bool {
    a.order_id == b.order_id && a.requested_at == b.requested_at
}

/// Rebuilds the audited state from the events alone, on an empty session.
pub fn replay(events: &[AuditEvent]) -> Result<Session, ReplayError> {
    let mut s = Session::new("", Default::default());
    for e in events {
        apply(&mut s, e)?;
    }
    Ok(s)
}

/// Whether the audited state of two sessions is the same.
pub fn same_audited_state(a: &Session, b: &Session) -> bool {
    Snapshot::of(a) == Snapshot::of(b)
}

/// The first difference between a session's audited state and its replayed history, in words.
pub fn first_difference(saved: &Session, replayed: &Session) -> Option<String> {
    let (a, b) = (Snapshot::of(saved), Snapshot::of(replayed));
    if a == b {
        return None;
    }
    let ids = |v: &[Order]| v.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
    if a.orders != b.orders {
        let (sa, sb) = (ids(&a.orders), ids(&b.orders));
        let which = sa
            .iter()
            .zip(&sb)
            .position(|(x, y)| x != y)
            .or_else(|| (sa.len() != sb.len()).then(|| sa.len().min(sb.len())));
        return Some(match which {
            Some(i) => format!(
                "the order book differs from its history at position {} ({} in the file, {} in the history)",
                i + 1,
                sa.get(i).map_or("nothing", String::as_str),
                sb.get(i).map_or("nothing", String::as_str)
            ),
            None => {
                let i = a
                    .orders
                    .iter()
                    .zip(&b.orders)
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                format!("order {} differs from its history", sa[i])
            }
        });
    }
    let parts = [
        ("voided orders", a.voided != b.voided),
        ("parties", a.parties != b.parties),
        ("scenario", a.scenario != b.scenario),
        ("licences", a.licences != b.licences),
        (
            "screening decisions",
            a.screening_decisions != b.screening_decisions,
        ),
        ("overrides", a.overrides != b.overrides),
        ("what-ifs", a.what_ifs != b.what_ifs),
    ];
    parts
        .iter()
        .find(|(_, differs)| *differs)
        .map(|(what, _)| format!("the {what} differ from their history"))
}
