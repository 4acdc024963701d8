//! messages.csv, aggregated per person while streaming: memory grows with
//! conversations and people, not with messages. Sponsored threads, URL-less
//! senders, SPAM and drafts are counted but are not relationship evidence; an
//! invitation note repeated as a message is counted once.

use super::model::*;
use super::scan::{Scanned, scan};
use super::table::Table;
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

#[derive(Default)]
struct Conv {
    others: BTreeSet<PersonKey>,
    to_names: BTreeSet<String>,
    owner: Side,
    from_others: HashMap<PersonKey, Side>,
    note_repeats: HashMap<PersonKey, u32>,
    names: HashMap<PersonKey, String>,
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

fn cols<R: Read>(t: &Table<R>, _: &mut FileAccount) -> Cols {
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
    let mut convs: HashMap<String, Conv> = HashMap::new();
    let s = scan(
        r,
        acct,
        &header,
        |t, acct| {
            if !t.has("sender profile url") && !t.has("direction") {
                acct.warn(
                    t.header_line,
                    "no sender URL or direction column: joined by name",
                );
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
            // Who sent it, and who else is in the thread.
            let (owner_sent, sender, recipients): (bool, Option<PersonKey>, Vec<PersonKey>) =
                if c.direction.is_some() && c.sender_url.is_none() {
                    match row.get(c.direction).to_ascii_uppercase().as_str() {
                        "OUTGOING" => (
                            true,
                            None,
                            full_name_key(&to)
                                .map(PersonKey::Name)
                                .into_iter()
                                .collect(),
                        ),
                        "INCOMING" => (false, full_name_key(&from).map(PersonKey::Name), vec![]),
                        _ => return acct.skip(row.line, "unknown DIRECTION"),
                    }
                } else {
                    let sender_slug = slug_from_url(&row.get(c.sender_url));
                    let is_owner = match (&sender_slug, owner.slug) {
                        (Some(s), Some(o)) => s == o,
                        (None, _) => {
                            owner.name_key.is_some()
                                && full_name_key(&from).as_deref() == owner.name_key
                                && c.sender_url.is_none()
                        }
                        _ => false,
                    };
                    let sender = if is_owner {
                        None
                    } else if let Some(s) = sender_slug {
                        Some(PersonKey::Slug(s))
                    } else if c.sender_url.is_some()
                        || from.is_empty()
                        || from.eq_ignore_ascii_case("linkedin member")
                    {
                        return acct.skip(
                            row.line,
                            "sender without a profile (LinkedIn Member or closed account)",
                        );
                    } else {
                        full_name_key(&from).map(PersonKey::Name)
                    };
                    let recips = split_urls(&row.get(c.recipient_urls))
                        .filter(|s| Some(s.as_str()) != owner.slug)
                        .map(PersonKey::Slug)
                        .collect();
                    (is_owner, sender, recips)
                };
            if !owner_sent && sender.is_none() {
                return acct.skip(row.line, "no identity (no sender name or URL)");
            }
            // Plain text is needed only to spot a repeated note or to keep one
            // of a person's first messages: computed at most once, lazily.
            let mut text: Option<String> = None;
            let mut text_of = || {
                text.get_or_insert_with(|| html_to_text(&raw_content))
                    .clone()
            };
            // An invitation note that reappears as a message counts once.
            let noted: Option<&PersonKey> = if owner_sent {
                recipients.iter().find(|r| notes.contains_key(*r))
            } else {
                sender.as_ref().filter(|s| notes.contains_key(*s))
            };
            let repeat_of: Option<PersonKey> = noted.and_then(|p| {
                let t = text_of();
                (!t.is_empty() && notes[p].contains(&t)).then(|| p.clone())
            });
            let conv = conversation(
                &mut convs,
                row.get(c.conv).as_ref(),
                &sender,
                &recipients,
                &to,
            );
            for r in &recipients {
                if !conv.others.contains(r) {
                    conv.others.insert(r.clone());
                }
            }
            if let Some(s) = &sender {
                if !conv.others.contains(s) {
                    conv.others.insert(s.clone());
                }
                if matches!(s, PersonKey::Slug(_))
                    && !conv.names.contains_key(s)
                    && let Some(n) = full_name_key(&from)
                {
                    conv.names.insert(s.clone(), n);
                }
            }
            if let [r @ PersonKey::Slug(_)] = recipients.as_slice()
                && !conv.names.contains_key(r)
                && let Some(n) = full_name_key(&to)
            {
                conv.names.insert(r.clone(), n);
            }
            if let Some(p) = repeat_of {
                *conv.note_repeats.entry(p).or_default() += 1;
                return acct.skip(
                    row.line,
                    "invitation note repeated as a message (counted once)",
                );
            }
            match sender {
                None => {
                    if recipients.is_empty() {
                        conv.to_names.extend(full_name_key(&to));
                    }
                    conv.owner.add(at, None::<fn() -> String>);
                }
                Some(s) => match conv.from_others.get_mut(&s) {
                    Some(side) => side.add(at, Some(text_of)),
                    None => conv
                        .from_others
                        .entry(s)
                        .or_default()
                        .add(at, Some(text_of)),
                },
            }
            acct.used();
        },
    )?;
    Ok((s, finish(convs)))
}

/// The conversation a message belongs to: its id where the file has one (no
/// allocation for a conversation already seen), else the other participant.
fn conversation<'a>(
    convs: &'a mut HashMap<String, Conv>,
    id: &str,
    sender: &Option<PersonKey>,
    recipients: &[PersonKey],
    to: &str,
) -> &'a mut Conv {
    if !id.is_empty() {
        return convs.entry_ref(id).or_default();
    }
    // No conversation id (2018 and 2020 files): the other participant stands in.
    // The leading NUL keeps these keys apart from real ids.
    let key = match (sender, recipients.first()) {
        (Some(s), _) | (None, Some(s)) => format!("\u{0}p:{s:?}"),
        (None, None) => format!("\u{0}to:{}", full_name_key(to).unwrap_or_default()),
    };
    convs.entry(key).or_default()
}

/// Distribute conversation totals onto people.
fn finish(convs: HashMap<String, Conv>) -> StdMap<PersonKey, MessageStats> {
    let mut people: StdMap<PersonKey, MessageStats> = StdMap::new();
    let mut convs: Vec<(String, Conv)> = convs.into_iter().collect();
    convs.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, mut conv) in convs {
        if conv.others.is_empty() {
            conv.others
                .extend(conv.to_names.iter().cloned().map(PersonKey::Name));
        }
        let group = conv.others.len() > 1;
        for p in &conv.others {
            let st = people.entry(p.clone()).or_default();
            let theirs = conv.from_others.get(p);
            let (recv, rdays) = theirs.map_or((0, 0), |s| (s.count, s.days.len() as u32));
            if conv.owner.count == 0 && recv == 0 && !conv.note_repeats.contains_key(p) {
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
            st.note_repeats += conv.note_repeats.get(p).copied().unwrap_or(0);
            if st.name_key.is_none() {
                st.name_key = conv.names.get(p).cloned();
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
    people
}
