//! The files of one instance's autosave, in the `autosave` folder of the app data folder:
//! `<id>.ron` (a normal session file), `<id>.meta.ron` (where it came from and whose it is) and
//! `<id>.lock` (held while the instance runs, see `claim`).

use crate::session::file::{self, SessionError, save_session, write_atomically};
use crate::session::model::Session;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The autosaved session of instance `id`.
pub fn session_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.ron"))
}

pub(super) fn meta_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.meta.ron"))
}

/// Where an autosave that cannot be read is moved, so it neither blocks every start nor is lost.
pub(super) fn unreadable_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.unreadable.ron"))
}

/// Where an autosave came from, and which instance wrote it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutosaveMeta {
    /// The file the session was opened from or last saved to, if any.
    pub source: Option<PathBuf>,
    /// The SHA-256 of that file as it was loaded or last saved, so saving the restored work
    /// still notices that someone else saved the file in the meantime.
    pub source_sha256: Option<String>,
    /// When the autosave was written, seconds since the Unix epoch.
    pub written_unix_s: i64,
    /// The instance that wrote it: process id, host and start time (0 and empty for the
    /// single autosave of earlier versions).
    pub pid: u32,
    pub host: String,
    pub started_unix_s: i64,
}

impl AutosaveMeta {
    /// "2025-09-30 17:04 UTC"
    pub fn written_text(&self) -> String {
        utc_text(self.written_unix_s)
    }

    /// Which instance wrote it, for the recovery list.
    pub fn owner_text(&self) -> String {
        if self.pid == 0 {
            return "an earlier version of Diffusion Desk".into();
        }
        let host = if self.host.is_empty() {
            String::new()
        } else {
            format!(" on {}", self.host)
        };
        format!(
            "the window started {} (process {}{host})",
            utc_text(self.started_unix_s),
            self.pid
        )
    }
}

fn utc_text(unix_s: i64) -> String {
    match jiff::Timestamp::from_second(unix_s) {
        Ok(t) if unix_s > 0 => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        _ => "an unknown time".into(),
    }
}

/// This machine's name, for telling instances apart when the data folder is shared.
pub(super) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

pub(super) fn read_meta(dir: &Path, id: &str) -> AutosaveMeta {
    std::fs::read_to_string(meta_file(dir, id))
        .ok()
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// Writes the session and its meta, both atomically, the session first.
pub(super) fn write_instance_files(
    dir: &Path,
    id: &str,
    session: &Session,
    meta: &AutosaveMeta,
) -> Result<(), SessionError> {
    let write_err = |e: std::io::Error| SessionError::Write {
        file: dir.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(write_err)?;
    save_session(&session_file(dir, id), session)?;
    let text = ron::to_string(meta).map_err(|e| SessionError::Write {
        file: meta_file(dir, id).display().to_string(),
        message: e.to_string(),
    })?;
    write_atomically(&meta_file(dir, id), text.as_bytes()).map_err(write_err)
}

/// Removes instance `id`'s autosave, its meta and the temporary files of interrupted writes
/// (the instance is gone or is this one, so none of them is in use). Not the lock file: that
/// goes with the claim.
pub(super) fn remove_instance_files(dir: &Path, id: &str) {
    let _ = std::fs::remove_file(session_file(dir, id));
    let _ = std::fs::remove_file(meta_file(dir, id));
    for name in [format!("{id}.ron"), format!("{id}.meta.ron")] {
        file::remove_stale_temps(dir, &name, std::time::Duration::ZERO);
    }
}
