//! Where a session lives: the one interface the workspace reads and writes orders, parties,
//! screening decisions, licences and audit events through. Two implementations: the session file
//! (the embedded default for one person: changes apply at once and reach disk on Save) and the
//! PostgreSQL team ledger (changes commit in a transaction on a worker thread and arrive back,
//! with colleagues' changes, through [`Store::poll`]).

use super::audit::AuditEvent;
use super::commit::{Author, Evaluator, Intent, prepare_in};
use super::live_book::LiveBook;
use super::model::Session;
use std::sync::Arc;

/// Called from a store's own thread when it has messages: the UI asks for a frame and polls.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The outcome of submitting an intent.
#[derive(Debug)]
pub enum Commit {
    /// Committed: this event (already applied to the state and its decisions passed in, for a
    /// local store).
    Done { event: Box<AuditEvent> },
    /// Sent to a shared ledger; the result arrives through [`Store::poll`].
    Pending,
}

/// What a shared ledger reports between frames.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreMessage {
    /// Events committed to the ledger (colleagues' and our own), in ledger order.
    Events(Vec<AuditEvent>),
    /// An intent the ledger refused (it is not retried).
    Refused { key: String, message: String },
    /// The connection's state changed.
    Status(StoreStatus),
    /// Something the user should know (edits an earlier run left are being sent).
    Notice(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreStatus {
    /// A local file: nothing to connect to.
    Local,
    Connected,
    /// Connection lost; unsent edits are kept and retried.
    Reconnecting {
        pending: usize,
        error: String,
    },
}

pub trait Store: Send {
    /// For the status bar: "session file" or the ledger's URL without credentials.
    fn describe(&self) -> String;

    /// Commits `intent` on top of `state` (the workspace's copy, with `book` its decisions). A
    /// local store changes `state` and `book` and returns the event; a shared ledger sends it.
    fn submit(
        &mut self,
        eval: Evaluator,
        state: &mut Session,
        book: &mut LiveBook,
        intent: Intent,
        author: &Author,
    ) -> Result<Commit, String>;

    /// Messages since the last call (a shared ledger's commits and status).
    fn poll(&mut self) -> Vec<StoreMessage> {
        Vec::new()
    }

    fn status(&self) -> StoreStatus {
        StoreStatus::Local
    }

    /// Whether changes reach storage only on Save (a file) or on commit (a ledger).
    fn saves_explicitly(&self) -> bool {
        true
    }

    /// Lets a store with its own thread wake the UI when messages arrive (a ledger's NOTIFY), so
    /// an idle app repaints only then.
    fn set_waker(&mut self, _waker: Waker) {}
}

/// The session file: changes apply to the in-memory session at once; Save writes the file.
#[derive(Debug, Default)]
pub struct FileStore;

impl Store for FileStore {
    fn describe(&self) -> String {
        "session file".into()
    }

    fn submit(
        &mut self,
        eval: Evaluator,
        state: &mut Session,
        book: &mut LiveBook,
        intent: Intent,
        author: &Author,
    ) -> Result<Commit, String> {
        let (event, _) = prepare_in(eval, state, book, &intent, author)?;
        Ok(Commit::Done {
            event: Box::new(event),
        })
    }
}
