//! Evidence: join every file onto each connection by profile slug, falling back
//! to a unique normalised name where a file has no URL (marked as weaker), and
//! count what could not be joined.

use crate::ingest::Direction;
use crate::ingest::{
    Connection, EndorsementStats, Export, Invitation, MessageStats, PersonKey, Tenure,
};
use crate::notes::{self, NoteClass};
use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use serde::Serialize;

/// How a file's row found its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Join {
    Slug,
    Name,
    Ambiguous,
    None,
}

/// Indexes for joining keys onto connections.
pub struct Index<'c> {
    conns: &'c [Connection],
    by_slug: FastMap<&'c str, usize>,
    by_name: FastMap<&'c str, Named>,
}

/// The connections with one name: nearly always one, which needs no list.
enum Named {
    One(usize),
    Many(Vec<usize>),
}

impl Named {
    fn all(&self) -> &[usize] {
        match self {
            Named::One(i) => std::slice::from_ref(i),
            Named::Many(v) => v,
        }
    }
}

/// Hash maps keyed by text that only this process sees: a fast hasher.
type FastMap<K, V> = hashbrown::HashMap<K, V>;

impl<'c> Index<'c> {
    /// The two maps are built side by side (each is one thread's work).
    pub fn new(conns: &'c [Connection]) -> Index<'c> {
        let (by_slug, by_name) = rayon::join(
            || {
                let mut by_slug = FastMap::with_capacity(conns.len());
                for (i, c) in conns.iter().enumerate() {
                    if let Some(s) = &c.slug {
                        by_slug.insert(s.as_str(), i);
                    }
                }
                by_slug
            },
            || {
                let mut by_name: FastMap<&str, Named> = FastMap::with_capacity(conns.len());
                for (i, c) in conns.iter().enumerate() {
                    if let Some(n) = &c.name_key {
                        by_name
                            .entry(n.as_str())
                            .and_modify(|named| match named {
                                Named::One(first) => *named = Named::Many(vec![*first, i]),
                                Named::Many(v) => v.push(i),
                            })
                            .or_insert(Named::One(i));
                    }
                }
                by_name
            },
        );
        Index {
            conns,
            by_slug,
            by_name,
        }
    }

    pub fn resolve(&self, key: &PersonKey) -> (Join, Option<usize>) {
        match key {
            PersonKey::Slug(s) => match self.by_slug.get(s.as_str()) {
                Some(i) => (Join::Slug, Some(*i)),
                None => (Join::None, None),
            },
            PersonKey::Name(n) => self.resolve_name(n),
        }
    }

    /// Resolve a slug key, falling back to the name the file gave when the
    /// slug is unknown (Connections files before 2023 have no URL).
    pub fn resolve_with_name(&self, key: &PersonKey, name: Option<&str>) -> (Join, Option<usize>) {
        match self.resolve(key) {
            (Join::None, _) if matches!(key, PersonKey::Slug(_)) => {
                name.map_or((Join::None, None), |n| self.resolve_name_without_url(n))
            }
            hit => hit,
        }
    }

    /// A name that came with a URL joining no connection: only connections
    /// without a URL of their own can be that person (one with a URL is
    /// someone else, a namesake the owner may have removed).
    pub fn resolve_name_without_url(&self, n: &str) -> (Join, Option<usize>) {
        let mut slugless = self
            .named(n)
            .iter()
            .filter(|i| self.conns[**i].slug.is_none());
        match (slugless.next(), slugless.next()) {
            (Some(i), None) => (Join::Name, Some(*i)),
            (Some(_), Some(_)) => (Join::Ambiguous, None),
            _ => (Join::None, None),
        }
    }

    /// Every connection with this name key.
    pub fn named(&self, n: &str) -> &[usize] {
        self.by_name.get(n).map_or(&[], Named::all)
    }

    pub fn resolve_name(&self, n: &str) -> (Join, Option<usize>) {
        match self.by_name.get(n).map(Named::all) {
            Some([i]) => (Join::Name, Some(*i)),
            Some([_, _, ..]) => (Join::Ambiguous, None),
            _ => (Join::None, None),
        }
    }
}

/// An invitation with its note class and the connection it joins, if any.
#[derive(Debug, Clone)]
pub struct InvitationFacts {
    pub inv: Invitation,
    pub note: NoteClass,
    pub join: Join,
    pub conn: Option<usize>,
    /// Invitations in the same direction with the same person.
    pub times_sent: u32,
    /// How many invitations carry this note, names masked, when it is a
    /// template (sent to [`TEMPLATE_MIN`] people or more); 0 otherwise.
    pub template: u32,
    /// Messages with this person when they are not a connection (a pending
    /// invitation): sent, received, in group threads.
    pub talk: Talk,
    /// A later invitation in the same direction with the same person exists:
    /// this row is an earlier copy.
    pub superseded: bool,
}

/// Messages with someone who is not a connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Talk {
    pub sent: u32,
    pub received: u32,
    pub group: u32,
}

