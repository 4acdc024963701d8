//! messages.csv, aggregated per person while streaming: memory grows with
//! conversations and people, not with messages. Sponsored threads, URL-less
//! senders, SPAM and drafts are counted but are not relationship evidence; an
//! invitation note repeated as a message is counted once.

use super::engine::{Header, Row, Scanned, scan};
use super::model::*;
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

mod columns;
mod conv;
mod people;
mod rows;

use columns::*;
pub use columns::{FACELESS, FrequentUrl, most_frequent_url};
use conv::*;
use people::*;
use rows::*;

/// How many of a person's earliest messages are kept as text for pitch checks.
const KEEP_TEXTS: usize = 3;
const KEEP_CHARS: usize = 600;
/// Conversations a thread totals at a time.
const TOTALS_BATCH: usize = 512;
/// A message body up to this size is kept as written and made plain text
/// only if it is still among the earliest at the end; longer ones are
/// converted and cut at once, so kept text stays small.
const KEEP_RAW_BYTES: usize = 4 * 4 * KEEP_CHARS;

/// Who the owner is, as far as messages can tell.
pub struct OwnerId<'a> {
    pub slug: Option<&'a str>,
    pub name_key: Option<&'a str>,
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
/// ([`super::engine::BLOCK`]): the same result, or `None` when the file's
/// quotes defeat the block cuts and it must be read with [`messages`].
pub fn messages_parallel<R: Read>(
    r: R,
    block: usize,
    acct: &mut FileAccount,
    owner: &OwnerId<'_>,
    notes: &PersonMap<Vec<String>>,
) -> io::Result<Option<(Scanned, PersonList<MessageStats>)>> {
    let Some((s, accs)) = super::engine::scan_parallel(
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
