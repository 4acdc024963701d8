//! One CSV record at a time, with the csv crate's reading rules (csv_core's
//! defaults: `"` quotes, doubled quotes escape, text after a closing quote
//! carries on unquoted, a quote inside an unquoted field is literal, blank
//! lines are skipped) on input whose line ends are already LF (see
//! [`super::table::Eol`]).
//!
//! Field ends are found from [`Marks`] and fields kept as ranges into the
//! input, so a field is copied only when its quotes must be undone. A property test holds
//! every record and line number to what the csv crate reads from the same bytes.

use memchr::memchr;

/// Where the delimiter, the quotes and the line breaks are in the data at
/// hand (a block in memory, or a stream's buffer, marked again whenever it
/// is refilled), found in one SIMD pass (one bit per byte, a word per 64
/// bytes): the end of a field then costs a few instructions, where a
/// `memchr2` call per field pays a fixed setup each time. [`parse`]'s
/// `input` is always the data from `offset` on.
pub struct Marks {
    delim: u8,
    words: Vec<u64>,
    /// Where [`parse`]'s `input` starts in the data.
    pub offset: usize,
}

impl Marks {
    pub fn new(data: &[u8], delim: u8) -> Self {
        let (chunks, rest) = data.as_chunks::<64>();
        let mut words = Vec::with_capacity(chunks.len() + 1);
        mask_all(chunks, delim, &mut words);
        if !rest.is_empty() {
            let mut c = [0u8; 64];
            c[..rest.len()].copy_from_slice(rest);
            words.push(mask64(&c, delim) & ((1u64 << rest.len()) - 1));
        }
        Marks {
            delim,
            words,
            offset: 0,
        }
    }

    pub fn delim(&self) -> u8 {
        self.delim
    }

    /// The marked bytes of `input` from `input[from]` on: their positions
    /// in `input`, and the bytes.
    #[inline]
    fn marked<'a>(
        &'a self,
        input: &'a [u8],
        from: usize,
    ) -> impl Iterator<Item = (usize, u8)> + 'a {
        let (words, offset) = (&self.words, self.offset);
        let at = offset + from;
        let mut w = at / 64;
        let mut m = words.get(w).map_or(0, |x| x & (u64::MAX << (at % 64)));
        std::iter::from_fn(move || {
            while m == 0 {
                w += 1;
                m = *words.get(w)?;
            }
            let p = w * 64 + m.trailing_zeros() as usize - offset;
            m &= m - 1;
            Some((p, *input.get(p)?))
        })
    }

    /// The record at the start of `input` while it is plain: every mark up
    /// to the line break ends a field, pushed onto `f`. At the first quote,
    /// `Err` with where the field that holds it starts: the general rules
    /// take over there, the plain fields before it kept.
    #[inline]
    fn plain_record(&self, input: &[u8], delim: u8, f: &mut Fields) -> Result<Parsed, usize> {
        let mut start = 0;
        for (p, c) in self.marked(input, 0) {
            if c == delim {
                f.push(input, start, p, false);
                start = p + 1;
            } else if c == b'\n' {
                f.push(input, start, p, false);
                return Ok(Parsed::Record {
                    len: p + 1,
                    newlines: 1,
                    unterminated: false,
                });
            } else {
                return Err(start);
            }
        }
        Err(start)
    }

    /// The first `a` or `b` in `input[from..]`, as a position in `input`
    /// (both must be marked bytes).
    #[inline]
    fn find2(&self, input: &[u8], from: usize, a: u8, b: u8) -> Option<usize> {
        self.marked(input, from)
            .find(|&(_, c)| c == a || c == b)
            .map(|(p, _)| p)
    }
}

/// [`mask64`] of every chunk, onto `words`: with AVX2 where the processor
/// has it (two 32-byte compares a word instead of four of 16 bytes).
#[allow(unsafe_code)]
fn mask_all(chunks: &[[u8; 64]], delim: u8, words: &mut Vec<u64>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { mask_all_avx2(chunks, delim, words) };
    }
    words.extend(chunks.iter().map(|c| mask64(c, delim)));
}

