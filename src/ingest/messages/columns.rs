//! The file's columns by era, its list cells, and the owner's URL as the
//! most frequent one.

use super::*;

pub(super) struct Cols {
    pub(super) conv: Option<usize>,
    pub(super) title: Option<usize>,
    pub(super) from: Option<usize>,
    pub(super) sender_url: Option<usize>,
    pub(super) to: Option<usize>,
    pub(super) recipient_urls: Option<usize>,
    pub(super) date: Option<usize>,
    pub(super) content: Option<usize>,
    pub(super) direction: Option<usize>,
    pub(super) folder: Option<usize>,
    pub(super) msg_draft: Option<usize>,
    pub(super) conv_draft: Option<usize>,
}

pub(super) fn header(c: &[String]) -> bool {
    ["from", "date"].iter().all(|r| c.iter().any(|x| x == r))
        && c.iter().any(|x| x == "content" || x == "subject")
}

pub(super) fn cols(t: &Header, _: &mut FileAccount) -> Cols {
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
pub(super) fn contains_ignore_case(h: &[u8], n: &[u8]) -> bool {
    let Some(&first) = n.first() else { return true };
    memchr::memchr_iter(first, h)
        .any(|i| h.len() - i >= n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The pieces of a list cell (profile URLs separated by `,` or `;`).
pub(super) fn split_list(mut cell: &[u8]) -> impl Iterator<Item = &[u8]> {
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

pub(super) fn split_urls(s: &str) -> impl Iterator<Item = String> + '_ {
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
    let mut scratch = FileAccount::new("messages.csv", crate::ingest::source::FileKind::Messages);
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
