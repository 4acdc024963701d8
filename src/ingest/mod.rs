//! Ingest: an export (zip, folder or lone Connections.csv) to typed rows and a
//! per-file accounting in which every row is either used or skipped with its
//! reason. Streams each file; never extracts anything to disk.

pub mod engine;
pub mod files;
pub mod messages;
pub mod model;
pub mod owner;
pub mod source;

use crate::error::{Error, Result};
use crate::identity::name_key;
use engine::Scanned;
pub use model::*;
use source::{FileKind, Ignored, Member, Source};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// Everything the export says, typed.
#[derive(Debug, Default)]
pub struct Export {
    pub path: String,
    pub form: String,
    pub files: Vec<FileAccount>,
    pub ignored: Vec<Ignored>,
    pub present: BTreeSet<FileKind>,
    pub owner: Owner,
    pub connections: Vec<Connection>,
    pub invitations: Vec<Invitation>,
    pub messages: PersonList<MessageStats>,
    pub endorsements_received: PersonMap<EndorsementStats>,
    pub endorsements_given: PersonMap<EndorsementStats>,
    pub recommendations_received: Vec<Recommendation>,
    pub recommendations_given: Vec<Recommendation>,
    pub positions: Vec<Tenure>,
    pub education: Vec<Tenure>,
    pub address_book: AddressBook,
}

/// Per-stage durations, for `--timings`.
pub type Timings = Vec<(String, std::time::Duration)>;

/// Read the export at `path`.
pub fn ingest(path: &Path, timings: &mut Timings) -> Result<Export> {
    let src = Source::open(path)?;
    ingest_source(&src, timings)
}

fn io_err(m: &Member) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        file: m.name.clone(),
        source,
    }
}

/// Accounting and timings gathered by one branch of the parallel ingest.
#[derive(Default)]
struct Log {
    files: Vec<FileAccount>,
    timings: Timings,
}

/// Run one parser over one member, recording its accounting and time.
fn run<T: Default>(
    src: &Source,
    kind: FileKind,
    log: &mut Log,
    parse: impl FnOnce(&mut dyn Read, &mut FileAccount) -> std::io::Result<(Scanned, T)>,
) -> Result<T> {
    let Some(m) = src.member(kind).cloned() else {
        return Ok(T::default());
    };
    let t0 = std::time::Instant::now();
    let mut acct = FileAccount::new(&m.name, kind);
    let out = match src.with_member(&m, |r| parse(r, &mut acct).map_err(io_err(&m))) {
        Ok(out) => out,
        // An optional file that cannot be opened is reported, not fatal.
        Err(Error::Unreadable { source, .. }) => {
            acct.error = Some(format!("cannot open: {source}: file not used"));
            log.files.push(acct);
            return Ok(T::default());
        }
        Err(e) => return Err(e),
    };
    let value = match out {
        (Scanned::Done, v) => v,
        (
            Scanned::NoHeader {
                records_seen,
                too_long,
            },
            _,
        ) => {
            acct.error = Some(format!(
                "{}: file not used",
                no_header(records_seen, too_long)
            ));
            T::default()
        }
    };
    log.timings
        .push((format!("ingest {}", m.name), t0.elapsed()));
    log.files.push(acct);
    Ok(value)
}

