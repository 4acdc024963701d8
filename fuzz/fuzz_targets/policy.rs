//! Policy files: any text either is refused with a message or gives a
//! policy that validates, and scoring evidence with it never panics and
//! stays on the 0-100 scale.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(policy) = tieaudit::policy::Policy::from_toml(&text) else { return };
    assert!(policy.validate().is_ok());
    let as_of = tieaudit::dates::parse_date("2026-03-01").expect("a date");
    let mut ev = tieaudit::evidence::Evidence::default();
    ev.endorsements_received = 3;
    ev.in_address_book = true;
    let s = tieaudit::judge::score(&ev, &policy, as_of);
    assert!(s.score <= 100);
});
