//! A session's decisions and screenings, kept current through its events at a cost that follows
//! what an event changes rather than the size of the book.
//!
//! Events go through [`LiveBook::apply`] (which applies them to the session as
//! [`audit::apply`] does and tells the engine's [`BookDecisions`] which orders were added,
//! replaced or removed); [`LiveBook::refresh`] then screens the new and changed orders, notices
//! what changed in the rest of the context (compared with what the decisions were made with) and
//! decides again what can have changed:
//! - an order added, edited, voided or restored: that order, and later orders that read a total
//!   it draws on (see `rules::engine::incremental`);
//! - overrides: the orders they name;
//! - screening decisions or the threshold: every order is screened again (the screener caches
//!   by name), and the orders whose screening changed are decided again;
//! - the scenario or the licences, another screener, an import of a whole session, or a change
//!   made to the session without going through `apply`: the whole book.
//!
//! In debug builds, small books are also evaluated in full after every refresh, and the two
//! must agree.

use super::audit::{self, Action, AuditEvent, ReplayError};
use super::commit::Evaluator;
use super::model::{ScreeningRecord, Session};
use super::screening_link::{Screener, screen_book, screen_orders};
use crate::rules::{
    BookContext, BookDecisions, Decision, DecisionOverride, Licence, Order, Redecided, Scenario,
    Screening,
};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

/// Books up to this many orders are checked against a full evaluation in debug builds.
#[cfg(debug_assertions)]
const CHECKED_UP_TO: usize = 300;

/// Stands in for the screening of an order not screened yet.
fn unscreened() -> Arc<Screening> {
    static NONE: LazyLock<Arc<Screening>> = LazyLock::new(|| Arc::new(Screening::default()));
    Arc::clone(&NONE)
}

/// The screener and record the screenings were made with.
#[derive(Debug, Clone)]
struct ScreenedWith {
    /// The screener's address: another screener screens the book again.
    screener: usize,
    vintage: String,
    record: ScreeningRecord,
}

fn address(screener: &dyn Screener) -> usize {
    std::ptr::from_ref(screener).cast::<()>() as usize
}

impl ScreenedWith {
    fn of(screener: &dyn Screener, record: &ScreeningRecord) -> Self {
        Self {
            screener: address(screener),
            vintage: screener.vintage().to_string(),
            record: record.clone(),
        }
    }

    fn same_screener(&self, screener: &dyn Screener) -> bool {
        self.screener == address(screener) && self.vintage == screener.vintage()
    }
}

/// The context besides screening that the decisions were made in.
#[derive(Debug, Clone)]
struct Context {
    scenario: Scenario,
    licences: Vec<Licence>,
    overrides: Vec<DecisionOverride>,
}

impl Context {
    fn of(s: &Session) -> Self {
        Self {
            scenario: s.scenario.clone(),
            licences: s.licences.clone(),
            overrides: s.overrides.clone(),
        }
    }
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct LiveBook {
    book: BookDecisions,
    /// One per order, aligned with the orders (placeholders until screened).
    screenings: Vec<Arc<Screening>>,
    /// `None` when the screenings are not the book's (no screener, or not screened yet).
    screened: Option<ScreenedWith>,
    /// `None` until the first refresh after a reset.
    context: Option<Context>,
    /// The decisions by order id before an import replaced the book, for the changes it made.
    before_reset: Option<HashMap<String, Decision>>,
    /// Start over (decide the whole book) at the next refresh.
    reset: bool,
}

impl Default for LiveBook {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveBook {
    /// Decisions to be derived in full at the first refresh.
    pub fn new() -> Self {
        Self {
            book: BookDecisions::new(),
            screenings: Vec::new(),
            screened: None,
            context: None,
            before_reset: None,
            reset: true,
        }
    }

    /// Forgets what is known: the next refresh screens and decides the whole book (after the
    /// session was replaced, or changed other than through [`Self::apply`]).
    pub fn reset(&mut self) {
        self.reset = true;
        self.before_reset = None;
    }

    /// The decisions of the book, in book order (as of the last refresh).
    pub fn decisions(&self) -> &[Decision] {
        self.book.decisions()
    }

    /// The screening of each order, aligned with the orders; empty without a screener.
    pub fn screenings(&self) -> &[Arc<Screening>] {
        if self.screened.is_some() {
            &self.screenings
        } else {
            &[]
        }
    }

    /// Whether nothing was applied since the last refresh.
    pub fn is_current(&self) -> bool {
        !self.reset && self.book.is_current()
    }

    /// Applies an event to the session, as [`audit::apply`] does, noting which orders it adds,
    /// replaces or removes. On an error the session may be partly changed (as with
    /// `audit::apply`) and the next refresh starts over.
    pub fn apply(&mut self, s: &mut Session, e: &AuditEvent) -> Result<(), ReplayError> {
        if self.reset {
            return audit::apply(s, e);
        }
        let done = match &e.action {
            Action::OrderAdded { .. }
            | Action::OrderRestored { .. }
            | Action::OrdersImported { .. } => {
                let before = s.orders.len();
                audit::apply(s, e).map(|()| {
                    for i in before..s.orders.len() {
                        self.book.pushed(&s.orders[..=i]);
                        self.screenings.push(unscreened());
                    }
                })
            }
            Action::OrderEdited { before, .. } => {
                let old = s
                    .orders
                    .iter()
                    .position(|o| o.id == before.id)
                    .map(|i| (i, s.orders[i].clone()));
                audit::apply(s, e).map(|()| {
                    let (i, old) = old.expect("the edited order was in the book");
                    self.book.replaced(&s.orders, i, &old);
                })
            }
            Action::OrderVoided { order } => self.void(s, e, std::slice::from_ref(order)),
            Action::OrdersVoided { orders } => self.void(s, e, orders),
            Action::Imported { .. } => {
                let before = self.book.is_current().then(|| self.by_id(s));
                let done = audit::apply(s, e);
                self.reset();
                self.before_reset = before;
                done
            }
            // The rest changes the context, which `refresh` compares.
            _ => audit::apply(s, e),
        };
        if done.is_err() {
            self.reset();
        }
        done
    }

