//! Train the note model (`src/notes/model.txt`) on the training part of the
//! hand-written corpus. Deterministic: the same corpus gives the same file.
//!
//! ```sh
//! cargo run --release --example train_notes -- tests/notes/train src/notes/model.txt
//! ```
//!
//! Multinomial logistic regression, full-batch gradient descent with L2,
//! on the features of `tieaudit::notes::model::features`. The held-out part
//! (`tests/notes/heldout/`) must never be passed here.
//!
//! The operating point (how much evidence a note needs to be called a pitch
//! or personal) is chosen on the training part alone, by leaving one writer
//! (one file) out at a time: the bias shift whose out-of-writer figures meet
//! pitch recall 0.95 and personal precision 0.97 with the best accuracy.
//! Both figures, unshifted and chosen, are written in the model's header.
//!
//! `train_notes --eval MODEL_TXT FILE...` prints how the phrase lists, the
//! model and `classify` (both combined) do on other labelled files: how a
//! combination is chosen on notes neither was fitted to.

use tieaudit::notes::model::{BUCKETS, CLASSES, Weights, features, softmax};

const EPOCHS: usize = 3500;
const RATE: f32 = 4.0;
const L2: f32 = 3e-5;

/// The operating point is chosen to meet these on notes of writers the
/// model was not fitted to (the issue's targets for the held-out part).
const PITCH_RECALL: f64 = 0.95;
const PERSONAL_PRECISION: f64 = 0.97;
/// The bias shifts tried for pitch and for personal (log-odds added to the
/// class's bias; default stays at 0).
const SHIFTS: [f32; 9] = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0];