/// A note that went, names masked, to this many people or more is a
/// template: pasted, not written for the person.
pub const TEMPLATE_MIN: u32 = 3;

/// A note's words with the names of both sides masked, so a note pasted to
/// many people with the name swapped reads the same each time.
fn template_key(note: &str, names: &[&str]) -> String {
    let masked: Vec<String> = names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect();
    let lower = note.to_lowercase();
    let mut key = String::with_capacity(lower.len());
    for w in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(if masked.iter().any(|m| m == w) {
            "~"
        } else {
            w
        });
    }
    key
}

/// For each invitation, how many invitations share its note (names
/// masked); empty notes count 0.
fn template_counts(invitations: &[Invitation], owner: &crate::ingest::model::Owner) -> Vec<u32> {
    // Counted per direction: a note you pasted to many, or one many pasted
    // to you; the same words once from you and once to you are neither.
    let keys: Vec<Option<String>> = invitations
        .par_iter()
        .map(|inv| {
            (!inv.message.trim().is_empty()).then(|| {
                let mut k = template_key(
                    &inv.message,
                    &[&inv.name, &owner.first_name, &owner.last_name],
                );
                k.insert(
                    0,
                    if inv.direction == crate::ingest::Direction::Incoming {
                        '<'
                    } else {
                        '>'
                    },
                );
                k
            })
        })
        .collect();
    let mut counts: FastMap<&str, u32> = FastMap::new();
    for k in keys.iter().flatten() {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    keys.iter()
        .map(|k| k.as_deref().map_or(0, |k| counts[k]))
        .collect()
}

/// Everything the export says about one connection.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub messages: MessageStats,
    pub messages_join: Option<Join>,
    /// The earliest invitation still in the export, with its note class.
    pub invitation: Option<(crate::ingest::Direction, NoteClass, chrono::NaiveDateTime)>,
    /// That invitation's note went to this many people (a template), or 0.
    pub invitation_pasted: u32,
    pub personal_note: bool,
    /// An invitation between you carried words of theirs, or of yours (a
    /// note repeated as a message is counted as the note, once).
    pub note_from_them: bool,
    pub note_from_you: bool,
    pub times_invited: u32,
    pub endorsements_received: u32,
    pub endorsements_given: u32,
    /// The latest endorsement either way, where the export dates it.
    pub last_endorsed_on: Option<NaiveDate>,
    pub recommendations: u32,
    /// Evidence that names this person by a name other connections share.
    pub clash: Option<Clash>,
    pub shared_tenure: Option<String>,
    /// The shared employer is the owner's current one: colleagues now.
    pub colleague_now: bool,
    pub same_company_now: Option<String>,
    pub during_studies: Option<String>,
    pub in_address_book: bool,
    pub pitch_in_note: bool,
    pub pitch_in_messages: bool,
    pub pitch_answered: bool,
}

/// Evidence joined by a name that several connections share: it could
/// belong to any of them, so it is given to none and shown on each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clash {
    /// Connections with this name key (this one included).
    pub connections: u32,
    /// One-to-one and group messages with someone of this name.
    pub messages: u32,
    pub invitations: u32,
    pub endorsements: u32,
    pub recommendations: u32,
}

impl Clash {
    /// Mark every connection in `same` (all named alike) with `add`.
    fn mark(ev: &mut [Evidence], same: &[usize], add: impl Fn(&mut Clash)) {
        for &c in same {
            let clash = ev[c].clash.get_or_insert_with(Clash::default);
            clash.connections = same.len() as u32;
            add(clash);
        }
    }
}

/// Join statistics for the ingest summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JoinStats {
    pub total: u64,
    pub by_slug: u64,
    pub by_name: u64,
    pub ambiguous: u64,
    pub unmatched: u64,
}

impl JoinStats {
    fn add(&mut self, j: Join) {
        self.total += 1;
        match j {
            Join::Slug => self.by_slug += 1,
            Join::Name => self.by_name += 1,
            Join::Ambiguous => self.ambiguous += 1,
            Join::None => self.unmatched += 1,
        }
    }

    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.by_slug + self.by_name) as f64 / self.total as f64
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Joins {
    pub invitations: JoinStats,
    pub message_people: JoinStats,
    pub endorsements: JoinStats,
    pub recommendations: JoinStats,
}

/// The joined picture of an export.
pub struct Joined {
    pub evidence: Vec<Evidence>,
    pub invitations: Vec<InvitationFacts>,
    pub joins: Joins,
}

