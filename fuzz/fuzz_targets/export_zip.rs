//! The whole export from zip bytes: open, ingest, join, judge. Errors are
//! fine; panics are bugs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tieaudit::ingest::{ingest_source, source::Source};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = Source::from_zip_bytes(std::path::Path::new("fuzz.zip"), data.to_vec()) else { return };
    let mut timings = Vec::new();
    let Ok(mut ex) = ingest_source(&src, &mut timings) else { return };
    for f in &ex.files {
        assert!(f.balanced(), "{f:?}");
    }
    let as_of = tieaudit::judge::export_as_of(&ex).unwrap_or_default();
    let joined = tieaudit::evidence::join(&mut ex);
    let policy = tieaudit::policy::Policy::default();
    for (c, ev) in ex.connections.iter().zip(&joined.evidence) {
        let s = tieaudit::judge::score(ev, &policy, as_of);
        assert!(s.score <= 100);
        let _ = tieaudit::judge::decide(c, ev, s, tieaudit::judge::Coverage::High, false, &policy, as_of);
    }
});
