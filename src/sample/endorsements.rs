//! Endorsement_Received_Info.csv and Endorsement_Given_Info.csv, written
//! together: one draw sends each endorsement to one or the other.

use super::people::Person;
use super::{Ctx, Rng, line};
use chrono::NaiveDateTime;
use std::fmt::Write as _;

const SKILLS: [&str; 6] = [
    "Rust",
    "GIS",
    "Data Analysis",
    "Leadership",
    "SQL",
    "Public Speaking",
];

pub(super) struct Endorsements {
    pub(super) received: String,
    pub(super) given: String,
}

impl Endorsements {
    pub(super) fn new() -> Self {
        Endorsements {
            received: String::from(
                "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,Endorsement Status\n",
            ),
            given: String::from(
                "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,Endorsement Status\n",
            ),
        }
    }

    /// One or two endorsements either way, if the relationship gives them.
    pub(super) fn person(&mut self, rng: &mut Rng, ctx: &Ctx, p: &Person) {
        if !p.latent.behaviour().endorses.roll(rng) {
            return;
        }
        for _ in 0..1 + rng.below(2) {
            let d = rng.when(p.connected, ctx.today);
            let received = rng.chance(0.6);
            let skill = *rng.pick(&SKILLS[..]);
            self.row(received, d, skill, p);
        }
    }

    /// Large exports: more rows up to `target` together, with random
    /// people (every third one given).
    pub(super) fn top_up(&mut self, rng: &mut Rng, ctx: &Ctx, people: &[Person], target: usize) {
        if people.is_empty() {
            return;
        }
        let have = self.received.lines().count() + self.given.lines().count() - 2;
        for k in have..target {
            let p = &people[rng.below(people.len() as u64) as usize];
            let d = rng.when(p.connected, ctx.today);
            self.row(k % 3 != 0, d, SKILLS[k % SKILLS.len()], p);
        }
    }

    fn row(&mut self, received: bool, d: NaiveDateTime, skill: &str, p: &Person) {
        let target = if received {
            &mut self.received
        } else {
            &mut self.given
        };
        let _ = writeln!(
            target,
            "{}",
            line(&[
                &d.format("%Y/%m/%d %H:%M:%S UTC").to_string(),
                skill,
                &p.first,
                &p.last,
                &format!("www.linkedin.com/in/{}", p.slug),
                "ACCEPTED"
            ])
        );
    }
}