/// Whether a date falls in a finished stretch of the owner's career or
/// studies. An undated stretch, or one with a start and no end, is unknown
/// and holds nothing (a current position is handled on its own).
fn in_tenure(d: Option<NaiveDate>, t: &Tenure) -> bool {
    match (d, t.start, t.end) {
        (Some(d), Some(s), Some(e)) => s <= d && d <= e,
        _ => false,
    }
}

/// Whether an open-ended position is current: no position with an end
/// date started after it. (Several can be current: a job and a board
/// seat; one left open before a later, finished job ended at a date the
/// export does not give.)
fn open_is_current(t: &Tenure, positions: &[Tenure]) -> bool {
    t.start.is_some()
        && !positions
            .iter()
            .any(|q| q.end.is_some() && q.start.is_some_and(|qs| Some(qs) > t.start))
}

/// A map's entries, each with the connection it joins, in connection order
/// and, for one connection, in key order: the lookups run on rayon, the
/// caller applies them in that order, so the result never depends on the
/// map's. Entries that join nothing are only counted: their order is free.
type Resolved<'a, T> = Vec<Entry<'a, T>>;

/// A key, its figures, how it joined and the connection it joined.
type Entry<'a, T> = (&'a PersonKey, &'a T, Join, Option<usize>);

fn resolve_all<'a, T: Sync>(
    idx: &Index<'_>,
    entries: impl Iterator<Item = (&'a PersonKey, &'a T)>,
    name: impl Fn(&T) -> Option<&str> + Sync,
) -> Resolved<'a, T> {
    let entries: Vec<(&PersonKey, &T)> = entries.collect();
    let mut resolved: Resolved<'a, T> = entries
        .into_par_iter()
        .map(|(k, v)| {
            let (j, i) = idx.resolve_with_name(k, name(v));
            (k, v, j, i)
        })
        .collect();
    // Connection numbers first: keys are compared only when two entries
    // join the same connection.
    resolved.par_sort_unstable_by(|a, b| {
        a.3.cmp(&b.3).then_with(|| match a.3 {
            Some(_) => a.0.cmp(b.0),
            None => std::cmp::Ordering::Equal,
        })
    });
    resolved
}

/// Add endorsement counts onto `ev`, the evidence of connections `lo..`,
/// from entries that join them (a slice of a list in connection order).
fn endorse(ev: &mut [Evidence], lo: usize, entries: &[Entry<'_, EndorsementStats>], given: bool) {
    for &(_, st, _, i) in entries {
        let Some(i) = i else { continue };
        let e = &mut ev[i - lo];
        e.last_endorsed_on = e.last_endorsed_on.max(st.last_on);
        if given {
            e.endorsements_given += st.count
        } else {
            e.endorsements_received += st.count
        }
    }
}

/// The entries of `list` (in connection order) that join connections
/// `lo..hi`.
fn joining<T>(list: &[T], conn: impl Fn(&T) -> Option<usize>, lo: usize, hi: usize) -> &[T] {
    let from = list.partition_point(|e| conn(e) < Some(lo));
    let to = list.partition_point(|e| conn(e) < Some(hi));
    &list[from..to]
}

/// `f` of each text, worked out once per distinct text (on every core):
/// LinkedIn's default invitation text and templated pitches recur, in
/// invitations and in first messages alike.
fn once_per_text<T: Copy + Send>(texts: &[&str], f: impl Fn(&str) -> T + Sync) -> Vec<T> {
    let mut number: FastMap<&str, u32> = FastMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let of: Vec<u32> = texts
        .iter()
        .map(|t| {
            *number.entry(t).or_insert_with(|| {
                distinct.push(t);
                distinct.len() as u32 - 1
            })
        })
        .collect();
    let values: Vec<T> = distinct.par_iter().map(|t| f(t)).collect();
    of.into_iter().map(|i| values[i as usize]).collect()
}

/// For each message partner who joined a connection, when their earliest
/// message with a sales pitch was sent (their kept texts are in date order).
/// A partner the owner wrote to after all of those texts, or one with
/// whom the owner has exchanged messages both ways, is not read: a pitch
/// you answered counts for nothing, and reading costs a model run per text.
/// Texts are scored a round at a time (first texts, then the second texts of
/// those not yet found pitching, ...), each distinct text once per round.
fn first_pitches(resolved: &Resolved<'_, MessageStats>) -> Vec<Option<chrono::NaiveDateTime>> {
    let mut found: Vec<Option<chrono::NaiveDateTime>> = vec![None; resolved.len()];
    let answered_all = |m: &MessageStats| {
        (m.sent > 0 && m.received > 0)
            || m.last_sent_at
                .is_some_and(|s| m.first_received.last().is_some_and(|(t, _)| s > *t))
    };
    let mut open: Vec<usize> = (0..resolved.len())
        .filter(|k| resolved[*k].3.is_some() && !answered_all(resolved[*k].1))
        .collect();
    let mut round = 0;
    while !open.is_empty() {
        open.retain(|k| resolved[*k].1.first_received.len() > round);
        let texts: Vec<&str> = open
            .iter()
            .map(|k| resolved[*k].1.first_received[round].1.as_str())
            .collect();
        // The same classifier as for invitation notes reads first messages.
        let scores = once_per_text(&texts, notes::is_pitch_message);
        let mut still = Vec::new();
        for (k, score) in open.into_iter().zip(scores) {
            if score {
                found[k] = Some(resolved[k].1.first_received[round].0);
            } else {
                still.push(k);
            }
        }
        open = still;
        round += 1;
    }
    found
}

/// The connections' organisations.
struct Orgs<'c> {
    /// Each company name's organisation key, worked out once per name.
    keys: FastMap<&'c str, Option<String>>,
    /// Each organisation key as a number (from 1).
    ids: FastMap<String, u32>,
    /// Each connection's organisation number (0: none), so a
    /// recommendation's tie-break compares numbers.
    of_conn: Vec<u32>,
}

