//! One audit, start to end: ingest, join, judge, write. The CLI calls
//! [`run`] with a validated [`Config`]; nothing here knows about clap.

use crate::aggregate;
use crate::error::{Error, Result};
use crate::evidence::{self, Joined};
use crate::history::{self, Snapshot};
use crate::ingest::{self, Export, Timings};
use crate::judge::{self, Decision, InvitationVerdict, Scope, Verdict};
use crate::output::{Cell, OutDir, write_csv};
use crate::policy::Policy;
use crate::report::{self, InvitationLine, PersonLine, Redaction, ReportData};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

/// Validated settings for one audit.
#[derive(Debug, Clone)]
pub struct Config {
    pub export: PathBuf,
    pub out: PathBuf,
    pub policy: Policy,
    /// People, companies and positions never recommended for unlink.
    pub keep: crate::keep::KeepList,
    pub as_of: Option<NaiveDate>,
    /// Write CSVs with a UTF-8 byte-order mark.
    pub excel: bool,
    /// What outputs may show of other people.
    pub redact: Redaction,
    /// The owner's own decisions (`--decisions`), and the file they came from.
    pub decisions: Option<crate::decisions::Decisions>,
    pub decisions_from: Option<PathBuf>,
    /// Earlier exports or audit folders of the same owner (`--previous`):
    /// what changed since, and a timeline.
    pub previous: Vec<PathBuf>,
}

/// What the binary prints at the end.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub as_of: Option<NaiveDate>,
    pub connections: usize,
    pub decisions: BTreeMap<&'static str, usize>,
    pub contexts: BTreeMap<&'static str, usize>,
    pub invitation_actions: BTreeMap<&'static str, usize>,
    pub files: Vec<PathBuf>,
    pub ingest: IngestSummary,
    #[serde(skip)]
    pub timings: Timings,
}

/// `ingest.json`: what was read, what was skipped and why, who the owner is,
/// and how well the files joined.
#[derive(Debug, Clone, Serialize)]
pub struct IngestSummary {
    pub schema_version: u32,
    pub export: String,
    pub form: String,
    pub owner: ingest::Owner,
    pub files: Vec<ingest::FileAccount>,
    pub ignored: Vec<ingest::source::Ignored>,
    pub connections: usize,
    pub invitations: usize,
    pub message_people: usize,
    pub connected_from: Option<NaiveDate>,
    pub connected_to: Option<NaiveDate>,
    pub latest_date: Option<NaiveDate>,
    /// Connections.csv has no profile URLs (2020 to 2022): every file is
    /// matched by name.
    pub matched_by_name: bool,
    /// Dates left out of the default as-of date: more than 400 days after
    /// nearly all others (typed wrong, or planted).
    pub dates_far_after_the_rest: usize,
    pub joins: evidence::Joins,
    /// How the keep list met this export (with `--keep`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_list: Option<crate::keep::KeepReport>,
    /// How your decisions met this export (with `--decisions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub your_decisions: Option<crate::decisions::Matched>,
}

/// The ingest summary, once the invitations have moved into `j` (with
/// `latest_date`, [`judge::export_as_of`] of the export before they moved).
pub fn summarize(ex: &Export, j: &Joined, latest_date: Option<NaiveDate>) -> IngestSummary {
    IngestSummary {
        schema_version: 1,
        export: ex.path.clone(),
        form: ex.form.clone(),
        owner: ex.owner.clone(),
        files: ex.files.clone(),
        ignored: ex.ignored.clone(),
        connections: ex.connections.len(),
        invitations: j.invitations.len(),
        message_people: ex.messages.len(),
        connected_from: ex.connections.iter().filter_map(|c| c.connected_on).min(),
        connected_to: ex.connections.iter().filter_map(|c| c.connected_on).max(),
        latest_date,
        matched_by_name: !ex.connections.is_empty()
            && ex.connections.iter().all(|c| c.slug.is_none()),
        dates_far_after_the_rest: 0,
        joins: j.joins.clone(),
        your_decisions: None,
        keep_list: None,
    }
}

