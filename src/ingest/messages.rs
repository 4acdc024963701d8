//! messages.csv, aggregated per person while streaming: memory grows with
//! conversations and people, not with messages. Sponsored threads, URL-less
//! senders, SPAM and drafts are counted but are not relationship evidence; an
//! invitation note repeated as a message is counted once.

use super::model::*;
use super::scan::{Scanned, scan};
use super::table::Header;
use crate::dates::parse_datetime;
use crate::identity::{full_name_key, slug_from_url};
use crate::text::html_to_text;
use chrono::{NaiveDate, NaiveDateTime};
use hashbrown::{HashMap, HashSet};
use std::collections::BTreeSet;
use std::collections::HashMap as StdMap;
use std::io::{self, Read};

/// How many of a person's earliest messages are kept as text for pitch checks.
const KEEP_TEXTS: usize = 3;
const KEEP_CHARS: usize = 600;

/// Who the owner is, as far as messages can tell.
pub struct OwnerId<'a> {
    pub slug: Option<&'a str>,
    pub name_key: Option<&'a str>,
}

#[derive(Default)]
struct Side {
    count: u32,
    days: HashSet<NaiveDate>,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    texts: Vec<(NaiveDateTime, String)>,
}

impl Side {
    /// Count a message; `text` is asked for only when it would be kept.
    fn add<F: FnOnce() -> String>(&mut self, at: NaiveDateTime, text: Option<F>) {
        self.count += 1;
        self.days.insert(at.date());
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
        if let Some(text) = text {
            let pos = self.texts.partition_point(|(d, _)| *d <= at);
            if pos < KEEP_TEXTS {
                let t = text();
                if !t.is_empty() {
                    self.texts
                        .insert(pos, (at, t.chars().take(KEEP_CHARS).collect()));
                    self.texts.truncate(KEEP_TEXTS);
                }
            }
        }
    }
}

/// A conversation's participants are few: small vectors beat maps here.
#[derive(Default)]
struct Conv {
    /// Participants other than the owner (person ids).
    others: Vec<u32>,
    /// Name ids from TO where the file gives no recipient URLs.
    to_names: Vec<u32>,
    owner: Side,
    from_others: Vec<(u32, Side)>,
    note_repeats: Vec<(u32, u32)>,
}

/// The people seen in messages.csv, each a small integer, so a URL or name
/// seen before costs one hash lookup and no allocation.
struct People<'n> {
    /// The two URLs resolved last (a thread alternates between two people):
    /// checked before the map, whose lookups miss the cache on large files.
    recent: [(String, Option<u32>); 2],
    recent_next: usize,
    by_url: HashMap<String, Option<u32>>,
    by_name: HashMap<String, Option<u32>>,
    ids: HashMap<PersonKey, u32>,
    keys: Vec<PersonKey>,
    /// The name messages gave each person, for joins where Connections has no URL.
    names: Vec<Option<String>>,
    /// Whether an invitation note exists for this person.
    noted: Vec<bool>,
    notes: &'n StdMap<PersonKey, Vec<String>>,
}

impl<'n> People<'n> {
    fn new(notes: &'n StdMap<PersonKey, Vec<String>>) -> Self {
        People {
            recent: Default::default(),
            recent_next: 0,
            by_url: HashMap::new(),
            by_name: HashMap::new(),
            ids: HashMap::new(),
            keys: Vec::new(),
            names: Vec::new(),
            noted: Vec::new(),
            notes,
        }
    }

