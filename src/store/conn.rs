//! One client of a team ledger: a connection, the replica it prepares commits on, and the
//! commit itself. The app's worker thread, the `ledger` commands, the tests and the benchmark
//! all commit through [`LedgerConn::commit`].
//!
//! A commit is one transaction (READ COMMITTED):
//! 1. `ledger.lock_head(key)` locks the head of the hash chain (every writer waits here, so
//!    commits are totally ordered) and says whether this edit's key is already recorded;
//! 2. events committed since the replica's last one are read and applied (they are visible now:
//!    each statement reads the latest committed data, and their writers have released the lock);
//! 3. `prepare_in` checks the edit against the replica, applies it and re-evaluates what it (and
//!    the events caught up on) can have changed, exactly as a session file does;
//! 4. `ledger.append` stores the event, the rows of every order whose stored decision changed,
//!    moves the head and sends NOTIFY; COMMIT.
//!
//! So no edit can commit against a stale ledger, and the decisions stored are those one desk
//! computes for the book as committed. If anything fails after step 3 the replica forgets the
//! edit; a retry finds its key (step 1) if the first attempt committed after all.

use super::connect::Target;
use super::error::LedgerError;
use super::replica::{self, Replica};
use super::roles::Role;
use super::rows;
use super::{LedgerEval, migrate};
use crate::session::RulesetRef;
use crate::session::audit::AuditEvent;
use crate::session::commit::{Author, Intent, prepare_in};
use std::sync::Arc;

/// How often a commit is prepared again when the ledger moved on under it (the head lock makes
/// this rare: only a writer that skipped the lock can cause it).
const STALE_RETRIES: usize = 8;

/// Session settings for app connections: a stuck client cannot hold the head for long.
const SESSION_SETUP: &str = "SET lock_timeout = '20s'; \
     SET idle_in_transaction_session_timeout = '30s'; \
     SET statement_timeout = '120s'";

/// What the ledger was set up with (`ledger.meta`).
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub ruleset: RulesetRef,
    pub list_vintage: String,
}

/// The outcome of a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    /// Recorded now, as event `seq`.
    New { seq: u64 },
    /// An earlier attempt of the same edit was recorded as event `seq`.
    Already { seq: u64 },
}

impl Committed {
    pub fn seq(self) -> u64 {
        match self {
            Committed::New { seq } | Committed::Already { seq } => seq,
        }
    }
}

struct Statements {
    lock_head: postgres::Statement,
    append: postgres::Statement,
    events_after: postgres::Statement,
}

pub struct LedgerConn {
    target: Arc<Target>,
    client: postgres::Client,
    stmts: Statements,
    eval: LedgerEval,
    pub replica: Replica,
    user: String,
    roles: Vec<Role>,
    meta: Meta,
}

impl std::fmt::Debug for LedgerConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerConn")
            .field("ledger", &self.target.describe())
            .field("user", &self.user)
            .field("seq", &self.replica.seq())
            .finish_non_exhaustive()
    }
}

impl LedgerConn {
    /// Connects, checks the schema and what the ledger was set up with, and loads every event.
    pub fn open(target: Arc<Target>, eval: LedgerEval) -> Result<Self, LedgerError> {
        let mut client = target.connect()?;
        let (user, roles, meta, stmts) = setup(&target, &mut client, &eval)?;
        let texts =
            fetch_after(&mut client, &stmts.events_after, 0).map_err(|e| target.error(&e))?;
        let events = replica::parse_events(&texts)?;
        drop(texts);
        let mut replica = Replica::load(events, &meta.title, meta.ruleset.clone())?;
        replica.refresh(eval.evaluator());
        Ok(Self {
            target,
            client,
            stmts,
            eval,
            replica,
            user,
            roles,
            meta,
        })
    }

    /// The login this client records changes as.
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    pub fn target(&self) -> &Arc<Target> {
        &self.target
    }

    pub fn eval(&self) -> &LedgerEval {
        &self.eval
    }

    /// An author for an edit made now by this client's user.
    pub fn author_now(&self) -> Author {
        Author {
            user: self.user.clone(),
            at: jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        }
    }

    /// Whether the connection is known to be broken.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// A fresh connection after a failure; the replica catches up with what it missed.
    pub fn reconnect(&mut self) -> Result<usize, LedgerError> {
        let mut client = self.target.connect()?;
        let (user, roles, meta, stmts) = setup(&self.target, &mut client, &self.eval)?;
        if meta != self.meta || user != self.user {
            return Err(LedgerError::Mismatch(
                "the ledger was set up again while this app was away: reconnect to it".into(),
            ));
        }
        self.client = client;
        self.stmts = stmts;
        self.roles = roles;
        self.catch_up()
    }

