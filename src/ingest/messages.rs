//! messages.csv, aggregated per person while streaming: memory grows with
//! conversations and people, not with messages. Sponsored threads, URL-less
//! senders, SPAM and drafts are counted but are not relationship evidence; an
//! invitation note repeated as a message is counted once.

use super::model::*;
use super::scan::{Scanned, scan};
use super::table::{Header, Row};
use crate::dates::parse_datetime;
use crate::identity::{full_name_key, slug_from_url};
use crate::text::{html_text_is, html_text_surely_differs, html_to_text};
use chrono::{NaiveDate, NaiveDateTime};
use hashbrown::HashMap;
use rayon::prelude::*;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{self, Read};
use std::sync::Mutex;

/// How many of a person's earliest messages are kept as text for pitch checks.
const KEEP_TEXTS: usize = 3;
const KEEP_CHARS: usize = 600;
/// Conversations a thread totals at a time.
const TOTALS_BATCH: usize = 512;
/// A message body up to this size is kept as written and made plain text
/// only if it is still among the earliest at the end; longer ones are
/// converted and cut at once, so kept text stays small.
const KEEP_RAW_BYTES: usize = 4 * 4 * KEEP_CHARS;

/// A kept message text: final, or a body still to be made plain text.
enum Kept {
    Text(String),
    /// The body's bytes as the file has them (read as text, and trimmed,
    /// only if it is still kept at the end).
    Body(Vec<u8>),
}

impl Kept {
    /// What a message body (`raw`, the cell's bytes) becomes: kept as
    /// written when it surely holds text (so keeping it is exact) and is not
    /// long, in `spare`'s buffer when there is one; else `text()`, its plain
    /// text now. Empty means no text. In files newest first, every message
    /// from someone is earlier than the ones kept, so this runs for most
    /// rows: it neither decodes nor allocates.
    fn of(raw: &[u8], spare: &mut Option<Vec<u8>>, text: impl FnOnce() -> String) -> Kept {
        if raw.len() <= KEEP_RAW_BYTES && crate::text::html_surely_has_text(raw) {
            let mut b = spare.take().unwrap_or_default();
            b.clear();
            b.extend_from_slice(raw);
            Kept::Body(b)
        } else {
            Kept::Text(text())
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Kept::Text(t) if t.is_empty())
    }

    /// The text as the report sees it: plain text, at most [`KEEP_CHARS`].
    /// A body is read as [`Row::get`] reads a cell (lossy, trimmed).
    fn text(self) -> String {
        let t = match self {
            Kept::Text(t) => t,
            Kept::Body(raw) => {
                let s = match String::from_utf8(raw) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                };
                match crate::text::trim(&s) {
                    t if t.len() == s.len() => crate::text::html_to_text_owned(s),
                    t => html_to_text(t),
                }
            }
        };
        if t.len() <= KEEP_CHARS {
            t
        } else {
            t.chars().take(KEEP_CHARS).collect()
        }
    }
}

/// Who the owner is, as far as messages can tell.
pub struct OwnerId<'a> {
    pub slug: Option<&'a str>,
    pub name_key: Option<&'a str>,
}

/// One side of a conversation. Everything in it merges in any order, so the
/// parallel scan gives what one pass in file order gives; ties go to the
/// earlier line.
#[derive(Default)]
struct Side {
    count: u32,
    /// Days with a message, deduplicated when merged or counted. Most
    /// sides write on a few days: those stay inline, beside the count.
    days: SmallVec<[NaiveDate; 4]>,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    /// The earliest few texts: (sent, line, text).
    texts: Vec<(NaiveDateTime, u64, Kept)>,
}

impl Side {
    /// Count a message; `text` is asked for only when it would be kept,
    /// with the buffer of the text that would give way for it.
    fn add<F: FnOnce(&mut Option<Vec<u8>>) -> Kept>(
        &mut self,
        at: NaiveDateTime,
        line: u64,
        text: Option<F>,
    ) {
        self.count += 1;
        let day = at.date();
        if self.days.last() != Some(&day) {
            self.days.push(day);
        }
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
        if let Some(text) = text {
            let pos = self
                .texts
                .partition_point(|(d, l, _)| (*d, *l) <= (at, line));
            if pos < KEEP_TEXTS {
                // The latest gives way if this one has text: its buffer is
                // lent for the new body, and given back if there is none.
                let full = self.texts.len() == KEEP_TEXTS;
                let mut spare = match self.texts.last_mut() {
                    Some((_, _, Kept::Body(b))) if full => Some(std::mem::take(b)),
                    _ => None,
                };
                let t = text(&mut spare);
                if !t.is_empty() {
                    // Room for exactly as many as kept.
                    if full {
                        self.texts.pop();
                    }
                    self.texts.reserve_exact(1);
                    self.texts.insert(pos, (at, line, t));
                } else if let (Some(b), Some((_, _, Kept::Body(slot)))) =
                    (spare, self.texts.last_mut())
                {
                    *slot = b;
                }
            }
        }
    }

