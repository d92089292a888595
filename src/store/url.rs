//! Ledger URLs in libpq's form, `postgres://[USER[:PASSWORD]@][HOST][:PORT][/DB][?PARAM=VALUE&…]`,
//! with libpq's environment defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE,
//! PGSSLROOTCERT). A password in the URL is used but never shown: [`LedgerUrl::redacted`] is what
//! the app displays and anything it keeps.

use super::error::LedgerError;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    Disable,
    Allow,
    /// libpq's default: TLS when the server offers it, without checking its certificate.
    #[default]
    Prefer,
    /// TLS, certificate not checked (checked against the root certificate when one is given).
    Require,
    /// TLS, certificate signed by a trusted root; the host name is not checked.
    VerifyCa,
    /// TLS, certificate signed by a trusted root and naming the host.
    VerifyFull,
}

impl SslMode {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// Reads one environment variable.
pub type VarFn = std::sync::Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where environment variables and the home folder come from (tests pass their own, so a
/// developer's PGPASSWORD or ~/.pgpass never reaches a test).
#[derive(Clone)]
pub struct Env {
    pub var: VarFn,
    pub home: Option<std::path::PathBuf>,
}

impl Env {
    /// The process environment and the user's home folder.
    pub fn system() -> Self {
        Self {
            var: std::sync::Arc::new(|k| std::env::var(k).ok().filter(|v| !v.is_empty())),
            home: std::env::var_os("HOME").map(Into::into),
        }
    }

    /// No variables and no home folder: only what the URL and the caller give.
    pub fn isolated() -> Self {
        Self {
            var: std::sync::Arc::new(|_| None),
            home: None,
        }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        (self.var)(key)
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env").field("home", &self.home).finish()
    }
}

/// Debian's libpq looks for the server's socket here when no host is given.
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// A parsed ledger URL with the environment's defaults filled in.
#[derive(Clone, PartialEq, Eq)]
pub struct LedgerUrl {
    pub user: String,
    /// A host name, an IP address, or a socket folder (starts with `/`).
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub sslmode: SslMode,
    pub sslrootcert: Option<String>,
    pub connect_timeout: Option<u64>,
    pub application_name: Option<String>,
    /// From the URL itself; used, never displayed or kept.
    pub(super) password: Option<String>,
}

impl std::fmt::Debug for LedgerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl LedgerUrl {
    pub fn parse(text: &str, env: &Env) -> Result<Self, LedgerError> {
        let bad = |m: String| LedgerError::Url(m);
        let text = text.trim();
        let rest = text
            .strip_prefix("postgres://")
            .or_else(|| text.strip_prefix("postgresql://"))
            .ok_or_else(|| {
                bad(format!(
                    "`{}` does not start with postgres:// (e.g. postgres://alice@db.example.org/desk)",
                    redact_raw(text)
                ))
            })?;
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = before_query.split_once('/').unwrap_or((before_query, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let mut user = None;
        let mut password = None;
        if let Some(u) = userinfo {
            let (name, pw) = u.split_once(':').map_or((u, None), |(n, p)| (n, Some(p)));
            user = Some(decode(name)?).filter(|s| !s.is_empty());
            password = pw.map(decode).transpose()?;
        }
        if hostport.contains(',') {
            return Err(bad(
                "several hosts in one URL are not supported: give one".into()
            ));
        }
        let (host, port) = split_host_port(hostport)?;
        let mut url = Self {
            user: user.unwrap_or_default(),
            host: decode(host)?,
            port: 0,
            dbname: decode(path)?,
            sslmode: SslMode::default(),
            sslrootcert: None,
            connect_timeout: None,
            application_name: None,
            password,
        };
        let mut sslmode = None;
        let mut port_text = port.map(str::to_string);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = decode(v)?;
            match k {
                "host" => url.host = v,
                "port" => port_text = Some(v),
                "user" => url.user = v,
                "password" => url.password = Some(v),
                "dbname" => url.dbname = v,
                "sslmode" => {
                    sslmode = Some(SslMode::parse(&v).ok_or_else(|| {
                        bad(format!(
                            "sslmode `{v}` is not one of disable, allow, prefer, require, verify-ca, verify-full"
                        ))
                    })?)
                }
                "sslrootcert" => url.sslrootcert = Some(v),
                "connect_timeout" => {
                    url.connect_timeout = Some(v.parse().map_err(|_| {
                        bad(format!("connect_timeout `{v}` is not a number of seconds"))
                    })?)
                }
                "application_name" => url.application_name = Some(v),
                other => {
                    return Err(bad(format!(
                        "unknown parameter `{other}` (supported: host, port, user, password, dbname, sslmode, sslrootcert, connect_timeout, application_name)"
                    )));
                }
            }
        }
        url.fill_defaults(env, port_text, sslmode)?;
        Ok(url)
    }

    /// libpq's defaults for what the URL leaves out.
    fn fill_defaults(
        &mut self,
        env: &Env,
        port: Option<String>,
        sslmode: Option<SslMode>,
    ) -> Result<(), LedgerError> {
        if self.user.is_empty() {
            self.user = env
                .get("PGUSER")
                .unwrap_or_else(crate::session::workspace::os_user);
        }
        if self.host.is_empty() {
            self.host = env
                .get("PGHOST")
                .unwrap_or_else(|| DEFAULT_SOCKET_DIR.to_string());
        }
        let port = port.or_else(|| env.get("PGPORT"));
        self.port = match port.as_deref().filter(|p| !p.is_empty()) {
            None => 5432,
            Some(p) => p
                .parse()
                .map_err(|_| LedgerError::Url(format!("port `{p}` is not a port number")))?,
        };
        if self.dbname.is_empty() {
            self.dbname = env.get("PGDATABASE").unwrap_or_else(|| self.user.clone());
        }
        self.sslmode = match sslmode {
            Some(m) => m,
            None => match env.get("PGSSLMODE") {
                Some(m) => SslMode::parse(&m).ok_or_else(|| {
                    LedgerError::Url(format!("PGSSLMODE `{m}` is not a valid sslmode"))
                })?,
                None => SslMode::default(),
            },
        };
        if self.sslrootcert.is_none() {
            self.sslrootcert = env.get("PGSSLROOTCERT");
        }
        Ok(())
    }

    /// Whether the host is a socket folder rather than a network host.
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// The URL as the app shows and keeps it: no password, TLS settings kept.
    pub fn redacted(&self) -> String {
        let host = if self.is_socket() {
            String::new()
        } else if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let mut s = format!(
            "postgres://{}@{host}:{}/{}",
            encode(&self.user),
            self.port,
            encode(&self.dbname)
        );
        let mut params = Vec::new();
        if self.is_socket() {
            params.push(format!("host={}", encode(&self.host)));
        }
        if self.sslmode != SslMode::default() {
            params.push(format!("sslmode={}", self.sslmode.as_str()));
        }
        if let Some(r) = &self.sslrootcert {
            params.push(format!("sslrootcert={}", encode(r)));
        }
        if !params.is_empty() {
            s.push('?');
            s.push_str(&params.join("&"));
        }
        s
    }

    /// "alice@db.example.org/desk", for the status bar.
    pub fn short(&self) -> String {
        let host = if self.is_socket() {
            "local socket"
        } else {
            &self.host
        };
        format!("{}@{host}/{}", self.user, self.dbname)
    }
}

fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>), LedgerError> {
    if let Some(rest) = hostport.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| LedgerError::Url("an IPv6 address is missing its `]`".into()))?;
        return Ok((h, after.strip_prefix(':')));
    }
    Ok(match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    })
}

