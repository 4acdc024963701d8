//! Audits over time: what changed since an earlier export (`--previous`), a
//! timeline over several exports of the same owner, and the ties worth
//! keeping alive.
//!
//! An earlier audit is reduced to a [`Snapshot`]: each connection's identity,
//! job, verdict and the evidence a change could be explained by, and the
//! invitations then pending. A snapshot comes from an export (read and
//! judged under the same policy) or from an earlier audit's output folder
//! (its connections.csv, invitations.csv and ingest.json), so an owner who
//! kept only last year's audit can still compare.

use crate::audit::Judged;
use crate::error::{Error, Result};
use crate::identity::{full_name_key, name_key, slug_from_url};
use crate::ingest::Direction;
use crate::judge::Decision;
use crate::labels::Label;
use crate::notes::NoteClass;
use crate::output::{Cell, write_csv};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One connection as an audit saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub slug: Option<String>,
    pub name_key: Option<String>,
    pub name: String,
    pub url: String,
    pub company: String,
    pub position: String,
    pub connected_on: Option<NaiveDate>,
    /// 0 none, 1 weak, 2 moderate, 3 strong.
    pub band: u8,
    pub decision: Decision,
    pub score: u8,
    /// The verdict's first reason, its decision word dropped.
    pub why: String,
    pub messages: u32,
    pub last_message_on: Option<NaiveDate>,
    pub recommendations: u32,
    pub endorsements: u32,
    /// An invitation between you is in the export's Invitations.csv.
    pub invited: bool,
    /// The export shows you worked together (their current company was
    /// yours when you connected).
    pub worked_together: bool,
    /// The invitation between you carries a personal note (not a pasted one).
    pub personal_note: bool,
    /// Evidence under their name could belong to a namesake.
    pub namesake: bool,
    /// They work now at a company you worked at (a supporting signal).
    pub at_your_workplace: bool,
}

/// An invitation that had not been accepted when the snapshot was taken.
#[derive(Debug, Clone)]
pub struct Pending {
    pub direction: Direction,
    pub name: String,
    pub url: String,
    pub slug: Option<String>,
    pub name_key: Option<String>,
    pub sent_on: NaiveDate,
}

/// Who an export belongs to, as far as it says.
#[derive(Debug, Clone, Default)]
pub struct OwnerId {
    pub slug: Option<String>,
    pub name_key: Option<String>,
    pub name: String,
}

/// What a later audit compares an earlier one by.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The path it was read from, as the user named it.
    pub source: String,
    pub as_of: NaiveDate,
    /// The export's file name, as the report names it.
    pub export: String,
    pub owner: OwnerId,
    pub people: Vec<Seen>,
    pub pending: Vec<Pending>,
    /// From an audit folder written with --previous: its timeline, this
    /// export's own row last, so a timeline goes on through audit folders.
    pub timeline: Vec<Point>,
}

/// A context band's name, from its number (see [`band_of`]).
fn band_name(band: u8) -> &'static str {
    let c = crate::judge::Context::ALL
        .iter()
        .find(|c| **c as u8 == band);
    c.map_or("none", |c| c.as_str())
}

/// A context band as a number, weakest first: `Context`'s own order.
fn band_of(context: &str) -> Option<u8> {
    crate::judge::Context::parse(context).map(|c| c as u8)
}

fn decision_of(s: &str) -> Option<Decision> {
    Decision::parse(s)
}

impl Snapshot {
    /// The snapshot of an export just judged.
    pub fn from_judged(j: &Judged) -> Snapshot {
        let people =
            j.ex.connections
                .iter()
                .zip(&j.verdicts)
                .zip(&j.joined.evidence)
                .map(|((c, v), e)| Seen {
                    slug: c.slug.clone(),
                    name_key: c.name_key.clone(),
                    name: format!("{} {}", c.first_name.trim(), c.last_name.trim())
                        .trim()
                        .to_string(),
                    url: c.url.clone(),
                    company: c.company.clone(),
                    position: c.position.clone(),
                    connected_on: c.connected_on,
                    band: v.context as u8,
                    decision: v.decision,
                    score: v.score,
                    why: first_reason(v.reasons.as_str()),
                    messages: e.messages.sent + e.messages.received,
                    last_message_on: e.messages.last_at.map(|d| d.date()),
                    recommendations: e.recommendations,
                    endorsements: e.endorsements_received + e.endorsements_given,
                    invited: e.invitation.is_some(),
                    worked_together: e.shared_tenure.is_some(),
                    personal_note: e.personal_note,
                    namesake: e.clash.is_some(),
                    at_your_workplace: e.same_company_now.is_some(),
                })
                .collect();
        let pending = j
            .joined
            .invitations
            .iter()
            .zip(&j.inv_verdicts)
            .filter(|(f, v)| !v.accepted && !f.superseded)
            .map(|(f, _)| Pending {
                direction: f.inv.direction,
                name: f.inv.name.clone(),
                url: same_form(&f.inv.url),
                slug: slug_from_url(&f.inv.url),
                name_key: full_name_key(&f.inv.name),
                sent_on: f.inv.sent_at.date(),
            })
            .collect();
        let o = &j.ex.owner;
        Snapshot {
            source: j.ex.path.clone(),
            as_of: j.scope.as_of,
            export: file_name(Path::new(&j.ex.path)),
            owner: OwnerId {
                slug: o.slug.clone(),
                name_key: name_key(&o.first_name, &o.last_name),
                name: format!("{} {}", o.first_name, o.last_name)
                    .trim()
                    .to_string(),
            },
            people,
            pending: latest_only(pending),
            timeline: Vec::new(),
        }
    }

    /// The snapshot an earlier audit's output folder holds.
    pub fn from_audit(dir: &Path) -> Result<Snapshot> {
        let summary: serde_json::Value = read_json(&dir.join("summary.json"))?;
        let ingest: serde_json::Value = read_json(&dir.join("ingest.json"))?;
        let bad = |file: &str, reason: String| Error::Read {
            file: dir.join(file).display().to_string(),
            reason,
        };
        let as_of = summary["as_of"]
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| bad("summary.json", "no `as_of` date".into()))?;
        if summary["redacted"].as_bool() == Some(true) {
            return Err(bad(
                "summary.json",
                "this audit was written with --redact, so it cannot say who is who: \
                 pass the export itself as --previous"
                    .into(),
            ));
        }
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        let o = &ingest["owner"];
        let owner = OwnerId {
            slug: o["slug"].as_str().map(str::to_string),
            name_key: name_key(&text(&o["first_name"]), &text(&o["last_name"])),
            name: format!("{} {}", text(&o["first_name"]), text(&o["last_name"]))
                .trim()
                .to_string(),
        };
        let export = file_name(Path::new(&text(&ingest["export"])));