    fn merge(&mut self, other: Side) {
        self.count += other.count;
        self.days.extend(other.days);
        self.first = min_opt(self.first, other.first);
        self.last = self.last.max(other.last);
        self.texts.extend(other.texts);
        self.texts.sort_by_key(|a| (a.0, a.1));
        self.texts.truncate(KEEP_TEXTS);
    }

    fn day_count(&mut self) -> u32 {
        self.days.sort_unstable();
        self.days.dedup();
        self.days.len() as u32
    }
}

/// Person ids, the few of one conversation: inline up to two.
type Ids = SmallVec<[u32; 2]>;

/// A conversation's participants are few: small vectors beat maps here,
/// and the usual conversation (one other person, who writes back) fits in
/// the struct itself, so a row touches no other heap block to count.
#[derive(Default)]
struct Conv {
    /// Participants other than the owner (person ids).
    others: Ids,
    /// Name ids from TO where the file gives no recipient URLs.
    to_names: Ids,
    owner: Side,
    from_others: SmallVec<[(u32, Side); 1]>,
    note_repeats: Vec<(u32, u32)>,
}

fn push_new(v: &mut Ids, id: u32) {
    if !v.contains(&id) {
        v.push(id);
    }
}

impl Conv {
    fn side_of(&mut self, id: u32) -> &mut Side {
        let i = match self.from_others.iter().position(|(p, _)| *p == id) {
            Some(i) => i,
            None => {
                self.from_others.push((id, Side::default()));
                self.from_others.len() - 1
            }
        };
        &mut self.from_others[i].1
    }

    /// Fold in the same conversation as another worker saw it, its person
    /// ids already mapped to this worker's.
    fn merge(&mut self, other: Conv) {
        for p in other.others {
            push_new(&mut self.others, p);
        }
        for p in other.to_names {
            push_new(&mut self.to_names, p);
        }
        self.owner.merge(other.owner);
        for (p, side) in other.from_others {
            self.side_of(p).merge(side);
        }
        for (p, n) in other.note_repeats {
            match self.note_repeats.iter_mut().find(|(id, _)| *id == p) {
                Some((_, m)) => *m += n,
                None => self.note_repeats.push((p, n)),
            }
        }
    }

    fn remap(&mut self, to: &[u32]) {
        let map = |v: &mut u32| *v = to[*v as usize];
        self.others.iter_mut().for_each(map);
        self.to_names.iter_mut().for_each(map);
        self.from_others.iter_mut().for_each(|(p, _)| map(p));
        self.note_repeats.iter_mut().for_each(|(p, _)| map(p));
    }
}

/// A URL resolved lately, trimmed, and the person it names.
#[derive(Default)]
struct Recent {
    url: Vec<u8>,
    id: Option<u32>,
    /// Free of list separators, so a list cell that is just this URL
    /// needs no split.
    plain: bool,
}

/// The people seen in messages.csv, each a small integer, so a URL or name
/// seen before costs one hash lookup and no allocation.
struct People<'n> {
    /// The two URLs resolved last (a thread alternates between two people):
    /// checked before the map, whose lookups miss the cache on large files.
    recent: [Recent; 2],
    recent_next: usize,
    by_url: HashMap<Box<[u8]>, Option<u32>>,
    by_name: HashMap<String, Option<u32>>,
    ids: HashMap<PersonKey, u32>,
    keys: Vec<PersonKey>,
    /// The name messages gave each person (with the line it came from: the
    /// earliest wins), for joins where Connections has no URL.
    names: Vec<Option<(u64, String)>>,
    /// Whether an invitation note exists for this person.
    noted: Vec<bool>,
    notes: &'n PersonMap<Vec<String>>,
}

