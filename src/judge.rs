//! Judge: `score` turns evidence into a 0-100 context score with the signals
//! behind it; `decide` turns that plus the policy into a verdict with reasons.
//! Both are pure and total. `judge_all` runs them on rayon.

use crate::dates::Ymd;
use crate::evidence::{Evidence, InvitationFacts, Join};
use crate::ingest::{Connection, Direction, Export};
use crate::notes::NoteClass;
use crate::policy::Policy;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    None,
    Weak,
    Moderate,
    Strong,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Unlink,
    Review,
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Accept,
    Reply,
    Ignore,
    Withdraw,
    Wait,
    None,
}

/// How much the export could say about this person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// No messages file: silence proves nothing.
    Low,
    /// Messages present; how the link began is outside the invitation window.
    Partial,
    /// Messages present and the invitation window covers the connection date.
    High,
}

/// A reason or signal in plain words: most are fixed phrases, which cost no
/// allocation; the rest are built for the person.
pub type Words = std::borrow::Cow<'static, str>;

/// Words built for the person from pieces (text, counts, dates), written
/// straight into one string: verdicts are made for every connection, and
/// `format!`'s machinery cost more than the judging around it.
macro_rules! words {
    ($($piece:expr),+ $(,)?) => {{
        let mut s = String::with_capacity(64);
        $(Piece::put(&$piece, &mut s);)+
        Words::Owned(s)
    }};
}

/// Words written straight onto the end of a verdict's [`Reasons`], after
/// the separator: no string of their own.
macro_rules! say {
    ($reasons:expr, $($piece:expr),+ $(,)?) => {{
        let s = $reasons.next();
        $(Piece::put(&$piece, s);)+
    }};
}

/// A verdict's reasons as they are written: joined by `"; "`, the lead
/// reason first. One string per verdict: as a list, every verdict held a
/// vector and a small string per reason built for the person, which on a
/// large export was the largest part of the memory after ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reasons(String);

impl Reasons {
    const SEP: &'static str = "; ";

    fn with_capacity(n: usize) -> Self {
        Reasons(String::with_capacity(n))
    }

    /// The string to write the next reason onto, separator already there.
    fn next(&mut self) -> &mut String {
        if !self.0.is_empty() {
            self.0.push_str(Self::SEP);
        }
        &mut self.0
    }

    fn push(&mut self, w: &str) {
        self.next().push_str(w);
    }