    /// Applies the events committed since the replica's last one; returns how many.
    pub fn catch_up(&mut self) -> Result<usize, LedgerError> {
        let texts = fetch_after(
            &mut self.client,
            &self.stmts.events_after,
            self.replica.seq(),
        )
        .map_err(|e| self.target.error(&e))?;
        let n = texts.len();
        self.replica.extend(replica::parse_events(&texts)?)?;
        Ok(n)
    }

    /// Brings the replica's decisions up to date (after catching up), outside any transaction.
    pub fn refresh(&mut self) {
        self.replica.refresh(self.eval.evaluator());
    }

    /// Commits an edit (see the module doc), preparing it again if the ledger moved on.
    pub fn commit(&mut self, intent: &Intent, author: &Author) -> Result<Committed, LedgerError> {
        let mut tries = 0;
        loop {
            match self.try_commit(intent, author) {
                Err(LedgerError::Stale) if tries < STALE_RETRIES => tries += 1,
                other => return other,
            }
        }
    }

    fn try_commit(&mut self, intent: &Intent, author: &Author) -> Result<Committed, LedgerError> {
        let Self {
            target,
            client,
            stmts,
            eval,
            replica,
            ..
        } = self;
        let err = |e: postgres::Error| target.error(&e);
        let eval = eval.evaluator();
        replica.refresh(eval);
        let mut tx = client.transaction().map_err(err)?;
        let head = tx
            .query_one(&stmts.lock_head, &[&intent.key])
            .map_err(err)?;
        let head_seq = seq_of(head.get(0))?;
        let head_hash: String = head.get(1);
        if let Some(existing) = head.get::<_, Option<i64>>(2) {
            drop(tx);
            self.catch_up()?;
            return Ok(Committed::Already {
                seq: seq_of(existing)?,
            });
        }
        if head_seq != replica.seq() {
            let texts = fetch_after(&mut tx, &stmts.events_after, replica.seq()).map_err(err)?;
            replica.extend(replica::parse_events(&texts)?)?;
        }
        if replica.seq() != head_seq || replica.head_hash() != head_hash {
            return Err(LedgerError::Corrupt(format!(
                "the stored head (#{head_seq}) is not the last stored event"
            )));
        }
        // Brings the decisions up to date with what was caught up on, then with the edit.
        let (event, redecided) = prepare_in(
            eval,
            &mut replica.session,
            &mut replica.book,
            intent,
            author,
        )
        .map_err(LedgerError::Refused)?;
        replica.place(&event);
        let sent = (|| {
            let (rows, gone) = rows::delta(
                &replica.session,
                replica.book.decisions(),
                &redecided,
                &replica.placement,
                &event,
            )?;
            let event_json = serde_json::to_string(&event).expect("events serialise");
            let rows_json = serde_json::to_string(&rows).expect("rows serialise");
            tx.query_one(
                &stmts.append,
                &[&intent.key, &event_json, &rows_json, &gone],
            )
            .map_err(err)?;
            tx.commit().map_err(err)
        })();
        match sent {
            Ok(()) => {
                let seq = event.seq;
                replica.committed(event);
                Ok(Committed::New { seq })
            }
            Err(e) => {
                replica.undo_last()?;
                Err(e)
            }
        }
    }

    /// Reads every stored decision row (tests, `ledger export`'s check, the benchmark).
    pub fn stored_rows(&mut self) -> Result<Vec<(String, Option<rows::DecisionRow>)>, LedgerError> {
        let sql = format!(
            "SELECT order_id, in_book, {} FROM ledger.orders ORDER BY order_id",
            rows::DECISION_COLUMNS
        );
        let found = self
            .client
            .query(&sql, &[])
            .map_err(|e| self.target.error(&e))?;
        Ok(found
            .iter()
            .map(|r| {
                let in_book: bool = r.get(1);
                (r.get(0), in_book.then(|| rows::DecisionRow::from_sql(r, 2)))
            })
            .collect())
    }

    /// The client, for queries of the read-only views (tests, tools).
    pub fn client(&mut self) -> &mut postgres::Client {
        &mut self.client
    }

    /// Events applied to the replica since the last call.
    pub fn take_new(&mut self) -> Vec<AuditEvent> {
        self.replica.take_new()
    }
}

fn seq_of(v: i64) -> Result<u64, LedgerError> {
    u64::try_from(v).map_err(|_| LedgerError::Corrupt(format!("negative event number {v}")))
}

