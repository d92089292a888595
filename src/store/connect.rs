//! From a URL and the user's credentials to a connected client.
//!
//! The password comes, in this order, from what the user typed (the Connect dialog, a terminal
//! prompt), the URL, PGPASSWORD, or the password file (PGPASSFILE or `~/.pgpass`): libpq's
//! order with the typed password first. It is held in memory for reconnecting and never written
//! anywhere; what the app shows and keeps is the redacted URL.

use super::error::LedgerError;
use super::pgpass;
use super::tls::{self, TlsSetup};
use super::url::{Env, LedgerUrl};
use std::time::Duration;

/// How long to wait for a server that does not answer, when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A ledger to connect to, with the credentials resolved.
#[derive(Clone)]
pub struct Target {
    url: LedgerUrl,
    password: Option<String>,
    tls: TlsSetup,
    /// Things the user should know (a password file others can read is ignored).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("url", &self.url.redacted())
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Target {
    /// Parses `url` and finds the password (`typed` first; see the module doc).
    pub fn resolve(url: &str, typed: Option<String>, env: &Env) -> Result<Self, LedgerError> {
        let url = LedgerUrl::parse(url, env)?;
        let tls = tls::setup(&url, env)?;
        let mut warnings = Vec::new();
        let password = match typed.filter(|p| !p.is_empty()) {
            Some(p) => Some(p),
            None => url
                .password
                .clone()
                .or_else(|| env.get("PGPASSWORD"))
                .or_else(|| {
                    let path = pgpass::default_path(env)?;
                    let found = pgpass::lookup(
                        &path,
                        pgpass::Key {
                            host: &url.host,
                            port: url.port,
                            dbname: &url.dbname,
                            user: &url.user,
                        },
                    );
                    warnings.extend(found.warnings);
                    found.password
                }),
        };
        Ok(Self {
            url,
            password,
            tls,
            warnings,
        })
    }

    /// The same ledger with a password the user typed.
    pub fn with_password(mut self, password: String) -> Self {
        self.password = Some(password);
        self
    }

    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    pub fn url(&self) -> &LedgerUrl {
        &self.url
    }

    /// The URL without its password: what the app shows and keeps.
    pub fn describe(&self) -> String {
        self.url.redacted()
    }

    pub fn user(&self) -> &str {
        &self.url.user
    }

    /// A new connection.
    pub fn connect(&self) -> Result<postgres::Client, LedgerError> {
        let mut c = postgres::Config::new();
        if self.url.is_socket() {
            c.host_path(&self.url.host);
        } else {
            c.host(&self.url.host);
        }
        c.port(self.url.port)
            .user(&self.url.user)
            .dbname(&self.url.dbname)
            .ssl_mode(self.tls.mode)
            .application_name(
                self.url
                    .application_name
                    .as_deref()
                    .unwrap_or("diffusion-desk"),
            )
            .connect_timeout(
                self.url
                    .connect_timeout
                    .map_or(CONNECT_TIMEOUT, Duration::from_secs),
            )
            // A server that vanished without closing the connection is noticed within a minute.
            .keepalives_idle(Duration::from_secs(30));
        if let Some(p) = &self.password {
            c.password(p);
        }
        c.connect(self.tls.connector.clone())
            .map_err(|e| self.error(&e))
    }

    /// A client error in the user's terms, naming this ledger.
    pub fn error(&self, e: &postgres::Error) -> LedgerError {
        LedgerError::from_pg(e, &self.url.short(), &self.url.user)
    }
}
