//! Helpers for untrusted text from the export: whitespace folding, HTML to
//! plain text, and making text safe for a terminal or a spreadsheet.

/// Collapse runs of whitespace (LinkedIn flattens line breaks into runs of
/// spaces; some files keep real ones) into single spaces, trimmed.
pub fn flatten(s: &str) -> String {
    if is_flat(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    words(s, &mut |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        true
    });
    out
}

/// The whitespace-separated words of `s`, in order, each handed to `put`
/// until it answers `false`; whether every word was taken. [`flatten`] is
/// them joined by single spaces.
fn words(s: &str, put: &mut impl FnMut(&str) -> bool) -> bool {
    if !has_unicode_space(s) {
        // Only ASCII whitespace (9-13, 32): words found byte by byte, each
        // handed over whole (the cuts fall between whole characters).
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && ascii_space(b[i]) {
                i += 1;
            }
            let start = i;
            while i < b.len() && !ascii_space(b[i]) {
                i += 1;
            }
            if start < i && !put(&s[start..i]) {
                return false;
            }
        }
        return true;
    }
    s.split_whitespace().all(put)
}

/// Whether [`flatten`] would give `s` back unchanged (most texts, and every
/// text already flattened): its only whitespace is single ASCII spaces
/// between words. Two vectorised passes; a character is decoded only when a
/// byte that may start a non-ASCII space appears.
fn is_flat(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Two passes without early exits, which the compiler turns into SIMD:
    // two spaces in a row, and any byte that is ASCII whitespace other than
    // the space or may start a non-ASCII space. Most texts have neither.
    let double = b
        .iter()
        .zip(&b[1..])
        .fold(false, |acc, (&x, &y)| acc | ((x == b' ') & (y == b' ')));
    if double {
        return false;
    }
    let odd = b.iter().fold(false, |acc, &c| {
        acc | matches!(c, b'\t'..=b'\r' | 0xC2 | 0xE1..=0xE3)
    });
    !odd || is_flat_by_char(s)
}

/// [`is_flat`] one byte at a time, decoding a character only where a byte
/// may start a non-ASCII space.
fn is_flat_by_char(s: &str) -> bool {
    let b = s.as_bytes();
    // A space first is not flat.
    let mut after_space = true;
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else {
            if matches!(c, b'\t'..=b'\r') || unicode_space_at(s, i) {
                return false;
            }
            after_space = false;
        }
    }
    b.is_empty() || !after_space
}

/// Whether `s` holds whitespace beyond ASCII's. Every such character
/// (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
/// U+3000) starts with one of four bytes: only characters starting with them
/// are decoded.
fn has_unicode_space(s: &str) -> bool {
    !s.is_ascii() && (0..s.len()).any(|i| unicode_space_at(s, i))
}

/// Whether a non-ASCII whitespace character starts at byte `i` of `s`.
fn unicode_space_at(s: &str, i: usize) -> bool {
    matches!(s.as_bytes()[i], 0xC2 | 0xE1 | 0xE2 | 0xE3)
        && s.get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_whitespace)
}

/// ASCII's whitespace: 9 to 13 and 32, as `char::is_whitespace` has it.
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `s.trim()`, without decoding a character when `s` starts and ends with
/// ASCII that is not whitespace (nearly every cell, URL and name): cells
/// are read and keys made for every row of every file.
pub fn trim(s: &str) -> &str {
    let not_space = |b: u8| b.is_ascii() && !ascii_space(b);
    match s.as_bytes() {
        [f, .., l] if not_space(*f) && not_space(*l) => s,
        [b] if not_space(*b) => s,
        _ => s.trim(),
    }
}

/// Whether `s` has a tag or an entity to decode: `memchr2`, where
/// `str::contains` with a set of characters decodes every character.
fn has_markup(s: &str) -> bool {
    memchr::memchr2(b'<', b'&', s.as_bytes()).is_some()
}

/// [`html_to_text`] of a text already owned: given back as it is, with no
/// copy, when it holds no markup and is flat already (the common case).
pub fn html_to_text_owned(s: String) -> String {
    if !has_markup(&s) && is_flat(&s) {
        s
    } else {
        html_to_text(&s)
    }
}

/// Message bodies may be HTML: drop tags, decode the common entities, fold
/// whitespace. Not a sanitiser: the result is plain text to analyse. One
/// pass: tags go first (each leaves a space), then entities, each decoded
/// once (`&amp;lt;` is `&lt;`), then whitespace folds as in [`flatten`].
pub fn html_to_text(s: &str) -> String {
    if !has_markup(s) {
        return flatten(s);
    }
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    html_pieces(s, &mut |p| {
        out.extend_from_slice(p);
        true
    });
    // Whole characters and ASCII only went in.
    String::from_utf8(out).unwrap_or_default()
}

