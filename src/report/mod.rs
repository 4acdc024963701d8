//! Reports: the data every renderer draws from ([`ReportData`], built once),
//! and one renderer per format behind [`Render`], each returning bytes. The
//! one writer that touches the disk is `output::OutDir`.

pub mod html;
pub mod markdown;
pub mod summary;

use crate::aggregate::{Counts, Tables};
use crate::ingest::FileAccount;
use crate::ingest::source::Ignored;
use crate::policy::Policy;
use chrono::NaiveDate;
use serde::Serialize;

/// A renderer: a file name and the bytes for it.
pub trait Render {
    fn file_name(&self) -> &'static str;
    fn render(&self, data: &ReportData) -> Vec<u8>;
}

/// All renderers, in the order they are written.
pub fn renderers() -> Vec<Box<dyn Render + Send + Sync>> {
    vec![
        Box::new(html::Html),
        Box::new(markdown::Markdown),
        Box::new(summary::Summary),
    ]
}

/// What the owner shares and hides: `--redact` drops emails and message or
/// note text, and reduces names to initials; profile URLs go too unless asked.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Redaction {
    pub on: bool,
    pub keep_urls: bool,
}

impl Redaction {
    pub fn name<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.on {
            return s.into();
        }
        s.split_whitespace()
            .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
            .flat_map(char::to_uppercase)
            .map(|c| format!("{c}."))
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    }
    pub fn url<'a>(&self, s: &'a str) -> &'a str {
        if self.on && !self.keep_urls { "" } else { s }
    }
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        if self.on { "" } else { s }
    }
}

/// A connection recommended for unlink, as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PersonLine {
    pub name: String,
    pub company: String,
    pub connected_on: Option<NaiveDate>,
    pub score: u8,
    pub url: String,
    pub reasons: String,
}

/// An invitation the owner should act on.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationLine {
    pub direction: &'static str,
    pub name: String,
    pub url: String,
    pub sent_on: NaiveDate,
    pub note: &'static str,
    pub times_sent: u32,
    pub action: &'static str,
    pub reasons: String,
}

/// The owner's own invitation habits.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Etiquette {
    pub sent: u32,
    pub sent_personal: u32,
    pub received: u32,
    pub received_personal: u32,
    /// Acceptance of the owner's invitations with and without a personal note: (accepted, total).
    pub sent_with_note: (u32, u32),
    pub sent_without_note: (u32, u32),
}

impl Etiquette {
    pub fn from_tables(t: &Tables) -> Etiquette {
        let mut e = Etiquette::default();
        for (k, n) in &t.by_invitation_note {
            let (dir, note, status) = (k[0].as_str(), k[1].as_str(), k[2].as_str());
            let personal = note == "personal";
            let accepted = status == "accepted";
            if dir == "outgoing" {
                e.sent += n;
                let slot = if personal {
                    &mut e.sent_with_note
                } else {
                    &mut e.sent_without_note
                };
                slot.1 += n;
                if accepted {
                    slot.0 += n;
                }
                if personal {
                    e.sent_personal += n;
                }
            } else {
                e.received += n;
                if personal {
                    e.received_personal += n;
                }
            }
        }
        e
    }
}

/// Everything the renderers draw from.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub tool: String,
    pub as_of: NaiveDate,
    pub owner: String,
    pub export: String,
    pub redaction: Redaction,
    pub policy: Policy,
    pub connections: usize,
    pub invitations: usize,
    pub tables: Tables,
    pub unlink: Vec<PersonLine>,
    pub to_act: Vec<InvitationLine>,
    pub repeated: Vec<InvitationLine>,
    pub etiquette: Etiquette,
    pub files: Vec<FileAccount>,
    pub ignored: Vec<Ignored>,
}

/// `Counts` with one key, as (label, n), in the given label order.
pub fn ordered(c: &Counts, order: &[&str]) -> Vec<(String, u32)> {
    order
        .iter()
        .map(|o| {
            (
                o.to_string(),
                c.iter().filter(|(k, _)| k[0] == *o).map(|(_, n)| n).sum(),
            )
        })
        .collect()
}

pub const CONTEXTS: [&str; 4] = ["strong", "moderate", "weak", "none"];
pub const DECISIONS: [&str; 3] = ["keep", "review", "unlink"];
pub const COVERAGES: [&str; 3] = ["high", "partial", "low"];
pub const NOTES: [&str; 4] = ["personal", "default", "none", "pitch"];
pub const ACTIONS: [&str; 6] = ["accept", "reply", "ignore", "withdraw", "wait", "none"];

/// A share as a whole percentage, or "n/a" of nothing.
pub fn pct(part: u32, whole: u32) -> String {
    if whole == 0 {
        "n/a".into()
    } else {
        format!("{:.0}%", part as f64 * 100.0 / whole as f64)
    }
}

/// What a user should make of their own note habit.
pub fn etiquette_advice(e: &Etiquette) -> String {
    if e.sent == 0 {
        return "You sent no invitations in the period this export covers.".into();
    }
    let share = e.sent_personal as f64 / e.sent as f64;
    if share >= 0.8 {
        "Most of your invitations say how you know the person: keep it up.".into()
    } else if share >= 0.4 {
        "Many of your invitations carry no personal note. A line on where you met or why you connect makes an invitation easy to accept and the connection meaningful.".into()
    } else {
        "Most of your invitations carry no personal note. The etiquette you audit others by applies to you too: say how you know each other.".into()
    }
}

/// Invitations in one direction by note class, in [`NOTES`] order.
pub fn notes_by_class(t: &Tables, direction: &str) -> Vec<(String, u32)> {
    NOTES
        .iter()
        .map(|n| {
            (
                n.to_string(),
                t.by_invitation_note
                    .iter()
                    .filter(|(k, _)| k[0] == direction && k[1] == *n)
                    .map(|(_, c)| c)
                    .sum(),
            )
        })
        .collect()
}

/// The years in the per-year table (already sorted; "0" is unknown).
pub fn years(t: &Tables) -> Vec<&String> {
    let mut years: Vec<&String> = t.by_year_context.iter().map(|(k, _)| &k[0]).collect();
    years.dedup();
    years
}

/// Connections made in `year` with `context`.
pub fn year_count(t: &Tables, year: &str, context: &str) -> u32 {
    t.by_year_context
        .iter()
        .find(|(k, _)| k[0] == year && k[1] == context)
        .map_or(0, |(_, n)| *n)
}