    /// Put `w` before the others.
    fn lead(&mut self, w: &str) {
        if !self.0.is_empty() {
            self.0.insert_str(0, Self::SEP);
        }
        self.0.insert_str(0, w);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What [`words!`] can write.
trait Piece {
    fn put(&self, s: &mut String);
}

impl<T: Piece + ?Sized> Piece for &T {
    fn put(&self, s: &mut String) {
        (**self).put(s)
    }
}

impl Piece for str {
    fn put(&self, s: &mut String) {
        s.push_str(self)
    }
}

impl Piece for String {
    fn put(&self, s: &mut String) {
        s.push_str(self)
    }
}

impl Piece for Words {
    fn put(&self, s: &mut String) {
        s.push_str(self)
    }
}

impl Piece for u32 {
    fn put(&self, s: &mut String) {
        i64::from(*self).put(s)
    }
}

impl Piece for i64 {
    fn put(&self, s: &mut String) {
        let (digits, at) = crate::text::decimal(self.unsigned_abs());
        if *self < 0 {
            s.push('-');
        }
        s.extend(digits[at..].iter().map(|d| char::from(*d)));
    }
}

impl Piece for Ymd {
    fn put(&self, s: &mut String) {
        if let Some(d) = self.0 {
            crate::dates::with_ymd(d, |t| s.extend(t.iter().map(|c| char::from(*c))));
        }
    }
}

/// The numbers `score` produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub score: u8,
    pub context: Context,
    /// Signals that earned points, in plain words, strongest first.
    pub signals: Vec<Words>,
    /// Supporting signals that earned nothing, for lack of evidence about
    /// the person (an endorsement alone, timing alone).
    pub unscored: Vec<Words>,
    pub pitch_only: bool,
}

/// What the audit knows about the export as a whole, for coverage.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub as_of: NaiveDate,
    pub has_messages: bool,
    /// The earliest invitation date in the export (the window's start).
    pub invitations_since: Option<NaiveDate>,
    /// The owner was found with confidence (else messages prove nothing).
    pub owner_confident: bool,
    /// Invitations.csv names the owner (else it gets no actions).
    pub invitations_name_owner: bool,
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Evidence to a score. Pure.
///
/// Signals come in three tiers. Evidence about the person (a written
/// exchange, a recommendation, a personal note, shared tenure, the address
/// book) scores on its own. One-click acts (endorsements) and timing facts
/// about the owner's life (connected during the owner's studies, works
/// where the owner once worked) only add to other evidence: alone they
/// never lift a connection out of `none`. Messages count fully only when
/// the other side answered; one-sided outreach is at most `weak`.
pub fn score(ev: &Evidence, policy: &Policy, as_of: NaiveDate) -> Score {
    // Room for every signal below, so none grows the vector.
    let mut pts: Signals = Vec::with_capacity(10);
    let two_way = reciprocal(ev);
    message_signals(ev, two_way, policy, as_of, &mut pts);
    person_signals(ev, policy, &mut pts);
    let about_person = !pts.is_empty();
    let (support, timing) = supporting_signals(ev, policy);
    // Endorsements count beside any other signal; timing beside evidence
    // about the person, an endorsement included.
    let endorsed = !support.is_empty();
    let supported = about_person || (endorsed && !timing.is_empty());
    let mut unscored: Vec<Words> = Vec::new();
    for (p, w) in support.into_iter().chain(timing) {
        if supported {
            pts.push((p, w));
        } else {
            unscored.push(w);
        }
    }
    let positive: f64 = pts.iter().map(|(p, _)| p).sum();
    let pitched = (ev.pitch_in_note || ev.pitch_in_messages) && !ev.pitch_answered;
    let total = if pitched {
        positive - policy.pitch_penalty
    } else {
        positive
    };
    // One-sided outreach (with supporting signals) stays below `moderate`.
    let total = if two_way
        || ev.recommendations > 0
        || ev.personal_note
        || ev.shared_tenure.is_some()
        || ev.in_address_book
    {
        total
    } else {
        total.min(f64::from(policy.moderate_at) - 1.0)
    };
    let score = total.clamp(0.0, 100.0).round() as u8;
    pts.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Score {
        score,
        context: band(score, policy),
        signals: pts.into_iter().map(|(_, s)| s).collect(),
        unscored,
        pitch_only: pitched && positive < policy.moderate_at as f64,
    }
}

/// Points with the words that explain them.
type Signals = Vec<(f64, Words)>;

/// The context band a score falls in.
fn band(score: u8, policy: &Policy) -> Context {
    if score >= policy.strong_at {
        Context::Strong
    } else if score >= policy.moderate_at {
        Context::Moderate
    } else if score > 0 {
        Context::Weak
    } else {
        Context::None
    }
}

/// Messages: one-to-one both ways (decaying with age), one-sided outreach
/// (capped below `moderate`), and group threads.
fn message_signals(
    ev: &Evidence,
    two_way: bool,
    policy: &Policy,
    as_of: NaiveDate,
    pts: &mut Signals,
) {
    let m = &ev.messages;
    let recency = m.last_at.map_or(0.0, |l| {
        let age = days(l.date(), as_of).max(0) as f64;
        (0.5f64.powf(age / policy.recency_half_life_days)).max(policy.recency_floor)
    });
    let msg_days = (m.sent_days + m.received_days) as f64;
    if two_way {
        pts.push((
            (msg_days * policy.message_day).min(policy.message_cap) * recency,
            words!(
                m.sent,
                " sent and ",
                m.received,
                " received one-to-one messages on ",
                plural(
                    m.sent_days + m.received_days,
                    "conversation-day",
                    "conversation-days"
                ),
                ", last ",
                Ymd(m.last_at.map(|d| d.date()))
            ),
        ));
        pts.push((
            policy.two_way * recency,
            "both of you wrote (two-way messages)".into(),
        ));
        if let (Some(f), Some(l)) = (m.first_at, m.last_at)
            && days(f.date(), l.date()) >= 365
        {
            pts.push((
                policy.long_exchange,
                words!(
                    "messages span ",
                    Ymd(Some(f.date())),
                    " to ",
                    Ymd(Some(l.date()))
                ),
            ));
        }
    } else if msg_days > 0.0 {
        // Unanswered outreach, either way: a real but weak signal.
        let p = (msg_days * policy.message_day)
            .min(policy.one_sided_cap)
            .min(f64::from(policy.moderate_at) - 1.0)
            * recency;
        pts.push((
            p,
            if m.sent > 0 {
                words!("you wrote ", plural(m.sent, "time", "times"), ", no reply")
            } else {
                words!(
                    "they wrote ",
                    plural(m.received, "time", "times"),
                    ", you never replied"
                )
            },
        ));
    }
    let group = (m.group_sent + m.group_received) as f64;
    if group > 0.0 {
        pts.push((
            (group * policy.group_message).min(policy.group_cap),
            words!(
                plural(m.group_sent + m.group_received, "message", "messages"),
                " together in group threads"
            ),
        ));
    }
}

/// Evidence about the person besides messages: each scores on its own.
fn person_signals(ev: &Evidence, policy: &Policy, pts: &mut Signals) {
    if ev.recommendations > 0 {
        pts.push((policy.recommendation, "a recommendation between you".into()));
    }
    if ev.personal_note {
        pts.push((
            policy.personal_note,
            "the invitation carried a personal note".into(),
        ));
    }
    if let Some(org) = &ev.shared_tenure {
        pts.push((
            policy.shared_tenure,
            if ev.colleague_now {
                words!("you both work at ", org, " now")
            } else {
                words!("connected while you both worked at ", org)
            },
        ));
    }
    if ev.in_address_book {
        pts.push((policy.address_book, "in your address book".into()));
    }
}

/// Supporting signals, which add to evidence and alone score nothing:
/// endorsements (one click each), and timing facts about the owner's life.
fn supporting_signals(ev: &Evidence, policy: &Policy) -> (Signals, Signals) {
    let mut support: Signals = Vec::with_capacity(3);
    let endorsements = ev.endorsements_received + ev.endorsements_given;
    if endorsements > 0 {
        support.push((
            (endorsements as f64 * policy.endorsement).min(policy.endorsement_cap),
            words!(
                plural(endorsements, "endorsement", "endorsements"),
                " (one click each)"
            ),
        ));
    }
    let mut timing: Signals = Vec::with_capacity(2);
    if ev.shared_tenure.is_none()
        && let Some(org) = &ev.same_company_now
    {
        timing.push((
            policy.same_company,
            words!("works at ", org, ", where you worked"),
        ));
    }
    if let Some(s) = &ev.during_studies {
        timing.push((
            policy.during_studies,
            words!("connected during your studies at ", s),
        ));
    }
    (support, timing)
}

/// Both sides wrote to each other: messages both ways, or messages one way
/// answering an invitation note from the other side (a note repeated as
/// the first message is counted once, as the note).
pub fn reciprocal(ev: &Evidence) -> bool {
    let m = &ev.messages;
    m.sent + m.received > 0
        && (m.sent > 0 || ev.note_from_you)
        && (m.received > 0 || ev.note_from_them)
}

/// `n` with the singular or plural noun: "1 endorsement", "3 endorsements".
fn plural(n: u32, one: &'static str, many: &'static str) -> Words {
    words!(n, " ", if n == 1 { one } else { many })
}

/// Coverage of the export for one connection.
pub fn coverage(c: &Connection, scope: &Scope) -> Coverage {
    if !scope.has_messages || !scope.owner_confident {
        return Coverage::Low;
    }
    match (c.connected_on, scope.invitations_since) {
        (Some(d), Some(since)) if d >= since => Coverage::High,
        _ => Coverage::Partial,
    }
}

/// A verdict on one connection.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub score: u8,
    pub context: Context,
    pub coverage: Coverage,
    pub decision: Decision,
    pub reasons: Reasons,
    pub protected: bool,
    /// Why a `review` is one (the report groups them by it).
    pub review: Option<ReviewWhy>,
    /// The tool's own decision, before the owner's (the same unless the
    /// owner decided otherwise).
    pub tool_decision: Decision,
    /// What the owner decided, from the decisions file.
    pub yours: Option<crate::decisions::Choice>,
}

