//! One regression test per pattern that made verdicts unsafe to follow on
//! real exports (the verdicts issue, points 1 to 9). Each export is written
//! here, small and synthetic, with the same shape of problem.

mod common;
use common::*;
use std::collections::HashMap;

type Row = HashMap<String, String>;

const PROFILE: &str = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\nOwen,Owner,,,,Example,,,,,,,\n";
/// Connections.csv of the URL-less era (2020 to 2022).
const CONN_2021: &str = "First Name,Last Name,Email Address,Company,Position,Connected On\n";
const CONN_2023: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
const MSG_2021: &str =
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n";
const MSG_2023: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n";
const INV: &str = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n";
const OWNER_URL: &str = "https://www.linkedin.com/in/owen-owner";

fn url(slug: &str) -> String {
    format!("https://www.linkedin.com/in/{slug}")
}

/// Write the files, audit them, and return the connections and
/// invitations by first name, with ingest.json.
fn audit(files: &[(&str, String)]) -> (HashMap<String, Row>, Vec<Row>, serde_json::Value) {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("export");
    std::fs::create_dir_all(&ex).unwrap();
    for (name, body) in files {
        std::fs::write(ex.join(name), body).unwrap();
    }
    let out = t.path().join("out");
    let j = audit_ok(&ex, &out, &[]);
    let conns = read_csv(&out.join("connections.csv"))
        .into_iter()
        .map(|r| (r["first_name"].trim().to_string(), r))
        .collect();
    let invs = read_csv(&out.join("invitations.csv"));
    (conns, invs, j)
}

/// Two messages both ways between the owner and Zed Example on `day` (2023
/// era): enough for the owner to be found and messages to be read.
fn zed(conv: &str, day: &str) -> String {
    let u = url("zed-example");
    format!(
        "{conv},,Zed Example,{u},Owen Owner,{OWNER_URL},{day} 10:00:00 UTC,,Hello,INBOX\n\
         {conv},,Owen Owner,{OWNER_URL},Zed Example,{u},{day} 11:00:00 UTC,,Hi,INBOX\n"
    )
}

/// A two-way one-to-one exchange between the owner and `name` (2021 era,
/// sender URLs only).
fn talk_2021(conv: &str, name: &str, slug: &str) -> String {
    format!(
        "{conv},,{name},{},Owen Owner,2021-05-01 10:00:00 UTC,,Are we still on for Friday?,INBOX\n\
         {conv},,Owen Owner,{OWNER_URL},{name},2021-05-01 11:00:00 UTC,,Yes - see you there.,INBOX\n",
        url(slug)
    )
}

/// Pattern 1: Names with credentials written one way in Connections.csv and
/// another in messages.csv and Invitations.csv still join in an export
/// without URLs: people the owner talks to are kept, and their invitation
/// shows as accepted.
#[test]
fn decorated_names_join_across_files() {
    let people = [
        ("Ada", "\"Obi, MBA\"", "Ada Obi", "ada-obi"),
        (
            "Tunde",
            "\"Bello (CMRP, COSHH)\"",
            "Tunde Bello",
            "tunde-bello",
        ),
        ("V.", "\"Rao, PhD, PMP\"", "V. Rao", "v-rao"),
        ("Dr. Lena", "Kraus", "Lena Kraus", "lena-kraus"),
        ("Kim", "Lee 🌱", "Kim Lee", "kim-lee"),
        ("Sam", "Ortiz | Data", "Sam Ortiz", "sam-ortiz"),
        ("José", "Peña", "Jose Pena", "jose-pena"),
    ];
    let mut conn = CONN_2021.to_string();
    let mut msgs = MSG_2021.to_string();
    for (i, (first, last, written, slug)) in people.iter().enumerate() {
        conn.push_str(&format!(
            "{first},{last},,Globex,Engineer,0{} Mar 2020\n",
            i + 1
        ));
        msgs.push_str(&talk_2021(&format!("c{i}"), written, slug));
    }
    let inv =
        "From,To,Sent At,Message,Direction\nAda Obi,Owen Owner,\"3/1/21, 9:00 AM\",,INCOMING\n"
            .to_string();
    let (conns, invs, j) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
        ("Invitations.csv", inv),
    ]);
    for (first, ..) in people {
        let r = &conns[first];
        assert_eq!(r["two_way"], "yes", "{first}: {r:?}");
        assert_eq!(r["decision"], "keep", "{first}: {r:?}");
    }
    assert_eq!(j["joins"]["message_people"]["unmatched"], 0);
    assert_eq!(invs[0]["status"], "accepted", "{:?}", invs[0]);
    assert_eq!(invs[0]["action"], "none");
}

