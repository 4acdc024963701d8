//! Note classification measured on the labelled corpus in `tests/notes/`:
//! 5,327 notes written by hand for this purpose in the export's languages
//! (13 writers, each split into training and held-out parts), never
//! produced by the sample generator. The training part is what the phrase
//! lists were written against and the model is trained on
//! (`examples/train_notes.rs`); the held-out part is never looked at while
//! tuning, and carries the targets.
//!
//! `cargo test --test note_corpus -- --nocapture` prints the figures;
//! `NOTES_SHOW=1` also lists the training notes classed wrong.

use std::collections::BTreeMap;
use tieaudit::notes::{NoteClass, classify};

const LABELS: [&str; 3] = ["pitch", "personal", "default"];

struct Row {
    id: String,
    lang: String,
    label: String,
    text: String,
}

fn rows(part: &str) -> Vec<Row> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/notes")
        .join(part);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let mut r = csv::Reader::from_path(&f).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            out.push(Row {
                id: rec[0].to_string(),
                lang: rec[1].to_string(),
                label: rec[2].to_string(),
                text: rec[3].to_string(),
            });
        }
    }
    out
}

fn class(c: NoteClass) -> &'static str {
    match c {
        NoteClass::Pitch => "pitch",
        NoteClass::Personal => "personal",
        // An empty note has no personal context either.
        NoteClass::Default | NoteClass::None => "default",
    }
}

struct Figures {
    n: usize,
    accuracy: f64,
    /// Per class: (precision, recall, support).
    per_class: BTreeMap<&'static str, (f64, f64, usize)>,
    per_lang: BTreeMap<String, (usize, usize)>,
}

fn measure(rows: &[Row], show: bool) -> Figures {
    let mut right = 0;
    let mut confusion: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in rows {
        let got = class(classify(&r.text));
        let want = LABELS.iter().find(|l| **l == r.label).copied().unwrap();
        *confusion.entry((want, got)).or_default() += 1;
        let l = per_lang.entry(r.lang.clone()).or_default();
        l.1 += 1;
        if got == want {
            right += 1;
            l.0 += 1;
        } else if show {
            eprintln!("{} {want} -> {got}: {}", r.id, r.text);
        }
    }
    let per_class = LABELS
        .iter()
        .map(|c| {
            let tp = confusion.get(&(*c, *c)).copied().unwrap_or(0);
            let predicted: usize = LABELS
                .iter()
                .map(|w| confusion.get(&(*w, *c)).copied().unwrap_or(0))
                .sum();
            let actual: usize = LABELS
                .iter()
                .map(|g| confusion.get(&(*c, *g)).copied().unwrap_or(0))
                .sum();
            let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            (*c, (ratio(tp, predicted), ratio(tp, actual), actual))
        })
        .collect();
    Figures {
        n: rows.len(),
        accuracy: right as f64 / rows.len() as f64,
        per_class,
        per_lang,
    }
}

fn print(part: &str, f: &Figures) {
    eprintln!("{part}: {} notes, accuracy {:.3}", f.n, f.accuracy);
    for (c, (p, r, n)) in &f.per_class {
        eprintln!("  {c:<9} precision {p:.3} recall {r:.3} ({n} notes)");
    }
    let langs: Vec<String> = f
        .per_lang
        .iter()
        .map(|(l, (ok, n))| format!("{l} {ok}/{n}"))
        .collect();
    eprintln!("  by language: {}", langs.join(", "));
}

#[test]
fn corpus_is_well_formed() {
    for part in ["train", "heldout"] {
        let rows = rows(part);
        assert!(rows.len() > 250, "{part}: {}", rows.len());
        for r in &rows {
            assert!(LABELS.contains(&r.label.as_str()), "{}: {}", r.id, r.label);
            assert!(!r.text.trim().is_empty(), "{}", r.id);
        }
    }
    let all = rows("train").len() + rows("heldout").len();
    assert!(all >= 800, "{all} notes");
}

#[test]
fn training_part_figures() {
    let show = std::env::var_os("NOTES_SHOW").is_some();
    let f = measure(&rows("train"), show);
    print("training part", &f);
    assert!(f.accuracy >= 0.90, "training accuracy {:.3}", f.accuracy);
}

/// The targets on the held-out part: accuracy at least 0.95, pitch
/// recall at least 0.95, personal precision at least 0.97. Measured on its
/// 1,353 notes (13 writers): accuracy 0.953, pitch recall 0.970, personal
/// precision 0.982, pitch precision 0.948. The test holds the targets, and
/// pitch precision at its measured floor, so no change makes them worse
/// unseen.
#[test]
fn held_out_part_meets_the_targets() {
    let f = measure(&rows("heldout"), false);
    print("held-out part", &f);
    let (pitch_precision, pitch_recall, _) = f.per_class["pitch"];
    let (personal_precision, _, _) = f.per_class["personal"];
    assert!(f.accuracy >= 0.95, "held-out accuracy {:.3}", f.accuracy);
    assert!(
        pitch_recall >= 0.95,
        "held-out pitch recall {pitch_recall:.3}"
    );
    assert!(
        personal_precision >= 0.97,
        "held-out personal precision {personal_precision:.3}"
    );
    assert!(
        pitch_precision >= 0.94,
        "held-out pitch precision {pitch_precision:.3}"
    );
}

/// A first message is a pitch only where `classify` says so too, and
/// most pitches written as notes still read as pitches.
#[test]
fn message_pitches_are_note_pitches() {
    let (mut pitches, mut found) = (0, 0);
    for part in ["train", "heldout"] {
        for r in rows(part) {
            let message = tieaudit::notes::is_pitch_message(&r.text);
            if message {
                assert_eq!(classify(&r.text), NoteClass::Pitch, "{}", r.id);
            }
            if r.label == "pitch" {
                pitches += 1;
                found += message as usize;
            }
        }
    }
    let recall = found as f64 / pitches as f64;
    eprintln!("pitches read as pitches when sent as a message: {found}/{pitches} = {recall:.3}");
    assert!(recall >= 0.6, "{recall:.3}");
}
