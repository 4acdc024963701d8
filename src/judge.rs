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

macro_rules! name_impl {
    ($t:ty, $($v:ident => $s:literal),*) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
    };
}
name_impl!(Context, None => "none", Weak => "weak", Moderate => "moderate", Strong => "strong");
name_impl!(Decision, Unlink => "unlink", Review => "review", Keep => "keep");
name_impl!(Action, Accept => "accept", Reply => "reply", Ignore => "ignore", Withdraw => "withdraw", Wait => "wait", None => "none");
name_impl!(Coverage, Low => "low", Partial => "partial", High => "high");

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
    pub pitch_only: bool,
}

/// What the audit knows about the export as a whole, for coverage.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub as_of: NaiveDate,
    pub has_messages: bool,
    /// The earliest invitation date in the export (the window's start).
    pub invitations_since: Option<NaiveDate>,
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Evidence to a score. Pure.
pub fn score(ev: &Evidence, policy: &Policy, as_of: NaiveDate) -> Score {
    // Room for every signal below, so none grows the vector.
    let mut pts: Vec<(f64, Words)> = Vec::with_capacity(10);
    let m = &ev.messages;
    let recency = m.last_at.map_or(0.0, |l| {
        let age = days(l.date(), as_of).max(0) as f64;
        (0.5f64.powf(age / policy.recency_half_life_days)).max(policy.recency_floor)
    });
    let msg_days = (m.sent_days + m.received_days) as f64;
    if msg_days > 0.0 {
        let p = (msg_days * policy.message_day).min(policy.message_cap) * recency;
        pts.push((
            p,
            words!(
                m.sent,
                " sent and ",
                m.received,
                " received one-to-one messages on ",
                m.sent_days + m.received_days,
                " conversation-days, last ",
                Ymd(m.last_at.map(|d| d.date()))
            ),
        ));
    }
    if m.sent > 0 && m.received > 0 {
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
    }
    let group = (m.group_sent + m.group_received) as f64;
    if group > 0.0 {
        pts.push((
            (group * policy.group_message).min(policy.group_cap),
            words!(
                m.group_sent + m.group_received,
                " messages together in group threads"
            ),
        ));
    }
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
            words!("connected while you both worked at ", org),
        ));
    } else if let Some(org) = &ev.same_company_now {
        pts.push((
            policy.same_company,
            words!("works at ", org, ", where you worked"),
        ));
    }
    if let Some(s) = &ev.during_studies {
        pts.push((
            policy.during_studies,
            words!("connected during your studies at ", s),
        ));
    }
    if ev.in_address_book {
        pts.push((policy.address_book, "in your address book".into()));
    }
    let endorsements = ev.endorsements_received + ev.endorsements_given;
    if endorsements > 0 {
        pts.push((
            (endorsements as f64 * policy.endorsement).min(policy.endorsement_cap),
            words!(endorsements, " endorsements (one click each)"),
        ));
    }
    let positive: f64 = pts.iter().map(|(p, _)| p).sum();
    let pitched = (ev.pitch_in_note || ev.pitch_in_messages) && !ev.pitch_answered;
    let total = if pitched {
        positive - policy.pitch_penalty
    } else {
        positive
    };
    let score = total.clamp(0.0, 100.0).round() as u8;
    let context = if score >= policy.strong_at {
        Context::Strong
    } else if score >= policy.moderate_at {
        Context::Moderate
    } else if score > 0 {
        Context::Weak
    } else {
        Context::None
    };
    pts.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Score {
        score,
        context,
        signals: pts.into_iter().map(|(_, s)| s).collect(),
        pitch_only: pitched && positive < policy.moderate_at as f64,
    }
}

