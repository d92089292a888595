//! The `ledger.orders` projection: one row per order with its current decision, and which rows a
//! commit rewrites (its own orders, and every other order whose stored decision it changed —
//! a back-dated order re-decides the later ones).

use super::error::LedgerError;
use crate::rules::{Decision, LedgerKind, Order, Redecided};
use crate::session::Session;
use crate::session::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Where an order sits in the book: the event that put it there and its index in that event.
pub type Placement = (u64, u32);

/// The stored part of a decision: what the order is and takes, not the running totals around it
/// (what a cap had left before this order changes with every back-dated order, so storing it
/// would rewrite every later row; `ledger.book` sums the draws instead). Findings are
/// re-derived when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    pub tier: i16,
    pub verdict: String,
    pub authority: String,
    pub eccn: Option<String>,
    pub tpp: i64,
    pub allocation_draw: i64,
    pub draw_ledger: Option<String>,
    pub draw_key: Option<String>,
    pub draw_limit: Option<i64>,
    pub draw_amount: Option<i64>,
    pub screening: Option<String>,
}

/// The columns of [`DecisionRow`], in order, for reading rows back.
pub const DECISION_COLUMNS: &str = "tier, verdict, authority, eccn, tpp, allocation_draw, \
     draw_ledger, draw_key, draw_limit, draw_amount, screening";

fn int(v: u64, what: &str) -> Result<i64, LedgerError> {
    i64::try_from(v).map_err(|_| LedgerError::Refused(format!("{what} {v} is too large to store")))
}

impl DecisionRow {
    pub fn of(d: &Decision, s: &Session) -> Result<Self, LedgerError> {
        let (ledger, key) = match d.draw.map(|dr| dr.ledger) {
            None => (None, None),
            Some(k) => (Some(k.as_str().to_string()), Some(draw_key(k, s))),
        };
        Ok(Self {
            tier: i16::from(d.tier.number()),
            verdict: d.verdict.as_str().to_string(),
            authority: d.authority.as_str().to_string(),
            eccn: d.eccn.map(|e| e.as_str().to_string()),
            tpp: int(d.tpp, "TPP")?,
            allocation_draw: int(d.allocation_draw, "allocation draw")?,
            draw_ledger: ledger,
            draw_key: key,
            draw_limit: d
                .draw
                .and_then(|dr| dr.limit)
                .map(|v| int(v, "limit"))
                .transpose()?,
            draw_amount: d.draw.map(|dr| int(dr.amount, "draw")).transpose()?,
            screening: d.screening.map(|x| x.as_str().to_string()),
        })
    }

    /// Reads the columns listed in [`DECISION_COLUMNS`], starting at `at`.
    pub fn from_sql(row: &postgres::Row, at: usize) -> Self {
        Self {
            tier: row.get(at),
            verdict: row.get(at + 1),
            authority: row.get(at + 2),
            eccn: row.get(at + 3),
            tpp: row.get(at + 4),
            allocation_draw: row.get(at + 5),
            draw_ledger: row.get(at + 6),
            draw_key: row.get(at + 7),
            draw_limit: row.get(at + 8),
            draw_amount: row.get(at + 9),
            screening: row.get(at + 10),
        }
    }
}

/// Which running total within its kind: the year, the country, or the licence.
fn draw_key(k: LedgerKind, s: &Session) -> String {
    match k {
        LedgerKind::Lpp { year } => year.to_string(),
        LedgerKind::CountryAllocation { country }
        | LedgerKind::Nveu { country }
        | LedgerKind::Uveu { country } => country.to_string(),
        LedgerKind::Licence { index, .. } => s
            .licences
            .get(index as usize)
            .map_or_else(|| format!("#{index}"), |l| l.application.clone()),
    }
}

/// Whether two decisions differ in anything the projection stores.
fn stored_part_differs(a: &Decision, b: &Decision) -> bool {
    let draw = |d: &Decision| d.draw.map(|x| (x.ledger, x.limit, x.amount));
    a.tier != b.tier
        || a.verdict != b.verdict
        || a.authority != b.authority
        || a.eccn != b.eccn
        || a.tpp != b.tpp
        || a.allocation_draw != b.allocation_draw
        || draw(a) != draw(b)
        || a.screening != b.screening
}

