//! The audit's CSVs: connections.csv (and unlink_candidates.csv, the same
//! columns), invitations.csv and your_decisions.csv, each with its columns.

use crate::evidence::{self, Joined};
use crate::ingest::{self, Export};
use crate::judge::{self, InvitationVerdict, Verdict};
use crate::labels::Status;
use crate::output::{Cell, write_csv};
use crate::report::{self, Redaction};

/// connections.csv's and unlink_candidates.csv's columns, in order.
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

pub(super) fn connection_csv(
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
            let (dir, note) = e
                .invitation
                .map_or(("", ""), |(d, nc, _)| (d.as_str(), nc.as_str()));
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

/// your_decisions.csv's columns, in order.
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
pub(super) fn your_decisions_csv(
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

/// invitations.csv's columns, in order.
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

pub(super) fn invitation_csv(
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
                Cell::Num(f.inv.direction.as_str().into()),
                Cell::OwnedText(red.name(&f.inv.name)),
                Cell::Text(red.url(&f.inv.url)),
                Cell::DateTime(f.inv.sent_at),
                Cell::Lit(Status::of(v.accepted).as_str()),
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
