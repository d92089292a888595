//! Autosave: unsaved work is written to the app data folder so a crash or a forced exit loses at
//! most one interval of edits.
//!
//! Every running instance (window) writes its own autosave, `autosave/<id>.ron`, and holds a lock
//! that says it is alive. At start an instance offers back the autosaves whose instance is gone
//! (there may be several), never a running one's; a clean exit removes only its own.
//!
//! The policy is a pure function of the times and dirtiness it is given, so it is tested without
//! a GUI and without waiting.

mod files;
mod recovery;

pub use files::{AutosaveMeta, session_file};
pub use recovery::{
    LEGACY_AUTOSAVE_FILE, LEGACY_AUTOSAVE_META_FILE, Orphan, Recovery, Scan, find_recoveries,
};

use super::claim::Claim;
use super::file::SessionError;
use super::model::Session;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;

/// The folder of the app data folder that holds the autosaves.
pub const AUTOSAVE_DIR: &str = "autosave";
/// Seconds of unsaved changes before the first autosave, and between autosaves.
pub const AUTOSAVE_INTERVAL_S: f64 = 30.0;

/// The file a session belongs to: where it was loaded from or last saved, with the SHA-256 of
/// that file's bytes then (when known).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub path: PathBuf,
    pub sha256: Option<String>,
}

