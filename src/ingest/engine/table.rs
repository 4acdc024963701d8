//! A CSV table from any era of the export: finds the header by scanning (never
//! a fixed skip), sniffs comma versus TAB, maps columns by name, and hands out
//! records with their line numbers. Fields are decoded lossily; the caller
//! learns which rows had invalid UTF-8. A table reads a stream, or a block of
//! one already in memory (the parallel scan of large files).

use super::decode::Decoder;
use super::record::{self, Fields, Marks, Parsed, Skip};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Read};

/// How many records may precede the header (the 2020+ preamble has two).
pub const HEADER_SCAN: usize = 20;
/// A single record longer than this is skipped with its reason.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// How much a stream is read at a time.
const READ_CHUNK: usize = 256 * 1024;
/// The prefix the delimiter is sniffed from.
pub(super) const SNIFF_BYTES: usize = 16 * 1024;

/// A file's bytes as the tables read them: decoded to UTF-8, LF line ends.
pub type Normalized<R> = Eol<Decoder<R>>;

/// Decode `reader` and normalise its line ends.
pub fn normalized<R: Read>(reader: R) -> io::Result<Normalized<R>> {
    Ok(Eol {
        inner: Decoder::new(reader)?,
        after_cr: false,
    })
}

/// Turns CRLF and lone CR into LF, so line numbers are exact whatever the
/// file's line ends (the csv crate counts a CRLF record's line late).
pub struct Eol<R> {
    inner: R,
    after_cr: bool,
}

impl<R> Eol<R> {
    pub fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for Eol<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let first_cr = memchr::memchr(b'\r', &buf[..n]);
            if first_cr.is_none() && !(self.after_cr && buf[0] == b'\n') {
                self.after_cr = false;
                return Ok(n);
            }
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[w] = if b == b'\r' { b'\n' } else { b };
                w += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// A table's header: where it is, its delimiter, and its columns by name.
#[derive(Debug, Clone)]
pub struct Header {
    columns: HashMap<String, usize>,
    pub line: u64,
    pub delimiter: u8,
    pub duplicate_columns: Vec<String>,
}

impl Header {
    /// Whether a record is this header written again (files pasted
    /// together, or a header repeated mid-file): every named column holds
    /// its own name. One cell is compared first, so other rows cost little.
    pub fn repeated_in(&self, row: &Row<'_>) -> bool {
        let cell = |i: usize| norm_col(&row.get(Some(i)));
        let Some((first, i)) = self.columns.iter().min_by_key(|(_, i)| **i) else {
            return false;
        };
        let raw = row.get(Some(*i));
        let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"');
        trimmed.eq_ignore_ascii_case(first)
            && self.columns.iter().all(|(name, i)| cell(*i) == *name)
    }

    /// Index of the first column with any of these (normalised) names.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(*n).copied())
    }

    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }
}

/// Records with their line numbers, from a stream read in chunks or from
/// bytes already in memory.
pub struct Table<S> {
    inner: S,
    buf: Vec<u8>,
    /// The next unread byte of `buf`, and the end of its data.
    start: usize,
    end: usize,
    eof: bool,
    /// The line `buf[start]` is on.
    line: u64,
    delimiter: u8,
    fields: Fields,
    /// The last record ended at the end of the data, without a line break.
    unterminated: bool,
    /// Every byte of an in-memory table is valid UTF-8 (checked once, so
    /// rows need no check of their own).
    utf8: bool,
    /// The marks of `buf[..end]` (made when first needed, on the thread
    /// that parses; dropped when the buffer is refilled).
    marks: Option<Marks>,
}

/// One record, borrowed from the table.
pub struct Row<'a> {
    data: &'a [u8],
    fields: &'a Fields,
    pub line: u64,
    /// Set when a field read through [`Row::get`] held invalid UTF-8.
    lossy: std::cell::Cell<bool>,
    /// The whole record is known to be valid UTF-8.
    utf8: bool,
    /// The record as text, once a field has been read as text (`None`: it
    /// holds invalid UTF-8 somewhere, so each field is checked alone).
    text: std::cell::OnceCell<Option<&'a str>>,
}

