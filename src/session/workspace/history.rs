//! Whether a session's history can be trusted: the hash chain holds and replaying it rebuilds
//! the saved orders, parties, licences and decisions.

use crate::session::audit::{self, ChainBreak};
use crate::session::model::Session;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryStatus {
    Verified,
    /// The chain breaks at an event: it was edited, removed or reordered.
    Broken(ChainBreak),
    /// The chain holds but does not rebuild the saved state (the state was edited by hand).
    Diverged(String),
}

impl HistoryStatus {
    pub fn check(s: &Session) -> Self {
        if let Err(b) = audit::verify_chain(&s.history) {
            return HistoryStatus::Broken(b);
        }
        match audit::replay(&s.history) {
            Err(e) => HistoryStatus::Diverged(format!("the history cannot be replayed: {e}")),
            Ok(replayed) => match audit::first_difference(s, &replayed) {
                None => HistoryStatus::Verified,
                Some(d) => HistoryStatus::Diverged(d),
            },
        }
    }

    pub fn is_verified(&self) -> bool {
        *self == HistoryStatus::Verified
    }

    /// One line for the status bar and reports.
    pub fn describe(&self) -> String {
        match self {
            HistoryStatus::Verified => "history verified".into(),
            HistoryStatus::Broken(b) => format!("history broken: {b}"),
            HistoryStatus::Diverged(d) => format!("history does not match: {d}"),
        }
    }
}