/// Decisions of the owner's in `--out` that this run would replace without
/// carrying them: an earlier audit's connections.csv with its
/// `your_decision` column filled in, or its your_decisions.csv, holding a
/// decision this run's `--decisions` does not (or decides otherwise).
/// Refused, unless that file is this run's decisions file.
fn refuse_to_drop_decisions(cfg: &Config) -> Result<()> {
    // This run's decisions, by slug and by name key.
    let mut by_slug: HashMap<&str, crate::decisions::Choice> = HashMap::new();
    let mut by_key: HashMap<&str, crate::decisions::Choice> = HashMap::new();
    for e in cfg.decisions.iter().flat_map(|d| d.latest()) {
        if let Some(s) = e.slug.as_deref() {
            by_slug.insert(s, e.choice);
        }
        if let Some(k) = e.name_key.as_deref() {
            by_key.insert(k, e.choice);
        }
    }
    let held = |e: &crate::decisions::Entry| {
        let now = e
            .slug
            .as_deref()
            .and_then(|s| by_slug.get(s))
            .or_else(|| e.name_key.as_deref().and_then(|k| by_key.get(k)));
        now == Some(&e.choice)
    };
    let input = cfg
        .decisions_from
        .as_deref()
        .and_then(|d| d.canonicalize().ok());
    for (name, column) in [
        ("connections.csv", "your_decision"),
        ("your_decisions.csv", "decision"),
    ] {
        let old = cfg.out.join(name);
        if input.is_some() && input == old.canonicalize().ok() {
            continue;
        }
        let Some(before) = std::fs::read_to_string(&old)
            .ok()
            .and_then(|t| crate::decisions::parse(&t).ok())
        else {
            continue;
        };
        let lost = before.latest().iter().filter(|e| !held(e)).count();
        if lost > 0 {
            return Err(Error::Output {
                path: old,
                reason: format!(
                    "holds {lost} decisions of yours ({column}) that this run would replace and \
                     its --decisions does not hold: pass it with --decisions, or move it out of \
                     the output folder first"
                ),
            });
        }
    }
    Ok(())
}

/// Put the owner's decisions over the verdicts; how they met the export.
fn apply_decisions(
    d: &crate::decisions::Decisions,
    conns: &[ingest::Connection],
    verdicts: &mut [Verdict],
) -> crate::decisions::Matched {
    let slugs: Vec<Option<&str>> = conns.iter().map(|c| c.slug.as_deref()).collect();
    let keys: Vec<Option<&str>> = conns.iter().map(|c| c.name_key.as_deref()).collect();
    let (per, mut m) = crate::decisions::match_onto(d, &slugs, &keys);
    for (v, e) in verdicts.iter_mut().zip(&per) {
        if let Some(e) = e {
            judge::apply_owner(v, e);
            m.agreed += usize::from(v.tool_decision == v.decision);
        }
    }
    m
}

/// An export read and judged: what every command that looks at verdicts
/// needs (the audit, calibration, a comparison with an earlier export).
pub struct Judged {
    pub ex: Export,
    /// The invitations, moved out of `ex`, and the evidence per connection.
    pub joined: Joined,
    pub scope: Scope,
    /// The export's own as-of date, and how many dates were left out of it.
    pub latest_date: Option<NaiveDate>,
    pub far_dates: usize,
    pub keep_report: crate::keep::KeepReport,
    /// In the order of `ex.connections`, the owner's decisions applied.
    pub verdicts: Vec<Verdict>,
    pub inv_verdicts: Vec<InvitationVerdict>,
    /// How the owner's decisions met the export (with decisions).
    pub yours: Option<crate::decisions::Matched>,
}

/// Judge a read export under `cfg`'s policy, keep list, as-of date and
/// decisions.
pub fn judge(mut ex: Export, cfg: &Config, timings: &mut Timings) -> Result<Judged> {
    let (latest_date, far_dates) = judge::export_as_of_counted(&ex);
    let as_of = cfg
        .as_of
        .or(latest_date)
        .ok_or_else(|| Error::Usage("the export holds no date at all: pass --as-of".into()))?;
    let scope = Scope {
        as_of,
        has_messages: ex.present.contains(&ingest::source::FileKind::Messages),
        invitations_since: ex.invitations.iter().map(|i| i.sent_at.date()).min(),
        owner_confident: ex.owner.confident,
        invitations_name_owner: ex.owner.invitations_name_owner,
    };

    let t0 = Instant::now();
    // The invitations move into the joined facts.
    let joined = evidence::join(&mut ex);
    timings.push(("evidence".into(), t0.elapsed()));
    let t0 = Instant::now();
    let (protected, keep_report) = cfg.keep.protect(
        ex.connections
            .iter()
            .map(|c| (c.slug.as_deref(), c.company.as_str(), c.position.as_str())),
    );
    let mut verdicts = judge::judge_all(
        &ex.connections,
        &joined.evidence,
        &protected,
        &cfg.policy,
        &scope,
    );
    let yours = cfg
        .decisions
        .as_ref()
        .map(|d| apply_decisions(d, &ex.connections, &mut verdicts));
    let inv_verdicts: Vec<InvitationVerdict> = joined
        .invitations
        .par_iter()
        .map(|f| {
            let other = f.conn.map(|i| &joined.evidence[i]);
            judge::decide_invitation(f, other, &cfg.policy, &scope)
        })
        .collect();
    timings.push(("judge".into(), t0.elapsed()));
    Ok(Judged {
        ex,
        joined,
        scope,
        latest_date,
        far_dates,
        keep_report,
        verdicts,
        inv_verdicts,
        yours,
    })
}

/// At most this many earlier exports on a timeline.
pub const MAX_PREVIOUS: usize = 120;

