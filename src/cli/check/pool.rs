//! Rendering on every core, written in input order.
//!
//! The coordinating thread cuts the rows of a window into jobs of [`JOB_ROWS`] valid rows (with
//! the spooled entries between them), hands job `i` to worker `i % workers`, and writes results
//! back in job order, so lines come out exactly as a single thread would write them. At most
//! [`IN_FLIGHT`] jobs per worker are out at once, which bounds the memory of output buffers.

use super::book::{Book, scratch_order};
use super::evaluate::Decisions;
use super::findings::FindingCache;
use super::render::{Line, Outcome, duplicate_id_finding, write_line};
use super::spool::{SpoolReader, VALID};
use super::stream::Sink;
use super::{CheckError, RunContext};
use std::ops::Range;
use std::sync::mpsc;

/// Valid rows per job (about 1.7 KB of output each).
const JOB_ROWS: usize = 256;
/// Jobs each worker may have queued or finished-but-unwritten.
const IN_FLIGHT: usize = 2;

/// What every job reads: the book and the window's decisions.
pub struct Shared<'a> {
    pub run: &'a RunContext<'a>,
    pub book: &'a Book,
    /// Decisions of the valid rows `window_start..`, in input order.
    pub decisions: &'a Decisions,
    pub window_start: usize,
    /// A rendered finding added to every decision (e.g. `RULESET_DIFFERS`).
    pub for_every_decision: Option<&'a [u8]>,
}

/// A run of rows: spooled entries (tag, text) and, for the valid ones, indices from `rows.start`.
#[derive(Default)]
struct Job {
    rows: Range<usize>,
    text: Vec<u8>,
    entries: Vec<(u8, Range<usize>)>,
    out: Vec<u8>,
}

impl Job {
    /// Fills the job from the spool with the entries up to and including the valid row
    /// `rows.end - 1`.
    fn fill(&mut self, rows: Range<usize>, spool: &mut SpoolReader) -> Result<(), CheckError> {
        self.text.clear();
        self.entries.clear();
        self.out.clear();
        let mut valid = 0;
        while valid < rows.len() {
            let tag = spool
                .advance()
                .map_err(CheckError::Spool)?
                .ok_or_else(|| CheckError::Spool(std::io::ErrorKind::UnexpectedEof.into()))?;
            let start = self.text.len();
            self.text.extend_from_slice(spool.text());
            self.entries.push((tag, start..self.text.len()));
            if tag == VALID {
                valid += 1;
            }
        }
        self.rows = rows;
        Ok(())
    }

    /// Renders the job's lines into `out`.
    fn render(&mut self, shared: &Shared, cache: &mut FindingCache) {
        let mut k = self.rows.start;
        let mut order = scratch_order();
        for (tag, range) in &self.entries {
            let text = &self.text[range.clone()];
            if *tag != VALID {
                self.out.extend_from_slice(text);
                self.out.push(b'\n');
                continue;
            }
            let book = shared.book;
            book.unpack_into(k, &mut order);
            let duplicate = book.duplicates.get(&(k as u32)).map(duplicate_id_finding);
            let mut extra: [&[u8]; 2] = [&[]; 2];
            let n = [duplicate.as_deref(), shared.for_every_decision]
                .into_iter()
                .flatten()
                .zip(&mut extra)
                .map(|(f, slot)| *slot = f)
                .count();
            let (decision, findings) = shared.decisions.get(k - shared.window_start);
            let ctx = shared.run.finding_context(&order, book.screening_of(k));
            write_line(
                &mut self.out,
                shared.run,
                cache,
                &Line {
                    id: text,
                    outcome: Outcome::Decided {
                        decision,
                        findings,
                        ctx,
                    },
                    extra_findings: &extra[..n],
                },
            );
            k += 1;
        }
    }
}

/// How many threads render: one per core, up to 4, and never more than there are jobs.
pub fn workers_for(rows: usize) -> usize {
    let cores = super::threads();
    cores.clamp(1, 4).min(rows.div_ceil(JOB_ROWS)).max(1)
}

/// Writes the lines of the window's valid rows `rows` (and the spooled invalid rows before
/// each) in input order.
pub fn render_window(
    shared: &Shared,
    rows: Range<usize>,
    spool: &mut SpoolReader,
    sink: &mut Sink,
) -> Result<(), CheckError> {
    let workers = workers_for(rows.len());
    let jobs: Vec<Range<usize>> = (rows.start..rows.end)
        .step_by(JOB_ROWS)
        .map(|s| s..rows.end.min(s + JOB_ROWS))
        .collect();
    if workers == 1 {
        let mut cache = FindingCache::new(shared.run, &shared.decisions.table);
        let mut job = Job::default();
        for rows in jobs {
            job.fill(rows, spool)?;
            job.render(shared, &mut cache);
            sink.write(&job.out)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let mut to_workers = Vec::with_capacity(workers);
        let mut from_workers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (job_tx, job_rx) = mpsc::channel::<Job>();
            let (done_tx, done_rx) = mpsc::channel::<Job>();
            scope.spawn(move || {
                let mut cache = FindingCache::new(shared.run, &shared.decisions.table);
                for mut job in job_rx {
                    job.render(shared, &mut cache);
                    if done_tx.send(job).is_err() {
                        break;
                    }
                }
            });
            to_workers.push(job_tx);
            from_workers.push(done_rx);
        }
        let depth = workers * IN_FLIGHT;
        let mut spare: Vec<Job> = Vec::new();
        for (i, rows) in jobs.iter().enumerate() {
            if i >= depth {
                let done = from_workers[(i - depth) % workers]
                    .recv()
                    .expect("a worker returns every job it is given");
                sink.write(&done.out)?;
                spare.push(done);
            }
            let mut job = spare.pop().unwrap_or_default();
            job.fill(rows.clone(), spool)?;
            to_workers[i % workers]
                .send(job)
                .expect("workers run until their queue closes");
        }
        for i in jobs.len().saturating_sub(depth)..jobs.len() {
            let done = from_workers[i % workers]
                .recv()
                .expect("a worker returns every job it is given");
            sink.write(&done.out)?;
        }
        Ok(())
    })
}
