//! Edits the team ledger has not acknowledged yet, kept on disk while the server is away.
//!
//! The worker holds unsent edits in memory and retries them; if the app then closes or crashes,
//! they would be lost. So whenever edits wait for a lost server (and when the app stops with
//! edits in flight) the queue is written to a file in the user's data folder; the next
//! connection to that ledger as that login sends them first. Each edit keeps its idempotency
//! key, so an edit that did commit before the crash is recognised and not recorded twice.
//!
//! Several app instances may use one ledger as one login, so each running worker owns a slot,
//! `<ledger>-<n>.ron`, guarded by a lock the operating system drops when the process ends (the
//! autosave's [`Claim`]). A worker that starts takes the first free slot and adopts the edits of
//! every other slot whose owner is gone, never a running instance's.
//!
//! The files are RON (a person can read what is waiting) and replaced atomically. A file that
//! does not parse is moved aside (`.damaged`), never overwritten, and the user is told.

use super::connect::Target;
use crate::session::claim::Claim;
use crate::session::commit::{Author, Intent};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// Slots tried before giving up on a file of one's own (that many instances of one login on
/// one ledger at once).
const MAX_SLOTS: usize = 64;

/// An unsent edit as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Waiting {
    intent: Intent,
    author: Author,
}

#[derive(Debug, Serialize, Deserialize)]
struct OutboxFile {
    /// The ledger, without credentials, and the login: for a person reading the file.
    ledger: String,
    edits: Vec<Waiting>,
}

/// Where one ledger login's unsent edits are kept; without a folder, in memory only.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    dir: Option<PathBuf>,
    /// The file names' stem: a digest of the ledger and login.
    stem: String,
    ledger: String,
}

impl Outbox {
    /// In the user's data folder (`~/.local/share/diffusion-desk/ledger-outbox/` on Linux).
    pub fn for_ledger(target: &Target) -> Self {
        let dir = directories::ProjectDirs::from("", "", "diffusion-desk")
            .map(|d| d.data_local_dir().join("ledger-outbox"));
        match dir {
            Some(dir) => Self::in_dir(&dir, target),
            None => Self::off(),
        }
    }

    /// In `dir` (tests).
    pub fn in_dir(dir: &Path, target: &Target) -> Self {
        let ledger = format!("{} as {}", target.describe(), target.user());
        let digest = Sha256::digest(ledger.as_bytes());
        Self {
            dir: Some(dir.to_path_buf()),
            stem: digest[..8].iter().map(|b| format!("{b:02x}")).collect(),
            ledger,
        }
    }

    /// Unsent edits stay in memory only (tools and benchmarks that run to completion).
    pub fn off() -> Self {
        Self::default()
    }

    /// This instance's slot: the first one no running instance holds. Without a folder, or if
    /// none can be had, edits stay in memory (and `open` says why in the second value).
    pub fn open(self) -> (OpenOutbox, Option<String>) {
        let Some(dir) = self.dir.clone() else {
            return (OpenOutbox::memory(self), None);
        };
        if let Err(e) = std::fs::create_dir_all(&dir) {
            let why = format!("{}: {e}", dir.display());
            return (OpenOutbox::memory(self), Some(why));
        }
        for n in 0..MAX_SLOTS {
            match Claim::take(&dir, &self.slot_id(n)) {
                Ok(Some(claim)) => {
                    let path = dir.join(format!("{}.ron", self.slot_id(n)));
                    return (
                        OpenOutbox {
                            outbox: self,
                            mine: Some((path, claim)),
                        },
                        None,
                    );
                }
                Ok(None) => continue,
                Err(e) => {
                    let why = format!("{}: {e}", dir.display());
                    return (OpenOutbox::memory(self), Some(why));
                }
            }
        }
        let why = format!(
            "all {MAX_SLOTS} outbox slots in {} are in use",
            dir.display()
        );
        (OpenOutbox::memory(self), Some(why))
    }

    fn slot_id(&self, n: usize) -> String {
        format!("{}-{n}", self.stem)
    }
}