/// The exports and audit folders `--previous` names, the export being
/// audited left out (a folder of dated exports may hold it).
fn previous_paths(cfg: &Config) -> Result<Vec<PathBuf>> {
    let this = cfg.export.canonicalize().ok();
    let paths: Vec<PathBuf> = cfg
        .previous
        .iter()
        .flat_map(|p| history::expand(p))
        .filter(|p| this.is_none() || p.canonicalize().ok() != this)
        .collect();
    if paths.is_empty() {
        return Err(Error::Usage(
            "--previous names only the export being audited: name an earlier one".into(),
        ));
    }
    if paths.len() > MAX_PREVIOUS {
        return Err(Error::Usage(format!(
            "--previous names {} exports: at most {MAX_PREVIOUS}",
            paths.len()
        )));
    }
    Ok(paths)
}

/// The snapshot of each earlier export or audit folder: an export is read
/// and judged under this audit's policy, keep list and decisions, as of its
/// own latest date.
fn earlier_snapshots(cfg: &Config, paths: &[PathBuf]) -> Result<Vec<Snapshot>> {
    let then = Config {
        as_of: None,
        ..cfg.clone()
    };
    paths
        .iter()
        .map(|p| {
            if history::is_audit_folder(p) {
                Snapshot::from_audit(p)
            } else {
                let mut t = Timings::new();
                let ex = ingest::ingest(p, &mut t)?;
                let judged = judge(ex, &then, &mut t)?;
                let snapshot = Snapshot::from_judged(&judged);
                // Freeing an export's many small allocations is off the
                // critical path, as at the end of an audit.
                std::thread::spawn(move || drop(judged));
                Ok(snapshot)
            }
        })
        .collect()
}

