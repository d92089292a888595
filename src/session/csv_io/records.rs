//! CSV records from a byte stream, one at a time, in memory bounded by the longest record allowed.
//!
//! The dialect is the `csv` crate's default, which the importer used before: `,` between fields,
//! `"` quotes with `""` for a quote inside them, `\n`, `\r\n` or `\r` between records, blank
//! lines skipped, a quote inside an unquoted field taken literally, a UTF-8 byte-order mark at
//! the start ignored. Unlike the `csv` crate, a quote that is never closed is an error that names
//! the line it opened on (the crate reads the rest of the file into that field and says
//! nothing), and a record longer than [`MAX_RECORD_BYTES`] is an error instead of a buffer that
//! grows with the file.

use std::io::{ErrorKind, Read};

/// The longest record accepted, in bytes of the file (an order row takes about 150).
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// A UTF-8 byte-order mark, ignored at the start of the input.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes read from the input at a time.
const CHUNK: usize = 256 * 1024;

/// Why no record could be read. Lines are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("record longer than {limit} bytes{}", match quote_line {
        Some(l) => format!(" (inside a quoted field opened on line {l}: is a quote missing?)"),
        None => String::new(),
    })]
    TooLong {
        limit: usize,
        quote_line: Option<u64>,
    },
    #[error("unterminated quote: the quoted field opened on line {quote_line} is never closed")]
    UnclosedQuote { quote_line: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: terminators here are blank lines.
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote seen inside a quoted field: `""`, or the end of the quoted part.
    QuoteInQuoted,
}

/// Calls `f` with the index of each comma in `text`. Commas are dense (every few bytes), so
/// instead of a search per comma, eight bytes at a time are compared at once ("SWAR"): the
/// high bit of each byte of `mask` is set exactly where that byte is a comma.
fn for_each_comma(text: &[u8], mut f: impl FnMut(usize)) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const COMMAS: u64 = 0x2C2C_2C2C_2C2C_2C2C;
    let mut words = text.chunks_exact(8);
    for (w, chunk) in words.by_ref().enumerate() {
        let t = u64::from_le_bytes(chunk.try_into().expect("8 bytes")) ^ COMMAS;
        let mut mask = !(((t & LOW7) + LOW7) | t | LOW7);
        while mask != 0 {
            f(w * 8 + (mask.trailing_zeros() / 8) as usize);
            mask &= mask - 1;
        }
    }
    let tail = text.len() - words.remainder().len();
    for (j, &b) in words.remainder().iter().enumerate() {
        if b == b',' {
            f(tail + j);
        }
    }
}

/// The parser's state, apart from the input buffer (so both can be borrowed at once).
#[derive(Debug)]
struct Parser {
    state: State,
    /// The current record's fields, unquoted, each followed by a separator byte.
    record: Vec<u8>,
    /// Where each field of `record` ends (its separator's index).
    ends: Vec<usize>,
    /// The line of the next byte to parse.
    line: u64,
    /// The line the current record starts on.
    record_line: u64,
    /// The line the open quoted field started on.
    quote_line: u64,
    /// Bytes of the file consumed by the current record so far.
    record_bytes: usize,
}

impl Parser {
    /// Ends the field being read; a separator byte follows it in `record`.
    fn end_field(&mut self) {
        self.ends.push(self.record.len());
        self.record.push(b',');
    }