impl<'c> Orgs<'c> {
    fn new(conns: &'c [Connection]) -> Orgs<'c> {
        let mut companies: Vec<&str> = conns.iter().map(|c| c.company.as_str()).collect();
        companies.sort_unstable();
        companies.dedup();
        let keys: FastMap<&str, Option<String>> = companies
            .par_iter()
            .map(|c| (*c, crate::identity::org_key(c)))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let mut ids: FastMap<String, u32> = FastMap::new();
        let of_conn = conns
            .iter()
            .map(|c| match &keys[c.company.as_str()] {
                Some(k) => {
                    let next = ids.len() as u32 + 1;
                    *ids.entry_ref(k.as_str()).or_insert(next)
                }
                None => 0,
            })
            .collect();
        Orgs { keys, ids, of_conn }
    }
}

/// For each invitation that joined no connection, the messages with its
/// person (by the same key), so a pending invitation from someone you
/// write to is not taken for a stranger's.
fn talks_with_the_unjoined(
    invitations: &[Invitation],
    joined: &[(Join, Option<usize>, NoteClass)],
    messages: &crate::ingest::PersonList<MessageStats>,
) -> Vec<Talk> {
    let mut wanted: FastMap<&PersonKey, Talk> = FastMap::new();
    for (inv, (j, _, _)) in invitations.iter().zip(joined) {
        if *j == Join::None
            && let Some(k) = &inv.key
        {
            wanted.insert(k, Talk::default());
        }
    }
    // An invitation without a URL (2018 to 2022) meets messages by name.
    let mut by_name: FastMap<&str, Talk> = FastMap::new();
    if !wanted.is_empty() {
        let add = |t: &mut Talk, m: &MessageStats| {
            t.sent += m.sent;
            t.received += m.received;
            t.group += m.group_sent + m.group_received;
        };
        for (k, m) in messages {
            if let Some(t) = wanted.get_mut(k) {
                add(t, m);
            }
            if let Some(n) = key_name(k, m.name_key.as_deref()) {
                add(by_name.entry(n).or_default(), m);
            }
        }
    }
    invitations
        .iter()
        .zip(joined)
        .map(|(inv, (j, _, _))| match (&inv.key, j) {
            (Some(PersonKey::Name(n)), Join::None) => {
                by_name.get(n.as_str()).copied().unwrap_or_default()
            }
            (Some(k), Join::None) => wanted.get(k).copied().unwrap_or_default(),
            _ => Talk::default(),
        })
        .collect()
}

/// The name key an invitation's other person goes by.
fn name_of_invitation(inv: &Invitation) -> Option<String> {
    match &inv.key {
        Some(PersonKey::Name(n)) => Some(n.clone()),
        _ => crate::identity::full_name_key(&inv.name),
    }
}

/// The name key a file's person goes by: the key itself when it is a name,
/// else the name the file gave beside the URL.
fn key_name<'a>(k: &'a PersonKey, name: Option<&'a str>) -> Option<&'a str> {
    match k {
        PersonKey::Name(n) => Some(n),
        PersonKey::Slug(_) => name,
    }
}

/// Per person and direction: how many invitations, and when the latest was
/// sent (earlier rows are copies).
type Repeats<'a> = FastMap<(Direction, &'a PersonKey), (u32, NaiveDateTime)>;