/// One row of `ledger.orders`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderRow<'a> {
    pub order_id: &'a str,
    pub in_book: bool,
    pub placed_seq: i64,
    pub placed_idx: i32,
    pub order_date: String,
    pub destination: &'a str,
    pub consignee: &'a str,
    pub body: &'a Order,
    #[serde(flatten)]
    pub decision: Option<DecisionRow>,
    pub decided_seq: i64,
}

impl<'a> OrderRow<'a> {
    pub fn new(
        order: &'a Order,
        placement: Placement,
        decision: Option<DecisionRow>,
        decided_seq: u64,
    ) -> Result<Self, LedgerError> {
        Ok(Self {
            order_id: &order.id,
            in_book: decision.is_some(),
            placed_seq: int(placement.0, "event")?,
            placed_idx: i32::try_from(placement.1)
                .map_err(|_| LedgerError::Refused("too many orders in one event".into()))?,
            order_date: order.date.to_string(),
            destination: order.destination.as_str(),
            consignee: &order.consignee,
            body: order,
            decision,
            decided_seq: int(decided_seq, "event")?,
        })
    }
}

/// Every row of a session's projection (for an import).
pub fn all_rows<'a>(
    s: &'a Session,
    decisions: &[Decision],
    placement: &HashMap<String, Placement>,
    seq: u64,
) -> Result<Vec<OrderRow<'a>>, LedgerError> {
    let mut rows = Vec::with_capacity(s.orders.len() + s.voided.len());
    for (o, d) in s.orders.iter().zip(decisions) {
        let p = placement.get(&o.id).copied().unwrap_or((seq, 0));
        rows.push(OrderRow::new(o, p, Some(DecisionRow::of(d, s)?), seq)?);
    }
    for v in &s.voided {
        let p = placement.get(&v.order.id).copied().unwrap_or((seq, 0));
        rows.push(OrderRow::new(&v.order, p, None, seq)?);
    }
    Ok(rows)
}

/// The rows `event` rewrites and the ids it removes, given the book after it (`s`, with
/// `decisions`) and the orders it decided again (`redecided`, with their decisions before; the
/// other orders' decisions did not change): its subjects, and every other order whose stored
/// decision changed.
pub fn delta<'a>(
    s: &'a Session,
    decisions: &[Decision],
    redecided: &[Redecided],
    placement: &HashMap<String, Placement>,
    event: &AuditEvent,
) -> Result<(Vec<OrderRow<'a>>, Vec<String>), LedgerError> {
    let subjects: HashSet<&str> = event.action.order_ids().into_iter().collect();
    let mut found: HashSet<&str> = HashSet::new();
    let mut at: Vec<usize> = Vec::new();
    for (i, before) in redecided {
        let id = s.orders[*i].id.as_str();
        let subject = subjects.contains(id);
        if subject {
            found.insert(id);
        }
        if subject
            || before
                .as_ref()
                .is_none_or(|b| stored_part_differs(b, &decisions[*i]))
        {
            at.push(*i);
        }
    }
    let voided: Vec<&Order> = s
        .voided
        .iter()
        .map(|v| &v.order)
        .filter(|o| subjects.contains(o.id.as_str()))
        .collect();
    found.extend(voided.iter().map(|o| o.id.as_str()));
    if found.len() < subjects.len() {
        // Subjects in the book whose decision did not change: their rows are rewritten too.
        for (i, o) in s.orders.iter().enumerate() {
            if subjects.contains(o.id.as_str()) && found.insert(o.id.as_str()) {
                at.push(i);
            }
        }
        at.sort_unstable();
    }
    let place = |o: &Order| placement.get(&o.id).copied().unwrap_or((event.seq, 0));
    let mut rows = Vec::with_capacity(at.len() + voided.len());
    for i in at {
        let (o, d) = (&s.orders[i], &decisions[i]);
        rows.push(OrderRow::new(
            o,
            place(o),
            Some(DecisionRow::of(d, s)?),
            event.seq,
        )?);
    }
    for o in voided {
        rows.push(OrderRow::new(o, place(o), None, event.seq)?);
    }
    let gone = subjects
        .into_iter()
        .filter(|id| !found.contains(id))
        .map(str::to_string)
        .collect();
    Ok((rows, gone))
}