/// Connections.csv: the spine. Its problems are fatal.
fn read_connections(
    src: &Source,
    m: &Member,
    log: &mut Log,
) -> Result<(FileAccount, Vec<Connection>)> {
    let t0 = std::time::Instant::now();
    let mut acct = FileAccount::new(&m.name, FileKind::Connections);
    let (scanned, conns) =
        src.with_member(m, |r| files::connections(r, &mut acct).map_err(io_err(m)))?;
    if let Scanned::NoHeader {
        records_seen,
        too_long,
    } = scanned
    {
        return Err(Error::ConnectionsHeader {
            file: m.name.clone(),
            why: format!(
                "looked for a line starting with `First Name,`: {}",
                no_header(records_seen, too_long)
            ),
        });
    }
    if conns.is_empty() {
        let why = if acct.rows_read == 0 {
            "the file has a header and no rows".to_string()
        } else {
            acct.skipped
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(Error::NoPeople {
            file: m.name.clone(),
            rows: acct.rows_read,
            why,
        });
    }
    log.timings
        .push((format!("ingest {}", m.name), t0.elapsed()));
    Ok((acct, conns))
}

/// Read the export's files: Profile first (it names the owner), then
/// Connections, Invitations with messages, and the small files in parallel.
pub fn ingest_source(src: &Source, timings: &mut Timings) -> Result<Export> {
    let Some(conn_member) = src.member(FileKind::Connections).cloned() else {
        return Err(no_connections(src));
    };
    let mut ex = Export {
        path: src.path.display().to_string(),
        form: src.form.to_string(),
        ignored: src.ignored.clone(),
        present: src.members.iter().map(|m| m.kind).collect(),
        ..Export::default()
    };
    let mut log = Log::default();
    ex.owner = run(src, FileKind::Profile, &mut log, |r, a| {
        files::profile(r, a)
    })?;
    let owner_name = name_key(&ex.owner.first_name, &ex.owner.last_name);
    let (conn_out, (msg_out, rest_out)) = rayon::join(
        || {
            let mut log = Log::default();
            read_connections(src, &conn_member, &mut log).map(|r| (r, log))
        },
        || {
            rayon::join(
                || read_invitations_and_messages(src, owner_name.as_deref()),
                || read_small_files(src),
            )
        },
    );
    let ((mut acct, mut conns), conn_log) = conn_out?;
    let (talk, msg_log) = msg_out?;
    let (part, rest_log) = rest_out?;
    talk.who.settle(
        &mut ex.owner,
        talk.stats.iter().map(|(_, m)| m),
        ex.present.contains(&FileKind::Messages),
        faceless(&msg_log),
    );
    // The owner is never a connection.
    if let Some(o) = &ex.owner.slug
        && let Some(pos) = conns.iter().position(|c| c.slug.as_ref() == Some(o))
    {
        let c = conns.remove(pos);
        acct.rows_used -= 1;
        acct.skip(c.line, "the owner's own row");
    }
    ex = Export {
        connections: conns,
        invitations: talk.invitations,
        messages: talk.stats,
        ..part.with_head(ex)
    };
    log.files.push(acct);
    for l in [conn_log, msg_log, rest_log] {
        log.files.extend(l.files);
        log.timings.extend(l.timings);
    }
    log.files.sort_by_key(|f| f.kind);
    ex.files = log.files;
    timings.extend(log.timings);
    Ok(ex)
}

/// No Connections.csv: say what the export held instead.
fn no_connections(src: &Source) -> Error {
    let seen: Vec<String> = src.ignored.iter().take(8).map(|i| i.name.clone()).collect();
    let seen = if seen.is_empty() {
        "none".to_string()
    } else {
        seen.join(", ")
    };
    Error::NoConnections {
        path: src.path.clone(),
        seen,
    }
}

/// Messages with no person to join them to, and the rows read, of
/// messages.csv: the owner is trusted less when most rows are faceless.
fn faceless(msg_log: &Log) -> (u64, u64) {
    msg_log
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Messages)
        .map(|f| {
            let n = f.skipped.get(messages::FACELESS).copied().unwrap_or(0);
            (n, f.rows_read)
        })
        .next()
        .unwrap_or((0, 0))
}

/// What Invitations.csv and messages.csv gave, read one after the other.
struct Talk {
    stats: PersonList<MessageStats>,
    who: owner::Found,
    invitations: Vec<Invitation>,
}

