//! Age an export by some months (`tieaudit sample --evolve FROM --months N`):
//! the same owner's export as it would look later, with every kind of change
//! a comparison reports, so `audit --previous` can be tested against known
//! changes. Deterministic for a seed. Works on any export the tool reads (the
//! files it reads are carried over; others are left out), and never changes
//! FROM.
//!
//! What happens in the months between:
//! - some recommended unlinks are done (the connection is gone);
//! - some people change jobs (company and position);
//! - a few profile addresses change (Connections.csv and messages.csv);
//! - some connections get a new two-way exchange of messages;
//! - pending invitations resolve: some accepted (a new connection), some
//!   withdrawn or ignored (the row is gone), the rest still pending;
//! - new people connect, half of them after your invitation with a note;
//! - strangers send new invitations;
//! - invitations older than a year fall out of Invitations.csv, as LinkedIn's
//!   own window does.

use crate::audit::{self, Config};
use crate::error::{Error, Result};
use crate::identity::slug_from_url;
use crate::ingest::{self, Direction, source::FileKind, source::Source};
use crate::judge::Decision;
use crate::sample::{EVENTS, FIRST, LAST, OTHER_COMPANIES, POSITIONS, Rng, inv_date};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Options {
    pub months: u32,
    pub seed: u64,
    /// Blank Connections.csv's URL column, as exports of 2020 to 2022 have it.
    pub no_urls: bool,
}

/// What was changed, by kind: what a comparison of FROM and the aged
/// export should find.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Applied {
    pub as_of_before: Option<NaiveDate>,
    pub as_of_after: Option<NaiveDate>,
    /// Unlink candidates removed.
    pub pruned: usize,
    /// Other connections removed (none: kept for the totals).
    pub removed_other: usize,
    pub job_changes: usize,
    pub slug_changes: usize,
    /// Connections with a new two-way exchange.
    pub new_exchanges: usize,
    pub invitations_accepted: usize,
    pub invitations_withdrawn: usize,
    /// Invitations that fell out of the one-year window.
    pub invitations_aged_out: usize,
    pub new_connections: usize,
    pub new_invitations: usize,
}

/// The most months an export can be aged at once.
pub const MAX_MONTHS: u32 = 120;

/// One CSV of the export: lines before the header kept as they were, the
/// header, and the records.
struct Table {
    preamble: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Each record's line in the file (for joining with what ingest read).
    lines: Vec<u64>,
}

impl Table {
    fn parse(name: &str, text: &str, header_starts: &str) -> Result<Table> {
        let text = text.trim_start_matches('\u{feff}');
        // The header is the first line starting with `header_starts` (a
        // preamble of notes may come before it).
        let mut at = 0;
        let mut skipped_lines = 0u64;
        for l in text.split_inclusive('\n') {
            if l.trim_start().to_lowercase().starts_with(header_starts) {
                break;
            }
            at += l.len();
            skipped_lines += 1;
        }
        if at >= text.len() {
            return Err(Error::Read {
                file: name.into(),
                reason: format!("no header starting with {header_starts:?}"),
            });
        }
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text[at..].as_bytes());
        let header = r
            .headers()
            .map_err(|e| Error::Read {
                file: name.into(),
                reason: e.to_string(),
            })?
            .iter()
            .map(str::to_string)
            .collect();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        for rec in r.records() {
            let rec = rec.map_err(|e| Error::Read {
                file: name.into(),
                reason: e.to_string(),
            })?;
            lines.push(rec.position().map_or(0, |p| p.line()) + skipped_lines);
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table {
            preamble: text[..at].to_string(),
            header,
            rows,
            lines,
        })
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.col(name)
            .and_then(|c| row.get(c))
            .map_or("", String::as_str)
    }

    fn set(&self, row: &mut Vec<String>, name: &str, value: String) {
        if let Some(c) = self.col(name) {
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = value;
        }
    }

    /// A new row with these columns set, the rest empty.
    fn row(&self, cells: &[(&str, String)]) -> Vec<String> {
        let mut r = vec![String::new(); self.header.len()];
        for (k, v) in cells {
            self.set(&mut r, k, v.clone());
        }
        r
    }

    fn bytes(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(self.preamble.clone().into_bytes());
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r);
        }
        w.into_inner().unwrap_or_default()
    }
}

