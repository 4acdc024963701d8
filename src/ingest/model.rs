//! The typed rows ingest hands to the evidence stage, and the per-file
//! accounting that proves nothing was lost.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Facts by person: a fast (foldhash) map, seeded per run like std's.
pub type PersonMap<V> = hashbrown::HashMap<PersonKey, V>;

/// Facts by person as a list: each key once, in no particular order. For
/// figures that are only walked, never looked up, so no map is built.
pub type PersonList<V> = Vec<(PersonKey, V)>;

/// How a person is identified in a file: by profile slug (strong) or, where a
/// file has no URL, by normalised name (weaker, and only joined when unique).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PersonKey {
    Slug(String),
    Name(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Incoming,
    Outgoing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Connection {
    pub line: u64,
    pub first_name: String,
    pub last_name: String,
    /// The URL as the file wrote it.
    pub url: String,
    pub slug: Option<String>,
    pub name_key: Option<String>,
    pub email: String,
    pub company: String,
    pub position: String,
    pub connected_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub line: u64,
    pub direction: Direction,
    /// The other person's name as written.
    pub name: String,
    pub url: String,
    pub key: Option<PersonKey>,
    pub sent_at: NaiveDateTime,
    pub message: String,
}

/// Messages with one person, aggregated while streaming.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MessageStats {
    /// Composed messages in one-to-one threads.
    pub sent: u32,
    pub received: u32,
    /// Messages in group threads (more than one other participant).
    pub group_sent: u32,
    pub group_received: u32,
    /// Distinct (conversation, day) pairs with a message from each side: a
    /// chatty afternoon counts once.
    pub sent_days: u32,
    pub received_days: u32,
    pub one_to_one_threads: u32,
    pub group_threads: u32,
    pub first_at: Option<NaiveDateTime>,
    pub last_at: Option<NaiveDateTime>,
    pub last_sent_at: Option<NaiveDateTime>,
    pub first_received_at: Option<NaiveDateTime>,
    /// Invitation notes that reappeared as a message and were counted once.
    pub note_repeats: u32,
    /// Their name as messages wrote it, for joining where Connections has no URL.
    pub name_key: Option<String>,
    /// The earliest few messages they sent, plain text, for pitch detection.
    #[serde(skip)]
    pub first_received: Vec<(NaiveDateTime, String)>,
}

impl MessageStats {
    /// Add another set of figures with the same person (another key that
    /// joined the same connection, or another share of the conversations).
    /// The texts are not added: the caller moves them where it needs them.
    pub fn add_counts(&mut self, m: &MessageStats) {
        self.sent += m.sent;
        self.received += m.received;
        self.group_sent += m.group_sent;
        self.group_received += m.group_received;
        self.sent_days += m.sent_days;
        self.received_days += m.received_days;
        self.one_to_one_threads += m.one_to_one_threads;
        self.group_threads += m.group_threads;
        self.note_repeats += m.note_repeats;
        self.first_at = min_opt(self.first_at, m.first_at);
        self.last_at = self.last_at.max(m.last_at);
        self.last_sent_at = self.last_sent_at.max(m.last_sent_at);
        self.first_received_at = min_opt(self.first_received_at, m.first_received_at);
    }
}

/// The earlier of two optional values; either alone if only one is there.
pub fn min_opt<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EndorsementStats {
    pub count: u32,
    /// Their name, for joining where Connections has no URL.
    pub name_key: Option<String>,
    pub last_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub line: u64,
    pub name_key: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company: String,
    pub created: Option<NaiveDate>,
}

/// A stretch of the owner's career or studies.
#[derive(Debug, Clone, Serialize)]
pub struct Tenure {
    pub org: String,
    pub org_key: String,
    pub start: Option<NaiveDate>,
    /// `None`: still there.
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Owner {
    pub first_name: String,
    pub last_name: String,
    pub slug: Option<String>,
    /// Where the slug came from.
    pub slug_source: Option<String>,
    /// Where the name came from (Profile.csv, else Invitations.csv or messages).
    pub name_source: Option<String>,
    /// Found with confidence: messages can be told sent or received.
    pub confident: bool,
    /// Invitations.csv names the owner on its owner's side (or has no rows).
    pub invitations_name_owner: bool,
    /// What could not be settled about the owner, in plain words.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AddressBook {
    pub emails: BTreeSet<String>,
    pub names: BTreeSet<String>,
}

/// What happened to every row of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileAccount {
    pub file: String,
    pub kind: super::source::FileKind,
    pub encoding: Option<super::engine::Encoding>,
    pub delimiter: Option<String>,
    pub header_line: Option<u64>,
    pub rows_read: u64,
    pub rows_used: u64,
    /// Rows not used, by reason. `rows_used + sum(skipped) == rows_read`.
    pub skipped: BTreeMap<String, u64>,
    /// Rows used but worth a word (lossy UTF-8, a date that could not be read...).
    pub warnings: BTreeMap<String, u64>,
    /// The first few problems with their line numbers, for the user to look at.
    pub examples: Vec<String>,
    pub missing_columns: Vec<String>,
    /// Set when the whole file could not be read; its rows are then unknown.
    pub error: Option<String>,
}

const MAX_EXAMPLES: usize = 5;

impl FileAccount {
    pub fn new(file: &str, kind: super::source::FileKind) -> Self {
        FileAccount {
            file: file.to_string(),
            kind,
            encoding: None,
            delimiter: None,
            header_line: None,
            rows_read: 0,
            rows_used: 0,
            skipped: BTreeMap::new(),
            warnings: BTreeMap::new(),
            examples: Vec::new(),
            missing_columns: Vec::new(),
            error: None,
        }
    }

    pub fn used(&mut self) {
        self.rows_used += 1;
    }

    pub fn skip(&mut self, line: u64, reason: &str) {
        bump(&mut self.skipped, reason);
        self.example(line, reason);
    }

    pub fn warn(&mut self, line: u64, what: &str) {
        bump(&mut self.warnings, what);
        self.example(line, what);
    }

    fn example(&mut self, line: u64, what: &str) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(format!("line {line}: {what}"));
        }
    }

    /// Examples from a later part of the file, after this part's own.
    pub fn add_examples(&mut self, later: Vec<String>) {
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(later.into_iter().take(room));
    }

    /// Why rows were skipped, a reason each with its count ("4 phantom
    /// row"): the one wording of the "what was read" table, in every format.
    pub fn why_skipped(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect()
    }

    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// The invariant every file keeps.
    pub fn balanced(&self) -> bool {
        self.rows_used + self.skipped_total() == self.rows_read
    }
}

/// Count one more `key`: a reason seen before costs no allocation.
fn bump(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}
