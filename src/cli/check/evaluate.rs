//! A window of the book evaluated in date order, its decisions kept compactly in input order.

use super::RunContext;
use super::book::Book;
use super::findings::FindingTable;
use crate::rules::{Decision, Ledger, Order};
use std::ops::Range;
use std::sync::mpsc;

/// A window's decisions in input order; their findings are indices into `table`.
pub struct Decisions {
    decisions: Vec<Decision>,
    /// Each row's (start, end) in `findings`.
    spans: Vec<(u32, u32)>,
    findings: Vec<u32>,
    pub table: FindingTable,
}

impl Decisions {
    /// Row `i` of the window: its decision (findings left out) and its findings' indices.
    pub fn get(&self, i: usize) -> (&Decision, &[u32]) {
        let (start, end) = self.spans[i];
        (
            &self.decisions[i],
            &self.findings[start as usize..end as usize],
        )
    }
}

/// Builds a window's [`Decisions`] from decisions arriving in evaluation order.
struct DecisionsBuilder {
    slots: Vec<Option<Decision>>,
    spans: Vec<(u32, u32)>,
    findings: Vec<u32>,
    table: FindingTable,
}

impl DecisionsBuilder {
    fn new(rows: usize) -> Self {
        Self {
            slots: vec![None; rows],
            spans: vec![(0, 0); rows],
            findings: Vec::new(),
            table: FindingTable::default(),
        }
    }

    /// Row `i` of the window decided `d`: its findings go to the table.
    fn put(&mut self, i: usize, mut d: Decision) {
        let start = u32::try_from(self.findings.len()).expect("fewer than 2^32 findings");
        let table = &mut self.table;
        self.findings.extend(
            std::mem::take(&mut d.findings)
                .iter()
                .map(|f| table.intern(f)),
        );
        let end = u32::try_from(self.findings.len()).expect("fewer than 2^32 findings");
        self.spans[i] = (start, end);
        self.slots[i] = Some(d);
    }

    fn finish(self) -> Decisions {
        Decisions {
            decisions: self
                .slots
                .into_iter()
                .map(|d| d.expect("every row of the window is evaluated"))
                .collect(),
            spans: self.spans,
            findings: self.findings,
            table: self.table,
        }
    }
}

/// Decisions handed from evaluation to the table at a time.
const DECIDED_BATCH: usize = 1024;

/// Decisions of the rows in `window`, evaluating every row in date order with the ledger.
/// With a second core, the findings are put in the table there while evaluation goes on.
pub fn evaluate(
    run: &RunContext,
    book: &Book,
    order: &[u32],
    window: Range<usize>,
    scratch: &mut Order,
) -> Decisions {
    let ctx = run.book_context();
    let mut decide = |each: &mut dyn FnMut(usize, Decision)| {
        let mut ledger = Ledger::new();
        // As `Engine::evaluate_book_with_ledger`: each decision sees the ledger left by the
        // ones before it. tests/cli_check.rs compares the output with `evaluate_book`'s.
        for &i in order {
            let i = i as usize;
            book.unpack_into(i, scratch);
            let d = run
                .engine
                .evaluate(&ctx, &ledger, scratch, book.screening_of(i));
            ledger.apply(scratch, &d);
            if window.contains(&i) {
                each(i - window.start, d);
            }
        }
    };
    let mut builder = DecisionsBuilder::new(window.len());
    if super::threads() < 2 {
        decide(&mut |i, d| builder.put(i, d));
        return builder.finish();
    }
    std::thread::scope(|scope| {
        let (to_table, decided) = mpsc::sync_channel::<Vec<(usize, Decision)>>(8);
        let table = scope.spawn(move || {
            for batch in decided {
                for (i, d) in batch {
                    builder.put(i, d);
                }
            }
            builder.finish()
        });
        let mut batch = Vec::with_capacity(DECIDED_BATCH);
        decide(&mut |i, d| {
            batch.push((i, d));
            if batch.len() == DECIDED_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(DECIDED_BATCH));
                to_table
                    .send(full)
                    .expect("the table thread runs until the channel closes");
            }
        });
        to_table
            .send(batch)
            .expect("the table thread runs until the channel closes");
        drop(to_table);
        table.join().expect("the table thread does not panic")
    })
}
