//! Autosave: unsaved work is written to the app data folder so a crash or a forced exit loses at
//! most one interval of edits. A clean exit removes it; finding one at start means the last run
//! did not end cleanly, and the app offers to restore it.
//!
//! The policy is a pure function of the times and dirtiness it is given, so it is tested without
//! a GUI and without waiting.

use super::file::{SessionError, load_session, save_session, write_atomically};
use super::model::Session;
use crate::rules::Engine;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The autosaved session (a normal session file).
pub const AUTOSAVE_FILE: &str = "autosave.ron";
/// Where the autosaved session came from.
pub const AUTOSAVE_META_FILE: &str = "autosave-meta.ron";
/// An autosave that cannot be read is moved here, so it neither blocks every start nor is lost.
pub const UNREADABLE_AUTOSAVE_FILE: &str = "autosave-unreadable.ron";
/// Seconds of unsaved changes before the first autosave, and between autosaves.
pub const AUTOSAVE_INTERVAL_S: f64 = 30.0;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutosaveMeta {
    /// The file the session was opened from or last saved to, if any.
    pub source: Option<PathBuf>,
    /// When the autosave was written, seconds since the Unix epoch.
    pub written_unix_s: i64,
}

impl AutosaveMeta {
    /// "2025-09-30 17:04 UTC"
    pub fn written_text(&self) -> String {
        match jiff::Timestamp::from_second(self.written_unix_s) {
            Ok(t) if self.written_unix_s > 0 => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            _ => "an unknown time".into(),
        }
    }
}

/// An autosave found at start.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    pub session: Session,
    pub meta: AutosaveMeta,
}

/// Looks for an autosave left by a run that did not exit cleanly. `None` when there is none; an
/// error when one exists but cannot be used (it has then been moved aside, see
/// [`UNREADABLE_AUTOSAVE_FILE`]).
pub fn find_recovery(dir: &Path, engine: &Engine) -> Option<Result<Recovery, SessionError>> {
    let path = dir.join(AUTOSAVE_FILE);
    if !path.exists() {
        return None;
    }
    match load_session(&path, engine) {
        Ok(session) => {
            let meta = std::fs::read_to_string(dir.join(AUTOSAVE_META_FILE))
                .ok()
                .and_then(|t| ron::from_str(&t).ok())
                .unwrap_or_default();
            Some(Ok(Recovery { session, meta }))
        }
        Err(e) => {
            let _ = std::fs::rename(&path, dir.join(UNREADABLE_AUTOSAVE_FILE));
            let _ = std::fs::remove_file(dir.join(AUTOSAVE_META_FILE));
            Some(Err(e))
        }
    }
}

/// Removes the autosave files in `dir` (after a clean exit, a save, or a declined recovery).
pub fn remove_autosave(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(AUTOSAVE_FILE));
    let _ = std::fs::remove_file(dir.join(AUTOSAVE_META_FILE));
}

