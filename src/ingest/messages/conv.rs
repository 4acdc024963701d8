//! A conversation's state while messages.csv streams: each side's counts,
//! days and earliest texts, and the conversations by key. Every field merges
//! in any order (sums, set unions, minimums, the earliest line winning a tie),
//! so the parallel scan, merging per-worker state, gives what one pass in
//! file order gives.

use super::*;

/// A kept message text: final, or a body still to be made plain text.
pub(super) enum Kept {
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
    pub(super) fn of(
        raw: &[u8],
        spare: &mut Option<Vec<u8>>,
        text: impl FnOnce() -> String,
    ) -> Kept {
        if raw.len() <= KEEP_RAW_BYTES && crate::text::html_surely_has_text(raw) {
            let mut b = spare.take().unwrap_or_default();
            b.clear();
            b.extend_from_slice(raw);
            Kept::Body(b)
        } else {
            Kept::Text(text())
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, Kept::Text(t) if t.is_empty())
    }

    /// The text as the report sees it: plain text, at most [`KEEP_CHARS`].
    /// A body is read as [`Row::get`] reads a cell (lossy, trimmed).
    pub(super) fn text(self) -> String {
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

/// One side of a conversation. Everything in it merges in any order, so the
/// parallel scan gives what one pass in file order gives; ties go to the
/// earlier line.
#[derive(Default)]
pub(super) struct Side {
    pub(super) count: u32,
    /// Days with a message, deduplicated when merged or counted. Most
    /// sides write on a few days: those stay inline, beside the count.
    pub(super) days: SmallVec<[NaiveDate; 4]>,
    pub(super) first: Option<NaiveDateTime>,
    pub(super) last: Option<NaiveDateTime>,
    /// The earliest few texts: (sent, line, text).
    pub(super) texts: Vec<(NaiveDateTime, u64, Kept)>,
}

impl Side {
    /// Count a message; `text` is asked for only when it would be kept,
    /// with the buffer of the text that would give way for it.
    pub(super) fn add<F: FnOnce(&mut Option<Vec<u8>>) -> Kept>(
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

    pub(super) fn merge(&mut self, other: Side) {
        self.count += other.count;
        self.days.extend(other.days);
        self.first = min_opt(self.first, other.first);
        self.last = self.last.max(other.last);
        self.texts.extend(other.texts);
        self.texts.sort_by_key(|a| (a.0, a.1));
        self.texts.truncate(KEEP_TEXTS);
    }

    pub(super) fn day_count(&mut self) -> u32 {
        self.days.sort_unstable();
        self.days.dedup();
        self.days.len() as u32
    }
}

/// Person ids, the few of one conversation: inline up to two.
pub(super) type Ids = SmallVec<[u32; 2]>;

/// A conversation's participants are few: small vectors beat maps here,
/// and the usual conversation (one other person, who writes back) fits in
/// the struct itself, so a row touches no other heap block to count.
#[derive(Default)]
pub(super) struct Conv {
    /// Participants other than the owner (person ids).
    pub(super) others: Ids,
    /// Name ids from TO where the file gives no recipient URLs.
    pub(super) to_names: Ids,
    pub(super) owner: Side,
    pub(super) from_others: SmallVec<[(u32, Side); 1]>,
    pub(super) note_repeats: Vec<(u32, u32)>,
}

pub(super) fn push_new(v: &mut Ids, id: u32) {
    if !v.contains(&id) {
        v.push(id);
    }
}

impl Conv {
    pub(super) fn side_of(&mut self, id: u32) -> &mut Side {
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
    pub(super) fn merge(&mut self, other: Conv) {
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

    pub(super) fn remap(&mut self, to: &[u32]) {
        let map = |v: &mut u32| *v = to[*v as usize];
        self.others.iter_mut().for_each(map);
        self.to_names.iter_mut().for_each(map);
        self.from_others.iter_mut().for_each(|(p, _)| map(p));
        self.note_repeats.iter_mut().for_each(|(p, _)| map(p));
    }
}

/// A conversation: its id where the file has one, else (2018 and 2020
/// files) the other participant.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum ConvKey {
    Id(Box<[u8]>),
    With(Option<u32>),
}

/// Conversations by key. Real files group rows by conversation, so the last
/// one is checked first: most rows then cost no hash lookup at all.
#[derive(Default)]
pub(super) struct Convs {
    pub(super) all: Vec<Conv>,
    pub(super) keys: Vec<ConvKey>,
    pub(super) by_id: HashMap<Box<[u8]>, usize>,
    pub(super) by_person: HashMap<Option<u32>, usize>,
    pub(super) last: Option<(Vec<u8>, usize)>,
}

impl Convs {
    pub(super) fn get(&mut self, id: &[u8], sender: Option<u32>, recipients: &[u32]) -> &mut Conv {
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

    pub(super) fn entry(&mut self, key: ConvKey) -> &mut Conv {
        let i = match self.find(&key) {
            Some(i) => i,
            None => self.insert(key),
        };
        &mut self.all[i]
    }

    /// Where the conversation with this key is, if here.
    pub(super) fn find(&self, key: &ConvKey) -> Option<usize> {
        match key {
            ConvKey::Id(id) => self.by_id.get(id),
            ConvKey::With(p) => self.by_person.get(p),
        }
        .copied()
    }

    /// Another worker's conversations, their keys already in our numbers:
    /// those we have too (`hits`) go to `both`, to be merged; the others
    /// become ours.
    pub(super) fn adopt(
        &mut self,
        keys: impl Iterator<Item = ConvKey>,
        all: Vec<Conv>,
        hits: Vec<Option<usize>>,
        both: &mut Vec<(usize, Conv)>,
    ) {
        for ((key, conv), hit) in keys.zip(all).zip(hits) {
            match hit {
                Some(i) => both.push((i, conv)),
                None => {
                    let i = self.insert(key);
                    self.all[i] = conv;
                }
            }
        }
    }

    pub(super) fn insert(&mut self, key: ConvKey) -> usize {
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
