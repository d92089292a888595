//! Who owns a per-instance file (an autosave, a ledger outbox): an exclusive advisory lock on
//! `<id>.lock`, held by the running instance that writes `<id>.ron`. The operating system drops the lock when the process ends,
//! however it ends, so "the instance is gone" is exactly "the lock can be taken". A new
//! instance takes the locks of the autosaves it offers, so two starting at once never offer
//! (or delete) the same one.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// A held lock on `<dir>/<id>.lock`.
#[derive(Debug)]
pub(crate) struct Claim {
    path: PathBuf,
    _file: File,
}

impl Claim {
    /// Takes the lock of instance `id` in `dir`, creating the lock file if needed. `Ok(None)`
    /// when another open handle holds it (a running instance, or another instance offering it).
    pub(crate) fn take(dir: &Path, id: &str) -> std::io::Result<Option<Claim>> {
        let path = dir.join(format!("{id}.lock"));
        // An owner that exits removes its lock file while still holding the lock; a handle
        // opened just before that may then lock a file no longer in the folder. Such a lock
        // guards nothing, so open the file again (a few times: this is a race, not a loop).
        for _ in 0..3 {
            let file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if is_same_file(&file, &path) {
                return Ok(Some(Claim { path, _file: file }));
            }
        }
        Ok(None)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Removed while still locked (the handle closes after this), so nobody can lock the
        // file between its unlocking and its removal and then believe it guards something.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_file: &File, path: &Path) -> bool {
    // Windows does not remove a file another handle has open, so the race above cannot occur.
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_the_file_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let a = Claim::take(dir.path(), "x").unwrap().expect("free");
        assert!(Claim::take(dir.path(), "x").unwrap().is_none(), "held");
        assert!(
            Claim::take(dir.path(), "y").unwrap().is_some(),
            "another id"
        );
        drop(a);
        assert!(!dir.path().join("x.lock").exists());
        assert!(
            Claim::take(dir.path(), "x").unwrap().is_some(),
            "free again"
        );
    }
}
