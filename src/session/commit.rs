//! Turning what a person asked for into an audit event: check it against the current state,
//! apply it, re-evaluate the book, and record which other decisions changed. Both stores (the
//! session file and the team ledger) commit through [`prepare_in`], so a change means the same
//! thing wherever it is stored. [`prepare`] does the same with a whole-book evaluation: the
//! reference the incremental path is tested against.

use super::audit::{self, Action, AuditEvent, DecisionChange, Outcome};
use super::live_book::LiveBook;
use super::model::Session;
use super::screening_link::{Screener, screen_book};
use crate::rules::{BookContext, Decision, Engine, Order, Redecided, Tier};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A change a person asked for, with their reason and a key that makes retries idempotent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Intent {
    pub action: Action,
    pub reason: String,
    /// Unique per edit: a shared ledger commits an intent with a given key at most once.
    pub key: String,
}

impl Intent {
    pub fn new(action: Action, reason: impl Into<String>) -> Self {
        Self {
            action,
            reason: reason.into(),
            key: new_key(),
        }
    }
}

/// A fresh idempotency key: time, process and a counter, hex.
pub fn new_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = jiff::Timestamp::now().as_nanosecond();
    format!("{t:x}-{:x}-{n:x}", std::process::id())
}

/// Who commits, and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Author {
    pub user: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// Everything an evaluation of a session's book needs besides the session.
#[derive(Clone, Copy)]
pub struct Evaluator<'a> {
    pub engine: &'a Engine,
    pub screener: Option<&'a dyn Screener>,
}

impl Evaluator<'_> {
    /// Decisions of the session's book, in book order, from a whole-book evaluation.
    pub fn decide(&self, s: &Session) -> Vec<Decision> {
        let screenings = match self.screener {
            Some(sc) => screen_book(sc, &s.orders, &s.screening),
            None => Vec::new(),
        };
        let ctx = BookContext {
            scenario: &s.scenario,
            licences: &s.licences,
            overrides: &s.overrides,
            screenings: &screenings,
        };
        self.engine.evaluate_book_in(&ctx, &s.orders)
    }
}

/// Checks `intent` against `state`, applies it, and returns the event recording it (chained to
/// the last event of the state's history) — the state is left changed, with the event appended,
/// and `book` (the state's decisions) kept current: only what the change can have altered is
/// decided again. Also returns the orders decided again, with their decisions before. On a
/// refusal the state is unchanged.
pub fn prepare_in(
    eval: Evaluator,
    state: &mut Session,
    book: &mut LiveBook,
    intent: &Intent,
    author: &Author,
) -> Result<(AuditEvent, Vec<Redecided>), String> {
    book.refresh(eval, state);
    check(eval.engine, state, intent)?;
    let mut event = next_event(state, intent, author);
    book.apply(state, &event).map_err(|e| e.message)?;
    let redecided = book.refresh(eval, state);
    event.effects = effects_of(&intent.action, &state.orders, book.decisions(), &redecided);
    event.hash = event.content_hash();
    state.history.push(event.clone());
    Ok((event, redecided))
}

/// The event recording `intent`, chained to the last of the state's history (effects to come).
fn next_event(state: &Session, intent: &Intent, author: &Author) -> AuditEvent {
    let (seq, prev) = state
        .history
        .last()
        .map_or((1, String::new()), |e| (e.seq + 1, e.hash.clone()));
    AuditEvent::new(
        seq,
        author.at.clone(),
        author.user.clone(),
        intent.action.clone(),
        intent.reason.trim().to_string(),
        Vec::new(),
        &prev,
    )
}

/// As [`effects`], from the orders a refresh decided again: other orders (not the action's
/// subjects) that had a decision and whose verdict or authority changed, in book order.
pub fn effects_of(
    action: &Action,
    orders: &[Order],
    after: &[Decision],
    redecided: &[Redecided],
) -> Vec<DecisionChange> {
    let subjects: HashSet<&str> = action.order_ids().into_iter().collect();
    redecided
        .iter()
        .filter_map(|(i, before)| {
            let before = before.as_ref()?;
            let (o, d) = (&orders[*i], &after[*i]);
            (!subjects.contains(o.id.as_str()) && before.outcome_differs(d)).then(|| {
                DecisionChange {
                    order_id: o.id.clone(),
                    before: Outcome::of(before),
                    after: Outcome::of(d),
                }
            })
        })
        .collect()
}

/// As [`prepare_in`], evaluating the whole book after the change (`before` are the state's
/// decisions): the reference for the incremental path.
pub fn prepare(
    eval: Evaluator,
    state: &mut Session,
    before: &[Decision],
    intent: &Intent,
    author: &Author,
) -> Result<(AuditEvent, Vec<Decision>), String> {
    check(eval.engine, state, intent)?;
    let mut event = next_event(state, intent, author);
    let ids_before: Vec<String> = state.orders.iter().map(|o| o.id.clone()).collect();
    audit::apply(state, &event).map_err(|e| e.message)?;
    let after = eval.decide(state);
    event.effects = effects(&intent.action, &ids_before, before, &state.orders, &after);
    event.hash = event.content_hash();
    state.history.push(event.clone());
    Ok((event, after))
}

/// Other orders whose verdict or authority the change altered.
pub fn effects(
    action: &Action,
    ids_before: &[String],
    before: &[Decision],
    orders_after: &[Order],
    after: &[Decision],
) -> Vec<DecisionChange> {
    let subjects = action.order_ids();
    let old: HashMap<&str, &Decision> = ids_before.iter().map(String::as_str).zip(before).collect();
    orders_after
        .iter()
        .zip(after)
        .filter(|(o, _)| !subjects.contains(&o.id.as_str()))
        .filter_map(|(o, d)| {
            let prev = old.get(o.id.as_str())?;
            prev.outcome_differs(d).then(|| DecisionChange {
                order_id: o.id.clone(),
                before: Outcome::of(prev),
                after: Outcome::of(d),
            })
        })
        .collect()
}

