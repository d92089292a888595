//! Loading the restricted-party list and building its index off the UI thread: the shipped
//! snapshot at start, or a newer download from *File ▸ Import screening list…*. A list that fails
//! to import is reported with where it failed, and the list in use stays in use.

use crate::screening::{IndexScreener, ScreeningIndex, import_file, shipped_index};
use crate::session::Workspace;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// Which list to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSource {
    /// The snapshot shipped in the binary.
    Embedded,
    /// A trade.gov `consolidated.json` (or `.json.gz`) the user chose.
    File(PathBuf),
}

impl ListSource {
    fn label(&self) -> String {
        match self {
            ListSource::Embedded => "the shipped Consolidated Screening List".into(),
            ListSource::File(p) => p.display().to_string(),
        }
    }
}

/// A list in use: its index and how long it took to be ready.
#[derive(Clone)]
pub struct LoadedList {
    pub index: Arc<ScreeningIndex>,
    pub took: Duration,
}

/// What finished loading this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    Ready { vintage: String, entries: usize },
    Failed(String),
}

#[derive(Default)]
pub struct ScreeningLoader {
    pending: Option<(ListSource, Receiver<Result<LoadedList, String>>)>,
    current: Option<LoadedList>,
}

impl ScreeningLoader {
    /// Starts loading `source` on a worker thread; the current list stays in use meanwhile.
    pub fn start(&mut self, source: ListSource) {
        let (tx, rx) = channel();
        let job = source.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let index = match &job {
                ListSource::Embedded => Ok(shipped_index()),
                ListSource::File(p) => import_file(p)
                    .map(|l| Arc::new(ScreeningIndex::build(Arc::new(l))))
                    .map_err(|e| e.to_string()),
            };
            let loaded = index.map(|index| LoadedList {
                index,
                took: started.elapsed(),
            });
            // The app may have closed meanwhile; nothing to report to.
            let _ = tx.send(loaded);
        });
        self.pending = Some((source, rx));
    }

    /// Uses an index that is already built (tests, and sharing one index between windows).
    pub fn set(&mut self, ws: &mut Workspace, index: Arc<ScreeningIndex>) {
        ws.set_screener(Arc::new(IndexScreener::new(Arc::clone(&index))));
        self.current = Some(LoadedList {
            index,
            took: Duration::ZERO,
        });
    }

    pub fn loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn current(&self) -> Option<&LoadedList> {
        self.current.as_ref()
    }

    /// Picks up a finished load: the workspace screens with the new list from now on.
    pub fn poll(&mut self, ws: &mut Workspace) -> Option<LoadOutcome> {
        let (source, rx) = self.pending.as_ref()?;
        let result = match rx.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err("the loader stopped unexpectedly".into()),
        };
        let label = source.label();
        self.pending = None;
        Some(match result {
            Ok(loaded) => {
                let list = loaded.index.list();
                let outcome = LoadOutcome::Ready {
                    vintage: list.vintage.clone(),
                    entries: list.len(),
                };
                ws.set_screener(Arc::new(IndexScreener::new(Arc::clone(&loaded.index))));
                self.current = Some(loaded);
                outcome
            }
            Err(e) => LoadOutcome::Failed(format!(
                "{label} could not be used; the current list stays in use. {e}"
            )),
        })
    }

    /// One line for the status bar.
    pub fn status(&self) -> String {
        match (&self.current, &self.pending) {
            (_, Some((source, _))) if self.current.is_none() => {
                format!("Screening: loading {}…", source.label())
            }
            (Some(c), pending) => {
                let l = c.index.list();
                format!(
                    "Screening: CSL of {} · {} entries{}",
                    l.vintage,
                    crate::format::thousands(l.len() as u64),
                    if pending.is_some() {
                        " (importing a newer list…)"
                    } else {
                        ""
                    }
                )
            }
            (None, _) => "Screening: no list (orders are not screened)".into(),
        }
    }
}
