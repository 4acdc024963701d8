//! Note classification and the other text helpers on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let _ = tieaudit::notes::classify(data);
    let _ = tieaudit::notes::pitch_score(data);
    let _ = tieaudit::identity::slug_from_url(data);
    let _ = tieaudit::dates::parse_datetime(data);
    let _ = tieaudit::text::html_to_text(data);
    let _ = tieaudit::identity::org_key(data);
});