impl<'n> People<'n> {
    fn new(notes: &'n PersonMap<Vec<String>>) -> Self {
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
            PersonKey::Name(n) => Some((0, n.clone())),
            PersonKey::Slug(_) => None,
        });
        self.ids.insert(key.clone(), id);
        self.keys.push(key);
        id
    }

    /// The person a profile URL names, from its raw bytes.
    fn url(&mut self, raw: &[u8]) -> Option<u32> {
        let raw = raw.trim_ascii();
        if let Some(r) = self.recent.iter().find(|r| r.url == raw) {
            return r.id;
        }
        let v = match self.by_url.get(raw) {
            Some(v) => *v,
            None => {
                let v = slug_from_url(&String::from_utf8_lossy(raw))
                    .map(|s| self.intern(PersonKey::Slug(s)));
                self.by_url.insert(raw.into(), v);
                v
            }
        };
        let slot = &mut self.recent[self.recent_next];
        slot.url.clear();
        slot.url.extend_from_slice(raw);
        slot.id = v;
        slot.plain = memchr::memchr2(b',', b';', raw).is_none();
        self.recent_next = 1 - self.recent_next;
        v
    }

    /// The people a list cell names ([`split_list`]'s pieces, each as
    /// [`People::url`] reads it), handed to `f` in order. Most recipient
    /// cells hold one URL resolved lately: that costs one comparison.
    fn urls(&mut self, cell: &[u8], mut f: impl FnMut(Option<u32>)) {
        let whole = cell.trim_ascii();
        if let Some(r) = self.recent.iter().find(|r| r.plain && r.url == whole) {
            // No separator, so the cell is one piece, and that piece reads
            // as this URL.
            return f(r.id);
        }
        for piece in split_list(cell) {
            f(self.url(piece));
        }
    }

    fn name(&mut self, raw: &str) -> Option<u32> {
        if let Some(v) = self.by_name.get(raw) {
            return *v;
        }
        let v = full_name_key(raw).map(|n| self.intern(PersonKey::Name(n)));
        self.by_name.insert(raw.to_string(), v);
        v
    }

    /// Remember the name a file gave a person keyed by URL on `line` (the
    /// earliest line wins).
    fn name_for(&mut self, id: u32, line: u64, raw: impl FnOnce() -> String) {
        if let Some(slot) = self.names.get_mut(id as usize)
            && slot.as_ref().is_none_or(|(l, _)| *l > line)
            && let Some(n) = full_name_key(&raw())
        {
            *slot = Some((line, n));
        }
    }

    /// Is the message body (the cell's bytes `raw`; `body` reads it as
    /// text) one of this person's invitation notes, as plain text? Most
    /// bodies differ from a note at their first bytes, told without reading
    /// them as text; the others are compared as their text is made, with
    /// no copy of it.
    fn is_note<'b>(&self, id: u32, raw: &[u8], body: impl FnOnce() -> Cow<'b, str>) -> bool {
        if !self.noted[id as usize] {
            return false;
        }
        let Some(notes) = self.notes.get(&self.keys[id as usize]) else {
            return false;
        };
        let mut candidates = notes
            .iter()
            .filter(|x| !x.is_empty() && !html_text_surely_differs(raw, x))
            .peekable();
        if candidates.peek().is_none() {
            return false;
        }
        let body = body();
        candidates.any(|x| html_text_is(&body, x))
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
fn contains_ignore_case(h: &[u8], n: &[u8]) -> bool {
    let Some(&first) = n.first() else { return true };
    memchr::memchr_iter(first, h)
        .any(|i| h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The pieces of a list cell (profile URLs separated by `,` or `;`).
fn split_list(mut cell: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match memchr::memchr2(b',', b';', cell) {
            Some(i) => {
                let piece = &cell[..i];
                cell = &cell[i + 1..];
                Some(piece)
            }
            None => {
                done = true;
                Some(cell)
            }
        }
    })
}

fn split_urls(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split([',', ';']).filter_map(slug_from_url)
}

/// The skip reason of a message whose sender has no profile: when most
/// rows are such, who wrote what cannot be told (see `owner::Found::settle`).
pub const FACELESS: &str = "sender without a profile (LinkedIn Member or closed account)";

/// The owner as messages.csv shows them: the URL present in the most rows
/// (as sender or recipient), when it is clearly the owner's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrequentUrl {
    /// The slug, when it is in at least half the rows and in more rows
    /// than any other (else the owner cannot be told from these rows).
    pub slug: Option<String>,
    /// The name its rows most often give it as sender.
    pub name: Option<String>,
    /// Every sender URL with the name its rows most often give it, so the
    /// owner's name can settle a tie (an export of one conversation).
    pub senders: Vec<(String, String)>,
    /// Rows read; the rows holding the top URL; the conversations (rows,
    /// without conversation ids) holding the runner-up.
    pub rows: u64,
    pub top: u64,
    pub runner_up: u64,
}

