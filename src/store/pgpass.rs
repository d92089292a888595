//! The libpq password file (`~/.pgpass`, or the file PGPASSFILE names): lines of
//! `hostname:port:database:username:password`, `*` matching anything in the first four fields,
//! `\:` and `\\` for a literal colon or backslash, `#` starting a comment; the first matching
//! line wins. Like libpq, a file that others can read is ignored with a warning.

use std::path::{Path, PathBuf};

/// What to look up: the connection's host (a socket folder for local connections), port,
/// database and user.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// The outcome of a lookup: a password, and warnings to show (an unsafe file, an unreadable one).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    pub password: Option<String>,
    pub warnings: Vec<String>,
}

/// The password file libpq would read: PGPASSFILE, else `~/.pgpass`.
pub fn default_path(env: &super::url::Env) -> Option<PathBuf> {
    env.get("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env.home.as_ref().map(|h| h.join(".pgpass")))
}

/// Looks `key` up in the file at `path` (a missing file is no match and no warning).
pub fn lookup(path: &Path, key: Key) -> Lookup {
    let mut out = Lookup::default();
    let Ok(meta) = std::fs::metadata(path) else {
        return out;
    };
    if !meta.is_file() {
        out.warnings.push(format!(
            "WARNING: password file \"{}\" is not a plain file",
            path.display()
        ));
        return out;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            // libpq's own words: the file is ignored until its mode is fixed.
            out.warnings.push(format!(
                "WARNING: password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
                path.display()
            ));
            return out;
        }
    }
    match std::fs::read_to_string(path) {
        Ok(text) => out.password = find(&text, key),
        Err(e) => out.warnings.push(format!(
            "WARNING: password file \"{}\" cannot be read: {e}",
            path.display()
        )),
    }
    out
}

/// The password of the first line of `text` that matches `key`.
pub fn find(text: &str, key: Key) -> Option<String> {
    // libpq: "localhost" matches a connection through the default socket folder.
    let host = if key.host == super::url::DEFAULT_SOCKET_DIR {
        "localhost"
    } else {
        key.host
    };
    let port = key.port.to_string();
    let wanted = [host, port.as_str(), key.dbname, key.user];
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f.as_str() == "*" || f.as_str() == w);
            matches.then(|| fields[4].clone())
        })
}

/// Splits a line at unescaped colons, escapes resolved. As in libpq, the password ends at the
/// next unescaped colon.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let current = fields.last_mut().expect("never empty");
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ':' => fields.push(String::new()),
            _ => current.push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key = Key {
        host: "db.example.org",
        port: 5432,
        dbname: "desk",
        user: "alice",
    };

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# team ledger\n\
                    other.host:5432:desk:alice:nope\n\
                    db.example.org:5432:*:bob:nope\n\
                    db.example.org:*:desk:alice:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(find(text, KEY).as_deref(), Some("pa:ss\\word"));
        let carol = Key {
            user: "carol",
            ..KEY
        };
        assert_eq!(find(text, carol).as_deref(), Some("fallback"));
        assert_eq!(find("db.example.org:5432:desk:alice", KEY), None);
        // An escaped colon in a matching field is part of the field.
        let v6 = Key { host: "::1", ..KEY };
        assert_eq!(
            find("\\:\\:1:5432:desk:alice:six", v6).as_deref(),
            Some("six")
        );
        // As in libpq, the password ends at an unescaped colon.
        assert_eq!(find("*:*:*:*:a:b", KEY).as_deref(), Some("a"));
    }

    #[test]
    fn the_default_socket_matches_localhost() {
        let local = Key {
            host: crate::store::url::DEFAULT_SOCKET_DIR,
            ..KEY
        };
        assert_eq!(
            find("localhost:5432:desk:alice:s", local).as_deref(),
            Some("s")
        );
        let other = Key {
            host: "/tmp/sock",
            ..KEY
        };
        assert_eq!(find("localhost:5432:desk:alice:s", other), None);
        assert_eq!(
            find("/tmp/sock:5432:desk:alice:t", other).as_deref(),
            Some("t")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_ignored_with_libpqs_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let l = lookup(&path, KEY);
        assert_eq!(l.password, None);
        assert!(l.warnings[0].contains("group or world access"), "{l:?}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let l = lookup(&path, KEY);
        assert_eq!(l.password.as_deref(), Some("secret"));
        assert!(l.warnings.is_empty());
        assert_eq!(lookup(&dir.path().join("missing"), KEY), Lookup::default());
    }
}
