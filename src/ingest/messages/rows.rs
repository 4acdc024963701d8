//! The row loop: each row is used or skipped by the rules (draft, SPAM,
//! sponsored, faceless sender, the owner's side) and counted into its
//! conversation.

use super::*;

/// What one worker has gathered: its people, its conversations.
pub(super) struct Acc<'n> {
    pub(super) people: People<'n>,
    pub(super) convs: Convs,
    pub(super) owner_id: Option<u32>,
    pub(super) recipients: Vec<u32>,
    pub(super) days: crate::dates::DayCache,
}

/// What every worker reads the same way.
pub(super) struct Ctx<'a> {
    pub(super) cols: Cols,
    pub(super) owner: &'a OwnerId<'a>,
}

impl<'n> Acc<'n> {
    pub(super) fn new(owner: &OwnerId<'_>, notes: &'n PersonMap<Vec<String>>) -> Self {
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
    pub(super) fn row(&mut self, x: &Ctx<'_>, row: &Row<'_>, acct: &mut FileAccount) {
        let c = &x.cols;
        if let Some(why) = filtered(c, row) {
            return acct.skip(row.line, why);
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
        let sender = match self.sides(x, row) {
            Ok(sender) => sender,
            Err(why) => return acct.skip(row.line, why),
        };
        if self.count(c, row, at, sender) {
            acct.used();
        } else {
            acct.skip(
                row.line,
                "invitation note repeated as a message (counted once)",
            );
        }
    }

    /// Who sent the row (None: the owner), and into `self.recipients`, who
    /// else is in the thread; or why the row has no one to count it for.
    fn sides(&mut self, x: &Ctx<'_>, row: &Row<'_>) -> Result<Option<u32>, &'static str> {
        let c = &x.cols;
        let (people, recipients) = (&mut self.people, &mut self.recipients);
        let cell = |i: Option<usize>| row.bytes(i).trim_ascii();
        recipients.clear();
        // The 2018 to 2022 layout: a DIRECTION column and names, no URLs.
        if c.direction.is_some() && c.sender_url.is_none() {
            return if cell(c.direction).eq_ignore_ascii_case(b"outgoing") {
                recipients.extend(people.name(&row.get(c.to)));
                Ok(None)
            } else if cell(c.direction).eq_ignore_ascii_case(b"incoming") {
                match people.name(&row.get(c.from)) {
                    Some(id) => Ok(Some(id)),
                    None => Err("no identity (no sender name or URL)"),
                }
            } else {
                Err("unknown DIRECTION")
            };
        }
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
            return Ok(None);
        }
        if let Some(s) = sender_id {
            people.name_for(s, row.line, || row.get(c.from).into_owned());
            return Ok(Some(s));
        }
        let from = row.get(c.from);
        if c.sender_url.is_some() || from.is_empty() || from.eq_ignore_ascii_case("linkedin member")
        {
            return Err(FACELESS);
        }
        match people.name(&from) {
            Some(id) => Ok(Some(id)),
            None => Err("no identity (no sender name or URL)"),
        }
    }

    /// Count the row into its conversation; false when it repeats an
    /// invitation note (counted once, as the note).
    fn count(
        &mut self,
        c: &Cols,
        row: &Row<'_>,
        at: chrono::NaiveDateTime,
        sender: Option<u32>,
    ) -> bool {
        let (people, recipients) = (&mut self.people, &self.recipients);
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
            return false;
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
        true
    }

    /// Fold another worker's people and conversations into this one's. With
    /// `apart`, only the conversations this worker saw too are folded in
    /// (the others cannot meet any later worker's, so they need no key of
    /// their own here) and the rest are returned, their people renumbered
    /// as this worker's: the other's own vector, where each one folded in
    /// left an empty conversation behind.
    pub(super) fn merge(&mut self, other: Acc<'n>, apart: bool) -> Vec<Conv> {
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
            || mine.adopt(their_people.keys, their_people.names),
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
            let keys = their_keys.into_iter().map(|key| match key {
                ConvKey::With(p) => with(&p),
                id => id,
            });
            self.convs.adopt(keys, their_all, hits, &mut both);
            Vec::new()
        };
        merge_shared(&mut self.convs.all, both);
        theirs
    }
}

impl People<'_> {
    /// Another worker's people (keys and first-seen names), numbered as
    /// ours: the earliest line's name wins. Returns their ids in ours.
    fn adopt(&mut self, keys: Vec<PersonKey>, names: Vec<Option<(u64, String)>>) -> Vec<u32> {
        let mut to = Vec::with_capacity(keys.len());
        for (key, name) in keys.into_iter().zip(names) {
            let id = self.intern(key);
            if let Some((line, n)) = name {
                let slot = &mut self.names[id as usize];
                if slot.as_ref().is_none_or(|(l, _)| *l > line) {
                    *slot = Some((line, n));
                }
            }
            to.push(id);
        }
        to
    }
}

/// Conversations both workers saw, merged in place on every core: each of
/// ours met in order, with its counterpart (never two, but folded together
/// should there be).
fn merge_shared(all: &mut [Conv], mut both: Vec<(usize, Conv)>) {
    both.sort_unstable_by_key(|(i, _)| *i);
    let mut pairs: Vec<(&mut Conv, Conv)> = Vec::with_capacity(both.len());
    let mut next = both.into_iter().peekable();
    for (i, conv) in all.iter_mut().enumerate() {
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
}

/// Why a row is not a message between people (a draft, spam, a sponsored
/// message), reading its label cells without decoding them.
fn filtered(c: &Cols, row: &Row<'_>) -> Option<&'static str> {
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
        return Some("draft");
    }
    if folder.eq_ignore_ascii_case(b"spam") {
        return Some("spam folder");
    }
    if cell(c.title).eq_ignore_ascii_case(b"sponsored conversation")
        || contains_ignore_case(row.bytes(c.content), b"%firstname%")
    {
        return Some("sponsored message");
    }
    None
}
