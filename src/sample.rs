//! A deterministic synthetic export with every quirk of the format document
//! (preamble, phantom rows, percent-encoded slugs, emoji, CJK, credentials,
//! HTML and multi-line messages, sponsored threads, drafts, repeated
//! invitations, every note class; realistic names only: hostile ones live in
//! the test fixtures) whose people have latent
//! relationships, so judgement can be measured against ground truth.
//! Everything here is invented.

use crate::error::{Error, Result};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub connections: usize,
    pub seed: u64,
    /// Top messages.csv up to about this many rows (benchmarks).
    pub messages: Option<usize>,
    /// Top Invitations.csv up to this many rows with pending strangers.
    pub invitations: Option<usize>,
    /// Top the endorsement files up to this many rows together.
    pub endorsements: Option<usize>,
}

/// The latent relationship behind each synthetic person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latent {
    Colleague,
    Classmate,
    Friend,
    EventContact,
    Acquaintance,
    Recruiter,
    Pitcher,
    Stranger,
}

impl Latent {
    pub fn as_str(self) -> &'static str {
        match self {
            Latent::Colleague => "colleague",
            Latent::Classmate => "classmate",
            Latent::Friend => "friend",
            Latent::EventContact => "event_contact",
            Latent::Acquaintance => "acquaintance",
            Latent::Recruiter => "recruiter",
            Latent::Pitcher => "pitcher",
            Latent::Stranger => "stranger",
        }
    }
}

/// SplitMix64: small, fast, and stable across versions (the sample's bytes
/// must not change when a dependency does).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub(crate) fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(1) as u64;
        from + Duration::days(self.below(span) as i64)
    }
    pub(crate) fn when(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDateTime {
        let d = self.date(from, to);
        self.time(d)
    }
    pub(crate) fn time(&mut self, d: NaiveDate) -> NaiveDateTime {
        d.and_hms_opt(
            (7 + self.below(14)) as u32,
            self.below(60) as u32,
            self.below(60) as u32,
        )
        .unwrap_or_default()
    }
}

pub(crate) const FIRST: &[&str] = &[
    "Ann",
    "Bo",
    "Carla",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Mateo",
    "Nour",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
    "Jörg",
    "Zoë",
    "Łukasz",
    "Søren",
    "Андрей",
    "Ελένη",
    "小明",
    "さくら",
    "محمد",
    "Ana 🌻",
    "𝐌𝐚𝐫𝐤",
    "Chloé",
    "José",
];
pub(crate) const LAST: &[&str] = &[
    "Example",
    "Sample",
    "Testpers",
    "Fictive",
    "Madeup",
    "Placeholder",
    "Invented",
    "Notreal",
    "Synthetic",
    "Mock",
    "Demo",
    "Dummy",
    "Imaginary",
    "Pretend",
    "Nonesuch",
    "Müller-Example",
    "O'Example",
    "王",
    "Иванова-Пример",
    "Παράδειγμα",
    "Example, PhD",
    "Sample, MBA",
    "Example 👩‍💻",
];
pub(crate) const OTHER_COMPANIES: &[&str] = &[
    "Initech",
    "Umbrella Analytics",
    "Hooli",
    "Vandelay Industries",
    "Stark Example Labs",
    "Wayne Example Enterprises",
    "Soylent Foods, Inc.",
    "Cyberdyne Examples",
    "Tyrell Example Corp",
    "Example Bank AB",
    "Contoso Ltd",
    "Fabrikam GmbH",
];
pub(crate) const POSITIONS: &[&str] = &[
    "Engineer",
    "Senior Engineer",
    "Product Manager",
    "Designer",
    "Data Scientist",
    "Consultant",
    "Founder",
    "Talent Partner",
    "Account Executive",
    "Researcher",
];
pub(crate) const EVENTS: &[&str] = &[
    "RustConf Example",
    "the Lyon data meetup",
    "GIS Days",
    "the open-source summit",
    "PyData Example",
];

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

