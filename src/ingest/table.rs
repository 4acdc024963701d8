//! A CSV table from any era of the export: finds the header by scanning (never
//! a fixed skip), sniffs comma versus TAB, maps columns by name, and hands out
//! records with their line numbers. Fields are decoded lossily; the caller
//! learns which rows had invalid UTF-8.

use super::decode::{Decoder, Encoding};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Chain, Cursor, Read};

/// How many records may precede the header (the 2020+ preamble has two).
pub const HEADER_SCAN: usize = 20;
/// A single record longer than this is skipped with its reason.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

type Inner<R> = Eol<Chain<Chain<Cursor<Vec<u8>>, Decoder<R>>, Cursor<&'static [u8]>>>;

/// Turns CRLF and lone CR into LF, so line numbers are exact whatever the
/// file's line ends (the csv crate counts a CRLF record's line late).
pub struct Eol<R> {
    inner: R,
    after_cr: bool,
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

pub struct Table<R: Read> {
    rdr: csv::Reader<Inner<R>>,
    columns: HashMap<String, usize>,
    pub header_line: u64,
    pub delimiter: u8,
    pub duplicate_columns: Vec<String>,
    rec: csv::ByteRecord,
}

/// One record, borrowed from the table.
pub struct Row<'a> {
    rec: &'a csv::ByteRecord,
    pub line: u64,
    /// Set when a field read through [`Row::get`] held invalid UTF-8.
    lossy: std::cell::Cell<bool>,
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
pub enum Opened<R: Read> {
    Found(Box<Table<R>>),
    /// No header in the first [`HEADER_SCAN`] records; how many were seen.
    NoHeader {
        records_seen: usize,
    },
}

/// Normalise a header cell: BOM, quotes and spaces trimmed, lower case.
pub fn norm_col(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .to_lowercase()
}

impl<R: Read> Table<R> {
    /// Open `reader`; `is_header` is asked about each candidate record (cells
    /// already normalised by [`norm_col`]).
    pub fn open(reader: R, is_header: &dyn Fn(&[String]) -> bool) -> io::Result<Opened<R>> {
        let mut dec = Decoder::new(reader)?;
        let mut prefix = Vec::with_capacity(16 * 1024);
        (&mut dec).take(16 * 1024).read_to_end(&mut prefix)?;
        let delimiter = sniff_delimiter(&prefix, is_header);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Eol {
                inner: Cursor::new(prefix)
                    .chain(dec)
                    .chain(Cursor::new(&b"\n"[..])),
                after_cr: false,
            });
        let mut rec = csv::ByteRecord::new();
        for seen in 0..HEADER_SCAN {
            if !read_record(&mut rdr, &mut rec)? {
                return Ok(Opened::NoHeader { records_seen: seen });
            }
            let cells: Vec<String> = rec
                .iter()
                .map(|f| norm_col(&String::from_utf8_lossy(f)))
                .collect();
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
                let header_line = start_line(&rdr, &rec);
                return Ok(Opened::Found(Box::new(Table {
                    rdr,
                    columns,
                    header_line,
                    delimiter,
                    duplicate_columns,
                    rec,
                })));
            }
        }
        Ok(Opened::NoHeader {
            records_seen: HEADER_SCAN,
        })
    }

    /// Index of the first column with any of these (normalised) names.
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(*n).copied())
    }

    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }

    pub fn next_row(&mut self) -> io::Result<Next<'_>> {
        if !read_record(&mut self.rdr, &mut self.rec)? {
            return Ok(Next::End);
        }
        let line = start_line(&self.rdr, &self.rec);
        if self.rec.as_slice().len() > MAX_RECORD_BYTES {
            return Ok(Next::TooLong { line });
        }
        Ok(Next::Row(Row {
            rec: &self.rec,
            line,
            lossy: std::cell::Cell::new(false),
        }))
    }

    pub fn encoding(&self) -> Encoding {
        self.rdr.get_ref().inner.get_ref().0.get_ref().1.encoding()
    }

    /// UTF-16 units replaced while decoding.
    pub fn replaced_units(&self) -> u64 {
        self.rdr.get_ref().inner.get_ref().0.get_ref().1.replaced()
    }
}

/// The line a record starts on: every record ends with LF here (see [`Eol`]
/// and the LF appended at the end), so it is the reader's line after the
/// record, less one, less the line breaks inside quoted fields.
fn start_line<T: Read>(rdr: &csv::Reader<T>, rec: &csv::ByteRecord) -> u64 {
    let inside = memchr::memchr_iter(b'\n', rec.as_slice()).count() as u64;
    rdr.position().line().saturating_sub(1 + inside).max(1)
}

fn read_record<T: Read>(rdr: &mut csv::Reader<T>, rec: &mut csv::ByteRecord) -> io::Result<bool> {
    match rdr.read_byte_record(rec) {
        Ok(more) => Ok(more),
        Err(e) => match e.into_kind() {
            csv::ErrorKind::Io(io) => Err(io),
            other => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{other:?}"),
            )),
        },
    }
}

/// Comma unless a line in the prefix reads as a header when split on TAB.
fn sniff_delimiter(prefix: &[u8], is_header: &dyn Fn(&[String]) -> bool) -> u8 {
    let text = String::from_utf8_lossy(prefix);
    for line in text.lines().take(HEADER_SCAN * 4) {
        for d in [',', '\t', ';'] {
            let cells: Vec<String> = line.split(d).map(norm_col).collect();
            if cells.len() > 1 && is_header(&cells) {
                return d as u8;
            }
        }
    }
    b','
}

impl<'a> Row<'a> {
    /// The field at `idx` as text (lossy), trimmed of the surrounding spaces
    /// real files carry. Missing column or short row: empty.
    pub fn get(&self, idx: Option<usize>) -> Cow<'a, str> {
        match idx.and_then(|i| self.rec.get(i)) {
            Some(b) => match std::str::from_utf8(b) {
                Ok(s) => Cow::Borrowed(s.trim()),
                Err(_) => {
                    self.lossy.set(true);
                    Cow::Owned(String::from_utf8_lossy(b).trim().to_string())
                }
            },
            None => Cow::Borrowed(""),
        }
    }

    /// Whether the record reaches column `idx` (short rows do not).
    pub fn has(&self, idx: Option<usize>) -> bool {
        idx.is_some_and(|i| i < self.rec.len())
    }

    /// Whether a field the parser read held invalid UTF-8 (fields it never
    /// read are not decoded at all).
    pub fn lossy(&self) -> bool {
        self.lossy.get()
    }

    pub fn len(&self) -> usize {
        self.rec.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rec
            .iter()
            .all(|f| f.iter().all(u8::is_ascii_whitespace))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn_header(c: &[String]) -> bool {
        c.first().is_some_and(|f| f == "first name")
    }

    fn rows(input: &[u8]) -> (u64, u8, Vec<(u64, Vec<String>)>) {
        let Opened::Found(mut t) = Table::open(input, &conn_header).unwrap() else {
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
        (t.header_line, t.delimiter, out)
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
        assert!(matches!(out, Opened::NoHeader { records_seen: 2 }));
    }
}
