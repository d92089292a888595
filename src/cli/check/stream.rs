//! Rows in, decision lines out, in input order, with the engine's date-order evaluation between.
//!
//! Pass 1 ([`Collector`]) reads each row once: a valid row is packed into the [`Book`] and its id
//! spooled; an invalid row's line is rendered at once and written straight out while no valid
//! row is waiting for its decision (a file of junk streams through), or spooled otherwise.
//! Then [`emit`] evaluates the book in date order and writes every line in input order, reading
//! the spool alongside. Decisions are kept for at most [`WINDOW`] rows at a time: a larger book
//! is evaluated once per window (the engine does 3M+ orders/s), so memory stays bounded, and
//! time grows with the square of the rows beyond it.

use super::book::{Book, RowRef, scratch_order};
use super::evaluate::evaluate;
use super::findings::{FindingCache, FindingTable};
use super::json;
use super::pool::{Shared, render_window};
use super::render::{Line, Outcome, write_line};
use super::spool::{INVALID, Spool, VALID};
use super::{CheckError, RunContext};
use crate::rules::{Engine, Order};
use std::io::Write;

/// Decisions held at once (about 180 bytes each, their findings shared in a table).
pub const WINDOW: usize = 1 << 18;

/// Trailing invalid lines are written in chunks of about this many bytes.
const CHUNK: usize = 1 << 20;

/// Where the lines go: the caller's writer, with write errors kept apart from input errors.
pub struct Sink<'a> {
    out: &'a mut dyn Write,
}

impl<'a> Sink<'a> {
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self { out }
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<(), CheckError> {
        self.out.write_all(bytes).map_err(CheckError::Write)
    }

    pub fn flush(&mut self) -> Result<(), CheckError> {
        self.out.flush().map_err(CheckError::Write)
    }
}

/// Pass 1: takes rows in input order.
pub struct Collector<'e> {
    engine: &'e Engine,
    book: Book,
    spool: Spool,
    line: Vec<u8>,
    any_invalid: bool,
}

impl<'e> Collector<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            book: Book::default(),
            spool: Spool::new(),
            line: Vec::new(),
            any_invalid: false,
        }
    }

    pub fn valid(&mut self, order: &Order, at: RowRef) -> Result<(), CheckError> {
        self.book.push(order, at);
        self.line.clear();
        json::escape_into(&mut self.line, &order.id);
        self.spool
            .push(VALID, &self.line)
            .map_err(CheckError::Spool)
    }

    pub fn invalid(&mut self, id: &str, message: &str, sink: &mut Sink) -> Result<(), CheckError> {
        self.any_invalid = true;
        let mut escaped_id = Vec::with_capacity(id.len());
        json::escape_into(&mut escaped_id, id);
        self.line.clear();
        let line = Line {
            id: &escaped_id,
            outcome: Outcome::Invalid(message),
            extra_findings: &[],
        };
        // An invalid row has no findings: an empty table and cache (neither allocates).
        let table = FindingTable::default();
        let run = RunContext::new(self.engine);
        write_line(
            &mut self.line,
            &run,
            &mut FindingCache::new(&run, &table),
            &line,
        );
        if self.book.rows.is_empty() {
            return sink.write(&self.line);
        }
        self.line.pop(); // the newline: spool entries are lines already
        self.spool
            .push(INVALID, &self.line)
            .map_err(CheckError::Spool)
    }

    pub fn any_invalid(&self) -> bool {
        self.any_invalid
    }

    /// The valid rows read so far (to screen them before evaluation).
    pub fn book_mut(&mut self) -> &mut Book {
        &mut self.book
    }
}

/// Pass 2: evaluates the book in date order and writes every line in input order.
/// `for_every_decision` is a rendered finding added to each decision (e.g. `RULESET_DIFFERS`).
pub fn emit(
    collected: Collector,
    run: &RunContext,
    for_every_decision: Option<&[u8]>,
    sink: &mut Sink,
) -> Result<(), CheckError> {
    emit_in_windows(collected, run, for_every_decision, sink, WINDOW)
}

/// [`emit`], holding decisions for `window_rows` rows at a time.
fn emit_in_windows(
    collected: Collector,
    run: &RunContext,
    for_every_decision: Option<&[u8]>,
    sink: &mut Sink,
    window_rows: usize,
) -> Result<(), CheckError> {
    let Collector { book, spool, .. } = collected;
    let order = book.evaluation_order();
    let mut spool = spool.into_reader().map_err(CheckError::Spool)?;
    let mut scratch = scratch_order();
    let n = book.rows.len();
    for start in (0..n).step_by(window_rows.max(1)) {
        let window = start..n.min(start.saturating_add(window_rows));
        let decisions = evaluate(run, &book, &order, window.clone(), &mut scratch);
        let shared = Shared {
            run,
            book: &book,
            decisions: &decisions,
            window_start: start,
            for_every_decision,
        };
        render_window(&shared, window, &mut spool, sink)?;
    }
    // Invalid rows after the last valid one.
    let mut out = Vec::new();
    while let Some(tag) = spool.advance().map_err(CheckError::Spool)? {
        debug_assert_eq!(tag, INVALID);
        out.extend_from_slice(spool.text());
        out.push(b'\n');
        if out.len() >= CHUNK {
            sink.write(&out)?;
            out.clear();
        }
    }
    sink.write(&out)?;
    sink.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::synthetic::synthetic_orders;

    /// The lines for `orders` (every 50th made invalid), written with windows of `window_rows`.
    fn lines(engine: &Engine, orders: &[Order], window_rows: usize) -> Vec<u8> {
        let mut collector = Collector::new(engine);
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out);
        for (i, o) in orders.iter().enumerate() {
            let at = RowRef {
                row: i + 1,
                line: 0,
            };
            if i % 50 == 7 {
                collector.invalid(&o.id, "row: invalid", &mut sink).unwrap();
            } else {
                collector.valid(o, at).unwrap();
            }
        }
        emit_in_windows(
            collector,
            &RunContext::new(engine),
            None,
            &mut sink,
            window_rows,
        )
        .unwrap();
        out
    }

    #[test]
    fn small_windows_write_what_one_window_writes() {
        let engine = Engine::embedded();
        let orders = synthetic_orders(&engine, 2000, 17);
        let whole = lines(&engine, &orders, WINDOW);
        assert_eq!(whole.iter().filter(|&&b| b == b'\n').count(), 2000);
        for window_rows in [333, 1024, 1999] {
            assert!(
                lines(&engine, &orders, window_rows) == whole,
                "{window_rows}"
            );
        }
    }
}