pub enum Next<'a> {
    Row(Row<'a>),
    /// The record exceeded [`MAX_RECORD_BYTES`].
    TooLong {
        line: u64,
    },
    End,
}

/// Outcome of looking for the header.
pub enum Opened<S> {
    Found(Box<Table<S>>, Header),
    /// No header in the first [`HEADER_SCAN`] records; how many were seen,
    /// and how many of them were too long to read.
    NoHeader {
        records_seen: usize,
        too_long: usize,
    },
}

/// Normalise a header cell: BOM, quotes and spaces trimmed, lower case.
pub fn norm_col(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .to_lowercase()
}

impl<R: Read> Table<Normalized<R>> {
    /// Open `reader` and find its header; `is_header` is asked about each
    /// candidate record (cells already normalised by [`norm_col`]).
    pub fn open(
        reader: R,
        is_header: &dyn Fn(&[String]) -> bool,
    ) -> io::Result<Opened<Normalized<R>>> {
        let mut t = Table::new(normalized(reader)?);
        t.fill_to(SNIFF_BYTES)?;
        t.find_header(is_header)
    }

    /// The decoder, for what it found (encoding, replaced units).
    pub fn decoder(&self) -> &Decoder<R> {
        self.inner.get_ref()
    }
}

impl Table<io::Empty> {
    /// A table over bytes in memory that start a record on line `line`.
    pub fn in_memory(bytes: Vec<u8>, delimiter: u8, line: u64) -> Self {
        let len = bytes.len();
        Table::in_memory_prefix(bytes, len, delimiter, line)
    }

    /// A table over the first `len` bytes of `bytes` (the rest is a reused
    /// buffer's old data, kept so the buffer never needs zeroing again).
    pub fn in_memory_prefix(bytes: Vec<u8>, len: usize, delimiter: u8, line: u64) -> Self {
        let len = len.min(bytes.len());
        Table {
            end: len,
            utf8: simdutf8::basic::from_utf8(&bytes[..len]).is_ok(),
            buf: bytes,
            eof: true,
            line,
            delimiter,
            ..Table::new(io::empty())
        }
    }
}

impl<S: Read> Table<S> {
    fn new(inner: S) -> Self {
        Table {
            inner,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            line: 1,
            delimiter: b',',
            fields: Fields::default(),
            unterminated: false,
            utf8: false,
            marks: None,
        }
    }

    /// Sniff the delimiter from the data's first bytes, then read records
    /// until one is a header.
    pub fn find_header(mut self, is_header: &dyn Fn(&[String]) -> bool) -> io::Result<Opened<S>> {
        let prefix = &self.buf[self.start..self.end];
        self.delimiter = sniff_delimiter(prefix, is_header).unwrap_or(b',');
        let mut too_long = 0;
        for seen in 0..HEADER_SCAN {
            let (cells, line) = match self.next_row()? {
                Next::End => {
                    return Ok(Opened::NoHeader {
                        records_seen: seen,
                        too_long,
                    });
                }
                Next::TooLong { .. } => {
                    too_long += 1;
                    continue;
                }
                Next::Row(r) => (
                    (0..r.len())
                        .map(|i| norm_col(&String::from_utf8_lossy(r.field(i))))
                        .collect::<Vec<String>>(),
                    r.line,
                ),
            };
            if is_header(&cells) {
                let mut columns = HashMap::new();
                let mut duplicate_columns = Vec::new();
                for (i, c) in cells.into_iter().enumerate() {
                    if c.is_empty() {
                        continue;
                    }
                    match columns.entry(c) {
                        std::collections::hash_map::Entry::Occupied(e) => {
                            duplicate_columns.push(e.key().clone())
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(i);
                        }
                    }
                }
                let header = Header {
                    columns,
                    line,
                    delimiter: self.delimiter,
                    duplicate_columns,
                };
                return Ok(Opened::Found(Box::new(self), header));
            }
        }
        Ok(Opened::NoHeader {
            records_seen: HEADER_SCAN,
            too_long,
        })
    }

