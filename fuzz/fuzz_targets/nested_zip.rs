//! Zips inside zips (its seeds are a `.zip.zip` and a zip nested twice):
//! one level is read, deeper nesting refused, all within the size budget.
//! Errors are fine; panics and runaway memory are bugs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tieaudit::ingest::{ingest_source, source::Source};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = Source::from_zip_bytes(std::path::Path::new("fuzz.zip.zip"), data.to_vec()) else {
        return;
    };
    let mut timings = Vec::new();
    if let Ok(ex) = ingest_source(&src, &mut timings) {
        for f in &ex.files {
            assert!(f.balanced(), "{f:?}");
        }
    }
});
