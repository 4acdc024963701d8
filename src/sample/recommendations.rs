//! Recommendations_Received.csv.

use super::people::Person;
use super::{Ctx, Rng, line};
use std::fmt::Write as _;

pub(super) const HEAD: &str = "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n";

/// The person's recommendation of the owner, if their relationship gives one.
pub(super) fn person(recs: &mut String, rng: &mut Rng, ctx: &Ctx, p: &Person) {
    if !p.latent.behaviour().recommends.roll(rng) {
        return;
    }
    let d = rng.when(p.connected, ctx.today);
    let _ = writeln!(
        recs,
        "{}",
        line(&[
            &p.first,
            &p.last,
            &p.company,
            &p.position,
            "Alex is a thoughtful colleague who made our team better.",
            &d.format("%m/%d/%y, %I:%M %p").to_string(),
            "VISIBLE"
        ])
    );
}