/// Pattern 2: Two connections share a name: the messages could belong to either,
/// so both go to review with the clash named, never to unlink.
#[test]
fn ambiguous_name_joins_go_to_review_with_the_clash_named() {
    let conn = format!(
        "{CONN_2021}Sam,Lee,,Globex,Engineer,01 Mar 2020\nSam,Lee,,Initech,Analyst,02 Mar 2020\n\
         Other,Person,,Hooli,PM,03 Mar 2020\n"
    );
    let mut msgs = MSG_2021.to_string();
    msgs.push_str(&talk_2021("c1", "Sam Lee", "sam-lee-1"));
    msgs.push_str(&talk_2021("c2", "Other Person", "other-person"));
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("export");
    std::fs::create_dir_all(&ex).unwrap();
    for (name, body) in [
        ("Profile.csv", PROFILE.to_string()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
    ] {
        std::fs::write(ex.join(name), body).unwrap();
    }
    let j = audit_ok(&ex, &t.path().join("out"), &[]);
    let rows = read_csv(&t.path().join("out/connections.csv"));
    let sams: Vec<&Row> = rows.iter().filter(|r| r["first_name"] == "Sam").collect();
    assert_eq!(sams.len(), 2);
    assert_eq!(j["joins"]["message_people"]["ambiguous"], 1);
    for r in sams {
        assert_eq!(r["decision"], "review", "{r:?}");
        assert!(
            r["reasons"]
                .contains("2 connections are named Sam Lee; 2 messages could belong to either"),
            "{r:?}"
        );
    }
}

/// Pattern 3: A unique name join is an ordinary join: no "ambiguous" label, no
/// review for it.
#[test]
fn a_unique_name_join_is_an_ordinary_join() {
    let conn = format!("{CONN_2021}Dana,Example,,Globex,Designer,07 Mar 2020\n");
    let msgs = format!(
        "{MSG_2021}{}",
        talk_2021("c1", "Dana Example", "dana-example")
    );
    let (conns, _, j) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
    ]);
    let r = &conns["Dana"];
    assert_eq!(r["decision"], "keep", "{r:?}");
    assert!(!r["reasons"].contains("ambiguous"), "{r:?}");
    assert_eq!(j["joins"]["message_people"]["by_name"], 1);
    assert_eq!(j["matched_by_name"], true);
}

/// Pattern 4: An undated Education row, or one with a start and no end, matches
/// nothing; and timing alone never keeps anyone out of unlink.
#[test]
fn undated_education_matches_nothing() {
    let conn = format!(
        "{CONN_2023}Una,Known,{},,Hooli,PM,01 Mar 2015\nIvo,Alsoknown,{},,Hooli,PM,01 Mar 2012\n",
        url("una-known"),
        url("ivo-alsoknown")
    );
    let edu = "School Name,Start Date,End Date,Notes,Degree Name,Activities\n\
               Example University,,,,,\nTrailhead Example,Nov 2011,,,,\n\
               Old School,2010,2013,,BSc,\n";
    let msgs = format!("{MSG_2023}{}", zed("c1", "2024-05-01"));
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Education.csv", edu.into()),
        ("messages.csv", msgs),
    ]);
    let una = &conns["Una"];
    assert_eq!(una["connected_during_studies"], "", "{una:?}");
    assert_eq!(una["decision"], "unlink", "{una:?}");
    // Dated studies are shown, but timing alone scores nothing.
    let ivo = &conns["Ivo"];
    assert_eq!(ivo["connected_during_studies"], "Old School", "{ivo:?}");
    assert_eq!(ivo["context"], "none", "{ivo:?}");
    assert_eq!(ivo["decision"], "unlink", "{ivo:?}");
    assert!(ivo["reasons"].contains("supporting only"), "{ivo:?}");
}

/// Pattern 5: A friendly pitch that greets by name and mentions the recipient's
/// company is a pitch, and a pitch is never accepted.
#[test]
fn a_friendly_pitch_is_never_accepted() {
    let notes = [
        "Hi Owen, I noticed your company is growing fast. We help teams like yours cut onboarding time in half. Worth a quick chat?",
        "Hi Owen, love your profile! Can I have 5 minutes to tell you about a role that fits you perfectly?",
        "Hallo Owen, wir helfen Teams wie Ihrem, Kosten zu senken. Haben Sie diese Woche Zeit für ein kurzes Gespräch?",
    ];
    let mut inv = INV.to_string();
    for (i, n) in notes.iter().enumerate() {
        inv.push_str(&format!(
            "Pat Seller{i},Owen Owner,\"3/{}/26, 9:00 AM\",\"{n}\",INCOMING,{},{OWNER_URL}\n",
            i + 1,
            url(&format!("pat-seller-{i}"))
        ));
    }
    let conn = format!(
        "{CONN_2023}Any,One,{},,Hooli,PM,01 Mar 2020\n",
        url("any-one")
    );
    let (_, invs, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Invitations.csv", inv),
    ]);
    assert_eq!(invs.len(), 3);
    for r in &invs {
        assert_eq!(r["note"], "pitch", "{r:?}");
        assert_eq!(r["action"], "ignore", "{r:?}");
    }
}

