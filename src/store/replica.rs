//! A client's copy of the ledger: the audited state replayed from the events, the decisions of
//! its book, and where each order sits in the book. Commits are prepared on it (through
//! `session::commit::prepare_in`, as a session file's are), so it must be exactly the ledger up
//! to its last event: events are applied only when they extend its hash chain.
//!
//! The decisions are kept current event by event ([`LiveBook`]): catching up on colleagues'
//! commits decides again only what their changes can have altered.

use super::error::LedgerError;
use super::rows::Placement;
use crate::rules::Decision;
use crate::session::audit::{self, Action, AuditEvent, ChainBreak};
use crate::session::commit::Evaluator;
use crate::session::{LiveBook, RulesetRef, Session};
use std::collections::HashMap;

pub struct Replica {
    pub session: Session,
    /// The decisions of `session.orders` (current after [`Replica::refresh`]).
    pub book: LiveBook,
    pub placement: HashMap<String, Placement>,
    /// Events applied since the last [`Replica::take_new`], for the workspace.
    new: Vec<AuditEvent>,
}

impl Replica {
    /// The ledger rebuilt from all its events, each link and hash checked.
    pub fn load(
        events: Vec<AuditEvent>,
        title: &str,
        ruleset: RulesetRef,
    ) -> Result<Self, LedgerError> {
        verify_parallel(&events).map_err(|b| LedgerError::Corrupt(b.to_string()))?;
        let mut session = Session::new(title, ruleset);
        let mut placement = HashMap::new();
        for e in &events {
            audit::apply(&mut session, e).map_err(|x| LedgerError::Corrupt(x.to_string()))?;
            place(&mut placement, e);
        }
        session.history = events;
        Ok(Self {
            session,
            book: LiveBook::new(),
            placement,
            new: Vec::new(),
        })
    }

    /// The sequence number of the last event (0 for an empty ledger).
    pub fn seq(&self) -> u64 {
        self.session.history.last().map_or(0, |e| e.seq)
    }

    pub fn head_hash(&self) -> &str {
        self.session.history.last().map_or("", |e| e.hash.as_str())
    }

    /// Applies events that follow the last one, checking each link of the chain.
    pub fn extend(&mut self, events: Vec<AuditEvent>) -> Result<(), LedgerError> {
        for e in events {
            let expected = self.seq() + 1;
            if e.seq != expected || e.prev != self.head_hash() || e.content_hash() != e.hash {
                return Err(LedgerError::Corrupt(format!(
                    "event #{} does not extend the chain at #{}",
                    e.seq,
                    expected - 1
                )));
            }
            self.book
                .apply(&mut self.session, &e)
                .map_err(|x| LedgerError::Corrupt(x.to_string()))?;
            place(&mut self.placement, &e);
            self.session.history.push(e.clone());
            self.new.push(e);
        }
        Ok(())
    }

    /// Brings the decisions up to date with the events applied since the last refresh.
    pub fn refresh(&mut self, eval: Evaluator) {
        self.book.refresh(eval, &self.session);
    }

    /// The decisions of the book, in book order (as of the last refresh).
    pub fn decisions(&self) -> &[Decision] {
        self.book.decisions()
    }

    /// Records an event that `prepare_in` applied to `session` and that the ledger committed.
    pub fn committed(&mut self, event: AuditEvent) {
        self.new.push(event);
    }

    /// Forgets the last event (`prepare_in` applied it, the ledger did not commit it): the state is
    /// replayed from the history before it.
    pub fn undo_last(&mut self) -> Result<(), LedgerError> {
        let mut history = std::mem::take(&mut self.session.history);
        history.pop();
        let title = std::mem::take(&mut self.session.title);
        let ruleset = std::mem::take(&mut self.session.ruleset);
        let rebuilt = Self::load(history, &title, ruleset)?;
        self.session = rebuilt.session;
        self.placement = rebuilt.placement;
        self.book.reset();
        Ok(())
    }

    /// Adds the placement of an event `prepare_in` just applied.
    pub fn place(&mut self, e: &AuditEvent) {
        place(&mut self.placement, e);
    }

    /// Events applied since the last call, in order.
    pub fn take_new(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.new)
    }

    /// The current decision of an order in the book.
    pub fn decision_of(&self, order_id: &str) -> Option<&Decision> {
        let i = self.session.orders.iter().position(|o| o.id == order_id)?;
        self.decisions().get(i)
    }
}

/// Where the event puts orders in the book (see `rows::Placement`).
fn place(placement: &mut HashMap<String, Placement>, e: &AuditEvent) {
    let at = |i: usize| (e.seq, u32::try_from(i).unwrap_or(u32::MAX));
    match &e.action {
        Action::Imported { snapshot, .. } => {
            placement.clear();
            let all = snapshot
                .orders
                .iter()
                .chain(snapshot.voided.iter().map(|v| &v.order));
            for (i, o) in all.enumerate() {
                placement.insert(o.id.clone(), at(i));
            }
        }
        Action::OrderAdded { order } | Action::OrderRestored { order } => {
            placement.insert(order.id.clone(), at(0));
        }
        Action::OrdersImported { orders, .. } => {
            for (i, o) in orders.iter().enumerate() {
                placement.insert(o.id.clone(), at(i));
            }
        }
        Action::OrderEdited { before, after } if before.id != after.id => {
            let p = placement.remove(&before.id).unwrap_or(at(0));
            placement.insert(after.id.clone(), p);
        }
        _ => {}
    }
}

/// [`audit::verify_chain`] with the hashing (the costly part) spread over the cores: the same
/// verdict, the same first break.
pub fn verify_parallel(events: &[AuditEvent]) -> Result<(), ChainBreak> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = events.len().div_ceil(threads).max(1024);
    let first_tampered = std::thread::scope(|s| {
        let handles: Vec<_> = events
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                s.spawn(move || {
                    part.iter()
                        .position(|e| e.content_hash() != e.hash)
                        .map(|i| c * chunk + i)
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("hashing does not panic"))
            .min()
    });
    // Links and sequence numbers are cheap: check them in order, up to the first bad hash.
    let end = first_tampered.map_or(events.len(), |i| i + 1);
    verify_links(&events[..end])?;
    match first_tampered {
        Some(i) => Err(ChainBreak::Tampered {
            position: i + 1,
            seq: events[i].seq,
        }),
        None => Ok(()),
    }
}

/// The sequence numbers and links of a chain, in `verify_chain`'s order of checks.
fn verify_links(events: &[AuditEvent]) -> Result<(), ChainBreak> {
    let mut prev = "";
    let first = events.first().map_or(1, |e| e.seq);
    for (i, e) in events.iter().enumerate() {
        let position = i + 1;
        let expected = first + i as u64;
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
        prev = &e.hash;
    }
    Ok(())
}

/// Parses events as stored (JSON text), on every core for a large ledger.
pub fn parse_events(texts: &[String]) -> Result<Vec<AuditEvent>, LedgerError> {
    let parse = |part: &[String]| -> Result<Vec<AuditEvent>, LedgerError> {
        part.iter()
            .map(|t| {
                serde_json::from_str(t)
                    .map_err(|e| LedgerError::Corrupt(format!("an event cannot be read: {e}")))
            })
            .collect()
    };
    if texts.len() < 4096 {
        return parse(texts);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = texts.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|p| s.spawn(move || parse(p)))
            .collect();
        let mut all = Vec::with_capacity(texts.len());
        for h in handles {
            all.extend(h.join().expect("parsing does not panic")?);
        }
        Ok(all)
    })
}
