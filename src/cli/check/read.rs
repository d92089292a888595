//! Pass 1 over an orders CSV: parse on one thread, validate and pack on the calling one.
//!
//! Parsing is about 40 % of reading, validating and packing (interning, ids, the spool, which
//! must see rows in order) the rest. With a second core the two run side by side, with batches
//! of [`BATCH`] rows between them (a few in flight, so memory stays bounded).

use super::CheckError;
use super::book::RowRef;
use super::stream::{Collector, Sink};
use crate::rules::Engine;
use crate::session::csv_io::{self, CsvError, CsvReader, CsvRow};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;

/// Rows per batch handed from the parsing thread to the packing one.
const BATCH: usize = 1024;
/// Batches parsed ahead of packing.
const AHEAD: usize = 4;

/// Validates a row read and hands it to the collector.
fn collect(
    engine: &Engine,
    row: &CsvRow,
    collector: &mut Collector,
    sink: &mut Sink,
) -> Result<(), CheckError> {
    let at = RowRef {
        row: row.row,
        line: row.line,
    };
    match csv_io::validate_row(engine, row) {
        Ok(order) => collector.valid(&order, at),
        Err(errors) => {
            collector.invalid(row.raw.id.trim(), &csv_io::row_message(row, &errors), sink)
        }
    }
}

/// Reads every row of `input` into `collector`.
pub fn read_csv(
    engine: &Engine,
    input: &Path,
    collector: &mut Collector,
    sink: &mut Sink,
) -> Result<(), CheckError> {
    let source = input.display().to_string();
    let file = std::fs::File::open(input)
        .map_err(|e| CheckError::Input(format!("{source}: cannot read: {e}")))?;
    let mut reader = CsvReader::new(&source, file)?;
    if super::threads() < 2 {
        let mut row = CsvRow::empty();
        while reader.next_row(&mut row)? {
            collect(engine, &row, collector, sink)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (batches, from_parser) = mpsc::sync_channel::<Result<Batch, CsvError>>(AHEAD);
        let (recycle, used) = mpsc::channel::<Batch>();
        scope.spawn(move || {
            loop {
                let mut batch = used.try_recv().unwrap_or_default();
                let result = batch.fill(&mut reader);
                let last = result.is_err() || batch.len < BATCH;
                // Rows read before an error are still collected, then the error ends the read.
                if batches.send(Ok(batch)).is_err() || last {
                    if let Err(e) = result {
                        let _ = batches.send(Err(e));
                    }
                    return;
                }
            }
        });
        for batch in from_parser {
            let batch = batch?;
            for row in &batch.rows[..batch.len] {
                collect(engine, row, collector, sink)?;
            }
            // The parser may have finished: a batch it no longer wants is simply dropped.
            let _ = recycle.send(batch);
        }
        Ok(())
    })
}

/// Rows read ahead, in reused buffers.
#[derive(Default)]
struct Batch {
    rows: Vec<CsvRow>,
    len: usize,
}

impl Batch {
    /// Reads up to [`BATCH`] rows; fewer at the end of the input or before an error.
    fn fill<R: Read>(&mut self, reader: &mut CsvReader<R>) -> Result<(), CsvError> {
        self.len = 0;
        while self.len < BATCH {
            if self.rows.len() == self.len {
                self.rows.push(CsvRow::empty());
            }
            if !reader.next_row(&mut self.rows[self.len])? {
                break;
            }
            self.len += 1;
        }
        Ok(())
    }
}