/// First pass when nothing else named the owner. In an export where most
/// senders are "LinkedIn Member" with no URL, a one-off sender is the most
/// frequent URL but in few rows: that is not the owner, and says so.
pub fn most_frequent_url<R: Read>(r: R) -> io::Result<FrequentUrl> {
    // Per profile: rows and conversations it is in.
    let mut counts: HashMap<String, (u64, BTreeSet<String>)> = HashMap::new();
    let mut names: HashMap<(String, String), u64> = HashMap::new();
    let mut conversations: BTreeSet<String> = BTreeSet::new();
    let mut rows = 0u64;
    let mut scratch = FileAccount::new("messages.csv", super::source::FileKind::Messages);
    scan(r, &mut scratch, &header, cols, |c, row, acct| {
        rows += 1;
        let conv = c.conv.map(|_| row.get(c.conv).into_owned());
        if let Some(conv) = &conv {
            conversations.insert(conv.clone());
        }
        let mut seen = BTreeSet::new();
        let sender = slug_from_url(&row.get(c.sender_url));
        if let Some(s) = &sender {
            let name = crate::text::trim(&row.get(c.from)).to_string();
            if !name.is_empty() {
                *names.entry((s.clone(), name)).or_default() += 1;
            }
        }
        seen.extend(sender);
        seen.extend(split_urls(&row.get(c.recipient_urls)));
        for s in seen {
            let e = counts.entry(s).or_default();
            e.0 += 1;
            if let Some(conv) = &conv {
                e.1.insert(conv.clone());
            }
        }
        acct.used();
    })?;
    // With conversation ids, the owner is in most conversations (a one-off
    // sender is in one); without, in most rows.
    let by_conv = !conversations.is_empty();
    let weight = |e: &(u64, BTreeSet<String>)| if by_conv { e.1.len() as u64 } else { e.0 };
    let total = if by_conv {
        conversations.len() as u64
    } else {
        rows
    };
    let mut ranked: Vec<(String, u64, u64)> = counts
        .into_iter()
        .map(|(s, e)| (s, weight(&e), e.0))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = ranked.first().map_or(0, |t| t.1);
    let runner_up = ranked.get(1).map_or(0, |t| t.1);
    let top_rows = ranked.first().map_or(0, |t| t.2);
    let slug = ranked
        .into_iter()
        .next()
        .filter(|_| top * 2 >= total && top > runner_up)
        .map(|(s, _, _)| s);
    let mut best: HashMap<String, (u64, String)> = HashMap::new();
    for ((u, n), k) in names {
        let e = best.entry(u).or_insert((0, String::new()));
        if k > e.0 || (k == e.0 && n < e.1) {
            *e = (k, n);
        }
    }
    let name = slug
        .as_ref()
        .and_then(|s| best.get(s).map(|(_, n)| n.clone()));
    let mut senders: Vec<(String, String)> = best.into_iter().map(|(u, (_, n))| (u, n)).collect();
    senders.sort();
    Ok(FrequentUrl {
        slug,
        name,
        senders,
        rows,
        top: top_rows,
        runner_up,
    })
}

/// What one worker has gathered: its people, its conversations.
struct Acc<'n> {
    people: People<'n>,
    convs: Convs,
    owner_id: Option<u32>,
    recipients: Vec<u32>,
    days: crate::dates::DayCache,
}

/// What every worker reads the same way.
struct Ctx<'a> {
    cols: Cols,
    owner: &'a OwnerId<'a>,
}

impl<'n> Acc<'n> {
    fn new(owner: &OwnerId<'_>, notes: &'n PersonMap<Vec<String>>) -> Self {
        let mut people = People::new(notes);
        let owner_id = owner
            .slug
            .map(|s| people.intern(PersonKey::Slug(s.to_string())));
        Acc {
            people,
            convs: Convs::default(),
            owner_id,
            recipients: Vec::new(),
            days: Default::default(),
        }
    }