/// [`mask_all`] with AVX2. Safety: only on a processor that has it.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)]
unsafe fn mask_all_avx2(chunks: &[[u8; 64]], delim: u8, words: &mut Vec<u64>) {
    use std::arch::x86_64::*;
    let (d, q, n) = (
        _mm256_set1_epi8(delim as i8),
        _mm256_set1_epi8(b'"' as i8),
        _mm256_set1_epi8(b'\n' as i8),
    );
    let half = |v: __m256i| {
        let hit = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, d), _mm256_cmpeq_epi8(v, q)),
            _mm256_cmpeq_epi8(v, n),
        );
        _mm256_movemask_epi8(hit) as u32
    };
    // Written in place: with `push`, LLVM takes each word apart bit by bit
    // and builds vectors again (sixty byte inserts a word).
    let from = words.len();
    words.resize(from + chunks.len(), 0);
    for (w, c) in words[from..].iter_mut().zip(chunks) {
        // SAFETY: 32-byte unaligned loads at 0 and 32 of the 64-byte array
        // `c`, inside it.
        let (lo, hi) = unsafe {
            (
                _mm256_loadu_si256(c.as_ptr().cast()),
                _mm256_loadu_si256(c.as_ptr().add(32).cast()),
            )
        };
        *w = u64::from(half(lo)) | u64::from(half(hi)) << 32;
    }
}

/// One bit per byte of `c` that is `delim`, a quote or a line break.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn mask64(c: &[u8; 64], delim: u8) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86_64 target, so the instructions
    // exist; each load reads 16 bytes at 0, 16, 32 or 48 of the 64-byte
    // array `c`, all inside it (unaligned loads).
    unsafe {
        let (d, q, n) = (
            _mm_set1_epi8(delim as i8),
            _mm_set1_epi8(b'"' as i8),
            _mm_set1_epi8(b'\n' as i8),
        );
        let mut m = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(c.as_ptr().add(16 * k).cast());
            let hit = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                _mm_cmpeq_epi8(v, n),
            );
            m |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
        }
        m
    }
}

/// One bit per byte of `c` that is `delim`, a quote or a line break.
#[cfg(not(target_arch = "x86_64"))]
fn mask64(c: &[u8; 64], delim: u8) -> u64 {
    mask64_plain(c, delim)
}

/// [`mask64`] byte by byte: the definition the fast one is held to.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn mask64_plain(c: &[u8; 64], delim: u8) -> u64 {
    c.iter().enumerate().fold(0, |m, (i, &b)| {
        m | (u64::from(b == delim || b == b'"' || b == b'\n') << i)
    })
}

/// Where each field of the last record lies: a range of the record's own
/// bytes or, for a field whose doubled quotes were undone, of `scratch`.
#[derive(Debug, Default)]
pub struct Fields {
    spans: Vec<Span>,
    scratch: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
    in_scratch: bool,
}

impl Fields {
    /// How many fields the record has.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Where field `i` lies in the record's own bytes; `None` for a field
    /// held in scratch (its quotes undone) or past the end.
    pub fn in_record(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let s = self.spans.get(i).filter(|s| !s.in_scratch)?;
        Some(s.start as usize..s.end as usize)
    }

    /// Field `i` of the record whose bytes are `record`.
    pub fn get<'a>(&'a self, record: &'a [u8], i: usize) -> Option<&'a [u8]> {
        let s = self.spans.get(i)?;
        let from = if s.in_scratch { &self.scratch } else { record };
        from.get(s.start as usize..s.end as usize)
    }

    fn clear(&mut self) {
        self.spans.clear();
        self.scratch.clear();
    }

    /// A field that is `input[start..end]`, or its unescaped copy when it
    /// held doubled quotes.
    #[inline]
    fn push(&mut self, input: &[u8], start: usize, end: usize, escaped: bool) {
        if escaped {
            let from = self.scratch.len();
            unescape(&input[start..end], &mut self.scratch);
            self.push_scratch(from);
        } else {
            self.spans.push(Span {
                start: start as u32,
                end: end as u32,
                in_scratch: false,
            });
        }
    }

    fn push_scratch(&mut self, from: usize) {
        self.spans.push(Span {
            start: from as u32,
            end: self.scratch.len() as u32,
            in_scratch: true,
        });
    }
}

/// Quoted text with its doubled quotes made single.
fn unescape(quoted: &[u8], out: &mut Vec<u8>) {
    let mut rest = quoted;
    while let Some(q) = memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        // Inside quotes every quote is one of a pair: skip its twin.
        rest = rest.get(q + 2..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
}

/// What [`parse`] found at the start of `input`.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A record of `len` bytes (its LF included, if it had one) spanning
    /// `newlines` line breaks; `unterminated`: it ended at the end of the data.
    Record {
        len: usize,
        newlines: u64,
        unterminated: bool,
    },
    /// The record goes on past the end of `input` and more data may come.
    Incomplete,
}

