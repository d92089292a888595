//! Where a session lives when a team shares it: a PostgreSQL team ledger, behind the same
//! [`Store`](crate::session::store::Store) seam as the session file. The UI never talks SQL; it
//! talks to [`PgStore`], whose worker thread does.
//!
//! # Schema (`migrations/`, embedded, applied by `diffusion-desk ledger init`)
//! - `ledger.events` — **the record**: one row per audit event, in hash-chain order, holding
//!   the event exactly as the client serialised it (`json`, text kept) plus columns copied out of
//!   it (seq, kind, user, time, prev, hash), the edit's idempotency key (unique), the login that
//!   wrote the row and the commit time. Append-only: UPDATE, DELETE and TRUNCATE are revoked and
//!   refused by triggers, for everyone, the tables' owner included.
//! - `ledger.head` — the end of the chain (seq, hash): the one row every commit locks.
//! - `ledger.orders` — a projection for queries and the auditor: every order ever in the book,
//!   its place in the book, its body and its current decision (verdict, authority, ECCN, TPP, the
//!   cap it draws, what it used before and took, what the allocation has left, screening
//!   status), and the event after which that decision was last written. Views: `ledger.book`
//!   (the book in evaluation order), `ledger.cap_use` (draws per LPP room, allocation, NVEU and
//!   UVEU base), `ledger.audit_trail`.
//! - `ledger.meta` — the title, the ruleset (name, version, SHA-256) and the screening list
//!   vintage the ledger was set up with. A client with another ruleset or list would decide
//!   differently, so it is refused.
//!
//! Every client keeps a replica (the audited state replayed from the events, see [`replica`]),
//! so the app holds the whole session as it does for a file, and a commit is prepared exactly as
//! a file's is, by `session::commit::prepare_in`. The replica keeps its decisions current event
//! by event (`session::LiveBook`): catching up on colleagues' events and preparing an edit decide
//! again only the orders those changes can have altered, not the whole book.
//!
//! # Transactions
//! See [`conn`]: lock the head, catch up, prepare (check, apply, decide again what the edit and
//! the events caught up on can have changed), append the event with the rows of every order
//! whose stored decision changed, NOTIFY, COMMIT.
//! One lock on the head serialises writers. Finer locks (per consignee-year, per country) would
//! let unrelated orders commit in parallel, but the events form one hash chain (a total order)
//! and a back-dated order can change any later order's decision, so the head is the honest unit;
//! a commit holds it for the round trips, the commit's WAL flush and a fraction of a
//! millisecond of evaluation (about 0.1 ms for an order added to a 10,000-order book).
//!
//! # Roles
//! `ledger_officer` (orders, parties, override requests, licence applications, what-ifs),
//! `ledger_reviewer` (screening decisions, override approvals, licence decisions, the scenario),
//! `ledger_auditor` (reads). App logins have SELECT and EXECUTE on `ledger.lock_head` and
//! `ledger.append` only; `append` (SECURITY DEFINER, owned by `ledger_owner`, which no login is a
//! member of) checks the role for the action's kind, that the event names the caller as its
//! user, and four eyes on overrides. [`roles`] mirrors the mapping so the app can refuse early.
//!
//! # Faults
//! Each edit carries an idempotency key, unique in `ledger.events`. The worker keeps unsent
//! edits in order while the server is away, says so (`StoreStatus::Reconnecting`), reconnects
//! with backoff, and sends each edit until it commits or is refused; a retry whose first attempt
//! committed finds its key and records nothing new. While edits wait, and when the app stops
//! with edits unsent, they are also kept on disk ([`outbox`], a file per running instance) and
//! sent first by the next connection to the same ledger as the same login.
//!
//! # Live
//! `ledger.append` sends `NOTIFY ledger_events`; each app listens on a dedicated connection and
//! its worker catches up at once, then wakes the UI.

pub mod admin;
pub mod conn;
pub mod connect;
pub mod error;
mod listen;
pub mod migrate;
pub mod outbox;
pub mod pg_store;
pub mod pgpass;
pub mod replica;
pub mod roles;
pub mod rows;
mod tls;
pub mod url;
mod worker;

pub use conn::{Committed, LedgerConn};
pub use connect::Target;
pub use error::LedgerError;
pub use pg_store::{Opened, PgStore};
pub use url::Env;

use crate::rules::Engine;
use crate::session::commit::{Evaluator, SharedScreener};
use std::sync::Arc;

/// How a ledger's clients evaluate: one engine and one screener for every client, so their
/// decisions agree.
#[derive(Clone)]
pub struct LedgerEval {
    pub engine: Arc<Engine>,
    pub screener: Option<SharedScreener>,
}

impl LedgerEval {
    /// The engine with the shipped restricted-party lists (the index is loaded once per process).
    pub fn standard(engine: Arc<Engine>) -> Self {
        use crate::screening::{IndexScreener, shipped_index};
        Self {
            engine,
            screener: Some(Arc::new(IndexScreener::new(shipped_index()))),
        }
    }

    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            engine: &self.engine,
            screener: self.screener.as_deref(),
        }
    }

    /// The vintage of the lists orders are screened against ("" without screening).
    pub fn list_vintage(&self) -> String {
        self.screener
            .as_deref()
            .map(|s| s.vintage().to_string())
            .unwrap_or_default()
    }
}