    /// Use or skip one row of messages.csv.
    fn row(&mut self, x: &Ctx<'_>, row: &Row<'_>, acct: &mut FileAccount) {
        let c = &x.cols;
        let (people, recipients) = (&mut self.people, &mut self.recipients);
        // A label cell (yes/no, folder, title, direction), compared without
        // decoding; each read and trimmed once.
        let cell = |i: Option<usize>| row.bytes(i).trim_ascii();
        let yes = |i| {
            let v = cell(i);
            v.eq_ignore_ascii_case(b"yes") || v.eq_ignore_ascii_case(b"true")
        };
        let folder = cell(c.folder);
        if yes(c.msg_draft)
            || yes(c.conv_draft)
            || (row.has(c.folder) && folder.is_empty() && c.direction.is_none())
            || folder.eq_ignore_ascii_case(b"drafts")
        {
            return acct.skip(row.line, "draft");
        }
        if folder.eq_ignore_ascii_case(b"spam") {
            return acct.skip(row.line, "spam folder");
        }
        if cell(c.title).eq_ignore_ascii_case(b"sponsored conversation")
            || contains_ignore_case(row.bytes(c.content), b"%firstname%")
        {
            return acct.skip(row.line, "sponsored message");
        }
        let at = self.days.parse(row.bytes(c.date));
        let Some(at) = at.or_else(|| parse_datetime(&row.get(c.date))) else {
            return acct.skip(row.line, "unparseable DATE");
        };
        // Read below only when needed (which depends on the rows before):
        // checked here so the UTF-8 warning does not.
        for col in [c.from, c.to, c.content] {
            row.check(col);
        }
        recipients.clear();
        // Who sent it (None: the owner), and who else is in the thread.
        let sender: Option<u32> = if c.direction.is_some() && c.sender_url.is_none() {
            if cell(c.direction).eq_ignore_ascii_case(b"outgoing") {
                recipients.extend(people.name(&row.get(c.to)));
                None
            } else if cell(c.direction).eq_ignore_ascii_case(b"incoming") {
                match people.name(&row.get(c.from)) {
                    Some(id) => Some(id),
                    None => return acct.skip(row.line, "no identity (no sender name or URL)"),
                }
            } else {
                return acct.skip(row.line, "unknown DIRECTION");
            }
        } else {
            let sender_id = people.url(row.bytes(c.sender_url));
            let is_owner = match (sender_id, self.owner_id) {
                (Some(s), Some(o)) => s == o,
                (None, _) => {
                    c.sender_url.is_none()
                        && x.owner.name_key.is_some()
                        && full_name_key(&row.get(c.from)).as_deref() == x.owner.name_key
                }
                _ => false,
            };
            let owner_id = self.owner_id;
            people.urls(row.bytes(c.recipient_urls), |v| {
                if let Some(id) = v
                    && Some(id) != owner_id
                    && !recipients.contains(&id)
                {
                    recipients.push(id);
                }
            });
            if is_owner {
                if let [r] = recipients.as_slice() {
                    people.name_for(*r, row.line, || row.get(c.to).into_owned());
                }
                None
            } else if let Some(s) = sender_id {
                people.name_for(s, row.line, || row.get(c.from).into_owned());
                Some(s)
            } else {
                let from = row.get(c.from);
                if c.sender_url.is_some()
                    || from.is_empty()
                    || from.eq_ignore_ascii_case("linkedin member")
                {
                    return acct.skip(row.line, FACELESS);
                }
                match people.name(&from) {
                    Some(id) => Some(id),
                    None => return acct.skip(row.line, "no identity (no sender name or URL)"),
                }
            }
        };
        let noted = match sender {
            None => recipients
                .iter()
                .copied()
                .find(|r| people.noted[*r as usize]),
            Some(s) => Some(s).filter(|s| people.noted[*s as usize]),
        };
        let repeat_of =
            noted.filter(|p| people.is_note(*p, row.bytes(c.content), || row.get(c.content)));
        let conv = self
            .convs
            .get(row.bytes(c.conv).trim_ascii(), sender, recipients);
        for r in recipients.iter().chain(sender.iter()) {
            push_new(&mut conv.others, *r);
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
                    && let Some(id) = people.name(&row.get(c.to))
                {
                    push_new(&mut conv.to_names, id);
                }
                conv.owner
                    .add(at, row.line, None::<fn(&mut Option<Vec<u8>>) -> Kept>);
            }
            Some(s) => conv.side_of(s).add(
                at,
                row.line,
                Some(|spare: &mut Option<Vec<u8>>| {
                    Kept::of(row.bytes(c.content), spare, || {
                        html_to_text(&row.get(c.content))
                    })
                }),
            ),
        }
        acct.used();
    }

    /// Fold another worker's people and conversations into this one's. With
    /// `apart`, only the conversations this worker saw too are folded in
    /// (the others cannot meet any later worker's, so they need no key of
    /// their own here) and the rest are returned, their people renumbered
    /// as this worker's: the other's own vector, where each one folded in
    /// left an empty conversation behind.
    fn merge(&mut self, other: Acc<'n>, apart: bool) -> Vec<Conv> {
        let Acc {
            people: mut their_people,
            convs: mut their_convs,
            ..
        } = other;
        // Their lookup tables are not needed here: freed off the critical path.
        let tables = (
            std::mem::take(&mut their_people.by_url),
            std::mem::take(&mut their_people.by_name),
            std::mem::take(&mut their_people.ids),
            std::mem::take(&mut their_convs.by_id),
        );
        rayon::spawn(move || drop(tables));
        // Room for the other's people and conversations at once, rather
        // than growing (and rehashing) step by step.
        let (people, convs) = (their_people.keys.len(), their_convs.all.len());
        self.people.ids.reserve(people);
        if !apart {
            self.convs.by_id.reserve(convs);
            self.convs.all.reserve(convs);
            self.convs.keys.reserve(convs);
        }
        // Their people renumbered as ours, while their conversation ids are
        // looked up among ours (those keyed by person wait for the numbers).
        let (mine, ours) = (&mut self.people, &self.convs);
        let (to, found) = rayon::join(
            || {
                let mut to = Vec::with_capacity(people);
                for (key, name) in their_people.keys.into_iter().zip(their_people.names) {
                    let id = mine.intern(key);
                    if let Some((line, n)) = name {
                        let slot = &mut mine.names[id as usize];
                        if slot.as_ref().is_none_or(|(l, _)| *l > line) {
                            *slot = Some((line, n));
                        }
                    }
                    to.push(id);
                }
                to
            },
            || {
                their_convs
                    .keys
                    .iter()
                    .map(|k| match k {
                        ConvKey::Id(_) => ours.find(k),
                        ConvKey::With(_) => None,
                    })
                    .collect::<Vec<_>>()
            },
        );
        // Their conversations renumbered as ours, on every core; then where
        // each is among ours (those keyed by person, now that ids match).
        let Convs {
            all: mut their_all,
            keys: their_keys,
            ..
        } = their_convs;
        their_all.par_iter_mut().for_each(|c| c.remap(&to));
        let ours = &self.convs;
        let with = |p: &Option<u32>| ConvKey::With(p.map(|p| to[p as usize]));
        let hits: Vec<Option<usize>> = their_keys
            .par_iter()
            .zip(found)
            .map(|(k, hit)| match k {
                ConvKey::Id(_) => hit,
                ConvKey::With(p) => ours.find(&with(p)),
            })
            .collect();
        let shared = hits.iter().filter(|h| h.is_some()).count();
        let mut both: Vec<(usize, Conv)> = Vec::with_capacity(shared);
        let theirs = if apart {
            // Those both saw are taken out, leaving empty conversations
            // (which total to nothing); the rest stay where they are rather
            // than being copied into a vector of fresh memory.
            for (conv, hit) in their_all.iter_mut().zip(hits) {
                if let Some(i) = hit {
                    both.push((i, std::mem::take(conv)));
                }
            }
            rayon::spawn(move || drop(their_keys));
            their_all
        } else {
            for ((key, conv), hit) in their_keys.into_iter().zip(their_all).zip(hits) {
                match hit {
                    Some(i) => both.push((i, conv)),
                    None => {
                        let key = match key {
                            ConvKey::With(p) => with(&p),
                            id => id,
                        };
                        let i = self.convs.insert(key);
                        self.convs.all[i] = conv;
                    }
                }
            }
            Vec::new()
        };
        // Conversations both saw, merged in place on every core: each of
        // ours met in order, with its counterpart (never two, but folded
        // together should there be).
        both.sort_unstable_by_key(|(i, _)| *i);
        let mut next = both.into_iter().peekable();
        let mut pairs: Vec<(&mut Conv, Conv)> = Vec::with_capacity(shared);
        for (i, conv) in self.convs.all.iter_mut().enumerate() {
            let Some((j, _)) = next.peek() else { break };
            if *j != i {
                continue;
            }
            let Some((_, mut t)) = next.next() else { break };
            while let Some((_, more)) = next.next_if(|(j, _)| *j == i) {
                t.merge(more);
            }
            pairs.push((conv, t));
        }
        pairs
            .par_iter_mut()
            .for_each(|(ours, theirs)| ours.merge(std::mem::take(theirs)));
        theirs
    }
}