/// Parse the record that starts at `input[0]` (never a blank line: the
/// caller skips those). `eof`: no data follows `input`.
pub fn parse(input: &[u8], eof: bool, delim: u8, f: &mut Fields, marks: &Marks) -> Parsed {
    f.clear();
    let mut i = match marks.plain_record(input, delim, f) {
        Ok(p) => return p,
        Err(i) => i,
    };
    let n = input.len();
    let mut newlines = 0;
    loop {
        if input.get(i) == Some(&b'"') {
            match quoted(input, i, eof, delim, f, marks, &mut newlines) {
                Step::Next(next) => {
                    i = next;
                    continue;
                }
                Step::End(p) => return p,
            }
        }
        match marks.find2(input, i.min(n), delim, b'\n') {
            None => {
                if !eof {
                    return Parsed::Incomplete;
                }
                f.push(input, i.min(n), n, false);
                return end_of_data(n, newlines);
            }
            Some(p) => {
                f.push(input, i, p, false);
                if input[p] == b'\n' {
                    return Parsed::Record {
                        len: p + 1,
                        newlines: newlines + 1,
                        unterminated: false,
                    };
                }
                i = p + 1;
            }
        }
    }
}

/// After a field: the next one starts at this offset, or the record ends.
enum Step {
    Next(usize),
    End(Parsed),
}

/// A record that ran to the end of the data (`n` bytes).
fn end_of_data(n: usize, newlines: u64) -> Parsed {
    Parsed::Record {
        len: n,
        newlines,
        unterminated: true,
    }
}

/// The quoted field that starts at `input[i]` (a quote), pushed onto `f`;
/// the line breaks inside it are added to `newlines`.
#[inline]
fn quoted(
    input: &[u8],
    i: usize,
    eof: bool,
    delim: u8,
    f: &mut Fields,
    marks: &Marks,
    newlines: &mut u64,
) -> Step {
    let n = input.len();
    let start = i + 1;
    let mut j = start;
    let mut escaped = false;
    loop {
        let Some(p) = marks.find2(input, j, b'"', b'\n') else {
            if !eof {
                return Step::End(Parsed::Incomplete);
            }
            f.push(input, start, n, escaped);
            return Step::End(end_of_data(n, *newlines));
        };
        if input[p] == b'\n' {
            *newlines += 1;
            j = p + 1;
            continue;
        }
        let Some(&next) = input.get(p + 1) else {
            if !eof {
                return Step::End(Parsed::Incomplete);
            }
            f.push(input, start, p, escaped);
            return Step::End(end_of_data(n, *newlines));
        };
        if next == b'"' {
            escaped = true;
            j = p + 2;
        } else if next == delim {
            f.push(input, start, p, escaped);
            return Step::Next(p + 2);
        } else if next == b'\n' {
            f.push(input, start, p, escaped);
            return Step::End(Parsed::Record {
                len: p + 2,
                newlines: *newlines + 1,
                unterminated: false,
            });
        } else {
            let field = Quoted { start, close: p };
            return text_after_quote(input, field, eof, delim, f, marks, *newlines);
        }
    }
}

/// A quoted field's opening (just past the quote) and closing quote.
struct Quoted {
    start: usize,
    close: usize,
}

/// Text after a quoted field's closing quote: the field goes on unquoted
/// to the next delimiter or line break.
fn text_after_quote(
    input: &[u8],
    q: Quoted,
    eof: bool,
    delim: u8,
    f: &mut Fields,
    marks: &Marks,
    newlines: u64,
) -> Step {
    let rest = q.close + 1;
    let stop = marks.find2(input, rest, delim, b'\n');
    if stop.is_none() && !eof {
        return Step::End(Parsed::Incomplete);
    }
    let end = stop.unwrap_or(input.len());
    let from = f.scratch.len();
    unescape(&input[q.start..q.close], &mut f.scratch);
    f.scratch.extend_from_slice(&input[rest..end]);
    f.push_scratch(from);
    match stop {
        Some(s) if input[s] == delim => Step::Next(s + 1),
        Some(s) => Step::End(Parsed::Record {
            len: s + 1,
            newlines: newlines + 1,
            unterminated: false,
        }),
        None => Step::End(end_of_data(input.len(), newlines)),
    }
}

/// Where a skip over a record too long to keep has got to, so it can go on
/// when more data arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Skip {
    #[default]
    StartField,
    InField,
    Quoted,
    QuoteInQuoted,
}