/// Run one audit.
pub fn run(cfg: &Config, progress: &dyn Fn(&str)) -> Result<Outcome> {
    let mut timings = Timings::new();
    progress("reading the export");
    refuse_to_drop_decisions(cfg)?;
    let previous = if cfg.previous.is_empty() {
        Vec::new()
    } else {
        previous_paths(cfg)?
    };
    // The earlier exports are read and judged beside this one: they do not
    // depend on it, and each leaves cores idle in its sequential stretches.
    let (ex, earlier) = rayon::join(
        || ingest::ingest(&cfg.export, &mut timings),
        || {
            let t0 = Instant::now();
            let snapshots = earlier_snapshots(cfg, &previous)?;
            Ok::<_, Error>((snapshots, t0.elapsed()))
        },
    );
    let ex = ex?;
    // An earlier audit's folder may be replaced (it is read first); an
    // export never.
    let inputs: Vec<&std::path::Path> = std::iter::once(cfg.export.as_path())
        .chain(
            previous
                .iter()
                .filter(|p| !history::is_audit_folder(p))
                .map(PathBuf::as_path),
        )
        .collect();
    progress("judging connections");
    let judged = judge(ex, cfg, &mut timings)?;
    let reconnect = history::reconnect(&judged);
    let (earlier, read_earlier) = earlier?;
    let since = if previous.is_empty() {
        None
    } else {
        progress("comparing with the earlier exports");
        let t0 = Instant::now();
        let (timeline, mut comparison) =
            history::timeline(earlier, &Snapshot::from_judged(&judged))?;
        for c in &mut comparison.changes {
            c.name = cfg.redact.name(&c.name).into_owned();
            c.url = cfg.redact.url(&c.url).to_string();
            if c.kind == history::Kind::SlugChanged {
                c.before = cfg.redact.url(&c.before).to_string();
                c.after = cfg.redact.url(&c.after).to_string();
            }
        }
        timings.push(("read and judge the earlier exports".into(), read_earlier));
        timings.push(("compare with the earlier exports".into(), t0.elapsed()));
        Some(report::Since {
            comparison,
            timeline,
        })
    };
    // Created once the earlier exports are known to be this owner's, so a
    // refused comparison writes nothing.
    let mut out = OutDir::create(&cfg.out, &inputs)?;
    let Judged {
        ex,
        joined,
        scope,
        latest_date,
        far_dates,
        keep_report,
        verdicts,
        inv_verdicts,
        yours,
    } = judged;
    let as_of = scope.as_of;
    let reconnect: Vec<report::ReconnectLine> = reconnect
        .iter()
        .map(|r| {
            let c = &ex.connections[r.index];
            report::ReconnectLine {
                name: cfg
                    .redact
                    .name(format!("{} {}", c.first_name.trim(), c.last_name.trim()).trim())
                    .into_owned(),
                url: cfg.redact.url(&c.url).to_string(),
                company: c.company.clone(),
                position: c.position.clone(),
                why: r.why.as_str(),
                past: r.past.clone(),
                last_message_on: r.last_message_on,
                quiet_days: r.quiet_days,
                usual_gap_days: r.usual_gap_days,
                context: verdicts[r.index].context.as_str(),
                score: r.score,
            }
        })
        .collect();

    progress("writing outputs");
    let mut summary = summarize(&ex, &joined, latest_date);
    summary.dates_far_after_the_rest = far_dates;
    summary.your_decisions = yours;
    summary.keep_list =
        (keep_report.entries + keep_report.unreadable.len() > 0).then_some(keep_report);
    if cfg.redact.on {
        summary.owner.first_name = cfg.redact.name(&summary.owner.first_name).into_owned();
        summary.owner.last_name = cfg.redact.name(&summary.owner.last_name).into_owned();
        if !cfg.redact.keep_urls {
            summary.owner.slug = None;
        }
        // Your decisions and keep list name people too.
        if let Some(m) = &mut summary.your_decisions {
            for e in m.absent.iter_mut().chain(m.ambiguous.iter_mut()) {
                e.name = cfg.redact.name(&e.name).into_owned();
                e.comment.clear();
                if !cfg.redact.keep_urls {
                    e.slug = None;
                }
            }
        }
        if let Some(k) = &mut summary.keep_list {
            for (_, text) in k.unmatched.iter_mut().chain(k.unreadable.iter_mut()) {
                if !text.contains(':') || text.contains('/') {
                    *text = "(redacted)".into();
                }
            }
        }
    }
    let t0 = Instant::now();
    let json = serde_json::to_vec_pretty(&summary).map_err(|e| Error::Output {
        path: cfg.out.join("ingest.json"),
        reason: e.to_string(),
    })?;
    out.write("ingest.json", &json)?;
    timings.push(("write ingest.json".into(), t0.elapsed()));

    let t0 = Instant::now();
    let mut keyed: Vec<(&str, u64, usize)> = ex
        .connections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_deref().unwrap_or(""), c.line, i))
        .collect();
    keyed.par_sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, _, i)| i).collect();
    let mut unlink: Vec<usize> = order
        .iter()
        .copied()
        .filter(|i| verdicts[*i].decision == Decision::Unlink)
        .collect();
    unlink.sort_by_key(|i| {
        (
            verdicts[*i].score,
            ex.connections[*i].connected_on,
            ex.connections[*i].slug.clone(),
            ex.connections[*i].line,
        )
    });
    let sorted = t0.elapsed();

    // The CSVs on one side, the report's tables and pages on the other.
    let (csvs, report) = rayon::join(
        || -> Result<_> {
            let t0 = Instant::now();
            let red = &cfg.redact;
            for (name, idx) in [
                ("connections.csv", &order),
                ("unlink_candidates.csv", &unlink),
            ] {
                out.write_with(name, |w| {
                    connection_csv(w, &ex, &joined, &verdicts, idx, cfg.excel, red)
                })?;
            }
            out.write_with("invitations.csv", |w| {
                invitation_csv(w, &joined, &inv_verdicts, cfg.excel, red)
            })?;
            Ok(t0.elapsed())
        },
        || -> Result<_> {
            let t0 = Instant::now();
            let conn_facts: Vec<aggregate::ConnFacts> = ex
                .connections
                .iter()
                .zip(&verdicts)
                .map(|(c, v)| aggregate::ConnFacts {
                    year: c.connected_on.map_or(0, |d| chrono::Datelike::year(&d)),
                    context: v.context.as_str(),
                    decision: v.decision.as_str(),
                    coverage: v.coverage.as_str(),
                    company: c.company.clone(),
                    position: c.position.clone(),
                })
                .collect();
            let inv_facts: Vec<aggregate::InvFacts> = joined
                .invitations
                .iter()
                .zip(&inv_verdicts)
                .map(|(f, v)| aggregate::InvFacts {
                    direction: direction_str(f.inv.direction),
                    note: f.note.as_str(),
                    status: if v.accepted { "accepted" } else { "pending" },
                    action: v.action.as_str(),
                })
                .collect();
            let tables =
                aggregate::aggregate(&conn_facts, &inv_facts).map_err(|e| Error::Output {
                    path: cfg.out.clone(),
                    reason: format!("aggregating the report tables: {e}"),
                })?;
            let aggregated = t0.elapsed();
            let data = report_data(
                &ex,
                &joined,
                &verdicts,
                &inv_verdicts,
                &unlink,
                tables,
                cfg,
                as_of,
                &summary,
            );
            let data = ReportData {
                since,
                reconnect,
                ..data
            };
            let rendered: Vec<(&'static str, Vec<u8>, std::time::Duration)> = report::renderers()
                .par_iter()
                .map(|r| {
                    let t0 = Instant::now();
                    let bytes = r.render(&data);
                    (r.file_name(), bytes, t0.elapsed())
                })
                .collect();
            Ok((aggregated, rendered, data))
        },
    );
    timings.push(("write CSVs".into(), sorted + csvs?));
    let (aggregated, rendered, data) = report?;
    timings.push(("aggregate".into(), aggregated));
    // The files of the report's own sections, from its data.
    let t0 = Instant::now();
    out.write_with("reconnect.csv", |w| {
        history::reconnect_csv(w, &data.reconnect, cfg.excel)
    })?;
    if let Some(s) = &data.since {
        out.write_with("changes.csv", |w| {
            history::changes_csv(w, &s.comparison.changes, cfg.excel)
        })?;
        out.write_with("timeline.csv", |w| {
            history::timeline_csv(w, &s.timeline, cfg.excel)
        })?;
    }
    timings.push(("write reconnect and changes".into(), t0.elapsed()));
    for (name, bytes, took) in rendered {
        let t0 = Instant::now();
        out.write(name, &bytes)?;
        timings.push((format!("render and write {name}"), took + t0.elapsed()));
    }

    if let (Some(d), Some(m)) = (&cfg.decisions, &summary.your_decisions) {
        out.write_with("your_decisions.csv", |w| {
            your_decisions_csv(w, d, m, cfg.excel, &cfg.redact)
        })?;
    }

    let mut decisions = BTreeMap::new();
    let mut contexts = BTreeMap::new();
    for v in &verdicts {
        *decisions.entry(v.decision.as_str()).or_insert(0) += 1;
        *contexts.entry(v.context.as_str()).or_insert(0) += 1;
    }
    let mut invitation_actions = BTreeMap::new();
    for v in &inv_verdicts {
        *invitation_actions.entry(v.action.as_str()).or_insert(0) += 1;
    }
    let connections = ex.connections.len();
    let files = out.commit()?;
    // Freeing millions of small allocations takes a noticeable share of a
    // large audit; do it off the critical path (the process may exit first,
    // which frees it all the same).
    std::thread::spawn(move || drop((ex, joined, verdicts, inv_verdicts, data)));
    Ok(Outcome {
        as_of: Some(as_of),
        connections,
        decisions,
        contexts,
        invitation_actions,
        files,
        ingest: summary,
        timings,
    })
}