/// Pattern 6: A note the owner pasted to many people with the name swapped is a
/// template: it keeps no one, and the reason says so.
#[test]
fn copy_paste_notes_are_templates() {
    let mut inv = INV.to_string();
    let mut conn = CONN_2023.to_string();
    for (i, first) in ["Ann", "Bob", "Cid", "Dee"].iter().enumerate() {
        let slug = format!("{}-x", first.to_lowercase());
        inv.push_str(&format!(
            "Owen Owner,{first} X,\"1/{}/26, 9:00 AM\",\"Hi {first}, we met at the Lyon data meetup last week - let's stay in touch!\",OUTGOING,{OWNER_URL},{}\n",
            i + 1,
            url(&slug)
        ));
        conn.push_str(&format!(
            "{first},X,{},,Hooli,PM,0{} Jan 2026\n",
            url(&slug),
            i + 2
        ));
    }
    let msgs = format!("{MSG_2023}{}", zed("c1", "2026-05-01"));
    let (conns, invs, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Invitations.csv", inv),
        ("messages.csv", msgs),
    ]);
    for r in &invs {
        assert_eq!(r["note"], "default", "{r:?}");
        assert!(
            r["reasons"].contains("the same note went to 4 people"),
            "{r:?}"
        );
    }
    for first in ["Ann", "Bob", "Cid", "Dee"] {
        assert_ne!(conns[first]["decision"], "keep", "{:?}", conns[first]);
    }
}

/// Pattern 7: One-sided outreach is at most a weak tie, with a reason.
#[test]
fn one_sided_outreach_is_at_most_weak() {
    let mut msgs = MSG_2023.to_string();
    for d in 1..=22 {
        msgs.push_str(&format!(
            "c1,,Owen Owner,{OWNER_URL},Quiet Person,{},2025-{:02}-{:02} 10:00:00 UTC,,Hi again,INBOX\n",
            url("quiet-person"),
            1 + d % 12,
            1 + d
        ));
    }
    msgs.push_str(&zed("c2", "2025-05-01"));
    let conn = format!(
        "{CONN_2023}Quiet,Person,{},,Hooli,PM,01 Mar 2020\n",
        url("quiet-person")
    );
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
    ]);
    let r = &conns["Quiet"];
    assert_eq!(r["context"], "weak", "{r:?}");
    assert_eq!(r["decision"], "review", "{r:?}");
    assert!(
        r["reasons"].contains("you wrote 22 times, no reply"),
        "{r:?}"
    );
}

/// Pattern 8: An owner who cannot be found with confidence is reported, coverage
/// is low, and an Invitations.csv that never names the owner gets no
/// actions.
#[test]
fn an_uncertain_owner_is_reported_not_guessed() {
    let mut msgs = MSG_2023.to_string();
    for i in 0..12 {
        msgs.push_str(&format!(
            "m{i},,LinkedIn Member,,LinkedIn Member,,2025-03-{:02} 10:00:00 UTC,,Hello,INBOX\n",
            i + 1
        ));
    }
    msgs.push_str(&format!(
        "x1,,One Off,{},LinkedIn Member,,2025-04-01 10:00:00 UTC,,Hi there,INBOX\n",
        url("one-off")
    ));
    let inv = format!(
        "{INV}Course Dummy,Someone Else,\"3/1/26, 9:00 AM\",,OUTGOING,{},{}\n\
         Another Person,Course Dummy,\"3/2/26, 9:00 AM\",,INCOMING,{},{}\n",
        url("course-dummy"),
        url("someone-else"),
        url("another-person"),
        url("course-dummy")
    );
    let conn = format!(
        "{CONN_2023}Una,Known,{},,Hooli,PM,01 Mar 2020\n",
        url("una-known")
    );
    let (conns, invs, j) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
        ("Invitations.csv", inv),
    ]);
    assert_ne!(j["owner"]["slug"], "one-off", "{}", j["owner"]);
    assert_eq!(j["owner"]["confident"], false, "{}", j["owner"]);
    let problems = j["owner"]["problems"].to_string();
    assert!(problems.contains("have no sender profile"), "{problems}");
    assert_eq!(j["owner"]["invitations_name_owner"], false);
    assert_eq!(conns["Una"]["coverage"], "low");
    assert_ne!(conns["Una"]["decision"], "unlink");
    for r in &invs {
        assert_eq!(r["action"], "none", "{r:?}");
    }
}

