//! Setting up a ledger and moving sessions in and out of one: `ledger init`, `ledger import`,
//! `ledger export`. Init and import run as the database administrator (a superuser, or a role
//! that may create roles and is a member of `ledger_owner`); export as anyone who can read.

use super::conn::{Meta, check_meta, read_meta};
use super::connect::Target;
use super::error::LedgerError;
use super::replica::{self, Replica};
use super::{LedgerEval, migrate, rows};
use crate::session::audit::{self, AuditEvent};
use crate::session::workspace::HistoryStatus;
use crate::session::{RulesetRef, Session, Workspace};

/// Events and rows sent per statement by an import (each batch is a few megabytes of JSON).
const BATCH: usize = 5000;

/// The title a new ledger gets when nothing else names it.
pub const DEFAULT_TITLE: &str = "Team ledger";

#[derive(Debug, Clone, PartialEq)]
pub struct InitReport {
    /// Migrations applied now (empty: the schema was up to date).
    pub applied: Vec<i32>,
    pub schema_version: i32,
    pub meta: Meta,
    /// Events already in the ledger.
    pub events: u64,
}

/// Creates or upgrades the ledger's schema and roles, and records what it is set up with.
pub fn init(target: &Target, eval: &LedgerEval, title: &str) -> Result<InitReport, LedgerError> {
    let err = |e: postgres::Error| target.error(&e);
    let mut client = target.connect()?;
    let applied = migrate::migrate(&mut client).map_err(err)?;
    let meta = ensure_meta(&mut client, target, eval, title)?;
    let events = head_seq(&mut client).map_err(err)?;
    Ok(InitReport {
        applied,
        schema_version: migrate::latest(),
        meta,
        events,
    })
}

fn ensure_meta(
    client: &mut postgres::Client,
    target: &Target,
    eval: &LedgerEval,
    title: &str,
) -> Result<Meta, LedgerError> {
    let err = |e: postgres::Error| target.error(&e);
    if let Some(meta) = read_meta(client).map_err(err)? {
        check_meta(&meta, eval)?;
        return Ok(meta);
    }
    let meta = Meta {
        title: title.to_string(),
        ruleset: RulesetRef::of(eval.engine.loaded()),
        list_vintage: eval.list_vintage(),
    };
    client
        .execute(
            "INSERT INTO ledger.meta (title, ruleset_name, ruleset_version, ruleset_sha256, list_vintage) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &meta.title,
                &meta.ruleset.name,
                &meta.ruleset.version,
                &meta.ruleset.sha256,
                &meta.list_vintage,
            ],
        )
        .map_err(err)?;
    Ok(meta)
}

fn head_seq(client: &mut impl postgres::GenericClient) -> Result<u64, postgres::Error> {
    let seq: i64 = client.query_one("SELECT seq FROM ledger.head", &[])?.get(0);
    Ok(u64::try_from(seq).unwrap_or(0))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub events: usize,
    pub orders: usize,
    pub voided: usize,
}

/// The history a session file holds, verified; a file without one gets the history the app would
/// give it (its import as the first event).
pub fn session_history(eval: &LedgerEval, session: Session) -> Result<Session, LedgerError> {
    let ws = Workspace::new(eval.engine.clone(), session);
    match ws.history_status() {
        HistoryStatus::Verified => Ok(ws.session),
        other => Err(LedgerError::Refused(format!(
            "the session's {}: only a session whose history verifies can be imported",
            other.describe()
        ))),
    }
}