        let people = seen_rows(dir)?;
        let pending = pending_rows(dir)?;
        let timeline = timeline_rows(dir, as_of)?;
        Ok(Snapshot {
            source: dir.display().to_string(),
            as_of,
            export,
            owner,
            people,
            pending: latest_only(pending),
            timeline,
        })
    }
}

/// connections.csv of an audit folder, a row a person.
fn seen_rows(dir: &Path) -> Result<Vec<Seen>> {
    read_rows(&dir.join("connections.csv"), |get, line| {
        let (first, last) = (get("first_name"), get("last_name"));
        let url = get("profile_url");
        let int = |c: &str| get(c).parse::<u32>().unwrap_or(0);
        let date = |c: &str| NaiveDate::parse_from_str(&get(c), "%Y-%m-%d").ok();
        let band = band_of(&get("context"))
            .ok_or_else(|| format!("line {line}: context {:?} unknown", get("context")))?;
        let decision = decision_of(&get("decision"))
            .ok_or_else(|| format!("line {line}: decision {:?} unknown", get("decision")))?;
        Ok(Seen {
            slug: slug_from_url(&url),
            name_key: name_key(&first, &last),
            name: format!("{first} {last}").trim().to_string(),
            url,
            company: get("company"),
            position: get("position"),
            connected_on: date("connected_on"),
            band,
            decision,
            score: get("score").parse().unwrap_or(0),
            why: first_reason(&get("reasons")),
            messages: int("messages_sent") + int("messages_received"),
            last_message_on: date("last_message_on"),
            recommendations: int("recommendations"),
            endorsements: int("endorsements_received") + int("endorsements_given"),
            invited: !get("invitation_direction").is_empty(),
            worked_together: !get("shared_employer").is_empty(),
            personal_note: NoteClass::parse(&get("invitation_note")) == Some(NoteClass::Personal),
            namesake: get("reasons").contains("could belong to"),
            at_your_workplace: get("reasons").contains(", where you worked"),
        })
    })
}

/// The invitations still pending in an audit folder's invitations.csv.
fn pending_rows(dir: &Path) -> Result<Vec<Pending>> {
    Ok(read_rows(&dir.join("invitations.csv"), |get, line| {
        let d = get("direction");
        let Some(direction) = Direction::parse(&d) else {
            return Err(format!("line {line}: direction {d:?} unknown"));
        };
        let sent = get("sent_at");
        let sent_on = NaiveDate::parse_from_str(sent.get(..10).unwrap_or(""), "%Y-%m-%d")
            .map_err(|_| format!("line {line}: sent_at {sent:?} is not a date"))?;
        let (name, url) = (get("name"), get("profile_url"));
        Ok((
            crate::labels::Status::parse(&get("status")) == Some(crate::labels::Status::Pending),
            Pending {
                direction,
                slug: slug_from_url(&url),
                name_key: full_name_key(&name),
                name,
                url: same_form(&url),
                sent_on,
            },
        ))
    })?
    .into_iter()
    .filter_map(|(pending, p)| pending.then_some(p))
    .collect())
}

/// An audit folder's timeline.csv up to `as_of` (none without one).
fn timeline_rows(dir: &Path, as_of: NaiveDate) -> Result<Vec<Point>> {
    Ok(if dir.join("timeline.csv").is_file() {
        read_rows(&dir.join("timeline.csv"), |get, line| {
            let num = |c: &str| get(c).parse::<usize>().ok();
            Ok(Point {
                as_of: NaiveDate::parse_from_str(&get("as_of"), "%Y-%m-%d")
                    .map_err(|_| format!("line {line}: as_of is not a date"))?,
                export: get("export"),
                connections: num("connections").unwrap_or(0),
                keep: num("keep").unwrap_or(0),
                review: num("review").unwrap_or(0),
                unlink: num("unlink").unwrap_or(0),
                added: num("added"),
                removed: num("removed"),
                pruned_as_recommended: num("pruned_as_recommended"),
                months_since_previous: get("months_since_previous").parse().ok(),
                added_per_month: get("added_per_month").parse().ok(),
                removed_per_month: get("removed_per_month").parse().ok(),
            })
        })?
        .into_iter()
        .filter(|p| p.as_of <= as_of)
        .collect()
    } else {
        Vec::new()
    })
}

/// One pending invitation per person and direction: the latest (a
/// re-sent invitation is one question, not several).
fn latest_only(mut pending: Vec<Pending>) -> Vec<Pending> {
    let id = |p: &Pending| {
        (
            p.direction,
            p.slug.clone().map_or_else(|| p.name_key.clone(), Some),
            p.slug.is_some(),
        )
    };
    pending.sort_by(|a, b| {
        (id(a), std::cmp::Reverse(a.sent_on)).cmp(&(id(b), std::cmp::Reverse(b.sent_on)))
    });
    pending.dedup_by(|b, a| id(a) == id(b) && id(a).1.is_some());
    pending
}