    /// The table's buffer, for reuse.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// Whether the last record read ran to the end of the data without a
    /// line break (in a block cut from a larger file: the cut was not at a
    /// record boundary after all).
    pub fn unterminated(&self) -> bool {
        self.unterminated
    }

    /// Read until `n` bytes are buffered or the data ends.
    fn fill_to(&mut self, n: usize) -> io::Result<()> {
        while !self.eof && self.end - self.start < n {
            self.fill()?;
        }
        Ok(())
    }

    /// Keep the unread bytes, read more after them.
    fn fill(&mut self) -> io::Result<()> {
        self.marks = None;
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let want = self.end + READ_CHUNK;
        if self.buf.len() < want {
            self.buf.resize(want.max(self.buf.len() * 2), 0);
        }
        let target = self.end + READ_CHUNK / 4;
        while self.end < target {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub fn next_row(&mut self) -> io::Result<Next<'_>> {
        loop {
            while self.start < self.end && self.buf[self.start] == b'\n' {
                self.start += 1;
                self.line += 1;
            }
            if self.start == self.end {
                if self.eof {
                    return Ok(Next::End);
                }
                self.fill()?;
                continue;
            }
            let data = &self.buf[self.start..self.end];
            let marks = match &mut self.marks {
                Some(m) if m.delim() == self.delimiter => m,
                m => m.insert(Marks::new(&self.buf[..self.end], self.delimiter)),
            };
            marks.offset = self.start;
            match record::parse(data, self.eof, self.delimiter, &mut self.fields, marks) {
                Parsed::Incomplete if data.len() > MAX_RECORD_BYTES => {
                    let line = self.line;
                    self.skip_record()?;
                    return Ok(Next::TooLong { line });
                }
                Parsed::Incomplete => self.fill()?,
                Parsed::Record {
                    len,
                    newlines,
                    unterminated,
                } => {
                    let (line, at) = (self.line, self.start);
                    self.start += len;
                    self.line += newlines;
                    self.unterminated = unterminated;
                    if len > MAX_RECORD_BYTES {
                        return Ok(Next::TooLong { line });
                    }
                    return Ok(Next::Row(Row {
                        data: &self.buf[at..at + len],
                        fields: &self.fields,
                        line,
                        lossy: std::cell::Cell::new(false),
                        utf8: self.utf8,
                        text: std::cell::OnceCell::new(),
                    }));
                }
            }
        }
    }

    /// Pass over a record too long to keep without holding it in memory.
    fn skip_record(&mut self) -> io::Result<()> {
        let mut state = Skip::default();
        loop {
            let (used, newlines, done) =
                record::skip(&self.buf[self.start..self.end], &mut state, self.delimiter);
            self.start += used;
            self.line += newlines;
            self.unterminated = !done;
            if done || self.eof {
                return Ok(());
            }
            self.fill()?;
        }
    }
}

/// The delimiter of the first line among the data's first [`SNIFF_BYTES`]
/// that splits into a header; `None` when no line does (then `,`).
pub(super) fn sniff_delimiter(data: &[u8], is_header: &dyn Fn(&[String]) -> bool) -> Option<u8> {
    let text = String::from_utf8_lossy(&data[..data.len().min(SNIFF_BYTES)]);
    for line in text.lines().take(HEADER_SCAN * 4) {
        for d in [',', '\t', ';'] {
            let cells: Vec<String> = line.split(d).map(norm_col).collect();
            if cells.len() > 1 && is_header(&cells) {
                return Some(d as u8);
            }
        }
    }
    None
}

impl<'a> Row<'a> {
    /// The raw bytes of field `i` (empty past the end of a short row).
    pub fn field(&self, i: usize) -> &'a [u8] {
        self.fields.get(self.data, i).unwrap_or(&[])
    }

