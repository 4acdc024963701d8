//! Your decisions (issue 23): a decisions file, or an edited connections.csv,
//! put the owner's answers over the tool's verdicts, across exports.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::Path;

const CONN_2023: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
const CONN_2021: &str = "First Name,Last Name,Email Address,Company,Position,Connected On\n";
const MSG_2023: &str = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n";
const PROFILE: &str = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\nOwen,Owner,,,,Example,,,,,,,\n";
const OWNER_URL: &str = "https://www.linkedin.com/in/owen-owner";

fn url(slug: &str) -> String {
    format!("https://www.linkedin.com/in/{slug}")
}

/// Bo writes with the owner both ways (the tool keeps Bo); Ann and Cy are
/// strangers of long standing (the tool would unlink them).
fn export(dir: &Path, conns: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("Profile.csv"), PROFILE).unwrap();
    std::fs::write(dir.join("Connections.csv"), conns).unwrap();
    let bo = url("bo-ray");
    std::fs::write(
        dir.join("messages.csv"),
        format!(
            "{MSG_2023}c1,,Bo Ray,{bo},Owen Owner,{OWNER_URL},2025-05-01 10:00:00 UTC,,Lunch Friday?,INBOX\n\
             c1,,Owen Owner,{OWNER_URL},Bo Ray,{bo},2025-05-01 11:00:00 UTC,,Yes!,INBOX\n"
        ),
    )
    .unwrap();
}

/// Audit with `extra` arguments; connections.csv by first name, and
/// ingest.json.
fn audit(
    ex: &Path,
    out: &Path,
    extra: &[&str],
) -> (HashMap<String, HashMap<String, String>>, serde_json::Value) {
    let extra: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
    let j = audit_ok(ex, out, &extra);
    let rows = read_csv(&out.join("connections.csv"))
        .into_iter()
        .map(|r| (r["first_name"].clone(), r))
        .collect();
    (rows, j)
}