    /// Parses from `input` until a record ends (returns `(used, true)`; the terminator is left
    /// for the next record to skip) or the input runs out (`(input.len(), false)`).
    fn feed(&mut self, input: &[u8]) -> (usize, bool) {
        let mut i = 0;
        // Where the current record's bytes in `input` start (blank lines before it excluded).
        let mut from = 0;
        while i < input.len() {
            match self.state {
                State::StartRecord => {
                    match input[i] {
                        b'\n' => self.line += 1,
                        b'\r' => {}
                        _ => {
                            self.record_line = self.line;
                            from = i;
                            if let Some(end) = self.whole_unquoted_record(&input[i..]) {
                                return self.record_ends(from, i + end);
                            }
                            self.state = State::StartField;
                            continue;
                        }
                    }
                    i += 1;
                }
                State::StartField => match input[i] {
                    b'"' => {
                        self.quote_line = self.line;
                        self.state = State::InQuoted;
                        i += 1;
                    }
                    b',' => {
                        self.end_field();
                        i += 1;
                    }
                    b'\n' | b'\r' => {
                        self.end_field();
                        self.state = State::StartRecord;
                        return self.record_ends(from, i);
                    }
                    _ => self.state = State::InField,
                },
                State::InField => {
                    // Unquoted text is copied in one go, commas included: a comma stays in
                    // `record` as the separator after the field it ends.
                    let (start, base) = (i, self.record.len());
                    let mut at_terminator = false;
                    while i < input.len() {
                        match input[i] {
                            b',' => {
                                self.ends.push(base + (i - start));
                                i += 1;
                                if i == input.len() || input[i] == b'"' {
                                    self.state = State::StartField;
                                    break;
                                }
                            }
                            b'\n' | b'\r' => {
                                at_terminator = true;
                                break;
                            }
                            _ => i += 1,
                        }
                    }
                    self.record.extend_from_slice(&input[start..i]);
                    if at_terminator {
                        self.end_field();
                        self.state = State::StartRecord;
                        return self.record_ends(from, i);
                    }
                }
                State::InQuoted => {
                    let rest = &input[i..];
                    let run = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                    let newlines = memchr::memchr_iter(b'\n', &rest[..run]).count();
                    self.line += newlines as u64;
                    self.record.extend_from_slice(&rest[..run]);
                    i += run;
                    if i < input.len() {
                        self.state = State::QuoteInQuoted;
                        i += 1;
                    }
                }
                State::QuoteInQuoted => match input[i] {
                    b'"' => {
                        self.record.push(b'"');
                        self.state = State::InQuoted;
                        i += 1;
                    }
                    // Anything else after the closing quote continues the field unquoted.
                    _ => self.state = State::InField,
                },
            }
        }
        if self.state != State::StartRecord {
            self.record_bytes = self.record_bytes.saturating_add(input.len() - from);
        }
        (input.len(), false)
    }

    /// The common record: no quotes, and its terminator in `rest`. It is taken in one go and
    /// its length returned; `None` leaves it to the byte-by-byte states.
    fn whole_unquoted_record(&mut self, rest: &[u8]) -> Option<usize> {
        let end = memchr::memchr2(b'\n', b'\r', rest)?;
        let text = &rest[..end];
        if memchr::memchr(b'"', text).is_some() {
            return None;
        }
        let base = self.record.len();
        for_each_comma(text, |j| self.ends.push(base + j));
        self.record.extend_from_slice(text);
        self.end_field();
        Some(end)
    }

    fn record_ends(&mut self, from: usize, at: usize) -> (usize, bool) {
        self.record_bytes = self.record_bytes.saturating_add(at - from);
        (at, true)
    }
}

/// Reads records one at a time into reused buffers.
#[derive(Debug)]
pub struct RecordReader<R> {
    input: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    at_start: bool,
    parser: Parser,
}