/// Percent-decoding (`%2F` → `/`).
fn decode(s: &str) -> Result<String, LedgerError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| LedgerError::Url(format!("bad percent escape in `{s}`")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| LedgerError::Url(format!("`{s}` is not UTF-8")))
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL as typed, with any password masked (for messages about a URL that did not parse).
fn redact_raw(text: &str) -> String {
    match (text.find("://"), text.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &text[s + 3..at];
            match userinfo.split_once(':') {
                Some((u, _)) => format!("{}{u}:…{}", &text[..s + 3], &text[at..]),
                None => text.to_string(),
            }
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> LedgerUrl {
        LedgerUrl::parse(s, &Env::isolated()).unwrap()
    }

    #[test]
    fn full_urls_parse_and_redact_the_password() {
        let u = parse("postgres://alice:s%3Acret@db.example.org:6543/desk?sslmode=verify-full");
        assert_eq!(u.user, "alice");
        assert_eq!(u.password.as_deref(), Some("s:cret"));
        assert_eq!(u.host, "db.example.org");
        assert_eq!(u.port, 6543);
        assert_eq!(u.dbname, "desk");
        assert_eq!(u.sslmode, SslMode::VerifyFull);
        let shown = u.redacted();
        assert!(!shown.contains("cret"), "{shown}");
        assert_eq!(
            shown,
            "postgres://alice@db.example.org:6543/desk?sslmode=verify-full"
        );
        assert!(!format!("{u:?}").contains("cret"));
    }

    #[test]
    fn defaults_come_from_the_environment_like_libpq() {
        let env = Env {
            var: std::sync::Arc::new(|k| match k {
                "PGPORT" => Some("5999".into()),
                "PGSSLMODE" => Some("require".into()),
                _ => None,
            }),
            home: None,
        };
        let u = LedgerUrl::parse("postgresql://bob@[::1]", &env).unwrap();
        assert_eq!(u.host, "::1");
        assert_eq!(u.port, 5999);
        assert_eq!(u.dbname, "bob");
        assert_eq!(u.sslmode, SslMode::Require);
        assert_eq!(
            u.redacted(),
            "postgres://bob@[::1]:5999/bob?sslmode=require"
        );
        let socket = parse("postgres://carol@/desk?host=%2Ftmp%2Fpg");
        assert!(socket.is_socket());
        assert_eq!(socket.host, "/tmp/pg");
        assert_eq!(socket.short(), "carol@local socket/desk");
    }

    #[test]
    fn bad_urls_say_what_is_wrong_without_showing_the_password() {
        let env = Env::isolated();
        let e = LedgerUrl::parse("mysql://a:hunter2@h/d", &env).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let e = LedgerUrl::parse("postgres://a@h/d?sslmode=sometimes", &env).unwrap_err();
        assert!(e.to_string().contains("verify-full"), "{e}");
        let e = LedgerUrl::parse("postgres://a@h:port/d", &env).unwrap_err();
        assert!(e.to_string().contains("port"), "{e}");
        assert!(LedgerUrl::parse("postgres://a@h1,h2/d", &env).is_err());
        assert!(LedgerUrl::parse("postgres://a@h/d?colour=blue", &env).is_err());
    }
}