/// Put the owner's decision over the tool's: a person decided `keep` is
/// never `unlink`, one decided `unlink` is `unlink` whatever the score. The
/// reason says so first; the tool's own reasons follow, so the owner sees
/// where the two differ.
pub fn apply_owner(v: &mut Verdict, e: &crate::decisions::Entry) {
    use crate::decisions::Choice;
    let mut lead = format!("you decided {}", e.choice.as_str());
    if let Some(d) = e.decided_on {
        lead.push_str(&format!(" on {d}"));
    }
    v.reasons.lead(&lead);
    v.decision = match e.choice {
        Choice::Keep => Decision::Keep,
        Choice::Unlink => Decision::Unlink,
    };
    v.review = None;
    v.yours = Some(e.choice);
}

/// The doubt that puts a connection in `review`, in the order the report
/// lists the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewWhy {
    /// Evidence under their name could belong to another connection.
    Namesake,
    /// The export cannot show whether you talk.
    CannotShow,
    /// A weak but real signal about the person.
    Weak,
    /// No context yet, but connected within the grace period.
    TooRecent,
    /// No context, and no connection date.
    DateUnknown,
}

impl ReviewWhy {
    pub const ALL: [ReviewWhy; 5] = [
        ReviewWhy::Namesake,
        ReviewWhy::CannotShow,
        ReviewWhy::Weak,
        ReviewWhy::TooRecent,
        ReviewWhy::DateUnknown,
    ];