/// Coverage of the export for one connection.
pub fn coverage(c: &Connection, scope: &Scope) -> Coverage {
    if !scope.has_messages {
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
}

/// Score plus policy to a decision with reasons. Pure.
pub fn decide(
    c: &Connection,
    ev: &Evidence,
    s: Score,
    coverage: Coverage,
    protected: bool,
    policy: &Policy,
    as_of: NaiveDate,
) -> Verdict {
    let m = &ev.messages;
    let age = c.connected_on.map(|d| days(d, as_of));
    let two_way = m.sent > 0 && m.received > 0;
    let hard_keep: Vec<&str> = [
        (two_way, "two-way messages"),
        (ev.recommendations > 0, "a recommendation"),
        (ev.personal_note, "a personal invitation note"),
        (ev.shared_tenure.is_some(), "shared tenure"),
    ]
    .iter()
    .filter(|(b, _)| *b)
    .map(|(_, n)| *n)
    .collect();

    // The signals lead the reasons, moved (the score's other fields stay).
    let Score {
        score,
        context,
        signals,
        pitch_only,
    } = s;
    // Room for most verdicts' reasons (nine in ten of a large export's
    // fit), so few grow the string.
    let mut reasons = Reasons::with_capacity(480);
    for w in &signals {
        reasons.push(w);
    }
    drop(signals);
    if ev.pitch_in_note {
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
    if m.sent + m.received + m.group_sent + m.group_received == 0 {
        reasons.push(match coverage {
            Coverage::Low => "no messages file in this export, so silence proves nothing",
            _ => "no messages",
        });
    }
    match ev.invitation {
        Some((dir, note, at)) => say!(
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
                NoteClass::None => "no note",
                NoteClass::Default => "LinkedIn's default text",
                NoteClass::Personal => "a personal note",
                NoteClass::Pitch => "a pitch",
            }
        ),
        None => reasons
            .push("how the link began is not in the export (invitations cover recent months only)"),
    }
    match c.connected_on {
        Some(d) => say!(reasons, "connected ", Ymd(Some(d))),
        None => reasons.push("connection date unknown"),
    }
    let ambiguous = ev.recommendation_ambiguous || ev.name_joins > 0;
    if ev.recommendation_ambiguous {
        reasons.push(
            "a recommendation names someone with this name, but more than one connection has it",
        );
    } else if ev.name_joins > 0 {
        reasons.push("some evidence was joined by name only");
    }

    let decision = if protected {
        reasons.lead("on your keep list");
        Decision::Keep
    } else if !hard_keep.is_empty() {
        reasons.lead(&words!("kept: ", hard_keep.join(", ")));
        Decision::Keep
    } else if context >= Context::Moderate {
        Decision::Keep
    } else if context == Context::Weak && !pitch_only {
        reasons.lead("weak context: weak ties can still matter, look before pruning");
        Decision::Review
    } else if ambiguous {
        reasons.lead("evidence joins are ambiguous");
        Decision::Review
    } else if coverage == Coverage::Low {
        reasons.lead("too little evidence in this export to judge");
        Decision::Review
    } else {
        let min = policy.unlink_min_age_days;
        match age {
            Some(a) if a >= min => {
                reasons.lead(if pitch_only {
                    "only a pitch, no other context"
                } else {
                    "no context found"
                });
                Decision::Unlink
            }
            Some(a) => {
                reasons.lead(&words!(
                    "no context yet, but connected only ",
                    a,
                    " days ago (unlink needs ",
                    min,
                    ")"
                ));
                Decision::Review
            }
            None => {
                reasons.lead("no context found, but the connection date is unknown");
                Decision::Review
            }
        }
    };
    Verdict {
        score,
        context,
        coverage,
        decision,
        reasons,
        protected,
    }
}

/// The verdict on an invitation.
#[derive(Debug, Clone)]
pub struct InvitationVerdict {
    pub accepted: bool,
    pub action: Action,
    pub reasons: Reasons,
}

/// Decide what to do with one invitation. Pure.
pub fn decide_invitation(
    f: &InvitationFacts,
    other: Option<&Evidence>,
    policy: &Policy,
    as_of: NaiveDate,
) -> InvitationVerdict {
    // Room for most invitations' reasons (the longest are about 100 bytes).
    let mut reasons = Reasons::with_capacity(128);
    let accepted = f.conn.is_some();
    let age = days(f.inv.sent_at.date(), as_of);
    let note = match f.note {
        NoteClass::None => "no note",
        NoteClass::Default => "LinkedIn's default text",
        NoteClass::Personal => "a personal note",
        NoteClass::Pitch => "a sales or recruiting pitch",
    };
    if f.times_sent > 1 {
        say!(reasons, "sent ", f.times_sent, " times");
    }
    if f.join == Join::Ambiguous {
        reasons.push("several connections share this name: status unsure");
    }
    let action = if accepted {
        reasons.lead(&words!("accepted; the invitation had ", note));
        Action::None
    } else if f.inv.direction == Direction::Outgoing {
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
                "pending for ",
                age,
                " days; withdrawing blocks re-inviting this person for about three weeks"
            ));
            Action::Withdraw
        } else {
            reasons.lead(&words!("pending for ", age, " days"));
            Action::Wait
        }
    } else {
        let m = other.map(|e| &e.messages);
        let talked = m.is_some_and(|m| m.sent > 0 && m.received > 0);
        let some =
            other.is_some_and(|e| e.in_address_book || e.messages.sent + e.messages.received > 0);
        reasons.lead(&words!("pending; their invitation had ", note));
        match f.note {
            NoteClass::Pitch => Action::Ignore,
            NoteClass::Personal if f.times_sent <= 1 || talked => Action::Accept,
            NoteClass::Personal => {
                reasons.push("re-sent after being left unanswered");
                Action::Reply
            }
            _ if talked => {
                reasons.push("you have exchanged messages");
                Action::Accept
            }
            _ if f.times_sent > 1 => {
                reasons.push("re-sent without saying how you know each other");
                Action::Ignore
            }
            _ if some => {
                reasons.push("some contact exists: ask how you know each other");
                Action::Reply
            }
            _ => {
                reasons.push("no other context in the export");
                Action::Ignore
            }
        }
    };
    InvitationVerdict {
        accepted,
        action,
        reasons,
    }
}

/// The latest date the export mentions: the default `--as-of`.
pub fn export_as_of(ex: &Export) -> Option<NaiveDate> {
    let c = ex.connections.iter().filter_map(|c| c.connected_on).max();
    let i = ex.invitations.iter().map(|i| i.sent_at.date()).max();
    let m = ex
        .messages
        .iter()
        .map(|(_, m)| m)
        .filter_map(|m| m.last_at.map(|d| d.date()))
        .max();
    let e = ex
        .endorsements_received
        .values()
        .chain(ex.endorsements_given.values())
        .filter_map(|e| e.last_on)
        .max();
    [c, i, m, e].into_iter().flatten().max()
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
