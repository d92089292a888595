//! What each row contributes to the output besides its decision, kept in input order until the
//! decisions are known: a valid row's id, or an invalid row's whole line.
//!
//! Held in memory up to [`IN_MEMORY`] bytes, then in an anonymous temporary file, so a file of
//! junk rows after a valid one costs disk, not memory. Entries are one line each: a tag byte, then
//! JSON-escaped text (which never contains a raw newline).

use std::io::{BufRead, BufReader, BufWriter, Cursor, Seek, SeekFrom, Write};

/// Spool bytes kept in memory before moving to a temporary file.
const IN_MEMORY: usize = 16 << 20;

/// A valid row: the entry is its id, escaped.
pub const VALID: u8 = b'V';
/// An invalid row: the entry is its rendered line (without the newline).
pub const INVALID: u8 = b'I';

enum Store {
    Memory(Vec<u8>),
    Disk(BufWriter<std::fs::File>),
}

pub struct Spool {
    store: Store,
}

impl Spool {
    pub fn new() -> Self {
        Self {
            store: Store::Memory(Vec::new()),
        }
    }

    /// Appends an entry; `text` must not contain a newline.
    pub fn push(&mut self, tag: u8, text: &[u8]) -> std::io::Result<()> {
        debug_assert!(!text.contains(&b'\n'));
        if let Store::Memory(buf) = &mut self.store
            && buf.len().saturating_add(text.len()) > IN_MEMORY
        {
            let mut file = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
            file.write_all(buf)?;
            self.store = Store::Disk(file);
        }
        match &mut self.store {
            Store::Memory(buf) => {
                buf.push(tag);
                buf.extend_from_slice(text);
                buf.push(b'\n');
                Ok(())
            }
            Store::Disk(file) => {
                file.write_all(&[tag])?;
                file.write_all(text)?;
                file.write_all(b"\n")
            }
        }
    }

    /// The entries from the first, for reading in order.
    pub fn into_reader(self) -> std::io::Result<SpoolReader> {
        let source: Box<dyn BufRead> = match self.store {
            Store::Memory(buf) => Box::new(Cursor::new(buf)),
            Store::Disk(file) => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                Box::new(BufReader::with_capacity(1 << 16, file))
            }
        };
        Ok(SpoolReader {
            source,
            entry: Vec::new(),
        })
    }
}

pub struct SpoolReader {
    source: Box<dyn BufRead>,
    entry: Vec<u8>,
}

impl SpoolReader {
    /// Moves to the next entry and returns its tag; `None` after the last.
    pub fn advance(&mut self) -> std::io::Result<Option<u8>> {
        self.entry.clear();
        if self.source.read_until(b'\n', &mut self.entry)? == 0 {
            return Ok(None);
        }
        match self.entry.as_slice() {
            [tag, .., b'\n'] => Ok(Some(*tag)),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the spool ends inside an entry",
            )),
        }
    }

    /// The current entry's text.
    pub fn text(&self) -> &[u8] {
        self.entry
            .get(1..self.entry.len().saturating_sub(1))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_in_order_from_memory_and_from_disk() {
        for big in [false, true] {
            let mut spool = Spool::new();
            let long = vec![b'x'; if big { IN_MEMORY / 2 } else { 10 }];
            for i in 0..5u8 {
                spool
                    .push(if i % 2 == 0 { VALID } else { INVALID }, &long)
                    .unwrap();
                spool.push(VALID, &[b'0' + i]).unwrap();
            }
            assert_eq!(matches!(spool.store, Store::Disk(_)), big);
            let mut r = spool.into_reader().unwrap();
            for i in 0..5u8 {
                let tag = r.advance().unwrap().unwrap();
                assert_eq!(tag, if i % 2 == 0 { VALID } else { INVALID });
                assert_eq!(r.text(), long.as_slice());
                assert_eq!(r.advance().unwrap(), Some(VALID));
                assert_eq!(r.text(), [b'0' + i]);
            }
            assert!(r.advance().unwrap().is_none());
        }
    }
}