impl<R: Read> RecordReader<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            buf: vec![0; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            at_start: true,
            parser: Parser {
                state: State::StartRecord,
                record: Vec::new(),
                ends: Vec::new(),
                line: 1,
                record_line: 1,
                quote_line: 1,
                record_bytes: 0,
            },
        }
    }

    /// Reads the next record; `Ok(false)` at the end of the input.
    pub fn read_record(&mut self) -> Result<bool, RecordError> {
        let p = &mut self.parser;
        p.record.clear();
        p.ends.clear();
        p.record_bytes = 0;
        p.state = State::StartRecord;
        loop {
            if self.pos == self.len && !self.fill()? {
                return self.finish();
            }
            let p = &mut self.parser;
            let (used, done) = p.feed(&self.buf[self.pos..self.len]);
            self.pos += used;
            if p.record_bytes > MAX_RECORD_BYTES {
                return Err(RecordError::TooLong {
                    limit: MAX_RECORD_BYTES,
                    quote_line: matches!(p.state, State::InQuoted | State::QuoteInQuoted)
                        .then_some(p.quote_line),
                });
            }
            if done {
                return Ok(true);
            }
        }
    }

    /// The end of the input: the record in progress, if any, ends here.
    fn finish(&mut self) -> Result<bool, RecordError> {
        let p = &mut self.parser;
        match p.state {
            State::StartRecord => Ok(false),
            State::InQuoted => Err(RecordError::UnclosedQuote {
                quote_line: p.quote_line,
            }),
            State::StartField | State::InField | State::QuoteInQuoted => {
                p.end_field();
                p.state = State::StartRecord;
                Ok(true)
            }
        }
    }

    /// Refills the buffer; `false` at the end of the input.
    fn fill(&mut self) -> Result<bool, RecordError> {
        if self.eof {
            return Ok(false);
        }
        self.pos = 0;
        self.len = 0;
        // At the start, read at least the length of a byte-order mark (reads may be short).
        let want = if self.at_start { BOM.len() } else { 1 };
        while self.len < want {
            match self.input.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.len += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(RecordError::Io(e.to_string())),
            }
        }
        if std::mem::take(&mut self.at_start) && self.buf[..self.len].starts_with(BOM) {
            self.pos = BOM.len();
            if self.pos == self.len {
                return self.fill();
            }
        }
        Ok(self.pos < self.len)
    }

    /// The line the last record read starts on.
    pub fn record_line(&self) -> u64 {
        self.parser.record_line
    }

    /// The line the next record would start on, at the earliest (for errors while reading it).
    pub fn next_line(&self) -> u64 {
        match self.parser.state {
            State::StartRecord => self.parser.line,
            _ => self.parser.record_line,
        }
    }

    pub fn len(&self) -> usize {
        self.parser.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parser.ends.is_empty()
    }

    /// Field `i` of the last record, as read (not trimmed, not checked to be UTF-8).
    pub fn field(&self, i: usize) -> Option<&[u8]> {
        self.field_range(i).map(|r| &self.parser.record[r])
    }

    /// All fields of the last record, one after the other with a separator byte between
    /// (see [`Self::field_range`]).
    pub fn record_bytes(&self) -> &[u8] {
        &self.parser.record
    }

    /// Where field `i` is in [`Self::record_bytes`].
    pub fn field_range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let ends = &self.parser.ends;
        let end = *ends.get(i)?;
        Some(if i == 0 { 0 } else { ends[i - 1] + 1 }..end)
    }

    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.field(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8]) -> Result<Vec<(u64, Vec<String>)>, RecordError> {
        records_in_pieces(text, 3)
    }

    /// Reads `text` handed over `piece` bytes at a time, which exercises refills in the middle
    /// of every state.
    fn records_in_pieces(
        text: &[u8],
        piece: usize,
    ) -> Result<Vec<(u64, Vec<String>)>, RecordError> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = RecordReader::new(Trickle(text, piece));
        let mut out = Vec::new();
        while r.read_record()? {
            let fields = r
                .fields()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((r.record_line(), fields));
        }
        Ok(out)
    }

    fn rec(line: u64, fields: &[&str]) -> (u64, Vec<String>) {
        (line, fields.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn fields_quotes_and_terminators() {
        let got = records(
            b"\xEF\xBB\xBFid,name\r\n1,\"a, \"\"b\"\"\"\n\n2,\"x\ny\",\r3,ab\"c\n4,\"q\"z,\n5,,\"\",x",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                rec(1, &["id", "name"]),
                rec(2, &["1", "a, \"b\""]),
                rec(4, &["2", "x\ny", ""]),
                rec(5, &["3", "ab\"c"]),
                rec(6, &["4", "qz", ""]),
                rec(7, &["5", "", "", "x"]),
            ]
        );
    }

    /// Random text over the characters that matter reads as the `csv` crate reads it (with
    /// its defaults), wherever the input is cut; only a quote left open differs (an error here).
    #[test]
    fn reads_as_the_csv_crate_does() {
        let alphabet: &[&str] = &["a", "bc", ",", ",", "\"", "\n", "\r\n", "\r", " ", "é"];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for case in 0..3000 {
            let len = next(40);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let ours = match records_in_pieces(text.as_bytes(), 1 + case % 7) {
                Ok(r) => r,
                Err(RecordError::UnclosedQuote { .. }) => continue,
                Err(e) => panic!("{text:?}: {e}"),
            };
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let theirs: Vec<(u64, Vec<String>)> = rdr
                .byte_records()
                .map(|r| {
                    let r = r.unwrap();
                    let line = r.position().unwrap().line();
                    (
                        line,
                        r.iter()
                            .map(|f| String::from_utf8_lossy(f).into_owned())
                            .collect(),
                    )
                })
                .collect();
            if text.contains('\r') || text.contains("\n\n") || text.starts_with('\n') {
                // The crate gives a record the line where reading it began, before the blank
                // lines or the `\n` of a `\r\n` in front of it (after "h\r\n", record "a" is
                // on line 1). Our lines are where the record itself starts.
                let fields =
                    |r: Vec<(u64, Vec<String>)>| r.into_iter().map(|(_, f)| f).collect::<Vec<_>>();
                assert_eq!(fields(ours), fields(theirs), "{text:?}");
            } else {
                assert_eq!(ours, theirs, "{text:?}");
            }
        }
    }

    #[test]
    fn a_byte_order_mark_is_ignored_however_the_input_arrives() {
        for piece in 1..5 {
            let got = records_in_pieces(b"\xEF\xBB\xBFid\r\nA1\r\n", piece).unwrap();
            assert_eq!(got, [rec(1, &["id"]), rec(2, &["A1"])], "{piece}");
            assert_eq!(records_in_pieces(b"\xEF\xBB\xBF", piece).unwrap(), []);
        }
    }

    #[test]
    fn commas_are_found_at_every_position() {
        for len in 0..20 {
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b',';
                // Bytes next to a comma's value must not be taken for one.
                if at + 1 < len {
                    text[at + 1] = b',' ^ 0x80;
                }
                let mut found = Vec::new();
                for_each_comma(&text, |j| found.push(j));
                assert_eq!(found, [at], "{len} {at}");
            }
        }
        let mut found = Vec::new();
        for_each_comma(b",,a,,,,,,,b,", |j| found.push(j));
        assert_eq!(found, [0, 1, 3, 4, 5, 6, 7, 8, 9, 11]);
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let e = records(b"id,name\n1,ok\n2,\"open\n3,x\n4,y\n").unwrap_err();
        assert_eq!(e, RecordError::UnclosedQuote { quote_line: 3 });
        assert!(e.to_string().contains("line 3"), "{e}");
    }

    #[test]
    fn a_record_longer_than_the_limit_is_refused() {
        let mut r = RecordReader::new(std::io::repeat(0).take(3 * MAX_RECORD_BYTES as u64));
        let e = r.read_record().unwrap_err();
        assert_eq!(
            e,
            RecordError::TooLong {
                limit: MAX_RECORD_BYTES,
                quote_line: None
            }
        );
        // The record buffer grows by doubling: at most twice what one record may use.
        assert!(r.parser.record.capacity() <= 2 * (MAX_RECORD_BYTES + CHUNK));
        let mut quoted = b"\"".to_vec();
        quoted.resize(2 * MAX_RECORD_BYTES, b'x');
        let mut r = RecordReader::new(quoted.as_slice());
        assert!(r.read_record().unwrap_err().to_string().contains("line 1"));
    }
}