/// Writes the session and where it came from; both files atomically, the session first.
pub fn write_autosave(
    dir: &Path,
    session: &Session,
    source: Option<&Path>,
) -> Result<(), SessionError> {
    let write_err = |e: std::io::Error| SessionError::Write {
        file: dir.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(write_err)?;
    save_session(&dir.join(AUTOSAVE_FILE), session)?;
    let meta = AutosaveMeta {
        source: source.map(Path::to_path_buf),
        written_unix_s: jiff::Timestamp::now().as_second(),
    };
    let text = ron::to_string(&meta).map_err(|e| SessionError::Write {
        file: dir.join(AUTOSAVE_META_FILE).display().to_string(),
        message: e.to_string(),
    })?;
    write_atomically(&dir.join(AUTOSAVE_META_FILE), text.as_bytes()).map_err(write_err)
}

/// Decides when to autosave and does the writing off the UI thread.
#[derive(Debug)]
pub struct Autosaver {
    dir: PathBuf,
    interval: f64,
    /// When the session last became dirty (in the caller's clock).
    dirty_since: Option<f64>,
    last_attempt: Option<f64>,
    /// What the autosave file holds, when this run wrote one.
    written: Option<Arc<Session>>,
    worker: Option<JoinHandle<Result<(), SessionError>>>,
    error: Option<SessionError>,
}

impl Autosaver {
    pub fn new(dir: PathBuf) -> Self {
        Self::with_interval(dir, AUTOSAVE_INTERVAL_S)
    }

    pub fn with_interval(dir: PathBuf, interval: f64) -> Self {
        Self {
            dir,
            interval,
            dirty_since: None,
            last_attempt: None,
            written: None,
            worker: None,
            error: None,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Call once per frame with the current time in seconds. Starts a background write when the
    /// session has been dirty for an interval and has changed since the last autosave. Returns
    /// the seconds until the next check is due, so the caller can schedule a repaint.
    pub fn tick(
        &mut self,
        now: f64,
        session: &Session,
        dirty: bool,
        source: Option<&Path>,
    ) -> Option<f64> {
        self.reap(false);
        if !dirty {
            self.dirty_since = None;
            self.last_attempt = None;
            if self.written.is_some() {
                // Saved (or reverted): the autosave is now older than the file.
                self.discard();
            }
            return None;
        }
        let since = *self.dirty_since.get_or_insert(now);
        let due = self.last_attempt.map_or(since, |t| t.max(since)) + self.interval;
        if now < due {
            return Some(due - now);
        }
        if self.worker.is_some() {
            // The previous write is still running (a very large session); look again shortly.
            return Some(1.0);
        }
        self.last_attempt = Some(now);
        if self.written.as_deref() == Some(session) {
            return Some(self.interval);
        }
        let snapshot = Arc::new(session.clone());
        self.written = Some(Arc::clone(&snapshot));
        let dir = self.dir.clone();
        let source = source.map(Path::to_path_buf);
        self.worker = Some(std::thread::spawn(move || {
            write_autosave(&dir, &snapshot, source.as_deref())
        }));
        Some(self.interval)
    }

    /// Whether a background write is running.
    pub fn writing(&self) -> bool {
        self.worker.is_some()
    }

    /// Waits for a running write (tests, exit).
    pub fn wait(&mut self) {
        self.reap(true);
    }

    fn reap(&mut self, block: bool) {
        if self
            .worker
            .as_ref()
            .is_some_and(|w| block || w.is_finished())
            && let Some(w) = self.worker.take()
        {
            match w.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    self.written = None;
                    self.error = Some(e);
                }
                Err(_) => {
                    self.written = None;
                    self.error = Some(SessionError::Write {
                        file: self.dir.join(AUTOSAVE_FILE).display().to_string(),
                        message: "the autosave writer stopped unexpectedly".into(),
                    });
                }
            }
        }
    }

    /// The last background write's failure, once.
    pub fn take_error(&mut self) -> Option<SessionError> {
        self.error.take()
    }

    /// Writes now, on this thread (exit without saving).
    pub fn write_now(
        &mut self,
        session: &Session,
        source: Option<&Path>,
    ) -> Result<(), SessionError> {
        self.reap(true);
        write_autosave(&self.dir, session, source)?;
        self.written = Some(Arc::new(session.clone()));
        Ok(())
    }

    /// Takes over an autosave found at start whose session the user restored: it is removed as
    /// soon as the session is saved, like one this run wrote.
    pub fn adopt(&mut self, session: &Session) {
        self.written = Some(Arc::new(session.clone()));
    }

    /// Removes the autosave (clean exit, save, declined recovery).
    pub fn discard(&mut self) {
        self.reap(true);
        remove_autosave(&self.dir);
        self.written = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::model::RulesetRef;

    fn session(title: &str) -> Session {
        Session::new(title, RulesetRef::default())
    }

    #[test]
    fn writes_after_an_interval_of_dirtiness_and_only_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(AUTOSAVE_FILE);
        let mut a = Autosaver::with_interval(dir.path().to_path_buf(), 30.0);
        let s = session("a");
        assert_eq!(a.tick(0.0, &s, false, None), None);
        assert_eq!(a.tick(1.0, &s, true, None), Some(30.0));
        assert_eq!(a.tick(20.0, &s, true, None), Some(11.0));
        a.wait();
        assert!(!file.exists(), "nothing before 30 s of dirtiness");
        assert_eq!(a.tick(31.0, &s, true, None), Some(30.0));
        a.wait();
        assert!(file.exists());
        let before = std::fs::metadata(&file).unwrap().modified().unwrap();
        // Unchanged session: the next due check does not rewrite.
        a.tick(61.0, &s, true, None);
        assert!(!a.writing());
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            before
        );
        // Changed: rewritten at the next due time.
        let s2 = session("b");
        assert_eq!(a.tick(70.0, &s2, true, None), Some(21.0));
        a.tick(91.0, &s2, true, Some(Path::new("/x/q.ron")));
        a.wait();
        let engine = Engine::embedded();
        let r = find_recovery(dir.path(), &engine).unwrap().unwrap();
        assert_eq!(r.session.title, "b");
        assert_eq!(r.meta.source.as_deref(), Some(Path::new("/x/q.ron")));
        // Becoming clean (saved) removes it.
        a.tick(92.0, &s2, false, None);
        assert!(!file.exists());
        assert!(find_recovery(dir.path(), &engine).is_none());
    }

    #[test]
    fn an_unreadable_autosave_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(AUTOSAVE_FILE),
            "(format_version: 1, orders: [",
        )
        .unwrap();
        let engine = Engine::embedded();
        assert!(matches!(
            find_recovery(dir.path(), &engine),
            Some(Err(SessionError::Parse { .. }))
        ));
        assert!(find_recovery(dir.path(), &engine).is_none());
        assert!(dir.path().join(UNREADABLE_AUTOSAVE_FILE).exists());
    }
}
