//! The owner's own decisions: only the owner can answer "would I introduce
//! this person to someone I know?". Read from `decisions.csv` (profile_url,
//! name, decision, decided_on, comment) or from an edited connections.csv of
//! an earlier audit (its `your_decision` column), matched onto connections by
//! profile slug, or by name key where the export has no URLs, and applied
//! over the tool's verdicts. Decisions about people no longer in the export
//! are kept and reported, never dropped.

use crate::identity::{full_name_key, name_key, slug_from_url_or_slug};
use crate::labels::Label;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// What the owner decided about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Keep,
    Unlink,
}

/// One decision, as the file states it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The file's line (the header is line 1).
    pub line: u64,
    pub slug: Option<String>,
    #[serde(skip)]
    pub name_key: Option<String>,
    pub name: String,
    pub choice: Choice,
    pub decided_on: Option<NaiveDate>,
    pub comment: String,
}

/// A decisions file, read.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    pub entries: Vec<Entry>,
    /// Rows that hold a decision the tool cannot use: (line, why).
    pub skipped: Vec<(u64, String)>,
}

impl Decisions {
    /// The latest row about each person, in the order people first appear.
    pub fn latest(&self) -> Vec<&Entry> {
        let mut latest: Vec<&Entry> = Vec::new();
        let mut seen: HashMap<(Option<&str>, Option<&str>), usize> = HashMap::new();
        for e in &self.entries {
            let id = (e.slug.as_deref(), e.name_key.as_deref());
            match seen.get(&id) {
                Some(&k) => latest[k] = e,
                None => {
                    seen.insert(id, latest.len());
                    latest.push(e);
                }
            }
        }
        latest
    }
}

