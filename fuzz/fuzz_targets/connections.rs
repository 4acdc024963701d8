//! Connections.csv parser: never panics; accounting balances.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tieaudit::ingest::{files, model::FileAccount, source::FileKind};

fuzz_target!(|data: &[u8]| {
    let mut a = FileAccount::new("Connections.csv", FileKind::Connections);
    if files::connections(data, &mut a).is_ok() {
        assert!(a.balanced(), "{a:?}");
    }
});
