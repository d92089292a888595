//! Session files: versioned RON, loaded whole or not at all, saved atomically.
//!
//! Loading never writes to the file it reads. Saving goes through a temporary file in the target's
//! folder that is renamed over the target only once it is complete and synced, so an interrupted
//! save leaves the previous file as it was.

use super::model::{FORMAT_VERSION, Session};
use crate::rules::ruleset::sha256_hex;
use crate::rules::{CountryCode, Engine};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing (100,000 orders take about 14 MB), and
/// saving refuses to write a larger one, so every file the app saves can be opened again.
pub const MAX_SESSION_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: {size} bytes is over the {limit}-byte limit for a session file")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: not a text file (invalid UTF-8 at byte {offset})")]
    NotText { file: String, offset: usize },
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
    #[error(
        "{file}: cannot save: the session would take {} MB, over the {} MB a session file may \
         have, so it could not be opened again. Nothing was written; move some orders to another \
         session (Export orders CSV, then import them into a new one)",
        mb(*size),
        mb(*limit)
    )]
    WouldBeTooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: not saved: the file changed on disk since it was opened or last saved here")]
    Conflict { file: String },
}

/// Bytes as megabytes with one decimal, for messages.
fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

impl SessionError {
    /// The file the error is about, as given.
    pub fn file(&self) -> &str {
        match self {
            SessionError::Io { file, .. }
            | SessionError::TooLarge { file, .. }
            | SessionError::NotText { file, .. }
            | SessionError::Parse { file, .. }
            | SessionError::NewerVersion { file, .. }
            | SessionError::Invalid { file, .. }
            | SessionError::Write { file, .. }
            | SessionError::WouldBeTooLarge { file, .. }
            | SessionError::Conflict { file } => file,
        }
    }
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parses session text: checks the version, migrates older versions, then checks the content
/// against the engine (known countries and items, valid orders). Nothing is returned half-way.
pub fn parse_session(file: &str, text: &str, engine: &Engine) -> Result<Session, SessionError> {
    // Version 1 files have another view-state shape: they are read as such and upgraded.
    if let Some(found) = probe_version(text)
        && found < FORMAT_VERSION
    {
        let v1: super::format_v1::SessionV1 = ron_options()
            .from_str(text)
            .map_err(|e| parse_error(file, text, &e))?;
        let session = v1.upgrade();
        validate(file, &session, engine)?;
        return Ok(session);
    }
    // One full parse on the happy path; the version is probed only to explain a failure, so a
    // newer file is reported as newer rather than as whatever field it added.
    let mut session: Session = match ron_options().from_str(text) {
        Ok(s) => s,
        Err(e) => {
            if let Some(found) = probe_version(text)
                && found > FORMAT_VERSION
            {
                return Err(newer(file, found));
            }
            return Err(parse_error(file, text, &e));
        }
    };
    if session.format_version > FORMAT_VERSION {
        return Err(newer(file, session.format_version));
    }
    session.loaded_from_version = super::model::ReadVersion(session.format_version);
    session.format_version = FORMAT_VERSION;
    validate(file, &session, engine)?;
    Ok(session)
}

fn newer(file: &str, found: u32) -> SessionError {
    SessionError::NewerVersion {
        file: file.to_string(),
        found,
        supported: FORMAT_VERSION,
    }
}

fn parse_error(file: &str, text: &str, e: &ron::error::SpannedError) -> SessionError {
    let at_end = past_last_content(text, e.span.start.line, e.span.start.col);
    let message = match &e.code {
        ron::Error::Eof => "the file ends too early (truncated?)".to_string(),
        _ if at_end => format!("the file ends too early (truncated?): {}", e.code),
        other => other.to_string(),
    };
    SessionError::Parse {
        file: file.to_string(),
        line: e.span.start.line,
        column: e.span.start.col,
        // Error texts quote the input; keep the report on one line.
        message: message.replace(['\n', '\r'], " "),
    }
}

/// Whether a 1-based line and column lie at or after the last non-blank character of `text`:
/// the parser wanted more, so the file was cut short.
fn past_last_content(text: &str, line: usize, col: usize) -> bool {
    let trimmed = text.trim_end();
    let last_line = trimmed.lines().count().max(1);
    let last_col = trimmed.lines().last().map_or(0, |l| l.chars().count());
    line > last_line || (line == last_line && col > last_col)
}

/// The `format_version` of a file that may not parse as a session of this version. Read from the
/// text rather than by parsing, so a truncated or damaged file still says which shape it has.
fn probe_version(text: &str) -> Option<u32> {
    let rest = &text[text.find("format_version")? + "format_version".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn validate(file: &str, s: &Session, engine: &Engine) -> Result<(), SessionError> {
    let invalid = |message: String| SessionError::Invalid {
        file: file.to_string(),
        message,
    };
    let countries = engine.countries();
    let known = |what: &str, c: CountryCode| {
        if countries.get(c).is_some() {
            Ok(())
        } else {
            Err(invalid(format!("{what}: unknown country `{c}`")))
        }
    };
    let validator = engine.validator();
    for (i, o) in s.orders.iter().enumerate() {
        // The same checks as an order typed into the form or read from CSV, so a session can
        // never hold an order the app would refuse.
        if let Err(errors) = validator.validate(&o.to_raw()) {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(invalid(format!(
                "order {} (`{}`): {}",
                i + 1,
                o.id,
                list.join("; ")
            )));
        }
    }
    for (i, l) in s.licences.iter().enumerate() {
        l.check()
            .map_err(|m| invalid(format!("licence {} (`{}`): {m}", i + 1, l.application)))?;
        if !s.id_taken(&l.order_id) {
            return Err(invalid(format!(
                "licence {} (`{}`): order `{}` is not in the session",
                i + 1,
                l.application,
                l.order_id
            )));
        }
    }
    for w in &s.what_ifs {
        w.engine(engine)
            .map_err(|m| invalid(format!("what-if `{}`: {m}", w.name)))?;
    }
    for c in &s.scenario.g2g {
        known("scenario.g2g", *c)?;
    }
    for (entity, base) in &s.scenario.installed_base {
        if entity.trim().is_empty() {
            return Err(invalid(
                "scenario.installed_base: an entity name is empty".into(),
            ));
        }
        for c in base.keys() {
            known(&format!("scenario.installed_base[`{entity}`]"), *c)?;
        }
    }
    for (i, p) in s.parties.iter().enumerate() {
        let which = format!("party {} (`{}`)", i + 1, p.name);
        known(&format!("{which}: hq"), p.hq)?;
        if let Some(c) = p.parent_hq {
            known(&format!("{which}: parent_hq"), c)?;
        }
    }
    let map = &s.view.map;
    if !(map.zoom.is_finite() && map.zoom > 0.0) {
        return Err(invalid(format!(
            "view.map.zoom: {} is not a positive number",
            map.zoom
        )));
    }
    if !map.center.iter().all(|v| v.is_finite()) {
        return Err(invalid("view.map.center: not a finite position".into()));
    }
    if let Some(c) = map.selected {
        known("view.map.selected", c)?;
    }
    if let Some(c) = s.view.plots.country {
        known("view.plots.country", c)?;
    }
    Ok(())
}

/// Reads and parses a session file; the file is never modified.
pub fn load_session(path: &Path, engine: &Engine) -> Result<Session, SessionError> {
    load_session_limited(path, engine, MAX_SESSION_BYTES)
}

/// As [`load_session`] with another size limit (tests use a small one).
pub fn load_session_limited(
    path: &Path,
    engine: &Engine,
    limit: u64,
) -> Result<Session, SessionError> {
    load_hashed(path, engine, limit).map(|(session, _)| session)
}

/// As [`load_session`], with the SHA-256 of the bytes read: a later save compares it with the
/// file on disk to notice that someone else saved it in between.
pub fn load_session_with_hash(
    path: &Path,
    engine: &Engine,
) -> Result<(Session, String), SessionError> {
    load_hashed(path, engine, MAX_SESSION_BYTES)
}

fn load_hashed(
    path: &Path,
    engine: &Engine,
    limit: u64,
) -> Result<(Session, String), SessionError> {
    let file = path.display().to_string();
    let bytes = read_limited(path, limit).map_err(|e| match e {
        ReadError::Io(message) => SessionError::Io {
            file: file.clone(),
            message,
        },
        ReadError::TooLarge(size) => SessionError::TooLarge {
            file: file.clone(),
            size,
            limit,
        },
    })?;
    let hash = sha256_hex(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| SessionError::NotText {
        file: file.clone(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok((parse_session(&file, &text, engine)?, hash))
}

/// Why a bounded read failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    Io(String),
    /// The file's size in bytes (at least the limit + 1).
    TooLarge(u64),
}

/// Reads a whole file, refusing one over `limit` bytes without reading it (and without trusting
/// the size seen before opening: the read itself is bounded).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let f = std::fs::File::open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::Io("is a folder, not a file".into()));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The first line of every saved session: says what the file is to someone who opens it.
const HEADER: &str = "// Diffusion Desk session. Decisions are not stored: they are re-derived from \
the ruleset, scenario and orders when the file is opened.\n";

/// The session as RON text: one order per line, other sections laid out for reading.
pub fn to_ron(session: &Session) -> String {
    // Depth 2 keeps each order (and each view section) on one line: files stay readable and
    // diff well, and large books are no bigger than compact output.
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(false)
        .separate_tuple_members(false)
        .indentor("  ".to_string());
    // About 160 bytes per order; pre-sizing avoids repeated reallocation of a large buffer.
    let mut out = String::with_capacity(HEADER.len() + 4096 + session.orders.len() * 176);
    out.push_str(HEADER);
    ron_options()
        .to_writer_pretty(&mut out, session, pretty)
        .expect("sessions always serialise");
    out.push('\n');
    out
}

/// Writes the session atomically: a temporary file in the same folder, flushed and synced, then
/// renamed over the target. A crash at any point leaves either the old file or the new one.
pub fn save_session(path: &Path, session: &Session) -> Result<(), SessionError> {
    save_session_limited(path, session, None, MAX_SESSION_BYTES).map(|_| ())
}

/// As [`save_session`], but only if the file on disk still has the SHA-256 `expected` (the
/// bytes this app loaded or last saved there); otherwise [`SessionError::Conflict`] and nothing
/// is written. `None` writes whatever is there (Save As, where the dialog asked already). A
/// missing file is no conflict: there is nothing to lose. Returns the SHA-256 of what was saved.
pub fn save_session_checked(
    path: &Path,
    session: &Session,
    expected: Option<&str>,
) -> Result<String, SessionError> {
    save_session_limited(path, session, expected, MAX_SESSION_BYTES)
}

/// As [`save_session_checked`] with another size limit (tests use a small one). A session whose
/// file would be over `limit` is refused, since loading refuses it too.
pub fn save_session_limited(
    path: &Path,
    session: &Session,
    expected: Option<&str>,
    limit: u64,
) -> Result<String, SessionError> {
    let file = path.display().to_string();
    let text = to_ron(session);
    let size = text.len() as u64;
    if size > limit {
        return Err(SessionError::WouldBeTooLarge { file, size, limit });
    }
    let write_err = |e: std::io::Error| SessionError::Write {
        file: file.clone(),
        message: e.to_string(),
    };
    if let Some(expected) = expected {
        match file_sha256(path) {
            Ok(Some(found)) if found != expected => return Err(SessionError::Conflict { file }),
            Ok(_) => {}
            Err(e) => return Err(write_err(e)),
        }
    }
    // The check and the write are not one atomic step; a save landing in between is not seen.
    // Good enough against the real case: two windows saving the same file minutes apart.
    write_atomically(path, text.as_bytes()).map_err(write_err)?;
    Ok(sha256_hex(text.as_bytes()))
}

/// The SHA-256 of a file's bytes, `None` when it does not exist. Read in pieces: a session
/// file may be hundreds of megabytes.
pub fn file_sha256(path: &Path) -> std::io::Result<Option<String>> {
    use sha2::Digest;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut buf)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    ))
}

/// A complete, synced temporary file waiting to replace its target. Dropping it without
/// [`PendingWrite::commit`] removes the temporary file and leaves the target untouched, which is
/// exactly what an interrupted save must do.
#[derive(Debug)]
pub struct PendingWrite {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl PendingWrite {
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the temporary file over the target (atomic on one filesystem).
    pub fn commit(self) -> std::io::Result<()> {
        let dir = self.target.parent().map(Path::to_path_buf);
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        // Make the rename itself durable; not every filesystem supports syncing a folder.
        if let Some(dir) = dir
            && let Ok(d) = std::fs::File::open(&dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The first half of an atomic write: the new content in a synced temporary file beside the
/// target, with the target's permissions. The target is not touched.
pub fn prepare_atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<PendingWrite> {
    // Writing through a symlink replaces the file it points to, not the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    // A leftover from a crash is recognisable: `.NAME.XXXXXX.tmp` next to the file. Old ones are
    // cleared first, so repeated interrupted saves of a large session cannot fill the disk.
    remove_stale_temps(dir, &name, STALE_TEMP_AGE);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // The temporary file is created private (0600); keep the permissions the user gave the file.
    if let Ok(meta) = std::fs::metadata(&target) {
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    Ok(PendingWrite { tmp, target })
}

/// How old a temporary file of an atomic write must be before a later save of the same file
/// removes it. A writer still at work keeps touching its file (writing, then syncing), so a
/// minute without change means it was interrupted; a younger one may belong to another instance
/// saving the same file right now, and is left alone.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Whether `file_name` is a temporary file of an atomic write of `target_name`:
/// `.NAME.XXXXXX.tmp`, where XXXXXX is the six letters or digits `tempfile` adds. The exact
/// shape matters: `.a.ron.b.ron.XXXXXX.tmp` belongs to `a.ron.b.ron`, not to `a.ron`.
fn is_temp_of(file_name: &str, target_name: &str) -> bool {
    file_name
        .strip_prefix('.')
        .and_then(|r| r.strip_prefix(target_name))
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix(".tmp"))
        .is_some_and(|mid| mid.len() == 6 && mid.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Removes the temporary files that interrupted saves of `target_name` left in `dir`, if they
/// have not changed for `older_than`; returns how many. Best effort: a save never fails because
/// an old temporary file could not be removed.
pub fn remove_stale_temps(dir: &Path, target_name: &str, older_than: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_temp_of(&name.to_string_lossy(), target_name) {
            continue;
        }
        // Not following links: only plain files this app created are removed.
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= older_than);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Atomic write used by sessions, exports and preferences.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    prepare_atomic_write(path, bytes)?.commit()
}

/// A file name for saving a session titled `title`: letters, digits and dashes, `.ron`.
pub fn suggested_file_name(title: &str) -> String {
    let mut s = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    let s: String = s.chars().take(60).collect();
    if s.is_empty() {
        "session.ron".into()
    } else {
        format!("{s}.ron")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_plain() {
        assert_eq!(
            suggested_file_name("Q3 2025: compliance / quarter"),
            "q3-2025-compliance-quarter.ron"
        );
        assert_eq!(suggested_file_name("  "), "session.ron");
    }

    #[test]
    fn pending_write_leaves_target_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::fs::write(&p, "old").unwrap();
        let w = prepare_atomic_write(&p, b"new").unwrap();
        assert_eq!(std::fs::read(w.temp_path()).unwrap(), b"new");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        w.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_names_match_only_their_own_file() {
        assert!(is_temp_of(".q.ron.a1B2c3.tmp", "q.ron"));
        assert!(!is_temp_of(".q.ron.x.ron.a1B2c3.tmp", "q.ron"));
        assert!(!is_temp_of(".q.ron.a1B2c.tmp", "q.ron"));
        assert!(!is_temp_of(".q.ron.a1-2c3.tmp", "q.ron"));
        assert!(!is_temp_of("q.ron.a1B2c3.tmp", "q.ron"));
        assert!(!is_temp_of(".qq.ron.a1B2c3.tmp", "q.ron"));
    }

    /// Two windows with the same file: the second save notices the first and writes nothing.
    #[test]
    fn a_save_over_a_file_changed_since_loading_is_a_conflict() {
        let engine = Engine::embedded();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("shared.ron");
        let original = Session::new("original", crate::session::RulesetRef::default());
        save_session(&p, &original).unwrap();
        let (mut a, hash_a) = load_session_with_hash(&p, &engine).unwrap();
        let (mut b, hash_b) = load_session_with_hash(&p, &engine).unwrap();
        assert_eq!(hash_a, sha256_hex(&std::fs::read(&p).unwrap()));
        b.title = "B's work".into();
        let saved_b = save_session_checked(&p, &b, Some(&hash_b)).unwrap();
        assert_eq!(file_sha256(&p).unwrap().as_deref(), Some(saved_b.as_str()));
        a.title = "A's work".into();
        let e = save_session_checked(&p, &a, Some(&hash_a)).unwrap_err();
        assert_eq!(
            e,
            SessionError::Conflict {
                file: p.display().to_string()
            }
        );
        assert!(e.to_string().contains("changed on disk"), "{e}");
        assert_eq!(load_session(&p, &engine).unwrap().title, "B's work");
        // B saves again on top of its own save: no conflict.
        b.notes = "more".into();
        save_session_checked(&p, &b, Some(&saved_b)).unwrap();
        // Overwriting on purpose, and saving where the file has gone, need no match.
        save_session_checked(&p, &a, None).unwrap();
        assert_eq!(load_session(&p, &engine).unwrap().title, "A's work");
        std::fs::remove_file(&p).unwrap();
        save_session_checked(&p, &a, Some(&hash_a)).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn bounded_read_refuses_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'x'; 11]).unwrap();
        assert_eq!(read_limited(&p, 10), Err(ReadError::TooLarge(11)));
        assert_eq!(read_limited(&p, 11).unwrap().len(), 11);
    }
}
