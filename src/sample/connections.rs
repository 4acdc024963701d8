//! Connections.csv: preamble, newest first, phantom rows, no final newline.

use super::line;
use super::people::Person;
use std::fmt::Write as _;

const HEAD: &str = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n";

/// The people, newest first as given; a phantom row (only a date) before
/// every 83rd from the 42nd.
pub(super) fn connections(people: &[Person]) -> String {
    let mut rows = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if i % 83 == 41 {
            rows.push(format!(",,,,,,{}", p.connected.format("%d %b %Y")));
        }
        let url = format!("https://www.linkedin.com/in/{}", pct_encode(&p.slug));
        rows.push(line(&[
            &format!("{} ", p.first),
            &p.last,
            &url,
            &p.email,
            &p.company,
            &p.position,
            &p.connected.format("%d %b %Y").to_string(),
        ]));
    }
    let mut conn = String::from(HEAD);
    conn.push_str(&rows.join("\n"));
    conn
}

/// Percent-encode a slug as Connections.csv does (upper-case hex, non-ASCII only).
fn pct_encode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii() {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}