/// A profile URL in the form Connections.csv gives (Invitations.csv writes
/// raw Unicode), so every row of changes.csv reads alike.
fn same_form(url: &str) -> String {
    crate::report::canonical_profile_url(url).unwrap_or_else(|| url.to_string())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// An earlier audit's output folder (rather than an export).
pub fn is_audit_folder(p: &Path) -> bool {
    p.join("summary.json").is_file()
        && p.join("ingest.json").is_file()
        && p.join("connections.csv").is_file()
}

/// The most an audit's own JSON file may be.
const MAX_JSON: u64 = 64 << 20;

fn read_json(p: &Path) -> Result<serde_json::Value> {
    let err = |reason: String| Error::Read {
        file: p.display().to_string(),
        reason,
    };
    let len = std::fs::metadata(p).map_err(|e| err(e.to_string()))?.len();
    if len > MAX_JSON {
        return Err(err(format!(
            "{len} bytes: too large for an audit's summary"
        )));
    }
    let bytes = std::fs::read(p).map_err(|e| err(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| err(format!("not the JSON an audit writes: {e}")))
}

/// Every row of one of an audit's CSVs through `row`, which gets a cell by
/// column name and the line number. A missing column reads as empty, so a
/// folder from an older version still reads.
fn read_rows<T>(
    p: &Path,
    row: impl Fn(&dyn Fn(&str) -> String, u64) -> std::result::Result<T, String>,
) -> Result<Vec<T>> {
    let err = |reason: String| Error::Read {
        file: p.display().to_string(),
        reason,
    };
    let f = std::fs::File::open(p).map_err(|e| err(e.to_string()))?;
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(f);
    let head: Vec<String> = r
        .headers()
        .map_err(|e| err(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let line = k as u64 + 2;
        let rec = rec.map_err(|e| err(format!("line {line}: {e}")))?;
        let get = |c: &str| {
            head.iter()
                .position(|h| h == c)
                .and_then(|i| rec.get(i))
                .map(unneutralise)
                .unwrap_or_default()
        };
        out.push(row(&get, line).map_err(err)?);
    }
    Ok(out)
}

/// A cell as the export had it: the audit prefixes `'` to text a
/// spreadsheet would take for a formula.
fn unneutralise(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if rest.bytes().next().is_some_and(crate::text::starts_formula) => {
            rest.to_string()
        }
        _ => s.to_string(),
    }
}

/// What `--previous PATH` names: an export, an audit folder, or a folder
/// of several exports (dated zips, say), each one entry.
pub fn expand(p: &Path) -> Vec<PathBuf> {
    if !is_audit_folder(p) && crate::batch::is_folder_of_exports(p) {
        crate::batch::exports_in(p)
    } else {
        vec![p.to_path_buf()]
    }
}

/// The two exports are the same owner's, as far as both say.
pub fn same_owner(a: &Snapshot, b: &Snapshot) -> Result<()> {
    let (x, y) = (&a.owner, &b.owner);
    let differ = match (&x.slug, &y.slug) {
        (Some(s), Some(t)) => s != t,
        _ => matches!((&x.name_key, &y.name_key), (Some(s), Some(t)) if s != t),
    };
    if differ {
        let who = |o: &OwnerId| {
            crate::text::for_terminal(match (&o.slug, o.name.is_empty()) {
                (Some(s), _) => s,
                (None, false) => &o.name,
                (None, true) => "unknown",
            })
        };
        return Err(Error::Previous {
            path: crate::text::for_terminal(&a.source),
            reason: format!(
                "{} belongs to {} and {} to {}: a comparison needs two exports of the same owner",
                crate::text::for_terminal(&a.export),
                who(x),
                crate::text::for_terminal(&b.export),
                who(y)
            ),
        });
    }
    Ok(())
}

/// The kinds of change, in the order changes.csv and the report list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    New,
    Removed,
    NoLongerUnlink,
    NewlyUnlink,
    JobChange,
    SlugChanged,
    ContextUp,
    ContextDown,
    InvitationAccepted,
    InvitationGone,
    InvitationPending,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::New,
        Kind::Removed,
        Kind::NoLongerUnlink,
        Kind::NewlyUnlink,
        Kind::JobChange,
        Kind::SlugChanged,
        Kind::ContextUp,
        Kind::ContextDown,
        Kind::InvitationAccepted,
        Kind::InvitationGone,
        Kind::InvitationPending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::New => "new",
            Kind::Removed => "removed",
            Kind::NoLongerUnlink => "no_longer_unlink",
            Kind::NewlyUnlink => "newly_unlink",
            Kind::JobChange => "job_change",
            Kind::SlugChanged => "slug_changed",
            Kind::ContextUp => "context_up",
            Kind::ContextDown => "context_down",
            Kind::InvitationAccepted => "invitation_accepted",
            Kind::InvitationGone => "invitation_gone",
            Kind::InvitationPending => "invitation_pending",
        }
    }

    /// A heading for the report.
    pub fn title(self) -> &'static str {
        match self {
            Kind::New => "New connections",
            Kind::Removed => "No longer connected",
            Kind::NoLongerUnlink => "Unlink candidates no longer recommended for unlink",
            Kind::NewlyUnlink => "Newly recommended for unlink",
            Kind::JobChange => "Job changes",
            Kind::SlugChanged => "Profile address changed (same person)",
            Kind::ContextUp => "Context grew",
            Kind::ContextDown => "Context faded",
            Kind::InvitationAccepted => "Invitations accepted",
            Kind::InvitationGone => "Invitations gone (withdrawn, ignored or aged out)",
            Kind::InvitationPending => "Invitations still pending",
        }
    }
}

/// One change between two exports, a row of changes.csv.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub name: String,
    pub url: String,
    pub before: String,
    pub after: String,
    pub detail: String,
}

/// What happened to the earlier audit's unlink candidates.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Pruning {
    pub candidates: usize,
    /// No longer connected: pruned as recommended.
    pub gone: usize,
    pub remain: usize,
    pub now_review: usize,
    pub now_keep: usize,
}

/// Two exports compared.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The earlier export's as-of date, and its name.
    pub since: NaiveDate,
    pub previous: String,
    pub connections_before: usize,
    pub connections_now: usize,
    pub counts: std::collections::BTreeMap<Kind, usize>,
    pub pruning: Pruning,
    /// People matched by name because one of the exports has no URLs.
    pub matched_by_name: usize,
    /// Earlier connections whose name several connections share, in an
    /// export without URLs, so who is who cannot be told: left out of the
    /// changes.
    pub ambiguous: usize,
    #[serde(skip)]
    pub changes: Vec<Change>,
}