    fn intern(&mut self, key: PersonKey) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.noted.push(self.notes.contains_key(&key));
        self.names.push(match &key {
            PersonKey::Name(n) => Some(n.clone()),
            PersonKey::Slug(_) => None,
        });
        self.ids.insert(key.clone(), id);
        self.keys.push(key);
        id
    }

    fn url(&mut self, raw: &str) -> Option<u32> {
        if let Some((_, v)) = self.recent.iter().find(|(r, _)| r == raw) {
            return *v;
        }
        let v = match self.by_url.get(raw) {
            Some(v) => *v,
            None => {
                let v = slug_from_url(raw).map(|s| self.intern(PersonKey::Slug(s)));
                self.by_url.insert(raw.to_string(), v);
                v
            }
        };
        let slot = &mut self.recent[self.recent_next];
        slot.0.clear();
        slot.0.push_str(raw);
        slot.1 = v;
        self.recent_next = 1 - self.recent_next;
        v
    }

    fn name(&mut self, raw: &str) -> Option<u32> {
        if let Some(v) = self.by_name.get(raw) {
            return *v;
        }
        let v = full_name_key(raw).map(|n| self.intern(PersonKey::Name(n)));
        self.by_name.insert(raw.to_string(), v);
        v
    }

    /// Remember the name a file gave a person keyed by URL (first one wins).
    fn name_for(&mut self, id: u32, raw: &str) {
        if let Some(slot) = self.names.get_mut(id as usize)
            && slot.is_none()
        {
            *slot = full_name_key(raw);
        }
    }

    /// Is `text` one of this person's invitation notes?
    fn is_note(&self, id: u32, text: &str) -> bool {
        self.noted[id as usize]
            && self
                .notes
                .get(&self.keys[id as usize])
                .is_some_and(|n| n.iter().any(|x| x == text))
    }
}

struct Cols {
    conv: Option<usize>,
    title: Option<usize>,
    from: Option<usize>,
    sender_url: Option<usize>,
    to: Option<usize>,
    recipient_urls: Option<usize>,
    date: Option<usize>,
    content: Option<usize>,
    direction: Option<usize>,
    folder: Option<usize>,
    msg_draft: Option<usize>,
    conv_draft: Option<usize>,
}

fn header(c: &[String]) -> bool {
    ["from", "date"].iter().all(|r| c.iter().any(|x| x == r))
        && c.iter().any(|x| x == "content" || x == "subject")
}

fn cols(t: &Header, _: &mut FileAccount) -> Cols {
    Cols {
        conv: t.col(&["conversation id"]),
        title: t.col(&["conversation title"]),
        from: t.col(&["from"]),
        sender_url: t.col(&["sender profile url"]),
        to: t.col(&["to"]),
        recipient_urls: t.col(&["recipient profile urls"]),
        date: t.col(&["date"]),
        content: t.col(&["content"]),
        direction: t.col(&["direction"]),
        folder: t.col(&["folder"]),
        msg_draft: t.col(&["is message draft"]),
        conv_draft: t.col(&["is conversation draft"]),
    }
}

/// ASCII case-insensitive substring test without allocating; `needle` starts
/// with a byte that `memchr` can find quickly.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return true };
    memchr::memchr_iter(first, h)
        .any(|i| h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn split_urls(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split([',', ';']).filter_map(slug_from_url)
}

/// First pass when nothing else named the owner: the URL present in the most
/// messages (as sender or recipient) is the owner's.
pub fn most_frequent_url<R: Read>(r: R) -> io::Result<Option<String>> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut scratch = FileAccount::new("messages.csv", super::source::FileKind::Messages);
    scan(r, &mut scratch, &header, cols, |c, row, acct| {
        let mut seen = BTreeSet::new();
        seen.extend(slug_from_url(&row.get(c.sender_url)));
        seen.extend(split_urls(&row.get(c.recipient_urls)));
        for s in seen {
            *counts.entry(s).or_default() += 1;
        }
        acct.used();
    })?;
    Ok(counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(s, _)| s))
}