/// A running worker's outbox: its own slot, held until it is dropped.
#[derive(Debug)]
pub struct OpenOutbox {
    outbox: Outbox,
    /// This instance's file and the lock that makes it its own; `None`: memory only.
    mine: Option<(PathBuf, Claim)>,
}

impl OpenOutbox {
    fn memory(outbox: Outbox) -> Self {
        Self { outbox, mine: None }
    }

    /// This instance's file, if it has one.
    pub fn path(&self) -> Option<&Path> {
        self.mine.as_ref().map(|(p, _)| p.as_path())
    }

    /// Adopts what earlier instances left: the edits of this slot's file and of every other
    /// slot whose instance is gone, oldest file first. They are written to this slot before the
    /// other files go, so a crash in between duplicates a file (harmless: keys) but loses none.
    /// Files that do not parse are moved aside and named in the errors.
    pub fn adopt_earlier(&self) -> (Vec<(Intent, Author)>, Vec<String>) {
        let (Some(dir), Some((own, _))) = (&self.outbox.dir, &self.mine) else {
            return (Vec::new(), Vec::new());
        };
        let mut errors = Vec::new();
        let mut sources: Vec<(std::time::SystemTime, PathBuf, Option<Claim>)> = Vec::new();
        if let Some(t) = modified(own) {
            sources.push((t, own.clone(), None));
        }
        for n in 0..MAX_SLOTS {
            let id = self.outbox.slot_id(n);
            let path = dir.join(format!("{id}.ron"));
            if path == *own {
                continue;
            }
            let Some(t) = modified(&path) else {
                continue;
            };
            // Held: a running instance's edits, not ours to send.
            if let Ok(Some(claim)) = Claim::take(dir, &id) {
                sources.push((t, path, Some(claim)));
            }
        }
        sources.sort_by_key(|(t, ..)| *t);
        let mut edits = Vec::new();
        let mut adopted = Vec::new();
        for (_, path, claim) in sources {
            match read(&path) {
                Ok(list) => edits.extend(list),
                Err(e) => errors.push(e),
            }
            if claim.is_some() {
                adopted.push((path, claim));
            }
        }
        let queue: VecDeque<_> = edits.iter().cloned().collect();
        if let Err(e) = self.keep(&queue) {
            errors.push(format!("{}: {e}", own.display()));
            // Not kept here: leave the other files where they are.
            return (edits, errors);
        }
        for (path, _claim) in adopted {
            let _ = std::fs::remove_file(path);
        }
        (edits, errors)
    }

