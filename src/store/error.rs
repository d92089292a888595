//! What can go wrong with a team ledger, in words that say what to do, and which failures a
//! retry can cure (the server went away) and which it cannot (a refused change, a bad password).

use postgres::error::SqlState;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger URL: {0}")]
    Url(String),

    #[error("TLS: {0}")]
    Tls(String),

    /// The server cannot be reached or the connection broke: retried with backoff.
    #[error(
        "cannot reach the team ledger at {target}: {detail}. Check that the server is running and the host and port are right"
    )]
    Unreachable { target: String, detail: String },

    #[error(
        "the server at {target} asks for {user}'s password: set PGPASSWORD, add a line to ~/.pgpass, or type the password"
    )]
    PasswordNeeded { target: String, user: String },

    #[error(
        "the server at {target} refused the login of {user}: {detail}. Check the user name and password (PGPASSWORD, ~/.pgpass or the password field)"
    )]
    LoginRefused {
        target: String,
        user: String,
        detail: String,
    },

    #[error(
        "{0}. Ask the database administrator to run `diffusion-desk ledger init URL` on this database"
    )]
    NotALedger(String),

    /// The ledger refused the change (a role, a rule, a conflict): not retried.
    #[error("{0}")]
    Refused(String),

    /// The ledger moved on while the change was being prepared: caught up and retried at once.
    #[error("the ledger changed while the edit was being prepared")]
    Stale,

    /// The ledger was set up for another ruleset or screening list than this app's.
    #[error("{0}")]
    Mismatch(String),

    /// The stored history does not verify (hash chain, sequence or replay).
    #[error("the ledger's history does not verify: {0}")]
    Corrupt(String),

    #[error("database error: {0}")]
    Sql(String),
}

impl LedgerError {
    /// Whether the same request may succeed later (after a reconnect), so an edit is kept.
    pub fn is_transient(&self) -> bool {
        matches!(self, LedgerError::Unreachable { .. } | LedgerError::Stale)
    }

    /// Whether only the user can cure it (a password, a login); retrying alone will not.
    pub fn needs_credentials(&self) -> bool {
        matches!(
            self,
            LedgerError::PasswordNeeded { .. } | LedgerError::LoginRefused { .. }
        )
    }

    /// Classifies a client error. `target` and `user` name the ledger in the message.
    pub fn from_pg(e: &postgres::Error, target: &str, user: &str) -> Self {
        let unreachable = |detail: String| LedgerError::Unreachable {
            target: target.to_string(),
            detail,
        };
        let Some(db) = e.as_db_error() else {
            let text = error_chain(e);
            if text.contains("password missing") {
                return LedgerError::PasswordNeeded {
                    target: target.to_string(),
                    user: user.to_string(),
                };
            }
            if text.contains("tls") || text.contains("certificate") || text.contains("TLS") {
                return LedgerError::Tls(text);
            }
            // Closed connections, I/O errors, timeouts: the server went away or is not there.
            return unreachable(text);
        };
        let code = db.code();
        let message = db.message().to_string();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return LedgerError::LoginRefused {
                target: target.to_string(),
                user: user.to_string(),
                detail: message,
            };
        }
        if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED
        {
            return LedgerError::Stale;
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE || *code == SqlState::RAISE_EXCEPTION {
            return LedgerError::Refused(match db.hint() {
                Some(h) => format!("{message} ({h})"),
                None => message,
            });
        }
        if *code == SqlState::UNDEFINED_TABLE
            || *code == SqlState::UNDEFINED_FUNCTION
            || *code == SqlState::INVALID_SCHEMA_NAME
        {
            return LedgerError::NotALedger(format!("{target} holds no team ledger ({message})"));
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return LedgerError::NotALedger(format!("{target}: {message}"));
        }
        let class = &code.code()[..2];
        // 08: connection exception, 57: operator intervention (shutdown), 53: insufficient
        // resources (too many connections): all cured by waiting and reconnecting.
        if matches!(class, "08" | "57" | "53") {
            return unreachable(message);
        }
        LedgerError::Sql(format!("{message} (SQLSTATE {})", code.code()))
    }
}

/// An error and its sources, joined: the client's top-level text is often just "db error".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}
