//! messages.csv aggregation: never panics; accounting balances; the parallel
//! scan in small blocks gives what one pass gives, or declines.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use tieaudit::ingest::PersonMap as HashMap;
use tieaudit::ingest::messages::{OwnerId, messages, messages_parallel, most_frequent_url};
use tieaudit::ingest::{PersonKey, model::FileAccount, source::FileKind};

fuzz_target!(|data: &[u8]| {
    let owner = most_frequent_url(data).ok().and_then(|f| f.slug);
    let mut notes = HashMap::default();
    notes.insert(PersonKey::Slug("ann-lee".into()), vec!["hello".to_string()]);
    let mut a = FileAccount::new("messages.csv", FileKind::Messages);
    let id = OwnerId { slug: owner.as_deref(), name_key: Some("me") };
    let Ok((_, one)) = messages(data, &mut a, &id, &notes) else { return };
    assert!(a.balanced(), "{a:?}");
    let block = 1 + data.first().map_or(0, |b| *b as usize) % 64;
    let mut b = FileAccount::new("messages.csv", FileKind::Messages);
    if let Ok(Some((_, par))) = messages_parallel(data, block, &mut b, &id, &notes) {
        let show = |m: Vec<_>| format!("{:?}", m.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(show(one), show(par));
    }
});
