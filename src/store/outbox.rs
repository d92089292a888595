//! Edits the team ledger has not acknowledged yet, kept on disk while the server is away.
//!
//! The worker holds unsent edits in memory and retries them; if the app then closes or crashes,
//! they would be lost. So whenever edits wait for a lost server (and when the app stops with
//! edits in flight) the queue is written to a file in the user's data folder, one per ledger and
//! login; the next connection to that ledger sends them first. Each edit keeps its idempotency
//! key, so an edit that did commit before the crash is recognised and not recorded twice.
//!
//! The file is RON (a person can read what is waiting) and replaced atomically. A file that does
//! not parse is moved aside (`.damaged`), never overwritten, and the user is told.

use super::connect::Target;
use crate::session::commit::{Author, Intent};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

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

/// Where one ledger login's unsent edits are kept; `None` keeps them in memory only.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    path: Option<PathBuf>,
    ledger: String,
}

impl Outbox {
    /// In the user's data folder (`~/.local/share/diffusion-desk/ledger-outbox/` on Linux),
    /// named by the ledger and login.
    pub fn for_ledger(target: &Target) -> Self {
        let dir = directories::ProjectDirs::from("", "", "diffusion-desk")
            .map(|d| d.data_local_dir().join("ledger-outbox"));
        match dir {
            Some(dir) => Self::in_dir(&dir, target),
            None => Self::off(),
        }
    }

    /// In `dir`, named by the ledger and login (tests).
    pub fn in_dir(dir: &Path, target: &Target) -> Self {
        let ledger = format!("{} as {}", target.describe(), target.user());
        let digest = Sha256::digest(ledger.as_bytes());
        let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Self {
            path: Some(dir.join(format!("{name}.ron"))),
            ledger,
        }
    }

    /// Unsent edits stay in memory only (tools and benchmarks that run to completion).
    pub fn off() -> Self {
        Self::default()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The edits a previous run left, oldest first (none when there is no file). A file that
    /// cannot be read is moved aside and reported.
    pub fn take_earlier(&self) -> Result<Vec<(Intent, Author)>, String> {
        let Some(path) = &self.path else {
            return Ok(Vec::new());
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
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

    /// Writes `queue` (or removes the file when it is empty). Atomic: a crash leaves the old
    /// file or the new one.
    pub fn keep(&self, queue: &VecDeque<(Intent, Author)>) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if queue.is_empty() {
            return match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let file = OutboxFile {
            ledger: self.ledger.clone(),
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
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::session::file::write_atomically(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::audit::Action;
    use crate::store::url::Env;

    fn target() -> Target {
        Target::resolve(
            "postgres://alice@db.example/ledger",
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

    #[test]
    fn waiting_edits_round_trip_and_an_empty_queue_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::in_dir(dir.path(), &target());
        assert_eq!(outbox.take_earlier().unwrap(), Vec::new());
        let queue: VecDeque<_> = (0..3).map(edit).collect();
        outbox.keep(&queue).unwrap();
        let text = std::fs::read_to_string(outbox.path().unwrap()).unwrap();
        assert!(!text.contains("pw"), "no password in the file: {text}");
        assert!(text.contains("db.example"), "{text}");
        let back = outbox.take_earlier().unwrap();
        assert_eq!(back, queue.iter().cloned().collect::<Vec<_>>());
        outbox.keep(&VecDeque::new()).unwrap();
        assert!(!outbox.path().unwrap().exists());
        outbox.keep(&VecDeque::new()).unwrap();
    }

    #[test]
    fn another_login_has_its_own_file_and_a_damaged_file_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let alice = Outbox::in_dir(dir.path(), &target());
        let bob_target = Target::resolve(
            "postgres://bob@db.example/ledger",
            Some("pw".into()),
            &Env::isolated(),
        )
        .unwrap();
        let bob = Outbox::in_dir(dir.path(), &bob_target);
        assert_ne!(alice.path(), bob.path());

        std::fs::write(alice.path().unwrap(), "(ledger: \"x\", edits: [oops").unwrap();
        let err = alice.take_earlier().unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        assert!(err.contains("moved to"), "{err}");
        assert!(!alice.path().unwrap().exists());
        assert!(alice.path().unwrap().with_extension("ron.damaged").exists());
    }

    #[test]
    fn off_keeps_nothing() {
        let outbox = Outbox::off();
        outbox.keep(&(0..2).map(edit).collect()).unwrap();
        assert_eq!(outbox.take_earlier().unwrap(), Vec::new());
    }
}
