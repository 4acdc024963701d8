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

mod lexicon;
#[doc(hidden)]
pub mod model;
use lexicon::{CONTEXT, CONTEXT_AT, MEETING_ASKS, PITCH, PITCH_AT, TEMPLATES};

/// A note as classification reads it: flattened, lower case, accents
/// folded, apostrophes straight (for the model's trainer).
#[doc(hidden)]
pub fn normalised(s: &str) -> String {
    normalise(s)
}

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
    let t = t
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02bc}', '`', '´'], "'");
    crate::identity::fold_accents(&t).into_owned()
}

/// Whether any of a list's phrases occurs in a text: one pass over the text
/// for the whole list.
struct AnyOf(std::sync::LazyLock<aho_corasick::AhoCorasick>);

impl AnyOf {
    fn in_text(&self, h: &str) -> bool {
        self.0.is_match(h)
    }
}

static TEMPLATES_ANY: AnyOf = AnyOf(std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(TEMPLATES).expect("static phrases build an automaton")
}));

/// The weighted phrases of a list, found in one pass.
struct Weighted {
    phrases: &'static [(&'static str, i32)],
    matcher: std::sync::LazyLock<aho_corasick::AhoCorasick>,
}

impl Weighted {
    /// The sum of the weights of the phrases found, each phrase once.
    fn score(&self, t: &str) -> i32 {
        if !self.matcher.is_match(t) {
            return 0;
        }
        let mut seen = vec![false; self.phrases.len()];
        for m in self.matcher.find_overlapping_iter(t) {
            let i = m.pattern().as_usize();
            let (phrase, _) = self.phrases[i];
            if stands(t, phrase, m.start(), m.end()) {
                seen[i] = true;
            }
        }
        self.phrases
            .iter()
            .zip(seen)
            .filter(|(_, hit)| *hit)
            .map(|((_, w), _)| *w)
            .sum()
    }
}

macro_rules! weighted {
    ($list:expr) => {
        Weighted {
            phrases: $list,
            matcher: std::sync::LazyLock::new(|| {
                aho_corasick::AhoCorasick::new($list.iter().map(|(p, _)| p.trim_end_matches('*')))
                    .expect("static phrases build an automaton")
            }),
        }
    };
}

static PITCH_PHRASES: Weighted = weighted!(PITCH);
static ASK_PHRASES: Weighted = weighted!(MEETING_ASKS);
static CONTEXT_PHRASES: Weighted = weighted!(CONTEXT);

/// Pitch weight of a text (0 or less when nothing sales-like was found).
pub fn pitch_score(text: &str) -> i32 {
    pitch_score_of_normalised(&normalise(text))
}

/// [`pitch_score`] of a text already [`normalise`]d: its pitch phrases,
/// a price, and a link other than to code.
fn pitch_score_of_normalised(t: &str) -> i32 {
    offer_score_of_normalised(t) + ASK_PHRASES.score(t)
}

/// The pitch weight of what a text offers: [`pitch_score_of_normalised`]
/// without asks for time alone ([`MEETING_ASKS`]).
fn offer_score_of_normalised(t: &str) -> i32 {
    let mut score = PITCH_PHRASES.score(t);
    if has_price(t) {
        score += 2;
    }
    if has_sales_link(t) {
        score += 2;
    }
    if has_phone_number(t) {
        score += 2;
    }
    score
}

/// A phone number: nine digits or more in one run of digits, spaces,
/// dashes, dots and a leading `+`.
fn has_phone_number(t: &str) -> bool {
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9' => {
                digits += 1;
                if digits >= 9 {
                    return true;
                }
            }
            ' ' | '-' | '.' | '+' | '(' | ')' => {}
            _ => digits = 0,
        }
    }
    false
}

/// A link in a note: booking pages, group chats, landing pages. Links to
/// code (GitHub, GitLab) are how people cite each other's work, not sell.
fn has_sales_link(t: &str) -> bool {
    const LINKS: [&str; 6] = ["http://", "https://", "www.", "wa.me/", "t.me/", "calendly"];
    const TLDS: [&str; 22] = [
        "com", "io", "co", "net", "org", "fm", "ly", "me", "app", "ai", "de", "fr", "es", "it",
        "nl", "se", "pt", "br", "be", "at", "ch", "work",
    ];
    if t.contains("github.com") || t.contains("gitlab.com") {
        return false;
    }
    if LINKS.iter().any(|l| t.contains(l)) {
        return true;
    }
    // A bare domain: "name.tld" or "name.tld/path", the name right before
    // the dot and the top-level domain standing as a word after it.
    t.match_indices('.').any(|(i, _)| {
        let before = t[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let rest = &t[i + 1..];
        let tld_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let after = rest[tld_len..].chars().next();
        before
            && TLDS.contains(&&rest[..tld_len])
            && after.is_none_or(|c| c == '/' || c.is_whitespace() || c == ')')
    })
}

/// Whether a phrase found at `t[start..end]` counts: it starts a word, and
/// ends one unless it is a stem (written with a final `*`). A phrase that
/// begins or ends with a space or a sign brings its own boundary.
fn stands(t: &str, phrase: &str, start: usize, end: usize) -> bool {
    let starts = !phrase.starts_with(char::is_alphanumeric)
        || t[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
    let ends = phrase.ends_with('*')
        || !phrase.ends_with(char::is_alphanumeric)
        || t[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    starts && ends
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

/// Classify an invitation note (or a first message). A pitch wins over
/// context; context must be specific (where you met, worked or studied, a
/// mutual contact by name, their talk, post or code); greetings,
/// compliments and "let's connect" are no personal note.
pub fn classify(note: &str) -> NoteClass {
    classify_with(note, &model::MODEL)
}

/// Whether a first message is a pitch: [`classify`] says so and so do the
/// phrase lists on their own, with an offer among what they found (an ask
/// for a call or some minutes alone is not enough). A message is read more strictly than an
/// invitation note: it comes from someone you are already connected to,
/// a friendly "fancy a coffee next week?" reads much like a soft pitch to
/// the model, and a pitch alone is enough to recommend an unlink.
pub fn is_pitch_message(text: &str) -> bool {
    let t = normalise(text);
    if class_of_empty_or_template(&t).is_some() {
        return false;
    }
    // Something must be offered: "a quick call about the handover?" from
    // a colleague asks for time and sells nothing.
    let offer = offer_score_of_normalised(&t);
    let scores = (offer + ASK_PHRASES.score(&t), CONTEXT_PHRASES.score(&t));
    if by_rules(scores) != NoteClass::Pitch || offer < PITCH_AT {
        return false;
    }
    let p = model::MODEL.probabilities(&model::features_with(&t, scores));
    combine(NoteClass::Pitch, p, t.split_whitespace().count()) == NoteClass::Pitch
}

/// [`classify`] with the phrase lists alone (for measuring them).
#[doc(hidden)]
pub fn classify_by_rules(note: &str) -> NoteClass {
    let t = normalise(note);
    match class_of_empty_or_template(&t) {
        Some(c) => c,
        None => by_rules(phrase_scores(&t)),
    }
}

/// `None` or `Default` for a note with nothing in it or LinkedIn's text.
fn class_of_empty_or_template(t: &str) -> Option<NoteClass> {
    if t.chars().all(|c| !c.is_alphanumeric()) {
        Some(NoteClass::None)
    } else if is_template(t) {
        Some(NoteClass::Default)
    } else {
        None
    }
}

/// What the phrase lists find in a normalised text: its pitch weight and
/// its context weight.
fn phrase_scores(t: &str) -> (i32, i32) {
    (pitch_score_of_normalised(t), CONTEXT_PHRASES.score(t))
}

/// The class the phrase lists alone give.
fn by_rules((pitch, context): (i32, i32)) -> NoteClass {
    if pitch >= PITCH_AT {
        NoteClass::Pitch
    } else if context >= CONTEXT_AT {
        NoteClass::Personal
    } else {
        NoteClass::Default
    }
}

/// [`classify`] with a given model: the phrase lists and the model
/// combined (for measuring other models).
#[doc(hidden)]
pub fn classify_with(note: &str, m: &model::Weights) -> NoteClass {
    let t = normalise(note);
    if let Some(c) = class_of_empty_or_template(&t) {
        return c;
    }
    let scores = phrase_scores(&t);
    let rules = by_rules(scores);
    let p = m.probabilities(&model::features_with(&t, scores));
    let words = t.split_whitespace().count();
    match combine(rules, p, words) {
        NoteClass::Default if rules == NoteClass::Personal && names_a_contact(note) => {
            NoteClass::Personal
        }
        c => c,
    }
}

/// Verbs by which a mutual contact sends someone ("Carla Example
/// suggested I reach out"), lower case, accents folded.
const SENT_BY: &[&str] = &[
    "suggested",
    "recommended",
    "mentioned",
    "told me",
    "said you",
    "said that",
    "introduced",
    "pointed me",
    "gave me your",
    "hat mir",
    "meinte",
    "hat erzahlt",
    "empfahl",
    "m'a dit",
    "m'a conseille",
    "m'a parle",
    "me dijo",
    "me recomendo",
    "me sugirio",
    "me hablo",
    "me disse",
    "me falou",
    "me indicou",
    "comentou",
    "zei dat",
    "raadde",
    "vertelde",
    "tipte",
    "mi ha detto",
    "mi ha consigliato",
    "mi ha parlato",
    "sa att",
    "tipsade",
    "rekommenderade",
];

/// Words that stand capitalised before such a verb without being a name.
const NOT_NAMES: &[&str] = &[
    "I", "He", "She", "They", "We", "You", "It", "Someone", "Everyone", "Sie", "Er", "Il", "Elle",
    "On", "Ele", "Ela", "Hij", "Zij", "Lui", "Lei", "Han", "Hon", "LinkedIn",
];

/// A mutual contact named in the note: a capitalised name (not the note's
/// first word, not a pronoun) right before a verb by which people send
/// someone to someone else.
fn names_a_contact(note: &str) -> bool {
    let words: Vec<&str> = note.split_whitespace().collect();
    (1..words.len()).any(|i| {
        let name = words[i - 1].trim_matches(|c: char| !c.is_alphanumeric());
        let capitalised = name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().skip(1).all(|c| !c.is_uppercase())
            && !NOT_NAMES.contains(&name)
            && !words[i - 1].ends_with(['.', ',', '!', '?', ':']);
        capitalised && {
            let rest = normalise(&words[i..words.len().min(i + 3)].join(" "));
            SENT_BY.iter().any(|v| rest.starts_with(v))
        }
    })
}

/// Below this many words the model alone does not call a text a pitch: a
/// short message ("Agenda: 1. intro 2. plan") gives it too little to go on.
const MODEL_PITCH_MIN_WORDS: usize = 6;

/// The class of the model's probabilities (it sees what the phrase lists
/// found among its features), with the phrase lists kept for what the model
/// does not know: a short text is a pitch only when they say so. The choice
/// of the plain most probable class over thresholds was made on training
/// notes the phrase lists were not written against; see
/// `examples/train_notes.rs --eval`.
fn combine(rules: NoteClass, p: [f32; 3], words: usize) -> NoteClass {
    let [pitch, personal, default] = p;
    let best = if pitch >= personal && pitch >= default {
        NoteClass::Pitch
    } else if personal >= default {
        NoteClass::Personal
    } else {
        NoteClass::Default
    };
    match best {
        NoteClass::Pitch if rules != NoteClass::Pitch && words < MODEL_PITCH_MIN_WORDS => {
            if personal >= default {
                NoteClass::Personal
            } else {
                NoteClass::Default
            }
        }
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NoteClass::*;

    /// A connection asking for time about shared work is no pitch; the
    /// same ask beside an offer is.
    #[test]
    fn a_call_asked_for_is_a_pitch_only_beside_an_offer() {
        for m in [
            "Hey Sam, can we have a quick call about the migration plan tomorrow?",
            "Hi Priya, do you have 15 minutes this week for a quick call about the offsite agenda?",
            "Quick call about the Henderson account? I have a few questions on the handover.",
            "Salut Marie, tu aurais 10 minutes demain pour un appel sur le budget du séminaire ?",
            "Hola Jaime, ¿tienes 10 minutos mañana para una llamada sobre el informe de Sevilla?",
            "Ciao Luca, hai 15 minuti per una chiamata sul progetto di venerdì?",
        ] {
            assert!(!is_pitch_message(m), "{m}");
        }
        for m in [
            "Hi Sam, quick call this week? I'd love to show you how our platform cuts onboarding time by 40%.",
            "Hi, do you have 15 minutes for a quick call? We help companies like yours reduce cloud costs.",
            "Hallo Jan, wir bieten Unternehmen wie Ihrem eine KI-Lösung für die Buchhaltung an. Passt Ihnen ein kurzes Telefonat?",
        ] {
            assert!(is_pitch_message(m), "{m}");
        }
    }

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
            let all: Vec<&(&str, i32)> = PITCH.iter().chain(MEETING_ASKS).collect();
            let plain: i32 = all
                .iter()
                .filter(|(m, _)| {
                    let m = m.trim_end_matches('*');
                    t.match_indices(m).any(|(i, _)| {
                        stands(
                            &t,
                            all.iter()
                                .find(|p| p.0.trim_end_matches('*') == m)
                                .map_or(m, |p| p.0),
                            i,
                            i + m.len(),
                        )
                    })
                })
                .map(|(_, w)| *w)
                .sum::<i32>()
                + if has_price(&t) { 2 } else { 0 }
                + if has_sales_link(&t) { 2 } else { 0 }
                + if has_phone_number(&t) { 2 } else { 0 };
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
                "me gustaria anadirte a mi red profesional en linkedin",
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
            let want = crate::identity::fold_accents(&crate::text::flatten(&s)
                .to_lowercase()
                .replace(['\u{2019}', '\u{2018}', '\u{02bc}', '`', '´'], "'"))
                .into_owned();
            let once = normalise(&s);
            proptest::prop_assert_eq!(&once, &want);
            proptest::prop_assert_eq!(normalise(&once), once);
        }
    }
}