/// Whether [`html_to_text`] of `s` is `want`, found without building it:
/// the text is compared as it is made, so a different one (nearly every
/// message checked against an invitation note) stops at its first
/// difference.
pub fn html_text_is(s: &str, want: &str) -> bool {
    let mut rest = want.as_bytes();
    let mut eat = |p: &[u8]| match rest.strip_prefix(p) {
        Some(r) => {
            rest = r;
            true
        }
        None => false,
    };
    let all = if has_markup(s) {
        html_pieces(s, &mut eat)
    } else {
        // `flatten`: the words joined by single spaces.
        let mut first = true;
        words(s, &mut |w| {
            let apart = first || eat(b" ");
            first = false;
            apart && eat(w.as_bytes())
        })
    };
    all && rest.is_empty()
}

/// Whether [`html_to_text`] of a cell's bytes, read as `Row::get` reads
/// them (ASCII spaces trimmed, lossy, trimmed), is surely not `want`, told
/// from the cell's first bytes: while those are printable ASCII other than
/// `<` and `&`, with single spaces between, the text starts with those very
/// bytes. `false` means only that this test cannot tell; the few dozen
/// instructions it takes spare most messages compared with an invitation
/// note their decoding and [`html_text_is`].
pub fn html_text_surely_differs(raw: &[u8], want: &str) -> bool {
    let (raw, want) = (raw.trim_ascii(), want.as_bytes());
    let plain = |c: u8| c.is_ascii_graphic() && c != b'<' && c != b'&';
    for (i, &c) in raw.iter().enumerate() {
        let next_plain = || raw.get(i + 1).is_some_and(|&n| plain(n));
        if !(plain(c) || (c == b' ' && next_plain())) {
            return false;
        }
        if want.get(i) != Some(&c) {
            return true;
        }
    }
    // Plain throughout: the text is the cell itself.
    want.len() != raw.len()
}

/// The entities the HTML reader decodes (a no-break space reads as a space).
const ENTITIES: &[(&[u8], char)] = &[
    (b"&nbsp;", ' '),
    (b"&lt;", '<'),
    (b"&gt;", '>'),
    (b"&quot;", '"'),
    (b"&#39;", '\''),
    (b"&#x27;", '\''),
    (b"&amp;", '&'),
];

/// The known entity at `b[i]` (an `&`), if any: one ends at the next tag at
/// the latest.
fn entity_at(b: &[u8], i: usize) -> Option<&'static (&'static [u8], char)> {
    let upto = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |t| i + t);
    ENTITIES.iter().find(|(e, _)| b[i..upto].starts_with(e))
}

/// Where a run of other ASCII from `i` ends: single spaces between its
/// words are part of it (they come out as they are); it stops at the next
/// byte a rule looks at.
fn ascii_run_end(b: &[u8], mut i: usize) -> usize {
    let plain = |c: u8| c < 0x80 && !matches!(c, b'<' | b'&') && !ascii_space(c);
    loop {
        match b.get(i) {
            Some(&c) if plain(c) => i += 1,
            Some(b' ') if b.get(i + 1).is_some_and(|&c| plain(c)) => i += 2,
            _ => return i,
        }
    }
}

/// [`html_to_text`] of a text with markup, handed to `put` a piece at a
/// time (whole characters, single spaces between words) until it answers
/// `false`; whether every piece was taken.
fn html_pieces(s: &str, put: &mut impl FnMut(&[u8]) -> bool) -> bool {
    // Byte by byte: every byte the rules look at is ASCII, and any other
    // character is handed over whole (whitespace checked only where it can
    // be, as in `flatten`).
    let b = s.as_bytes();
    // A space is owed before the next piece (never before the first).
    let (mut space, mut started) = (false, false);
    let mut emit = |space: &mut bool, bytes: &[u8]| {
        let go = !(*space && started) || put(b" ");
        *space = false;
        started = true;
        go && put(bytes)
    };
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let go = match c {
            // A tag leaves a space and ends at the next `>` (or never).
            b'<' => {
                space = true;
                match memchr::memchr(b'>', &b[i + 1..]) {
                    Some(k) => i += k + 2,
                    None => break,
                }
                true
            }
            b'&' => match entity_at(b, i) {
                Some((e, ' ')) => {
                    space = true;
                    i += e.len();
                    true
                }
                Some((e, d)) => {
                    i += e.len();
                    emit(&mut space, &[*d as u8])
                }
                None => {
                    i += 1;
                    emit(&mut space, b"&")
                }
            },
            c if ascii_space(c) => {
                space = true;
                i += 1;
                true
            }
            0..=0x7F => {
                let start = i;
                i = ascii_run_end(b, i + 1);
                emit(&mut space, &b[start..i])
            }
            _ => {
                let len = match c {
                    0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
                let end = (i + len).min(b.len());
                let go = if unicode_space_at(s, i) {
                    space = true;
                    true
                } else {
                    emit(&mut space, &b[i..end])
                };
                i = end;
                go
            }
        };
        if !go {
            return false;
        }
    }
    true
}

