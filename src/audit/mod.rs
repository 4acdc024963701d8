//! One audit, start to end: ingest, join, judge, write. The CLI calls
//! [`run`] with a validated [`Config`]; nothing here knows about clap.

use crate::error::{Error, Result};
use crate::evidence::{self, Joined};
use crate::history::{self, Snapshot};
use crate::ingest::{self, Export, Timings};
use crate::judge::{self, Decision, InvitationVerdict, Scope, Verdict};
use crate::output::OutDir;
use crate::policy::Policy;
use crate::report::{self, Redaction, ReportData};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

mod columns;
mod data;
mod text;

pub use columns::{CONNECTION_COLUMNS, INVITATION_COLUMNS, YOUR_DECISION_COLUMNS};
use columns::{connection_csv, invitation_csv, your_decisions_csv};
use data::report_data;
pub use text::render_text;

/// Validated settings for an audit: every option of `tieaudit audit`, so
/// the binary never reads its command line again.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The exports named (zips, folders, lone Connections.csv files, or
    /// folders of exports): one makes an audit, more make a batch.
    pub exports: Vec<PathBuf>,
    /// The export this audit reads (in a batch, each one in turn).
    pub export: PathBuf,
    /// Where the outputs go (created; never inside the export).
    pub out: PathBuf,
    /// Weights, thresholds and the grace period.
    pub policy: Policy,
    /// People, companies and positions never recommended for unlink.
    pub keep: crate::keep::KeepList,
    /// Judge as of this date (default: the export's latest date).
    pub as_of: Option<NaiveDate>,
    /// Write CSVs with a UTF-8 byte-order mark.
    pub excel: bool,
    /// What outputs may show of other people.
    pub redact: Redaction,
    /// The owner's own decisions (`--decisions`), and the file they came from.
    pub decisions: Option<crate::decisions::Decisions>,
    /// The file `decisions` was read from.
    pub decisions_from: Option<PathBuf>,
    /// Earlier exports or audit folders of the same owner (`--previous`):
    /// what changed since, and a timeline.
    pub previous: Vec<PathBuf>,
    // The settings below are for the caller of `run`, which never prints,
    // exits or builds a thread pool itself.
    /// Worker threads for the caller's rayon pool (default: one per core);
    /// outputs are the same for any.
    pub threads: Option<usize>,
    /// The caller prints nothing but errors.
    pub quiet: bool,
    /// The caller exits 1 when the audit finished with problems (a file not
    /// used, an export in a batch not read).
    pub strict: bool,
    /// The caller prints each stage's duration ([`Outcome::timings`]).
    pub timings: bool,
}

/// What the binary prints at the end.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The date the audit judged as of.
    pub as_of: Option<NaiveDate>,
    /// Connections judged.
    pub connections: usize,
    /// Connections per decision (keep, review, unlink).
    pub decisions: BTreeMap<&'static str, usize>,
    /// Connections per context band (strong, moderate, weak, none).
    pub contexts: BTreeMap<&'static str, usize>,
    /// Invitations per recommended action.
    pub invitation_actions: BTreeMap<&'static str, usize>,
    /// The files written.
    pub files: Vec<PathBuf>,
    /// What was read (`ingest.json`).
    pub ingest: IngestSummary,
    /// With --previous: since when, and what changed, in a sentence.
    pub since: Option<(NaiveDate, String)>,
    /// The ties worth keeping alive, in a sentence (none: empty).
    pub reconnect: String,
    /// Each stage's duration (`--timings`).
    #[serde(skip)]
    pub timings: Timings,
}

