//! Micro-benchmarks of the per-row hot pieces: note classification, slug
//! normalisation, name keys, date parsing. `cargo bench --bench hot`.

fn main() {
    divan::main();
}

const NOTES: &[&str] = &[
    "",
    "Hi Ann, I'd like to add you to my professional network on LinkedIn. - Bo",
    "Hi Ann, great to meet you at the Rust meetup in Lyon last night. Would love to stay in touch.",
    "Hi Ann, we help SaaS companies generate more qualified leads. Open to a quick call this week? calendly.com/x/15min",
];

const URLS: &[&str] = &[
    "https://www.linkedin.com/in/ann-lee-1a2b3c",
    "https://www.linkedin.com/in/j%C3%B6rg-example-1a2b3c",
    "www.linkedin.com/in/jörg-example-1a2b3c",
];

const NAMES: &[(&str, &str)] = &[
    ("Ann", "Lee, PhD"),
    ("Bo", "Παράδειγμα"),
    ("Андрей", "Notreal"),
    ("Ana 🌻", "Demo"),
    ("𝓐𝓷𝓪", "Example"),
];

const DATES: &[&str] = &[
    "07 Mar 2024",
    "3/19/26, 7:48 AM",
    "2024-06-11 15:33:58 UTC",
    "2016/12/28 15:15:59 UTC",
];

#[divan::bench(args = NOTES)]
fn classify_note(note: &str) -> tieaudit::notes::NoteClass {
    tieaudit::notes::classify(divan::black_box(note))
}

#[divan::bench(args = URLS)]
fn slug(url: &str) -> Option<String> {
    tieaudit::identity::slug_from_url(divan::black_box(url))
}

#[divan::bench(args = DATES)]
fn parse_date(d: &str) -> Option<chrono::NaiveDateTime> {
    tieaudit::dates::parse_datetime(divan::black_box(d))
}

#[divan::bench(args = NAMES)]
fn name_key(name: (&str, &str)) -> Option<String> {
    let (first, last) = divan::black_box(name);
    tieaudit::identity::name_key(first, last)
}