/// Whether [`html_to_text`] of a cell's raw bytes gives some text, found
/// without building it or reading the bytes as text: a character outside
/// tags that is not whitespace, `&nbsp;` being whitespace (any other entity,
/// or a bare `&`, gives a visible character). Mostly the first byte outside
/// tags decides; a character beyond ASCII is decoded where one is met.
/// Exact for UTF-8; bytes that are not UTF-8 where one is met answer
/// `false` (never text where there is none).
pub fn html_surely_has_text(b: &[u8]) -> bool {
    let mut in_tag = false;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let mut step = 1;
        match (in_tag, c) {
            (true, b'>') => in_tag = false,
            (true, _) => {}
            (false, b'<') => in_tag = true,
            (false, b'&') if b[i..].starts_with(b"&nbsp;") => step = b"&nbsp;".len(),
            (false, 0..=0x7F) => {
                if !ascii_space(c) {
                    return true;
                }
            }
            // Outside tags, a byte beyond ASCII starts a character.
            (false, _) => {
                step = match c {
                    0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
                let one = b.get(i..i + step).and_then(|t| std::str::from_utf8(t).ok());
                match one.and_then(|t| t.chars().next()) {
                    Some(ch) if ch.is_whitespace() => {}
                    Some(_) => return true,
                    None => return false,
                }
            }
        }
        i += step;
    }
    false
}

/// Strip control characters and bidirectional overrides before printing text
/// from the export to a terminal.
pub fn for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter(|c| terminal_safe(*c)));
    out
}

/// A rendered page without the bidirectional overrides and control
/// characters export text may carry (a name that reverses the text after
/// it); our own markup holds none, and line breaks and tabs stay.
pub fn page_safe(page: String) -> String {
    let keep = |c: char| terminal_safe(c) || c == '\n' || c == '\t';
    if page.chars().all(keep) {
        return page;
    }
    page.chars().filter(|c| keep(*c)).collect()
}