/// Invitations first: they name the owner and hold the notes that
/// messages may repeat. Then messages.csv, in parallel blocks.
fn read_invitations_and_messages(src: &Source, owner_name: Option<&str>) -> Result<(Talk, Log)> {
    let mut log = Log::default();
    let (invitations, side) = run(src, FileKind::Invitations, &mut log, |r, a| {
        files::invitations(r, a).map(|(s, inv, o)| (s, (inv, o)))
    })?;
    let mut notes: PersonMap<Vec<String>> = PersonMap::default();
    for inv in &invitations {
        if let (Some(k), false) = (&inv.key, inv.message.is_empty()) {
            notes
                .entry(k.clone())
                .or_default()
                .push(inv.message.clone());
        }
    }
    let mut who = owner::Found::from_invitations(&side, owner_name);
    // The owner from messages when invitations did not say.
    if who.slug.is_none()
        && let Some(m) = src.member(FileKind::Messages).cloned()
    {
        match src.with_member(&m, |r| messages::most_frequent_url(r).map_err(io_err(&m))) {
            Ok(f) => who.add_messages(f, &m.name, owner_name),
            // Reported when the file itself is read below.
            Err(Error::Unreadable { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let owner_key = owner_name.map(str::to_string).or_else(|| who.name_key());
    let owner_id = messages::OwnerId {
        slug: who.slug.as_deref(),
        name_key: owner_key.as_deref(),
    };
    let stats = run(src, FileKind::Messages, &mut log, |r, a| {
        if let Some(out) = messages::messages_parallel(r, engine::BLOCK, a, &owner_id, &notes)? {
            return Ok(out);
        }
        // Stray quotes defeated the block cuts: read it again, in order.
        let m = src.member(FileKind::Messages).expect("being read");
        src.with_member(m, |r| {
            messages::messages(r, a, &owner_id, &notes).map_err(io_err(m))
        })
        .map_err(|e| std::io::Error::other(e.to_string()))
    })?;
    let talk = Talk {
        stats,
        who,
        invitations,
    };
    Ok((talk, log))
}

/// The small files, one after the other: endorsements, recommendations,
/// positions, education, the address book.
fn read_small_files(src: &Source) -> Result<(SmallFiles, Log)> {
    let mut log = Log::default();
    let log_ = &mut log;
    let part = SmallFiles {
        endorsements_received: run(src, FileKind::EndorsementsReceived, log_, |r, a| {
            files::endorsements(r, a, false)
        })?,
        endorsements_given: run(src, FileKind::EndorsementsGiven, log_, |r, a| {
            files::endorsements(r, a, true)
        })?,
        recommendations_received: run(src, FileKind::RecommendationsReceived, log_, |r, a| {
            files::recommendations(r, a)
        })?,
        recommendations_given: run(src, FileKind::RecommendationsGiven, log_, |r, a| {
            files::recommendations(r, a)
        })?,
        positions: run(src, FileKind::Positions, log_, |r, a| {
            files::tenures(r, a, false)
        })?,
        education: run(src, FileKind::Education, log_, |r, a| {
            files::tenures(r, a, true)
        })?,
        address_book: run(src, FileKind::Contacts, log_, |r, a| files::contacts(r, a))?,
    };
    Ok((part, log))
}

/// What the small files gave.
struct SmallFiles {
    endorsements_received: PersonMap<EndorsementStats>,
    endorsements_given: PersonMap<EndorsementStats>,
    recommendations_received: Vec<Recommendation>,
    recommendations_given: Vec<Recommendation>,
    positions: Vec<Tenure>,
    education: Vec<Tenure>,
    address_book: AddressBook,
}

impl SmallFiles {
    /// `head` (path, form, owner, ...) with these files' contents.
    fn with_head(self, head: Export) -> Export {
        Export {
            endorsements_received: self.endorsements_received,
            endorsements_given: self.endorsements_given,
            recommendations_received: self.recommendations_received,
            recommendations_given: self.recommendations_given,
            positions: self.positions,
            education: self.education,
            address_book: self.address_book,
            ..head
        }
    }
}

/// Why no header was found: the records looked at, and those too long to
/// read (a file with no line breaks, or a quote never closed).
fn no_header(records_seen: usize, too_long: usize) -> String {
    let records = if records_seen == 1 {
        "record"
    } else {
        "records"
    };
    match too_long {
        0 => format!("header not found in the first {records_seen} {records}"),
        n if n == records_seen => format!(
            "header not found: the first {records_seen} {records} each ran past the {} MiB \
             record limit (no line breaks, or a quote never closed)",
            engine::MAX_RECORD_BYTES >> 20
        ),
        n => format!(
            "header not found in the first {records_seen} {records} ({n} of them ran past the \
             {} MiB record limit)",
            engine::MAX_RECORD_BYTES >> 20
        ),
    }
}