    /// A group's title in the report.
    pub fn title(self) -> &'static str {
        match self {
            ReviewWhy::Namesake => "Another connection has the same name",
            ReviewWhy::CannotShow => "The export cannot show whether you talk",
            ReviewWhy::Weak => "A weak tie",
            ReviewWhy::TooRecent => "Too recent to judge",
            ReviewWhy::DateUnknown => "Connection date unknown",
        }
    }

    /// The group after a count, in a list ("47 weak ties").
    pub fn label(self) -> &'static str {
        match self {
            ReviewWhy::Namesake => "sharing a name with another connection",
            ReviewWhy::CannotShow => "the export cannot judge",
            ReviewWhy::Weak => "weak ties",
            ReviewWhy::TooRecent => "too recent to judge",
            ReviewWhy::DateUnknown => "with no connection date",
        }
    }

    /// What to look at, one line.
    pub fn advice(self) -> &'static str {
        match self {
            ReviewWhy::Namesake => {
                "Messages or invitations under this name could belong to either person: \
                 open the conversation on LinkedIn to see whose it is."
            }
            ReviewWhy::CannotShow => {
                "Without messages (or without knowing whose they are) silence proves nothing: \
                 ask yourself the introduction test, or request the complete export."
            }
            ReviewWhy::Weak => {
                "Some real signal about the person (an endorsement beside a shared school or \
                 employer, a short exchange): weak ties can still matter."
            }
            ReviewWhy::TooRecent => {
                "Connected within the grace period: give it time, or decide now if you know."
            }
            ReviewWhy::DateUnknown => {
                "No context found, and the export does not say when you connected."
            }
        }
    }
}

