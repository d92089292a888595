//! The open session with its derived decisions, file identity, audit trail and undo history.
//!
//! Every change goes through [`Workspace::perform`]: the store checks it, records it as a
//! hash-chained audit event, re-evaluates the book (caps are cumulative: what the change can have
//! altered, see [`LiveBook`]) and records which other decisions changed, so the user sees the
//! knock-on effects and an auditor can trace them.

mod edits;
mod history;
mod ledger;
mod undo;

pub use history::HistoryStatus;

use super::audit::{self, Action, AuditEvent};
use super::book::BookSummary;
use super::commit::{Author, Evaluator, Intent, SharedScreener};
use super::live_book::LiveBook;
use super::model::{FORMAT_VERSION, RulesetRef, Session};
use super::screening_link::screen_order;
use super::store::{Commit, FileStore, Store, StoreMessage, StoreStatus};
use crate::rules::{BookContext, Decision, Engine, Order, Screening};
use std::path::PathBuf;
use std::sync::Arc;

/// What the book would decide for a draft order.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub decision: Decision,
    /// Other orders whose verdict or authority the draft would change.
    pub changed: Vec<String>,
    /// The draft's screening, when a screener is set.
    pub screening: Option<Arc<Screening>>,
}

/// Where the time of an event comes from (tests pin it).
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

pub struct Workspace {
    pub engine: Arc<Engine>,
    pub session: Session,
    /// The decisions and screenings of the book, kept current through changes.
    book: LiveBook,
    summary: BookSummary,
    /// Order ids whose verdict or authority changed in the last change (other than its subjects).
    changed: Vec<String>,
    /// The file this session was loaded from or saved to.
    pub path: Option<PathBuf>,
    /// Unsaved changes since the last load or save.
    pub dirty: bool,
    /// Who changes are recorded as (the OS user by default).
    pub user: String,
    clock: Clock,
    screener: Option<SharedScreener>,
    store: Box<dyn Store>,
    history: HistoryStatus,
    undo: Vec<Action>,
    redo: Vec<Action>,
    /// Bumped whenever decisions are re-derived, so views can cache what they derive from them.
    revision: u64,
    /// Messages for the user from the store (a colleague's change, a refused edit).
    notices: Vec<String>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("title", &self.session.title)
            .field("orders", &self.session.orders.len())
            .field("path", &self.path)
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

/// The OS user's name, for the audit trail (changeable in the app's settings).
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown user".into())
}

fn system_clock() -> Clock {
    Arc::new(jiff::Timestamp::now)
}

impl Workspace {
    /// Opens a session. Its history is verified; a session without one (an older format, or a
    /// file written by hand) gets a history that begins with its import.
    pub fn new(engine: Arc<Engine>, session: Session) -> Self {
        Self::with_clock(engine, session, os_user(), system_clock())
    }

    /// As [`Self::new`], recording changes as `user` at times from `clock`.
    pub fn with_clock(engine: Arc<Engine>, session: Session, user: String, clock: Clock) -> Self {
        let mut ws = Self {
            summary: BookSummary::empty(),
            engine,
            session,
            book: LiveBook::new(),
            changed: Vec::new(),
            path: None,
            dirty: false,
            user,
            clock,
            screener: None,
            store: Box::new(FileStore),
            history: HistoryStatus::Verified,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            notices: Vec::new(),
        };
        ws.adopt_history();
        ws.reevaluate();
        ws
    }

    /// A new, empty session whose history starts with its creation.
    pub fn empty(engine: Arc<Engine>) -> Self {
        let r = RulesetRef::of(engine.loaded());
        Self::new(engine, Session::new("Untitled session", r))
    }

    /// Verifies a loaded history, or starts one for a session that has none.
    fn adopt_history(&mut self) {
        let from_version = self.session.loaded_from_version.0;
        self.session.format_version = FORMAT_VERSION;
        self.session.loaded_from_version = super::model::ReadVersion(FORMAT_VERSION);
        if !self.session.history.is_empty() {
            self.history = HistoryStatus::check(&self.session);
            return;
        }
        let empty = self.session.orders.is_empty()
            && self.session.parties.is_empty()
            && self.session.voided.is_empty();
        let action = if empty && from_version == FORMAT_VERSION {
            Action::Created
        } else {
            Action::Imported {
                from_version,
                snapshot: Box::new(audit::Snapshot::of(&self.session)),
            }
        };
        let event = AuditEvent::new(
            1,
            self.now(),
            self.user.clone(),
            action,
            String::new(),
            Vec::new(),
            "",
        );
        self.session.history.push(event);
        self.history = HistoryStatus::Verified;
    }

