//! The sample's random stream.

use chrono::{Duration, NaiveDate, NaiveDateTime};

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
