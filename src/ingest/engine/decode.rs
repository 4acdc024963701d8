//! Bytes to UTF-8, streaming: strips a byte-order mark, transcodes UTF-16
//! (the legacy 2018 files, with or without a BOM) and passes UTF-8 through.
//! Invalid UTF-8 is left for the table reader, which decodes fields lossily.

use std::io::{self, Read};

/// What the file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    Utf16LeNoBom,
    Utf16BeNoBom,
}

/// A reader that yields UTF-8 bytes whatever the source encoding was.
pub struct Decoder<R> {
    inner: R,
    /// Bytes read while sniffing, not yet handed out (UTF-8) or decoded (UTF-16).
    head: Vec<u8>,
    head_pos: usize,
    utf16: Option<Utf16State>,
    encoding: Encoding,
}

struct Utf16State {
    little_endian: bool,
    odd: Option<u8>,
    high: Option<u16>,
    out: Vec<u8>,
    out_pos: usize,
    replaced: u64,
    eof: bool,
}

impl<R: Read> Decoder<R> {
    /// Sniff the first bytes and set up decoding.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut head = Vec::with_capacity(64);
        (&mut inner).take(64).read_to_end(&mut head)?;
        let (encoding, skip) = sniff(&head);
        let utf16 = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => None,
            e => Some(Utf16State {
                little_endian: matches!(e, Encoding::Utf16LeBom | Encoding::Utf16LeNoBom),
                odd: None,
                high: None,
                out: Vec::new(),
                out_pos: 0,
                replaced: 0,
                eof: false,
            }),
        };
        Ok(Decoder {
            inner,
            head,
            head_pos: skip,
            utf16,
            encoding,
        })
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// UTF-16 code units that could not be decoded and became U+FFFD.
    pub fn replaced(&self) -> u64 {
        self.utf16.as_ref().map_or(0, |u| u.replaced)
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.head_pos < self.head.len() {
            let n = (self.head.len() - self.head_pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
            self.head_pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }

    fn fill_utf16(&mut self) -> io::Result<()> {
        let mut raw = [0u8; 16 * 1024];
        loop {
            let n = self.read_raw(&mut raw)?;
            let Some(st) = self.utf16.as_mut() else {
                return Ok(());
            };
            st.out.clear();
            st.out_pos = 0;
            if n == 0 {
                if !st.eof {
                    st.eof = true;
                    if st.odd.take().is_some() || st.high.take().is_some() {
                        st.replaced += 1;
                        push_char(&mut st.out, char::REPLACEMENT_CHARACTER);
                    }
                }
                return Ok(());
            }
            let mut bytes = &raw[..n];
            if let Some(b0) = st.odd.take() {
                let b1 = bytes[0];
                bytes = &bytes[1..];
                st.unit(b0, b1);
            }
            let mut chunks = bytes.chunks_exact(2);
            for pair in &mut chunks {
                st.unit(pair[0], pair[1]);
            }
            if let [b] = chunks.remainder() {
                st.odd = Some(*b);
            }
            if !st.out.is_empty() {
                return Ok(());
            }
        }
    }
}

impl Utf16State {
    fn unit(&mut self, b0: u8, b1: u8) {
        let u = if self.little_endian {
            u16::from_le_bytes([b0, b1])
        } else {
            u16::from_be_bytes([b0, b1])
        };
        match (self.high.take(), u) {
            (None, 0xD800..=0xDBFF) => self.high = Some(u),
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + (((h as u32) - 0xD800) << 10) + ((u as u32) - 0xDC00);
                push_char(
                    &mut self.out,
                    char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER),
                );
            }
            (Some(_), 0xD800..=0xDBFF) => {
                self.replaced += 1;
                push_char(&mut self.out, char::REPLACEMENT_CHARACTER);
                self.high = Some(u);
            }
            (prev, u) => {
                if prev.is_some() {
                    self.replaced += 1;
                    push_char(&mut self.out, char::REPLACEMENT_CHARACTER);
                }
                match char::from_u32(u as u32) {
                    Some(c) => push_char(&mut self.out, c),
                    None => {
                        self.replaced += 1;
                        push_char(&mut self.out, char::REPLACEMENT_CHARACTER);
                    }
                }
            }
        }
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut b = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.utf16.is_none() {
            return self.read_raw(buf);
        }
        loop {
            if let Some(st) = self.utf16.as_mut() {
                if st.out_pos < st.out.len() {
                    let n = (st.out.len() - st.out_pos).min(buf.len());
                    buf[..n].copy_from_slice(&st.out[st.out_pos..st.out_pos + n]);
                    st.out_pos += n;
                    return Ok(n);
                }
                if st.eof {
                    return Ok(0);
                }
            }
            self.fill_utf16()?;
        }
    }
}

/// Decide the encoding from the first bytes; returns how many BOM bytes to skip.
fn sniff(head: &[u8]) -> (Encoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Encoding::Utf8Bom, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Encoding::Utf16LeBom, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Encoding::Utf16BeBom, 2);
    }
    // UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte.
    let pairs = head.len() / 2;
    if pairs >= 4 {
        let zero_odd = head
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        let zero_even = head
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        if zero_odd * 4 >= pairs * 3 {
            return (Encoding::Utf16LeNoBom, 0);
        }
        if zero_even * 4 >= pairs * 3 {
            return (Encoding::Utf16BeNoBom, 0);
        }
    }
    (Encoding::Utf8, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (String, Encoding, u64) {
        let mut d = Decoder::new(bytes).unwrap();
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), d.encoding(), d.replaced())
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"a,b\n").0, "a,b\n");
        let (s, e, _) = decode(b"\xEF\xBB\xBFa,b\n");
        assert_eq!((s.as_str(), e), ("a,b\n", Encoding::Utf8Bom));
    }

    #[test]
    fn utf16_le_with_bom_and_astral_chars() {
        let text = "\"First Name\"\t\"Last Name\"\r\n\"Jörg 👩‍💻\"\t\"王\"\r\n".repeat(2000);
        let (s, e, r) = decode(&utf16le(&text, true));
        assert_eq!((s, e, r), (text, Encoding::Utf16LeBom, 0));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Endorsement Date\tSkill Name\n";
        let (s, e, _) = decode(&utf16le(text, false));
        assert_eq!((s.as_str(), e), (text, Encoding::Utf16LeNoBom));
    }

    #[test]
    fn broken_utf16_is_replaced_not_fatal() {
        let mut v = utf16le("abcdefgh", true);
        v.extend_from_slice(&0xD800u16.to_le_bytes()); // lone high surrogate
        v.extend_from_slice(&(b'x' as u16).to_le_bytes());
        v.push(0x41); // odd trailing byte
        let (s, _, r) = decode(&v);
        assert_eq!(s, "abcdefgh\u{fffd}x\u{fffd}");
        assert_eq!(r, 2);
    }
}
