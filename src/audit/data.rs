//! What the report's renderers draw from, gathered from a judged export.

use super::{Config, IngestSummary};
use crate::aggregate;
use crate::evidence::Joined;
use crate::history;
use crate::ingest::{self, Export};
use crate::judge::{self, InvitationVerdict, Verdict};
use crate::labels::Status;
use crate::report::{self, InvitationLine, PersonLine, ReportData};
use chrono::NaiveDate;

/// A connection's name as the report shows it, redacted as asked.
fn full_name(red: &report::Redaction, first: &str, last: &str) -> String {
    red.name(format!("{} {}", first.trim(), last.trim()).trim())
        .into_owned()
}

/// The unlink candidates' lines, and the review groups in their fixed
/// order, in each the weakest evidence first, then by name.
fn people_lines(
    ex: &Export,
    verdicts: &[Verdict],
    unlink: &[usize],
    red: &report::Redaction,
) -> (Vec<PersonLine>, Vec<report::ReviewGroup>) {
    let person = |i: usize| {
        let c = &ex.connections[i];
        PersonLine {
            name: full_name(red, &c.first_name, &c.last_name),
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
    (unlink, review)
}

/// The invitations to act on (by action, newest first), and one line per
/// repeated inviter (their latest invitation).
fn invitation_lines(
    j: &Joined,
    inv_verdicts: &[InvitationVerdict],
    red: &report::Redaction,
) -> (Vec<InvitationLine>, Vec<InvitationLine>) {
    let line = |i: usize| {
        let f = &j.invitations[i];
        InvitationLine {
            direction: f.inv.direction.as_str(),
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
    (
        act.into_iter().map(line).collect(),
        repeated.into_iter().map(line).collect(),
    )
}

/// Gather what the renderers show, redacted as asked.
#[allow(clippy::too_many_arguments)]
pub(super) fn report_data(
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
    let (unlink, review) = people_lines(ex, verdicts, unlink, red);
    let (to_act, repeated) = invitation_lines(j, inv_verdicts, red);
    let etiquette = report::Etiquette::from_tables(&tables);
    ReportData {
        tool: format!("tieaudit {}", env!("CARGO_PKG_VERSION")),
        as_of,
        owner: {
            let o = full_name(red, &summary.owner.first_name, &summary.owner.last_name);
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
        to_act,
        repeated,
        etiquette,
        files: ex.files.clone(),
        ignored: ex.ignored.clone(),
        since: None,
        reconnect: Vec::new(),
    }
}

/// The ties worth keeping alive, as the report and reconnect.csv show them.
pub(super) fn reconnect_lines(
    found: &[history::Reconnect],
    ex: &Export,
    verdicts: &[Verdict],
    red: &report::Redaction,
) -> Vec<report::ReconnectLine> {
    found
        .iter()
        .map(|r| {
            let c = &ex.connections[r.index];
            report::ReconnectLine {
                name: red
                    .name(format!("{} {}", c.first_name.trim(), c.last_name.trim()).trim())
                    .into_owned(),
                url: red.url(&c.url).to_string(),
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
        .collect()
}

/// The report's tables, aggregated from every connection's and invitation's
/// verdict.
pub(super) fn tables(
    ex: &Export,
    joined: &Joined,
    verdicts: &[Verdict],
    inv_verdicts: &[InvitationVerdict],
) -> std::result::Result<aggregate::Tables, String> {
    let conn_facts: Vec<aggregate::ConnFacts> = ex
        .connections
        .iter()
        .zip(verdicts)
        .map(|(c, v)| aggregate::ConnFacts {
            year: c.connected_on.map_or(0, |d| chrono::Datelike::year(&d)),
            context: v.context,
            decision: v.decision,
            coverage: v.coverage,
            company: c.company.clone(),
            position: c.position.clone(),
        })
        .collect();
    let inv_facts: Vec<aggregate::InvFacts> = joined
        .invitations
        .iter()
        .zip(inv_verdicts)
        .map(|(f, v)| aggregate::InvFacts {
            direction: f.inv.direction,
            note: f.note,
            status: Status::of(v.accepted),
            action: v.action,
        })
        .collect();
    aggregate::aggregate(&conn_facts, &inv_facts).map_err(|e| e.to_string())
}
