//! Invitations.csv: the invitations that began links still in the window,
//! fillers for large exports, and the pending ones (in and out).

use super::behaviour::Note;
use super::people::Person;
use super::{Ctx, EVENTS, OWNER_NAME, Rng, inv_date, line};
use chrono::{Duration, NaiveDateTime};
use std::fmt::Write as _;

pub(super) const HEAD: &str =
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n";

/// Pieces of the personal notes (`{}`: the name, event or company).
const GREETINGS: &[&str] = &["Hi {},", "Hello {}!", "Hey {} -", "{}, hi!", "Dear {},"];
const MET_AT: &[&str] = &[
    "great to meet you at {} last week.",
    "we talked about maps at {}.",
    "we spoke after your talk at {}.",
    "good talking to you at {} on Friday.",
    "we met at {} over coffee.",
];
const WORKED_AT: &[&str] = &[
    "good to find you here after our time together at {}!",
    "we worked together at {}, nice to reconnect.",
    "we were on the same team at {}, remember?",
    "great to see you here, we both worked at {}.",
];
const SIGN_OFFS: &[&str] = &[
    "Would love to stay in touch.",
    "Let's keep in touch!",
    "Hope to see you at the next one.",
    "Talk soon.",
    "",
];

/// The invitation that began a person's link (drawn for everyone, written
/// only while the rolling window still holds it).
pub(super) struct Invite {
    /// Theirs to the owner (else the owner's, unless they always invite).
    pub(super) incoming: bool,
    pub(super) note: String,
}

/// Draw the person's invitation and write it if it is in the window.
pub(super) fn person(inv: &mut String, rng: &mut Rng, ctx: &Ctx, p: &Person) -> Invite {
    let incoming = rng.chance(0.6);
    let note = note(rng, p, incoming);
    if p.connected >= ctx.window_start {
        let at = rng.time(p.connected) - Duration::days(rng.below(5) as i64);
        let (purl, pname) = (p.url(), p.name());
        let (owner, them) = ((OWNER_NAME, ctx.owner_url.as_str()), (&*pname, &*purl));
        let (dir, from, to) = if incoming || p.latent.behaviour().always_invites {
            ("INCOMING", them, owner)
        } else {
            ("OUTGOING", owner, them)
        };
        row(inv, from, to, at, &note.replace('\n', "  "), dir);
    }
    Invite { incoming, note }
}

/// The note, as the relationship writes it; it greets whoever receives it
/// (the owner when it comes in).
fn note(rng: &mut Rng, p: &Person, incoming: bool) -> String {
    let (odds, kind) = p.latent.behaviour().note;
    if !odds.roll(rng) {
        return String::new();
    }
    let addressee = if incoming { "Alex" } else { p.first.as_str() };
    let greet = |rng: &mut Rng| rng.pick(GREETINGS).replace("{}", addressee);
    match kind {
        Note::MetAt => {
            let greeting = greet(rng);
            let met = rng.pick(MET_AT);
            let event: &&str = rng.pick(EVENTS);
            format!(
                "{greeting} {} {}",
                met.replace("{}", event),
                rng.pick(SIGN_OFFS)
            )
        }
        Note::WorkedAt => format!(
            "{} {} {}",
            greet(rng),
            rng.pick(WORKED_AT).replace("{}", &p.company),
            rng.pick(SIGN_OFFS)
        ),
        Note::Text(text) => text.to_string(),
    }
}

/// Large exports: pending strangers up to `target` rows.
pub(super) fn top_up(inv: &mut String, rng: &mut Rng, ctx: &Ctx, target: usize) {
    let notes = [
        "",
        "",
        "I'd like to add you to my professional network on LinkedIn.",
        "We help teams like yours cut costs. Quick call? calendly.com/example/x",
        "Hi Alex, we met at GIS Days last week.",
    ];
    let have = inv.lines().count().saturating_sub(1);
    for k in have..target {
        let at = rng.when(ctx.today - Duration::days(300), ctx.today);
        let url = format!("https://www.linkedin.com/in/filler-example-{k}");
        let name = format!("Filler{k} Example");
        let note = notes[k % notes.len()];
        let owner = (OWNER_NAME, ctx.owner_url.as_str());
        row(inv, (&name, &url), owner, at, note, "INCOMING");
    }
}

/// Pending invitations in: (note, name, times sent).
const PENDING_IN: &[(&str, &str, u32)] = &[
    ("", "Cold Example", 1),
    (
        "I'd like to add you to my professional network on LinkedIn.",
        "Default Example",
        1,
    ),
    (
        "Hi Alex, we help founders scale revenue. Quick 15 minutes call? Pricing from $49.",
        "Pitch Example",
        1,
    ),
    ("", "Again Example", 3),
    (
        "Hi Alex, we met at GIS Days in Lyon last week - loved your talk on tie strength.",
        "Genuine Example",
        1,
    ),
    ("Let's connect!", "Generic Example", 1),
    (
        "Hi Alex, your post on pruning a network by the introduction test made me do mine. Would love to compare notes sometime.",
        "Reader Example",
        1,
    ),
];
/// Pending invitations out: (note, name, age in days).
const PENDING_OUT: &[(&str, &str, i64)] = &[
    ("", "Waiting Example", 10),
    (
        "Hi Sam, we met at the Rust meetup - let's stay in touch.",
        "Old Example",
        90,
    ),
];

/// Pending invitations: strangers, defaults, pitches, repeats, a real one;
/// and the owner's own.
pub(super) fn pending(inv: &mut String, rng: &mut Rng, ctx: &Ctx) {
    let owner = (OWNER_NAME, ctx.owner_url.as_str());
    for (k, (note, name, times)) in PENDING_IN.iter().enumerate() {
        let slug: String = format!("{}-{:04x}", name.to_lowercase().replace(' ', "-"), k)
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let url = format!("https://www.linkedin.com/in/{slug}");
        for t in 0..*times {
            let at = rng.time(ctx.today - Duration::days(5 + 40 * t as i64 + k as i64));
            row(inv, (name, &url), owner, at, note, "INCOMING");
        }
    }
    for (k, (note, name, age)) in PENDING_OUT.iter().enumerate() {
        let at = rng.time(ctx.today - Duration::days(*age));
        let url = format!(
            "https://www.linkedin.com/in/{}-{:04x}",
            name.to_lowercase().replace(' ', "-"),
            k + 100
        );
        row(inv, owner, (name, &url), at, note, "OUTGOING");
    }
}
/// One row; `from` and `to` are (name, profile URL).
fn row(
    inv: &mut String,
    from: (&str, &str),
    to: (&str, &str),
    at: NaiveDateTime,
    note: &str,
    dir: &str,
) {
    let _ = writeln!(
        inv,
        "{}",
        line(&[from.0, to.0, &inv_date(at), note, dir, from.1, to.1])
    );
}
