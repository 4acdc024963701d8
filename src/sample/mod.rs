//! A deterministic synthetic export with every quirk of the format document
//! (preamble, phantom rows, percent-encoded slugs, emoji, CJK, credentials,
//! HTML and multi-line messages, sponsored threads, drafts, repeated
//! invitations, every note class; realistic names only: hostile ones live in
//! the test fixtures) whose people have latent
//! relationships, so judgement can be measured against ground truth.
//! Everything here is invented.
//!
//! Layout: `behaviour.rs` the table of what each relationship leaves;
//! `people.rs` draws the people; one file per file written (`owner.rs`
//! the owner's own three). Everything draws from one random stream, so
//! `generate` calls the writers in a fixed order: changing it changes the
//! bytes of every sample.

mod behaviour;
mod connections;
mod contacts;
mod endorsements;
mod invitations;
mod messages;
mod names;
mod owner;
mod people;
mod recommendations;
mod rng;

pub(crate) use names::{EVENTS, FIRST, LAST, OTHER_COMPANIES, POSITIONS};
pub(crate) use rng::Rng;

use crate::error::{Error, Result};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How many connections.
    pub connections: usize,
    /// The random seed: the same seed and options give the same bytes.
    pub seed: u64,
    /// Top messages.csv up to about this many rows (benchmarks).
    pub messages: Option<usize>,
    /// Top Invitations.csv up to this many rows with pending strangers.
    pub invitations: Option<usize>,
    /// Top the endorsement files up to this many rows together.
    pub endorsements: Option<usize>,
}

/// The latent relationship behind each synthetic person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latent {
    /// Worked with the owner: messages both ways, shared tenure.
    Colleague,
    /// Studied with the owner.
    Classmate,
    /// A friend: the strongest ties.
    Friend,
    /// Met once at an event: a note saying so, little after.
    EventContact,
    /// Known slightly: a little context, easily lost.
    Acquaintance,
    /// A recruiter who wrote first.
    Recruiter,
    /// Someone who connected to sell.
    Pitcher,
    /// No tie at all.
    Stranger,
}

impl Latent {
    /// The name in the truth table (`colleague`, `event_contact`, ...).
    pub fn as_str(self) -> &'static str {
        self.behaviour().name
    }
}

const EXPORT_DAY: (i32, u32, u32) = (2026, 3, 7);
const OWNER_NAME: &str = "Alex Sample";
const OWNER_SLUG: &str = "alex-sample-0a1b2c";

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// What every file's rows share: the export day, the start of the window
/// Invitations.csv still holds, and the owner's profile.
struct Ctx {
    today: NaiveDate,
    window_start: NaiveDate,
    owner_url: String,
}