/// Whether [`for_terminal`] keeps `c`: not a control character or a
/// bidirectional override.
pub fn terminal_safe(c: char) -> bool {
    !(c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'))
}

/// Neutralise a CSV cell a spreadsheet would run as a formula (OWASP): a
/// leading `=`, `+`, `-`, `@`, tab, CR, LF or NUL gets a `'` prefix. Only for
/// text cells; numbers the tool generates are written as they are.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(&b) if starts_formula(b) => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Whether a cell whose first byte is `b` would start a spreadsheet formula.
/// Every character that does is ASCII, so the first byte says.
pub fn starts_formula(b: u8) -> bool {
    matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n' | b'\0')
}

/// `n`'s decimal digits, in `digits[at..]`: an integer as `Display` writes
/// it, without the formatting machinery.
pub fn decimal(mut n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return (digits, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_become_text() {
        assert_eq!(
            html_to_text("<p>Hi&nbsp;Ann,</p><br/>Tom &amp; Jerry"),
            "Hi Ann, Tom & Jerry"
        );
        assert_eq!(html_to_text("plain   text\n\nhere"), "plain text here");
        assert_eq!(
            html_to_text("&amp;lt; &l<b>t; &am<i>p; <a href=x>é</a>"),
            "&lt; &l t; &am p; é"
        );
        assert_eq!(html_to_text("  <p> x </p>  "), "x");
    }

    #[test]
    fn formulas_are_neutralised() {
        for s in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "\nx",
            "\0x",
        ] {
            assert!(csv_safe(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_safe("Ann"), "Ann");
        assert_eq!(csv_safe("é=1"), "é=1");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn terminal_text_loses_controls_and_bidi() {
        assert_eq!(for_terminal("a\u{1b}[31mb\u{202e}c\u{7}"), "a[31mbc");
    }

    /// The plain multi-pass definition the one-pass version must match.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match (in_tag, c) {
                (false, '<') => {
                    in_tag = true;
                    out.push(' ');
                }
                (true, '>') => in_tag = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        let decoded = out
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        flatten(&decoded)
    }

    /// The premise of `flatten`'s byte path, over every character.
    #[test]
    fn non_ascii_whitespace_starts_with_the_listed_bytes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() && !c.is_ascii() {
                let mut b = [0; 4];
                let lead = c.encode_utf8(&mut b).as_bytes()[0];
                assert!(matches!(lead, 0xC2 | 0xE1 | 0xE2 | 0xE3), "{c:?}");
            }
        }
    }

    proptest::proptest! {
        /// The quick trim is `str::trim`, spaces of every kind at either end.
        #[test]
        fn trim_is_str_trim(s in "[ \t\x0b\r\n\u{a0}\u{85}\u{3000}a-zé,]{0,12}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn one_pass_html_matches_the_definition(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "&", "amp;", "&amp;", "&lt;", "lt;", "&nbsp;", "&#39;", "&#x27;", "&quot;", "&gt;",
                "<", ">", "<p>", "</p>", " ", "\n", "\u{a0}", "é", "x", ";", "#",
                "\u{2003}", "\u{3000}", "中", "\u{1f33b}", "\t", "\r", "\u{85}", "Π", "&#x27",
            ]), 0..24)
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(html_to_text(&s), reference(&s));
            proptest::prop_assert_eq!(html_to_text_owned(s.clone()), reference(&s));
        }

        /// Comparing with the text as it is made is comparing with the
        /// text made: for the text itself, a start of it, and each of those
        /// with something more.
        #[test]
        fn text_is_compares_with_the_text(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "&", "amp;", "&amp;", "&lt;", "&nbsp;", "&#39;", "<", ">", "<p>", "</p>",
                " ", "\n", "\u{a0}", "\u{3000}", "é", "x", "y", ";", "中",
            ]), 0..20),
            cut in 0usize..40,
            more in proptest::sample::select(vec!["", "x", " ", " x", "é", "&"]),
        ) {
            let s: String = parts.concat();
            let text = html_to_text(&s);
            proptest::prop_assert!(html_text_is(&s, &text));
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            for want in [format!("{}{more}", &text[..at]), format!("{text}{more}")] {
                proptest::prop_assert_eq!(html_text_is(&s, &want), text == want, "{:?}", want);
            }
        }

        /// The quick difference test never answers "differs" for the
        /// cell's own text (as `Row::get` reads the bytes, then converted);
        /// where it does answer so, the texts differ.
        #[test]
        fn surely_differs_only_when_it_does(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "&", "&amp;", "&lt;", "&nbsp;", "<", ">", "<p>", " ", "  ", "\n", "\t",
                "\u{a0}", "\u{3000}", "é", "x", "y", "Hi", ";", "中", "\u{ff}",
            ]), 0..16),
            bad in proptest::option::of(0usize..20),
            cut in 0usize..40,
            more in proptest::sample::select(vec!["", "x", " ", " x", "é", "&", "<"]),
        ) {
            let mut raw = parts.concat().into_bytes();
            if let Some(at) = bad {
                raw.insert(at.min(raw.len()), 0xFF);
            }
            let read = String::from_utf8_lossy(raw.trim_ascii()).trim().to_string();
            let text = html_to_text(&read);
            proptest::prop_assert!(!html_text_surely_differs(&raw, &text));
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            for want in [format!("{}{more}", &text[..at]), format!("{more}{text}")] {
                if html_text_surely_differs(&raw, &want) {
                    proptest::prop_assert_ne!(&text, &want);
                }
            }
        }

        /// The quick test is the conversion's answer, `&nbsp;` and
        /// characters beyond ASCII (spaces among them) included.
        #[test]
        fn surely_has_text_is_exact(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "&", "amp;", "&amp;", "&lt;", "&nbsp;", "nbsp;", "&#39;", "<", ">", "<p>", "</p>",
                " ", "\n", "\u{a0}", "\u{3000}", "é", "中", "x", ";",
            ]), 0..16)
        ) {
            let s: String = parts.concat();
            let has = !html_to_text(&s).is_empty();
            proptest::prop_assert_eq!(html_surely_has_text(s.as_bytes()), has);
        }

        /// The vectorised flatness test is the byte-by-byte one.
        #[test]
        fn is_flat_is_the_byte_by_byte_test(
            s in "[a-z \t\n\r\u{85}\u{a0}\u{2003}\u{3000}€–éΠ中🌻]{0,40}"
        ) {
            proptest::prop_assert_eq!(is_flat(&s), is_flat_by_char(&s));
        }

        /// Flattening is joining the whitespace-separated words, whatever
        /// path the text takes.
        #[test]
        fn flatten_joins_the_words(
            s in "[ -~\t\n\r\x0b\x0c\x1c-\x1f\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}-\u{202f}\u{205f}\u{3000}éΠя€中]{0,40}"
        ) {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(flatten(&s), words.join(" "));
        }

        /// Texts that are flat already, or nearly (a space too many, a
        /// non-ASCII space inside a word), come back as the words joined.
        #[test]
        fn flatten_of_nearly_flat_text(
            words in proptest::collection::vec("[a-zéΠя€中🌻\u{a0}\u{2009}\t]{1,8}", 0..6),
            sep in proptest::sample::select(vec![" ", "  ", "\u{3000}"]),
            edge in proptest::sample::select(vec!["", " "]),
        ) {
            let s = format!("{edge}{}{edge}", words.join(sep));
            let want: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(flatten(&s), want.join(" "));
        }
    }
}