/// Match people of `old` to people of `new`: by slug where both have one;
/// then by name key with the connection date, then by name key alone where
/// one side has no date, where the key is unique on both sides among those
/// still unmatched. Two slugs
/// that differ are the same person only with the same name, company and
/// connection date (a changed profile address). Returns, per old person,
/// the new index and how; and, per side, who was left unmatched because
/// their name key is shared (namesakes: who is who cannot be told).
fn match_people<'a>(old: &'a [Seen], new: &'a [Seen]) -> Matching {
    let mut out: Vec<Option<(usize, Matched)>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    let by_slug: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.slug.as_deref().map(|s| (s, i)))
        .collect();
    for (i, p) in old.iter().enumerate() {
        if let Some(&k) = p.slug.as_deref().and_then(|s| by_slug.get(s))
            && !taken[k]
        {
            out[i] = Some((k, Matched::Slug));
            taken[k] = true;
        }
    }
    let (mut amb_old, mut amb_new) = (vec![false; old.len()], vec![false; new.len()]);
    // By name key, first with the connection date, then without it.
    for with_date in [true, false] {
        let key = |p: &'a Seen| {
            p.name_key
                .as_deref()
                .map(|k| (k, if with_date { p.connected_on } else { None }))
        };
        let mut olds: HashMap<(&str, Option<NaiveDate>), Vec<usize>> = HashMap::new();
        let mut news: HashMap<(&str, Option<NaiveDate>), Vec<usize>> = HashMap::new();
        for (i, p) in old.iter().enumerate().filter(|(i, _)| out[*i].is_none()) {
            if let Some(k) = key(p) {
                olds.entry(k).or_default().push(i);
            }
        }
        for (i, p) in new.iter().enumerate().filter(|(i, _)| !taken[*i]) {
            if let Some(k) = key(p) {
                news.entry(k).or_default().push(i);
            }
        }
        for (k, os) in &olds {
            let Some(ns) = news.get(k) else { continue };
            // Without the date, only people of whom one side has no date
            // can be the same: two known dates that differ are two
            // connections (a namesake, or a reconnection).
            let undated = !with_date
                && (os.iter().any(|&i| old[i].connected_on.is_none())
                    || ns.iter().any(|&j| new[j].connected_on.is_none()));
            if !with_date && !undated {
                continue;
            }
            if os.len() != 1 || ns.len() != 1 {
                os.iter().for_each(|&i| amb_old[i] = true);
                ns.iter().for_each(|&j| amb_new[j] = true);
                continue;
            }
            let (i, j) = (os[0], ns[0]);
            let (a, b) = (&old[i], &new[j]);
            let how = match (&a.slug, &b.slug) {
                // Both have an address and they differ: the same person
                // only if nothing else moved.
                (Some(_), Some(_)) => {
                    if a.company == b.company && a.connected_on == b.connected_on {
                        Matched::SlugChanged
                    } else {
                        continue;
                    }
                }
                _ => Matched::Name,
            };
            out[i] = Some((j, how));
            taken[j] = true;
        }
    }
    Matching {
        matched: out,
        ambiguous_old: amb_old,
        ambiguous_new: amb_new,
    }
}