/// Pattern 9: Decisive: no context past the 90-day grace period is unlink, a pitch
/// alone at any age, and review is left for the young.
#[test]
fn no_context_past_the_grace_period_is_unlink() {
    let conn = format!(
        "{CONN_2023}Old,Stranger,{},,Hooli,PM,01 Nov 2025\nNew,Stranger,{},,Hooli,PM,15 Feb 2026\n\
         Fresh,Pitcher,{},,Growth Inc,Sales,25 Feb 2026\n",
        url("old-stranger"),
        url("new-stranger"),
        url("fresh-pitcher")
    );
    let msgs = format!(
        "{MSG_2023}c1,,Fresh Pitcher,{},Owen Owner,{OWNER_URL},2026-02-26 10:00:00 UTC,,\"Thanks for connecting! We help SaaS teams boost revenue with our platform. Book a demo: calendly.com/x\",INBOX\n\
         {}",
        url("fresh-pitcher"),
        zed("c2", "2026-03-01")
    );
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
    ]);
    assert_eq!(conns["Old"]["decision"], "unlink", "{:?}", conns["Old"]);
    assert_eq!(conns["New"]["decision"], "review", "{:?}", conns["New"]);
    assert!(conns["New"]["reasons"].contains("grace period 90 days"));
    assert_eq!(conns["Fresh"]["decision"], "unlink", "{:?}", conns["Fresh"]);
}

/// Found by trying the tool as a new user: an open-ended course listed
/// after the current job does not end the job; colleagues there are kept.
#[test]
fn an_open_ended_course_does_not_end_the_current_job() {
    let conn = format!(
        "{CONN_2023}Meera,Shah,{},,Quillon Labs,Engineer,01 Mar 2024\n",
        url("meera-shah")
    );
    let pos = "Company Name,Title,Description,Location,Started On,Finished On\n\
               Old Corp,Analyst,,,Jan 2015,Dec 2019\nQuillon Labs,Lead,,,Jan 2020,\n\
               Trailhead by Salesforce,Learner,,,Nov 2024,\n";
    let msgs = format!("{MSG_2023}{}", zed("c1", "2026-02-01"));
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Positions.csv", pos.into()),
        ("messages.csv", msgs),
    ]);
    let r = &conns["Meera"];
    assert_eq!(r["shared_employer"], "Quillon Labs", "{r:?}");
    assert_eq!(r["decision"], "keep", "{r:?}");
}

/// Found by trying the tool as a new user: a friendly unanswered ask for
/// coffee is not a sales pitch, and does not unlink at any age.
#[test]
fn a_friendly_ask_is_not_a_pitch() {
    let conn = format!(
        "{CONN_2023}Marta,Lind,{},,Hooli,PM,20 Jan 2026\n",
        url("marta-lind")
    );
    let msgs = format!(
        "{MSG_2023}c1,,Marta Lind,{},Owen Owner,{OWNER_URL},2026-02-01 10:00:00 UTC,,\"Hey Owen, fancy a coffee next week?\",INBOX\n\
         {}",
        url("marta-lind"),
        zed("c2", "2026-02-01")
    );
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
    ]);
    let r = &conns["Marta"];
    assert_eq!(r["pitch"], "no", "{r:?}");
    assert_eq!(r["decision"], "review", "{r:?}");
}

/// Found by trying the tool as a new user: a pending invitation from
/// someone you exchange messages with is accepted, not ignored.
#[test]
fn a_pending_invitation_from_someone_you_write_to_is_accepted() {
    let conn = format!(
        "{CONN_2023}Any,One,{},,Hooli,PM,01 Mar 2020\n",
        url("any-one")
    );
    let inv = format!(
        "{INV}Carla Ruiz,Owen Owner,\"3/1/26, 9:00 AM\",,INCOMING,{},{OWNER_URL}\n",
        url("carla-ruiz")
    );
    let msgs = format!(
        "{MSG_2023}c1,,Carla Ruiz,{},Owen Owner,{OWNER_URL},2026-02-01 10:00:00 UTC,,See you at the board meeting,INBOX\n\
         c1,,Owen Owner,{OWNER_URL},Carla Ruiz,{},2026-02-01 11:00:00 UTC,,See you there,INBOX\n",
        url("carla-ruiz"),
        url("carla-ruiz")
    );
    let (_, invs, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Invitations.csv", inv),
        ("messages.csv", msgs),
    ]);
    assert_eq!(invs[0]["action"], "accept", "{:?}", invs[0]);
}