/// Whether the action can be applied to the state as it is, and has the reason it needs.
pub fn check(engine: &Engine, s: &Session, intent: &Intent) -> Result<(), String> {
    if intent.action.requires_reason() && intent.reason.trim().is_empty() {
        return Err(format!("{}: a reason is required", intent.action.kind()));
    }
    let in_book = |id: &str| s.orders.iter().any(|o| o.id == id);
    let validator = engine.validator();
    let valid = |o: &Order| {
        validator
            .validate(&o.to_raw())
            .map(|_| ())
            .map_err(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                format!("order {}: {}", o.id, list.join("; "))
            })
    };
    match &intent.action {
        Action::OrderAdded { order } => {
            valid(order)?;
            free_id(s, &order.id)
        }
        Action::OrdersImported { orders, .. } => {
            let mut seen = std::collections::HashSet::new();
            for o in orders {
                valid(o)?;
                free_id(s, &o.id)?;
                if !seen.insert(o.id.as_str()) {
                    return Err(format!("order id `{}` appears twice in the import", o.id));
                }
            }
            Ok(())
        }
        Action::OrderEdited { before, after } => {
            valid(after)?;
            if !in_book(&before.id) {
                return Err(format!("order {} is not in the book", before.id));
            }
            if after.id != before.id {
                free_id(s, &after.id)?;
            }
            Ok(())
        }
        Action::OrderVoided { order } => present(in_book(&order.id), &order.id),
        Action::OrdersVoided { orders } => orders
            .iter()
            .try_for_each(|o| present(in_book(&o.id), &o.id)),
        Action::OrderRestored { order } => {
            if !s.voided.iter().any(|v| v.order.id == order.id) {
                return Err(format!("order {} is not voided", order.id));
            }
            free_id_in_book(s, &order.id)
        }
        other => check_records(engine, s, other),
    }
}

fn present(ok: bool, id: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("order {id} is not in the book"))
    }
}

fn free_id(s: &Session, id: &str) -> Result<(), String> {
    if s.id_taken(id) {
        Err(format!("`{id}` is already used by another order"))
    } else {
        Ok(())
    }
}

fn free_id_in_book(s: &Session, id: &str) -> Result<(), String> {
    if s.orders.iter().any(|o| o.id == id) {
        Err(format!("`{id}` is already used by another order"))
    } else {
        Ok(())
    }
}

fn check_records(engine: &Engine, s: &Session, action: &Action) -> Result<(), String> {
    match action {
        Action::LicenceSaved { before, after } => {
            after.check()?;
            if !s.id_taken(&after.order_id) {
                return Err(format!(
                    "licence: order {} is not in this session",
                    after.order_id
                ));
            }
            let replacing = before.as_ref().map(|b| b.application.as_str());
            let clash = s.licences.iter().any(|l| {
                Some(l.application.as_str()) != replacing
                    && (l.application.eq_ignore_ascii_case(&after.application)
                        || l.is_named(after.reference()))
            });
            if clash {
                return Err(format!(
                    "licence: `{}` is already used by another licence",
                    after.reference()
                ));
            }
            Ok(())
        }
        Action::PartySaved { before, after } => {
            if after.name.trim().is_empty() {
                return Err("party: name is empty".into());
            }
            let replacing = before.as_ref().map(|b| b.name.as_str());
            if s.parties
                .iter()
                .any(|p| Some(p.name.as_str()) != replacing && p.name == after.name)
            {
                return Err(format!("party `{}` already exists", after.name));
            }
            Ok(())
        }
        Action::OverrideRequested { request } => {
            if !s.orders.iter().any(|o| o.id == request.order_id) {
                return Err(format!(
                    "override: order {} is not in the book",
                    request.order_id
                ));
            }
            Ok(())
        }
        Action::OverrideApproved { request, approval } => {
            let Some(o) = s
                .overrides
                .iter()
                .find(|o| o.order_id == request.order_id && o.requested_at == request.requested_at)
            else {
                return Err("override: no such request".into());
            };
            if o.approved.is_some() {
                return Err("override: already approved".into());
            }
            // Four eyes: whoever asked for an override cannot approve it.
            if approval.by == o.requested_by {
                return Err(format!(
                    "override: {} requested it, so another reviewer must approve it",
                    o.requested_by
                ));
            }
            Ok(())
        }
        Action::ScreeningThresholdChanged { after, .. } => {
            if !(0.5..=1.0).contains(after) {
                return Err(format!(
                    "screening threshold: {after} is outside 0.5 to 1 (below 0.5 everything matches)"
                ));
            }
            Ok(())
        }
        Action::ScenarioChanged { after, .. } => {
            for c in &after.g2g {
                if engine.countries().tier(*c) != Some(Tier::Two) {
                    return Err(format!(
                        "g2g: {} ({c}) is not Tier 2, so it has no allocation to multiply",
                        engine.countries().name(*c)
                    ));
                }
            }
            Ok(())
        }
        Action::WhatIfSaved { before, after } => {
            if after.name.trim().is_empty() {
                return Err("what-if: name is empty".into());
            }
            let replacing = before.as_ref().map(|b| b.name.as_str());
            if s.what_ifs
                .iter()
                .any(|w| Some(w.name.as_str()) != replacing && w.name == after.name)
            {
                return Err(format!("what-if `{}` already exists", after.name));
            }
            after.engine(engine).map(|_| ())
        }
        _ => Ok(()),
    }
}

/// The shared handle type the workspace keeps for its screener.
pub type SharedScreener = Arc<dyn Screener>;