/// Who in one snapshot is who in the other.
struct Matching {
    /// Per old person: the new index, and how.
    matched: Vec<Option<(usize, Matched)>>,
    /// Per side: left unmatched because their name is shared.
    ambiguous_old: Vec<bool>,
    ambiguous_new: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matched {
    Slug,
    Name,
    SlugChanged,
}

fn job(p: &Seen) -> String {
    match (p.position.trim(), p.company.trim()) {
        ("", c) => c.to_string(),
        (pos, "") => pos.to_string(),
        (pos, c) => format!("{pos} at {c}"),
    }
}

/// The evidence that moved between two sightings of a person (`a` in the
/// export as of `since`, `b` now), in words: only what the exports show.
fn moved(a: &Seen, b: &Seen, since: NaiveDate) -> String {
    let mut out = Vec::new();
    // Evidence a namesake shared is theirs alone now (or the reverse): a
    // count that moved is attribution, not news.
    let attribution = a.namesake != b.namesake;
    namesake_moved(a, b, &mut out);
    new_messages(a, b, since, &mut out);
    if !attribution {
        new_endorsements_and_recommendations(a, b, &mut out);
    }
    workplace_moved(a, b, &mut out);
    invitation_moved(a, b, &mut out);
    if !attribution && (b.messages < a.messages || b.recommendations < a.recommendations) {
        out.push("less evidence found in this export (messages deleted, or joined by a name other connections share)".into());
    }
    if out.is_empty() {
        out.push("no new evidence: time passed (the grace period or the last message aged)".into());
    }
    out.join("; ")
}

/// "3 new messages".
fn more(n: u32, one: &str, many: &str) -> String {
    format!("{n} new {}", if n == 1 { one } else { many })
}

/// A namesake who came or went.
fn namesake_moved(a: &Seen, b: &Seen, out: &mut Vec<String>) {
    if a.namesake && !b.namesake {
        out.push(
            "evidence under their name was shared with a namesake; now it is theirs alone".into(),
        );
    } else if !a.namesake && b.namesake {
        out.push(
            "a namesake now shares their name, so evidence under it counts for neither".into(),
        );
    }
}

/// New messages: only if one is dated after the earlier export (a count
/// can also rise when an invitation note that repeated a message leaves
/// Invitations.csv).
fn new_messages(a: &Seen, b: &Seen, since: NaiveDate, out: &mut Vec<String>) {
    let wrote_since = b.last_message_on.is_some_and(|d| d > since);
    if wrote_since && b.messages > a.messages {
        let mut s = more(b.messages - a.messages, "message", "messages");
        if let Some(d) = b.last_message_on {
            s.push_str(&format!(" (last {d})"));
        }
        out.push(s);
    }
}

/// New recommendations and endorsements.
fn new_endorsements_and_recommendations(a: &Seen, b: &Seen, out: &mut Vec<String>) {
    if b.recommendations > a.recommendations {
        out.push(more(
            b.recommendations - a.recommendations,
            "recommendation",
            "recommendations",
        ));
    }
    if b.endorsements > a.endorsements {
        out.push(more(
            b.endorsements - a.endorsements,
            "endorsement",
            "endorsements",
        ));
    }
}

/// Shared tenure or a shared workplace that came or went.
fn workplace_moved(a: &Seen, b: &Seen, out: &mut Vec<String>) {
    // Shared tenure is read from the current company (Connections.csv has
    // no other), so a job change can make it appear or vanish.
    let (was, now) = (or_none(&a.company), or_none(&b.company));
    match (a.worked_together, b.worked_together) {
        (false, true) if was != now => out.push(format!(
            "the export now counts you as having worked together, only because their new \
             company ({now}) was yours when you connected; the earlier export had them at {was}"
        )),
        (true, false) if was != now => out.push(format!(
            "the export no longer shows you worked together: it reads their current company \
             ({now}); the earlier export had them at {was}"
        )),
        (false, true) => out.push("the export now shows you worked together".into()),
        (true, false) => out.push("the export no longer shows you worked together".into()),
        _ => {}
    }
    if a.at_your_workplace != b.at_your_workplace && !b.worked_together && !a.worked_together {
        out.push(if b.at_your_workplace {
            format!("they now work at {now}, where you worked")
        } else {
            format!("they no longer work where you worked (now at {now})")
        });
    }
}

/// The invitation between you, or its note's reading, that changed.
fn invitation_moved(a: &Seen, b: &Seen, out: &mut Vec<String>) {
    if a.invited && !b.invited {
        out.push(
            "the invitation between you left Invitations.csv (it keeps 6 to 12 months)".into(),
        );
    } else if a.personal_note && !b.personal_note && b.invited {
        out.push(
            "their invitation's note no longer counts as personal: the same note has since gone \
             to several people (a pasted note)"
                .into(),
        );
    }
}

fn or_none(s: &str) -> &str {
    if s.trim().is_empty() {
        "none"
    } else {
        s.trim()
    }
}

/// The first reason of a verdict (its decision word dropped).
fn first_reason(reasons: &str) -> String {
    let r = reasons.split("; ").next().unwrap_or("");
    r.split_once(": ").map_or(r, |(_, why)| why).to_string()
}

impl Change {
    fn of(kind: Kind, p: &Seen, before: String, after: String, detail: String) -> Change {
        Change {
            kind,
            name: p.name.clone(),
            url: p.url.clone(),
            before,
            after,
            detail,
        }
    }
}

/// A connection of the earlier export no longer there.
fn removed(a: &Seen) -> Change {
    let detail = if a.decision == Decision::Unlink {
        "pruned as recommended".into()
    } else {
        format!(
            "was {} ({} context)",
            a.decision.as_str(),
            band_name(a.band)
        )
    };
    Change::of(
        Kind::Removed,
        a,
        a.decision.as_str().into(),
        String::new(),
        detail,
    )
}

/// What changed for one person in both exports (`a` then, `b` now).
fn followed(
    (a, b): (&Seen, &Seen),
    since: NaiveDate,
    how: Matched,
    pruning: &mut Pruning,
    out: &mut Vec<Change>,
) {
    if how == Matched::SlugChanged {
        out.push(Change::of(
            Kind::SlugChanged,
            b,
            a.url.clone(),
            b.url.clone(),
            "same name, company and connection date".into(),
        ));
    }
    if a.decision != Decision::Unlink && b.decision == Decision::Unlink {
        out.push(Change::of(
            Kind::NewlyUnlink,
            b,
            a.decision.as_str().into(),
            Decision::Unlink.as_str().into(),
            format!("{} (what changed: {})", b.why, moved(a, b, since)),
        ));
    }
    if a.decision == Decision::Unlink {
        match b.decision {
            Decision::Unlink => pruning.remain += 1,
            d => {
                if d == Decision::Keep {
                    pruning.now_keep += 1;
                } else {
                    pruning.now_review += 1;
                }
                out.push(Change::of(
                    Kind::NoLongerUnlink,
                    b,
                    Decision::Unlink.as_str().into(),
                    d.as_str().into(),
                    b.why.clone(),
                ));
            }
        }
    }
    if a.company.trim() != b.company.trim() || a.position.trim() != b.position.trim() {
        out.push(Change::of(
            Kind::JobChange,
            b,
            job(a),
            job(b),
            String::new(),
        ));
    }
    if a.band != b.band {
        let kind = if b.band > a.band {
            Kind::ContextUp
        } else {
            Kind::ContextDown
        };
        out.push(Change::of(
            kind,
            b,
            band_name(a.band).into(),
            band_name(b.band).into(),
            moved(a, b, since),
        ));
    }
}

/// A connection not in the earlier export (`since`: its date).
fn added(b: &Seen, since: NaiveDate) -> Change {
    let detail = match b.connected_on {
        Some(d) if d <= since => format!(
            "connected on {d}, before the earlier export (a namesake there, or a reconnection)"
        ),
        Some(d) => format!("connected on {d}"),
        None => String::new(),
    };
    Change::of(
        Kind::New,
        b,
        String::new(),
        b.decision.as_str().into(),
        detail,
    )
}

/// Compare an earlier snapshot with a later one.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Comparison {
    let m = match_people(&old.people, &new.people);
    let mut changes = Vec::new();
    let mut pruning = Pruning::default();
    let mut found = m.ambiguous_new.clone();
    let mut by_name = 0;
    for (i, a) in old.people.iter().enumerate() {
        pruning.candidates += usize::from(a.decision == Decision::Unlink);
        if m.ambiguous_old[i] {
            continue;
        }
        match m.matched[i] {
            None => {
                pruning.gone += usize::from(a.decision == Decision::Unlink);
                changes.push(removed(a));
            }
            Some((j, how)) => {
                found[j] = true;
                by_name += usize::from(how == Matched::Name);
                followed(
                    (a, &new.people[j]),
                    old.as_of,
                    how,
                    &mut pruning,
                    &mut changes,
                );
            }
        }
    }
    for (b, _) in new.people.iter().zip(&found).filter(|(_, f)| !**f) {
        changes.push(added(b, old.as_of));
    }
    invitations(old, new, &mut changes);
    changes.sort_by(|x, y| (x.kind, &x.name, &x.url).cmp(&(y.kind, &y.name, &y.url)));
    let mut counts: std::collections::BTreeMap<Kind, usize> =
        Kind::ALL.iter().map(|k| (*k, 0)).collect();
    for c in &changes {
        *counts.entry(c.kind).or_insert(0) += 1;
    }
    Comparison {
        since: old.as_of,
        previous: old.export.clone(),
        connections_before: old.people.len(),
        connections_now: new.people.len(),
        counts,
        pruning,
        matched_by_name: by_name,
        ambiguous: m.ambiguous_old.iter().filter(|a| **a).count(),
        changes,
    }
}