/// Aggregate messages per person, in one pass in file order. `notes` holds
/// each person's invitation notes (flattened), so a note repeated as a
/// message is counted once.
pub fn messages<R: Read>(
    r: R,
    acct: &mut FileAccount,
    owner: &OwnerId<'_>,
    notes: &PersonMap<Vec<String>>,
) -> io::Result<(Scanned, PersonList<MessageStats>)> {
    let mut acc = Acc::new(owner, notes);
    let s = scan(
        r,
        acct,
        &header,
        |t, a| setup(t, a, owner),
        |x, row, a| acc.row(x, row, a),
    )?;
    Ok((s, finish(acc, Vec::new())))
}

/// [`messages`] on every core, in blocks of about `block` bytes
/// ([`super::blocks::BLOCK`]): the same result, or `None` when the file's
/// quotes defeat the block cuts and it must be read with [`messages`].
pub fn messages_parallel<R: Read>(
    r: R,
    block: usize,
    acct: &mut FileAccount,
    owner: &OwnerId<'_>,
    notes: &PersonMap<Vec<String>>,
) -> io::Result<Option<(Scanned, PersonList<MessageStats>)>> {
    let Some((s, accs)) = super::blocks::scan_parallel(
        r,
        block,
        acct,
        &header,
        |t, a| setup(t, a, owner),
        || Acc::new(owner, notes),
        |x, acc, row, a| acc.row(x, row, a),
    )?
    else {
        return Ok(None);
    };
    let mut accs = accs.into_iter();
    let mut all = accs.next().unwrap_or_else(|| Acc::new(owner, notes));
    let mut apart = Vec::new();
    while let Some(other) = accs.next() {
        apart = all.merge(other, accs.len() == 0);
    }
    Ok(Some((s, finish(all, apart))))
}

fn setup<'a>(t: &Header, acct: &mut FileAccount, owner: &'a OwnerId<'a>) -> Ctx<'a> {
    if !t.has("sender profile url") && !t.has("direction") {
        acct.warn(t.line, "no sender URL or direction column: joined by name");
    }
    Ctx {
        cols: cols(t, acct),
        owner,
    }
}