/// Score plus policy to a decision with reasons. Pure.
///
/// `keep` where there is evidence of a real tie; `unlink` where there is
/// none (or only an unanswered pitch) and the connection is past the grace
/// period; `review` only for real doubt: evidence that could belong to
/// another connection of the same name, an export that cannot show
/// silence, a weak but real signal, or a connection too young to judge.
pub fn decide(
    c: &Connection,
    ev: &Evidence,
    s: Score,
    coverage: Coverage,
    protected: bool,
    policy: &Policy,
    as_of: NaiveDate,
) -> Verdict {
    let hard_keep = hard_keep(ev);
    // The signals lead the reasons, moved (the score's other fields stay).
    let Score {
        score,
        context,
        signals,
        unscored,
        pitch_only,
    } = s;
    // Room for most verdicts' reasons (nine in ten of a large export's
    // fit), so few grow the string.
    let mut reasons = Reasons::with_capacity(480);
    let some_signal = !signals.is_empty();
    evidence_reasons(
        c,
        ev,
        signals,
        &unscored,
        &hard_keep,
        coverage,
        &mut reasons,
    );
    let age = c.connected_on.map(|d| days(d, as_of));
    let (tool_decision, review) = if !hard_keep.is_empty() {
        reasons.lead(&words!("keep: ", hard_keep.join("; ")));
        (Decision::Keep, None)
    } else if context >= Context::Moderate {
        reasons.lead(&words!("keep: ", context.as_str(), " context"));
        (Decision::Keep, None)
    } else {
        let doubt = Doubt {
            namesake: ev.clash.is_some(),
            pitch_only,
            some_signal,
            coverage,
            context,
            age,
        };
        doubt.decide(policy, &mut reasons)
    };
    // The keep list is yours: it stands over the tool's view, which the
    // reasons and `tool_decision` still show.
    let (decision, review) = if protected {
        reasons.lead("on your keep list");
        (Decision::Keep, None)
    } else {
        (tool_decision, review)
    };
    Verdict {
        score,
        context,
        coverage,
        decision,
        reasons,
        protected,
        review,
        tool_decision,
        yours: None,
    }
}

/// The safety rules: evidence that keeps a connection whatever its score.
fn hard_keep(ev: &Evidence) -> Vec<&'static str> {
    [
        (reciprocal(ev), "both of you wrote (two-way messages)"),
        (ev.recommendations > 0, "a recommendation between you"),
        (ev.personal_note, "the invitation carried a personal note"),
        (ev.shared_tenure.is_some(), "you worked together"),
    ]
    .iter()
    .filter(|(b, _)| *b)
    .map(|(_, n)| *n)
    .collect()
}

/// The reasons below a verdict's lead: the scored signals, the supporting
/// ones that scored nothing alone, pitches, repeats, silence, the
/// invitation and its note, and a namesake clash.
fn evidence_reasons(
    c: &Connection,
    ev: &Evidence,
    signals: Vec<Words>,
    unscored: &[Words],
    hard_keep: &[&str],
    coverage: Coverage,
    reasons: &mut Reasons,
) {
    let m = &ev.messages;
    // A signal the lead already says is not said twice.
    let leads_with = |w: &str| hard_keep.contains(&w);
    for w in signals.iter().filter(|w| !leads_with(w)) {
        reasons.push(w);
    }
    drop(signals);
    for w in unscored {
        say!(
            reasons,
            w,
            " (supporting only: no other evidence about this person)"
        );
    }
    // The invitation line below says it with its date, when there is one.
    if ev.pitch_in_note && ev.invitation.is_none() {
        reasons.push("their invitation note was a pitch");
    }
    if ev.pitch_in_messages {
        reasons.push(if ev.pitch_answered {
            "their first messages pitched, and you answered"
        } else {
            "their first messages were a pitch you did not answer"
        });
    }
    if ev.times_invited > 1 {
        say!(reasons, "invited you ", ev.times_invited, " times");
    }
    if m.sent + m.received + m.group_sent + m.group_received == 0 && coverage != Coverage::Low {
        reasons.push("no messages");
    }
    // Not said twice: a personal note the lead already names.
    let lead_says_note = hard_keep.contains(&"the invitation carried a personal note");
    if let Some((dir, note, at)) = ev.invitation.filter(|(_, n, _)| {
        !(lead_says_note && *n == NoteClass::Personal && ev.invitation_pasted == 0)
    }) {
        say!(
            reasons,
            if dir == Direction::Incoming {
                "their"
            } else {
                "your"
            },
            " invitation on ",
            Ymd(Some(at.date())),
            " had ",
            match note {
                _ if ev.invitation_pasted > 0 => pasted(dir, ev.invitation_pasted),
                NoteClass::None => "no note".into(),
                NoteClass::Default => "no personal note".into(),
                NoteClass::Personal => "a personal note".into(),
                NoteClass::Pitch => "a pitch".into(),
            }
        );
    }
    if let Some(clash) = &ev.clash {
        say!(reasons, clash_words(c, clash));
    }
}