/// An invitation's join, the connection it joined, and its note's class.
type InvitationJoin = (Join, Option<usize>, NoteClass);

/// Evidence for `n` connections, made on every core: the first touch of
/// fresh memory is costly.
fn fresh_evidence(n: usize) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = Vec::new();
    ev.par_extend((0..n).into_par_iter().map(|_| Evidence::default()));
    ev
}

fn invitation_repeats(invitations: &[Invitation]) -> Repeats<'_> {
    let mut repeats = Repeats::new();
    for inv in invitations {
        if let Some(k) = &inv.key {
            let r = repeats
                .entry((inv.direction, k))
                .or_insert((0, inv.sent_at));
            r.0 += 1;
            r.1 = r.1.max(inv.sent_at);
        }
    }
    repeats
}

/// Each invitation's class of note, each distinct text read once.
fn invitation_notes(invitations: &[Invitation]) -> Vec<NoteClass> {
    let texts: Vec<&str> = invitations.iter().map(|i| i.message.as_str()).collect();
    once_per_text(&texts, notes::classify)
}

/// Invitations.csv: each invitation's connection, by its key; where a URL
/// joins nobody (an old Connections file without URLs), by its name.
fn resolve_invitations(
    idx: &Index<'_>,
    invitations: &[Invitation],
    notes: Vec<NoteClass>,
) -> Vec<InvitationJoin> {
    invitations
        .par_iter()
        .zip(notes)
        .map(|(inv, note)| {
            let (mut j, mut i) = inv
                .key
                .as_ref()
                .map_or((Join::None, None), |k| idx.resolve(k));
            if j == Join::None
                && matches!(inv.key, Some(PersonKey::Slug(_)))
                && let Some(n) = name_of_invitation(inv)
            {
                (j, i) = idx.resolve_name_without_url(&n);
            }
            (j, i, note)
        })
        .collect()
}

/// A message partner, how they joined, and when their earliest message
/// with a sales pitch was sent.
type MessageJoin<'a> = (Entry<'a, MessageStats>, Option<NaiveDateTime>);

fn message_name(m: &MessageStats) -> Option<&str> {
    m.name_key.as_deref()
}

fn endorser(e: &EndorsementStats) -> Option<&str> {
    e.name_key.as_deref()
}

/// messages.csv: each partner's connection, and with each, the time of
/// their earliest message with a sales pitch (their texts are in date order).
fn resolve_messages<'a>(
    idx: &Index<'_>,
    messages: &'a crate::ingest::PersonList<MessageStats>,
) -> Vec<MessageJoin<'a>> {
    let resolved = resolve_all(idx, messages.iter().map(|(k, m)| (k, m)), message_name);
    let pitch_at = first_pitches(&resolved);
    resolved.into_iter().zip(pitch_at).collect()
}

/// Endorsements: each endorser's (or endorsee's) connection.
fn resolve_endorsements<'a>(
    idx: &Index<'_>,
    endorsements: &'a crate::ingest::PersonMap<EndorsementStats>,
) -> Resolved<'a, EndorsementStats> {
    resolve_all(idx, endorsements.iter(), endorser)
}

/// Each invitation: how many times it was sent in its direction, and
/// whether a later copy supersedes it.
fn times_sent(invitations: &[Invitation], repeats: Repeats<'_>) -> Vec<(u32, bool)> {
    invitations
        .iter()
        .map(|inv| match &inv.key {
            Some(k) => {
                let (n, latest) = repeats[&(inv.direction, k)];
                (n, latest > inv.sent_at)
            }
            None => (1, false),
        })
        .collect()
}

/// Each invitation with its facts: how often it was sent and whether a
/// later copy supersedes it (`sent`), whether its note is a template, the
/// messages with its person when it joined nobody.
fn invitation_facts(
    ex: &Export,
    invitations: Vec<Invitation>,
    resolved: Vec<InvitationJoin>,
    sent: Vec<(u32, bool)>,
) -> Vec<InvitationFacts> {
    let copies = template_counts(&invitations, &ex.owner);
    let talks = talks_with_the_unjoined(&invitations, &resolved, &ex.messages);
    invitations
        .into_iter()
        .zip(resolved)
        .zip(sent)
        .zip(copies)
        .zip(talks)
        .map(
            |((((inv, (join, conn, note)), (times_sent, superseded)), copies), talk)| {
                // A pasted note says nothing about the person; a pasted pitch
                // is still a pitch.
                let template = if copies >= TEMPLATE_MIN { copies } else { 0 };
                let note = if template > 0 && note == NoteClass::Personal {
                    NoteClass::Default
                } else {
                    note
                };
                InvitationFacts {
                    inv,
                    note,
                    join,
                    conn,
                    times_sent,
                    template,
                    talk,
                    superseded,
                }
            },
        )
        .collect()
}