pub const CONNECTION_COLUMNS: &[&str] = &[
    "profile_url",
    "first_name",
    "last_name",
    "company",
    "position",
    "connected_on",
    "context",
    "score",
    "decision",
    // Yours, to fill in: the file can come back as --decisions.
    "your_decision",
    // The tool's own, where yours differs.
    "tool_decision",
    "reasons",
    "coverage",
    "protected",
    "messages_sent",
    "messages_received",
    "message_days",
    "group_messages",
    "two_way",
    "first_message_on",
    "last_message_on",
    "invitation_direction",
    "invitation_note",
    "times_invited",
    "endorsements_received",
    "endorsements_given",
    "recommendations",
    "shared_employer",
    "connected_during_studies",
    "in_address_book",
    "pitch",
    "email",
    "last_endorsed_on",
];

/// Rows ahead whose texts [`connection_csv`] touches before it writes a row.
const AHEAD: usize = 8;

/// The first byte of every text a connection's row writes, loaded together:
/// rows go out in slug order, not in the order their texts sit in memory,
/// so each row's texts are cache misses, and loading a row's ahead of time,
/// independent of one another, lets the misses overlap instead of queueing.
fn first_bytes(c: &ingest::Connection, v: &Verdict, e: &evidence::Evidence) -> u8 {
    let first = |s: &str| s.as_bytes().first().copied().unwrap_or(0);
    [
        &c.url,
        &c.first_name,
        &c.last_name,
        &c.company,
        &c.position,
        &c.email,
    ]
    .into_iter()
    .map(|s| first(s))
    .chain([first(v.reasons.as_str())])
    .chain([&e.shared_tenure, &e.during_studies].map(|s| first(s.as_deref().unwrap_or(""))))
    .fold(e.messages.sent as u8, |a, b| a ^ b)
}

fn connection_csv(
    w: &mut (dyn std::io::Write + Send),
    ex: &Export,
    j: &Joined,
    verdicts: &[Verdict],
    idx: &[usize],
    bom: bool,
    red: &Redaction,
) -> std::io::Result<()> {
    let n = |v: u32| Cell::Int(v.into());
    let yes = |b: bool| Cell::Lit(if b { "yes" } else { "no" });
    write_csv(
        w,
        CONNECTION_COLUMNS,
        idx.len(),
        |k| {
            if let Some(&ahead) = idx.get(k + AHEAD) {
                std::hint::black_box(first_bytes(
                    &ex.connections[ahead],
                    &verdicts[ahead],
                    &j.evidence[ahead],
                ));
            }
            let i = idx[k];
            let v = &verdicts[i];
            let c = &ex.connections[i];
            let e = &j.evidence[i];
            let m = &e.messages;
            let (dir, note) = e.invitation.map_or(("", ""), |(d, nc, _)| {
                (
                    if d == ingest::Direction::Incoming {
                        "incoming"
                    } else {
                        "outgoing"
                    },
                    nc.as_str(),
                )
            });
            vec![
                Cell::Text(red.url(&c.url)),
                Cell::OwnedText(red.name(&c.first_name)),
                Cell::OwnedText(red.name(&c.last_name)),
                Cell::Text(&c.company),
                Cell::Text(&c.position),
                Cell::Date(c.connected_on),
                Cell::Lit(v.context.as_str()),
                Cell::Int(v.score.into()),
                Cell::Lit(v.decision.as_str()),
                Cell::Lit(v.yours.map_or("", |c| c.as_str())),
                Cell::Lit(v.tool_decision.as_str()),
                Cell::OwnedText(red.reasons(v.reasons.as_str(), &c.first_name, &c.last_name)),
                Cell::Lit(v.coverage.as_str()),
                yes(v.protected),
                n(m.sent),
                n(m.received),
                n(m.sent_days + m.received_days),
                n(m.group_sent + m.group_received),
                yes(judge::reciprocal(e)),
                Cell::Date(m.first_at.map(|d| d.date())),
                Cell::Date(m.last_at.map(|d| d.date())),
                Cell::Lit(dir),
                Cell::Lit(note),
                n(e.times_invited),
                n(e.endorsements_received),
                n(e.endorsements_given),
                n(e.recommendations),
                Cell::Text(e.shared_tenure.as_deref().unwrap_or("")),
                Cell::Text(e.during_studies.as_deref().unwrap_or("")),
                yes(e.in_address_book),
                yes((e.pitch_in_note || e.pitch_in_messages) && !e.pitch_answered),
                Cell::Text(red.text(&c.email)),
                Cell::Date(e.last_endorsed_on),
            ]
        },
        bom,
    )
}