/// A connection with no hard evidence and less than moderate context: what
/// decides between `review` and `unlink`.
struct Doubt {
    namesake: bool,
    pitch_only: bool,
    some_signal: bool,
    coverage: Coverage,
    context: Context,
    /// Days since connecting, when known.
    age: Option<i64>,
}

impl Doubt {
    /// The first that holds: a namesake (`review`), only a pitch (`unlink`),
    /// an export that cannot show silence, a weak tie (`review`); else no
    /// context: `unlink` past the grace period, `review` before it or with
    /// no connection date.
    fn decide(&self, policy: &Policy, reasons: &mut Reasons) -> (Decision, Option<ReviewWhy>) {
        let review = |reasons: &mut Reasons, lead: &str, why| {
            reasons.lead(lead);
            (Decision::Review, Some(why))
        };
        if self.namesake {
            return review(
                reasons,
                "review: evidence under this name could belong to another connection",
                ReviewWhy::Namesake,
            );
        }
        if self.pitch_only {
            reasons.lead(if self.some_signal {
                "unlink: a pitch, with too little else to outweigh it"
            } else {
                "unlink: only a pitch, no other context"
            });
            return (Decision::Unlink, None);
        }
        if self.coverage == Coverage::Low {
            return review(
                reasons,
                "review: this export cannot show whether you talk (no messages, or whose they are is unknown)",
                ReviewWhy::CannotShow,
            );
        }
        if self.context == Context::Weak {
            return review(
                reasons,
                "review: a weak tie; weak ties can still matter, look before pruning",
                ReviewWhy::Weak,
            );
        }
        let grace = policy.unlink_min_age_days;
        match self.age {
            Some(a) if a >= grace => {
                reasons.lead("unlink: no context found");
                (Decision::Unlink, None)
            }
            Some(a) => {
                let lead = words!(
                    "review: no context yet, but connected only ",
                    plural(a.clamp(0, u32::MAX as i64) as u32, "day", "days"),
                    " ago (grace period ",
                    grace,
                    " days)"
                );
                review(reasons, &lead, ReviewWhy::TooRecent)
            }
            None => review(
                reasons,
                "review: no context found, but the connection date is unknown",
                ReviewWhy::DateUnknown,
            ),
        }
    }
}

/// "2 connections are named Ada Obi; 14 messages could belong to either".
fn clash_words(c: &Connection, clash: &crate::evidence::Clash) -> Words {
    let mut what: Vec<Words> = Vec::with_capacity(4);
    for (n, one, many) in [
        (clash.messages, "message", "messages"),
        (clash.invitations, "invitation", "invitations"),
        (clash.endorsements, "endorsement", "endorsements"),
        (clash.recommendations, "recommendation", "recommendations"),
    ] {
        if n > 0 {
            what.push(plural(n, one, many));
        }
    }
    let what = if what.is_empty() {
        Words::Borrowed("evidence")
    } else {
        Words::Owned(what.join(" and "))
    };
    let name =
        crate::text::trim(&format!("{} {}", c.first_name.trim(), c.last_name.trim())).to_string();
    words!(
        clash.connections,
        " connections are named ",
        name,
        "; ",
        what,
        if clash.connections == 2 {
            " could belong to either"
        } else {
            " could belong to any of them"
        }
    )
}