impl InvitationFacts {
    /// What this invitation tells about its connection.
    fn apply(&self, e: &mut Evidence) {
        let (inv, note) = (&self.inv, self.note);
        if e.invitation.is_none_or(|(_, _, at)| inv.sent_at < at) {
            e.invitation = Some((inv.direction, note, inv.sent_at));
            e.invitation_pasted = self.template;
        }
        e.personal_note |= note == NoteClass::Personal;
        if note != NoteClass::None {
            match inv.direction {
                Direction::Incoming => e.note_from_them = true,
                Direction::Outgoing => e.note_from_you = true,
            }
        }
        e.pitch_in_note |= note == NoteClass::Pitch && inv.direction == Direction::Incoming;
        if inv.direction == Direction::Incoming {
            e.times_invited = e.times_invited.max(self.times_sent);
        }
    }
}

/// Apply the invitations in file order, count their joins, and mark the
/// namesakes an ambiguous one may be about.
fn apply_invitations(
    ev: &mut [Evidence],
    idx: &Index<'_>,
    invitations: &[InvitationFacts],
    joins: &mut Joins,
) {
    for f in invitations {
        joins.invitations.add(f.join);
        if let Some(c) = f.conn {
            f.apply(&mut ev[c]);
        }
        if f.join == Join::Ambiguous
            && let Some(n) = name_of_invitation(&f.inv)
        {
            Clash::mark(ev, idx.named(&n), |c| c.invitations += 1);
        }
    }
}

