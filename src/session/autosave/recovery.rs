//! Finding the autosaves that instances which are gone left behind (a crash, a forced exit, a
//! lost session), to offer them back. A running instance's autosave is never offered, moved or
//! deleted: its lock is held.

use super::files::{self, AutosaveMeta, meta_file, session_file, unreadable_file};
use crate::rules::Engine;
use crate::session::claim::Claim;
use crate::session::file::{SessionError, load_session};
use crate::session::model::Session;
use std::path::{Path, PathBuf};

/// The autosave file of versions that kept one for all instances, in the app data folder.
pub const LEGACY_AUTOSAVE_FILE: &str = "autosave.ron";
/// Where that autosave came from.
pub const LEGACY_AUTOSAVE_META_FILE: &str = "autosave-meta.ron";

/// An autosave whose instance is gone, locked by this instance while it is offered.
#[derive(Debug)]
pub struct Recovery {
    pub session: Session,
    pub meta: AutosaveMeta,
    pub(super) orphan: Orphan,
}

/// The files of a gone instance, held by this one.
#[derive(Debug)]
pub struct Orphan {
    dir: PathBuf,
    id: String,
    _claim: Claim,
}

impl Orphan {
    /// Removes the autosave (declined, or superseded by this instance's own save).
    pub fn discard(self) {
        files::remove_instance_files(&self.dir, &self.id);
    }
}

impl Recovery {
    /// The autosave file itself.
    pub fn file(&self) -> PathBuf {
        session_file(&self.orphan.dir, &self.orphan.id)
    }

    /// Removes the autosave: the user declined it.
    pub fn discard(self) {
        self.orphan.discard();
    }

    /// The session to restore, and the files to remove once this instance has saved the work
    /// (see [`super::Autosaver::adopt`]).
    pub fn into_parts(self) -> (Session, AutosaveMeta, Orphan) {
        (self.session, self.meta, self.orphan)
    }
}

/// What a look for orphaned autosaves found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Newest first.
    pub found: Vec<Recovery>,
    /// Autosaves that could not be read: moved aside (to the path given) so they neither block
    /// every start nor are lost.
    pub unreadable: Vec<(PathBuf, SessionError)>,
}

/// Looks in the app data folder `data_dir` for autosaves whose instance is gone. Each one found
/// stays locked by the returned [`Recovery`] until it is restored, discarded or dropped, so
/// another instance starting meanwhile does not offer it too.
pub fn find_recoveries(data_dir: &Path, engine: &Engine) -> Scan {
    let dir = data_dir.join(super::AUTOSAVE_DIR);
    migrate_legacy(data_dir, &dir);
    let mut scan = Scan::default();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return scan;
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        if let Some(id) = instance_of(name, ".ron") {
            // Not taken: running, or being offered by another instance (or no locks here).
            if let Ok(Some(claim)) = Claim::take(&dir, id) {
                scan.add(&dir, id, claim, engine);
            }
        } else if let Some(id) = instance_of(name, ".lock")
            && !names.contains(&format!("{id}.ron"))
            && let Ok(Some(claim)) = Claim::take(&dir, id)
        {
            // A gone instance that had nothing unsaved: its lock file goes with the claim.
            let _ = std::fs::remove_file(meta_file(&dir, id));
            drop(claim);
        }
    }
    scan.found
        .sort_by_key(|r| std::cmp::Reverse(r.meta.written_unix_s));
    scan
}

impl Scan {
    fn add(&mut self, dir: &Path, id: &str, claim: Claim, engine: &Engine) {
        let path = session_file(dir, id);
        if !path.exists() {
            // Discarded by another instance between the listing and the lock.
            return;
        }
        match load_session(&path, engine) {
            Ok(session) => self.found.push(Recovery {
                session,
                meta: files::read_meta(dir, id),
                orphan: Orphan {
                    dir: dir.to_path_buf(),
                    id: id.to_string(),
                    _claim: claim,
                },
            }),
            Err(e) => {
                let aside = unreadable_file(dir, id);
                let _ = std::fs::rename(&path, &aside);
                let _ = std::fs::remove_file(meta_file(dir, id));
                self.unreadable.push((aside, e));
            }
        }
    }
}

/// `id` when `name` is `<id><ext>` for an instance id (no dots: `<id>.meta.ron` is not one).
fn instance_of<'a>(name: &'a str, ext: &str) -> Option<&'a str> {
    name.strip_suffix(ext)
        .filter(|id| !id.is_empty() && !id.contains('.') && !name.starts_with('.'))
}

/// Moves the single autosave of earlier versions into the folder as the autosave of a gone
/// instance, so it is offered like any other. A rename, so only one instance takes it.
fn migrate_legacy(data_dir: &Path, dir: &Path) {
    let legacy = data_dir.join(LEGACY_AUTOSAVE_FILE);
    if !legacy.exists() || std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let id = format!("legacy{}", super::new_instance_id());
    if std::fs::rename(&legacy, session_file(dir, &id)).is_ok() {
        let _ = std::fs::rename(
            data_dir.join(LEGACY_AUTOSAVE_META_FILE),
            meta_file(dir, &id),
        );
    }
}