/// The verdict on an invitation.
#[derive(Debug, Clone)]
pub struct InvitationVerdict {
    pub accepted: bool,
    pub action: Action,
    pub reasons: Reasons,
}

/// "a pasted note (the same note went to 12 people)", or "came from" for
/// a note many sent you.
fn pasted(dir: Direction, n: u32) -> Words {
    words!(
        "a pasted note (the same note ",
        if dir == Direction::Incoming {
            "came from "
        } else {
            "went to "
        },
        n,
        " people)"
    )
}

/// The note of an invitation, in plain words.
fn note_words(f: &InvitationFacts) -> Words {
    match f.note {
        _ if f.template > 0 => pasted(f.inv.direction, f.template),
        NoteClass::None => "no note".into(),
        NoteClass::Default => "no personal note".into(),
        NoteClass::Personal => "a personal note".into(),
        NoteClass::Pitch => "a sales or recruiting pitch".into(),
    }
}

/// Decide what to do with one invitation. Pure.
pub fn decide_invitation(
    f: &InvitationFacts,
    other: Option<&Evidence>,
    policy: &Policy,
    scope: &Scope,
) -> InvitationVerdict {
    // Room for most invitations' reasons (the longest are about 100 bytes).
    let mut reasons = Reasons::with_capacity(128);
    // A name several connections share: one of them is probably this person.
    let accepted = f.conn.is_some() || f.join == Join::Ambiguous;
    let age = days(f.inv.sent_at.date(), scope.as_of);
    let note = note_words(f);
    if f.times_sent > 1 {
        say!(reasons, "sent ", f.times_sent, " times");
    }
    if f.join == Join::Ambiguous {
        reasons.push("several connections have this name, so which one it was is unsure");
    }
    let action = if accepted {
        reasons.lead(&words!("accepted; the invitation had ", note));
        Action::None
    } else if f.superseded {
        reasons.lead("none: an earlier copy of a later invitation with this person, see that one");
        Action::None
    } else if !scope.invitations_name_owner {
        reasons.lead(
            "no action: this Invitations.csv does not name you, so its rows may not be yours",
        );
        Action::None
    } else if f.inv.direction == Direction::Outgoing {
        pending_outgoing(f, &note, age, policy, &mut reasons)
    } else {
        let (action, why) = incoming_action(f, other);
        reasons.lead(&words!(action.as_str(), ": their invitation had ", note));
        reasons.push(&why);
        action
    };
    InvitationVerdict {
        accepted,
        action,
        reasons,
    }
}

/// Your own invitation, still pending: wait, or withdraw it when old.
fn pending_outgoing(
    f: &InvitationFacts,
    note: &str,
    age: i64,
    policy: &Policy,
    reasons: &mut Reasons,
) -> Action {
    if f.note != NoteClass::Personal {
        say!(
            reasons,
            "your invitation had ",
            note,
            ": a personal note says how you know each other"
        );
    }
    if age > policy.withdraw_after_days {
        reasons.lead(&words!(
            "withdraw: pending for ",
            age,
            " days; withdrawing blocks re-inviting this person for about three weeks"
        ));
        Action::Withdraw
    } else {
        reasons.lead(&words!("wait: pending for ", age, " days"));
        Action::Wait
    }
}

/// An invitation to you, still pending: the action and why, from its note,
/// how often it was sent, and any contact with its person.
fn incoming_action(f: &InvitationFacts, other: Option<&Evidence>) -> (Action, Words) {
    // Messages with them: joined onto a connection, or by their key alone.
    let (sent, received, group) = match other {
        Some(e) => (
            e.messages.sent,
            e.messages.received,
            e.messages.group_sent + e.messages.group_received,
        ),
        None => (f.talk.sent, f.talk.received, f.talk.group),
    };
    let talked = sent > 0 && received > 0;
    // Their unanswered messages are no contact of yours.
    let some = other.is_some_and(|e| e.in_address_book) || sent + group > 0;
    match f.note {
        NoteClass::Pitch if f.times_sent > 1 => (Action::Ignore, "a pitch, re-sent".into()),
        NoteClass::Pitch => (Action::Ignore, "a pitch is not a reason to connect".into()),
        NoteClass::Personal if f.times_sent <= 1 || talked => {
            (Action::Accept, "it says how you know each other".into())
        }
        NoteClass::Personal => (
            Action::Reply,
            "re-sent after being left unanswered: ask before accepting".into(),
        ),
        _ if talked => (Action::Accept, "you have written to each other".into()),
        _ if f.times_sent > 1 => (
            Action::Ignore,
            "re-sent without saying how you know each other".into(),
        ),
        _ if some => (
            Action::Reply,
            "some contact exists: ask how you know each other".into(),
        ),
        _ => (Action::Ignore, "no other context in the export".into()),
    }
}