    fn void(
        &mut self,
        s: &mut Session,
        e: &AuditEvent,
        orders: &[Order],
    ) -> Result<(), ReplayError> {
        let at: Vec<usize> = if let [one] = orders {
            s.orders
                .iter()
                .position(|o| o.id == one.id)
                .into_iter()
                .collect()
        } else {
            let ids: HashSet<&str> = orders.iter().map(|o| o.id.as_str()).collect();
            (0..s.orders.len())
                .filter(|&i| ids.contains(s.orders[i].id.as_str()))
                .collect()
        };
        if at.len() == orders.len() {
            for &i in at.iter().rev() {
                self.book.removing(i, &s.orders[i]);
                self.screenings.remove(i);
            }
        } else {
            // Not every order is in the book (or one is named twice): `audit::apply` says which.
            self.reset();
        }
        audit::apply(s, e)
    }

    fn by_id(&self, s: &Session) -> HashMap<String, Decision> {
        s.orders
            .iter()
            .map(|o| o.id.clone())
            .zip(self.book.decisions().iter().cloned())
            .collect()
    }

    /// Brings the decisions up to date with the session. Returns the orders decided again, by
    /// index in the book, with their decisions before (`None` for an order new to the book).
    pub fn refresh(&mut self, eval: Evaluator, s: &Session) -> Vec<Redecided> {
        if self.reset {
            self.book.reset(&s.orders);
            self.screenings = vec![unscreened(); s.orders.len()];
            self.screened = None;
            self.context = None;
            self.reset = false;
        }
        self.sync_context(s);
        self.sync_screenings(eval.screener, s);
        let ctx = BookContext {
            scenario: &s.scenario,
            licences: &s.licences,
            overrides: &s.overrides,
            screenings: if self.screened.is_some() {
                &self.screenings
            } else {
                &[]
            },
        };
        let mut out = self.book.refresh(eval.engine, &ctx, &s.orders);
        if let Some(mut before) = self.before_reset.take() {
            for (i, old) in &mut out {
                if old.is_none() {
                    *old = before.remove(&s.orders[*i].id);
                }
            }
        }
        #[cfg(debug_assertions)]
        if s.orders.len() <= CHECKED_UP_TO {
            assert_eq!(
                self.decisions(),
                eval.decide(s).as_slice(),
                "the decisions kept current differ from the book's"
            );
        }
        out
    }

    /// Compares the scenario, licences and overrides with those the decisions were made with.
    fn sync_context(&mut self, s: &Session) {
        let Some(c) = &mut self.context else {
            self.context = Some(Context::of(s));
            self.book.invalidate_all();
            return;
        };
        // Licences are found by reference and counted by index: any change re-decides all.
        if c.scenario != s.scenario || c.licences != s.licences {
            self.book.invalidate_all();
            c.scenario.clone_from(&s.scenario);
            c.licences.clone_from(&s.licences);
        }
        if c.overrides != s.overrides {
            // An order's override is the latest naming it, cited by index: the orders named
            // from the first difference on may change.
            let same = c
                .overrides
                .iter()
                .zip(&s.overrides)
                .take_while(|(a, b)| a == b)
                .count();
            let ids: HashSet<&str> = c.overrides[same..]
                .iter()
                .chain(&s.overrides[same..])
                .map(|o| o.order_id.as_str())
                .collect();
            self.book
                .invalidate(|i| ids.contains(s.orders[i].id.as_str()));
            c.overrides.clone_from(&s.overrides);
        }
    }

    /// Screens the new and changed orders, or the whole book when the record or the screener
    /// changed (deciding again the orders whose screening changed).
    fn sync_screenings(&mut self, screener: Option<&dyn Screener>, s: &Session) {
        let Some(screener) = screener else {
            if self.screened.take().is_some() {
                self.book.invalidate_all();
            }
            return;
        };
        match &self.screened {
            Some(w) if w.same_screener(screener) && w.record == s.screening => {
                let changed = self.book.changed();
                screen_orders(
                    screener,
                    &s.orders,
                    &changed,
                    &s.screening,
                    &mut self.screenings,
                );
            }
            Some(w) if w.same_screener(screener) => {
                let fresh = screen_book(screener, &s.orders, &s.screening);
                let old = &self.screenings;
                self.book
                    .invalidate(|i| !(Arc::ptr_eq(&fresh[i], &old[i]) || fresh[i] == old[i]));
                self.screenings = fresh;
                self.screened = Some(ScreenedWith::of(screener, &s.screening));
            }
            _ => {
                self.screenings = screen_book(screener, &s.orders, &s.screening);
                self.book.invalidate_all();
                self.screened = Some(ScreenedWith::of(screener, &s.screening));
            }
        }
    }
}
