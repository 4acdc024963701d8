//! Invariants on arbitrary input: parsers never panic, and every row read is
//! either used or skipped with a reason.

use proptest::prelude::*;
use tieaudit::ingest::PersonMap as HashMap;
use tieaudit::ingest::files;
use tieaudit::ingest::messages::{self, OwnerId};
use tieaudit::ingest::model::FileAccount;
use tieaudit::ingest::source::FileKind;

/// Bytes that look enough like an export file to get past the header often.
fn csvish(header: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        Just(String::new()),
        "[a-zA-Z ,\"\n\r\t%/:;=+@-]{0,12}",
        Just("https://www.linkedin.com/in/ann-lee".to_string()),
        Just("07 Mar 2024".to_string()),
        Just("2024-06-11 15:33:58 UTC".to_string()),
        Just("INCOMING".to_string()),
        Just("\u{fffd}王👩‍💻".to_string()),
    ];
    (
        proptest::collection::vec(proptest::collection::vec(cell, 0..9), 0..12),
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(move |(rows, crlf, junk)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut s = format!("Notes:{nl}\"x\"{nl}{nl}{header}{nl}").into_bytes();
            for r in rows {
                s.extend_from_slice(r.join(",").as_bytes());
                s.extend_from_slice(nl.as_bytes());
            }
            s.extend_from_slice(&junk);
            s
        })
}

/// messages.csv read in one pass and in blocks of `block` bytes: the
/// accounting and the per-person figures, as text.
fn both_ways(bytes: &[u8], block: usize) -> (String, Option<String>) {
    let owner = OwnerId {
        slug: Some("alex-sample-0a1b2c"),
        name_key: Some("alex sample"),
    };
    let notes = HashMap::default();
    let show = |a: &FileAccount, m: Vec<_>| {
        format!(
            "{a:?}\n{:?}",
            m.into_iter().collect::<std::collections::BTreeMap<_, _>>()
        )
    };
    let mut a = FileAccount::new("messages.csv", FileKind::Messages);
    let one = messages::messages(bytes, &mut a, &owner, &notes)
        .map(|(_, m)| show(&a, m))
        .unwrap_or_default();
    let mut b = FileAccount::new("messages.csv", FileKind::Messages);
    let par = messages::messages_parallel(bytes, block, &mut b, &owner, &notes)
        .unwrap()
        .map(|(_, m)| show(&b, m));
    (one, par)
}

#[test]
fn the_sample_in_blocks_matches_one_pass() {
    let bytes = std::fs::read("sample-data/export/messages.csv").unwrap();
    for block in [512, 4096, 1 << 20] {
        let (one, par) = both_ways(&bytes, block);
        assert_eq!(Some(one), par, "block {block}");
    }
}

/// Found by the `messages` fuzz target: a field read only when a worker
/// needed it (a name it had not seen yet) made the UTF-8 warning count depend
/// on how the file was cut into blocks.
#[test]
fn utf8_warnings_do_not_depend_on_the_blocks() {
    let bytes =
        std::fs::read("tests/fixtures/regressions/messages-utf8-warning-order.csv").unwrap();
    for block in [4, 64, 4096] {
        let (one, par) = both_ways(&bytes, block);
        if let Some(par) = par {
            assert_eq!(one, par, "block {block}");
        }
    }
}

fn balanced(a: &FileAccount) {
    assert_eq!(a.rows_used + a.skipped_total(), a.rows_read, "{a:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn connections_never_panic_and_balance(bytes in csvish("First Name,Last Name,URL,Email Address,Company,Position,Connected On")) {
        let mut a = FileAccount::new("Connections.csv", FileKind::Connections);
        if files::connections(&bytes[..], &mut a).is_ok() { balanced(&a); }
    }

    #[test]
    fn invitations_never_panic_and_balance(bytes in csvish("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl")) {
        let mut a = FileAccount::new("Invitations.csv", FileKind::Invitations);
        if files::invitations(&bytes[..], &mut a).is_ok() { balanced(&a); }
    }

    #[test]
    fn messages_never_panic_and_balance(bytes in csvish("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER")) {
        let mut a = FileAccount::new("messages.csv", FileKind::Messages);
        let owner = OwnerId { slug: Some("ann-lee"), name_key: None };
        if messages::messages(&bytes[..], &mut a, &owner, &HashMap::default()).is_ok() { balanced(&a); }
    }

    /// The parallel scan, in blocks small enough to cut between most rows,
    /// gives what the sequential one gives, or declines.
    #[test]
    fn messages_in_blocks_match_one_pass(
        bytes in csvish("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER"),
        block in 1usize..200,
    ) {
        let (one, par) = both_ways(&bytes, block);
        if let Some(par) = par {
            prop_assert_eq!(one, par);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut a = FileAccount::new("Connections.csv", FileKind::Connections);
        if files::connections(&bytes[..], &mut a).is_ok() { balanced(&a); }
        let mut b = FileAccount::new("Endorsement_Received_Info.csv", FileKind::EndorsementsReceived);
        if files::endorsements(&bytes[..], &mut b, false).is_ok() { balanced(&b); }
        let _ = tieaudit::notes::classify(&String::from_utf8_lossy(&bytes));
        let _ = tieaudit::dates::parse_datetime(&String::from_utf8_lossy(&bytes));
        let _ = tieaudit::identity::slug_from_url(&String::from_utf8_lossy(&bytes));
    }
}