/// The latest date the export mentions: the default `--as-of`.
pub fn export_as_of(ex: &Export) -> Option<NaiveDate> {
    export_as_of_counted(ex).0
}

/// [`export_as_of`], and how many dates it left out: with 50 dates or more,
/// those more than 400 days after nearly all others (past the 99th
/// percentile), so one typed or planted `01 Jan 2099` does not move every
/// verdict.
pub fn export_as_of_counted(ex: &Export) -> (Option<NaiveDate>, usize) {
    let mut dates: Vec<NaiveDate> = ex
        .connections
        .iter()
        .filter_map(|c| c.connected_on)
        .collect();
    dates.extend(ex.invitations.iter().map(|i| i.sent_at.date()));
    dates.extend(
        ex.messages
            .iter()
            .filter_map(|(_, m)| m.last_at.map(|d| d.date())),
    );
    dates.extend(
        ex.endorsements_received
            .values()
            .chain(ex.endorsements_given.values())
            .filter_map(|e| e.last_on),
    );
    if dates.is_empty() {
        return (None, 0);
    }
    dates.sort_unstable();
    // Too few dates to tell what is typical: the latest stands.
    if dates.len() < 50 {
        return (dates.last().copied(), 0);
    }
    let typical = dates[(dates.len() - 1) * 99 / 100];
    let cutoff = typical + chrono::Duration::days(400);
    let kept = dates.partition_point(|d| *d <= cutoff);
    (Some(dates[kept - 1]), dates.len() - kept)
}

/// Every verdict, computed in parallel; the order is that of `conns`.
pub fn judge_all(
    conns: &[Connection],
    evidence: &[Evidence],
    protected: &[bool],
    policy: &Policy,
    scope: &Scope,
) -> Vec<Verdict> {
    conns
        .par_iter()
        .zip(evidence.par_iter())
        .zip(protected.par_iter())
        .map(|((c, ev), p)| {
            let s = score(ev, policy, scope.as_of);
            decide(c, ev, s, coverage(c, scope), *p, policy, scope.as_of)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_their_pieces_joined() {
        let mut r = Reasons::default();
        r.lead("b, quoted \"here\"");
        r.push("c");
        say!(r, "d ", 4u32, " ", Ymd(NaiveDate::from_ymd_opt(2026, 1, 2)));
        r.lead("a");
        assert_eq!(r.as_str(), "a; b, quoted \"here\"; c; d 4 2026-01-02");
        let mut alone = Reasons::with_capacity(0);
        say!(alone, "only ", 1u32);
        assert_eq!(alone.as_str(), "only 1");
    }

    proptest::proptest! {
        /// Words built from pieces read as `format!` writes the same values.
        #[test]
        fn words_read_as_format_writes_them(
            n in proptest::num::i64::ANY,
            u in proptest::num::u32::ANY,
            day in -1_000_000i32..4_000_000,
            text in "\\PC{0,12}",
        ) {
            let d = NaiveDate::from_num_days_from_ce_opt(day);
            let got = words!(n, " / ", u, text.as_str(), Ymd(d), &text, Ymd(None));
            let want = format!("{n} / {u}{text}{}{text}", d.map_or(String::new(), |d| d.to_string()));
            proptest::prop_assert_eq!(got, want);
        }
    }
}