    /// The field at `idx` as text (lossy), trimmed of the surrounding spaces
    /// real files carry. Missing column or short row: empty.
    pub fn get(&self, idx: Option<usize>) -> Cow<'a, str> {
        // A field of a streamed record's own bytes is cut from the record
        // checked once as a whole (fields end at ASCII delimiters, so on
        // character boundaries), not checked again field by field: most
        // files' parsers read most fields. (A block's record is valid
        // already, and messages.csv reads few of its fields: those are
        // checked alone.)
        if !self.utf8
            && let Some(range) = idx.and_then(|i| self.fields.in_record(i))
            && let Some(text) = *self
                .text
                .get_or_init(|| std::str::from_utf8(self.data).ok())
            && let Some(s) = text.get(range)
        {
            return Cow::Borrowed(crate::text::trim(s));
        }
        match idx.and_then(|i| self.fields.get(self.data, i)) {
            Some(b) => match std::str::from_utf8(b.trim_ascii()) {
                // Unicode spaces are trimmed too (rare: only looked for when
                // the text starts or ends with a non-ASCII byte).
                Ok(s) => Cow::Borrowed(crate::text::trim(s)),
                Err(_) => {
                    self.lossy.set(true);
                    Cow::Owned(String::from_utf8_lossy(b).trim().to_string())
                }
            },
            None => Cow::Borrowed(""),
        }
    }

    /// Note invalid UTF-8 in the field at `idx` without decoding it, for
    /// fields a parser reads only some of the time: the warning then does
    /// not depend on what the parser happened to need.
    pub fn check(&self, idx: Option<usize>) {
        if !self.utf8 && std::str::from_utf8(self.bytes(idx)).is_err() {
            self.lossy.set(true);
        }
    }

    /// The raw bytes at `idx`, for byte-level tests that need no decoding
    /// (missing column or short row: empty).
    pub fn bytes(&self, idx: Option<usize>) -> &'a [u8] {
        idx.map_or(&[], |i| self.field(i))
    }

    /// Whether the record reaches column `idx` (short rows do not).
    pub fn has(&self, idx: Option<usize>) -> bool {
        idx.is_some_and(|i| i < self.fields.len())
    }

    /// Whether a field the parser read held invalid UTF-8 (fields it never
    /// read are not decoded at all).
    pub fn lossy(&self) -> bool {
        self.lossy.get()
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        (0..self.len()).all(|i| self.field(i).iter().all(u8::is_ascii_whitespace))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn_header(c: &[String]) -> bool {
        c.first().is_some_and(|f| f == "first name")
    }

    fn rows(input: &[u8]) -> (u64, u8, Vec<(u64, Vec<String>)>) {
        let Opened::Found(mut t, h) = Table::open(input, &conn_header).unwrap() else {
            panic!("no header")
        };
        let mut out = Vec::new();
        loop {
            match t.next_row().unwrap() {
                Next::Row(r) => out.push((
                    r.line,
                    (0..r.len()).map(|i| r.get(Some(i)).into_owned()).collect(),
                )),
                Next::TooLong { line } => out.push((line, vec!["<too long>".into()])),
                Next::End => break,
            }
        }
        (h.line, h.delimiter, out)
    }

    #[test]
    fn preamble_is_scanned_not_skipped() {
        let input =
            b"Notes:\n\"When exporting, you may notice\"\n\nFirst Name,Last Name\nAnn,Lee\n";
        let (h, d, r) = rows(input);
        assert_eq!((h, d), (4, b','));
        assert_eq!(r, vec![(5, vec!["Ann".to_string(), "Lee".to_string()])]);
    }

    #[test]
    fn no_preamble_crlf_and_no_final_newline() {
        let (h, _, r) = rows(b"First Name,Last Name\r\nAnn,Lee\r\nBo,\"Ng, PhD\"");
        assert_eq!(h, 1);
        assert_eq!(r[1], (3, vec!["Bo".to_string(), "Ng, PhD".to_string()]));
    }

    #[test]
    fn tab_separated_quoted_legacy() {
        let (_, d, r) = rows(b"\"First Name\"\t\"Last Name\"\n\"Ann\"\t\"Lee, MBA\"\n");
        assert_eq!(d, b'\t');
        assert_eq!(r[0].1, vec!["Ann", "Lee, MBA"]);
    }

    #[test]
    fn multi_line_field_keeps_line_numbers_right() {
        let (_, _, r) = rows(b"First Name,Note\nAnn,\"two\nlines\"\nBo,x\n");
        assert_eq!(r[0], (2, vec!["Ann".into(), "two\nlines".into()]));
        assert_eq!(r[1].0, 4);
    }

    #[test]
    fn blank_lines_and_crlf_inside_fields() {
        let (_, _, r) = rows(b"First Name,Note\r\n\r\n\r\nAnn,\"a\r\nb\"\r\nBo,x\rCy,y\n");
        let lines: Vec<u64> = r.iter().map(|x| x.0).collect();
        assert_eq!(lines, vec![4, 6, 7]);
        assert_eq!(r[0].1[1], "a\nb");
    }

    #[test]
    fn missing_header_is_reported() {
        let out = Table::open(&b"Notes:\nhello\n"[..], &conn_header).unwrap();
        assert!(matches!(
            out,
            Opened::NoHeader {
                records_seen: 2,
                too_long: 0
            }
        ));
    }

    /// What the csv crate reads from `input`: each record's fields and the
    /// line it starts on.
    fn csv_crate(input: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            let mut at = rdr.position().byte() as usize;
            if !rdr.read_byte_record(&mut rec).unwrap() {
                break;
            }
            while input.get(at) == Some(&b'\n') {
                at += 1;
            }
            let line = 1 + memchr::memchr_iter(b'\n', &input[..at]).count() as u64;
            out.push((line, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    /// Reads at most 3 bytes at a time, so records straddle every refill.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(3);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn ours<S: Read>(mut t: Table<S>) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        while let Next::Row(r) = t.next_row().unwrap() {
            out.push((r.line, (0..r.len()).map(|i| r.field(i).to_vec()).collect()));
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn reads_what_the_csv_crate_reads(
            input in proptest::collection::vec(
                proptest::sample::select(&b"ab,\"\n \xc3\xa9"[..]), 0..160)
        ) {
            let want = csv_crate(&input);
            proptest::prop_assert_eq!(&ours(Table::in_memory(input.clone(), b',', 1)), &want);
            let mut t = Table::new(Trickle(&input));
            t.delimiter = b',';
            proptest::prop_assert_eq!(&ours(t), &want);
        }

        /// Mostly plain rows longer than the 64-byte chunks the in-memory
        /// parser marks a word at a time, quotes now and then, and old bytes
        /// of a reused buffer after the data that must not be read.
        #[test]
        fn in_memory_rows_across_chunks_read_as_the_csv_crate_reads(
            input in proptest::collection::vec(
                proptest::sample::select(&b"abcdefghijklmnopqrstuvwxyz,,,,\n\"\xc3\xa9"[..]), 0..700),
            junk in proptest::collection::vec(
                proptest::sample::select(&b"x,\"\n"[..]), 0..80),
        ) {
            let want = csv_crate(&input);
            let mut buf = input.clone();
            buf.extend_from_slice(&junk);
            let t = Table::in_memory_prefix(buf, input.len(), b',', 1);
            proptest::prop_assert_eq!(&ours(t), &want);
        }
    }
}