/// A name no other instance uses: start time, process id and a count (tests run several
/// instances in one process).
fn new_instance_id() -> String {
    static COUNT: AtomicU32 = AtomicU32::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!(
        "{now}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Decides when this instance autosaves, and does the writing off the UI thread.
#[derive(Debug)]
pub struct Autosaver {
    /// The `autosave` folder.
    dir: PathBuf,
    id: String,
    started_unix_s: i64,
    /// This instance's lock, taken before its first write and held until it ends.
    claim: Option<Claim>,
    /// Autosaves of gone instances restored into this one: removed once this instance has the
    /// work in its own autosave or in a saved file.
    adopted: Vec<Orphan>,
    interval: f64,
    /// When the session last became dirty (in the caller's clock).
    dirty_since: Option<f64>,
    last_attempt: Option<f64>,
    /// What this instance's autosave file holds, when it wrote one.
    written: Option<Arc<Session>>,
    worker: Option<JoinHandle<Result<(), SessionError>>>,
    error: Option<SessionError>,
}

impl Autosaver {
    /// Autosaves into the `autosave` folder of the app data folder `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self::with_interval(data_dir, AUTOSAVE_INTERVAL_S)
    }

    pub fn with_interval(data_dir: &Path, interval: f64) -> Self {
        Self {
            dir: data_dir.join(AUTOSAVE_DIR),
            id: new_instance_id(),
            started_unix_s: jiff::Timestamp::now().as_second(),
            claim: None,
            adopted: Vec::new(),
            interval,
            dirty_since: None,
            last_attempt: None,
            written: None,
            worker: None,
            error: None,
        }
    }

    /// This instance's autosave file (it exists only while there is unsaved work).
    pub fn file(&self) -> PathBuf {
        session_file(&self.dir, &self.id)
    }

    /// Call once per frame with the current time in seconds. Starts a background write when the
    /// session has been dirty for an interval and has changed since the last autosave. Returns
    /// the seconds until the next check is due, so the caller can schedule a repaint.
    pub fn tick(
        &mut self,
        now: f64,
        session: &Session,
        dirty: bool,
        source: Option<&Source>,
    ) -> Option<f64> {
        self.reap(false);
        if !dirty {
            self.dirty_since = None;
            self.last_attempt = None;
            if self.written.is_some() || !self.adopted.is_empty() {
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
        if let Err(e) = self.claim() {
            self.error = Some(e);
            return Some(self.interval);
        }
        let snapshot = Arc::new(session.clone());
        self.written = Some(Arc::clone(&snapshot));
        let (dir, id, meta) = (self.dir.clone(), self.id.clone(), self.meta(source));
        self.worker = Some(std::thread::spawn(move || {
            files::write_instance_files(&dir, &id, &snapshot, &meta)
        }));
        Some(self.interval)
    }

    /// Takes this instance's lock, once: before it, another instance would take this one's
    /// autosave for an orphan.
    fn claim(&mut self) -> Result<(), SessionError> {
        if self.claim.is_some() {
            return Ok(());
        }
        let err = |message: String| SessionError::Write {
            file: self
                .dir
                .join(format!("{}.lock", self.id))
                .display()
                .to_string(),
            message,
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| err(e.to_string()))?;
        match Claim::take(&self.dir, &self.id) {
            Ok(Some(c)) => {
                self.claim = Some(c);
                Ok(())
            }
            Ok(None) => Err(err("the lock is held by another process".into())),
            Err(e) => Err(err(format!("cannot lock: {e}"))),
        }
    }

    fn meta(&self, source: Option<&Source>) -> AutosaveMeta {
        AutosaveMeta {
            source: source.map(|s| s.path.clone()),
            source_sha256: source.and_then(|s| s.sha256.clone()),
            written_unix_s: jiff::Timestamp::now().as_second(),
            pid: std::process::id(),
            host: files::host_name(),
            started_unix_s: self.started_unix_s,
        }
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
            let result = w.join().unwrap_or_else(|_| {
                Err(SessionError::Write {
                    file: self.file().display().to_string(),
                    message: "the autosave writer stopped unexpectedly".into(),
                })
            });
            match result {
                // The restored work is now in this instance's own autosave.
                Ok(()) => self.adopted.drain(..).for_each(Orphan::discard),
                Err(e) => {
                    self.written = None;
                    self.error = Some(e);
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
        source: Option<&Source>,
    ) -> Result<(), SessionError> {
        self.reap(true);
        self.claim()?;
        files::write_instance_files(&self.dir, &self.id, session, &self.meta(source))?;
        self.written = Some(Arc::new(session.clone()));
        self.adopted.drain(..).for_each(Orphan::discard);
        Ok(())
    }

    /// Takes over the autosave of a gone instance whose session the user restored: it is
    /// removed once this instance has autosaved or saved the work, and offered again at the
    /// next start if this instance ends before that.
    pub fn adopt(&mut self, orphan: Orphan) {
        self.adopted.push(orphan);
    }

    /// Removes this instance's autosave and the ones it adopted (clean exit, save). Never
    /// another instance's.
    pub fn discard(&mut self) {
        self.reap(true);
        files::remove_instance_files(&self.dir, &self.id);
        self.adopted.drain(..).for_each(Orphan::discard);
        self.written = None;
    }
}

impl Drop for Autosaver {
    fn drop(&mut self) {
        // Let a running write finish before the lock goes: a half-written autosave is never
        // offered, but a finished one should be.
        self.reap(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Engine;
    use crate::session::model::RulesetRef;

    fn session(title: &str) -> Session {
        Session::new(title, RulesetRef::default())
    }

    fn titles(scan: &Scan) -> Vec<&str> {
        scan.found
            .iter()
            .map(|r| r.session.title.as_str())
            .collect()
    }

    fn source(p: &str) -> Source {
        Source {
            path: PathBuf::from(p),
            sha256: Some("ab".repeat(32)),
        }
    }

    #[test]
    fn writes_after_an_interval_of_dirtiness_and_only_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Autosaver::with_interval(dir.path(), 30.0);
        let file = a.file();
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
        a.tick(91.0, &s2, true, Some(&source("/x/q.ron")));
        a.wait();
        assert_eq!(
            crate::session::file::load_session(&file, &Engine::embedded())
                .unwrap()
                .title,
            "b"
        );
        // Becoming clean (saved) removes it.
        a.tick(92.0, &s2, false, None);
        assert!(!file.exists());
    }

    /// Two instances sharing one data folder, as two windows of the app do.
    #[test]
    fn a_running_instances_autosave_is_never_offered_and_a_gone_ones_is() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::embedded();
        let mut a = Autosaver::new(dir.path());
        let mut b = Autosaver::new(dir.path());
        a.write_now(&session("A's work"), Some(&source("/x/a.ron")))
            .unwrap();
        b.write_now(&session("B's work"), None).unwrap();
        assert_ne!(a.file(), b.file(), "each instance has its own file");
        // A third instance starting now: both are running, nothing to restore.
        assert!(find_recoveries(dir.path(), &engine).found.is_empty());

        // A crashes: the system releases its lock, and its lock file stays behind.
        let a_file = a.file();
        let a_lock = a.dir.join(format!("{}.lock", a.id));
        drop(a);
        std::fs::write(&a_lock, "").unwrap();
        let scan = find_recoveries(dir.path(), &engine);
        assert_eq!(titles(&scan), ["A's work"]);
        let r = &scan.found[0];
        assert_eq!(r.file(), a_file);
        assert_eq!(r.meta.source.as_deref(), Some(Path::new("/x/a.ron")));
        assert_eq!(r.meta.source_sha256, Some("ab".repeat(32)));
        assert_eq!(r.meta.pid, std::process::id());
        assert!(
            r.meta.owner_text().contains("process"),
            "{}",
            r.meta.owner_text()
        );
        // While one instance offers it, another starting does not offer it too.
        assert!(find_recoveries(dir.path(), &engine).found.is_empty());

        // B exits cleanly: only B's autosave goes.
        b.discard();
        drop(b);
        assert!(a_file.exists());
        drop(scan);
        assert_eq!(titles(&find_recoveries(dir.path(), &engine)), ["A's work"]);
    }

    #[test]
    fn declining_removes_only_that_autosave_and_restoring_adopts_it() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::embedded();
        for title in ["one", "two"] {
            let mut gone = Autosaver::new(dir.path());
            gone.write_now(&session(title), None).unwrap();
            // Ends without a clean exit: its autosave stays.
            drop(gone);
        }
        let mut scan = find_recoveries(dir.path(), &engine);
        assert_eq!(scan.found.len(), 2, "every orphan is offered");
        let declined = scan.found.remove(0);
        let declined_file = declined.file();
        declined.discard();
        assert!(!declined_file.exists());
        let restored = scan.found.remove(0);
        let restored_file = restored.file();
        let (s, _, orphan) = restored.into_parts();
        let mut me = Autosaver::with_interval(dir.path(), 0.0);
        me.adopt(orphan);
        assert!(
            restored_file.exists(),
            "kept until the work is safe elsewhere"
        );
        me.tick(0.0, &s, true, None);
        me.wait();
        assert!(
            !restored_file.exists(),
            "superseded by this instance's autosave"
        );
        assert!(me.file().exists());
        me.discard();
        drop(me);
        assert_eq!(
            std::fs::read_dir(dir.path().join(AUTOSAVE_DIR))
                .unwrap()
                .count(),
            0
        );
    }

    #[test]
    fn the_single_autosave_of_earlier_versions_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        crate::session::file::save_session(&dir.path().join(LEGACY_AUTOSAVE_FILE), &session("old"))
            .unwrap();
        std::fs::write(
            dir.path().join(LEGACY_AUTOSAVE_META_FILE),
            "(source: Some(\"/x/q.ron\"), written_unix_s: 1700000000)",
        )
        .unwrap();
        let scan = find_recoveries(dir.path(), &Engine::embedded());
        assert_eq!(titles(&scan), ["old"]);
        let meta = &scan.found[0].meta;
        assert_eq!(meta.source.as_deref(), Some(Path::new("/x/q.ron")));
        assert_eq!(meta.written_text(), "2023-11-14 22:13 UTC");
        assert_eq!(meta.owner_text(), "an earlier version of Diffusion Desk");
        assert!(!dir.path().join(LEGACY_AUTOSAVE_FILE).exists());
    }

    #[test]
    fn an_unreadable_autosave_is_moved_aside_and_stale_locks_go() {
        let dir = tempfile::tempdir().unwrap();
        let auto = dir.path().join(AUTOSAVE_DIR);
        std::fs::create_dir_all(&auto).unwrap();
        std::fs::write(auto.join("1-2-3.ron"), "(format_version: 1, orders: [").unwrap();
        std::fs::write(auto.join("4-5-6.lock"), "").unwrap();
        let engine = Engine::embedded();
        let scan = find_recoveries(dir.path(), &engine);
        assert!(scan.found.is_empty());
        assert_eq!(scan.unreadable.len(), 1);
        assert!(matches!(scan.unreadable[0].1, SessionError::Parse { .. }));
        assert_eq!(scan.unreadable[0].0, auto.join("1-2-3.unreadable.ron"));
        drop(scan);
        let scan = find_recoveries(dir.path(), &engine);
        assert!(scan.found.is_empty() && scan.unreadable.is_empty());
        let left: Vec<String> = std::fs::read_dir(&auto)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["1-2-3.unreadable.ron"]);
    }
}
