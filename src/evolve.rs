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
use crate::sample::{EVENTS, ExportFiles, FIRST, LAST, OTHER_COMPANIES, POSITIONS, Rng, inv_date};
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
    /// `,`, or TAB for the TAB-separated files of 2018.
    delimiter: u8,
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
            if l.trim_start()
                .trim_start_matches('"')
                .to_lowercase()
                .starts_with(header_starts)
            {
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
        let head_line = text[at..].lines().next().unwrap_or("");
        let delimiter = if head_line.matches('\t').count() > head_line.matches(',').count() {
            b'\t'
        } else {
            b','
        };
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(&text.as_bytes()[at..]);
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
            delimiter,
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
            .delimiter(self.delimiter)
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

/// Who the owner is, as the aged rows write them.
struct Owner {
    name: String,
    url: String,
}

/// An export being aged: its three tables, the window of months, and what
/// was done so far.
struct Aging {
    rng: Rng,
    then: NaiveDate,
    now: NaiveDate,
    conns: Table,
    invs: Option<Table>,
    msgs: Option<Table>,
    owner: Owner,
    /// A Connected On value, to write new dates in the same form.
    like: String,
    /// Companies to move to and to join: those in the export, and more.
    companies: Vec<String>,
    /// Names in use, so a new person is never a namesake.
    taken: HashSet<String>,
    /// Connections to add at the top of Connections.csv, oldest first.
    new_conns: Vec<Vec<String>>,
    slug_moves: Vec<(String, String)>,
    applied: Applied,
}

impl Aging {
    /// `opts.months` after the judged export `j`.
    fn new(
        j: &audit::Judged,
        opts: &Options,
        conns: Table,
        invs: Option<Table>,
        msgs: Option<Table>,
    ) -> Aging {
        let then = j.scope.as_of;
        let months = i64::from(opts.months);
        let now = then + Duration::days(months * 30 + months * 44 / 100);
        let o = &j.ex.owner;
        let like = conns
            .rows
            .first()
            .map(|r| conns.get(r, "Connected On").to_string())
            .unwrap_or_default();
        Aging {
            rng: Rng(opts.seed ^ 0x6576_6f6c_7665),
            then,
            now,
            conns,
            invs,
            msgs,
            owner: Owner {
                name: format!("{} {}", o.first_name, o.last_name)
                    .trim()
                    .to_string(),
                url: o
                    .slug
                    .as_deref()
                    .map(|s| format!("https://www.linkedin.com/in/{s}"))
                    .unwrap_or_default(),
            },
            like,
            companies: Vec::new(),
            taken: HashSet::new(),
            new_conns: Vec::new(),
            slug_moves: Vec::new(),
            applied: Applied {
                as_of_before: Some(then),
                as_of_after: Some(now),
                ..Applied::default()
            },
        }
    }

    fn in_window(&mut self) -> NaiveDateTime {
        self.rng.when(self.then + Duration::days(1), self.now)
    }

    fn name(&self, r: &[String]) -> String {
        format!(
            "{} {}",
            self.conns.get(r, "First Name"),
            self.conns.get(r, "Last Name")
        )
    }

    /// Most recommended unlinks are done.
    fn prune(&mut self, unlink_lines: &HashSet<u64>) {
        let rows = std::mem::take(&mut self.conns.rows);
        let lines = std::mem::take(&mut self.conns.lines);
        for (r, l) in rows.into_iter().zip(lines) {
            if unlink_lines.contains(&l) && self.rng.chance(0.6) {
                self.applied.pruned += 1;
            } else {
                self.conns.rows.push(r);
                self.conns.lines.push(l);
            }
        }
        let mut c: Vec<String> = self
            .conns
            .rows
            .iter()
            .map(|r| self.conns.get(r, "Company").to_string())
            .filter(|c| !c.is_empty())
            .collect();
        c.sort();
        c.dedup();
        c.extend(OTHER_COMPANIES.iter().map(|s| s.to_string()));
        self.companies = c;
    }

    /// Job changes and changed profile addresses, never both for one person,
    /// never for a phantom row (no name: no person).
    fn move_jobs_and_slugs(&mut self) {
        let slug_quota = 3.min(self.conns.rows.len() / 20);
        for k in 0..self.conns.rows.len() {
            let mut row = self.conns.rows[k].clone();
            if self.name(&row).trim().is_empty() {
                continue;
            }
            let url = self.conns.get(&row, "URL").to_string();
            if self.slug_moves.len() < slug_quota
                && self.rng.chance(0.05)
                && let Some(old) = slug_from_url(&url).filter(|s| s.is_ascii())
            {
                let new = format!("{}-{:04x}", old, self.rng.below(1 << 16));
                self.conns
                    .set(&mut row, "URL", replace_slug(&url, &old, &new));
                self.slug_moves.push((old, new));
                self.applied.slug_changes += 1;
            } else if self.rng.chance(0.06) {
                let company = self.conns.get(&row, "Company").to_string();
                let others = self.companies.len().saturating_sub(1).max(1) as u64;
                let next = self
                    .companies
                    .iter()
                    .filter(|c| **c != company)
                    .nth(self.rng.below(others) as usize)
                    .cloned()
                    .unwrap_or_else(|| "Example Ventures".into());
                self.conns.set(&mut row, "Company", next);
                let position = self.rng.pick(POSITIONS).to_string();
                self.conns.set(&mut row, "Position", position);
                self.applied.job_changes += 1;
            } else {
                continue;
            }
            self.conns.rows[k] = row;
        }
    }

    /// One message between the owner and `name`.
    fn message(&mut self, at: NaiveDateTime, from_owner: bool, name: &str, url: &str, conv: &str) {
        let Some(t) = &mut self.msgs else { return };
        let (o, ou) = (self.owner.name.clone(), self.owner.url.clone());
        let (f, fu, to, tu, content) = if from_owner {
            (o, ou, name.to_string(), url.to_string(), OPENING)
        } else {
            (name.to_string(), url.to_string(), o, ou, REPLY)
        };
        let row = t.row(&[
            ("CONVERSATION ID", conv.to_string()),
            ("FROM", f),
            ("SENDER PROFILE URL", fu),
            ("TO", to),
            ("RECIPIENT PROFILE URLS", tu),
            ("DATE", format!("{} UTC", at.format("%Y-%m-%d %H:%M:%S"))),
            ("CONTENT", content.to_string()),
            ("FOLDER", "INBOX".to_string()),
            ("IS MESSAGE DRAFT", "No".to_string()),
        ]);
        t.rows.push(row);
    }

    /// A new two-way exchange with some of those still connected.
    fn add_exchanges(&mut self) {
        if self.msgs.is_none() || self.owner.url.is_empty() {
            return;
        }
        let mut conv = 0u32;
        for k in 0..self.conns.rows.len() {
            if !self.rng.chance(0.08) {
                continue;
            }
            let r = &self.conns.rows[k];
            let (name, url) = (self.name(r), self.conns.get(r, "URL").to_string());
            if url.is_empty() {
                continue;
            }
            conv += 1;
            let id = format!("evolved-{:08x}-{conv}", crate::sample::fnv(&url));
            let first = self.in_window();
            let second = (first + Duration::days(1 + self.rng.below(20) as i64))
                .min(self.now.and_hms_opt(12, 0, 0).unwrap_or_default());
            self.message(first, true, &name, &url, &id);
            self.message(second, false, &name, &url, &id);
            self.applied.new_exchanges += 1;
        }
    }

    /// A new connection, joined on `on`.
    fn connect(&mut self, first: &str, last: &str, url: &str, on: NaiveDate) {
        let company = self.rng.pick(&self.companies).clone();
        let position = self.rng.pick(POSITIONS).to_string();
        let row = self.conns.row(&[
            ("First Name", first.to_string()),
            ("Last Name", last.to_string()),
            ("URL", url.to_string()),
            ("Company", company),
            ("Position", position),
            ("Connected On", conn_date(on, &self.like)),
        ]);
        self.new_conns.push(row);
    }

    /// Pending invitations (by their line) are accepted, withdrawn or left
    /// pending in turn, from a random start, so three pending invitations
    /// show all three; rows older than a year leave the file.
    fn resolve_invitations(&mut self, pending: &BTreeMap<u64, Direction>) {
        self.taken = self.conns.rows.iter().map(|r| self.name(r)).collect();
        let Some(mut t) = self.invs.take() else {
            return;
        };
        let sent_col = t.col("Sent At");
        let year_before = self.now - Duration::days(365);
        let (offset, mut resolved) = (self.rng.below(3), 0u64);
        let rows = std::mem::take(&mut t.rows);
        let lines = std::mem::take(&mut t.lines);
        for (r, l) in rows.into_iter().zip(lines) {
            let sent = sent_col
                .and_then(|c| r.get(c))
                .and_then(|s| crate::dates::parse_datetime(s));
            if sent.is_some_and(|s| s.date() < year_before) {
                self.applied.invitations_aged_out += 1;
                continue;
            }
            if let (Some(dir), Some(sent)) = (pending.get(&l), sent) {
                let turn = (resolved + offset) % 3;
                resolved += 1;
                if turn == 0 {
                    let (name, url) = match dir {
                        Direction::Incoming => (t.get(&r, "From"), t.get(&r, "inviterProfileUrl")),
                        Direction::Outgoing => (t.get(&r, "To"), t.get(&r, "inviteeProfileUrl")),
                    };
                    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
                    let on = (sent.date() + Duration::days(1 + self.rng.below(14) as i64))
                        .clamp(self.then + Duration::days(1), self.now);
                    self.connect(first, last, url, on);
                    self.taken.insert(name.to_string());
                    self.applied.invitations_accepted += 1;
                } else if turn == 1 {
                    self.applied.invitations_withdrawn += 1;
                    continue;
                }
            }
            t.rows.push(r);
        }
        self.invs = Some(t);
    }

    /// A name no one in the export has, or none after a few tries.
    fn new_name(&mut self) -> Option<(String, String)> {
        let (first, last) = (
            self.rng.pick(FIRST).to_string(),
            self.rng.pick(LAST).to_string(),
        );
        self.taken
            .insert(format!("{first} {last}"))
            .then_some((first, last))
    }

    /// New people connect; every other one after your invitation with a
    /// personal note.
    fn add_people(&mut self) {
        let wanted = (self.conns.rows.len() / 25).max(2);
        let (mut made, mut tries) = (0, 0);
        while made < wanted && tries < wanted * 20 {
            tries += 1;
            let Some((first, last)) = self.new_name() else {
                continue;
            };
            let slug: String = format!(
                "{}-{}-{:06x}",
                first.to_lowercase(),
                last.to_lowercase(),
                self.rng.below(1 << 24)
            )
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
            let url = format!("https://www.linkedin.com/in/{slug}");
            let at = self.in_window();
            let on = (at.date() + Duration::days(1 + self.rng.below(5) as i64)).min(self.now);
            if made % 2 == 0 && self.invs.is_some() {
                let note = format!(
                    "Hi {first}, great to meet you at {} last week. Would love to stay in touch.",
                    self.rng.pick(EVENTS)
                );
                let row = [
                    ("From", self.owner.name.clone()),
                    ("To", format!("{first} {last}")),
                    ("Sent At", inv_date(at)),
                    ("Message", note),
                    ("Direction", "OUTGOING".into()),
                    ("inviterProfileUrl", self.owner.url.clone()),
                    ("inviteeProfileUrl", url.clone()),
                ];
                if let Some(t) = &mut self.invs {
                    t.rows.push(t.row(&row));
                }
            }
            self.connect(&first, &last, &url, on);
            made += 1;
        }
        self.applied.new_connections = made;
    }

    /// Three strangers invite you.
    fn add_strangers(&mut self) {
        if self.invs.is_none() {
            return;
        }
        for k in 0..3 {
            let Some((first, last)) = self.new_name() else {
                continue;
            };
            let sent = inv_date(self.in_window());
            let url: String = format!(
                "https://www.linkedin.com/in/{}-{}-{k}{:05x}",
                first.to_lowercase(),
                last.to_lowercase(),
                self.rng.below(1 << 20)
            )
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-/:.".contains(*c))
            .collect();
            let row = [
                ("From", format!("{first} {last}")),
                ("To", self.owner.name.clone()),
                ("Sent At", sent),
                ("Direction", "INCOMING".into()),
                ("inviterProfileUrl", url),
                ("inviteeProfileUrl", self.owner.url.clone()),
            ];
            if let Some(t) = &mut self.invs {
                t.rows.push(t.row(&row));
            }
            self.applied.new_invitations += 1;
        }
    }

    /// The new connections on top (LinkedIn lists the newest first); URLs
    /// emptied when asked.
    fn finish(&mut self, no_urls: bool) {
        let mut new = std::mem::take(&mut self.new_conns);
        new.reverse();
        self.conns.rows.splice(0..0, new);
        if no_urls && let Some(c) = self.conns.col("URL") {
            for r in &mut self.conns.rows {
                if let Some(cell) = r.get_mut(c) {
                    cell.clear();
                }
            }
        }
    }
}

const OPENING: &str = "Good to see your news. How is the new project going? Coffee soon?";
const REPLY: &str = "Thanks! Going well, busy months. Yes, let us find a date next week.";

/// Every file of the export tieaudit reads: (name in the export, kind, bytes).
fn read_all(src: &Source) -> Result<Vec<(String, FileKind, Vec<u8>)>> {
    src.members
        .iter()
        .map(|m| {
            let bytes = src.with_member(m, |r| {
                let mut v = Vec::new();
                r.read_to_end(&mut v).map_err(|source| Error::Io {
                    file: m.name.clone(),
                    source,
                })?;
                Ok(v)
            })?;
            Ok((m.name.clone(), m.kind, bytes))
        })
        .collect()
}

/// The export read and judged as the tool sees it.
fn judged(src: &Source, from: &Path) -> Result<audit::Judged> {
    let mut t = ingest::Timings::new();
    let ex = ingest::ingest_source(src, &mut t)?;
    let cfg = Config {
        export: from.to_path_buf(),
        ..Config::default()
    };
    audit::judge(ex, &cfg, &mut t)
}

/// The file of `kind` as a table, with its index in `files`.
fn table(
    files: &[(String, FileKind, Vec<u8>)],
    kind: FileKind,
    header: &str,
) -> Result<Option<(usize, Table)>> {
    match files.iter().position(|f| f.1 == kind) {
        Some(i) => {
            let Ok(text) = std::str::from_utf8(&files[i].2) else {
                return Err(Error::Read {
                    file: files[i].0.clone(),
                    reason: "not UTF-8 (a UTF-16 file of 2018?): sample --evolve ages UTF-8 \
                             exports only"
                        .into(),
                });
            };
            Ok(Some((i, Table::parse(&files[i].0, text, header)?)))
        }
        None => Ok(None),
    }
}

/// The aged export's files, and what was changed.
pub fn evolve(from: &Path, opts: &Options) -> Result<(ExportFiles, Applied)> {
    if opts.months == 0 || opts.months > MAX_MONTHS {
        return Err(Error::Usage(format!(
            "--months {}: from 1 to {MAX_MONTHS}",
            opts.months
        )));
    }
    let src = Source::open(from)?;
    let mut files = read_all(&src)?;
    let j = judged(&src, from)?;
    let (ci, conns) = table(&files, FileKind::Connections, "first name")?.ok_or_else(|| {
        Error::NoConnections {
            path: from.to_path_buf(),
            seen: "none".into(),
        }
    })?;
    let invs = table(&files, FileKind::Invitations, "from")?;
    // A messages file in a layout of another era is left as it is.
    let msgs = table(&files, FileKind::Messages, "conversation id")
        .ok()
        .flatten();
    let (ii, mi) = (invs.as_ref().map(|x| x.0), msgs.as_ref().map(|x| x.0));
    let mut a = Aging::new(&j, opts, conns, invs.map(|x| x.1), msgs.map(|x| x.1));
    // What the tool recommended, and what was pending, by line in the file.
    let unlink_lines: HashSet<u64> =
        j.ex.connections
            .iter()
            .zip(&j.verdicts)
            .filter(|(_, v)| v.decision == Decision::Unlink)
            .map(|(c, _)| c.line)
            .collect();
    let pending: BTreeMap<u64, Direction> = j
        .joined
        .invitations
        .iter()
        .zip(&j.inv_verdicts)
        .filter(|(f, v)| !v.accepted && !f.superseded)
        .map(|(f, _)| (f.inv.line, f.inv.direction))
        .collect();
    a.prune(&unlink_lines);
    a.move_jobs_and_slugs();
    a.add_exchanges();
    a.resolve_invitations(&pending);
    a.add_people();
    a.add_strangers();
    a.finish(opts.no_urls);

    files[ci].2 = a.conns.bytes();
    if let (Some(i), Some(t)) = (ii, &a.invs) {
        files[i].2 = t.bytes();
    }
    if let (Some(i), Some(t)) = (mi, &a.msgs) {
        files[i].2 = t.bytes();
    }
    // A changed profile address is changed wherever the export writes it
    // (messages, endorsements, recommendations, invitations).
    if !a.slug_moves.is_empty() {
        for (k, (_, _, bytes)) in files.iter_mut().enumerate() {
            if k == ci {
                continue;
            }
            if let Ok(text) = std::str::from_utf8(bytes) {
                let mut text = text.to_string();
                for (old, new) in &a.slug_moves {
                    text = replace_slug(&text, old, new);
                }
                *bytes = text.into_bytes();
            }
        }
    }
    Ok((
        files.into_iter().map(|(n, _, b)| (n, b)).collect(),
        a.applied,
    ))
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