/// Run an audit of `ex` into `out` with `extra` that must fail with exit 2;
/// its stderr.
fn refused(ex: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> String {
    let o = bin()
        .arg("audit")
        .arg(ex)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn decisions_taken_on_one_export_hold_on_a_later_one_by_slug_and_by_name() {
    let t = tempfile::tempdir().unwrap();
    let decisions = t.path().join("decisions.csv");
    std::fs::write(
        &decisions,
        format!(
            "profile_url,name,decision,decided_on,comment\n\
             {},Ann Lee,keep,2025-07-01,my first manager's daughter\n\
             ,\"Bo Ray, PhD\",unlink,2025-07-01,\n\
             {},Cy Gone,keep,2025-07-01,\n",
            url("ann-lee"),
            url("cy-gone")
        ),
    )
    .unwrap();
    // Months later, with URLs: Cy is gone, Dee is new.
    let later = t.path().join("later");
    export(
        &later,
        &format!(
            "{CONN_2023}Ann,Lee,{},,Acme,PM,01 Mar 2020\nBo,Ray,{},,Initech,CTO,01 Mar 2021\nDee,New,{},,Hooli,Eng,01 Mar 2022\n",
            url("ann-lee"),
            url("bo-ray"),
            url("dee-new")
        ),
    );
    let d = decisions.to_str().unwrap();
    let (rows, j) = audit(
        &later,
        &t.path().join("o1"),
        &["--decisions", d, "--as-of", "2026-03-01"],
    );
    let ann = &rows["Ann"];
    assert_eq!(ann["decision"], "keep", "{ann:?}");
    assert_eq!(ann["tool_decision"], "unlink", "{ann:?}");
    assert_eq!(ann["your_decision"], "keep");
    assert!(
        ann["reasons"].starts_with("you decided keep on 2025-07-01; unlink:"),
        "{ann:?}"
    );
    // Bo's decision names no URL: matched by name, over the tool's keep.
    let bo = &rows["Bo"];
    assert_eq!(
        (bo["decision"].as_str(), bo["tool_decision"].as_str()),
        ("unlink", "keep"),
        "{bo:?}"
    );
    assert_eq!(rows["Dee"]["your_decision"], "");
    let m = &j["your_decisions"];
    assert_eq!(
        (
            m["decisions"].as_u64(),
            m["matched"].as_u64(),
            m["by_name"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(m["absent"][0]["name"], "Cy Gone", "{m}");
    assert_eq!(m["agreed"], 0);
    let unlink = read_csv(&t.path().join("o1/unlink_candidates.csv"));
    assert!(unlink.iter().all(|r| r["first_name"] != "Ann"));
    assert!(unlink.iter().any(|r| r["first_name"] == "Bo"));
    // Every decision is carried into your_decisions.csv, Cy's included.
    let carried = read_csv(&t.path().join("o1/your_decisions.csv"));
    let carried: Vec<(&str, &str, &str)> = carried
        .iter()
        .map(|r| {
            (
                r["name"].as_str(),
                r["decision"].as_str(),
                r["in_this_export"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        carried,
        [
            ("Ann Lee", "keep", "yes"),
            ("Bo Ray, PhD", "unlink", "yes"),
            ("Cy Gone", "keep", "no")
        ]
    );
    // The same run again is fine; one that would drop Cy's decision is not.
    audit(
        &later,
        &t.path().join("o1"),
        &["--decisions", d, "--as-of", "2026-03-01"],
    );
    let fewer = t.path().join("fewer.csv");
    std::fs::write(
        &fewer,
        format!("profile_url,decision\n{},keep\n", url("ann-lee")),
    )
    .unwrap();
    let err = refused(
        &later,
        &t.path().join("o1"),
        &["--decisions".as_ref(), fewer.as_os_str()],
    );
    assert!(
        err.contains("your_decisions.csv") || err.contains("connections.csv"),
        "{err}"
    );
    // Passing the carried file itself loses nobody.
    let carried = t.path().join("o1/your_decisions.csv");
    let (_, j) = audit(
        &later,
        &t.path().join("o1"),
        &[
            "--decisions",
            carried.to_str().unwrap(),
            "--as-of",
            "2026-03-01",
        ],
    );
    assert_eq!(j["your_decisions"]["absent"][0]["name"], "Cy Gone");

    // An export without profile URLs: the same file matches by name key.
    let nameless = t.path().join("nameless");
    export(
        &nameless,
        &format!("{CONN_2021}Ann,Lee,,Acme,PM,01 Mar 2020\nDee,New,,Hooli,Eng,01 Mar 2022\n"),
    );
    let (rows, j) = audit(
        &nameless,
        &t.path().join("o2"),
        &["--decisions", d, "--as-of", "2026-03-01"],
    );
    assert_eq!(rows["Ann"]["decision"], "keep", "{:?}", rows["Ann"]);
    assert_eq!(j["your_decisions"]["by_name"], 1);
}

#[test]
fn an_edited_connections_csv_is_a_decisions_file() {
    let t = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    let first = t.path().join("first");
    audit_ok(&sample, &first, &[]);
    // The spreadsheet route: fill in your_decision and save.
    let mut rdr = csv::Reader::from_path(first.join("connections.csv")).unwrap();
    let head = rdr.headers().unwrap().clone();
    let yours = head.iter().position(|h| h == "your_decision").unwrap();
    let decision = head.iter().position(|h| h == "decision").unwrap();
    let mut w = csv::Writer::from_path(t.path().join("edited.csv")).unwrap();
    w.write_record(&head).unwrap();
    let mut kept = Vec::new();
    for rec in rdr.records() {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        assert_eq!(rec[yours], "", "an audit leaves your_decision empty");
        if rec[decision] == "unlink" && kept.len() < 5 {
            rec[yours] = "keep".into();
            kept.push(rec[0].clone());
        }
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    let edited = t.path().join("edited.csv");
    let second = t.path().join("second");
    audit_ok(
        &sample,
        &second,
        &["--decisions".as_ref(), edited.as_os_str()],
    );
    let rows = read_csv(&second.join("connections.csv"));
    for url in &kept {
        let r = rows.iter().find(|r| &r["profile_url"] == url).unwrap();
        assert_eq!(
            (r["decision"].as_str(), r["your_decision"].as_str()),
            ("keep", "keep")
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(second.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["your_decisions"]["decided"], 5);
    assert!(read_file(&second.join("report.html")).contains("You decided about 5 of them"));
}

fn read_file(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn unusable_decision_rows_are_reported_and_a_file_without_decisions_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    export(
        &ex,
        &format!(
            "{CONN_2023}Ann,Lee,{},,Acme,PM,01 Mar 2020\n",
            url("ann-lee")
        ),
    );
    let bad = t.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "profile_url,name,decision\n{},Ann Lee,maybe\n,,keep\n",
            url("ann-lee")
        ),
    )
    .unwrap();
    let (rows, j) = audit(
        &ex,
        &t.path().join("o"),
        &["--decisions", bad.to_str().unwrap()],
    );
    assert_eq!(rows["Ann"]["your_decision"], "");
    let skipped = &j["your_decisions"]["skipped"];
    assert_eq!(skipped[0][0], 2, "{skipped}");
    assert!(
        skipped[0][1]
            .as_str()
            .unwrap()
            .contains("neither keep nor unlink")
    );
    assert_eq!(skipped[1][0], 3);

    let none = t.path().join("none.csv");
    std::fs::write(&none, "profile_url,name\nx,y\n").unwrap();
    let err = refused(
        &ex,
        &t.path().join("o2"),
        &["--decisions".as_ref(), none.as_os_str()],
    );
    assert!(
        err.contains("none.csv") && err.contains("no `decision`"),
        "{err}"
    );
}

/// Issue 23: the keep list takes whole companies and position words, and
/// every run says which entries matched nobody; a missing list is named as
/// the keep list.
#[test]
fn the_keep_list_takes_companies_and_positions_and_reports_misses() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    export(
        &ex,
        &format!(
            "{CONN_2023}Ann,Lee,{},,\"Acme, Inc.\",PM,01 Mar 2020\nCy,Old,{},,Hooli,Co-Founder,01 Mar 2020\nDee,New,{},,Hooli,Eng,01 Mar 2020\n",
            url("ann-lee"),
            url("cy-old"),
            url("dee-new")
        ),
    );
    let keep = t.path().join("keep.txt");
    std::fs::write(
        &keep,
        "company: Acme\nposition: founder\nposition: astronaut\nhttps://www.linkedin.com/in/nobody-here\n???\n",
    )
    .unwrap();
    let (rows, j) = audit(
        &ex,
        &t.path().join("o"),
        &["--keep", keep.to_str().unwrap(), "--as-of", "2026-03-01"],
    );
    assert_eq!(rows["Ann"]["protected"], "yes");
    assert_eq!(rows["Cy"]["protected"], "yes");
    assert_eq!(rows["Dee"]["protected"], "no");
    assert_eq!(rows["Dee"]["decision"], "unlink");
    assert_eq!(rows["Ann"]["decision"], "keep");
    // The list is yours: the tool's own view still shows beside it.
    assert_eq!(rows["Ann"]["tool_decision"], "unlink");
    assert!(
        rows["Ann"]["reasons"].starts_with("on your keep list; unlink: no context found"),
        "{}",
        rows["Ann"]["reasons"]
    );
    let k = &j["keep_list"];
    assert_eq!(
        (k["entries"].as_u64(), k["protected"].as_u64()),
        (Some(4), Some(2))
    );
    let unmatched: Vec<u64> = k["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_u64().unwrap())
        .collect();
    assert_eq!(unmatched, [3, 4]);
    assert_eq!(k["unreadable"][0][0], 5);

    let missing = t.path().join("missing.txt");
    let err = refused(
        &ex,
        &t.path().join("o2"),
        &["--keep".as_ref(), missing.as_os_str()],
    );
    assert!(
        err.contains("missing.txt") && err.contains("keep list"),
        "{err}"
    );
}

/// Found by a new-user trial: decisions typed into an earlier audit's
/// connections.csv are never overwritten by the next run into that folder;
/// and under --redact, ingest.json names nobody from the decisions file or
/// the keep list.
#[test]
fn typed_decisions_are_not_overwritten_and_redaction_covers_them() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    export(
        &ex,
        &format!(
            "{CONN_2023}Ann,Lee,{},,Acme,PM,01 Mar 2020\n",
            url("ann-lee")
        ),
    );
    let out = t.path().join("o");
    audit_ok(&ex, &out, &[]);
    let csv_path = out.join("connections.csv");
    let text = read_file(&csv_path);
    let edited = text.replacen(",unlink,,unlink,", ",unlink,keep,unlink,", 1);
    assert_ne!(text, edited, "{text}");
    std::fs::write(&csv_path, &edited).unwrap();
    assert!(refused(&ex, &out, &[]).contains("holds 1 decisions of yours"));
    assert_eq!(read_file(&csv_path), edited, "nothing was replaced");
    // Read as the decisions file, it is honoured (and may be replaced).
    let (rows, _) = audit(&ex, &out, &["--decisions", csv_path.to_str().unwrap()]);
    assert_eq!(rows["Ann"]["decision"], "keep");

    let d = t.path().join("d.csv");
    std::fs::write(
        &d,
        format!(
            "profile_url,name,decision,decided_on,comment\n{},Gone Person,keep,,private note\n",
            url("gone-person")
        ),
    )
    .unwrap();
    let keep = t.path().join("keep.txt");
    std::fs::write(&keep, "https://www.linkedin.com/in/secret-person\n").unwrap();
    let red = t.path().join("red");
    audit_ok(
        &ex,
        &red,
        &[
            "--redact".as_ref(),
            "--decisions".as_ref(),
            d.as_os_str(),
            "--keep".as_ref(),
            keep.as_os_str(),
        ],
    );
    let j = read_file(&red.join("ingest.json"));
    for leak in [
        "Gone Person",
        "gone-person",
        "private note",
        "secret-person",
    ] {
        assert!(!j.contains(leak), "{leak} in ingest.json");
    }
}