/// The newer export's pending invitations. One is the same as an older
/// one with the same direction, and the same slug where both have one, else
/// the same name key.
struct StillPending<'a> {
    by_slug: HashSet<(Direction, &'a str)>,
    /// Per (direction, name key): whether one of them has no slug.
    by_key: HashMap<(Direction, &'a str), bool>,
}

impl<'a> StillPending<'a> {
    fn new(pending: &'a [Pending]) -> Self {
        let mut by_slug = HashSet::new();
        let mut by_key: HashMap<(Direction, &str), bool> = HashMap::new();
        for q in pending {
            if let Some(s) = q.slug.as_deref() {
                by_slug.insert((q.direction, s));
            }
            if let Some(k) = q.name_key.as_deref() {
                let slugless = by_key.entry((q.direction, k)).or_insert(false);
                *slugless |= q.slug.is_none();
            }
        }
        StillPending { by_slug, by_key }
    }

    /// The older invitation `p` is still pending.
    fn holds(&self, p: &Pending) -> bool {
        match p.slug.as_deref() {
            Some(s) if self.by_slug.contains(&(p.direction, s)) => true,
            // Without a slug on one side, by name key.
            _ => p.name_key.as_deref().is_some_and(|k| {
                self.by_key
                    .get(&(p.direction, k))
                    .is_some_and(|slugless| p.slug.is_none() || *slugless)
            }),
        }
    }
}

/// What became of the invitations pending in `old`.
fn invitations(old: &Snapshot, new: &Snapshot, changes: &mut Vec<Change>) {
    let slugs: HashMap<&str, usize> = new
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.slug.as_deref().map(|s| (s, i)))
        .collect();
    let mut keys: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in new.people.iter().enumerate() {
        if let Some(k) = p.name_key.as_deref() {
            keys.entry(k).or_default().push(i);
        }
    }
    let still = StillPending::new(&new.pending);
    for p in &old.pending {
        let connected = p
            .slug
            .as_deref()
            .and_then(|s| slugs.get(s))
            .or_else(|| {
                p.name_key
                    .as_deref()
                    .and_then(|k| keys.get(k))
                    .filter(|v| v.len() == 1)
                    .map(|v| &v[0])
            })
            .map(|i| &new.people[*i])
            // A connection made before the invitation is not its answer.
            .filter(|c| c.connected_on.is_none_or(|d| d >= p.sent_on));
        let (kind, after, detail) = if let Some(c) = connected {
            (
                Kind::InvitationAccepted,
                "connected".to_string(),
                c.connected_on
                    .map(|d| format!("connected on {d}"))
                    .unwrap_or_default(),
            )
        } else if still.holds(p) {
            (
                Kind::InvitationPending,
                crate::labels::Status::Pending.as_str().to_string(),
                format!(
                    "pending for {} days",
                    (new.as_of - p.sent_on).num_days().max(0)
                ),
            )
        } else {
            (
                Kind::InvitationGone,
                "gone".to_string(),
                "withdrawn, ignored, or older than the months Invitations.csv keeps".into(),
            )
        };
        changes.push(Change {
            kind,
            name: p.name.clone(),
            url: p.url.clone(),
            before: format!("{} sent {}", p.direction.as_str(), p.sent_on),
            after,
            detail,
        });
    }
}

/// One export on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub as_of: NaiveDate,
    pub export: String,
    pub connections: usize,
    pub keep: usize,
    pub review: usize,
    pub unlink: usize,
    /// Since the export before (none on the first).
    pub added: Option<usize>,
    pub removed: Option<usize>,
    pub pruned_as_recommended: Option<usize>,
    pub months_since_previous: Option<f64>,
    pub added_per_month: Option<f64>,
    pub removed_per_month: Option<f64>,
}

impl Point {
    fn of(s: &Snapshot, since: Option<&Comparison>) -> Point {
        let n = |d: Decision| s.people.iter().filter(|p| p.decision == d).count();
        Point {
            as_of: s.as_of,
            export: s.export.clone(),
            connections: s.people.len(),
            keep: n(Decision::Keep),
            review: n(Decision::Review),
            unlink: n(Decision::Unlink),
            added: since.map(|c| c.counts[&Kind::New]),
            removed: since.map(|c| c.counts[&Kind::Removed]),
            pruned_as_recommended: since.map(|c| c.pruning.gone),
            months_since_previous: since
                .map(|c| ((s.as_of - c.since).num_days() as f64 / 30.44 * 10.0).round() / 10.0),
            added_per_month: None,
            removed_per_month: None,
        }
        .with_rates()
    }

    fn with_rates(mut self) -> Point {
        self.added_per_month = self.per_month(self.added);
        self.removed_per_month = self.per_month(self.removed);
        self
    }

    /// Per month of the stretch before this export.
    pub fn per_month(&self, n: Option<usize>) -> Option<f64> {
        match (n, self.months_since_previous) {
            (Some(n), Some(m)) if m > 0.0 => Some((n as f64 / m * 10.0).round() / 10.0),
            _ => None,
        }
    }
}

/// Snapshots of one owner in date order, `now` last: the timeline, and the
/// comparison of `now` with the export just before it.
pub fn timeline(mut earlier: Vec<Snapshot>, now: &Snapshot) -> Result<(Vec<Point>, Comparison)> {
    earlier.sort_by_key(|s| s.as_of);
    for s in &earlier {
        same_owner(s, now)?;
        // An audit folder that already holds this export's audit (the same
        // --out run again) has nothing to compare with.
        if s.as_of == now.as_of && s.export == now.export {
            return Err(Error::Previous {
                path: crate::text::for_terminal(&s.source),
                reason: format!(
                    "holds an audit of this same export (as of {}): name the folder of the \
                     earlier audit, or the earlier export",
                    s.as_of
                ),
            });
        }
        if s.as_of > now.as_of {
            return Err(Error::Previous {
                path: crate::text::for_terminal(&s.source),
                reason: format!(
                    "is as of {}, after the export being audited ({}): pass the older export as \
                     --previous",
                    s.as_of, now.as_of
                ),
            });
        }
    }
    // Rows an earlier audit folder carried (exports before the oldest
    // named here), then one row per export named.
    let mut points: Vec<Point> = earlier
        .first()
        .map(|s| {
            s.timeline
                .iter()
                .filter(|p| p.as_of < s.as_of)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for (k, s) in earlier.iter().enumerate() {
        let point = match k {
            // The oldest one's own row, as its audit wrote it (with what
            // changed since the export before it), where there is one.
            0 => s
                .timeline
                .iter()
                .find(|p| p.as_of == s.as_of)
                .cloned()
                .unwrap_or_else(|| Point::of(s, None)),
            _ => Point::of(s, Some(&compare(&earlier[k - 1], s))),
        };
        points.push(point);
    }
    let Some(prev) = earlier.last() else {
        return Err(Error::Usage("--previous named no export".into()));
    };
    let c = compare(prev, now);
    points.push(Point::of(now, Some(&c)));
    Ok((points, c))
}

pub const CHANGE_COLUMNS: &[&str] = &["change", "name", "profile_url", "before", "after", "detail"];

pub const TIMELINE_COLUMNS: &[&str] = &[
    "as_of",
    "export",
    "connections",
    "keep",
    "review",
    "unlink",
    "added",
    "removed",
    "pruned_as_recommended",
    "months_since_previous",
    "added_per_month",
    "removed_per_month",
];

/// Why a tie is worth a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// Real past context, gone quiet.
    Quiet,
    /// Accepted your invitation with a personal note; never a message.
    NeverTalked,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Quiet => "quiet",
            Why::NeverTalked => "never_talked",
        }
    }
}