/// Count the message and endorsement joins, and mark on the evidence of
/// the namesakes an ambiguous one may be about (their clash counts).
fn count_joins_and_mark_clashes(
    ev: &mut [Evidence],
    idx: &Index<'_>,
    messages: &[MessageJoin<'_>],
    endorsements: [&Resolved<'_, EndorsementStats>; 2],
    joins: &mut Joins,
) {
    for ((k, m, j, _), _) in messages {
        joins.message_people.add(*j);
        if *j == Join::Ambiguous
            && let Some(n) = key_name(k, message_name(m))
        {
            let count = m.sent + m.received + m.group_sent + m.group_received;
            Clash::mark(ev, idx.named(n), |c| c.messages += count);
        }
    }
    for (k, e, j, _) in endorsements.into_iter().flatten() {
        joins.endorsements.add(*j);
        if *j == Join::Ambiguous
            && let Some(n) = key_name(k, endorser(e))
        {
            Clash::mark(ev, idx.named(n), |c| c.endorsements += e.count);
        }
    }
}

/// Add the messages and endorsements onto the evidence; returns, per
/// connection, when their earliest pitch was sent. Applied on every core, a
/// range of connections each: the lists are in connection order, so a
/// range's entries are a slice of each, applied in the same order as in one
/// pass.
fn apply_messages_and_endorsements(
    ev: &mut [Evidence],
    messages: &[MessageJoin<'_>],
    received: &Resolved<'_, EndorsementStats>,
    given: &Resolved<'_, EndorsementStats>,
) -> Vec<Option<NaiveDateTime>> {
    const RANGE: usize = 2048;
    let mut pitch_at: Vec<Option<NaiveDateTime>> = vec![None; ev.len()];
    ev.par_chunks_mut(RANGE)
        .zip(pitch_at.par_chunks_mut(RANGE))
        .enumerate()
        .for_each(|(k, (ev, pitch_at))| {
            let (lo, hi) = (k * RANGE, k * RANGE + ev.len());
            for &((_, m, j, i), pitched) in joining(messages, |e| e.0.3, lo, hi) {
                let Some(i) = i else { continue };
                let e = &mut ev[i - lo];
                e.messages.add_counts(m);
                pitch_at[i - lo] = crate::ingest::model::min_opt(pitch_at[i - lo], pitched);
                e.messages_join = Some(j);
            }
            endorse(ev, lo, joining(received, |e| e.3, lo, hi), false);
            endorse(ev, lo, joining(given, |e| e.3, lo, hi), true);
        });
    pitch_at
}

/// Recommendations, both ways: by name, the company breaking ties.
fn apply_recommendations(
    ev: &mut [Evidence],
    idx: &Index<'_>,
    orgs: &Orgs<'_>,
    ex: &Export,
    joins: &mut Joins,
) {
    for r in ex
        .recommendations_received
        .iter()
        .chain(&ex.recommendations_given)
    {
        let Some(n) = &r.name_key else { continue };
        let (mut j, mut i) = idx.resolve_name(n);
        if j == Join::Ambiguous {
            // A company no connection has matches none of them.
            let ck = crate::identity::org_key(&r.company)
                .map(|k| orgs.ids.get(k.as_str()).copied().unwrap_or(u32::MAX));
            let same = idx.named(n);
            let hits: Vec<usize> = same
                .iter()
                .copied()
                .filter(|c| ck == Some(orgs.of_conn[*c]))
                .collect();
            if let [one] = hits.as_slice() {
                (j, i) = (Join::Name, Some(*one));
            } else {
                Clash::mark(ev, same, |c| c.recommendations += 1);
            }
        }
        joins.recommendations.add(j);
        if let Some(i) = i {
            ev[i].recommendations += 1;
        }
    }
}

/// What the owner's own files say of one connection: a shared employer or
/// studies, the address book; and whether a pitch in their messages was
/// answered.
fn apply_own_files(
    ex: &Export,
    org_keys: &FastMap<&str, Option<String>>,
    c: &Connection,
    e: &mut Evidence,
    pitch_at: Option<NaiveDateTime>,
) {
    if let Some(ck) = org_keys[c.company.as_str()]
        .as_ref()
        .filter(|k| !crate::identity::is_generic_org(k))
    {
        for t in ex.positions.iter().filter(|t| &t.org_key == ck) {
            let current = t.end.is_none() && open_is_current(t, &ex.positions);
            // Connected while both worked there, or both work there now (the
            // company in Connections.csv is the current one).
            if current || in_tenure(c.connected_on, t) {
                e.shared_tenure = Some(t.org.clone());
                e.colleague_now |= current;
            } else if e.shared_tenure.is_none() {
                e.same_company_now = Some(t.org.clone());
            }
        }
    }
    // Studies have no "current" reading: an open end is unknown.
    if let Some(t) = ex.education.iter().find(|t| in_tenure(c.connected_on, t)) {
        e.during_studies = Some(t.org.clone());
    }
    let email_hit = !c.email.is_empty() && ex.address_book.emails.contains(&c.email);
    let name_hit = c
        .name_key
        .as_ref()
        .is_some_and(|n| ex.address_book.names.contains(n));
    e.in_address_book = email_hit || name_hit;
    if let Some(at) = pitch_at {
        e.pitch_in_messages = true;
        e.pitch_answered = e.messages.last_sent_at.is_some_and(|s| s > at);
    }
}

/// Join every file's facts onto the connections: the pipeline, one resolver
/// per file, then the appliers. Which steps run beside which is decided
/// here; inside, the steps use data-parallel iterators, collected in
/// order (and the index builds its two maps side by side). The invitations
/// move out of `ex` into the result, each with its facts.
pub fn join(ex: &mut Export) -> Joined {
    // What needs no index is worked out while the index is built (one
    // thread): the evidence rows, invitation repeats, note classes and
    // organisation keys.
    let (idx, ((mut ev, repeats), (inv_notes, orgs))) = rayon::join(
        || Index::new(&ex.connections),
        || {
            rayon::join(
                || {
                    (
                        fresh_evidence(ex.connections.len()),
                        invitation_repeats(&ex.invitations),
                    )
                },
                || {
                    rayon::join(
                        || invitation_notes(&ex.invitations),
                        || Orgs::new(&ex.connections),
                    )
                },
            )
        },
    );
    // Every lookup and classification first, on rayon; then applied in order.
    let (inv_res, (msg_res, (received, given))) = rayon::join(
        || resolve_invitations(&idx, &ex.invitations, inv_notes),
        || {
            rayon::join(
                || resolve_messages(&idx, &ex.messages),
                || {
                    rayon::join(
                        || resolve_endorsements(&idx, &ex.endorsements_received),
                        || resolve_endorsements(&idx, &ex.endorsements_given),
                    )
                },
            )
        },
    );
    let sent = times_sent(&ex.invitations, repeats);
    let moved = std::mem::take(&mut ex.invitations);
    let invitations = invitation_facts(ex, moved, inv_res, sent);
    let ex = &*ex;
    let mut joins = Joins::default();
    apply_invitations(&mut ev, &idx, &invitations, &mut joins);
    count_joins_and_mark_clashes(&mut ev, &idx, &msg_res, [&received, &given], &mut joins);
    let pitch_at = apply_messages_and_endorsements(&mut ev, &msg_res, &received, &given);
    apply_recommendations(&mut ev, &idx, &orgs, ex, &mut joins);
    ex.connections
        .par_iter()
        .zip(ev.par_iter_mut())
        .zip(pitch_at.par_iter())
        .for_each(|((c, e), pitch_at)| apply_own_files(ex, &orgs.keys, c, e, *pitch_at));
    Joined {
        evidence: ev,
        invitations,
        joins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Recommendation;

    fn conn(line: u64, company: &str) -> Connection {
        Connection {
            line,
            first_name: "Ann".into(),
            last_name: "Demo".into(),
            url: String::new(),
            slug: Some(format!("ann-demo-{line}")),
            name_key: crate::identity::full_name_key("Ann Demo"),
            email: String::new(),
            company: company.into(),
            position: String::new(),
            connected_on: None,
        }
    }

    fn rec(company: &str) -> Recommendation {
        Recommendation {
            line: 2,
            name_key: crate::identity::full_name_key("Ann Demo"),
            first_name: "Ann".into(),
            last_name: "Demo".into(),
            company: company.into(),
            created: None,
        }
    }

    /// A URL that joins no connection names someone else: its name stands in
    /// only for a connection without a URL of its own (a namesake the owner
    /// removed must not lend their messages to the one kept).
    #[test]
    fn a_name_with_an_unknown_url_joins_only_a_connection_without_one() {
        let kept = [conn(2, "Acme")];
        let idx = Index::new(&kept);
        let removed = PersonKey::Slug("ann-demo-9".into());
        let name = crate::identity::full_name_key("Ann Demo");
        assert_eq!(
            idx.resolve_with_name(&removed, name.as_deref()),
            (Join::None, None)
        );
        let mut old = conn(2, "Acme");
        old.slug = None;
        let without_urls = [old];
        let idx = Index::new(&without_urls);
        assert_eq!(
            idx.resolve_with_name(&removed, name.as_deref()),
            (Join::Name, Some(0))
        );
    }

    #[test]
    fn each_distinct_text_is_worked_out_once() {
        use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
        let texts = ["a", "bb", "a", "", "bb", "ccc", ""];
        let calls = AtomicUsize::new(0);
        let got = once_per_text(&texts, |t| {
            calls.fetch_add(1, Relaxed);
            t.len()
        });
        assert_eq!(got, vec![1, 2, 1, 0, 2, 3, 0]);
        assert_eq!(calls.load(Relaxed), 4);
    }

    /// The earliest pitching text of each joined partner, whichever round
    /// finds it; partners who joined no connection are not scored.
    #[test]
    fn first_pitches_take_the_earliest_pitching_text() {
        let pitch = "Hi! We help companies like yours generate more qualified leads. \
                     Open to a quick call this week? calendly.com/example/15min";
        assert!(notes::pitch_score(pitch) >= 2);
        let at = |d: u32| {
            NaiveDate::from_ymd_opt(2026, 1, d)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .expect("a real time")
        };
        let stats = |texts: &[(u32, &str)]| MessageStats {
            first_received: texts.iter().map(|(d, t)| (at(*d), t.to_string())).collect(),
            ..MessageStats::default()
        };
        let people = [
            stats(&[(1, "hello there"), (2, pitch), (3, pitch)]),
            stats(&[(1, "hello there")]),
            stats(&[(4, pitch)]),
            stats(&[(5, pitch)]),
            stats(&[]),
        ];
        let keys: Vec<PersonKey> = (0..people.len())
            .map(|k| PersonKey::Slug(format!("p{k}")))
            .collect();
        let joined = [Some(0), Some(1), Some(2), None, Some(3)];
        let resolved: Resolved<'_, MessageStats> = keys
            .iter()
            .zip(&people)
            .zip(joined)
            .map(|((k, m), i)| (k, m, Join::Slug, i))
            .collect();
        assert_eq!(
            first_pitches(&resolved),
            vec![Some(at(2)), None, Some(at(4)), None, None]
        );
    }

    /// A recommendation naming two connections joins the one whose company
    /// is the same organisation; otherwise both are marked ambiguous.
    #[test]
    fn recommendations_break_name_ties_by_company() {
        let joined = |company: &str| {
            let mut ex = Export {
                connections: vec![conn(2, "Acme Inc."), conn(3, "Globex"), conn(4, "")],
                recommendations_received: vec![rec(company)],
                ..Export::default()
            };
            let j = join(&mut ex);
            let got: Vec<(u32, bool)> = j
                .evidence
                .iter()
                .map(|e| (e.recommendations, e.clash.is_some()))
                .collect();
            (got, j.joins.recommendations.by_name)
        };
        let ambiguous = vec![(0, true), (0, true), (0, true)];
        assert_eq!(
            joined("ACME, Inc"),
            (vec![(1, false), (0, false), (0, false)], 1)
        );
        assert_eq!(
            joined("Globex"),
            (vec![(0, false), (1, false), (0, false)], 1)
        );
        // A company no connection has, or none at all, settles nothing.
        assert_eq!(joined("Initech"), (ambiguous.clone(), 0));
        assert_eq!(joined(""), (ambiguous, 0));
    }
}