pub const YOUR_DECISION_COLUMNS: &[&str] = &[
    "profile_url",
    "name",
    "decision",
    "decided_on",
    "comment",
    "in_this_export",
];

/// Every decision of the owner's, the latest per person, those about people
/// no longer in the export included: a decisions file for the next audit
/// that loses nobody (`in_this_export`: yes, no, or `ambiguous` for a name
/// two connections share).
fn your_decisions_csv(
    w: &mut (dyn std::io::Write + Send),
    d: &crate::decisions::Decisions,
    m: &crate::decisions::Matched,
    bom: bool,
    red: &Redaction,
) -> std::io::Result<()> {
    let latest = d.latest();
    let lines = |v: &[crate::decisions::Entry]| -> std::collections::HashSet<u64> {
        v.iter().map(|e| e.line).collect()
    };
    let (absent, ambiguous) = (lines(&m.absent), lines(&m.ambiguous));
    let urls: Vec<String> = latest
        .iter()
        .map(|e| {
            e.slug
                .as_deref()
                .and_then(|s| {
                    report::canonical_profile_url(&format!("https://www.linkedin.com/in/{s}"))
                })
                .unwrap_or_default()
        })
        .collect();
    write_csv(
        w,
        YOUR_DECISION_COLUMNS,
        latest.len(),
        |k| {
            let e = latest[k];
            vec![
                Cell::Text(red.url(&urls[k])),
                Cell::OwnedText(red.name(&e.name)),
                Cell::Lit(e.choice.as_str()),
                Cell::Date(e.decided_on),
                Cell::Text(red.text(&e.comment)),
                Cell::Lit(if absent.contains(&e.line) {
                    "no"
                } else if ambiguous.contains(&e.line) {
                    "ambiguous"
                } else {
                    "yes"
                }),
            ]
        },
        bom,
    )
}

pub const INVITATION_COLUMNS: &[&str] = &[
    "direction",
    "name",
    "profile_url",
    "sent_at",
    "status",
    "note",
    "times_sent",
    "action",
    "reasons",
    "message",
];

