//! Invitation notes (and first messages) classified as `none`, `default`
//! (LinkedIn's template, any apostrophe, greeting or signature), `personal`
//! (gives context: where you met, a shared employer, school, event, a mutual
//! contact, why connect) or `pitch` (sales or recruiting offer).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteClass {
    None,
    Default,
    Personal,
    Pitch,
}

impl NoteClass {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteClass::None => "none",
            NoteClass::Default => "default",
            NoteClass::Personal => "personal",
            NoteClass::Pitch => "pitch",
        }
    }
}

/// LinkedIn's pre-filled texts, lower case, straight apostrophes, no final
/// stop. English is confirmed; the others are LinkedIn's localised wording.
const TEMPLATES: &[&str] = &[
    "i'd like to add you to my professional network on linkedin",
    "i'd like to add you to my professional network",
    "i would like to add you to my professional network on linkedin",
    "i'd like to join your linkedin network",
    "ich möchte sie gerne zu meinem beruflichen netzwerk auf linkedin hinzufügen",
    "ich möchte dich gerne zu meinem beruflichen netzwerk auf linkedin hinzufügen",
    "j'aimerais vous inviter à rejoindre mon réseau professionnel en ligne, sur linkedin",
    "me gustaría añadirte a mi red profesional en linkedin",
    "me gustaría agregarte a mi red profesional de linkedin",
    "gostaria de adicioná-lo à minha rede profissional no linkedin",
    "ik wil je graag toevoegen aan mijn professionele netwerk op linkedin",
    "vorrei aggiungerti alla mia rete professionale su linkedin",
    "jag vill gärna lägga till dig i mitt professionella nätverk på linkedin",
];

/// Generic asks with no context: not LinkedIn's template, but no more personal.
const GENERIC: &[&str] = &[
    "let's connect",
    "lets connect",
    "like to connect",
    "love to connect",
    "happy to connect",
    "expand my network",
    "grow my network",
    "expand my professional network",
    "add you to my network",
    "connect with you",
    "join my network",
];

/// Pitch markers with weights; a total of 2 or more is a pitch.
const PITCH: &[(&str, u32)] = &[
    ("calendly.com", 3),
    ("cal.com/", 3),
    ("book a call", 2),
    ("book a demo", 3),
    ("book a time", 2),
    ("schedule a call", 2),
    ("schedule a demo", 3),
    ("quick call", 2),
    ("quick chat", 1),
    ("hop on a call", 2),
    ("jump on a call", 2),
    ("15 minutes", 1),
    ("15-minute", 1),
    ("15 min", 1),
    ("30 minutes", 1),
    ("demo", 1),
    ("free trial", 2),
    ("free audit", 2),
    ("discount", 2),
    ("% off", 2),
    ("pricing", 1),
    ("per month", 1),
    ("/month", 1),
    ("our services", 2),
    ("our service", 1),
    ("our platform", 2),
    ("our solution", 2),
    ("our agency", 2),
    ("our software", 2),
    ("our product", 2),
    ("our team helps", 2),
    ("we help", 2),
    ("i help", 2),
    ("helping companies", 2),
    ("lead generation", 2),
    ("leads", 1),
    ("generate more", 1),
    ("increase your", 1),
    ("boost your", 1),
    ("grow your business", 2),
    ("scale your", 1),
    ("roi", 1),
    ("revenue", 1),
    ("outsourc", 2),
    ("offshore", 1),
    ("seo", 1),
    ("web development services", 2),
    ("investment opportunit", 2),
    ("passive income", 2),
    ("crypto", 1),
    ("forex", 2),
    ("are you the right person", 2),
    ("decision maker", 2),
    ("would you be open to", 1),
    ("open to a", 1),
    ("interested in learning more", 2),
    ("exciting opportunity", 2),
    ("job opportunity", 1),
    ("a role that", 1),
    ("i'm recruiting", 2),
    ("i am recruiting", 2),
    ("hiring for", 1),
    ("recruiter", 1),
    ("your cv", 1),
    ("your resume", 1),
    ("salary", 1),
    ("check out my", 1),
    ("limited time", 2),
    ("special offer", 2),
    ("buy", 1),
    ("sign up", 1),
];