/// Found on a second trial: someone who works now where the owner works now
/// is a colleague, whenever they connected.
#[test]
fn a_colleague_at_the_current_employer_is_kept() {
    let conn = format!(
        "{CONN_2023}Emil,Brandt,{},,Orbitron GmbH,Engineer,01 Mar 2019\n",
        url("emil-brandt")
    );
    let pos = "Company Name,Title,Description,Location,Started On,Finished On\n\
               Old Corp,Analyst,,,Jan 2015,Dec 2019\nOrbitron,Lead,,,Jan 2024,\n";
    let msgs = format!("{MSG_2023}{}", zed("c1", "2026-02-01"));
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Positions.csv", pos.into()),
        ("messages.csv", msgs),
    ]);
    let r = &conns["Emil"];
    assert_eq!(r["decision"], "keep", "{r:?}");
    assert!(
        r["reasons"].contains("you both work at Orbitron now"),
        "{r:?}"
    );
}

/// Found on a second trial: an invitation re-sent three times gets one
/// action (on the latest copy), and unanswered pitches in messages are no
/// "contact" to reply to.
#[test]
fn repeated_invitations_get_one_action_and_spam_is_no_contact() {
    let conn = format!(
        "{CONN_2023}Any,One,{},,Hooli,PM,01 Mar 2020\n",
        url("any-one")
    );
    let mut inv = INV.to_string();
    for d in 1..=3 {
        inv.push_str(&format!(
            "Owen Owner,Kenji Watanabe,\"{d}/10/26, 9:00 AM\",,OUTGOING,{OWNER_URL},{}\n",
            url("kenji-watanabe")
        ));
    }
    inv.push_str(&format!(
        "Victor Petrov,Owen Owner,\"3/1/26, 9:00 AM\",,INCOMING,{},{OWNER_URL}\n",
        url("victor-petrov")
    ));
    let mut msgs = MSG_2023.to_string();
    for d in 1..=3 {
        msgs.push_str(&format!(
            "v1,,Victor Petrov,{},Owen Owner,{OWNER_URL},2026-02-0{d} 10:00:00 UTC,,\"We help companies rank first on Google. Our SEO packages start at $99/month, book a call: calendly.com/x\",INBOX\n",
            url("victor-petrov")
        ));
    }
    let (_, invs, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("Invitations.csv", inv),
        ("messages.csv", msgs),
    ]);
    let kenji: Vec<&Row> = invs
        .iter()
        .filter(|r| r["name"] == "Kenji Watanabe")
        .collect();
    let acting: Vec<&str> = kenji
        .iter()
        .map(|r| r["action"].as_str())
        .filter(|a| *a != "none")
        .collect();
    assert_eq!(acting, ["wait"], "{kenji:?}");
    let victor = invs.iter().find(|r| r["name"] == "Victor Petrov").unwrap();
    assert_eq!(victor["action"], "ignore", "{victor:?}");
}

/// Issue 22: reasons never contradict themselves. A pitcher who is also in
/// the address book is not "only a pitch, no other context".
#[test]
fn a_pitch_beside_a_weak_signal_is_not_called_the_only_context() {
    let conn = format!(
        "{CONN_2023}Pia,Pitcher,{},,Growth Inc,Sales,01 Jan 2025\n",
        url("pia-pitcher")
    );
    let msgs = format!(
        "{MSG_2023}c1,,Pia Pitcher,{},Owen Owner,{OWNER_URL},2025-01-02 10:00:00 UTC,,\"Thanks for connecting! We help SaaS teams boost revenue with our platform. Book a demo: calendly.com/x\",INBOX\n\
         {}",
        url("pia-pitcher"),
        zed("c2", "2026-03-01")
    );
    let contacts = "FirstName,LastName,Emails,PhoneNumbers,CreatedAt\nPia,Pitcher,pia@example.invalid,,2024-01-02 10:00:00\n";
    let (conns, _, _) = audit(&[
        ("Profile.csv", PROFILE.into()),
        ("Connections.csv", conn),
        ("messages.csv", msgs),
        ("ImportedContacts.csv", contacts.into()),
    ]);
    let r = &conns["Pia"];
    assert!(r["reasons"].contains("in your address book"), "{r:?}");
    assert!(!r["reasons"].contains("no other context"), "{r:?}");
    assert!(
        r["reasons"].starts_with("unlink: a pitch, with too little else to outweigh it"),
        "{r:?}"
    );
}