/// Aggregate messages per person. `notes` holds each person's invitation
/// notes (flattened), so a note repeated as a message is counted once.
pub fn messages<R: Read>(
    r: R,
    acct: &mut FileAccount,
    owner: &OwnerId<'_>,
    notes: &StdMap<PersonKey, Vec<String>>,
) -> io::Result<(Scanned, StdMap<PersonKey, MessageStats>)> {
    let mut convs = Convs::default();
    let mut people = People::new(notes);
    let owner_id = owner
        .slug
        .map(|s| people.intern(PersonKey::Slug(s.to_string())));
    let mut recipients: Vec<u32> = Vec::new();
    let s = scan(
        r,
        acct,
        &header,
        |t, acct| {
            if !t.has("sender profile url") && !t.has("direction") {
                acct.warn(t.line, "no sender URL or direction column: joined by name");
            }
            cols(t, acct)
        },
        |c, row, acct| {
            let yes = |i| {
                row.get(i).eq_ignore_ascii_case("yes") || row.get(i).eq_ignore_ascii_case("true")
            };
            let folder = row.get(c.folder);
            if yes(c.msg_draft)
                || yes(c.conv_draft)
                || (row.has(c.folder) && folder.is_empty() && c.direction.is_none())
                || folder.eq_ignore_ascii_case("drafts")
            {
                return acct.skip(row.line, "draft");
            }
            if folder.eq_ignore_ascii_case("spam") {
                return acct.skip(row.line, "spam folder");
            }
            let raw_content = row.get(c.content);
            if row
                .get(c.title)
                .eq_ignore_ascii_case("sponsored conversation")
                || contains_ignore_case(&raw_content, "%firstname%")
            {
                return acct.skip(row.line, "sponsored message");
            }
            let Some(at) = parse_datetime(&row.get(c.date)) else {
                return acct.skip(row.line, "unparseable DATE");
            };
            let from = row.get(c.from);
            let to = row.get(c.to);
            recipients.clear();
            // Who sent it (None: the owner), and who else is in the thread.
            let sender: Option<u32> = if c.direction.is_some() && c.sender_url.is_none() {
                let d = row.get(c.direction);
                if d.eq_ignore_ascii_case("outgoing") {
                    recipients.extend(people.name(&to));
                    None
                } else if d.eq_ignore_ascii_case("incoming") {
                    match people.name(&from) {
                        Some(id) => Some(id),
                        None => return acct.skip(row.line, "no identity (no sender name or URL)"),
                    }
                } else {
                    return acct.skip(row.line, "unknown DIRECTION");
                }
            } else {
                let sender_id = people.url(&row.get(c.sender_url));
                let is_owner = match (sender_id, owner_id) {
                    (Some(s), Some(o)) => s == o,
                    (None, _) => {
                        c.sender_url.is_none()
                            && owner.name_key.is_some()
                            && full_name_key(&from).as_deref() == owner.name_key
                    }
                    _ => false,
                };
                let raw_recips = row.get(c.recipient_urls);
                for piece in raw_recips.split([',', ';']) {
                    if let Some(id) = people.url(piece.trim())
                        && Some(id) != owner_id
                        && !recipients.contains(&id)
                    {
                        recipients.push(id);
                    }
                }
                if is_owner {
                    if let [r] = recipients.as_slice() {
                        people.name_for(*r, &to);
                    }
                    None
                } else if let Some(s) = sender_id {
                    people.name_for(s, &from);
                    Some(s)
                } else if c.sender_url.is_some()
                    || from.is_empty()
                    || from.eq_ignore_ascii_case("linkedin member")
                {
                    return acct.skip(
                        row.line,
                        "sender without a profile (LinkedIn Member or closed account)",
                    );
                } else {
                    match people.name(&from) {
                        Some(id) => Some(id),
                        None => return acct.skip(row.line, "no identity (no sender name or URL)"),
                    }
                }
            };
            // Plain text is needed only to spot a repeated note or to keep one
            // of a person's first messages: computed at most once, lazily.
            let mut text: Option<String> = None;
            let mut text_of = || {
                text.get_or_insert_with(|| html_to_text(&raw_content))
                    .clone()
            };
            let noted = match sender {
                None => recipients
                    .iter()
                    .copied()
                    .find(|r| people.noted[*r as usize]),
                Some(s) => Some(s).filter(|s| people.noted[*s as usize]),
            };
            let repeat_of = noted.filter(|p| {
                let t = text_of();
                !t.is_empty() && people.is_note(*p, &t)
            });
            let conv = convs.get(row.get(c.conv).as_ref(), sender, &recipients);
            for r in recipients.iter().chain(sender.iter()) {
                if !conv.others.contains(r) {
                    conv.others.push(*r);
                }
            }
            if let Some(p) = repeat_of {
                match conv.note_repeats.iter_mut().find(|(id, _)| *id == p) {
                    Some((_, n)) => *n += 1,
                    None => conv.note_repeats.push((p, 1)),
                }
                return acct.skip(
                    row.line,
                    "invitation note repeated as a message (counted once)",
                );
            }
            match sender {
                None => {
                    if recipients.is_empty()
                        && let Some(id) = people.name(&to)
                        && !conv.to_names.contains(&id)
                    {
                        conv.to_names.push(id);
                    }
                    conv.owner.add(at, None::<fn() -> String>);
                }
                Some(s) => match conv.from_others.iter_mut().find(|(id, _)| *id == s) {
                    Some((_, side)) => side.add(at, Some(text_of)),
                    None => {
                        let mut side = Side::default();
                        side.add(at, Some(text_of));
                        conv.from_others.push((s, side));
                    }
                },
            }
            acct.used();
        },
    )?;
    Ok((s, finish(convs.all, &people)))
}

