//! Rows in, decision lines out, in input order, with the engine's date-order evaluation between.
//!
//! Pass 1 ([`Collector`]) reads each row once: a valid row is packed into the [`Book`] and its id
//! spooled; an invalid row's line is rendered at once and written straight out while no valid
//! row is waiting for its decision (a file of junk streams through), or spooled otherwise.
//! Then [`emit`] evaluates the book in date order and writes every line in input order, reading
//! the spool alongside. Decisions are kept for at most [`WINDOW`] rows at a time: a larger book
//! is evaluated once per window (the engine does 3M+ orders/s), so memory stays bounded.

use super::CheckError;
use super::book::{Book, RowRef, scratch_order};
use super::findings::FindingCache;
use super::json;
use super::pool::{Shared, render_window};
use super::render::{Line, Outcome, write_line};
use super::spool::{INVALID, Spool, VALID};
use crate::rules::{Decision, Engine, Ledger, Order, Scenario};
use std::io::Write;
use std::ops::Range;

/// Decisions held at once (about 0.5 KB each with their findings).
pub const WINDOW: usize = 1 << 17;

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
    cache: FindingCache<'e>,
    line: Vec<u8>,
    any_invalid: bool,
}

impl<'e> Collector<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            book: Book::default(),
            spool: Spool::new(),
            cache: FindingCache::new(engine),
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
            consignee: b"",
            outcome: Outcome::Invalid(message),
            extra_findings: &[],
        };
        write_line(&mut self.line, self.engine, &mut self.cache, &line);
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
}

/// Pass 2: evaluates the book in date order and writes every line in input order.
/// `for_every_decision` is a rendered finding added to each decision (e.g. `RULESET_DIFFERS`).
pub fn emit(
    collected: Collector,
    scenario: &Scenario,
    for_every_decision: Option<&[u8]>,
    sink: &mut Sink,
) -> Result<(), CheckError> {
    let Collector {
        engine,
        book,
        spool,
        ..
    } = collected;
    let order = book.evaluation_order();
    let mut spool = spool.into_reader().map_err(CheckError::Spool)?;
    let mut scratch = scratch_order();
    let n = book.rows.len();
    for start in (0..n).step_by(WINDOW) {
        let window = start..n.min(start.saturating_add(WINDOW));
        let decisions = evaluate(
            engine,
            scenario,
            &book,
            &order,
            window.clone(),
            &mut scratch,
        );
        let shared = Shared {
            engine,
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

/// Decisions of the rows in `window`, evaluating every row in date order with the ledger.
fn evaluate(
    engine: &Engine,
    scenario: &Scenario,
    book: &Book,
    order: &[u32],
    window: Range<usize>,
    scratch: &mut Order,
) -> Vec<Decision> {
    let mut slots: Vec<Option<Decision>> = vec![None; window.len()];
    let mut ledger = Ledger::new();
    // As `Engine::evaluate_book_with_ledger`: each decision sees the ledger left by the ones
    // before it. tests/cli_check.rs compares the output with `evaluate_book`'s.
    for &i in order {
        let i = i as usize;
        book.rows[i].unpack_into(scratch, &book.names);
        let d = engine.evaluate(scenario, &ledger, scratch);
        ledger.apply(&scratch.consignee, &d);
        if window.contains(&i) {
            slots[i - window.start] = Some(d);
        }
    }
    slots
        .into_iter()
        .map(|d| d.expect("every row of the window is evaluated"))
        .collect()
}
