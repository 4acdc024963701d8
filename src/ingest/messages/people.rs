//! The people of messages.csv as small integers: URLs and names resolved
//! once, with a cache of the last two.

use super::*;

/// A URL resolved lately, trimmed, and the person it names.
#[derive(Default)]
pub(super) struct Recent {
    pub(super) url: Vec<u8>,
    pub(super) id: Option<u32>,
    /// Free of list separators, so a list cell that is just this URL
    /// needs no split.
    pub(super) plain: bool,
}

/// The people seen in messages.csv, each a small integer, so a URL or name
/// seen before costs one hash lookup and no allocation.
pub(super) struct People<'n> {
    /// The two URLs resolved last (a thread alternates between two people):
    /// checked before the map, whose lookups miss the cache on large files.
    pub(super) recent: [Recent; 2],
    pub(super) recent_next: usize,
    pub(super) by_url: HashMap<Box<[u8]>, Option<u32>>,
    pub(super) by_name: HashMap<String, Option<u32>>,
    pub(super) ids: HashMap<PersonKey, u32>,
    pub(super) keys: Vec<PersonKey>,
    /// The name messages gave each person (with the line it came from: the
    /// earliest wins), for joins where Connections has no URL.
    pub(super) names: Vec<Option<(u64, String)>>,
    /// Whether an invitation note exists for this person.
    pub(super) noted: Vec<bool>,
    pub(super) notes: &'n PersonMap<Vec<String>>,
}

impl<'n> People<'n> {
    pub(super) fn new(notes: &'n PersonMap<Vec<String>>) -> Self {
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

    pub(super) fn intern(&mut self, key: PersonKey) -> u32 {
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
    pub(super) fn url(&mut self, raw: &[u8]) -> Option<u32> {
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
    pub(super) fn urls(&mut self, cell: &[u8], mut f: impl FnMut(Option<u32>)) {
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

    pub(super) fn name(&mut self, raw: &str) -> Option<u32> {
        if let Some(v) = self.by_name.get(raw) {
            return *v;
        }
        let v = full_name_key(raw).map(|n| self.intern(PersonKey::Name(n)));
        self.by_name.insert(raw.to_string(), v);
        v
    }

    /// Remember the name a file gave a person keyed by URL on `line` (the
    /// earliest line wins).
    pub(super) fn name_for(&mut self, id: u32, line: u64, raw: impl FnOnce() -> String) {
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
    pub(super) fn is_note<'b>(
        &self,
        id: u32,
        raw: &[u8],
        body: impl FnOnce() -> Cow<'b, str>,
    ) -> bool {
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