fn invitation_csv(
    w: &mut (dyn std::io::Write + Send),
    j: &Joined,
    verdicts: &[InvitationVerdict],
    bom: bool,
    red: &Redaction,
) -> std::io::Result<()> {
    let mut order: Vec<usize> = (0..j.invitations.len()).collect();
    order.sort_by(|a, b| {
        let (x, y) = (&j.invitations[*a].inv, &j.invitations[*b].inv);
        (y.sent_at, x.direction, &x.url, &x.name, x.line).cmp(&(
            x.sent_at,
            y.direction,
            &y.url,
            &y.name,
            y.line,
        ))
    });
    write_csv(
        w,
        INVITATION_COLUMNS,
        order.len(),
        |k| {
            let f = &j.invitations[order[k]];
            let v = &verdicts[order[k]];
            vec![
                Cell::Num(
                    if f.inv.direction == ingest::Direction::Incoming {
                        "incoming"
                    } else {
                        "outgoing"
                    }
                    .into(),
                ),
                Cell::OwnedText(red.name(&f.inv.name)),
                Cell::Text(red.url(&f.inv.url)),
                Cell::DateTime(f.inv.sent_at),
                Cell::Lit(if v.accepted { "accepted" } else { "pending" }),
                Cell::Lit(f.note.as_str()),
                Cell::Int(f.times_sent.into()),
                Cell::Lit(v.action.as_str()),
                Cell::Text(v.reasons.as_str()),
                Cell::Text(red.text(&f.inv.message)),
            ]
        },
        bom,
    )
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The text the binary prints: ingest summary, then the numbers a user wants
/// first and where each output is. Export text is stripped of control and
/// bidirectional characters.
pub fn render_text(o: &Outcome) -> String {
    use std::fmt::Write;
    let s = &o.ingest;
    let t = crate::text::for_terminal;
    let mut w = String::new();
    let _ = writeln!(
        w,
        "As of {}:",
        o.as_of.map(|d| d.to_string()).unwrap_or_default()
    );
    let in_order = |m: &BTreeMap<&str, usize>, keys: &[&str]| {
        keys.iter()
            .map(|k| format!("{} {k}", m.get(k).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let review = o.decisions.get("review").copied().unwrap_or(0);
    let _ = writeln!(
        w,
        "  connections by decision: {} (review share {})",
        in_order(&o.decisions, &["keep", "review", "unlink"]),
        if o.connections == 0 {
            "-".to_string()
        } else {
            pct(review as f64 / o.connections as f64)
        }
    );
    let _ = writeln!(
        w,
        "  connections by context:  {}",
        in_order(&o.contexts, &["strong", "moderate", "weak", "none"])
    );
    let _ = writeln!(
        w,
        "  invitations by action:   {}",
        if o.invitation_actions.is_empty() {
            "none in this export".into()
        } else {
            in_order(&o.invitation_actions, &crate::report::ACTIONS)
        }
    );
    if let Some(k) = &s.keep_list {
        let _ = writeln!(
            w,
            "  keep list:               {} entries protect {} connections",
            k.entries, k.protected
        );
        for (line, text) in &k.unmatched {
            let _ = writeln!(w, "    line {line} matched nobody: {}", t(text));
        }
        for (line, text) in &k.unreadable {
            let _ = writeln!(
                w,
                "    line {line} is not a profile URL, slug, company: or position: entry: {}",
                t(text)
            );
        }
    }
    if let Some(m) = &s.your_decisions {
        let _ = writeln!(
            w,
            "  your decisions:          {} applied (the tool's own view agreed on {}), {} about people not in this export, {} not used (see ingest.json)",
            m.matched,
            m.agreed,
            m.absent.len(),
            crate::report::count_of(m.skipped.len() + m.ambiguous.len(), "row", "rows")
        );
    }
    let _ = writeln!(w, "\nWhat was read:");
    let _ = writeln!(w, "Export: {} ({})", t(&s.export), s.form);
    let owner = format!("{} {}", s.owner.first_name, s.owner.last_name);
    let _ = writeln!(
        w,
        "Owner: {} ({})",
        if owner.trim().is_empty() {
            "name unknown (no Profile.csv)".to_string()
        } else {
            t(owner.trim())
        },
        match (&s.owner.slug, &s.owner.slug_source) {
            (Some(sl), Some(src)) => format!("/in/{} from {}", t(sl), t(src)),
            _ => "profile URL not found".into(),
        }
    );
    for p in &s.owner.problems {
        let _ = writeln!(w, "Warning: {}", t(p));
    }
    let _ = writeln!(w, "Files read:");
    for f in &s.files {
        let skipped: Vec<String> = f.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let _ = writeln!(
            w,
            "  {:<34} {:>8} rows, {:>8} used, {:>6} skipped{}{}",
            t(&f.file),
            f.rows_read,
            f.rows_used,
            f.skipped_total(),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" ({})", skipped.join(", "))
            },
            f.error
                .as_ref()
                .map(|e| format!(" [{}]", t(e)))
                .unwrap_or_default()
        );
    }
    if !s.ignored.is_empty() {
        let names: Vec<String> = s.ignored.iter().take(12).map(|i| t(&i.name)).collect();
        let more = s.ignored.len().saturating_sub(12);
        let _ = writeln!(
            w,
            "Ignored {} files: {}{}",
            s.ignored.len(),
            names.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        w,
        "Connections: {} (connected {} to {})",
        s.connections,
        s.connected_from
            .map(|d| d.to_string())
            .unwrap_or("?".into()),
        s.connected_to.map(|d| d.to_string()).unwrap_or("?".into())
    );
    if s.dates_far_after_the_rest > 0 {
        let _ = writeln!(
            w,
            "Left out of the as-of date: {} dates far after all the others (latest kept: {})",
            s.dates_far_after_the_rest,
            s.latest_date.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    if s.matched_by_name {
        let _ = writeln!(
            w,
            "Matched by name: this export has no profile URLs (exports before 2023 leave \
             them out)"
        );
    }
    let j = &s.joins;
    for (name, js) in [
        ("invitations", &j.invitations),
        ("message partners", &j.message_people),
        ("endorsements", &j.endorsements),
        ("recommendations", &j.recommendations),
    ] {
        if js.total > 0 {
            let _ = writeln!(
                w,
                "Joined onto connections: {name} {}/{} ({}; {} by name, {} ambiguous)",
                js.by_slug + js.by_name,
                js.total,
                pct(js.rate()),
                js.by_name,
                js.ambiguous
            );
        }
    }
    let _ = writeln!(w, "Wrote:");
    for f in &o.files {
        let _ = writeln!(w, "  {}", t(&f.display().to_string()));
    }
    if let Some(page) = o.files.iter().find(|f| f.ends_with("report.html")) {
        let _ = writeln!(
            w,
            "\nOpen {} in a browser: it lists what to do next.",
            t(&page.display().to_string())
        );
    }
    w
}

fn direction_str(d: ingest::Direction) -> &'static str {
    match d {
        ingest::Direction::Incoming => "incoming",
        ingest::Direction::Outgoing => "outgoing",
    }
}

/// Gather what the renderers show, redacted as asked.
#[allow(clippy::too_many_arguments)]
fn report_data(
    ex: &Export,
    j: &Joined,
    verdicts: &[Verdict],
    inv_verdicts: &[InvitationVerdict],
    unlink: &[usize],
    tables: aggregate::Tables,
    cfg: &Config,
    as_of: NaiveDate,
    summary: &IngestSummary,
) -> ReportData {
    let red = &cfg.redact;
    let full = |f: &str, l: &str| {
        red.name(format!("{} {}", f.trim(), l.trim()).trim())
            .into_owned()
    };
    let person = |i: usize| {
        let c = &ex.connections[i];
        PersonLine {
            name: full(&c.first_name, &c.last_name),
            company: c.company.clone(),
            connected_on: c.connected_on,
            score: verdicts[i].score,
            url: red.url(&c.url).to_string(),
            reasons: red
                .reasons(verdicts[i].reasons.as_str(), &c.first_name, &c.last_name)
                .into_owned(),
        }
    };
    let unlink = unlink.iter().map(|i| person(*i)).collect();
    // Review groups in their fixed order; in each, the weakest evidence
    // first, then by name.
    let review = judge::ReviewWhy::ALL
        .iter()
        .filter_map(|why| {
            let mut people: Vec<PersonLine> = (0..verdicts.len())
                .filter(|i| verdicts[*i].review == Some(*why))
                .map(person)
                .collect();
            people.sort_by(|a, b| (a.score, &a.name).cmp(&(b.score, &b.name)));
            (!people.is_empty()).then_some(report::ReviewGroup { why: *why, people })
        })
        .collect();
    let line = |i: usize| {
        let f = &j.invitations[i];
        InvitationLine {
            direction: direction_str(f.inv.direction),
            name: red.name(&f.inv.name).into_owned(),
            url: red.url(&f.inv.url).to_string(),
            sent_on: f.inv.sent_at.date(),
            note: f.note.as_str(),
            times_sent: f.times_sent,
            action: inv_verdicts[i].action.as_str(),
            reasons: inv_verdicts[i].reasons.as_str().to_string(),
        }
    };
    let mut act: Vec<usize> = (0..j.invitations.len())
        .filter(|i| {
            matches!(
                inv_verdicts[*i].action,
                judge::Action::Accept
                    | judge::Action::Reply
                    | judge::Action::Ignore
                    | judge::Action::Withdraw
            )
        })
        .collect();
    act.sort_by_key(|i| {
        (
            inv_verdicts[*i].action,
            std::cmp::Reverse(j.invitations[*i].inv.sent_at),
            j.invitations[*i].inv.line,
        )
    });
    // One line per repeated inviter: their latest invitation.
    let mut repeated: Vec<usize> = (0..j.invitations.len())
        .filter(|i| {
            j.invitations[*i].times_sent > 1
                && j.invitations[*i].inv.direction == ingest::Direction::Incoming
        })
        .collect();
    repeated.sort_by_key(|i| {
        (
            j.invitations[*i].inv.key.clone(),
            std::cmp::Reverse(j.invitations[*i].inv.sent_at),
        )
    });
    repeated.dedup_by_key(|i| j.invitations[*i].inv.key.clone());
    let etiquette = report::Etiquette::from_tables(&tables);
    ReportData {
        tool: format!("tieaudit {}", env!("CARGO_PKG_VERSION")),
        as_of,
        owner: {
            let o = full(&summary.owner.first_name, &summary.owner.last_name);
            if o.is_empty() {
                "your network".to_string()
            } else {
                o
            }
        },
        export: std::path::Path::new(&ex.path)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        redaction: *red,
        policy: cfg.policy.clone(),
        connections: ex.connections.len(),
        invitations: j.invitations.len(),
        tables,
        unlink,
        review,
        has_messages: ex.present.contains(&ingest::source::FileKind::Messages),
        has_invitations: ex.present.contains(&ingest::source::FileKind::Invitations),
        yours: summary.your_decisions.as_ref().map(|m| report::Yours {
            decided: m.matched,
            agreed: m.agreed,
            absent: m.absent.len(),
            skipped: m.skipped.len() + m.ambiguous.len(),
        }),
        to_act: act.into_iter().map(line).collect(),
        repeated: repeated.into_iter().map(line).collect(),
        etiquette,
        files: ex.files.clone(),
        ignored: ex.ignored.clone(),
        since: None,
        reconnect: Vec::new(),
    }
}
