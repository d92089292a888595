//! `diffusion-desk ledger init|import|export|add`: setting up a team ledger on PostgreSQL and
//! moving sessions and orders in and out of it. Exit status as for `check`: 0 fine, 1 some rows
//! invalid or refused, 2 unusable input or an unreachable ledger (with a message on stderr).

use super::check::{EXIT_INVALID_ROWS, EXIT_OK, EXIT_UNUSABLE, decision_json};
use crate::rules::{Engine, FindingContext};
use crate::session::audit::Action;
use crate::session::commit::Intent;
use crate::session::csv_io;
use crate::session::file::{load_session, save_session};
use crate::session::screening_link::screen_order;
use crate::session::workspace::HistoryStatus;
use crate::store::{Env, LedgerConn, LedgerError, LedgerEval, Target, admin};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `ledger add` keeps trying to reach a server that went away.
const RECONNECT_FOR: Duration = Duration::from_secs(60);

#[derive(clap::Subcommand)]
pub enum LedgerCommand {
    /// Create or upgrade a team ledger's schema and roles (run once, as the database
    /// administrator).
    Init {
        /// postgres://USER@HOST[:PORT]/DB[?sslmode=…]
        url: String,
        /// The ledger's title, shown in the app.
        #[arg(long, default_value = admin::DEFAULT_TITLE)]
        title: String,
    },
    /// Import a session, history and all, into an empty ledger (as the database administrator).
    Import { url: String, file: PathBuf },
    /// Write the ledger as a session file (its history verified).
    Export { url: String, file: PathBuf },
    /// Enter the orders of a CSV, each in its own transaction; print each decision as `check`
    /// does.
    Add { url: String, orders: PathBuf },
}

/// Runs a `ledger` command; returns the exit status.
pub fn run(cmd: LedgerCommand, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let eval = LedgerEval::standard(Arc::new(Engine::embedded()));
    let (url, result) = match cmd {
        LedgerCommand::Init { url, title } => {
            let r = with_password(&url, err, |t, _| init(t, &eval, &title, out));
            (url, r)
        }
        LedgerCommand::Import { url, file } => {
            let r = with_password(&url, err, |t, _| import(t, &eval, &file, out));
            (url, r)
        }
        LedgerCommand::Export { url, file } => {
            let r = with_password(&url, err, |t, err| export(t, &eval, &file, out, err));
            (url, r)
        }
        LedgerCommand::Add { url, orders } => {
            let r = with_password(&url, err, |t, err| add(t, &eval, &orders, out, err));
            (url, r)
        }
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            if matches!(e, LedgerError::Url(_)) {
                let _ = writeln!(err, "(ledger URL given: {})", redacted_or_raw(&url));
            }
            EXIT_UNUSABLE
        }
    }
}

fn redacted_or_raw(url: &str) -> String {
    crate::store::url::LedgerUrl::parse(url, &Env::system())
        .map(|u| u.redacted())
        .unwrap_or_else(|_| "(not shown: it may hold a password)".into())
}

/// Runs `f` on the ledger; when the server wants a password none of PGPASSWORD, ~/.pgpass or
/// the URL gave, asks for it on the terminal (never echoed, never stored) and runs `f` again.
fn with_password<T>(
    url: &str,
    err: &mut dyn Write,
    mut f: impl FnMut(&Target, &mut dyn Write) -> Result<T, LedgerError>,
) -> Result<T, LedgerError> {
    let target = Target::resolve(url, None, &Env::system())?;
    for w in &target.warnings {
        let _ = writeln!(err, "{w}");
    }
    let first = f(&target, err);
    let ask = match &first {
        Err(LedgerError::PasswordNeeded { .. }) => true,
        Err(LedgerError::LoginRefused { .. }) => !target.has_password(),
        _ => false,
    };
    if !ask || !std::io::stdin().is_terminal() {
        return first;
    }
    let prompt = format!("Password for {}: ", target.url().short());
    let password = rpassword::prompt_password(prompt)
        .map_err(|e| LedgerError::Url(format!("cannot read the password: {e}")))?;
    f(&target.with_password(password), err)
}

fn init(
    target: &Target,
    eval: &LedgerEval,
    title: &str,
    out: &mut dyn Write,
) -> Result<i32, LedgerError> {
    let r = admin::init(target, eval, title)?;
    let applied = if r.applied.is_empty() {
        "already up to date".to_string()
    } else {
        let v: Vec<String> = r.applied.iter().map(ToString::to_string).collect();
        format!("applied migrations {}", v.join(", "))
    };
    let _ = writeln!(
        out,
        "team ledger \"{}\" ready at {}: schema version {} ({applied}), {} events\n\
         ruleset {} v{}, screening lists of {}\n\
         grant people their roles, e.g.:\n  \
         CREATE ROLE alice LOGIN PASSWORD '…';  GRANT ledger_officer TO alice;\n  \
         GRANT ledger_reviewer TO rita;  GRANT ledger_auditor TO audrey;",
        r.meta.title,
        target.describe(),
        r.schema_version,
        r.events,
        r.meta.ruleset.name,
        r.meta.ruleset.version,
        r.meta.list_vintage
    );
    Ok(EXIT_OK)
}