/// Events after `seq`, as stored JSON text, in chain order.
fn fetch_after(
    client: &mut impl postgres::GenericClient,
    stmt: &postgres::Statement,
    seq: u64,
) -> Result<Vec<String>, postgres::Error> {
    let after = i64::try_from(seq).unwrap_or(i64::MAX);
    Ok(client
        .query(stmt, &[&after])?
        .into_iter()
        .map(|r| r.get(0))
        .collect())
}

/// Session settings, identity, schema and set-up checks, prepared statements.
fn setup(
    target: &Target,
    client: &mut postgres::Client,
    eval: &LedgerEval,
) -> Result<(String, Vec<Role>, Meta, Statements), LedgerError> {
    let err = |e: postgres::Error| target.error(&e);
    client.batch_execute(SESSION_SETUP).map_err(err)?;
    let (user, roles) = identity(client).map_err(err)?;
    if roles.is_empty() {
        return Err(LedgerError::Refused(format!(
            "{user} holds no role on this team ledger: an administrator can grant one, e.g. GRANT ledger_officer TO {user} (or ledger_reviewer, ledger_auditor)"
        )));
    }
    match migrate::current(client).map_err(err)? {
        None => {
            return Err(LedgerError::NotALedger(format!(
                "{} holds no team ledger",
                target.url().short()
            )));
        }
        Some(v) if v < migrate::latest() => {
            return Err(LedgerError::NotALedger(format!(
                "the ledger's schema is version {v}, this app needs {}",
                migrate::latest()
            )));
        }
        Some(v) if v > migrate::latest() => {
            return Err(LedgerError::Mismatch(format!(
                "the ledger's schema is version {v}, newer than this app's ({}): use a newer Diffusion Desk",
                migrate::latest()
            )));
        }
        Some(_) => {}
    }
    let meta = read_meta(client).map_err(err)?.ok_or_else(|| {
        LedgerError::NotALedger(format!("{} has an unfinished ledger", target.url().short()))
    })?;
    check_meta(&meta, eval)?;
    let stmts = Statements {
        lock_head: client
            .prepare("SELECT head_seq, head_hash, existing FROM ledger.lock_head($1)")
            .map_err(err)?,
        append: client
            .prepare("SELECT ledger.append($1, $2::text::json, $3::text::json, $4)")
            .map_err(err)?,
        events_after: client
            .prepare("SELECT event::text FROM ledger.events WHERE seq > $1 ORDER BY seq")
            .map_err(err)?,
    };
    Ok((user, roles, meta, stmts))
}

/// The login and the ledger roles it holds (directly or through other roles).
pub fn identity(client: &mut postgres::Client) -> Result<(String, Vec<Role>), postgres::Error> {
    let user: String = client.query_one("SELECT session_user::text", &[])?.get(0);
    let held: Vec<String> = client
        .query(
            "SELECT rolname::text FROM pg_roles \
             WHERE rolname IN ('ledger_officer', 'ledger_reviewer', 'ledger_auditor') \
               AND pg_has_role(session_user, oid, 'MEMBER')",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| held.iter().any(|h| h == r.db_name()))
        .collect();
    Ok((user, roles))
}

pub fn read_meta(
    client: &mut impl postgres::GenericClient,
) -> Result<Option<Meta>, postgres::Error> {
    let row = client.query_opt(
        "SELECT title, ruleset_name, ruleset_version, ruleset_sha256, list_vintage FROM ledger.meta",
        &[],
    )?;
    Ok(row.map(|r| Meta {
        title: r.get(0),
        ruleset: RulesetRef {
            name: r.get(1),
            version: r.get(2),
            sha256: r.get(3),
        },
        list_vintage: r.get(4),
    }))
}

/// Every client must decide like every other: same ruleset, same screening list.
pub fn check_meta(meta: &Meta, eval: &LedgerEval) -> Result<(), LedgerError> {
    let ours = RulesetRef::of(eval.engine.loaded());
    if meta.ruleset.sha256 != ours.sha256 {
        return Err(LedgerError::Mismatch(format!(
            "this ledger was set up with the ruleset {} v{} (SHA-256 {}), this app uses {} v{} ({}): every officer must use the same ruleset, or the same order would be decided differently. Use a Diffusion Desk with the ledger's ruleset",
            meta.ruleset.name,
            meta.ruleset.version,
            short_hash(&meta.ruleset.sha256),
            ours.name,
            ours.version,
            short_hash(&ours.sha256)
        )));
    }
    let vintage = eval.list_vintage();
    if meta.list_vintage != vintage {
        return Err(LedgerError::Mismatch(format!(
            "this ledger screens against the restricted-party lists of {}, this app against those of {}: every officer must screen against the same lists. Use a Diffusion Desk with the ledger's lists",
            meta.list_vintage, vintage
        )));
    }
    Ok(())
}

fn short_hash(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}
