//! Pass 1 over an orders CSV: parse and validate on one thread, pack on the calling one.
//!
//! Parsing and validating are about two thirds of reading; packing (interning, ids, the spool)
//! must see rows in order. With a second core the two run side by side, with batches of
//! [`BATCH`] rows between them (a few in flight, so memory stays bounded).

use super::CheckError;
use super::book::RowRef;
use super::stream::{Collector, Sink};
use crate::rules::{Engine, Order};
use crate::session::csv_io::{self, CsvError, CsvReader, CsvRow};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;

/// Rows per batch handed from the parsing thread to the packing one.
const BATCH: usize = 1024;
/// Batches parsed ahead of packing.
const AHEAD: usize = 4;

/// One row, validated.
enum Parsed {
    Valid(Order, RowRef),
    Invalid { id: String, message: String },
}

/// Reads the next row and validates it; `None` at the end.
fn next<R: Read>(
    engine: &Engine,
    reader: &mut CsvReader<R>,
    row: &mut CsvRow,
) -> Result<Option<Parsed>, CsvError> {
    if !reader.next_row(row)? {
        return Ok(None);
    }
    let at = RowRef {
        row: row.row,
        line: row.line,
    };
    Ok(Some(match csv_io::validate_row(engine, row) {
        Ok(order) => Parsed::Valid(order, at),
        Err(errors) => Parsed::Invalid {
            id: row.raw.id.trim().to_string(),
            message: csv_io::row_message(row, &errors),
        },
    }))
}

fn collect(parsed: Parsed, collector: &mut Collector, sink: &mut Sink) -> Result<(), CheckError> {
    match parsed {
        Parsed::Valid(order, at) => collector.valid(&order, at),
        Parsed::Invalid { id, message } => collector.invalid(&id, &message, sink),
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
    let mut row = CsvRow::empty();
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        while let Some(parsed) = next(engine, &mut reader, &mut row)? {
            collect(parsed, collector, sink)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (batches, from_parser) = mpsc::sync_channel::<Result<Vec<Parsed>, CsvError>>(AHEAD);
        let (recycle, used) = mpsc::channel::<Vec<Parsed>>();
        scope.spawn(move || {
            loop {
                let mut batch = used.try_recv().unwrap_or_default();
                let mut result = Ok(());
                while batch.len() < BATCH {
                    match next(engine, &mut reader, &mut row) {
                        Ok(Some(parsed)) => batch.push(parsed),
                        Ok(None) => break,
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                let last = batch.len() < BATCH;
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
            let mut batch = batch?;
            for parsed in batch.drain(..) {
                collect(parsed, collector, sink)?;
            }
            // The parser may have finished: a batch it no longer wants is simply dropped.
            let _ = recycle.send(batch);
        }
        Ok(())
    })
}
