//! The keep list: people, whole companies and position words the owner
//! never wants recommended for unlink. One entry a line: a profile URL or
//! slug, `company: Acme`, or `position: founder`; `#` starts a comment.
//! Every run reports how many connections each entry matched, and the lines
//! that matched nobody (a typo would otherwise protect no one, silently).

use crate::identity::{org_key, slug_from_url_or_slug};
use serde::Serialize;
use std::collections::HashMap;

/// What one line of the list names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Person(String),
    /// An organisation key, as `identity::org_key` makes it.
    Company(String),
    /// A word or phrase of the position, lower case.
    Position(String),
}

/// A keep list, read.
#[derive(Debug, Clone, Default)]
pub struct KeepList {
    rules: Vec<(u64, String, Rule)>,
    /// Lines that name nothing the list can hold: (line, text).
    pub unreadable: Vec<(u64, String)>,
}

/// How the list met this export, for ingest.json and the terminal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KeepReport {
    pub entries: usize,
    /// Connections the list protects.
    pub protected: usize,
    /// Entries that matched no connection: (line, text).
    pub unmatched: Vec<(u64, String)>,
    /// Lines that could not be read as an entry: (line, text).
    pub unreadable: Vec<(u64, String)>,
}

impl KeepList {
    pub fn parse(text: &str) -> KeepList {
        let mut out = KeepList::default();
        for (k, raw) in text.lines().enumerate() {
            let line = k as u64 + 1;
            let l = raw.split('#').next().unwrap_or("").trim();
            if l.is_empty() {
                continue;
            }
            let rule = match l.split_once(':') {
                Some((kind, rest)) if kind.trim().eq_ignore_ascii_case("company") => {
                    org_key(rest.trim()).map(Rule::Company)
                }
                Some((kind, rest)) if kind.trim().eq_ignore_ascii_case("position") => {
                    let w = rest.trim().to_lowercase();
                    (!w.is_empty()).then_some(Rule::Position(w))
                }
                _ => slug_from_url_or_slug(l).map(Rule::Person),
            };
            match rule {
                Some(r) => out.rules.push((line, l.to_string(), r)),
                None => out.unreadable.push((line, l.to_string())),
            }
        }
        out
    }

    /// Whether each connection is protected, given its slug, company and
    /// position; and how the list met them.
    pub fn protect<'a>(
        &self,
        people: impl Iterator<Item = (Option<&'a str>, &'a str, &'a str)>,
    ) -> (Vec<bool>, KeepReport) {
        let mut hits = vec![0usize; self.rules.len()];
        let slugs: HashMap<&str, usize> = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, (_, _, r))| match r {
                Rule::Person(s) => Some((s.as_str(), i)),
                _ => None,
            })
            .collect();
        // Most lists name people only: then no company or position is read.
        let by_fields = self
            .rules
            .iter()
            .any(|(_, _, r)| !matches!(r, Rule::Person(_)));
        let mut out = Vec::new();
        for (slug, company, position) in people {
            let mut kept = false;
            if let Some(i) = slug.and_then(|s| slugs.get(s)) {
                hits[*i] += 1;
                kept = true;
            }
            if !by_fields {
                out.push(kept);
                continue;
            }
            let org = org_key(company);
            let pos = position.to_lowercase();
            for (i, (_, _, r)) in self.rules.iter().enumerate() {
                let hit = match r {
                    Rule::Person(_) => false,
                    Rule::Company(k) => org.as_deref() == Some(k.as_str()),
                    Rule::Position(w) => contains_words(&pos, w),
                };
                if hit {
                    hits[i] += 1;
                    kept = true;
                }
            }
            out.push(kept);
        }
        let report = KeepReport {
            entries: self.rules.len(),
            protected: out.iter().filter(|k| **k).count(),
            unmatched: self
                .rules
                .iter()
                .zip(&hits)
                .filter(|(_, n)| **n == 0)
                .map(|((line, text, _), _)| (*line, text.clone()))
                .collect(),
            unreadable: self.unreadable.clone(),
        };
        (out, report)
    }
}

/// Whether `phrase` stands in `text` as whole words ("founder" in
/// "co-founder & ceo", not in "founders' fund" alone... nor "cofounder").
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_companies_and_positions_with_their_matches() {
        let k = KeepList::parse(
            "# mentors\nhttps://www.linkedin.com/in/ann-lee\nbo-ray # a slug\ncompany: Acme, Inc.\n\
             position: founder\nposition: astronaut\n%%%\n",
        );
        assert_eq!(k.unreadable, [(7, "%%%".to_string())]);
        let people = [
            (Some("ann-lee"), "Globex", "PM"),
            (None, "ACME", "Engineer"),
            (None, "Hooli", "Co-Founder & CEO"),
            (None, "Hooli", "Cofounder"),
        ];
        let (kept, r) = k.protect(people.iter().map(|(s, c, p)| (*s, *c, *p)));
        assert_eq!(kept, [true, true, true, false]);
        assert_eq!(r.entries, 5);
        assert_eq!(r.protected, 3);
        let unmatched: Vec<u64> = r.unmatched.iter().map(|(l, _)| *l).collect();
        assert_eq!(unmatched, [3, 6], "bo-ray and astronaut matched nobody");
    }
}