    fn now(&self) -> String {
        (self.clock)().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    fn author(&self) -> Author {
        Author {
            user: self.user.clone(),
            at: self.now(),
        }
    }

    /// Changes whenever the orders, licences, screening or decisions change.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn orders(&self) -> &[Order] {
        &self.session.orders
    }

    pub fn decisions(&self) -> &[Decision] {
        self.book.decisions()
    }

    /// The screening of each order (aligned with the orders); empty until a screener is set.
    pub fn screenings(&self) -> &[Arc<Screening>] {
        self.book.screenings()
    }

    pub fn screening(&self, index: usize) -> Option<&Screening> {
        self.screenings().get(index).map(Arc::as_ref)
    }

    pub fn screener(&self) -> Option<&SharedScreener> {
        self.screener.as_ref()
    }

    pub fn summary(&self) -> &BookSummary {
        &self.summary
    }

    pub fn changed_by_last_edit(&self) -> &[String] {
        &self.changed
    }

    /// Whether the history verified on load, and if not, where it breaks.
    pub fn history_status(&self) -> &HistoryStatus {
        &self.history
    }

    /// The store the session lives in.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub fn store_status(&self) -> StoreStatus {
        self.store.status()
    }

    /// Puts the session in another store (a team ledger); its decisions are re-derived.
    pub fn set_store(&mut self, store: Box<dyn Store>) {
        self.store = store;
    }

    /// Messages for the user since the last call (colleagues' changes, refused edits).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Screens every order with `screener` from now on (built off the UI thread at start).
    pub fn set_screener(&mut self, screener: SharedScreener) {
        self.screener = Some(screener);
        self.reevaluate();
    }

    fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            engine: &self.engine,
            screener: self.screener.as_deref(),
        }
    }

    /// What the book would decide if `order` were added (`replacing: None`) or replaced order
    /// `replacing`: the order's own decision and the ids of other orders whose outcome would change.
    pub fn preview(&self, order: &Order, replacing: Option<usize>) -> (Decision, Vec<String>) {
        let p = self.preview_full(order, replacing);
        (p.decision, p.changed)
    }

    /// As [`Self::preview`], with the draft's screening (for the form's live matches).
    pub fn preview_full(&self, order: &Order, replacing: Option<usize>) -> Preview {
        let mut orders = self.session.orders.clone();
        let mut screenings = self.screenings().to_vec();
        let draft_screening = self
            .screener
            .as_deref()
            .map(|sc| Arc::new(screen_order(sc, order, &self.session.screening)));
        let index = match replacing {
            Some(i) if i < orders.len() => {
                orders[i] = order.clone();
                if let (Some(s), Some(slot)) = (&draft_screening, screenings.get_mut(i)) {
                    *slot = s.clone();
                }
                i
            }
            _ => {
                orders.push(order.clone());
                if let Some(s) = &draft_screening {
                    screenings.push(s.clone());
                }
                orders.len() - 1
            }
        };
        let ctx = self.book_context(&screenings);
        let mut decisions = self.engine.evaluate_book_in(&ctx, &orders);
        let changed: Vec<String> = orders
            .iter()
            .zip(&decisions)
            .enumerate()
            .filter(|&(i, (_, d))| {
                i != index
                    && self
                        .decisions()
                        .get(i)
                        .is_some_and(|old| old.outcome_differs(d))
            })
            .map(|(_, (o, _))| o.id.clone())
            .collect();
        Preview {
            decision: decisions.swap_remove(index),
            changed,
            screening: draft_screening,
        }
    }

    /// The context the engine reads besides the orders.
    pub fn book_context<'a>(&'a self, screenings: &'a [Arc<Screening>]) -> BookContext<'a> {
        BookContext {
            scenario: &self.session.scenario,
            licences: &self.session.licences,
            overrides: &self.session.overrides,
            screenings,
        }
    }

    /// Replaces the session (after a load); undo history is cleared. The session is a file's:
    /// a workspace on a team ledger leaves it.
    pub fn replace_session(&mut self, session: Session, path: Option<PathBuf>) {
        if !self.store.saves_explicitly() {
            self.store = Box::new(FileStore);
            self.user = os_user();
        }
        self.session = session;
        self.path = path;
        self.dirty = false;
        self.undo.clear();
        self.redo.clear();
        self.changed.clear();
        self.adopt_history();
        self.reevaluate();
    }

    /// Whether the session was made with a different ruleset than the engine's.
    pub fn ruleset_differs(&self) -> bool {
        let r = &self.session.ruleset;
        !r.sha256.is_empty() && r.sha256 != self.engine.loaded().sha256
    }

    /// Records a change: checked, chained into the history, and applied (for a shared ledger,
    /// once it commits). Returns why it was refused.
    pub fn perform(&mut self, action: Action, reason: &str) -> Result<(), String> {
        let inverse = undo::inverse(&action);
        self.submit(Intent::new(action, reason))?;
        if let Some(inv) = inverse {
            undo::push(&mut self.undo, inv);
            self.redo.clear();
        }
        Ok(())
    }

    /// Sends an intent to the store and applies what it commits.
    fn submit(&mut self, intent: Intent) -> Result<(), String> {
        let author = self.author();
        let eval = Evaluator {
            engine: &self.engine,
            screener: self.screener.as_deref(),
        };
        let outcome =
            self.store
                .submit(eval, &mut self.session, &mut self.book, intent, &author)?;
        if let Commit::Done { event } = outcome {
            self.changed = event.effects.iter().map(|c| c.order_id.clone()).collect();
            self.after_change();
        }
        Ok(())
    }

    /// Applies what a shared ledger committed since the last call (ours and colleagues').
    pub fn poll_store(&mut self) -> bool {
        let messages = self.store.poll();
        let mut changed = false;
        for m in messages {
            match m {
                StoreMessage::Events(events) => {
                    changed |= self.apply_remote(events);
                }
                StoreMessage::Refused { message, .. } => {
                    self.notices
                        .push(format!("The team ledger refused a change: {message}"));
                }
                StoreMessage::Status(_) => changed = true,
                StoreMessage::Notice(text) => self.notices.push(text),
            }
        }
        changed
    }

    /// Applies events committed elsewhere, and tells the user which of their orders changed.
    fn apply_remote(&mut self, events: Vec<AuditEvent>) -> bool {
        let known = self.session.history.last().map_or(0, |e| e.seq);
        let mut applied = false;
        for e in events.into_iter().filter(|e| e.seq > known) {
            if let Err(err) = self.book.apply(&mut self.session, &e) {
                self.notices
                    .push(format!("Could not apply a ledger change: {err}"));
                continue;
            }
            if e.user != self.user {
                self.notice_colleague(&e);
            }
            self.session.history.push(e);
            applied = true;
        }
        if applied {
            self.refresh();
        }
        applied
    }

    /// "Order Q3-014 by alice (back-dated) changed the decision of your order Q3-020".
    fn notice_colleague(&mut self, e: &AuditEvent) {
        let mine: Vec<&str> = e
            .effects
            .iter()
            .filter(|c| self.created_by(&c.order_id) == Some(self.user.as_str()))
            .map(|c| c.order_id.as_str())
            .collect();
        if mine.is_empty() {
            return;
        }
        let about = e.action.order_ids().join(", ");
        self.notices.push(format!(
            "{} by {} ({}) changed the decision of your order{} {}",
            if about.is_empty() {
                "A change".to_string()
            } else {
                format!("Order {about}")
            },
            e.user,
            e.action.kind(),
            if mine.len() == 1 { "" } else { "s" },
            mine.join(", ")
        ));
    }

    /// Who added an order, from the history.
    pub fn created_by(&self, order_id: &str) -> Option<&str> {
        self.session
            .history
            .iter()
            .find(|e| match &e.action {
                Action::OrderAdded { order } => order.id == order_id,
                Action::OrdersImported { orders, .. } => orders.iter().any(|o| o.id == order_id),
                _ => false,
            })
            .map(|e| e.user.as_str())
    }

    /// Re-derives screenings, decisions and the summary from the session, in full.
    pub fn reevaluate(&mut self) {
        self.book.reset();
        self.refresh();
    }

    /// Brings the decisions up to date with what was applied to the session through the book.
    fn refresh(&mut self) {
        let eval = Evaluator {
            engine: &self.engine,
            screener: self.screener.as_deref(),
        };
        self.book.refresh(eval, &self.session);
        self.refresh_summary();
    }

    fn after_change(&mut self) {
        self.dirty = true;
        self.refresh_summary();
    }

    fn refresh_summary(&mut self) {
        self.summary = BookSummary::new(
            &self.engine,
            &self.session.scenario,
            &self.session.orders,
            self.book.decisions(),
        );
        self.revision += 1;
    }

    /// A fresh order id of the form `ORD-0001` (voided orders keep their ids).
    pub fn next_order_id(&self) -> String {
        let max = self
            .session
            .orders
            .iter()
            .chain(self.session.voided.iter().map(|v| &v.order))
            .filter_map(|o| {
                o.id.strip_prefix("ORD-")
                    .and_then(|n| n.parse::<u32>().ok())
            })
            .max()
            .unwrap_or(0);
        format!("ORD-{:04}", max + 1)
    }

    /// The evaluation helper for stores and tests.
    pub fn eval(&self) -> Evaluator<'_> {
        self.evaluator()
    }
}