/// Imports a session (with its history, verified) into an empty ledger, creating the schema if
/// needed, then reads it back and checks it rebuilds the same session.
pub fn import(
    target: &Target,
    eval: &LedgerEval,
    session: Session,
) -> Result<ImportReport, LedgerError> {
    let err = |e: postgres::Error| target.error(&e);
    let session = session_history(eval, session)?;
    let mut client = target.connect()?;
    migrate::migrate(&mut client).map_err(err)?;
    let title = if session.title.trim().is_empty() {
        DEFAULT_TITLE
    } else {
        session.title.as_str()
    };
    ensure_meta(&mut client, target, eval, title)?;
    let mut tx = client.transaction().map_err(err)?;
    let held = head_seq(&mut tx).map_err(err)?;
    if held > 0 {
        return Err(LedgerError::Refused(format!(
            "the ledger already holds {held} events: import a session only into an empty ledger (a new database)"
        )));
    }
    tx.execute("UPDATE ledger.meta SET title = $1", &[&title])
        .map_err(err)?;
    let history = session.history.clone();
    for batch in history.chunks(BATCH) {
        let json = serde_json::to_string(batch).expect("events serialise");
        tx.execute("SELECT ledger.seed_events($1::text::json)", &[&json])
            .map_err(err)?;
    }
    let mut replica = Replica::load(history, title, session.ruleset.clone())?;
    replica.refresh(eval.evaluator());
    let last = replica.seq();
    let all = rows::all_rows(
        &replica.session,
        replica.decisions(),
        &replica.placement,
        last,
    )?;
    for batch in all.chunks(BATCH) {
        let json = serde_json::to_string(batch).expect("rows serialise");
        tx.execute("SELECT ledger.seed_orders($1::text::json)", &[&json])
            .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    // Read it back: the stored history must rebuild the session that was imported.
    let (_, back) = load(&mut client, target)?;
    if back.session.history != session.history
        || !audit::same_audited_state(&back.session, &session)
    {
        return Err(LedgerError::Corrupt(
            "the imported history does not read back as it was written".into(),
        ));
    }
    Ok(ImportReport {
        events: session.history.len(),
        orders: session.orders.len(),
        voided: session.voided.len(),
    })
}

/// The ledger's meta and every event, verified and replayed (no role needed beyond reading).
pub fn load(
    client: &mut postgres::Client,
    target: &Target,
) -> Result<(Meta, Replica), LedgerError> {
    let err = |e: postgres::Error| target.error(&e);
    if migrate::current(client).map_err(err)?.is_none() {
        return Err(LedgerError::NotALedger(format!(
            "{} holds no team ledger",
            target.url().short()
        )));
    }
    let meta = read_meta(client).map_err(err)?.ok_or_else(|| {
        LedgerError::NotALedger(format!("{} has an unfinished ledger", target.url().short()))
    })?;
    let texts: Vec<String> = client
        .query("SELECT event::text FROM ledger.events ORDER BY seq", &[])
        .map_err(err)?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    let events: Vec<AuditEvent> = replica::parse_events(&texts)?;
    let replica = Replica::load(events, &meta.title, meta.ruleset.clone())?;
    Ok((meta, replica))
}

#[derive(Debug)]
pub struct Export {
    pub session: Session,
    /// Orders whose stored decision differs from the one computed now (should be none); empty
    /// when this app's ruleset or lists differ from the ledger's and no check was possible.
    pub mismatched: Vec<String>,
    /// Whether the stored decisions were compared with this app's evaluation.
    pub checked: bool,
}

/// The ledger as a session (history verified), and a check of its stored decisions.
pub fn export(target: &Target, eval: &LedgerEval) -> Result<Export, LedgerError> {
    let mut client = target.connect()?;
    let (meta, mut replica) = load(&mut client, target)?;
    let checked = check_meta(&meta, eval).is_ok();
    let mut mismatched = Vec::new();
    if checked {
        replica.refresh(eval.evaluator());
        mismatched = compare_stored(&mut client, target, &replica)?;
    }
    let session = replica.session;
    let status = HistoryStatus::check(&session);
    if !status.is_verified() {
        return Err(LedgerError::Corrupt(status.describe()));
    }
    Ok(Export {
        session,
        mismatched,
        checked,
    })
}

/// Ids of orders whose stored row differs from the replica's decision (or is missing).
pub fn compare_stored(
    client: &mut postgres::Client,
    target: &Target,
    replica: &Replica,
) -> Result<Vec<String>, LedgerError> {
    let sql = format!(
        "SELECT order_id, in_book, {} FROM ledger.orders",
        rows::DECISION_COLUMNS
    );
    let stored: std::collections::HashMap<String, Option<rows::DecisionRow>> = client
        .query(&sql, &[])
        .map_err(|e| target.error(&e))?
        .iter()
        .map(|r| {
            let in_book: bool = r.get(1);
            (r.get(0), in_book.then(|| rows::DecisionRow::from_sql(r, 2)))
        })
        .collect();
    let s = &replica.session;
    let mut bad = Vec::new();
    for (o, d) in s.orders.iter().zip(replica.decisions()) {
        let want = rows::DecisionRow::of(d, s)?;
        if stored.get(&o.id) != Some(&Some(want)) {
            bad.push(o.id.clone());
        }
    }
    for v in &s.voided {
        if stored.get(&v.order.id) != Some(&None) {
            bad.push(v.order.id.clone());
        }
    }
    let known = s.orders.len() + s.voided.len();
    if stored.len() != known {
        bad.push(format!("{} rows for {known} orders", stored.len()));
    }
    Ok(bad)
}