/// Context markers: the writer says how they know the person or why.
const CONTEXT: &[&str] = &[
    "we met",
    "met at",
    "met you",
    "meeting you",
    "meeting at",
    "great to meet",
    "nice to meet",
    "good to meet",
    "great chatting",
    "enjoyed our",
    "enjoyed your",
    "enjoyed talking",
    "enjoyed meeting",
    "your talk",
    "your session",
    "your presentation",
    "your panel",
    "conference",
    "meetup",
    "summit",
    "workshop",
    "hackathon",
    "webinar",
    "event",
    "worked together",
    "work together",
    "working together",
    "we worked",
    "worked with",
    "work with you",
    "colleague",
    "same team",
    "your team",
    "our team at",
    "former",
    "ex-",
    "back at",
    "when we were",
    "classmate",
    "class of",
    "studied",
    "alumni",
    "alumnus",
    "alumna",
    "university",
    "college",
    "school",
    "course",
    "cohort",
    "bootcamp",
    "professor",
    "mutual",
    "introduced",
    "introduction",
    "referred",
    "suggested i",
    "recommended i",
    "told me about",
    "read your",
    "your article",
    "your post",
    "your paper",
    "your book",
    "your blog",
    "your podcast",
    "your work on",
    "project",
    "open source",
    "repository",
    "neighbour",
    "neighbor",
    "friend",
    "cousin",
    "club",
    "volunteer",
    "last week",
    "yesterday",
    "the other day",
    "earlier today",
    "thanks for",
    "thank you for",
    "as discussed",
    "following up on our",
    "following our",
    "from the",
    "at the",
    // other languages (only clear markers)
    "kennengelernt",
    "konferenz",
    "kollege",
    "kollegin",
    "rencontré",
    "collègue",
    "conocimos",
    "compañero",
    "conferencia",
    "conheci",
    "colega",
    "ontmoet",
    "collega",
    "träffades",
    "kollega",
];

