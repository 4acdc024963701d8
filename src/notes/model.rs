//! A small linear model over a note's words and letters: multinomial
//! logistic regression on hashed word unigrams, word bigrams and character
//! 3-, 4- and 5-grams of the normalised text, what the phrase lists found
//! (as levels) and a few signs that hold in any language (a link, a price,
//! a phone number). It is trained on the training part of the hand-written
//! corpus (`tests/notes/train/`) by
//! `cargo run --release --example train_notes`, which writes `model.txt`
//! beside this file; the held-out part never reaches it.
//!
//! The phrase lists say what a note does in words a reader can check; the
//! model weighs them against the wordings they miss. [`super::classify`]
//! takes the model's most probable class; the biases carry the operating
//! point the trainer chose by cross-validation over writers.

use std::sync::LazyLock;

/// Size of the hashed feature space.
pub const BUCKETS: usize = 1 << 15;
/// The classes, in the order of the model's columns.
pub const CLASSES: [&str; 3] = ["pitch", "personal", "default"];

/// The buckets of a normalised text's features, sorted, each once.
pub fn features(t: &str) -> Vec<u32> {
    features_with(t, super::phrase_scores(t))
}

/// [`features`], given what the phrase lists found (pitch and context
/// weights), so a text is searched for them once.
pub fn features_with(t: &str, (pitch, context): (i32, i32)) -> Vec<u32> {
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<u32> = Vec::with_capacity(words.len() * 8);
    // The word between spaces, and where each of its characters starts.
    let mut padded = String::new();
    let mut starts: Vec<usize> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        out.push(bucket(1, w.as_bytes(), b""));
        if let Some(next) = words.get(i + 1) {
            out.push(bucket(2, w.as_bytes(), next.as_bytes()));
        }
        padded.clear();
        padded.push(' ');
        padded.push_str(w);
        padded.push(' ');
        starts.clear();
        starts.extend(padded.char_indices().map(|(k, _)| k));
        starts.push(padded.len());
        // Each run of three, four and five characters, as its UTF-8 bytes
        // (a feature kind per length: 5, 3 and 4, as the model was trained).
        for (kind, n) in [(5u8, 3usize), (3, 4), (4, 5)] {
            for k in 0..starts.len().saturating_sub(n) {
                out.push(bucket(
                    kind,
                    &padded.as_bytes()[starts[k]..starts[k + n]],
                    b"",
                ));
            }
        }
    }
    // What the phrase lists found, as levels.
    let level = |n: i32| n.clamp(-1, 4).to_string();
    out.push(bucket(10, b"pitch", level(pitch).as_bytes()));
    out.push(bucket(10, b"context", level(context).as_bytes()));
    // Signs that hold in any language.
    for (sign, on) in [
        ("link", super::has_sales_link(t)),
        ("price", super::has_price(t)),
        ("phone", super::has_phone_number(t)),
        ("question", t.contains('?')),
        ("digits", t.chars().any(|c| c.is_ascii_digit())),
        ("short", !words.is_empty() && words.len() <= 5),
        ("long", words.len() >= 40),
    ] {
        if on {
            out.push(bucket(9, sign.as_bytes(), b""));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a of a feature kind and its bytes, folded into [`BUCKETS`].
fn bucket(kind: u8, a: &[u8], b: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for byte in [kind, b'|'].iter().chain(a).chain(b" ").chain(b) {
        h ^= u32::from(*byte);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % BUCKETS as u32
}

/// Weights per bucket and class, and a bias per class.
pub struct Weights {
    pub bias: [f32; 3],
    pub w: Vec<[f32; 3]>,
}

impl Weights {
    /// Class probabilities of a text's features. Features are weighted
    /// 1/sqrt(n), so a long note does not outvote a short one.
    pub fn probabilities(&self, feats: &[u32]) -> [f32; 3] {
        let scale = if feats.is_empty() {
            0.0
        } else {
            1.0 / (feats.len() as f32).sqrt()
        };
        let mut z = self.bias;
        for f in feats {
            if let Some(w) = self.w.get(*f as usize) {
                for k in 0..3 {
                    z[k] += w[k] * scale;
                }
            }
        }
        softmax(z)
    }

    /// Read `model.txt`: a `bias` line, then `bucket w0 w1 w2` lines;
    /// `#` lines are comments. Lines that do not read leave their bucket
    /// at zero (the file is generated, so that is a bug, caught by a test).
    pub fn parse(text: &str) -> Weights {
        let mut out = Weights {
            bias: [0.0; 3],
            w: vec![[0.0; 3]; BUCKETS],
        };
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut parts = line.split_whitespace();
            let head = parts.next();
            let vals: Vec<f32> = parts.filter_map(|p| p.parse().ok()).collect();
            let Ok(v) = <[f32; 3]>::try_from(vals.as_slice()) else {
                continue;
            };
            match head {
                Some("bias") => out.bias = v,
                Some(b) => {
                    if let Some(slot) = b.parse::<usize>().ok().and_then(|b| out.w.get_mut(b)) {
                        *slot = v;
                    }
                }
                None => {}
            }
        }
        out
    }
}

pub fn softmax(z: [f32; 3]) -> [f32; 3] {
    let m = z.iter().copied().fold(f32::MIN, f32::max);
    let e = z.map(|v| (v - m).exp());
    let s: f32 = e.iter().sum();
    e.map(|v| v / s)
}

/// The committed model.
pub static MODEL: LazyLock<Weights> = LazyLock::new(|| Weights::parse(include_str!("model.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_model_reads_whole() {
        let text = include_str!("model.txt");
        let lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        let m = Weights::parse(text);
        let set = m.w.iter().filter(|w| w.iter().any(|v| *v != 0.0)).count();
        // Every line but the bias line filled a bucket.
        assert_eq!(set + 1, lines);
        assert!(m.bias.iter().any(|b| *b != 0.0));
    }

    #[test]
    fn features_are_sorted_and_bounded() {
        let f = features("hi ann, we met at the lyon meetup");
        assert!(f.windows(2).all(|w| w[0] < w[1]));
        assert!(f.iter().all(|b| (*b as usize) < BUCKETS));
        // An empty text has only the phrase lists' levels (both 0).
        assert_eq!(features("").len(), 2);
    }
}