/// Go through `input` with the same rules as [`parse`], keeping nothing.
/// Returns the bytes consumed, the line breaks passed, and whether the record
/// ended (at its LF, which is consumed).
pub fn skip(input: &[u8], state: &mut Skip, delim: u8) -> (usize, u64, bool) {
    let mut newlines = 0;
    for (i, &b) in input.iter().enumerate() {
        if b == b'\n' {
            newlines += 1;
        }
        *state = match (*state, b) {
            (Skip::Quoted, b'"') => Skip::QuoteInQuoted,
            (Skip::Quoted, _) => Skip::Quoted,
            (Skip::QuoteInQuoted, b'"') => Skip::Quoted,
            (_, b'\n') => {
                *state = Skip::StartField;
                return (i + 1, newlines, true);
            }
            (_, d) if d == delim => Skip::StartField,
            (Skip::StartField, b'"') => Skip::Quoted,
            _ => Skip::InField,
        };
    }
    (input.len(), newlines, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &[u8]) -> (Parsed, Vec<String>) {
        let mut f = Fields::default();
        let p = parse(input, true, b',', &mut f, &Marks::new(input, b','));
        let len = match p {
            Parsed::Record { len, .. } => len,
            Parsed::Incomplete => 0,
        };
        let rec = &input[..len];
        let v = (0..f.len())
            .map(|i| String::from_utf8_lossy(f.get(rec, i).unwrap()).into_owned())
            .collect();
        (p, v)
    }

    #[test]
    fn quoting_rules() {
        assert_eq!(fields(b"a,b\n").1, ["a", "b"]);
        assert_eq!(fields(b"\"a,b\",c\n").1, ["a,b", "c"]);
        assert_eq!(fields(b"\"say \"\"hi\"\"\",x\n").1, ["say \"hi\"", "x"]);
        assert_eq!(fields(b"\"abc\"def,x\n").1, ["abcdef", "x"]);
        assert_eq!(fields(b"5\" screen,x\n").1, ["5\" screen", "x"]);
        assert_eq!(fields(b"a,\n").1, ["a", ""]);
        assert_eq!(fields(b"a,").1, ["a", ""]);
        assert_eq!(fields(b"\"\"\n").1, [""]);
        assert_eq!(fields(b"\"open").1, ["open"]);
    }

    #[test]
    fn lengths_and_line_breaks() {
        let (p, v) = fields(b"\"two\nlines\",x\nnext\n");
        assert_eq!(v, ["two\nlines", "x"]);
        assert_eq!(
            p,
            Parsed::Record {
                len: 14,
                newlines: 2,
                unterminated: false
            }
        );
        let mut f = Fields::default();
        assert_eq!(
            parse(
                b"\"two\nli",
                false,
                b',',
                &mut f,
                &Marks::new(b"\"two\nli", b',')
            ),
            Parsed::Incomplete
        );
        assert_eq!(
            parse(b"a,b", false, b',', &mut f, &Marks::new(b"a,b", b',')),
            Parsed::Incomplete
        );
    }

    proptest::proptest! {
        /// The SIMD marks are the byte-by-byte definition's.
        #[test]
        fn marks_are_the_plain_definition(
            bytes in proptest::collection::vec(
                proptest::sample::select(&b"a,;\t|\"\n\r\x00\xff\xc3"[..]), 64),
            delim in proptest::sample::select(&b",;\t|"[..]),
        ) {
            let c: &[u8; 64] = bytes.as_slice().try_into().expect("64 bytes");
            proptest::prop_assert_eq!(mask64(c, delim), mask64_plain(c, delim));
        }

        /// A block's marks, however made (AVX2 or not), are the plain
        /// definition's, word by word, the last partial word included.
        #[test]
        fn block_marks_are_the_plain_definition(
            bytes in proptest::collection::vec(
                proptest::sample::select(&b"a,;\t|\"\n\r\x00\xff\xc3"[..]), 0..400),
            delim in proptest::sample::select(&b",;\t|"[..]),
        ) {
            let want: Vec<u64> = bytes
                .chunks(64)
                .map(|c| {
                    let mut w = [0u8; 64];
                    w[..c.len()].copy_from_slice(c);
                    mask64_plain(&w, delim) & (u64::MAX >> (64 - c.len()))
                })
                .collect();
            proptest::prop_assert_eq!(Marks::new(&bytes, delim).words, want);
        }
    }

    #[test]
    fn skip_agrees_with_parse() {
        for input in [
            &b"a,\"b\nc\",d\nrest"[..],
            b"\"x\"\"y\"z,\"q\"\nrest",
            b"plain\nrest",
        ] {
            let mut f = Fields::default();
            let Parsed::Record { len, newlines, .. } =
                parse(input, true, b',', &mut f, &Marks::new(input, b','))
            else {
                panic!()
            };
            let mut st = Skip::default();
            assert_eq!(skip(input, &mut st, b','), (len, newlines, true));
        }
    }
}
