//! Helpers for untrusted text from the export: whitespace folding, HTML to
//! plain text, and making text safe for a terminal or a spreadsheet.

/// Collapse runs of whitespace (LinkedIn flattens line breaks into runs of
/// spaces; some files keep real ones) into single spaces, trimmed.
pub fn flatten(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Message bodies may be HTML: drop tags, decode the common entities, fold
/// whitespace. Not a sanitiser: the result is plain text to analyse.
pub fn html_to_text(s: &str) -> String {
    if !s.contains(['<', '&']) {
        return flatten(s);
    }
    let mut out = String::with_capacity(s.len());
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

/// Strip control characters and bidirectional overrides before printing text
/// from the export to a terminal.
pub fn for_terminal(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !(c.is_control()
                || matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'))
        })
        .collect()
}

/// Neutralise a CSV cell a spreadsheet would run as a formula (OWASP): a
/// leading `=`, `+`, `-`, `@`, tab, CR, LF or NUL gets a `'` prefix. Only for
/// text cells; numbers the tool generates are written as they are.
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0') => format!("'{s}").into(),
        _ => s.into(),
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
    }

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_safe(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_safe("Ann"), "Ann");
    }

    #[test]
    fn terminal_text_loses_controls_and_bidi() {
        assert_eq!(for_terminal("a\u{1b}[31mb\u{202e}c\u{7}"), "a[31mbc");
    }
}
