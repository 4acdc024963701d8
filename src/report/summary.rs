//! summary.json: the machine-readable headline of an audit (schema in docs/guide.md).

use super::{Render, ReportData, counts_of, ordered};
use crate::judge::{Action, Context, Coverage, Decision};
use serde::Serialize;
use std::collections::BTreeMap;

pub struct Summary;

/// Bump on any incompatible change to the layout below.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: &'a str,
    as_of: String,
    redacted: bool,
    policy: &'a crate::policy::Policy,
    connections: usize,
    invitations: usize,
    context: BTreeMap<String, u32>,
    decision: BTreeMap<String, u32>,
    /// The share of connections in `review`, 0 to 1, three decimals.
    review_share: f64,
    coverage: BTreeMap<String, u32>,
    invitation_action: BTreeMap<String, u32>,
    own_invitations_with_personal_note: (u32, u32),
    /// With a decisions file: how many you decided, the tool's agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    your_decisions: Option<&'a super::Yours>,
    /// With --previous: what changed since the export before.
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<&'a crate::history::Comparison>,
    /// With --previous: every export's headline, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<&'a [crate::history::Point]>,
    /// Ties worth keeping alive, by why.
    reconnect: BTreeMap<&'static str, usize>,
    /// Connections by context so far, strongest first, with the layer of a
    /// close network each is set against.
    layers: Vec<Layer>,
    files: Vec<FileLine<'a>>,
}

#[derive(Serialize)]
struct Layer {
    layer: &'static str,
    connections: u32,
    about: u32,
}

#[derive(Serialize)]
struct FileLine<'a> {
    file: &'a str,
    rows_read: u64,
    rows_used: u64,
    skipped: &'a BTreeMap<String, u64>,
    warnings: &'a BTreeMap<String, u64>,
    error: &'a Option<String>,
}

/// The share of connections in `review`, rounded to three decimals.
pub fn review_share(d: &ReportData) -> f64 {
    let review = counts_of::<Decision>(&d.tables.by_decision)
        .into_iter()
        .find(|(v, _)| *v == Decision::Review)
        .map_or(0, |(_, n)| n);
    if d.connections == 0 {
        0.0
    } else {
        (f64::from(review) / d.connections as f64 * 1000.0).round() / 1000.0
    }
}

impl Render for Summary {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, d: &ReportData) -> Vec<u8> {
        let map = |v: Vec<(String, u32)>| v.into_iter().collect::<BTreeMap<_, _>>();
        let doc = Doc {
            schema_version: SCHEMA_VERSION,
            tool: &d.tool,
            as_of: d.as_of.to_string(),
            redacted: d.redaction.on,
            policy: &d.policy,
            connections: d.connections,
            invitations: d.invitations,
            context: map(ordered::<Context>(&d.tables.by_context)),
            decision: map(ordered::<Decision>(&d.tables.by_decision)),
            review_share: review_share(d),
            coverage: map(ordered::<Coverage>(&d.tables.by_coverage)),
            invitation_action: map(ordered::<Action>(&d.tables.by_action)),
            own_invitations_with_personal_note: (d.etiquette.sent_personal, d.etiquette.sent),
            your_decisions: d.yours.as_ref(),
            since: d.since.as_ref().map(|s| &s.comparison),
            timeline: d.since.as_ref().map(|s| s.timeline.as_slice()),
            reconnect: ["quiet", "never_talked"]
                .into_iter()
                .map(|w| (w, d.reconnect.iter().filter(|r| r.why == w).count()))
                .collect(),
            layers: super::layers(&d.tables)
                .into_iter()
                .map(|(layer, _, connections, about)| Layer {
                    layer,
                    connections,
                    about,
                })
                .collect(),
            files: d
                .files
                .iter()
                .map(|f| FileLine {
                    file: &f.file,
                    rows_read: f.rows_read,
                    rows_used: f.rows_used,
                    skipped: &f.skipped,
                    warnings: &f.warnings,
                    error: &f.error,
                })
                .collect(),
        };
        let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        out.push(b'\n');
        out
    }
}
