//! messages.csv: each person's conversation as their relationship has it,
//! the top-up of large exports, and rows that are not relationship evidence
//! (sponsored, a closed account, spam, a draft, a group thread).

use super::behaviour::{Odds, Thread};
use super::invitations::Invite;
use super::people::Person;
use super::{Ctx, EVENTS, OWNER_NAME, OWNER_SLUG, Rng, fnv, line, ymd};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::fmt::Write as _;

pub(super) const HEAD: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n";

/// A conversation between the owner and one person.
struct Conv<'a> {
    id: String,
    p: &'a Person,
    ctx: &'a Ctx,
}

impl Conv<'_> {
    /// Messages start with the link, or in 2015 for older links.
    fn start(&self) -> NaiveDate {
        self.p.connected.max(ymd(2015, 1, 1))
    }

    /// One message, no later than the export day's 18:00.
    fn row(&self, out: &mut String, from_owner: bool, at: NaiveDateTime, text: &str, folder: &str) {
        let (purl, pname) = (self.p.url(), self.p.name());
        let owner = (OWNER_NAME, self.ctx.owner_url.as_str());
        let them = (pname.as_str(), purl.as_str());
        let (from, to) = if from_owner {
            (owner, them)
        } else {
            (them, owner)
        };
        let at = at.min(self.ctx.today.and_hms_opt(18, 0, 0).unwrap_or_default());
        let _ = writeln!(
            out,
            "{}",
            line(&[
                &self.id,
                "",
                from.0,
                from.1,
                to.0,
                to.1,
                &format!("{} UTC", at.format("%Y-%m-%d %H:%M:%S")),
                "",
                text,
                folder,
                "No"
            ])
        );
    }
}

/// The person's conversation (`n`: its number, from 1), as the
/// relationship's thread says.
pub(super) fn person(
    msgs: &mut String,
    rng: &mut Rng,
    ctx: &Ctx,
    p: &Person,
    n: u32,
    inv: &Invite,
) {
    let id = format!("2-{:08x}{:04x}", rng.next() as u32, n);
    let c = Conv { id, p, ctx };
    match p.latent.behaviour().thread {
        Thread::Chat { odds, min, spread } => chat(msgs, rng, &c, odds, min, spread),
        Thread::FollowUp {
            note_again,
            thanks,
            reply_hours,
        } => follow_up(msgs, rng, &c, inv, note_again, thanks, reply_hours),
        Thread::Question { owner_asks } => {
            let from_owner = rng.chance(owner_asks);
            let at = rng.when(c.start(), ctx.today);
            let text = "Quick question about the GIS project, do you have a minute?";
            c.row(msgs, from_owner, at, text, "ARCHIVE");
        }
        Thread::Answered { reply_hours } => {
            let at = rng.when(c.start(), ctx.today);
            c.row(msgs, false, at, RECRUITING, "INBOX");
            let reply = "Thanks, not looking right now, but happy to stay in touch.";
            let later = at + Duration::hours(reply_hours);
            c.row(msgs, true, later, reply, "INBOX");
        }
        Thread::Pitch {
            odds,
            lag,
            bump,
            bump_days,
        } => pitch(msgs, rng, &c, odds, lag, bump, bump_days),
        Thread::Silent => {}
    }
}

const RECRUITING: &str = "Hi, I'm recruiting for an exciting opportunity at a fintech scale-up. Are you open to a quick call? Salary up to $150k.";
const SELLING: &str = "Thanks for connecting! We help SaaS teams boost revenue with our outsourcing platform. Book a demo: calendly.com/example/demo - only $99/month.";

/// With `odds`, `min` plus up to `spread - 1` messages taking turns, the
/// owner first, at random times since the link.
fn chat(msgs: &mut String, rng: &mut Rng, c: &Conv, odds: Odds, min: u64, spread: u64) {
    let n = if odds.roll(rng) {
        min + rng.below(spread)
    } else {
        0
    };
    for k in 0..n {
        let at = rng.when(c.start(), c.ctx.today);
        let body = match k % 4 {
            0 => format!("Hi {}, how are things at {}?", c.p.first, c.p.company),
            1 => "<p>Great to hear from you!</p><p>Lunch next week?</p>".to_string(),
            2 => "Sure &amp; thanks.\nTalk soon,\nA.".to_string(),
            _ => String::new(),
        };
        c.row(msgs, k % 2 == 0, at, &body, "INBOX");
    }
}

/// After an event: the invitation's note again (odds `note_again`, while
/// the window holds it), then thanks for the chat and a reply (odds
/// `thanks`; always outside the window, where messages are the only trace).
fn follow_up(
    msgs: &mut String,
    rng: &mut Rng,
    c: &Conv,
    inv: &Invite,
    note_again: f64,
    thanks: f64,
    reply_hours: i64,
) {
    let in_window = c.p.connected >= c.ctx.window_start;
    if in_window && !inv.note.is_empty() && rng.chance(note_again) {
        // The note reappears as the first message: counted once.
        let at = rng.time(c.p.connected);
        c.row(msgs, inv.incoming, at, &inv.note, "INBOX");
    }
    if !in_window || rng.chance(thanks) {
        let at = rng.when(c.start(), c.ctx.today);
        let text = format!("Thanks again for the chat at {}!", rng.pick(EVENTS));
        c.row(msgs, false, at, &text, "INBOX");
        let later = at + Duration::hours(reply_hours);
        c.row(msgs, true, later, "Likewise, let's keep in touch.", "INBOX");
    }
}

