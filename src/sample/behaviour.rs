//! What each latent relationship leaves in an export: one row per
//! relationship, read by the generator's file writers. The numbers are the
//! odds and ranges of the draws; where a draw is made stays with the writer,
//! because the sample's bytes depend on the order of the draws.

use super::{Latent, Rng};

/// Whether something happens: never and always draw nothing from the
/// random stream, a chance draws once.
#[derive(Debug, Clone, Copy)]
pub(super) enum Odds {
    Never,
    Always,
    Chance(f64),
}

impl Odds {
    pub(super) fn roll(self, rng: &mut Rng) -> bool {
        match self {
            Odds::Never => false,
            Odds::Always => true,
            Odds::Chance(p) => rng.chance(p),
        }
    }
}

/// A year, month and day.
pub(super) type Day = (i32, u32, u32);

/// The company a person shows.
#[derive(Debug, Clone, Copy)]
pub(super) enum Company {
    /// One of `OTHER_COMPANIES`, drawn.
    Other,
    /// This one.
    Named(&'static str),
}

/// Where a person works and when the link was made.
#[derive(Debug, Clone, Copy)]
pub(super) enum Link {
    /// One of the owner's jobs (as the person spells it), linked during it.
    OwnersJob,
    /// At `company`, linked between `from` and the export day.
    At { company: Company, from: Day },
    /// At `company`, linked between `from` and `to`.
    Between {
        company: Company,
        from: Day,
        to: Day,
    },
}

/// The note of the invitation that began the link.
#[derive(Debug, Clone, Copy)]
pub(super) enum Note {
    /// A greeting, where you met (an event), a sign-off.
    MetAt,
    /// A greeting, where you worked together (their company), a sign-off.
    WorkedAt,
    /// The same text for everyone.
    Text(&'static str),
}

/// The person's conversation with the owner in messages.csv.
#[derive(Debug, Clone, Copy)]
pub(super) enum Thread {
    /// With `odds`, `min` plus up to `spread - 1` messages taking turns.
    Chat {
        odds: Odds,
        min: u64,
        spread: u64,
    },
    /// The invitation's note again as first message (odds `note_again`, in
    /// the window), then thanks for the chat and a reply `reply_hours`
    /// later (odds `thanks`, always outside the window).
    FollowUp {
        note_again: f64,
        thanks: f64,
        reply_hours: i64,
    },
    /// One question, from the owner with odds `owner_asks`.
    Question {
        owner_asks: f64,
    },
    /// Their recruiting pitch, answered `reply_hours` later.
    Answered {
        reply_hours: i64,
    },
    /// With `odds`, a sales pitch 1 to `lag` days after the link; with
    /// `bump`, a reminder `bump_days` later.
    Pitch {
        odds: f64,
        lag: u64,
        bump: f64,
        bump_days: i64,
    },
    Silent,
}

/// One relationship's behaviour.
#[derive(Debug, Clone, Copy)]
pub(super) struct Behaviour {
    pub(super) latent: Latent,
    /// Its name in the truth table.
    pub(super) name: &'static str,
    /// Percent of the people drawn (shares rolled in table order).
    pub(super) share: u64,
    pub(super) link: Link,
    /// Odds of a link made in the invitation window instead, and the
    /// company shown then.
    pub(super) recent: (Odds, Company),
    /// Odds of an e-mail address besides everyone's 3%.
    pub(super) email: Odds,
    pub(super) note: (Odds, Note),
    /// Their invitation comes in whoever would otherwise have sent it.
    pub(super) always_invites: bool,
    pub(super) thread: Thread,
    pub(super) endorses: Odds,
    pub(super) recommends: Odds,
    /// In the owner's imported address book.
    pub(super) in_contacts: Odds,
    /// Who `--messages` tops messages.csv up with.
    pub(super) talker: bool,
    /// In the group thread (the first two).
    pub(super) in_group: bool,
}

const SINCE_2014: Link = Link::At {
    company: Company::Other,
    from: (2014, 1, 1),
};
const DEFAULT_NOTE: &str = "I'd like to add you to my professional network on LinkedIn.";

/// Every relationship, in the order of `Latent` (the roll's order).
pub(super) const BEHAVIOURS: [Behaviour; 8] = [
    Behaviour {
        latent: Latent::Colleague,
        name: "colleague",
        share: 18,
        link: Link::OwnersJob,
        recent: (Odds::Never, Company::Other),
        email: Odds::Never,
        note: (Odds::Chance(0.5), Note::WorkedAt),
        always_invites: false,
        thread: Thread::Chat {
            odds: Odds::Chance(0.6),
            min: 2,
            spread: 6,
        },
        endorses: Odds::Chance(0.6),
        recommends: Odds::Chance(0.15),
        in_contacts: Odds::Never,
        talker: true,
        in_group: false,
    },
    Behaviour {
        latent: Latent::Classmate,
        name: "classmate",
        share: 8,
        link: Link::Between {
            company: Company::Other,
            from: (2009, 9, 1),
            to: (2013, 6, 1),
        },
        recent: (Odds::Never, Company::Other),
        email: Odds::Never,
        note: (Odds::Chance(0.5), Note::WorkedAt),
        always_invites: false,
        thread: Thread::Chat {
            odds: Odds::Chance(0.6),
            min: 2,
            spread: 6,
        },
        // A classmate long out of touch has at least endorsed you.
        endorses: Odds::Always,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: true,
        in_group: false,
    },
    Behaviour {
        latent: Latent::Friend,
        name: "friend",
        share: 10,
        link: SINCE_2014,
        recent: (Odds::Never, Company::Other),
        email: Odds::Chance(0.3),
        note: (Odds::Chance(0.5), Note::WorkedAt),
        always_invites: false,
        thread: Thread::Chat {
            odds: Odds::Always,
            min: 4,
            spread: 12,
        },
        endorses: Odds::Chance(0.3),
        recommends: Odds::Chance(0.15),
        in_contacts: Odds::Chance(0.5),
        talker: true,
        in_group: false,
    },
    Behaviour {
        latent: Latent::EventContact,
        name: "event_contact",
        share: 12,
        link: SINCE_2014,
        recent: (Odds::Chance(0.5), Company::Other),
        email: Odds::Never,
        // Written for the person: greetings, what you share and sign-offs
        // vary, so no two notes read as one pasted template.
        note: (Odds::Always, Note::MetAt),
        always_invites: false,
        thread: Thread::FollowUp {
            note_again: 0.5,
            thanks: 0.7,
            reply_hours: 3,
        },
        endorses: Odds::Never,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: true,
        in_group: false,
    },
    Behaviour {
        latent: Latent::Acquaintance,
        name: "acquaintance",
        share: 14,
        link: SINCE_2014,
        recent: (Odds::Never, Company::Other),
        email: Odds::Never,
        note: (Odds::Chance(0.3), Note::Text(DEFAULT_NOTE)),
        always_invites: false,
        // Weak tie: a one-off question (either way) and an endorsement.
        thread: Thread::Question { owner_asks: 0.5 },
        endorses: Odds::Always,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: false,
        in_group: true,
    },
    Behaviour {
        latent: Latent::Recruiter,
        name: "recruiter",
        share: 8,
        link: Link::At {
            company: Company::Named("Example Talent Partners"),
            from: (2016, 1, 1),
        },
        recent: (Odds::Never, Company::Other),
        email: Odds::Never,
        note: (
            Odds::Chance(0.5),
            Note::Text(
                "I'm recruiting for an exciting opportunity and your profile stood out. Open to a quick call?",
            ),
        ),
        always_invites: true,
        // A recruiter the owner deals with: the pitch is answered. (An
        // unanswered recruiting pitch makes a pitcher, not a recruiter.)
        thread: Thread::Answered { reply_hours: 20 },
        endorses: Odds::Never,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: false,
        in_group: false,
    },
    Behaviour {
        latent: Latent::Pitcher,
        name: "pitcher",
        share: 12,
        link: SINCE_2014,
        recent: (Odds::Chance(0.5), Company::Named("Growth Example Agency")),
        email: Odds::Never,
        note: (
            Odds::Always,
            Note::Text(
                "Hi! We help companies like yours generate more qualified leads. Open to a quick call this week? calendly.com/example/15min",
            ),
        ),
        always_invites: true,
        thread: Thread::Pitch {
            odds: 0.8,
            lag: 20,
            bump: 0.3,
            bump_days: 7,
        },
        endorses: Odds::Never,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: false,
        in_group: false,
    },
    Behaviour {
        latent: Latent::Stranger,
        name: "stranger",
        share: 18,
        link: SINCE_2014,
        recent: (Odds::Never, Company::Other),
        email: Odds::Never,
        note: (Odds::Chance(0.3), Note::Text(DEFAULT_NOTE)),
        always_invites: true,
        thread: Thread::Silent,
        endorses: Odds::Never,
        recommends: Odds::Never,
        in_contacts: Odds::Never,
        talker: false,
        in_group: false,
    },
];

impl Latent {
    pub(super) fn behaviour(self) -> &'static Behaviour {
        &BEHAVIOURS[self as usize]
    }

    /// The relationship a roll in 0..100 falls on, by the shares.
    pub(super) fn from_roll(roll: u64) -> Latent {
        let mut upto = 0;
        for b in &BEHAVIOURS {
            upto += b.share;
            if roll < upto {
                return b.latent;
            }
        }
        Latent::Stranger
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_latent_order_and_shares_make_100() {
        for (i, b) in BEHAVIOURS.iter().enumerate() {
            assert_eq!(b.latent as usize, i, "{}", b.name);
        }
        assert_eq!(BEHAVIOURS.iter().map(|b| b.share).sum::<u64>(), 100);
    }

    #[test]
    fn rolls_fall_as_they_always_did() {
        let old = |roll: u64| match roll {
            0..=17 => Latent::Colleague,
            18..=25 => Latent::Classmate,
            26..=35 => Latent::Friend,
            36..=47 => Latent::EventContact,
            48..=61 => Latent::Acquaintance,
            62..=69 => Latent::Recruiter,
            70..=81 => Latent::Pitcher,
            _ => Latent::Stranger,
        };
        for roll in 0..100 {
            assert_eq!(Latent::from_roll(roll), old(roll), "{roll}");
        }
    }
}
