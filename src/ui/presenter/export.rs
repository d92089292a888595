//! Exporting the deck from the app: the slides are rendered offscreen (the same rendering as
//! `diffusion-desk deck`) on a worker thread, so the window stays responsive; the status shows
//! the progress and the outcome.

use crate::cli::deck::{DeckOptions, DeckTarget, export};
use crate::session::Workspace;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

struct Job {
    done: Arc<AtomicUsize>,
    total: usize,
    result: Arc<Mutex<Option<Result<String, String>>>>,
}

#[derive(Default)]
pub(super) struct DeckExport {
    job: Option<Job>,
    notice: Option<String>,
}

impl DeckExport {
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// "Exporting slide 3 of 8…", or the last outcome.
    pub fn status(&self) -> Option<String> {
        match &self.job {
            Some(j) => Some(format!(
                "Exporting slide {} of {}…",
                (j.done.load(Ordering::Relaxed) + 1).min(j.total),
                j.total
            )),
            None => self.notice.clone(),
        }
    }

    pub fn notice(&self) -> Option<String> {
        self.status()
    }

    /// Starts rendering the session's deck to `target`. `fallback` says why no file dialog was
    /// shown (the target is then a default next to the session).
    pub fn start(&mut self, ws: &Workspace, target: DeckTarget, fallback: Option<String>) {
        if self.job.is_some() {
            return;
        }
        let session = ws.session.clone();
        let engine = Arc::clone(&ws.engine);
        let path = ws.path.clone();
        let total = session.deck.len();
        let done = Arc::new(AtomicUsize::new(0));
        let result = Arc::new(Mutex::new(None));
        let (d, r) = (Arc::clone(&done), Arc::clone(&result));
        let generated_at = crate::cli::deck::generated_at(path.as_deref());
        std::thread::spawn(move || {
            let mut ws = Workspace::new(engine, session);
            ws.path = path;
            let outcome = export(
                ws,
                &target,
                &DeckOptions::default(),
                &generated_at,
                &mut |i, _| d.store(i, Ordering::Relaxed),
            )
            .map(|_| {
                let what = target.describe(total);
                match &fallback {
                    Some(why) => format!("{why}: {what}"),
                    None => what,
                }
            });
            if let Ok(mut slot) = r.lock() {
                *slot = Some(outcome);
            }
        });
        self.notice = None;
        self.job = Some(Job {
            done,
            total,
            result,
        });
    }

    /// Picks up a finished export; its outcome for the status bar.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<String> {
        let job = self.job.as_ref()?;
        let finished = job.result.lock().ok().and_then(|mut r| r.take());
        match finished {
            Some(outcome) => {
                self.job = None;
                let text = match outcome {
                    Ok(s) => s,
                    Err(e) => format!("Deck export failed: {e}"),
                };
                self.notice = Some(text.clone());
                Some(text)
            }
            None => {
                // Keep the progress moving while the worker renders.
                ctx.request_repaint_after(std::time::Duration::from_millis(200));
                None
            }
        }
    }
}