/// A tie worth keeping alive: a row of reconnect.csv.
#[derive(Debug, Clone, Serialize)]
pub struct Reconnect {
    /// Index into the export's connections.
    pub index: usize,
    pub why: Why,
    /// The past context, in words.
    pub past: String,
    pub last_message_on: Option<NaiveDate>,
    pub quiet_days: Option<i64>,
    /// Their usual gap between conversation-days, where there are two.
    pub usual_gap_days: Option<i64>,
    /// For the order: the strongest past tie first.
    pub score: u8,
}

/// Quiet means longer than this and than [`QUIET_GAPS`] times the usual gap.
pub const QUIET_DAYS: i64 = 365;
pub const QUIET_GAPS: i64 = 4;
/// A noted invitation with no message since counts from this many days
/// after connecting.
pub const NEVER_TALKED_AFTER_DAYS: i64 = 90;

/// The ties worth keeping alive in a judged export: people with real past
/// context (two-way messages, a recommendation, shared tenure) quiet for
/// longer than both a year and four times their own usual gap between
/// conversation-days; and people who accepted your invitation with a
/// personal note but never exchanged a message. Strongest first.
pub fn reconnect(j: &Judged) -> Vec<Reconnect> {
    if !j.scope.has_messages {
        // Without messages no tie can be seen going quiet.
        return Vec::new();
    }
    let as_of = j.scope.as_of;
    let mut out: Vec<Reconnect> = j
        .joined
        .evidence
        .iter()
        .zip(&j.verdicts)
        .enumerate()
        .filter_map(|(i, (e, v))| {
            let connected = j.ex.connections[i].connected_on;
            let tie = quiet_tie(e, connected, as_of).or_else(|| never_talked(e, connected, as_of));
            tie.map(|(why, past, last, quiet, usual)| Reconnect {
                index: i,
                why,
                past,
                last_message_on: last,
                quiet_days: quiet,
                usual_gap_days: usual,
                score: v.score,
            })
        })
        .collect();
    let conns = &j.ex.connections;
    out.sort_by(|a, b| {
        (
            a.why as u8,
            std::cmp::Reverse(a.score),
            &conns[a.index].slug,
            a.index,
        )
            .cmp(&(
                b.why as u8,
                std::cmp::Reverse(b.score),
                &conns[b.index].slug,
                b.index,
            ))
    });
    out
}

/// Why a tie is listed, its past context, its last message, days quiet and
/// usual gap.
type Tie = (Why, String, Option<NaiveDate>, Option<i64>, Option<i64>);

