//! Endorsements, recommendations, profile, positions, education and contacts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tieaudit::ingest::{files, model::FileAccount, source::FileKind};

fuzz_target!(|data: &[u8]| {
    let check = |a: &FileAccount| assert!(a.balanced(), "{a:?}");
    let mut a = FileAccount::new("e", FileKind::EndorsementsReceived);
    if files::endorsements(data, &mut a, false).is_ok() { check(&a) }
    let mut a = FileAccount::new("r", FileKind::RecommendationsReceived);
    if files::recommendations(data, &mut a).is_ok() { check(&a) }
    let mut a = FileAccount::new("p", FileKind::Profile);
    if files::profile(data, &mut a).is_ok() { check(&a) }
    let mut a = FileAccount::new("t", FileKind::Positions);
    if files::tenures(data, &mut a, false).is_ok() { check(&a) }
    let mut a = FileAccount::new("s", FileKind::Education);
    if files::tenures(data, &mut a, true).is_ok() { check(&a) }
    let mut a = FileAccount::new("c", FileKind::Contacts);
    if files::contacts(data, &mut a).is_ok() { check(&a) }
});