    /// Writes `queue` to this slot (or removes the file when it is empty). Atomic: a crash
    /// leaves the old file or the new one.
    pub fn keep(&self, queue: &VecDeque<(Intent, Author)>) -> std::io::Result<()> {
        let Some((path, _)) = &self.mine else {
            return Ok(());
        };
        if queue.is_empty() {
            return match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let file = OutboxFile {
            ledger: self.outbox.ledger.clone(),
            edits: queue
                .iter()
                .map(|(intent, author)| Waiting {
                    intent: intent.clone(),
                    author: author.clone(),
                })
                .collect(),
        };
        let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default())
            .map_err(std::io::Error::other)?;
        crate::session::file::write_atomically(path, text.as_bytes())
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

/// The edits in one outbox file; a file that does not parse is moved aside.
fn read(path: &Path) -> Result<Vec<(Intent, Author)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    match ron::from_str::<OutboxFile>(&text) {
        Ok(file) => Ok(file
            .edits
            .into_iter()
            .map(|w| (w.intent, w.author))
            .collect()),
        Err(e) => {
            let aside = path.with_extension("ron.damaged");
            let moved = std::fs::rename(path, &aside).is_ok();
            Err(format!(
                "{} does not parse (line {}, column {}: {}); {}",
                path.display(),
                e.span.start.line,
                e.span.start.col,
                e.code,
                if moved {
                    format!("it was moved to {}", aside.display())
                } else {
                    "it was left in place".to_string()
                }
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::audit::Action;
    use crate::store::url::Env;

    fn target(user: &str) -> Target {
        Target::resolve(
            &format!("postgres://{user}@db.example/ledger"),
            Some("pw".into()),
            &Env::isolated(),
        )
        .unwrap()
    }

    fn edit(n: usize) -> (Intent, Author) {
        (
            Intent::new(
                Action::ScreeningThresholdChanged {
                    before: 0.8,
                    after: 0.8 + n as f64 / 100.0,
                },
                "why",
            ),
            Author {
                user: "alice".into(),
                at: "2026-12-01T10:00:00Z".into(),
            },
        )
    }

    fn opened(dir: &Path, user: &str) -> OpenOutbox {
        let (open, why) = Outbox::in_dir(dir, &target(user)).open();
        assert_eq!(why, None);
        open
    }

    #[test]
    fn waiting_edits_come_back_next_time_and_an_empty_queue_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let queue: VecDeque<_> = (0..3).map(edit).collect();
        {
            let first = opened(dir.path(), "alice");
            assert_eq!(first.adopt_earlier(), (Vec::new(), Vec::new()));
            first.keep(&queue).unwrap();
            let text = std::fs::read_to_string(first.path().unwrap()).unwrap();
            assert!(!text.contains("pw"), "no password in the file: {text}");
            assert!(text.contains("db.example"), "{text}");
        }
        let next = opened(dir.path(), "alice");
        let (back, errors) = next.adopt_earlier();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, queue.iter().cloned().collect::<Vec<_>>());
        next.keep(&VecDeque::new()).unwrap();
        assert!(!next.path().unwrap().exists());
        next.keep(&VecDeque::new()).unwrap();
    }

    #[test]
    fn two_running_instances_keep_their_own_and_a_later_one_adopts_both() {
        let dir = tempfile::tempdir().unwrap();
        let a = opened(dir.path(), "alice");
        let b = opened(dir.path(), "alice");
        assert_ne!(a.path(), b.path());
        a.keep(&(0..2).map(edit).collect()).unwrap();
        b.keep(&(2..3).map(edit).collect()).unwrap();
        // A running instance's edits are not another's to send.
        let c = opened(dir.path(), "alice");
        assert_eq!(c.adopt_earlier().0, Vec::new());
        drop(c);
        // Both close while the server is away; the next instance sends all three.
        drop((a, b));
        let d = opened(dir.path(), "alice");
        let (edits, errors) = d.adopt_earlier();
        assert!(errors.is_empty(), "{errors:?}");
        let mut thresholds: Vec<String> = edits
            .iter()
            .map(|(i, _)| match &i.action {
                Action::ScreeningThresholdChanged { after, .. } => format!("{after:.2}"),
                other => panic!("{other:?}"),
            })
            .collect();
        thresholds.sort();
        assert_eq!(thresholds, ["0.80", "0.81", "0.82"]);
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ron"))
            .collect();
        assert_eq!(files.len(), 1, "adopted into one slot: {files:?}");
        // Another login on the same ledger has its own files.
        let bob = opened(dir.path(), "bob");
        assert_eq!(bob.adopt_earlier().0, Vec::new());
    }

    #[test]
    fn a_damaged_file_is_moved_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = {
            let a = opened(dir.path(), "alice");
            a.keep(&(0..1).map(edit).collect()).unwrap();
            a.path().unwrap().to_path_buf()
        };
        std::fs::write(&path, "(ledger: \"x\", edits: [oops").unwrap();
        let next = opened(dir.path(), "alice");
        let (edits, errors) = next.adopt_earlier();
        assert!(edits.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("line 1") && errors[0].contains("moved to"),
            "{errors:?}"
        );
        assert!(path.with_extension("ron.damaged").exists());
    }

    #[test]
    fn off_keeps_nothing() {
        let (open, why) = Outbox::off().open();
        assert_eq!(why, None);
        open.keep(&(0..2).map(edit).collect()).unwrap();
        assert_eq!(open.adopt_earlier(), (Vec::new(), Vec::new()));
    }
}