/// Connections.csv's date in the form the export uses.
fn conn_date(d: NaiveDate, like: &str) -> String {
    if NaiveDate::parse_from_str(like, "%m/%d/%y").is_ok() {
        d.format("%m/%d/%y").to_string()
    } else {
        d.format("%d %b %Y").to_string()
    }
}

/// Replace a profile address in free text, only where it ends (so
/// `/in/ada` does not touch `/in/ada-2`).
fn replace_slug(text: &str, old: &str, new: &str) -> String {
    let needle = format!("/in/{old}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&needle) {
        let end = i + needle.len();
        let next = rest[end..].chars().next();
        out.push_str(&rest[..i]);
        if next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '%') {
            out.push_str(&needle);
        } else {
            out.push_str(&format!("/in/{new}"));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The aged export's files, and what was changed.
pub fn evolve(from: &Path, opts: &Options) -> Result<(Vec<(String, Vec<u8>)>, Applied)> {
    if opts.months == 0 || opts.months > MAX_MONTHS {
        return Err(Error::Usage(format!(
            "--months {}: from 1 to {MAX_MONTHS}",
            opts.months
        )));
    }
    let src = Source::open(from)?;
    let mut files: Vec<(String, FileKind, Vec<u8>)> = Vec::new();
    for m in &src.members {
        let bytes = src.with_member(m, |r| {
            let mut v = Vec::new();
            r.read_to_end(&mut v).map_err(|e| Error::Read {
                file: m.name.clone(),
                reason: e.to_string(),
            })?;
            Ok(v)
        })?;
        files.push((m.name.clone(), m.kind, bytes));
    }
    let mut t = ingest::Timings::new();
    let ex = ingest::ingest_source(&src, &mut t)?;
    let cfg = Config {
        export: from.to_path_buf(),
        out: Default::default(),
        policy: Default::default(),
        keep: Default::default(),
        as_of: None,
        excel: false,
        redact: Default::default(),
        decisions: None,
        decisions_from: None,
        previous: Vec::new(),
    };
    let j = audit::judge(ex, &cfg, &mut t)?;
    let then = j.scope.as_of;
    let now = then + Duration::days(i64::from(opts.months) * 30 + opts.months as i64 * 44 / 100);
    let mut rng = Rng(opts.seed ^ 0x6576_6f6c_7665);
    let mut applied = Applied {
        as_of_before: Some(then),
        as_of_after: Some(now),
        ..Applied::default()
    };
    let text = |kind: FileKind| -> Option<(usize, String)> {
        files
            .iter()
            .position(|f| f.1 == kind)
            .map(|i| (i, String::from_utf8_lossy(&files[i].2).into_owned()))
    };
    let (ci, ctext) = text(FileKind::Connections).ok_or_else(|| Error::NoConnections {
        path: from.to_path_buf(),
        seen: "none".into(),
    })?;
    let mut conns = Table::parse(&files[ci].0, &ctext, "first name")?;
    let mut invs = match text(FileKind::Invitations) {
        Some((i, s)) => Some((i, Table::parse(&files[i].0, &s, "from")?)),
        None => None,
    };
    let mut msgs = match text(FileKind::Messages) {
        Some((i, s)) => Table::parse(&files[i].0, &s, "conversation id")
            .ok()
            .map(|t| (i, s, t)),
        None => None,
    };
    let owner = &j.ex.owner;
    let owner_name = format!("{} {}", owner.first_name, owner.last_name)
        .trim()
        .to_string();
    let owner_url = owner
        .slug
        .as_deref()
        .map(|s| format!("https://www.linkedin.com/in/{s}"))
        .unwrap_or_default();
    let like = conns
        .rows
        .first()
        .map(|r| conns.get(r, "Connected On").to_string())
        .unwrap_or_default();
    let in_window = |rng: &mut Rng| rng.when(then + Duration::days(1), now);

    // What the tool recommended, by the line of the row in Connections.csv.
    let unlink_lines: HashSet<u64> =
        j.ex.connections
            .iter()
            .zip(&j.verdicts)
            .filter(|(_, v)| v.decision == Decision::Unlink)
            .map(|(c, _)| c.line)
            .collect();

    // Pruning: most recommended unlinks are done.
    let mut keep_rows = Vec::with_capacity(conns.rows.len());
    let mut keep_lines = Vec::with_capacity(conns.rows.len());
    for (r, l) in conns.rows.drain(..).zip(conns.lines.drain(..)) {
        if unlink_lines.contains(&l) && rng.chance(0.6) {
            applied.pruned += 1;
        } else {
            keep_rows.push(r);
            keep_lines.push(l);
        }
    }
    conns.rows = keep_rows;
    conns.lines = keep_lines;

    // Job changes and changed addresses, never both for one person.
    let companies: Vec<String> = {
        let mut c: Vec<String> = conns
            .rows
            .iter()
            .map(|r| conns.get(r, "Company").to_string())
            .filter(|c| !c.is_empty())
            .collect();
        c.sort();
        c.dedup();
        c.extend(OTHER_COMPANIES.iter().map(|s| s.to_string()));
        c
    };
    let mut slug_moves: Vec<(String, String)> = Vec::new();
    let slug_quota = 3.min(conns.rows.len() / 20);
    for k in 0..conns.rows.len() {
        let r = &conns.rows[k];
        // A phantom row (no name) is no person: it changes no job.
        if format!(
            "{}{}",
            conns.get(r, "First Name"),
            conns.get(r, "Last Name")
        )
        .trim()
        .is_empty()
        {
            continue;
        }
        let url = conns.get(r, "URL").to_string();
        if slug_moves.len() < slug_quota
            && rng.chance(0.05)
            && let Some(old) = slug_from_url(&url).filter(|s| s.is_ascii())
        {
            let new = format!("{}-{:04x}", old, rng.below(1 << 16));
            let new_url = replace_slug(&url, &old, &new);
            let mut row = conns.rows[k].clone();
            conns.set(&mut row, "URL", new_url);
            conns.rows[k] = row;
            slug_moves.push((old, new));
            applied.slug_changes += 1;
        } else if rng.chance(0.06) {
            let mut row = conns.rows[k].clone();
            let company = conns.get(&row, "Company").to_string();
            let next = companies
                .iter()
                .filter(|c| **c != company)
                .nth(rng.below(companies.len().saturating_sub(1).max(1) as u64) as usize)
                .cloned()
                .unwrap_or_else(|| "Example Ventures".into());
            conns.set(&mut row, "Company", next);
            conns.set(&mut row, "Position", rng.pick(POSITIONS).to_string());
            conns.rows[k] = row;
            applied.job_changes += 1;
        }
    }

    // New two-way exchanges with some of those still connected.
    let mut conv = 0u32;
    let message = |msgs: &mut Option<(usize, String, Table)>,
                   at: NaiveDateTime,
                   from_owner: bool,
                   name: &str,
                   url: &str,
                   conv_id: &str,
                   content: &str| {
        if let Some((_, _, t)) = msgs {
            let (f, fu, to, tu) = if from_owner {
                (owner_name.as_str(), owner_url.as_str(), name, url)
            } else {
                (name, url, owner_name.as_str(), owner_url.as_str())
            };
            let row = t.row(&[
                ("CONVERSATION ID", conv_id.to_string()),
                ("FROM", f.to_string()),
                ("SENDER PROFILE URL", fu.to_string()),
                ("TO", to.to_string()),
                ("RECIPIENT PROFILE URLS", tu.to_string()),
                ("DATE", format!("{} UTC", at.format("%Y-%m-%d %H:%M:%S"))),
                ("CONTENT", content.to_string()),
                ("FOLDER", "INBOX".to_string()),
                ("IS MESSAGE DRAFT", "No".to_string()),
            ]);
            t.rows.push(row);
        }
    };
    if msgs.is_some() && owner.slug.is_some() {
        for k in 0..conns.rows.len() {
            if !rng.chance(0.08) {
                continue;
            }
            let r = &conns.rows[k];
            let name = format!(
                "{} {}",
                conns.get(r, "First Name"),
                conns.get(r, "Last Name")
            );
            let url = conns.get(r, "URL").to_string();
            if url.is_empty() {
                continue;
            }
            conv += 1;
            let id = format!("evolved-{:08x}-{conv}", crate::sample::fnv(&url));
            let first = in_window(&mut rng);
            let second = (first + Duration::days(1 + rng.below(20) as i64))
                .min(now.and_hms_opt(12, 0, 0).unwrap_or_default());
            message(
                &mut msgs,
                first,
                true,
                &name,
                &url,
                &id,
                "Good to see your news. How is the new project going? Coffee soon?",
            );
            message(
                &mut msgs,
                second,
                false,
                &name,
                &url,
                &id,
                "Thanks! Going well, busy months. Yes, let us find a date next week.",
            );
            applied.new_exchanges += 1;
        }
    }

    // Pending invitations resolve; old rows fall out of the window.
    let pending: BTreeMap<u64, Direction> = j
        .joined
        .invitations
        .iter()
        .zip(&j.inv_verdicts)
        .filter(|(f, v)| !v.accepted && !f.superseded)
        .map(|(f, _)| (f.inv.line, f.inv.direction))
        .collect();
    let mut new_conns: Vec<Vec<String>> = Vec::new();
    let mut taken: HashSet<String> = conns
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                conns.get(r, "First Name"),
                conns.get(r, "Last Name")
            )
        })
        .collect();
    if let Some((_, t)) = &mut invs {
        let mut rows = Vec::new();
        let sent_col = t.col("Sent At");
        let year_before = now - Duration::days(365);
        let (offset, mut resolved) = (rng.below(3), 0u64);
        let rows_in: Vec<(Vec<String>, u64)> = t.rows.drain(..).zip(t.lines.drain(..)).collect();
        for (r, l) in rows_in {
            let sent = sent_col
                .and_then(|c| r.get(c))
                .and_then(|s| crate::dates::parse_datetime(s));
            if sent.is_some_and(|s| s.date() < year_before) {
                applied.invitations_aged_out += 1;
                continue;
            }
            if let (Some(dir), Some(sent)) = (pending.get(&l), sent) {
                // Accepted, withdrawn or still pending in turn, from a
                // random start: three pending invitations show all three.
                let roll = (resolved + offset) % 3;
                resolved += 1;
                if roll == 0 {
                    // Accepted: a new connection.
                    let (name, url) = match dir {
                        Direction::Incoming => (t.get(&r, "From"), t.get(&r, "inviterProfileUrl")),
                        Direction::Outgoing => (t.get(&r, "To"), t.get(&r, "inviteeProfileUrl")),
                    };
                    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
                    let on = (sent.date() + Duration::days(1 + rng.below(14) as i64))
                        .clamp(then + Duration::days(1), now);
                    new_conns.push(conns.row(&[
                        ("First Name", first.to_string()),
                        ("Last Name", last.to_string()),
                        ("URL", url.to_string()),
                        ("Company", rng.pick(&companies).clone()),
                        ("Position", rng.pick(POSITIONS).to_string()),
                        ("Connected On", conn_date(on, &like)),
                    ]));
                    taken.insert(name.to_string());
                    applied.invitations_accepted += 1;
                } else if roll == 1 {
                    applied.invitations_withdrawn += 1;
                    continue;
                }
            }
            rows.push(r);
        }
        t.rows = rows;
    }

    // New people: half after your invitation with a note.
    let new_people = (conns.rows.len() / 25).max(2);
    let mut made = 0;
    let mut tries = 0;
    while made < new_people && tries < new_people * 20 {
        tries += 1;
        let (first, last) = (rng.pick(FIRST).to_string(), rng.pick(LAST).to_string());
        let name = format!("{first} {last}");
        if !taken.insert(name.clone()) {
            continue;
        }
        let slug = format!(
            "{}-{}-{:06x}",
            first.to_lowercase(),
            last.to_lowercase(),
            rng.below(1 << 24)
        )
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>();
        let url = format!("https://www.linkedin.com/in/{slug}");
        let at = in_window(&mut rng);
        let on = (at.date() + Duration::days(1 + rng.below(5) as i64)).min(now);
        if made % 2 == 0
            && let Some((_, t)) = &mut invs
        {
            let note = format!(
                "Hi {first}, great to meet you at {} last week. Would love to stay in touch.",
                rng.pick(EVENTS)
            );
            t.rows.push(t.row(&[
                ("From", owner_name.clone()),
                ("To", name.clone()),
                ("Sent At", inv_date(at)),
                ("Message", note),
                ("Direction", "OUTGOING".into()),
                ("inviterProfileUrl", owner_url.clone()),
                ("inviteeProfileUrl", url.clone()),
            ]));
        }
        new_conns.push(conns.row(&[
            ("First Name", first),
            ("Last Name", last),
            ("URL", url),
            ("Company", rng.pick(&companies).clone()),
            ("Position", rng.pick(POSITIONS).to_string()),
            ("Connected On", conn_date(on, &like)),
        ]));
        made += 1;
    }
    applied.new_connections = made;
    // LinkedIn lists the newest connections first.
    new_conns.reverse();
    conns.rows.splice(0..0, new_conns);

    // Strangers invite.
    if let Some((_, t)) = &mut invs {
        for k in 0..3 {
            let (first, last) = (rng.pick(FIRST).to_string(), rng.pick(LAST).to_string());
            let name = format!("{first} {last}");
            if !taken.insert(name.clone()) {
                continue;
            }
            t.rows.push(
                t.row(&[
                    ("From", name),
                    ("To", owner_name.clone()),
                    ("Sent At", inv_date(in_window(&mut rng))),
                    ("Direction", "INCOMING".into()),
                    (
                        "inviterProfileUrl",
                        format!(
                            "https://www.linkedin.com/in/{}-{}-{k}{:05x}",
                            first.to_lowercase(),
                            last.to_lowercase(),
                            rng.below(1 << 20)
                        )
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || "-/:.".contains(*c))
                        .collect(),
                    ),
                    ("inviteeProfileUrl", owner_url.clone()),
                ]),
            );
            applied.new_invitations += 1;
        }
    }

    if opts.no_urls
        && let Some(c) = conns.col("URL")
    {
        for r in &mut conns.rows {
            if let Some(cell) = r.get_mut(c) {
                cell.clear();
            }
        }
    }

    // Back to bytes.
    files[ci].2 = conns.bytes();
    if let Some((i, t)) = &invs {
        files[*i].2 = t.bytes();
    }
    if let Some((i, _, t)) = &msgs {
        let mut bytes = String::from_utf8_lossy(&t.bytes()).into_owned();
        for (old, new) in &slug_moves {
            bytes = replace_slug(&bytes, old, new);
        }
        files[*i].2 = bytes.into_bytes();
    }
    Ok((files.into_iter().map(|(n, _, b)| (n, b)).collect(), applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_replaced_only_where_it_ends() {
        let t = "a https://www.linkedin.com/in/ada-1 b https://www.linkedin.com/in/ada-12,x";
        assert_eq!(
            replace_slug(t, "ada-1", "ada-9"),
            "a https://www.linkedin.com/in/ada-9 b https://www.linkedin.com/in/ada-12,x"
        );
    }

    #[test]
    fn a_preamble_is_kept_and_rows_are_read_after_it() {
        let t = Table::parse(
            "Connections.csv",
            "Notes:\n\"x, y\"\n\nFirst Name,Last Name,URL\nAda,Obi,u\n",
            "first name",
        )
        .unwrap();
        assert_eq!(t.rows, [["Ada", "Obi", "u"]]);
        assert_eq!(t.lines, [5]);
        assert_eq!(
            String::from_utf8(t.bytes()).unwrap(),
            "Notes:\n\"x, y\"\n\nFirst Name,Last Name,URL\nAda,Obi,u\n"
        );
    }
}