/// With `odds`, a sales pitch 1 to `lag` days after the link, and with
/// `bump` a reminder `bump_days` later; never an answer.
fn pitch(
    msgs: &mut String,
    rng: &mut Rng,
    c: &Conv,
    odds: f64,
    lag: u64,
    bump: f64,
    bump_days: i64,
) {
    if !rng.chance(odds) {
        return;
    }
    let lag = 1 + rng.below(lag) as i64;
    let at = rng.time(c.p.connected + Duration::days(lag));
    c.row(msgs, false, at, SELLING, "INBOX");
    if rng.chance(bump) {
        let text = "Just bumping this up - are you the right person to talk to?";
        c.row(msgs, false, at + Duration::days(bump_days), text, "INBOX");
    }
}

/// Large exports: bursts of a thread with a random talker, at random times,
/// up to about `target` rows; then, as in real files, the rows grouped by
/// conversation, newest first (conversations by their latest message, each
/// one's rows from the latest back).
pub(super) fn top_up(
    msgs: &mut String,
    rng: &mut Rng,
    ctx: &Ctx,
    people: &[Person],
    target: usize,
) {
    let talkers: Vec<&Person> = people
        .iter()
        .filter(|p| p.latent.behaviour().talker)
        .collect();
    if talkers.is_empty() {
        return;
    }
    let bodies = [
        "How are things?",
        "<p>Saw this and thought of you &amp; the team.</p>",
        "Thanks, talk soon",
        "Are we still on for Thursday?\nI can bring the slides.",
        "",
        "Congrats on the new role!",
    ];
    let mut threads: Vec<Vec<(NaiveDateTime, usize, String)>> = Vec::new();
    let mut thread_of: HashMap<String, usize> = HashMap::new();
    let mut k = msgs.lines().count().saturating_sub(1);
    while k < target {
        let p = talkers[rng.below(talkers.len() as u64) as usize];
        let c = Conv {
            id: format!("3-{:08x}", fnv(&p.slug)),
            p,
            ctx,
        };
        let t = *thread_of.entry(c.id.clone()).or_insert_with(|| {
            threads.push(Vec::new());
            threads.len() - 1
        });
        let mut at = rng.when(c.start(), ctx.today);
        for _ in 0..(1 + rng.below(40) as usize).min(target - k) {
            let mut row = String::new();
            c.row(
                &mut row,
                k.is_multiple_of(2),
                at,
                bodies[k % bodies.len()],
                "INBOX",
            );
            threads[t].push((at, k, row));
            at += Duration::minutes(1 + rng.below(600) as i64);
            k += 1;
        }
    }
    for rows in &mut threads {
        rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    }
    threads.sort_unstable_by_key(|rows| std::cmp::Reverse(rows.first().map(|r| (r.0, r.1))));
    for (_, _, row) in threads.into_iter().flatten() {
        msgs.push_str(&row);
    }
}

/// Rows to the owner from no connection: (id, title, from, its URL, date,
/// content, folder).
const NOISE: &[[&str; 7]] = &[
    [
        "2-sponsored01",
        "Sponsored Conversation",
        "LinkedIn Member",
        "",
        "2025-11-02 09:00:00 UTC",
        "<p>Hi %FIRSTNAME%, grow your career with Example Premium!</p>",
        "INBOX",
    ],
    [
        "2-closed0001",
        "",
        "LinkedIn Member",
        "",
        "2024-05-02 09:00:00 UTC",
        "Hello from a closed account",
        "INBOX",
    ],
    [
        "2-spam000001",
        "",
        "Spam Example",
        "https://www.linkedin.com/in/spam-example-ffffff",
        "2025-01-02 09:00:00 UTC",
        "You won!",
        "SPAM",
    ],
];

/// Noise that is not relationship evidence: sponsored, closed, spam, a
/// draft to the newest connection, and a group thread among the first two
/// people whose relationship has one and the owner.
pub(super) fn noise(msgs: &mut String, ctx: &Ctx, people: &[Person]) {
    let owner_url = ctx.owner_url.as_str();
    for [id, title, from, from_url, date, text, folder] in NOISE {
        let row: [&str; 11] = [
            id, title, from, from_url, OWNER_NAME, owner_url, date, "", text, folder, "No",
        ];
        let _ = writeln!(msgs, "{}", line(&row));
    }
    if let Some(p) = people.first() {
        let row: [&str; 11] = [
            "2-draft00001",
            "",
            OWNER_NAME,
            owner_url,
            &p.first,
            &p.url(),
            "2026-03-01 09:00:00 UTC",
            "",
            "Unfinished thou",
            "",
            "Yes",
        ];
        let _ = writeln!(msgs, "{}", line(&row));
    }
    let group: Vec<&Person> = people
        .iter()
        .filter(|p| p.latent.behaviour().in_group)
        .take(2)
        .collect();
    if let [a, b] = group.as_slice() {
        let urls = format!("{},https://www.linkedin.com/in/{OWNER_SLUG}", b.url());
        let row: [&str; 11] = [
            "2-group00001",
            "Project GIS",
            &a.name(),
            &a.url(),
            "group",
            &urls,
            "2025-10-10 10:00:00 UTC",
            "",
            "Meeting notes attached.",
            "INBOX",
            "No",
        ];
        let _ = writeln!(msgs, "{}", line(&row));
    }
}