const EXPORT_DAY: (i32, u32, u32) = (2026, 3, 7);
/// Owner's career, as Positions.csv states it.
const OWNER_JOBS: &[(&str, &str, &str)] = &[
    ("Northwind Traders", "Mar 2013", "Jul 2017"),
    ("Acme, Inc.", "Aug 2017", "Dec 2021"),
    ("Globex Corporation", "Jan 2022", ""),
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

struct Person {
    first: String,
    last: String,
    slug: String,
    latent: Latent,
    company: String,
    position: String,
    connected: NaiveDate,
    email: String,
}

/// Percent-encode a slug as Connections.csv does (upper-case hex, non-ASCII only).
fn pct_encode(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii() {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
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

/// Quote a CSV field the way LinkedIn does: only when needed.
pub(crate) fn q(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(crate) fn line(fields: &[&str]) -> String {
    fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(",")
}

pub(crate) fn inv_date(d: NaiveDateTime) -> String {
    d.format("%-m/%-d/%y, %-I:%M %p").to_string()
}

/// A stable 32-bit hash (FNV-1a) for synthetic conversation ids.
pub(crate) fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// An export's files: (path inside the export, contents).
pub type ExportFiles = Vec<(String, Vec<u8>)>;

/// The export's files, plus the truth table.
pub fn generate(opts: &Options) -> (ExportFiles, String) {
    let mut rng = Rng(opts.seed ^ 0x7165_6175_6469_7400);
    let today = ymd(EXPORT_DAY.0, EXPORT_DAY.1, EXPORT_DAY.2);
    let window_start = today - Duration::days(270);
    let owner_slug = "alex-sample-0a1b2c";
    let owner_url = format!("https://www.linkedin.com/in/{owner_slug}");
    let mut people: Vec<Person> = Vec::new();
    let mut truth = String::from("profile_url,relationship\n");
    for i in 0..opts.connections {
        let roll = rng.below(100);
        let latent = match roll {
            0..=17 => Latent::Colleague,
            18..=25 => Latent::Classmate,
            26..=35 => Latent::Friend,
            36..=47 => Latent::EventContact,
            48..=61 => Latent::Acquaintance,
            62..=69 => Latent::Recruiter,
            70..=81 => Latent::Pitcher,
            _ => Latent::Stranger,
        };
        // Every 97th person a stranger, as the hostile names of test
        // fixtures once were (kept so the people drawn stay the same).
        let latent = if i % 97 == 13 {
            Latent::Stranger
        } else {
            latent
        };
        let first = rng.pick(FIRST).to_string();
        let last = rng.pick(LAST).to_string();
        let slug = slugify(&first, &last, &mut rng);
        let (company, connected) = match latent {
            Latent::Colleague => {
                let (org, s, e) = *rng.pick(OWNER_JOBS);
                let start = crate::dates::parse_month_year(s).unwrap_or(today);
                let end = crate::dates::parse_month_year(e).unwrap_or(today);
                let shown = match org {
                    "Acme, Inc." => *rng.pick(&["Acme, Inc.", "Acme Inc", "ACME"]),
                    "Globex Corporation" => *rng.pick(&["Globex Corporation", "Globex"]),
                    o => o,
                };
                (shown.to_string(), rng.date(start, end))
            }
            Latent::Classmate => (
                rng.pick(OTHER_COMPANIES).to_string(),
                rng.date(ymd(2009, 9, 1), ymd(2013, 6, 1)),
            ),
            Latent::Recruiter => (
                "Example Talent Partners".to_string(),
                rng.date(ymd(2016, 1, 1), today),
            ),
            Latent::EventContact if rng.chance(0.5) => (
                rng.pick(OTHER_COMPANIES).to_string(),
                rng.date(window_start, today),
            ),
            Latent::Pitcher if rng.chance(0.5) => (
                "Growth Example Agency".to_string(),
                rng.date(window_start, today),
            ),
            _ => (
                rng.pick(OTHER_COMPANIES).to_string(),
                rng.date(ymd(2014, 1, 1), today),
            ),
        };
        let email = if rng.chance(0.03) || latent == Latent::Friend && rng.chance(0.3) {
            format!("person{i}@example.invalid")
        } else {
            String::new()
        };
        truth.push_str(&line(&[
            &format!("https://www.linkedin.com/in/{slug}"),
            latent.as_str(),
        ]));
        truth.push('\n');
        people.push(Person {
            first,
            last,
            slug,
            latent,
            company,
            position: rng.pick(POSITIONS).to_string(),
            connected,
            email,
        });
    }
    people.sort_by_key(|p| std::cmp::Reverse(p.connected));

    // Connections.csv: preamble, newest first, phantom rows, no final newline.
    let mut conn = String::from(
        "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    );
    let mut rows = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if i % 83 == 41 {
            rows.push(format!(",,,,,,{}", p.connected.format("%d %b %Y")));
        }
        let url = format!("https://www.linkedin.com/in/{}", pct_encode(&p.slug));
        rows.push(line(&[
            &format!("{} ", p.first),
            &p.last,
            &url,
            &p.email,
            &p.company,
            &p.position,
            &p.connected.format("%d %b %Y").to_string(),
        ]));
    }
    conn.push_str(&rows.join("\n"));

    // Invitations, messages, endorsements, recommendations, contacts.
    let mut inv =
        String::from("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n");
    let mut msgs = String::from(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n",
    );
    let mut end_recv = String::from(
        "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,Endorsement Status\n",
    );
    let mut end_given = String::from(
        "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,Endorsement Status\n",
    );
    let mut rec_recv =
        String::from("First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n");
    let mut contacts = String::from("FirstName,LastName,Emails,PhoneNumbers,CreatedAt\n");
    let owner_name = "Alex Sample";
    let mut conv_n = 0u32;
    let msg = |msgs: &mut String,
               conv: &str,
               from_owner: bool,
               p: &Person,
               at: NaiveDateTime,
               text: &str,
               folder: &str| {
        let purl = format!("https://www.linkedin.com/in/{}", p.slug);
        let pname = format!("{} {}", p.first, p.last);
        let (from, furl, to, turl) = if from_owner {
            (
                owner_name,
                owner_url.as_str(),
                pname.as_str(),
                purl.as_str(),
            )
        } else {
            (
                pname.as_str(),
                purl.as_str(),
                owner_name,
                owner_url.as_str(),
            )
        };
        let at = at.min(today.and_hms_opt(18, 0, 0).unwrap_or_default());
        let _ = writeln!(
            msgs,
            "{}",
            line(&[
                conv,
                "",
                from,
                furl,
                to,
                turl,
                &format!("{} UTC", at.format("%Y-%m-%d %H:%M:%S")),
                "",
                text,
                folder,
                "No"
            ])
        );
    };
    let skills = [
        "Rust",
        "GIS",
        "Data Analysis",
        "Leadership",
        "SQL",
        "Public Speaking",
    ];
    for p in &people {
        let purl = format!("https://www.linkedin.com/in/{}", p.slug);
        let pname = format!("{} {}", p.first, p.last);
        let in_window = p.connected >= window_start;
        let incoming = rng.chance(0.6);
        // A note greets whoever receives it: the owner when it comes in.
        let addressee = if incoming { "Alex" } else { p.first.as_str() };
        // The invitation that began the link, when the rolling window still holds it.
        let note = match p.latent {
            // Written for the person: greetings, what you share and sign-offs
            // vary, so no two notes read as one pasted template.
            Latent::EventContact => {
                let greeting = rng.pick(GREETINGS).replace("{}", addressee);
                let met = rng.pick(MET_AT);
                let event: &&str = rng.pick(EVENTS);
                format!("{greeting} {} {}", met.replace("{}", event), rng.pick(SIGN_OFFS))
            }
            Latent::Colleague | Latent::Classmate | Latent::Friend if rng.chance(0.5) => format!(
                "{} {} {}",
                rng.pick(GREETINGS).replace("{}", addressee),
                rng.pick(WORKED_AT).replace("{}", &p.company),
                rng.pick(SIGN_OFFS)
            ),
            Latent::Pitcher => "Hi! We help companies like yours generate more qualified leads. Open to a quick call this week? calendly.com/example/15min".to_string(),
            Latent::Recruiter if rng.chance(0.5) => "I'm recruiting for an exciting opportunity and your profile stood out. Open to a quick call?".to_string(),
            Latent::Stranger | Latent::Acquaintance if rng.chance(0.3) => "I'd like to add you to my professional network on LinkedIn.".to_string(),
            _ => String::new(),
        };
        if in_window {
            let at = rng.time(p.connected) - Duration::days(rng.below(5) as i64);
            let (from, to, dir, ifrom, ito) = if incoming
                || matches!(
                    p.latent,
                    Latent::Pitcher | Latent::Recruiter | Latent::Stranger
                ) {
                (
                    pname.as_str(),
                    owner_name,
                    "INCOMING",
                    purl.as_str(),
                    owner_url.as_str(),
                )
            } else {
                (
                    owner_name,
                    pname.as_str(),
                    "OUTGOING",
                    owner_url.as_str(),
                    purl.as_str(),
                )
            };
            let _ = writeln!(
                inv,
                "{}",
                line(&[
                    from,
                    to,
                    &inv_date(at),
                    &note.replace('\n', "  "),
                    dir,
                    ifrom,
                    ito
                ])
            );
        }
        // Messages consistent with the relationship.
        conv_n += 1;
        let conv = format!("2-{:08x}{:04x}", rng.next() as u32, conv_n);
        let start = p.connected.max(ymd(2015, 1, 1));
        match p.latent {
            Latent::Friend | Latent::Colleague | Latent::Classmate => {
                let n = match p.latent {
                    Latent::Friend => 4 + rng.below(12),
                    _ if rng.chance(0.6) => 2 + rng.below(6),
                    _ => 0,
                };
                for k in 0..n {
                    let at = rng.when(start, today);
                    let body = match k % 4 {
                        0 => format!("Hi {}, how are things at {}?", p.first, p.company),
                        1 => "<p>Great to hear from you!</p><p>Lunch next week?</p>".to_string(),
                        2 => "Sure &amp; thanks.\nTalk soon,\nA.".to_string(),
                        _ => String::new(),
                    };
                    msg(&mut msgs, &conv, k % 2 == 0, p, at, &body, "INBOX");
                }
            }
            Latent::EventContact => {
                if in_window && !note.is_empty() && rng.chance(0.5) {
                    // The note reappears as the first message: counted once.
                    msg(
                        &mut msgs,
                        &conv,
                        incoming,
                        p,
                        rng.time(p.connected),
                        &note,
                        "INBOX",
                    );
                }
                // Outside the invitation window the messages are the only trace.
                if !in_window || rng.chance(0.7) {
                    let at = rng.when(start, today);
                    msg(
                        &mut msgs,
                        &conv,
                        false,
                        p,
                        at,
                        &format!("Thanks again for the chat at {}!", rng.pick(EVENTS)),
                        "INBOX",
                    );
                    msg(
                        &mut msgs,
                        &conv,
                        true,
                        p,
                        at + Duration::hours(3),
                        "Likewise, let's keep in touch.",
                        "INBOX",
                    );
                }
            }
            Latent::Acquaintance => {
                // Weak tie: a one-off question (either way) and an endorsement below.
                {
                    msg(
                        &mut msgs,
                        &conv,
                        rng.chance(0.5),
                        p,
                        rng.when(start, today),
                        "Quick question about the GIS project, do you have a minute?",
                        "ARCHIVE",
                    );
                }
            }
            Latent::Recruiter => {
                let at = rng.when(start, today);
                // A recruiter the owner deals with: the pitch is answered. (An
                // unanswered recruiting pitch makes a pitcher, not a recruiter.)
                msg(
                    &mut msgs,
                    &conv,
                    false,
                    p,
                    at,
                    "Hi, I'm recruiting for an exciting opportunity at a fintech scale-up. Are you open to a quick call? Salary up to $150k.",
                    "INBOX",
                );
                msg(
                    &mut msgs,
                    &conv,
                    true,
                    p,
                    at + Duration::hours(20),
                    "Thanks, not looking right now, but happy to stay in touch.",
                    "INBOX",
                );
            }
            Latent::Pitcher => {
                if rng.chance(0.8) {
                    let lag = 1 + rng.below(20) as i64;
                    let at = rng.time(p.connected + Duration::days(lag));
                    msg(
                        &mut msgs,
                        &conv,
                        false,
                        p,
                        at,
                        "Thanks for connecting! We help SaaS teams boost revenue with our outsourcing platform. Book a demo: calendly.com/example/demo - only $99/month.",
                        "INBOX",
                    );
                    if rng.chance(0.3) {
                        msg(
                            &mut msgs,
                            &conv,
                            false,
                            p,
                            at + Duration::days(7),
                            "Just bumping this up - are you the right person to talk to?",
                            "INBOX",
                        );
                    }
                }
            }
            Latent::Stranger => {}
        }
        // Endorsements and recommendations.
        let endorses = match p.latent {
            Latent::Colleague => rng.chance(0.6),
            // A classmate long out of touch has at least endorsed you.
            Latent::Classmate => true,
            Latent::Acquaintance => true,
            Latent::Friend => rng.chance(0.3),
            _ => false,
        };
        if endorses {
            for _ in 0..1 + rng.below(2) {
                let d = rng.when(p.connected, today);
                let target = if rng.chance(0.6) {
                    &mut end_recv
                } else {
                    &mut end_given
                };
                let _ = writeln!(
                    target,
                    "{}",
                    line(&[
                        &d.format("%Y/%m/%d %H:%M:%S UTC").to_string(),
                        *rng.pick(&skills[..]),
                        &p.first,
                        &p.last,
                        &format!("www.linkedin.com/in/{}", p.slug),
                        "ACCEPTED"
                    ])
                );
            }
        }
        if matches!(p.latent, Latent::Colleague | Latent::Friend) && rng.chance(0.15) {
            let d = rng.when(p.connected, today);
            let _ = writeln!(
                rec_recv,
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
        if p.latent == Latent::Friend && rng.chance(0.5) {
            let _ = writeln!(
                contacts,
                "{}",
                line(&[&p.first, &p.last, &p.email, "", "2024-01-02 10:00:00"])
            );
        }
    }
    // Large exports: top up to the asked sizes with more rows of the same kinds.
    let talkers: Vec<&Person> = people
        .iter()
        .filter(|p| {
            matches!(
                p.latent,
                Latent::Friend | Latent::Colleague | Latent::Classmate | Latent::EventContact
            )
        })
        .collect();
    if let (Some(target), false) = (opts.messages, talkers.is_empty()) {
        let bodies = [
            "How are things?",
            "<p>Saw this and thought of you &amp; the team.</p>",
            "Thanks, talk soon",
            "Are we still on for Thursday?\nI can bring the slides.",
            "",
            "Congrats on the new role!",
        ];
        // Bursts of a thread with a random talker, at random times; then,
        // as in real files, the rows grouped by conversation, newest first
        // (conversations by their latest message, each one's rows from the
        // latest back).
        let mut threads: Vec<Vec<(NaiveDateTime, usize, String)>> = Vec::new();
        let mut thread_of: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        let mut k = msgs.lines().count().saturating_sub(1);
        while k < target {
            let p = talkers[rng.below(talkers.len() as u64) as usize];
            let conv = format!("3-{:08x}", fnv(&p.slug));
            let t = *thread_of.entry(conv.clone()).or_insert_with(|| {
                threads.push(Vec::new());
                threads.len() - 1
            });
            let mut at = rng.when(p.connected.max(ymd(2015, 1, 1)), today);
            for _ in 0..(1 + rng.below(40) as usize).min(target - k) {
                let mut row = String::new();
                msg(
                    &mut row,
                    &conv,
                    k % 2 == 0,
                    p,
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
    if let Some(target) = opts.invitations {
        let notes = [
            "",
            "",
            "I'd like to add you to my professional network on LinkedIn.",
            "We help teams like yours cut costs. Quick call? calendly.com/example/x",
            "Hi Alex, we met at GIS Days last week.",
        ];
        let have = inv.lines().count().saturating_sub(1);
        for k in have..target {
            let at = rng.when(today - Duration::days(300), today);
            let _ = writeln!(
                inv,
                "{}",
                line(&[
                    &format!("Filler{k} Example"),
                    owner_name,
                    &inv_date(at),
                    notes[k % notes.len()],
                    "INCOMING",
                    &format!("https://www.linkedin.com/in/filler-example-{k}"),
                    &owner_url
                ])
            );
        }
    }
    if let (Some(target), false) = (opts.endorsements, people.is_empty()) {
        let have = end_recv.lines().count() + end_given.lines().count() - 2;
        for k in have..target {
            let p = &people[rng.below(people.len() as u64) as usize];
            let d = rng.when(p.connected, today);
            let target = if k % 3 == 0 {
                &mut end_given
            } else {
                &mut end_recv
            };
            let _ = writeln!(
                target,
                "{}",
                line(&[
                    &d.format("%Y/%m/%d %H:%M:%S UTC").to_string(),
                    skills[k % skills.len()],
                    &p.first,
                    &p.last,
                    &format!("www.linkedin.com/in/{}", p.slug),
                    "ACCEPTED"
                ])
            );
        }
    }

    // Noise that is not relationship evidence.
    let _ = writeln!(
        msgs,
        "{}",
        line(&[
            "2-sponsored01",
            "Sponsored Conversation",
            "LinkedIn Member",
            "",
            owner_name,
            &owner_url,
            "2025-11-02 09:00:00 UTC",
            "",
            "<p>Hi %FIRSTNAME%, grow your career with Example Premium!</p>",
            "INBOX",
            "No"
        ])
    );
    let _ = writeln!(
        msgs,
        "{}",
        line(&[
            "2-closed0001",
            "",
            "LinkedIn Member",
            "",
            owner_name,
            &owner_url,
            "2024-05-02 09:00:00 UTC",
            "",
            "Hello from a closed account",
            "INBOX",
            "No"
        ])
    );
    let _ = writeln!(
        msgs,
        "{}",
        line(&[
            "2-spam000001",
            "",
            "Spam Example",
            "https://www.linkedin.com/in/spam-example-ffffff",
            owner_name,
            &owner_url,
            "2025-01-02 09:00:00 UTC",
            "",
            "You won!",
            "SPAM",
            "No"
        ])
    );
    if let Some(p) = people.first() {
        let _ = writeln!(
            msgs,
            "{}",
            line(&[
                "2-draft00001",
                "",
                owner_name,
                &owner_url,
                &p.first,
                &format!("https://www.linkedin.com/in/{}", p.slug),
                "2026-03-01 09:00:00 UTC",
                "",
                "Unfinished thou",
                "",
                "Yes"
            ])
        );
    }
    // A group thread among two acquaintances and the owner.
    let group: Vec<&Person> = people
        .iter()
        .filter(|p| p.latent == Latent::Acquaintance)
        .take(2)
        .collect();
    if let [a, b] = group.as_slice() {
        let urls = format!(
            "https://www.linkedin.com/in/{},https://www.linkedin.com/in/{}",
            b.slug, owner_slug
        );
        let _ = writeln!(
            msgs,
            "{}",
            line(&[
                "2-group00001",
                "Project GIS",
                &format!("{} {}", a.first, a.last),
                &format!("https://www.linkedin.com/in/{}", a.slug),
                "group",
                &urls,
                "2025-10-10 10:00:00 UTC",
                "",
                "Meeting notes attached.",
                "INBOX",
                "No"
            ])
        );
    }
    // Pending invitations: strangers, defaults, pitches, repeats, a real one; and the owner's own.
    let pending_in: &[(&str, &str, u32)] = &[
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
    for (k, (note, name, times)) in pending_in.iter().enumerate() {
        let slug: String = format!("{}-{:04x}", name.to_lowercase().replace(' ', "-"), k)
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        for t in 0..*times {
            let at = rng.time(today - Duration::days(5 + 40 * t as i64 + k as i64));
            let _ = writeln!(
                inv,
                "{}",
                line(&[
                    name,
                    owner_name,
                    &inv_date(at),
                    note,
                    "INCOMING",
                    &format!("https://www.linkedin.com/in/{slug}"),
                    &owner_url
                ])
            );
        }
    }
    let pending_out: &[(&str, &str, i64)] = &[
        ("", "Waiting Example", 10),
        (
            "Hi Sam, we met at the Rust meetup - let's stay in touch.",
            "Old Example",
            90,
        ),
    ];
    for (k, (note, name, age)) in pending_out.iter().enumerate() {
        let at = rng.time(today - Duration::days(*age));
        let _ = writeln!(
            inv,
            "{}",
            line(&[
                owner_name,
                name,
                &inv_date(at),
                note,
                "OUTGOING",
                &owner_url,
                &format!(
                    "https://www.linkedin.com/in/{}-{:04x}",
                    name.to_lowercase().replace(' ', "-"),
                    k + 100
                )
            ])
        );
    }

    let profile = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\nAlex,Sample,,,,Example headline,,Software Development,,Example City,,,\n".to_string();
    let mut positions =
        String::from("Company Name,Title,Description,Location,Started On,Finished On\n");
    for (org, s, e) in OWNER_JOBS.iter().rev() {
        let _ = writeln!(
            positions,
            "{}",
            line(&[org, "Engineer", "", "Example City", s, e])
        );
    }
    let education = "School Name,Start Date,End Date,Notes,Degree Name,Activities\nExample University,2009,2013,,MSc,\n".to_string();
    let files = vec![
        ("Connections.csv".to_string(), conn.into_bytes()),
        ("Invitations.csv".to_string(), inv.into_bytes()),
        ("messages.csv".to_string(), msgs.into_bytes()),
        (
            "guide_messages.csv".to_string(),
            b"CONVERSATION ID,FROM,TO,DATE,CONTENT\n".to_vec(),
        ),
        (
            "Endorsement_Received_Info.csv".to_string(),
            end_recv.into_bytes(),
        ),
        (
            "Endorsement_Given_Info.csv".to_string(),
            end_given.into_bytes(),
        ),
        (
            "Recommendations_Received.csv".to_string(),
            rec_recv.into_bytes(),
        ),
        ("Profile.csv".to_string(), profile.into_bytes()),
        ("Positions.csv".to_string(), positions.into_bytes()),
        ("Education.csv".to_string(), education.into_bytes()),
        ("ImportedContacts.csv".to_string(), contacts.into_bytes()),
        (
            "Rich_Media.csv".to_string(),
            b"Date/Time,Media Description,Media Link\n".to_vec(),
        ),
        (
            "Jobs/Job Applications.csv".to_string(),
            b"Application Date,Contact Email\n".to_vec(),
        ),
    ];
    (files, truth)
}

/// Write the sample as a folder or a deflate zip.
pub fn write(out: &Path, opts: &Options, zip: bool, truth: Option<&Path>) -> Result<()> {
    let (files, truth_csv) = generate(opts);
    write_files(out, &files, zip)?;
    if let Some(t) = truth {
        std::fs::write(t, truth_csv).map_err(|e| Error::Output {
            path: t.to_path_buf(),
            reason: e.to_string(),
        })?;
    }
    Ok(())
}

/// Write an export's files as a folder or a deflate zip.
pub fn write_files(out: &Path, files: &[(String, Vec<u8>)], zip: bool) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| Error::Output {
        path: out.to_path_buf(),
        reason: e.to_string(),
    };
    if zip {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| err(&e))?;
        }
        let f = std::fs::File::create(out).map_err(|e| err(&e))?;
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(name.as_str(), o).map_err(|e| err(&e))?;
            std::io::Write::write_all(&mut z, bytes).map_err(|e| err(&e))?;
        }
        z.finish().map_err(|e| err(&e))?;
    } else {
        for (name, bytes) in files {
            let p = out.join(name);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(|e| err(&e))?;
            }
            std::fs::write(&p, bytes).map_err(|e| err(&e))?;
        }
    }
    Ok(())
}