fn normalise(s: &str) -> String {
    let t = crate::text::flatten(s);
    if t.is_ascii() {
        // The same result without per-character case tables.
        let mut b = t.into_bytes();
        for c in &mut b {
            *c = if *c == b'`' {
                b'\''
            } else {
                c.to_ascii_lowercase()
            };
        }
        return String::from_utf8(b).unwrap_or_default();
    }
    t.to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02bc}', '`', '´'], "'")
}

/// Whether any of a list's phrases occurs in a text: one pass over the text
/// for the whole list.
struct AnyOf(std::sync::LazyLock<aho_corasick::AhoCorasick>);

impl AnyOf {
    fn in_text(&self, h: &str) -> bool {
        self.0.is_match(h)
    }
}

static CONTEXT_ANY: AnyOf = AnyOf(std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(CONTEXT).expect("static phrases build an automaton")
}));
static TEMPLATES_ANY: AnyOf = AnyOf(std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(TEMPLATES).expect("static phrases build an automaton")
}));
static GENERIC_ANY: AnyOf = AnyOf(std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(GENERIC).expect("static phrases build an automaton")
}));

/// Pitch weight of a text (0 when nothing sales-like was found).
pub fn pitch_score(text: &str) -> u32 {
    pitch_score_of_normalised(&normalise(text))
}

/// [`pitch_score`] of a text already [`normalise`]d.
fn pitch_score_of_normalised(t: &str) -> u32 {
    // One pass over the text for all markers (it runs on every person's first
    // messages); each marker counts once.
    let mut seen = [false; PITCH.len()];
    // Most texts hold no marker at all: the prefiltered test says so at once.
    if PITCH_MATCHER.is_match(t) {
        for m in PITCH_MATCHER.find_overlapping_iter(t) {
            let i = m.pattern().as_usize();
            let (marker, _) = PITCH[i];
            if !seen[i] && (marker.len() > 4 || is_word_at(t, m.start(), m.end())) {
                seen[i] = true;
            }
        }
    }
    let mut score: u32 = PITCH
        .iter()
        .zip(seen)
        .filter(|(_, hit)| *hit)
        .map(|((_, w), _)| *w)
        .sum();
    if has_price(t) {
        score += 2;
    }
    score
}

static PITCH_MATCHER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(PITCH.iter().map(|(m, _)| *m))
            .expect("static pitch markers build an automaton")
    });

/// Whether `t[start..end]` stands as a word.
fn is_word_at(t: &str, start: usize, end: usize) -> bool {
    let before = t[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after = t[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before && after
}

/// A short marker must stand as a word ("roi" is not "heroic").
#[cfg(test)]
fn has_word(t: &str, w: &str) -> bool {
    t.match_indices(w).any(|(i, _)| {
        let before = t[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = t[i + w.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// `$49`, `€ 300`, `£20`, `99 USD`.
fn has_price(t: &str) -> bool {
    signed_price(t) || coded_price(t.as_bytes())
}

/// A currency sign followed by a digit. `€` and `£` start with 0xE2 and
/// 0xC2, lead bytes, so every byte found starts a character.
fn signed_price(t: &str) -> bool {
    memchr::memchr3_iter(b'$', 0xE2, 0xC2, t.as_bytes()).any(|i| {
        t[i..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '$' | '€' | '£') && digit_follows(&t[i + c.len_utf8()..]))
    })
}

fn digit_follows(rest: &str) -> bool {
    rest.trim_start()
        .chars()
        .next()
        .is_some_and(|d| d.is_ascii_digit())
}

/// A number followed by a currency code.
fn coded_price(b: &[u8]) -> bool {
    [b"usd", b"eur"].iter().any(|cur| {
        memchr::memmem::find_iter(b, cur).any(|i| {
            i >= 2
                && b[..i]
                    .iter()
                    .rev()
                    .skip_while(|c| **c == b' ')
                    .take(1)
                    .all(u8::is_ascii_digit)
        })
    })
}

/// Is this (the core of) LinkedIn's template?
fn is_template(t: &str) -> bool {
    const MARKS: [char; 3] = ['.', '!', '"'];
    let owned;
    let core: &str = if t.contains(MARKS) {
        owned = t.replace(MARKS, "");
        &owned
    } else {
        t
    };
    // One pass rules out most notes before each template is looked for.
    if !TEMPLATES_ANY.in_text(core) {
        return false;
    }
    // Each template where it first occurs (matches come in order of their
    // end, so a template's first one is its leftmost).
    let mut seen = [false; TEMPLATES.len()];
    TEMPLATES_ANY.0.find_overlapping_iter(core).any(|m| {
        let first = !std::mem::replace(&mut seen[m.pattern().as_usize()], true);
        let before = core[..m.start()].trim();
        let after = core[m.end()..].trim();
        // Allow a greeting ("hi ann,") before and a signature ("- bo") after.
        first && before.split_whitespace().count() <= 4 && after.split_whitespace().count() <= 5
    })
}

/// Classify an invitation note.
pub fn classify(note: &str) -> NoteClass {
    let t = normalise(note);
    if t.chars().all(|c| !c.is_alphanumeric()) {
        return NoteClass::None;
    }
    if is_template(&t) {
        return NoteClass::Default;
    }
    // `t` is normalised already (normalising is idempotent).
    if pitch_score_of_normalised(&t) >= 2 {
        return NoteClass::Pitch;
    }
    if CONTEXT_ANY.in_text(&t) {
        return NoteClass::Personal;
    }
    let words = t.split_whitespace().count();
    if words <= 14 && (GENERIC_ANY.in_text(&t) || words <= 3) {
        return NoteClass::Default;
    }
    NoteClass::Personal
}

#[cfg(test)]
mod tests {
    use super::*;
    use NoteClass::*;

    #[test]
    fn notes_by_class() {
        let cases: &[(&str, NoteClass)] = &[
            ("", None),
            ("   ", None),
            ("...", None),
            (
                "I'd like to add you to my professional network on LinkedIn.",
                Default,
            ),
            (
                "I’d like to add you to my professional network on LinkedIn.",
                Default,
            ),
            (
                "Hi Ann, I'd like to add you to my professional network on LinkedIn. - Bo",
                Default,
            ),
            (
                "Hi Ann,  I'd like to add you to my professional network on LinkedIn.  - Bo Example",
                Default,
            ),
            (
                "Ann, I'd like to add you to my professional network.",
                Default,
            ),
            (
                "I'd like to add you to my professional network on LinkedIn",
                Default,
            ),
            (
                "Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.",
                Default,
            ),
            ("Let's connect!", Default),
            ("Hi, I'd love to connect with you.", Default),
            ("Hello", Default),
            (
                "Hi Ann, great to meet you at the Rust meetup in Lyon last night. Would love to stay in touch.",
                Personal,
            ),
            (
                "We worked together at Acme on the billing project in 2019 - good to find you here!",
                Personal,
            ),
            (
                "Hi Ann, Carla Example suggested I reach out: she says you know everything about GIS. Mind if I connect?",
                Personal,
            ),
            (
                "We were classmates at Uppsala University, class of 2012. Hope you're well!",
                Personal,
            ),
            (
                "Loved your article on tie strength - I work on similar questions at my lab.",
                Personal,
            ),
            (
                "Hej! Vi träffades på konferensen i Malmö förra veckan.",
                Personal,
            ),
            (
                "Hi Ann, we help SaaS companies generate more qualified leads. Open to a quick call this week? calendly.com/x/15min",
                Pitch,
            ),
            (
                "I help founders scale revenue with our done-for-you outsourcing. Book a demo here.",
                Pitch,
            ),
            (
                "Hi! Our agency offers SEO and web development services from $499/month.",
                Pitch,
            ),
            (
                "I'm recruiting for an exciting opportunity at a fintech scale-up. Are you open to a chat?",
                Pitch,
            ),
            (
                "Exclusive investment opportunity: passive income from crypto, limited time.",
                Pitch,
            ),
        ];
        for (note, want) in cases {
            assert_eq!(classify(note), *want, "{note}");
        }
    }

    #[test]
    fn one_pass_matcher_agrees_with_plain_search() {
        for text in [
            "a heroic effort",
            "great ROI for you, quick call?",
            "We help SaaS teams: book a demo, $99/month",
            "buy buy buy seo seo",
        ] {
            let t = normalise(text);
            let plain: u32 = PITCH
                .iter()
                .filter(|(m, _)| {
                    if m.len() <= 4 {
                        has_word(&t, m)
                    } else {
                        t.contains(m)
                    }
                })
                .map(|(_, w)| *w)
                .sum::<u32>()
                + if has_price(&t) { 2 } else { 0 };
            assert_eq!(pitch_score(text), plain, "{text}");
        }
    }

    #[test]
    fn short_markers_match_whole_words_only() {
        assert_eq!(pitch_score("a heroic effort"), 0);
        assert!(pitch_score("great ROI for you, quick call?") >= 2);
    }

    /// The template test as first written: each template's first
    /// occurrence, looked for one by one.
    fn is_template_reference(t: &str) -> bool {
        let core: String = t
            .chars()
            .filter(|c| !matches!(c, '.' | '!' | '"'))
            .collect();
        TEMPLATES.iter().any(|tpl| {
            core.find(tpl).is_some_and(|at| {
                let before = core[..at].trim();
                let after = core[at + tpl.len()..].trim();
                before.split_whitespace().count() <= 4 && after.split_whitespace().count() <= 5
            })
        })
    }

    /// [`signed_price`] as first written: every character looked at.
    fn signed_price_reference(t: &str) -> bool {
        t.char_indices()
            .any(|(i, c)| matches!(c, '$' | '€' | '£') && digit_follows(&t[i + c.len_utf8()..]))
    }

    proptest::proptest! {
        /// Currency signs found by byte give what looking at every
        /// character gave.
        #[test]
        fn prices_found_as_before(
            s in "([a-z0-9 \u{a0}\u{2003}$€£¥–—é]|usd|eur| 9){0,30}"
        ) {
            proptest::prop_assert_eq!(signed_price(&s), signed_price_reference(&s), "{}", s);
        }

        /// One automaton pass decides templates as the one-by-one search did.
        #[test]
        fn templates_found_as_before(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "i'd like to add you to my professional network on linkedin",
                "i'd like to add you to my professional network",
                "i'd like to join your linkedin network",
                "me gustaría añadirte a mi red profesional en linkedin",
                "hi ann,", "- bo", "thanks", "a b c d e f", " ", ".", "!", "\"", "on linkedin",
                "i'd like to ", "professional network",
            ]), 0..8)
        ) {
            let t: String = parts.concat();
            proptest::prop_assert_eq!(is_template(&t), is_template_reference(&t), "{}", t);
        }

        /// Normalising is what its definition says, whatever path the text
        /// takes, and doing it twice changes nothing (classification
        /// relies on that).
        #[test]
        fn normalising_is_defined_and_idempotent(
            s in "[ -~\t\n\u{a0}\u{2019}\u{2018}\u{02bc}´ΣσςİÄé]{0,40}"
        ) {
            let want = crate::text::flatten(&s)
                .to_lowercase()
                .replace(['\u{2019}', '\u{2018}', '\u{02bc}', '`', '´'], "'");
            let once = normalise(&s);
            proptest::prop_assert_eq!(&once, &want);
            proptest::prop_assert_eq!(normalise(&once), once);
        }
    }
}