fn import(
    target: &Target,
    eval: &LedgerEval,
    file: &Path,
    out: &mut dyn Write,
) -> Result<i32, LedgerError> {
    let session =
        load_session(file, &eval.engine).map_err(|e| LedgerError::Refused(e.to_string()))?;
    let r = admin::import(target, eval, session)?;
    let _ = writeln!(
        out,
        "imported {} into {}: {} events (history verified and read back), {} orders, {} voided",
        file.display(),
        target.describe(),
        r.events,
        r.orders,
        r.voided
    );
    Ok(EXIT_OK)
}

fn export(
    target: &Target,
    eval: &LedgerEval,
    file: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, LedgerError> {
    let x = admin::export(target, eval)?;
    save_session(file, &x.session).map_err(|e| LedgerError::Refused(e.to_string()))?;
    // What was written must open as the app opens it: parsed, its history verified.
    let back = load_session(file, &eval.engine).map_err(|e| LedgerError::Refused(e.to_string()))?;
    let status = HistoryStatus::check(&back);
    if !status.is_verified() {
        return Err(LedgerError::Corrupt(status.describe()));
    }
    let _ = writeln!(
        out,
        "exported {} to {}: {} events (history verified), {} orders, {} voided",
        target.describe(),
        file.display(),
        back.history.len(),
        back.orders.len(),
        back.voided.len()
    );
    if !x.checked {
        let _ = writeln!(
            err,
            "note: this app's ruleset or screening lists differ from the ledger's, so its stored decisions were not checked"
        );
    } else if !x.mismatched.is_empty() {
        let _ = writeln!(
            err,
            "warning: {} stored decisions differ from the ones the history gives: {}",
            x.mismatched.len(),
            x.mismatched.join(", ")
        );
        return Ok(EXIT_INVALID_ROWS);
    }
    Ok(EXIT_OK)
}

/// `ledger add`: each valid row committed in its own transaction, its decision printed as
/// `check` prints it; invalid or refused rows printed with `"verdict":"invalid"` and why.
fn add(
    target: &Target,
    eval: &LedgerEval,
    csv: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, LedgerError> {
    let file = std::fs::File::open(csv)
        .map_err(|e| LedgerError::Refused(format!("{}: cannot read: {e}", csv.display())))?;
    let source = csv.display().to_string();
    let rows = csv_io::read_rows(&source, std::io::BufReader::new(file))
        .map_err(|e| LedgerError::Refused(e.to_string()))?;
    let mut conn = LedgerConn::open(Arc::new(target.clone()), eval.clone())?;
    let mut invalid = false;
    for row in &rows {
        let order = match csv_io::validate_row(&eval.engine, row) {
            Ok(o) => o,
            Err(errors) => {
                invalid = true;
                print_invalid(out, row.raw.id.trim(), &csv_io::row_message(row, &errors));
                continue;
            }
        };
        let intent = Intent::new(
            Action::OrderAdded {
                order: order.clone(),
            },
            "",
        );
        match commit_with_retry(&mut conn, &intent, err) {
            Ok(()) => {
                let d = conn
                    .replica
                    .decision_of(&order.id)
                    .expect("a committed order is in the book");
                let session = &conn.replica.session;
                let screening = eval
                    .screener
                    .as_deref()
                    .map(|sc| screen_order(sc, &order, &session.screening));
                let ctx = FindingContext {
                    engine: &eval.engine,
                    order: &order,
                    screening: screening.as_ref(),
                    licences: &session.licences,
                    overrides: &session.overrides,
                };
                let _ = writeln!(out, "{}", decision_json(&ctx, d));
            }
            Err(LedgerError::Refused(m)) => {
                invalid = true;
                let message = format!("row {} (line {}): {m}", row.row, row.line);
                print_invalid(out, &order.id, &message);
            }
            Err(e) => return Err(e),
        }
        conn.take_new();
    }
    Ok(if invalid { EXIT_INVALID_ROWS } else { EXIT_OK })
}

/// Commits, riding out a server that goes away for up to [`RECONNECT_FOR`]; the edit's key makes
/// a repeated attempt record nothing twice.
fn commit_with_retry(
    conn: &mut LedgerConn,
    intent: &Intent,
    err: &mut dyn Write,
) -> Result<(), LedgerError> {
    let author = conn.author_now();
    let started = Instant::now();
    let mut wait = Duration::from_millis(100);
    loop {
        let e = match conn.commit(intent, &author) {
            Ok(_) => return Ok(()),
            Err(e) if e.is_transient() && started.elapsed() < RECONNECT_FOR => e,
            Err(e) => return Err(e),
        };
        let _ = writeln!(err, "{e}; retrying in {wait:?}");
        std::thread::sleep(wait);
        wait = (wait * 2).min(Duration::from_secs(5));
        // A failed reconnect is retried on the next turn; the commit then says what is wrong.
        let _ = conn.reconnect();
    }
}

/// An invalid row, as `check` prints one.
fn print_invalid(out: &mut dyn Write, id: &str, message: &str) {
    let json = serde_json::json!({
        "id": id,
        "tier": null,
        "verdict": "invalid",
        "authority": "none",
        "eccn": null,
        "tpp": 0,
        "h100e": 0.0,
        "counts_against_allocation": false,
        "allocation_remaining_tpp": null,
        "findings": [],
        "message": message,
    });
    let _ = writeln!(out, "{json}");
}