/// A conversation: its id where the file has one, else (2018 and 2020
/// files) the other participant.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ConvKey {
    Id(Box<[u8]>),
    With(Option<u32>),
}

/// Conversations by key. Real files group rows by conversation, so the last
/// one is checked first: most rows then cost no hash lookup at all.
#[derive(Default)]
struct Convs {
    all: Vec<Conv>,
    keys: Vec<ConvKey>,
    by_id: HashMap<Box<[u8]>, usize>,
    by_person: HashMap<Option<u32>, usize>,
    last: Option<(Vec<u8>, usize)>,
}

impl Convs {
    fn get(&mut self, id: &[u8], sender: Option<u32>, recipients: &[u32]) -> &mut Conv {
        if id.is_empty() {
            let other = sender.or(recipients.first().copied());
            return self.entry(ConvKey::With(other));
        }
        if let Some((k, i)) = &self.last
            && k == id
        {
            return &mut self.all[*i];
        }
        let i = match self.by_id.get(id) {
            Some(i) => *i,
            None => self.insert(ConvKey::Id(id.into())),
        };
        let last = self.last.get_or_insert_with(|| (Vec::new(), 0));
        last.0.clear();
        last.0.extend_from_slice(id);
        last.1 = i;
        &mut self.all[i]
    }

    fn entry(&mut self, key: ConvKey) -> &mut Conv {
        let i = match self.find(&key) {
            Some(i) => i,
            None => self.insert(key),
        };
        &mut self.all[i]
    }

    /// Where the conversation with this key is, if here.
    fn find(&self, key: &ConvKey) -> Option<usize> {
        match key {
            ConvKey::Id(id) => self.by_id.get(id),
            ConvKey::With(p) => self.by_person.get(p),
        }
        .copied()
    }

    fn insert(&mut self, key: ConvKey) -> usize {
        let i = self.all.len();
        match &key {
            ConvKey::Id(id) => self.by_id.insert(id.clone(), i),
            ConvKey::With(p) => self.by_person.insert(*p, i),
        };
        self.all.push(Conv::default());
        self.keys.push(key);
        i
    }
}

/// Distribute conversation totals onto people: the conversations (those of
/// `acc`, and those only the last worker saw, `apart`, where empty ones add
/// nothing) are totalled on every core, then the threads' totals added
/// together person by person.
fn finish(acc: Acc<'_>, mut apart: Vec<Conv>) -> PersonList<MessageStats> {
    let Acc { people, convs, .. } = acc;
    let mut mine = convs.all;
    // Conversations in small batches, each taken by whichever thread is
    // free: their sizes vary too much for fixed halves. Each thread that
    // takes one keeps totals of its own.
    let batches = Mutex::new(
        mine.chunks_mut(TOTALS_BATCH)
            .chain(apart.chunks_mut(TOTALS_BATCH)),
    );
    let next = || batches.lock().expect("conversation batches").next();
    let mut parts: Vec<Vec<Option<MessageStats>>> = (0..rayon::current_num_threads().max(1))
        .into_par_iter()
        .filter_map(|_| {
            let first = next()?;
            let mut per: Vec<Option<MessageStats>> = (0..people.keys.len()).map(|_| None).collect();
            totals(&mut per, first, &people);
            while let Some(batch) = next() {
                totals(&mut per, batch, &people);
            }
            Some(per)
        })
        .collect();
    let mut per = parts.pop().unwrap_or_default();
    for other in parts {
        for (into, from) in per.iter_mut().zip(other) {
            match (into.as_mut(), from) {
                (_, None) => {}
                (None, from) => *into = from,
                (Some(into), Some(from)) => {
                    into.add_counts(&from);
                    // Moved, not copied: the texts stay where they were made.
                    keep_earliest(&mut into.first_received, from.first_received);
                    if into.name_key.is_none() {
                        into.name_key = from.name_key;
                    }
                }
            }
        }
    }
    // Freeing a million small pieces is not on the critical path.
    rayon::spawn(move || drop((mine, apart, convs.keys, convs.by_id)));
    let mut out = Vec::with_capacity(per.iter().filter(|st| st.is_some()).count());
    out.extend(
        people
            .keys
            .into_iter()
            .zip(per)
            .filter_map(|(k, st)| st.map(|st| (k, st))),
    );
    out
}

/// Add `more` to a person's kept texts, keeping the earliest few.
fn keep_earliest(
    kept: &mut Vec<(NaiveDateTime, String)>,
    more: impl IntoIterator<Item = (NaiveDateTime, String)>,
) {
    kept.extend(more);
    kept.sort();
    kept.truncate(KEEP_TEXTS);
}

