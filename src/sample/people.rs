//! The people: who they are, where they work, when they linked with the
//! owner, and (in the truth table) how they are really related.

use super::behaviour::{Company, Link};
use super::owner::OWNER_JOBS;
use super::{Ctx, FIRST, LAST, Latent, OTHER_COMPANIES, POSITIONS, Rng, line, ymd};
use chrono::NaiveDate;

pub(super) struct Person {
    pub(super) first: String,
    pub(super) last: String,
    pub(super) slug: String,
    pub(super) latent: Latent,
    pub(super) company: String,
    pub(super) position: String,
    pub(super) connected: NaiveDate,
    pub(super) email: String,
}

impl Person {
    pub(super) fn url(&self) -> String {
        format!("https://www.linkedin.com/in/{}", self.slug)
    }
    pub(super) fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// How colleagues spell the owner's employers (one spelling: no draw).
const SPELLINGS: &[(&str, &[&str])] = &[
    ("Acme, Inc.", &["Acme, Inc.", "Acme Inc", "ACME"]),
    ("Globex Corporation", &["Globex Corporation", "Globex"]),
];

/// `n` people in the order drawn.
pub(super) fn draw(rng: &mut Rng, ctx: &Ctx, n: usize) -> Vec<Person> {
    (0..n).map(|i| person(rng, ctx, i)).collect()
}

fn person(rng: &mut Rng, ctx: &Ctx, i: usize) -> Person {
    let latent = Latent::from_roll(rng.below(100));
    // Every 97th person a stranger, as the hostile names of test
    // fixtures once were (kept so the people drawn stay the same).
    let latent = if i % 97 == 13 {
        Latent::Stranger
    } else {
        latent
    };
    let b = latent.behaviour();
    let first = rng.pick(FIRST).to_string();
    let last = rng.pick(LAST).to_string();
    let slug = slugify(&first, &last, rng);
    let (company, connected) = if b.recent.0.roll(rng) {
        (
            company(rng, b.recent.1),
            rng.date(ctx.window_start, ctx.today),
        )
    } else {
        link(rng, ctx, b.link)
    };
    let email = if rng.chance(0.03) || b.email.roll(rng) {
        format!("person{i}@example.invalid")
    } else {
        String::new()
    };
    Person {
        first,
        last,
        slug,
        latent,
        company,
        position: rng.pick(POSITIONS).to_string(),
        connected,
        email,
    }
}

fn company(rng: &mut Rng, c: Company) -> String {
    match c {
        Company::Other => rng.pick(OTHER_COMPANIES).to_string(),
        Company::Named(name) => name.to_string(),
    }
}

/// The company shown and the day linked (company drawn first).
fn link(rng: &mut Rng, ctx: &Ctx, l: Link) -> (String, NaiveDate) {
    let day = |(y, m, d)| ymd(y, m, d);
    match l {
        Link::OwnersJob => {
            let (org, s, e) = *rng.pick(OWNER_JOBS);
            let start = crate::dates::parse_month_year(s).unwrap_or(ctx.today);
            let end = crate::dates::parse_month_year(e).unwrap_or(ctx.today);
            let shown = match SPELLINGS.iter().find(|(o, _)| *o == org) {
                Some((_, forms)) => *rng.pick(forms),
                None => org,
            };
            (shown.to_string(), rng.date(start, end))
        }
        Link::At { company: c, from } => (company(rng, c), rng.date(day(from), ctx.today)),
        Link::Between {
            company: c,
            from,
            to,
        } => (company(rng, c), rng.date(day(from), day(to))),
    }
}

fn slugify(first: &str, last: &str, rng: &mut Rng) -> String {
    let base: String = format!("{first}-{last}")
        .split(',')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    let base = base.trim_matches('-').to_string();
    format!(
        "{}-{:06x}",
        if base.is_empty() {
            "member".to_string()
        } else {
            base
        },
        rng.below(1 << 24)
    )
}

/// The truth table: each person's URL and latent relationship.
pub(super) fn truth(people: &[Person]) -> String {
    let mut truth = String::from("profile_url,relationship\n");
    for p in people {
        truth.push_str(&line(&[&p.url(), p.latent.as_str()]));
        truth.push('\n');
    }
    truth
}