/// Real past context gone quiet: longer than a year and four times the
/// usual gap, since the last message or, with none, since connecting.
fn quiet_tie(
    e: &crate::evidence::Evidence,
    connected: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<Tie> {
    let m = &e.messages;
    let mut past = Vec::new();
    if m.sent > 0 && m.received > 0 {
        past.push(format!(
            "two-way messages (you wrote on {} days, they on {})",
            m.sent_days, m.received_days
        ));
    }
    if e.recommendations > 0 {
        past.push(crate::report::count_of(
            e.recommendations as usize,
            "recommendation",
            "recommendations",
        ));
    }
    if let Some(t) = &e.shared_tenure {
        past.push(format!("you worked together at {t}"));
    }
    if past.is_empty() {
        return None;
    }
    // Days either of you wrote: at least the larger side's count (a day
    // both wrote is one day); the usual gap takes that bound, so a tie is
    // never called quiet early. Conversations on the same days have no gap
    // to speak of.
    let days = m.sent_days.max(m.received_days);
    let usual = match (m.first_at, m.last_at) {
        (Some(f), Some(l)) if days > 1 => {
            Some((l.date() - f.date()).num_days() / i64::from(days - 1))
        }
        _ => None,
    }
    .filter(|u| *u > 0);
    let last = m.last_at.map(|d| d.date());
    let quiet = last.or(connected).map(|l| (as_of - l).num_days());
    let threshold = QUIET_DAYS.max(usual.map_or(0, |u| u * QUIET_GAPS));
    quiet
        .is_some_and(|q| q > threshold)
        .then(|| (Why::Quiet, past.join("; "), last, quiet, usual))
}

/// Accepted your invitation with a personal note at least
/// [`NEVER_TALKED_AFTER_DAYS`] ago, and not a message since.
fn never_talked(
    e: &crate::evidence::Evidence,
    connected: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<Tie> {
    let m = &e.messages;
    let noted = matches!(
        e.invitation,
        Some((Direction::Outgoing, crate::notes::NoteClass::Personal, _))
    );
    let settled = connected.is_some_and(|d| (as_of - d).num_days() >= NEVER_TALKED_AFTER_DAYS);
    let silent = m.sent + m.received + m.group_sent + m.group_received == 0;
    (noted && settled && silent).then(|| {
        (
            Why::NeverTalked,
            "accepted your invitation with a personal note".to_string(),
            None,
            None,
            None,
        )
    })
}

pub const RECONNECT_COLUMNS: &[&str] = &[
    "name",
    "profile_url",
    "company",
    "position",
    "why",
    "past_context",
    "last_message_on",
    "quiet_days",
    "usual_gap_days",
    "context",
    "score",
];

/// The sizes of the layers of a close personal network, innermost first.
pub const LAYER_SIZES: [u32; 4] = [5, 15, 50, 150];

/// How many strong, moderate, weak and none connections a judged export has,
/// as (band, n, cumulative), strongest first.
pub fn layers(counts: [u32; 4]) -> Vec<(&'static str, u32, u32)> {
    let mut total = 0;
    crate::judge::Context::ALL
        .iter()
        .zip(counts)
        .map(|(b, n)| {
            total += n;
            (b.as_str(), n, total)
        })
        .collect()
}

/// changes.csv: one row per change, in [`Kind`] order, then by name.
pub fn changes_csv(
    w: &mut (dyn std::io::Write + Send),
    changes: &[Change],
    bom: bool,
) -> std::io::Result<()> {
    write_csv(
        w,
        CHANGE_COLUMNS,
        changes.len(),
        |k| {
            let c = &changes[k];
            vec![
                Cell::Lit(c.kind.as_str()),
                Cell::Text(&c.name),
                Cell::Text(&c.url),
                Cell::Text(&c.before),
                Cell::Text(&c.after),
                Cell::Text(&c.detail),
            ]
        },
        bom,
    )
}

fn opt_num<T: std::fmt::Display>(v: Option<T>) -> Cell<'static> {
    Cell::Num(v.map(|v| v.to_string()).unwrap_or_default())
}

/// timeline.csv: one row per export, oldest first.
pub fn timeline_csv(
    w: &mut (dyn std::io::Write + Send),
    points: &[Point],
    bom: bool,
) -> std::io::Result<()> {
    write_csv(
        w,
        TIMELINE_COLUMNS,
        points.len(),
        |k| {
            let p = &points[k];
            vec![
                Cell::Date(Some(p.as_of)),
                Cell::Text(&p.export),
                Cell::Int(p.connections as i64),
                Cell::Int(p.keep as i64),
                Cell::Int(p.review as i64),
                Cell::Int(p.unlink as i64),
                opt_num(p.added),
                opt_num(p.removed),
                opt_num(p.pruned_as_recommended),
                opt_num(p.months_since_previous),
                opt_num(p.added_per_month),
                opt_num(p.removed_per_month),
            ]
        },
        bom,
    )
}

/// reconnect.csv: the ties worth keeping alive, strongest first.
pub fn reconnect_csv(
    w: &mut (dyn std::io::Write + Send),
    lines: &[crate::report::ReconnectLine],
    bom: bool,
) -> std::io::Result<()> {
    write_csv(
        w,
        RECONNECT_COLUMNS,
        lines.len(),
        |k| {
            let r = &lines[k];
            vec![
                Cell::Text(&r.name),
                Cell::Text(&r.url),
                Cell::Text(&r.company),
                Cell::Text(&r.position),
                Cell::Lit(r.why),
                Cell::Text(&r.past),
                Cell::Date(r.last_message_on),
                opt_num(r.quiet_days),
                opt_num(r.usual_gap_days),
                Cell::Lit(r.context),
                Cell::Int(r.score.into()),
            ]
        },
        bom,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(slug: Option<&str>, name: &str, company: &str, on: (i32, u32, u32)) -> Seen {
        let (f, l) = name.split_once(' ').unwrap();
        Seen {
            slug: slug.map(str::to_string),
            name_key: name_key(f, l),
            name: name.into(),
            url: slug
                .map(|s| format!("https://www.linkedin.com/in/{s}"))
                .unwrap_or_default(),
            company: company.into(),
            position: String::new(),
            connected_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2),
            band: 0,
            decision: Decision::Review,
            score: 0,
            why: String::new(),
            messages: 0,
            last_message_on: None,
            recommendations: 0,
            endorsements: 0,
            invited: false,
            worked_together: false,
            personal_note: false,
            namesake: false,
            at_your_workplace: false,
        }
    }

    #[test]
    fn context_bands_are_in_the_order_of_context() {
        use crate::judge;
        for (i, c) in [
            judge::Context::None,
            judge::Context::Weak,
            judge::Context::Moderate,
            judge::Context::Strong,
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(*c as usize, i);
            assert_eq!(band_name(i as u8), c.as_str());
            assert_eq!(band_of(c.as_str()), Some(i as u8));
        }
    }

    #[test]
    fn a_changed_slug_with_the_same_name_company_and_date_is_one_person() {
        let old = [
            seen(Some("ada-obi-1"), "Ada Obi", "Acme", (2020, 1, 2)),
            seen(Some("bo-li-1"), "Bo Li", "Acme", (2020, 1, 2)),
        ];
        let new = [
            seen(Some("ada-obi-2"), "Ada Obi", "Acme", (2020, 1, 2)),
            // Same name, other company and slug: another person.
            seen(Some("bo-li-2"), "Bo Li", "Initech", (2020, 1, 2)),
        ];
        let Matching {
            matched: m,
            ambiguous_old: amb,
            ..
        } = match_people(&old, &new);
        assert_eq!(m[0], Some((0, Matched::SlugChanged)));
        assert_eq!(m[1], None);
        assert!(!amb.contains(&true));
    }

    #[test]
    fn without_urls_people_match_by_name_and_namesakes_are_not_guessed() {
        let old = [
            seen(Some("ada-obi-1"), "Ada Obi", "Acme", (2020, 1, 2)),
            seen(Some("jo-kim-1"), "Jo Kim", "Acme", (2019, 1, 2)),
            seen(Some("jo-kim-2"), "Jo Kim", "Initech", (2018, 1, 2)),
            seen(Some("al-ng-1"), "Al Ng", "X", (2017, 1, 2)),
            seen(Some("al-ng-2"), "Al Ng", "Y", (2017, 1, 2)),
        ];
        let new = [
            seen(None, "Ada Obi", "Acme", (2020, 1, 2)),
            seen(None, "Jo Kim", "Acme", (2019, 1, 2)),
            seen(None, "Jo Kim", "Initech", (2018, 1, 2)),
            seen(None, "Al Ng", "X", (2017, 1, 2)),
            seen(None, "Al Ng", "Y", (2017, 1, 2)),
        ];
        let Matching {
            matched: m,
            ambiguous_old: amb,
            ambiguous_new: amb_new,
        } = match_people(&old, &new);
        assert_eq!(m[0], Some((0, Matched::Name)));
        // Namesakes told apart by their connection dates.
        assert_eq!(m[1], Some((1, Matched::Name)));
        assert_eq!(m[2], Some((2, Matched::Name)));
        // Same name, same date: not guessed.
        assert_eq!((m[3], m[4]), (None, None));
        assert_eq!(amb, [false, false, false, true, true]);
        assert_eq!(amb_new, amb);
    }

    #[test]
    fn formula_guards_come_off_only_where_the_audit_put_them() {
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'tis"), "'tis");
        assert_eq!(unneutralise("Ada"), "Ada");
    }
}
