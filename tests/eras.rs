//! Every era fixture, audited by the real binary: exact accounting, joins and
//! the owner, as checked by hand against the fixture files.

mod common;
use common::*;

fn skipped(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn era_2018_utf16_tab_separated() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("export");
    copy_fixture("era2018", &ex, true);
    let j = audit_ok(&ex, &t.path().join("out"), &[]);
    assert_eq!(
        account(&j, "Connections.csv"),
        (
            4,
            3,
            skipped(&[("no name: a deleted or hidden member (date only)", 1)])
        )
    );
    assert_eq!(
        account(&j, "Messages.csv"),
        (3, 2, skipped(&[("spam folder", 1)]))
    );
    assert_eq!(account(&j, "Invitations.csv"), (2, 2, vec![]));
    let f = &j["files"].as_array().unwrap()[0];
    assert_eq!(f["encoding"], "utf16-le-bom");
    assert_eq!(f["delimiter"], "tab");
    assert_eq!(j["owner"]["first_name"], "Owen");
    // Bo "Ng, PhD" joins the invitation from "Bo Ng" by name; Ann's messages by name.
    assert_eq!(j["joins"]["invitations"]["by_name"], 1);
    assert_eq!(j["joins"]["message_people"]["by_name"], 1);
    assert_eq!(j["connected_from"], "2016-03-03");
    assert_eq!(j["connected_to"], "2018-01-08");
}

#[test]
fn era_2021_preamble_no_urls_owner_from_messages() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let j = audit_ok(&fixture("era2021"), &out, &[]);
    assert_eq!(account(&j, "Connections.csv"), (3, 3, vec![]));
    assert_eq!(
        account(&j, "messages.csv"),
        (
            5,
            3,
            skipped(&[
                (
                    "sender without a profile (LinkedIn Member or closed account)",
                    1
                ),
                ("sponsored message", 1)
            ])
        )
    );
    assert_eq!(j["owner"]["slug"], "owen-owner");
    assert_eq!(j["joins"]["message_people"]["by_name"], 2);
    let rows = read_csv(&out.join("connections.csv"));
    let eli = rows.iter().find(|r| r["first_name"] == "Eli").unwrap();
    assert_eq!(eli["connected_on"], "2021-02-06", "Excel re-saved date");
    assert_eq!(eli["messages_sent"], "1");
    let dana = rows.iter().find(|r| r["first_name"] == "Dana").unwrap();
    assert_eq!(dana["two_way"], "yes");
    assert_eq!(dana["decision"], "keep");
}

#[test]
fn era_2023_urns_percent_encoding_duplicates() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let j = audit_ok(&fixture("era2023"), &out, &[]);
    assert_eq!(
        account(&j, "Connections.csv"),
        (
            4,
            2,
            skipped(&[
                ("duplicate profile URL (first on line 6)", 1),
                ("no name: a deleted or hidden member (date only)", 1)
            ])
        )
    );
    assert_eq!(account(&j, "Endorsement_Received_Info.csv"), (2, 2, vec![]));
    // Raw-Unicode endorsement URL (no scheme) joins the percent-encoded Connections URL.
    assert_eq!(j["joins"]["endorsements"]["by_slug"], 1);
    // URN columns cannot be joined offline: the invitation joins by name.
    assert_eq!(j["joins"]["invitations"]["by_name"], 1);
    let rows = read_csv(&out.join("connections.csv"));
    let jorg = rows.iter().find(|r| r["first_name"] == "Jörg").unwrap();
    assert_eq!(
        (
            jorg["invitation_note"].as_str(),
            jorg["decision"].as_str(),
            jorg["endorsements_received"].as_str()
        ),
        ("personal", "keep", "2")
    );
}

#[test]
fn era_2026_quoted_multiline_crlf_zip() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("export");
    copy_fixture("era2026", &ex, false);
    let zip = t
        .path()
        .join("Complete_LinkedInDataExport_03-02-2026.zip.zip");
    zip_dir(&ex, &zip);
    let out = t.path().join("out");
    let j = audit_ok(&zip, &out, &[]);
    assert_eq!(j["form"], "zip");
    assert_eq!(
        account(&j, "messages.csv"),
        (
            4,
            2,
            skipped(&[
                ("draft", 1),
                ("invitation note repeated as a message (counted once)", 1)
            ])
        )
    );
    assert_eq!(account(&j, "ImportedContacts.csv"), (1, 1, vec![]));
    assert_eq!(j["ignored"][0]["name"], "guide_messages.csv");
    assert_eq!(j["owner"]["slug"], "pat-owner");
    assert_eq!(j["joins"]["message_people"]["by_slug"], 3);
    let rows = read_csv(&out.join("connections.csv"));
    let ivo = rows.iter().find(|r| r["first_name"] == "Ivo").unwrap();
    assert_eq!(ivo["group_messages"], "1");
    let jun = rows.iter().find(|r| r["first_name"] == "Jun").unwrap();
    // In the group thread but wrote nothing there: no group messages of theirs.
    assert_eq!(
        (
            jun["in_address_book"].as_str(),
            jun["group_messages"].as_str()
        ),
        ("yes", "0")
    );
    let inv = read_csv(&out.join("invitations.csv"));
    let zed = inv.iter().find(|r| r["name"] == "Zed Cold").unwrap();
    assert_eq!(
        (
            zed["status"].as_str(),
            zed["action"].as_str(),
            zed["note"].as_str()
        ),
        ("pending", "ignore", "none")
    );
    let ivo_inv = inv.iter().find(|r| r["name"] == "Ivo Sample").unwrap();
    assert_eq!(
        (
            ivo_inv["direction"].as_str(),
            ivo_inv["status"].as_str(),
            ivo_inv["sent_at"].as_str()
        ),
        ("outgoing", "accepted", "2026-02-14T16:00:00")
    );
}
