//! Session files: versioned RON, loaded whole or not at all, saved atomically.

use super::model::{FORMAT_VERSION, Session};
use crate::rules::Engine;
use std::io::Write;
use std::path::Path;

/// Files larger than this are refused before parsing (100,000 orders take about 30 MB).
pub const MAX_SESSION_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: {size} bytes is over the {limit}-byte limit for a session file")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}:{line}:{column}: not a valid session: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{file}: format version {found} is newer than this app understands ({supported}); update Diffusion Desk"
    )]
    NewerVersion {
        file: String,
        found: u32,
        supported: u32,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: cannot save: {message}")]
    Write { file: String, message: String },
}

/// Parses session text: checks the version first, migrates older versions, then checks the
/// content against the engine (known countries and items). Nothing is returned half-way.
pub fn parse_session(file: &str, text: &str, engine: &Engine) -> Result<Session, SessionError> {
    let parse_err = |e: ron::error::SpannedError| SessionError::Parse {
        file: file.to_string(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    };
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    // Read the version alone first so a newer file is reported as such, not as a parse error.
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        format_version: u32,
    }
    let probe: Result<VersionOnly, _> = options.from_str(text);
    if let Ok(v) = &probe
        && v.format_version > FORMAT_VERSION
    {
        return Err(SessionError::NewerVersion {
            file: file.to_string(),
            found: v.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let mut session: Session = options.from_str(text).map_err(parse_err)?;
    migrate(&mut session);
    validate(file, &session, engine)?;
    Ok(session)
}

/// Brings an older session up to [`FORMAT_VERSION`].
fn migrate(session: &mut Session) {
    // Version 0 (pre-release files) had the same shape; only the number changes.
    if session.format_version < FORMAT_VERSION {
        session.format_version = FORMAT_VERSION;
    }
}

fn validate(file: &str, s: &Session, engine: &Engine) -> Result<(), SessionError> {
    let invalid = |message: String| SessionError::Invalid {
        file: file.to_string(),
        message,
    };
    let countries = engine.countries();
    let known = |c: crate::rules::CountryCode| countries.get(c).is_some();
    for (i, o) in s.orders.iter().enumerate() {
        let which = format!("order {} (`{}`)", i + 1, o.id);
        for (field, code) in [
            ("destination", Some(o.destination)),
            ("consignee_hq", Some(o.consignee_hq)),
            ("parent_hq", o.parent_hq),
        ] {
            if let Some(c) = code
                && !known(c)
            {
                return Err(invalid(format!("{which}: {field}: unknown country `{c}`")));
            }
        }
        if let crate::rules::Item::Chip(id) = &o.item
            && engine.chips().get(id).is_none()
        {
            return Err(invalid(format!(
                "{which}: item: `{id}` is not in the chip catalogue"
            )));
        }
        if o.quantity == 0 {
            return Err(invalid(format!("{which}: quantity: must be at least 1")));
        }
    }
    for c in &s.scenario.g2g {
        if !known(*c) {
            return Err(invalid(format!("scenario.g2g: unknown country `{c}`")));
        }
    }
    Ok(())
}

/// Reads and parses a session file; the file is never modified.
pub fn load_session(path: &Path, engine: &Engine) -> Result<Session, SessionError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| SessionError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_SESSION_BYTES {
        return Err(SessionError::TooLarge {
            file,
            size,
            limit: MAX_SESSION_BYTES,
        });
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    parse_session(&file, &text, engine)
}

pub fn to_ron(session: &Session) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .struct_names(false)
        .separate_tuple_members(false)
        .indentor("  ".to_string());
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(session, pretty)
        .expect("sessions always serialise")
}

/// Writes the session atomically: a temporary file in the same folder, flushed and synced, then
/// renamed over the target. A crash at any point leaves either the old file or the new one.
pub fn save_session(path: &Path, session: &Session) -> Result<(), SessionError> {
    write_atomically(path, to_ron(session).as_bytes()).map_err(|e| SessionError::Write {
        file: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Atomic write used by sessions and exports.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