/// Quote a CSV field the way LinkedIn does: only when needed.
pub(crate) fn q(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(crate) fn line(fields: &[&str]) -> String {
    fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(",")
}

pub(crate) fn inv_date(d: NaiveDateTime) -> String {
    d.format("%-m/%-d/%y, %-I:%M %p").to_string()
}

/// A stable 32-bit hash (FNV-1a) for synthetic conversation ids.
pub(crate) fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// An export's files: (path inside the export, contents).
pub type ExportFiles = Vec<(String, Vec<u8>)>;

/// The export's files, plus the truth table.
pub fn generate(opts: &Options) -> (ExportFiles, String) {
    let mut rng = Rng(opts.seed ^ 0x7165_6175_6469_7400);
    let today = ymd(EXPORT_DAY.0, EXPORT_DAY.1, EXPORT_DAY.2);
    let ctx = Ctx {
        today,
        window_start: today - Duration::days(270),
        owner_url: format!("https://www.linkedin.com/in/{OWNER_SLUG}"),
    };
    let mut people = people::draw(&mut rng, &ctx, opts.connections);
    let truth = people::truth(&people);
    people.sort_by_key(|p| std::cmp::Reverse(p.connected));
    let mut t = Traces::new();
    for (i, p) in people.iter().enumerate() {
        t.person(&mut rng, &ctx, p, i as u32 + 1);
    }
    t.top_up(&mut rng, &ctx, &people, opts);
    messages::noise(&mut t.msgs, &ctx, &people);
    invitations::pending(&mut t.inv, &mut rng, &ctx);
    (t.files(&people), truth)
}

/// The files the people's relationships leave traces in. One random
/// stream feeds them all, so the order of the calls is part of the bytes.
struct Traces {
    inv: String,
    msgs: String,
    ends: endorsements::Endorsements,
    recs: String,
    contacts: String,
}

impl Traces {
    fn new() -> Self {
        Traces {
            inv: String::from(invitations::HEAD),
            msgs: String::from(messages::HEAD),
            ends: endorsements::Endorsements::new(),
            recs: String::from(recommendations::HEAD),
            contacts: String::from(contacts::HEAD),
        }
    }

    /// One person's traces (`n`: their place, newest link first, from 1).
    fn person(&mut self, rng: &mut Rng, ctx: &Ctx, p: &people::Person, n: u32) {
        let invite = invitations::person(&mut self.inv, rng, ctx, p);
        messages::person(&mut self.msgs, rng, ctx, p, n, &invite);
        self.ends.person(rng, ctx, p);
        recommendations::person(&mut self.recs, rng, ctx, p);
        contacts::person(&mut self.contacts, rng, p);
    }

    /// Large exports: topped up to the asked sizes with rows of the same kinds.
    fn top_up(&mut self, rng: &mut Rng, ctx: &Ctx, people: &[people::Person], opts: &Options) {
        if let Some(target) = opts.messages {
            messages::top_up(&mut self.msgs, rng, ctx, people, target);
        }
        if let Some(target) = opts.invitations {
            invitations::top_up(&mut self.inv, rng, ctx, target);
        }
        if let Some(target) = opts.endorsements {
            self.ends.top_up(rng, ctx, people, target);
        }
    }

    /// Every file of the export, in the order they are written (a zip's order).
    fn files(self, people: &[people::Person]) -> ExportFiles {
        let files: [(&str, Vec<u8>); 13] = [
            ("Connections.csv", connections::connections(people).into()),
            ("Invitations.csv", self.inv.into()),
            ("messages.csv", self.msgs.into()),
            ("guide_messages.csv", GUIDE_MESSAGES.into()),
            ("Endorsement_Received_Info.csv", self.ends.received.into()),
            ("Endorsement_Given_Info.csv", self.ends.given.into()),
            ("Recommendations_Received.csv", self.recs.into()),
            ("Profile.csv", owner::profile().into()),
            ("Positions.csv", owner::positions().into()),
            ("Education.csv", owner::education().into()),
            ("ImportedContacts.csv", self.contacts.into()),
            ("Rich_Media.csv", RICH_MEDIA.into()),
            ("Jobs/Job Applications.csv", JOB_APPLICATIONS.into()),
        ];
        files.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
    }
}

/// Files the sample leaves empty: their header only.
const GUIDE_MESSAGES: &[u8] = b"CONVERSATION ID,FROM,TO,DATE,CONTENT\n";
const RICH_MEDIA: &[u8] = b"Date/Time,Media Description,Media Link\n";
const JOB_APPLICATIONS: &[u8] = b"Application Date,Contact Email\n";

/// Write the sample as a folder or a deflate zip.
pub fn write(out: &Path, opts: &Options, zip: bool, truth: Option<&Path>) -> Result<()> {
    let (files, truth_csv) = generate(opts);
    write_files(out, &files, zip)?;
    if let Some(t) = truth {
        std::fs::write(t, truth_csv).map_err(|e| Error::Output {
            path: t.to_path_buf(),
            reason: e.to_string(),
        })?;
    }
    Ok(())
}

/// Write an export's files as a folder or a deflate zip.
pub fn write_files(out: &Path, files: &[(String, Vec<u8>)], zip: bool) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| Error::Output {
        path: out.to_path_buf(),
        reason: e.to_string(),
    };
    if zip {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| err(&e))?;
        }
        let f = std::fs::File::create(out).map_err(|e| err(&e))?;
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(name.as_str(), o).map_err(|e| err(&e))?;
            std::io::Write::write_all(&mut z, bytes).map_err(|e| err(&e))?;
        }
        z.finish().map_err(|e| err(&e))?;
    } else {
        for (name, bytes) in files {
            let p = out.join(name);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(|e| err(&e))?;
            }
            std::fs::write(&p, bytes).map_err(|e| err(&e))?;
        }
    }
    Ok(())
}