/// Read a decisions file: `decisions.csv`, or a connections.csv of an
/// earlier audit whose `your_decision` column the owner filled in. Rows with
/// no decision are no decision; a later row about the same person wins.
pub fn parse(text: &str) -> Result<Decisions, String> {
    let text = text.trim_start_matches('\u{feff}');
    // A spreadsheet saved in a European locale separates with `;`.
    let head_line = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| head_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let head: Vec<String> = r
        .headers()
        .map_err(|e| format!("cannot read the header: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let cols = Columns::find(&head)?;
    let mut out = Decisions::default();
    for (k, rec) in r.records().enumerate() {
        let line = k as u64 + 2;
        let entry = rec
            .map_err(|e| format!("unreadable row: {e}"))
            .and_then(|rec| cols.entry(&rec, line));
        match entry {
            Ok(Some(e)) => out.entries.push(e),
            Ok(None) => {}
            Err(why) => out.skipped.push((line, why)),
        }
    }
    Ok(out)
}

/// Where a decisions file keeps what it says.
struct Columns {
    decision: usize,
    url: Option<usize>,
    name: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    on: Option<usize>,
    comment: Option<usize>,
}

impl Columns {
    /// The columns of `head` (trimmed, lower case), or why it is no
    /// decisions file.
    fn find(head: &[String]) -> Result<Columns, String> {
        let col = |names: &[&str]| names.iter().find_map(|n| head.iter().position(|h| h == n));
        // An audit's connections.csv has the tool's `decision` too: the
        // owner's is `your_decision`.
        let decision = col(&["your_decision", "decision"])
            .ok_or("no `decision` or `your_decision` column: expected profile_url,name,decision,decided_on,comment")?;
        let cols = Columns {
            decision,
            url: col(&["profile_url", "url"]),
            name: col(&["name"]),
            first: col(&["first_name"]),
            last: col(&["last_name"]),
            on: col(&["decided_on"]),
            comment: col(&["comment"]),
        };
        if cols.url.is_none() && cols.name.is_none() && cols.first.is_none() {
            return Err("no `profile_url` or `name` column to say whom a decision is about".into());
        }
        Ok(cols)
    }

    /// One row's decision; `None` for a row that decides nothing, or why
    /// the row is skipped.
    fn entry(&self, rec: &csv::StringRecord, line: u64) -> Result<Option<Entry>, String> {
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        let said = get(Some(self.decision)).to_lowercase();
        if said.is_empty() {
            return Ok(None);
        }
        let Some(choice) = Choice::parse(&said) else {
            return Err(format!(
                "decision {:?} is neither keep nor unlink",
                crate::text::for_terminal(&said)
            ));
        };
        let full = match self.name {
            Some(_) => get(self.name).to_string(),
            None => format!("{} {}", get(self.first), get(self.last))
                .trim()
                .to_string(),
        };
        // A URL, or a bare slug as the keep list takes it.
        let slug = slug_from_url_or_slug(get(self.url));
        let key = match (self.name, self.first) {
            (Some(_), _) => full_name_key(&full),
            (None, Some(_)) => name_key(get(self.first), get(self.last)),
            _ => None,
        };
        if slug.is_none() && key.is_none() {
            return Err("no profile URL and no name".into());
        }
        // The date is optional: one that does not read as YYYY-MM-DD is
        // left out and the decision still used.
        let decided_on = NaiveDate::parse_from_str(get(self.on), "%Y-%m-%d").ok();
        Ok(Some(Entry {
            line,
            slug,
            name_key: key,
            name: full,
            choice,
            decided_on,
            comment: get(self.comment).to_string(),
        }))
    }
}

/// How the decisions met the export, for ingest.json and the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Matched {
    /// Decisions in the file (the latest per person).
    pub decisions: usize,
    /// Of those, about a connection of this export.
    pub matched: usize,
    /// Matched by name, for want of a profile URL on one side.
    pub by_name: usize,
    /// About people not in this export: kept in the file, listed here.
    pub absent: Vec<Entry>,
    /// Named the same as two connections or more: applied to none.
    pub ambiguous: Vec<Entry>,
    /// Rows not used, with their line and why.
    pub skipped: Vec<(u64, String)>,
    /// Where the tool's own view already matched yours.
    pub agreed: usize,
}

/// For each connection, the owner's decision about them, if any: by slug,
/// else by a name key only one connection has. The latest row about a
/// person wins.
pub fn match_onto(
    d: &Decisions,
    slugs: &[Option<&str>],
    keys: &[Option<&str>],
) -> (Vec<Option<Entry>>, Matched) {
    let mut by_slug: HashMap<&str, usize> = HashMap::new();
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in slugs.iter().enumerate() {
        if let Some(s) = s {
            by_slug.insert(s, i);
        }
    }
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k {
            by_key.entry(k).or_default().push(i);
        }
    }
    let mut out: Vec<Option<Entry>> = vec![None; slugs.len()];
    let mut m = Matched {
        skipped: d.skipped.clone(),
        ..Matched::default()
    };
    let latest = d.latest();
    m.decisions = latest.len();
    for e in latest {
        let hit = match e.slug.as_deref().and_then(|s| by_slug.get(s)) {
            Some(&i) => Some((i, false)),
            None => match e.name_key.as_deref().and_then(|k| by_key.get(k)) {
                Some(v) if v.len() == 1 => Some((v[0], true)),
                Some(_) => {
                    m.ambiguous.push(e.clone());
                    continue;
                }
                None => None,
            },
        };
        match hit {
            Some((i, by_name)) => {
                m.matched += 1;
                m.by_name += usize::from(by_name);
                out[i] = Some(e.clone());
            }
            None => m.absent.push(e.clone()),
        }
    }
    (out, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decisions_file_reads_with_its_problems_counted() {
        let d = parse(
            "profile_url,name,decision,decided_on,comment\n\
             https://www.linkedin.com/in/ann-lee,Ann Lee,keep,2026-12-01,met at PyCon\n\
             ,\"Obi, MBA Ada\",Unlink,,\n\
             https://www.linkedin.com/in/x,X,maybe,,\n\
             ,,keep,,\n\
             https://www.linkedin.com/in/y,Y,keep,01/12/26,\n\
             https://www.linkedin.com/in/z,Z,,,\n\
             bare-slug,,unlink,,\n",
        )
        .unwrap();
        assert_eq!(
            d.entries.len(),
            4,
            "a date that does not read leaves the decision"
        );
        assert_eq!(d.entries[2].decided_on, None);
        assert_eq!(d.entries[3].slug.as_deref(), Some("bare-slug"));
        assert_eq!(d.entries[0].slug.as_deref(), Some("ann-lee"));
        assert_eq!(
            d.entries[0].decided_on,
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(d.entries[1].choice, Choice::Unlink);
        assert!(d.entries[1].name_key.is_some());
        let lines: Vec<u64> = d.skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [4, 5]);
        let semi =
            parse("profile_url;name;decision\nhttps://www.linkedin.com/in/a;\"Lee; Ann\";keep\n")
                .unwrap();
        assert_eq!(semi.entries.len(), 1, "a semicolon-separated save reads");
    }

    #[test]
    fn an_edited_connections_csv_uses_your_decision_not_the_tools() {
        let d = parse(
            "profile_url,first_name,last_name,decision,your_decision\n\
             https://www.linkedin.com/in/a,Ann,Lee,unlink,keep\n\
             https://www.linkedin.com/in/b,Bo,Ray,unlink,\n",
        )
        .unwrap();
        assert_eq!(d.entries.len(), 1);
        assert_eq!(d.entries[0].choice, Choice::Keep);
        assert_eq!(d.entries[0].name, "Ann Lee");
    }

    #[test]
    fn decisions_match_by_slug_then_by_a_unique_name() {
        let d = parse(
            "profile_url,name,decision\n\
             https://www.linkedin.com/in/a,Ann Lee,keep\n\
             ,Bo Ray,unlink\n\
             ,Sam Lee,keep\n\
             ,Gone Person,keep\n\
             https://www.linkedin.com/in/a,Ann Lee,unlink\n",
        )
        .unwrap();
        let slugs = [Some("a"), None, None, None];
        let keys = [
            Some("ann lee"),
            Some("bo ray"),
            Some("sam lee"),
            Some("sam lee"),
        ];
        let (per, m) = match_onto(&d, &slugs, &keys);
        assert_eq!(
            per[0].as_ref().map(|e| e.choice),
            Some(Choice::Unlink),
            "the later row wins"
        );
        assert_eq!(per[1].as_ref().map(|e| e.choice), Some(Choice::Unlink));
        assert!(per[2].is_none() && per[3].is_none());
        assert_eq!((m.decisions, m.matched, m.by_name), (4, 2, 1));
        assert_eq!(m.ambiguous.len(), 1);
        assert_eq!(m.absent[0].name, "Gone Person");
    }
}
