//! messages.csv aggregation: never panics; accounting balances.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use tieaudit::ingest::messages::{OwnerId, messages, most_frequent_url};
use tieaudit::ingest::{PersonKey, model::FileAccount, source::FileKind};

fuzz_target!(|data: &[u8]| {
    let owner = most_frequent_url(data).ok().flatten();
    let mut notes = HashMap::new();
    notes.insert(PersonKey::Slug("ann-lee".into()), vec!["hello".to_string()]);
    let mut a = FileAccount::new("messages.csv", FileKind::Messages);
    let id = OwnerId { slug: owner.as_deref(), name_key: Some("me") };
    if messages(data, &mut a, &id, &notes).is_ok() {
        assert!(a.balanced(), "{a:?}");
    }
});