/// Conversations by key. Real files group rows by conversation, so the last
/// one is checked first: most rows then cost no hash lookup at all.
#[derive(Default)]
struct Convs {
    all: Vec<Conv>,
    index: HashMap<String, usize>,
    last: Option<(String, usize)>,
}

impl Convs {
    /// The conversation a message belongs to: its id where the file has one,
    /// else (2018 and 2020 files) the other participant.
    fn get(&mut self, id: &str, sender: Option<u32>, recipients: &[u32]) -> &mut Conv {
        let owned;
        let key: &str = if id.is_empty() {
            // The leading NUL keeps these keys apart from real ids.
            let other = sender.or(recipients.first().copied()).unwrap_or(u32::MAX);
            owned = format!("\u{0}{other}");
            &owned
        } else {
            id
        };
        let i = match &mut self.last {
            Some((k, i)) if k == key => *i,
            _ => {
                let next = self.all.len();
                let i = *self.index.entry_ref(key).or_insert(next);
                if i == next {
                    self.all.push(Conv::default());
                }
                match &mut self.last {
                    Some((k, j)) => {
                        k.clear();
                        k.push_str(key);
                        *j = i;
                    }
                    None => self.last = Some((key.to_string(), i)),
                }
                i
            }
        };
        &mut self.all[i]
    }
}

/// Distribute conversation totals onto people.
fn finish(convs: Vec<Conv>, people: &People<'_>) -> StdMap<PersonKey, MessageStats> {
    let mut out: StdMap<PersonKey, MessageStats> = StdMap::new();
    for mut conv in convs {
        if conv.others.is_empty() {
            conv.others = std::mem::take(&mut conv.to_names);
        }
        let group = conv.others.len() > 1;
        for &p in &conv.others {
            let theirs = conv
                .from_others
                .iter()
                .find(|(id, _)| *id == p)
                .map(|(_, s)| s);
            let (recv, rdays) = theirs.map_or((0, 0), |s| (s.count, s.days.len() as u32));
            let repeats = conv
                .note_repeats
                .iter()
                .find(|(id, _)| *id == p)
                .map_or(0, |(_, n)| *n);
            // Everyone in a thread with the owner is a message partner, even
            // one who wrote nothing there; only what was written counts.
            let st = out.entry(people.keys[p as usize].clone()).or_default();
            if conv.owner.count == 0 && recv == 0 && repeats == 0 {
                continue;
            }
            if group {
                st.group_sent += conv.owner.count;
                st.group_received += recv;
                st.group_threads += 1;
            } else {
                st.sent += conv.owner.count;
                st.received += recv;
                st.sent_days += conv.owner.days.len() as u32;
                st.received_days += rdays;
                st.one_to_one_threads += 1;
                st.last_sent_at = st.last_sent_at.max(conv.owner.last);
            }
            st.note_repeats += repeats;
            if st.name_key.is_none() {
                st.name_key = people.names[p as usize].clone();
            }
            for t in [
                conv.owner.first,
                conv.owner.last,
                theirs.and_then(|s| s.first),
                theirs.and_then(|s| s.last),
            ]
            .into_iter()
            .flatten()
            {
                st.first_at = Some(st.first_at.map_or(t, |f| f.min(t)));
                st.last_at = Some(st.last_at.map_or(t, |l| l.max(t)));
            }
            if let Some(s) = theirs {
                if !group {
                    st.first_received_at = match (st.first_received_at, s.first) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                st.first_received.extend(s.texts.iter().cloned());
                st.first_received.sort();
                st.first_received.truncate(KEEP_TEXTS);
            }
        }
    }
    out
}