/// Add the totals of some conversations to `per`, by person id.
fn totals(per: &mut [Option<MessageStats>], convs: &mut [Conv], people: &People<'_>) {
    for conv in convs {
        if conv.others.is_empty() {
            conv.others = std::mem::take(&mut conv.to_names);
        }
        let group = conv.others.len() > 1;
        let owner_days = conv.owner.day_count();
        for &p in &conv.others {
            let theirs = conv.from_others.iter().position(|(id, _)| *id == p);
            let (recv, rdays) = match theirs {
                Some(i) => {
                    let s = &mut conv.from_others[i].1;
                    (s.count, s.day_count())
                }
                None => (0, 0),
            };
            let repeats = conv
                .note_repeats
                .iter()
                .find(|(id, _)| *id == p)
                .map_or(0, |(_, n)| *n);
            // Everyone in a thread with the owner is a message partner, even
            // one who wrote nothing there; only what was written counts.
            let st = per[p as usize].get_or_insert_with(MessageStats::default);
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
                st.sent_days += owner_days;
                st.received_days += rdays;
                st.one_to_one_threads += 1;
                st.last_sent_at = st.last_sent_at.max(conv.owner.last);
            }
            st.note_repeats += repeats;
            if st.name_key.is_none() {
                st.name_key = people.names[p as usize].as_ref().map(|(_, n)| n.clone());
            }
            let (their_first, their_last) = theirs.map_or((None, None), |i| {
                let s = &conv.from_others[i].1;
                (s.first, s.last)
            });
            for t in [conv.owner.first, conv.owner.last, their_first, their_last]
                .into_iter()
                .flatten()
            {
                st.first_at = Some(st.first_at.map_or(t, |f| f.min(t)));
                st.last_at = Some(st.last_at.map_or(t, |l| l.max(t)));
            }
            if let Some(i) = theirs {
                if !group {
                    st.first_received_at = min_opt(st.first_received_at, their_first);
                }
                let texts = std::mem::take(&mut conv.from_others[i].1.texts);
                keep_earliest(
                    &mut st.first_received,
                    texts.into_iter().map(|(at, _, t)| (at, t.text())),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A run of list cells resolves to the same people, in the same
        /// order, through `urls` as piece by piece through `url`: a cell
        /// that equals a recent URL only when trimmed, or that holds
        /// separators, included.
        #[test]
        fn urls_reads_a_cell_as_its_pieces(
            cells in proptest::collection::vec(
                (
                    proptest::collection::vec((0usize..4, 0usize..4, 0usize..3), 0..4),
                    proptest::bool::ANY,
                ),
                1..12,
            ),
        ) {
            const URLS: [&str; 4] = [
                "https://www.linkedin.com/in/ana-x",
                " https://www.linkedin.com/in/bo-y/ ",
                "https://example.com/in/",
                "",
            ];
            let notes = PersonMap::default();
            let (mut whole, mut pieces) = (People::new(&notes), People::new(&notes));
            for (cell, sender) in cells {
                let mut text = String::new();
                for (url, sep, pad) in cell {
                    text.push_str(["", ",", ";", " , "][sep]);
                    text.push_str(["", " ", "\t"][pad]);
                    text.push_str(URLS[url]);
                }
                // A sender cell is read whole, separators and all, and
                // becomes a recent URL that a list cell must still split.
                if sender {
                    proptest::prop_assert_eq!(
                        whole.url(text.as_bytes()),
                        pieces.url(text.as_bytes())
                    );
                }
                let mut got = Vec::new();
                whole.urls(text.as_bytes(), |v| got.push(v));
                let want: Vec<_> = split_list(text.as_bytes())
                    .map(|p| pieces.url(p))
                    .collect();
                // Ids are numbered in the order people are met: the same
                // numbers in both, if the same people were met.
                proptest::prop_assert_eq!(got, want, "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        /// A kept text, flattened early or late, is the plain text of the
        /// cell as `Row::get` reads it (lossy, trimmed), cut to its first
        /// characters, and is empty exactly when that is; a lent buffer
        /// changes nothing.
        #[test]
        fn kept_text_is_the_plain_text_however_it_was_kept(
            body in "([a-zé <>&;\\t\\n\u{a0}\u{2003}]|&amp;|<p>|&lt;|&nbsp;){0,40}",
            long in 0usize..3,
            bad in proptest::option::of(0usize..60),
            spare in proptest::option::of("[a-z]{0,5}"),
        ) {
            let mut raw = body.repeat([1, 60, 600][long]).into_bytes();
            if let Some(at) = bad {
                raw.insert(at.min(raw.len()), 0xFF);
            }
            let read = String::from_utf8_lossy(&raw).trim().to_string();
            let want: String = html_to_text(&read).chars().take(KEEP_CHARS).collect();
            let mut spare = spare.map(String::into_bytes);
            let kept = Kept::of(&raw, &mut spare, || html_to_text(&read));
            proptest::prop_assert_eq!(kept.is_empty(), want.is_empty());
            proptest::prop_assert_eq!(kept.text(), want);
        }
    }
}