/// `ingest.json`: what was read, what was skipped and why, who the owner is,
/// and how well the files joined.
#[derive(Debug, Clone, Serialize)]
pub struct IngestSummary {
    /// The layout of ingest.json (raised when a field changes meaning).
    pub schema_version: u32,
    /// The export's path.
    pub export: String,
    /// How it was read: zip, nested zip, folder or lone file.
    pub form: String,
    /// Who the owner is, and where that was read.
    pub owner: ingest::Owner,
    /// Each file read: rows used, skipped with why, warnings.
    pub files: Vec<ingest::FileAccount>,
    /// Files seen and not read, with why.
    pub ignored: Vec<ingest::source::Ignored>,
    /// Connections read.
    pub connections: usize,
    /// Invitations read.
    pub invitations: usize,
    /// People the owner exchanged messages with.
    pub message_people: usize,
    /// The earliest connection date.
    pub connected_from: Option<NaiveDate>,
    /// The latest connection date.
    pub connected_to: Option<NaiveDate>,
    /// The latest date the export mentions (the default as-of date).
    pub latest_date: Option<NaiveDate>,
    /// Connections.csv has no profile URLs (2020 to 2022): every file is
    /// matched by name.
    pub matched_by_name: bool,
    /// Dates left out of the default as-of date: more than 400 days after
    /// nearly all others (typed wrong, or planted).
    pub dates_far_after_the_rest: usize,
    /// How each file's people joined onto connections.
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
pub(crate) fn summarize(ex: &Export, j: &Joined, latest_date: Option<NaiveDate>) -> IngestSummary {
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
#[doc(hidden)]
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
#[doc(hidden)]
pub fn judge(mut ex: Export, cfg: &Config, timings: &mut Timings) -> Result<Judged> {
    let (latest_date, far_dates) = judge::export_as_of_counted(&ex);
    let as_of = cfg.as_of.or(latest_date).ok_or_else(|| Error::NoDates {
        path: cfg.export.clone(),
    })?;
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

/// ingest.json's contents: what [`summarize`] says, with how many dates
/// were left out, how the decisions and keep list met the export, redacted
/// as asked.
fn ingest_summary(
    cfg: &Config,
    mut summary: IngestSummary,
    far_dates: usize,
    yours: Option<crate::decisions::Matched>,
    keep_report: crate::keep::KeepReport,
) -> IngestSummary {
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
    summary
}

/// Rows in profile-slug order (connections.csv), and the unlink
/// candidates weakest first (unlink_candidates.csv).
fn row_orders(ex: &Export, verdicts: &[Verdict]) -> (Vec<usize>, Vec<usize>) {
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
    (order, unlink)
}

/// What changed since the latest of the `earlier` snapshots, and the
/// timeline, redacted as asked.
fn since(cfg: &Config, judged: &Judged, earlier: Vec<Snapshot>) -> Result<report::Since> {
    let (timeline, mut comparison) = history::timeline(earlier, &Snapshot::from_judged(judged))?;
    for c in &mut comparison.changes {
        c.name = cfg.redact.name(&c.name).into_owned();
        c.url = cfg.redact.url(&c.url).to_string();
        if c.kind == history::Kind::SlugChanged {
            c.before = cfg.redact.url(&c.before).to_string();
            c.after = cfg.redact.url(&c.after).to_string();
        }
    }
    Ok(report::Since {
        comparison,
        timeline,
    })
}

/// The export read and judged, compared with the earlier ones (with
/// `--previous`), and the paths no output may be written into.
fn read_and_compare(
    cfg: &Config,
    progress: &dyn Fn(&str),
    timings: &mut Timings,
) -> Result<(Judged, Option<report::Since>, Vec<PathBuf>)> {
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
        || ingest::ingest(&cfg.export, timings),
        || {
            let t0 = Instant::now();
            let snapshots = earlier_snapshots(cfg, &previous)?;
            Ok::<_, Error>((snapshots, t0.elapsed()))
        },
    );
    let ex = ex?;
    progress("judging connections");
    let judged = judge(ex, cfg, timings)?;
    let (earlier, read_earlier) = earlier?;
    let since = if previous.is_empty() {
        None
    } else {
        progress("comparing with the earlier exports");
        let t0 = Instant::now();
        let since = since(cfg, &judged, earlier)?;
        timings.push(("read and judge the earlier exports".into(), read_earlier));
        timings.push(("compare with the earlier exports".into(), t0.elapsed()));
        Some(since)
    };
    // An earlier audit's folder may be replaced (it is read first); an
    // export never.
    let inputs = std::iter::once(cfg.export.clone())
        .chain(
            previous
                .into_iter()
                .filter(|p| !history::is_audit_folder(p)),
        )
        .collect();
    Ok((judged, since, inputs))
}

/// A rendered page: its file name, bytes, and how long it took.
type Rendered = (&'static str, Vec<u8>, std::time::Duration);

/// The report's tables aggregated and its pages rendered; how long the
/// aggregation took.
fn render_report(
    cfg: &Config,
    j: &Judged,
    unlink: &[usize],
    summary: &IngestSummary,
    extra: (Option<report::Since>, Vec<report::ReconnectLine>),
) -> Result<(std::time::Duration, Vec<Rendered>, ReportData)> {
    let t0 = Instant::now();
    let tables = data::tables(&j.ex, &j.joined, &j.verdicts, &j.inv_verdicts).map_err(|e| {
        Error::Output {
            path: cfg.out.clone(),
            reason: format!("aggregating the report tables: {e}"),
        }
    })?;
    let aggregated = t0.elapsed();
    let data = report_data(
        &j.ex,
        &j.joined,
        &j.verdicts,
        &j.inv_verdicts,
        unlink,
        tables,
        cfg,
        j.scope.as_of,
        summary,
    );
    let data = ReportData {
        since: extra.0,
        reconnect: extra.1,
        ..data
    };
    let rendered: Vec<Rendered> = report::renderers()
        .par_iter()
        .map(|r| {
            let t0 = Instant::now();
            let bytes = r.render(&data);
            (r.file_name(), bytes, t0.elapsed())
        })
        .collect();
    Ok((aggregated, rendered, data))
}

/// connections.csv, unlink_candidates.csv and invitations.csv.
fn write_tables(
    out: &mut OutDir,
    cfg: &Config,
    j: &Judged,
    order: &[usize],
    unlink: &[usize],
) -> Result<std::time::Duration> {
    let t0 = Instant::now();
    let red = &cfg.redact;
    for (name, idx) in [
        ("connections.csv", order),
        ("unlink_candidates.csv", unlink),
    ] {
        out.write_with(name, |w| {
            connection_csv(w, &j.ex, &j.joined, &j.verdicts, idx, cfg.excel, red)
        })?;
    }
    out.write_with("invitations.csv", |w| {
        invitation_csv(w, &j.joined, &j.inv_verdicts, cfg.excel, red)
    })?;
    Ok(t0.elapsed())
}

/// reconnect.csv, and with `--previous` changes.csv and timeline.csv, from
/// the report's data.
fn write_history(out: &mut OutDir, cfg: &Config, data: &ReportData) -> Result<()> {
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
    Ok(())
}

/// Connections by decision and by context, invitations by action.
type Counted = BTreeMap<&'static str, usize>;

fn counts(j: &Judged) -> (Counted, Counted, Counted) {
    let (mut decisions, mut contexts, mut actions) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for v in &j.verdicts {
        *decisions.entry(v.decision.as_str()).or_insert(0) += 1;
        *contexts.entry(v.context.as_str()).or_insert(0) += 1;
    }
    for v in &j.inv_verdicts {
        *actions.entry(v.action.as_str()).or_insert(0) += 1;
    }
    (decisions, contexts, actions)
}

/// Run one audit.
pub fn run(cfg: &Config, progress: &dyn Fn(&str)) -> Result<Outcome> {
    let mut timings = Timings::new();
    let (judged, since, inputs) = read_and_compare(cfg, progress, &mut timings)?;
    // Created once the earlier exports are known to be this owner's, so a
    // refused comparison writes nothing.
    let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    let mut out = OutDir::create(&cfg.out, &inputs)?;
    let found = history::reconnect(&judged);
    let reconnect = data::reconnect_lines(&found, &judged.ex, &judged.verdicts, &cfg.redact);

    progress("writing outputs");
    let j = &judged;
    let summary = ingest_summary(
        cfg,
        summarize(&j.ex, &j.joined, j.latest_date),
        j.far_dates,
        j.yours.clone(),
        j.keep_report.clone(),
    );
    let t0 = Instant::now();
    let json = serde_json::to_vec_pretty(&summary).map_err(|e| Error::Output {
        path: cfg.out.join("ingest.json"),
        reason: e.to_string(),
    })?;
    out.write("ingest.json", &json)?;
    timings.push(("write ingest.json".into(), t0.elapsed()));

    let t0 = Instant::now();
    let (order, unlink) = row_orders(&j.ex, &j.verdicts);
    let sorted = t0.elapsed();
    // The CSVs on one side, the report's tables and pages on the other.
    let (csvs, report) = rayon::join(
        || write_tables(&mut out, cfg, j, &order, &unlink),
        || render_report(cfg, j, &unlink, &summary, (since, reconnect)),
    );
    timings.push(("write CSVs".into(), sorted + csvs?));
    let (aggregated, rendered, data) = report?;
    timings.push(("aggregate".into(), aggregated));
    let t0 = Instant::now();
    write_history(&mut out, cfg, &data)?;
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

    let (decisions, contexts, invitation_actions) = counts(j);
    let since = data
        .since
        .as_ref()
        .map(|s| (s.comparison.since, s.headline()));
    let reconnect = if data.reconnect.is_empty() {
        String::new()
    } else {
        data.reconnect_line()
    };
    let (as_of, connections) = (j.scope.as_of, j.ex.connections.len());
    let files = out.commit()?;
    // Freeing millions of small allocations takes a noticeable share of a
    // large audit; do it off the critical path (the process may exit first,
    // which frees it all the same).
    std::thread::spawn(move || drop((judged, data)));
    Ok(Outcome {
        as_of: Some(as_of),
        connections,
        decisions,
        contexts,
        invitation_actions,
        files,
        ingest: summary,
        since,
        reconnect,
        timings,
    })
}