/// A setting, overridable by an environment variable while choosing it.
fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A note's text, its features and its class.
struct Note {
    text: String,
    feats: Vec<u32>,
    y: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--eval") {
        return eval(&args[2], &args[3..]);
    }
    let (dir, out) = match args.as_slice() {
        [_, d, o] => (d.clone(), o.clone()),
        _ => {
            eprintln!("usage: train_notes TRAIN_DIR MODEL_TXT");
            std::process::exit(2);
        }
    };
    assert!(
        !dir.contains("heldout"),
        "the held-out part is never trained on"
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("training folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    // One file per writer: the folds of the cross-validation.
    let writers: Vec<Vec<Note>> = files
        .iter()
        .map(|f| {
            read(std::slice::from_ref(f))
                .into_iter()
                .map(|(text, y)| Note {
                    feats: features(&tieaudit::notes::normalised(&text)),
                    text,
                    y,
                })
                .collect()
        })
        .collect();
    let (epochs, rate, l2) = (
        setting("EPOCHS", EPOCHS),
        setting("RATE", RATE),
        setting("L2", L2),
    );

    // Leave one writer out: fit on the others, classify the writer's notes
    // under every bias shift; the confusion per shift sums over writers.
    let mut conf = vec![[[0usize; 3]; 3]; SHIFTS.len() * SHIFTS.len()];
    for (k, held) in writers.iter().enumerate() {
        let rest: Vec<&Note> = writers
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .flat_map(|(_, w)| w)
            .collect();
        let m = fit(&rest, epochs, rate, l2);
        if std::env::var_os("SHOW_MISSES").is_some() {
            for n in held {
                let p = m.probabilities(&n.feats);
                let got = class_of(tieaudit::notes::classify_with(&n.text, &m));
                if got != n.y {
                    println!(
                        "{}\t{}\t{:.2} {:.2} {:.2}\t{}",
                        CLASSES[n.y], CLASSES[got], p[0], p[1], p[2], n.text
                    );
                }
            }
        }
        for (g, (sp, sq)) in grid().enumerate() {
            let shifted = shift(&m, sp, sq);
            for n in held {
                conf[g][n.y][class_of(tieaudit::notes::classify_with(&n.text, &shifted))] += 1;
            }
        }
        eprintln!("fold {} of {} done", k + 1, writers.len());
    }
    let scored: Vec<(Figures, f32, f32)> = grid()
        .zip(&conf)
        .map(|((sp, sq), c)| (Figures::of(c), sp, sq))
        .collect();
    if std::env::var_os("SHOW_GRID").is_some() {
        for (f, sp, sq) in &scored {
            eprintln!("pitch {sp:+} personal {sq:+}: {}", f.line());
        }
    }
    let plain = scored
        .iter()
        .find(|(_, sp, sq)| *sp == 0.0 && *sq == 0.0)
        .expect("the zero shift is in the grid")
        .0;
    // The most accurate shift that meets both targets; failing that, the
    // one that misses them by least.
    let (best, sp, sq) = *scored
        .iter()
        .max_by(|a, b| {
            let key = |f: &Figures| {
                (
                    (f.pitch_recall - PITCH_RECALL).min(0.0)
                        + (f.personal_precision - PERSONAL_PRECISION).min(0.0),
                    f.accuracy,
                )
            };
            let (ka, kb) = (key(&a.0), key(&b.0));
            ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
        })
        .expect("a grid");

    let all: Vec<&Note> = writers.iter().flatten().collect();
    let m = shift(&fit(&all, epochs, rate, l2), sp, sq);
    let right = all
        .iter()
        .filter(|n| class_of(tieaudit::notes::classify_with(&n.text, &m)) == n.y)
        .count();
    let n = all.len();
    let mut text = format!(
        "# Generated by `cargo run --release --example train_notes -- {dir} {out}`:\n\
         # {n} training notes of {} writers, {epochs} epochs, rate {rate}, L2 {l2}; training accuracy {:.3}.\n\
         # Leave-one-writer-out, unshifted: {}\n\
         # Leave-one-writer-out, bias shifted by pitch {sp:+} personal {sq:+}: {}\n\
         # Columns: bucket, then the weight for {}, {}, {}. Do not edit by hand.\n",
        writers.len(),
        right as f64 / n as f64,
        plain.line(),
        best.line(),
        CLASSES[0],
        CLASSES[1],
        CLASSES[2]
    );
    text.push_str(&format!(
        "bias {:.4} {:.4} {:.4}\n",
        m.bias[0], m.bias[1], m.bias[2]
    ));
    for (b, wi) in m.w.iter().enumerate() {
        if wi.iter().any(|v| v.abs() >= 0.0005) {
            text.push_str(&format!("{b} {:.3} {:.3} {:.3}\n", wi[0], wi[1], wi[2]));
        }
    }
    std::fs::write(&out, text).expect("write the model");
    eprintln!(
        "{n} notes; unshifted {}; chosen (pitch {sp:+}, personal {sq:+}) {}; wrote {out}",
        plain.line(),
        best.line()
    );
}

/// Every pair of bias shifts (pitch, personal).
fn grid() -> impl Iterator<Item = (f32, f32)> {
    SHIFTS
        .iter()
        .flat_map(|p| SHIFTS.iter().map(move |q| (*p, *q)))
}

/// `m` with its pitch and personal biases moved by `sp` and `sq`.
fn shift(m: &Weights, sp: f32, sq: f32) -> Weights {
    Weights {
        bias: [m.bias[0] + sp, m.bias[1] + sq, m.bias[2]],
        w: m.w.clone(),
    }
}

fn class_of(c: tieaudit::notes::NoteClass) -> usize {
    match c {
        tieaudit::notes::NoteClass::Pitch => 0,
        tieaudit::notes::NoteClass::Personal => 1,
        _ => 2,
    }
}

/// What a confusion matrix (rows: truth, columns: guess) says.
#[derive(Clone, Copy)]
struct Figures {
    accuracy: f64,
    pitch_recall: f64,
    personal_precision: f64,
}

impl Figures {
    fn of(c: &[[usize; 3]; 3]) -> Figures {
        let total: usize = c.iter().flatten().sum();
        let right: usize = (0..3).map(|k| c[k][k]).sum();
        let guessed_personal: usize = (0..3).map(|j| c[j][1]).sum();
        Figures {
            accuracy: right as f64 / total.max(1) as f64,
            pitch_recall: c[0][0] as f64 / c[0].iter().sum::<usize>().max(1) as f64,
            personal_precision: c[1][1] as f64 / guessed_personal.max(1) as f64,
        }
    }

    fn line(&self) -> String {
        format!(
            "accuracy {:.3}, pitch recall {:.3}, personal precision {:.3}",
            self.accuracy, self.pitch_recall, self.personal_precision
        )
    }
}

/// Multinomial logistic regression by full-batch gradient descent with L2.
fn fit(data: &[&Note], epochs: usize, rate: f32, l2: f32) -> Weights {
    let mut w = vec![[0f32; 3]; BUCKETS];
    let mut bias = [0f32; 3];
    let n = data.len() as f32;
    for _ in 0..epochs {
        let mut gw = vec![[0f32; 3]; BUCKETS];
        let mut gb = [0f32; 3];
        for note in data {
            let scale = 1.0 / (note.feats.len().max(1) as f32).sqrt();
            let mut z = bias;
            for f in &note.feats {
                for k in 0..3 {
                    z[k] += w[*f as usize][k] * scale;
                }
            }
            let p = softmax(z);
            for k in 0..3 {
                let g = p[k] - if k == note.y { 1.0 } else { 0.0 };
                gb[k] += g;
                for f in &note.feats {
                    gw[*f as usize][k] += g * scale;
                }
            }
        }
        for k in 0..3 {
            bias[k] -= rate * gb[k] / n;
        }
        for (wi, gi) in w.iter_mut().zip(&gw) {
            for k in 0..3 {
                wi[k] -= rate * (gi[k] / n + l2 * wi[k]);
            }
        }
    }
    Weights { bias, w }
}

/// Labelled notes of some CSV files.
fn read(files: &[String]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for f in files {
        let mut r = csv::Reader::from_path(f).expect("corpus file");
        for rec in r.records() {
            let rec = rec.expect("corpus row");
            let y = CLASSES
                .iter()
                .position(|c| *c == &rec[2])
                .expect("a known label");
            out.push((rec[3].to_string(), y));
        }
    }
    out
}

fn eval(model: &str, files: &[String]) {
    let m = Weights::parse(&std::fs::read_to_string(model).expect("model"));
    let data = read(files);
    let report = |name: &str, guess: &dyn Fn(&str) -> usize| {
        let mut conf = [[0usize; 3]; 3];
        for (t, y) in &data {
            conf[*y][guess(t)] += 1;
        }
        let right: usize = (0..3).map(|k| conf[k][k]).sum();
        let mut line = format!(
            "{name:<10} accuracy {:.3}",
            right as f64 / data.len() as f64
        );
        for k in 0..3 {
            let predicted: usize = (0..3).map(|j| conf[j][k]).sum();
            let actual: usize = conf[k].iter().sum();
            line.push_str(&format!(
                "  {} P {:.2} R {:.2}",
                CLASSES[k],
                conf[k][k] as f64 / predicted.max(1) as f64,
                conf[k][k] as f64 / actual.max(1) as f64
            ));
        }
        println!("{line}");
    };
    report("rules", &|t| {
        class_of(tieaudit::notes::classify_by_rules(t))
    });
    report("model", &|t| {
        let p = m.probabilities(&features(&tieaudit::notes::normalised(t)));
        (0..3).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap_or(2)
    });
    report("combined", &|t| {
        class_of(tieaudit::notes::classify_with(t, &m))
    });
    if std::env::var_os("SHOW").is_some() {
        for (t, y) in &data {
            let p = m.probabilities(&features(&tieaudit::notes::normalised(t)));
            println!("{} {:?} {t}", CLASSES[*y], p);
        }
    }
}
