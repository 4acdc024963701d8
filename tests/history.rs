//! Over time (issue 24): `audit NEW --previous OLD` against exports aged by
//! `sample --evolve`, whose changes are known, so every change class is
//! checked against what was done.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// A synthetic export of `n` connections.
fn sample(dir: &Path, n: usize, seed: u64) {
    sample_export(dir, n, seed, &[]);
}

/// Age `from` into `to`; what was changed, as the generator reports it.
fn evolve(from: &Path, to: &Path, months: u32, seed: u64, extra: &[&str]) -> serde_json::Value {
    let out = bin()
        .args(["sample", "--evolve"])
        .arg(from)
        .args([
            "--months",
            &months.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(to)
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("what was changed, as JSON")
}

fn audit_since(new: &Path, previous: &Path, out: &Path) -> serde_json::Value {
    audit_ok(new, out, &["--previous".as_ref(), previous.as_os_str()]);
    json(&out.join("summary.json"))
}

/// changes.csv as (change, name, profile_url, before, after, detail) rows.
fn changes(out: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(out.join("changes.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["change", "name", "profile_url", "before", "after", "detail"]
    );
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn count(s: &serde_json::Value, kind: &str) -> u64 {
    s["since"]["counts"][kind].as_u64().unwrap()
}

struct Pair {
    _t: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
    applied: serde_json::Value,
}

fn pair(extra: &[&str]) -> Pair {
    let t = tempfile::tempdir().unwrap();
    let (old, new) = (t.path().join("old"), t.path().join("new"));
    sample(&old, 400, 5);
    let applied = evolve(&old, &new, 6, 3, extra);
    Pair {
        _t: t,
        old,
        new,
        applied,
    }
}

#[test]
fn every_change_class_is_found_as_it_was_made() {
    let p = pair(&[]);
    let a = &p.applied;
    let n = |k: &str| a[k].as_u64().unwrap();
    let out = p.new.with_file_name("o");
    let s = audit_since(&p.new, &p.old, &out);
    let since = &s["since"];
    assert_eq!(since["since"], a["as_of_before"]);
    // What the generator did is what the comparison finds.
    assert_eq!(count(&s, "removed"), n("pruned"));
    assert_eq!(since["pruning"]["gone"].as_u64(), Some(n("pruned")));
    assert_eq!(count(&s, "job_change"), n("job_changes"));
    assert_eq!(count(&s, "slug_changed"), n("slug_changes"));
    assert_eq!(
        count(&s, "new"),
        n("new_connections") + n("invitations_accepted")
    );
    assert_eq!(count(&s, "invitation_accepted"), n("invitations_accepted"));
    assert!(count(&s, "invitation_gone") >= n("invitations_withdrawn"));
    let p_ = &since["pruning"];
    let part = |k: &str| p_[k].as_u64().unwrap();
    assert_eq!(
        part("candidates"),
        part("gone") + part("remain") + part("now_review") + part("now_keep")
    );
    assert_eq!(
        count(&s, "no_longer_unlink"),
        part("now_review") + part("now_keep")
    );
    // Every class of change is there, each row saying what moved.
    let rows = changes(&out);
    let by: HashMap<&str, Vec<&Vec<String>>> = rows.iter().fold(HashMap::new(), |mut m, r| {
        m.entry(r[0].as_str()).or_default().push(r);
        m
    });
    for kind in [
        "new",
        "removed",
        "no_longer_unlink",
        "job_change",
        "slug_changed",
        "context_up",
        "context_down",
        "invitation_accepted",
        "invitation_gone",
        "invitation_pending",
    ] {
        assert!(by.contains_key(kind), "no {kind} in changes.csv");
        assert_eq!(by[kind].len() as u64, count(&s, kind), "{kind}");
    }
    assert!(
        by["removed"]
            .iter()
            .all(|r| r[5] == "pruned as recommended"),
        "only recommended unlinks were removed"
    );
    for r in &by["job_change"] {
        assert_ne!(r[3], r[4], "{r:?}");
    }
    for r in &by["slug_changed"] {
        assert!(
            r[3].contains("/in/") && r[4].contains("/in/") && r[3] != r[4],
            "{r:?}"
        );
    }
    assert!(
        by["context_up"]
            .iter()
            .any(|r| r[5].contains("new message")),
        "a context that grew names the messages that moved it"
    );
    assert!(
        by["invitation_pending"]
            .iter()
            .all(|r| r[5].starts_with("pending for ")),
    );
    // The report says it too.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains(&format!("## Since {}", a["as_of_before"].as_str().unwrap())));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"since\"") && html.contains("pruned as recommended"));
}

/// An earlier audit's folder serves as well as the export it was made from.
#[test]
fn an_earlier_audit_folder_compares_like_its_export() {
    let p = pair(&[]);
    let then = p.old.with_file_name("then");
    audit_ok(&p.old, &then, &[]);
    let a = audit_since(&p.new, &p.old, &p.new.with_file_name("a"));
    let b = audit_since(&p.new, &then, &p.new.with_file_name("b"));
    let mut x = a["since"].clone();
    let mut y = b["since"].clone();
    x["previous"] = serde_json::Value::Null;
    y["previous"] = serde_json::Value::Null;
    assert_eq!(x, y);
    // The same folder may take the new audit's outputs.
    audit_since(&p.new, &then, &then);
    assert!(then.join("changes.csv").is_file());
}

/// A newer export without profile URLs (as in 2020 to 2022) is matched by
/// name: jobs and removals are still found; no profile address "changed".
#[test]
fn an_export_without_urls_is_compared_by_name() {
    let p = pair(&["--no-urls"]);
    let n = |k: &str| p.applied[k].as_u64().unwrap();
    let out = p.new.with_file_name("o");
    let s = audit_since(&p.new, &p.old, &out);
    let since = &s["since"];
    assert!(since["matched_by_name"].as_u64().unwrap() > 300, "{since}");
    assert_eq!(count(&s, "slug_changed"), 0);
    let ambiguous = since["ambiguous"].as_u64().unwrap();
    assert!(count(&s, "removed") <= n("pruned"));
    assert!(count(&s, "removed") + ambiguous >= n("pruned"), "{since}");
    assert!(count(&s, "job_change") + ambiguous >= n("job_changes"));
    assert!(count(&s, "job_change") <= n("job_changes"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("matched by name (one of the exports has no profile URLs)"));
}

#[test]
fn exports_of_two_owners_or_in_the_wrong_order_are_refused() {
    let p = pair(&[]);
    let out = p.new.with_file_name("o");
    let e = bin()
        .arg("audit")
        .arg(&p.new)
        .arg("--previous")
        .arg(fixture("era2026"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&e.get_output().stderr).into_owned();
    assert!(err.contains("two exports of the same owner"), "{err}");
    assert!(!out.exists(), "nothing written");
    let e = bin()
        .arg("audit")
        .arg(&p.old)
        .arg("--previous")
        .arg(&p.new)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&e.get_output().stderr).into_owned();
    assert!(err.contains("pass the older export as --previous"), "{err}");
}

/// Three exports of one owner, six months apart, in one folder (the
/// newest among them, as a folder of dated exports would hold it).
#[test]
fn a_folder_of_exports_gives_a_timeline() {
    let t = tempfile::tempdir().unwrap();
    let hist = t.path().join("exports");
    let (a, b, c) = (
        hist.join("2026-03"),
        hist.join("2026-09"),
        hist.join("2027-03"),
    );
    sample(&a, 300, 9);
    evolve(&a, &b, 6, 1, &[]);
    evolve(&b, &c, 6, 2, &["--zip"]);
    // The zip is named like LinkedIn's.
    let c = {
        let z = hist.join("2027-03.zip");
        std::fs::rename(&c, &z).unwrap();
        z
    };
    let out = t.path().join("o");
    audit_since(&c, &hist, &out);
    let mut r = csv::Reader::from_path(out.join("timeline.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 3, "three exports, the audited one once");
    let dates: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    for (row, dir) in rows.iter().zip([&a, &hist.join("2026-09")]) {
        let conns = audit_ok(dir, &t.path().join("each"), &[])["connections"]
            .as_u64()
            .unwrap();
        assert_eq!(row[2].parse::<u64>().unwrap(), conns);
    }
    assert_eq!(&rows[0][6], "", "nothing before the first export");
    let months: f64 = rows[2][9].parse().unwrap();
    assert!((5.0..=7.0).contains(&months), "{months}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("aria-label=\"Connections at each export\""));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["timeline"].as_array().unwrap().len(), 3);
}

/// reconnect.csv holds only what its rule says: quiet for over a year and
/// over four times the usual gap, or a noted invitation never followed by
/// a message.
#[test]
fn reconnect_rows_follow_their_rule() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("o");
    audit_ok(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"),
        &out,
        &[],
    );
    let mut r = csv::Reader::from_path(out.join("reconnect.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert!(rows.iter().any(|r| &r[col("why")] == "quiet"));
    assert!(rows.iter().any(|r| &r[col("why")] == "never_talked"));
    let mut last_why = "";
    let mut last_score = u32::MAX;
    for r in &rows {
        let why = &r[col("why")];
        let score: u32 = r[col("score")].parse().unwrap();
        if why == last_why {
            assert!(score <= last_score, "strongest first");
        }
        (last_why, last_score) = (why, score);
        match why {
            "quiet" => {
                let past = &r[col("past_context")];
                assert!(
                    past.contains("two-way")
                        || past.contains("recommendation")
                        || past.contains("worked together"),
                    "{past}"
                );
                if let Ok(q) = r[col("quiet_days")].parse::<i64>() {
                    assert!(q > 365);
                    if let Ok(g) = r[col("usual_gap_days")].parse::<i64>() {
                        assert!(q > 4 * g);
                    }
                }
            }
            "never_talked" => assert_eq!(&r[col("last_message_on")], ""),
            w => panic!("unknown why {w}"),
        }
    }
}

/// The new report sections, as a reader sees them.
#[test]
fn since_and_reconnect_section_snapshots() {
    let p = pair(&[]);
    let out = p.new.with_file_name("o");
    audit_since(&p.new, &p.old, &out);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let section = |from: &str, to: &str| {
        let a = md.find(from).unwrap();
        let b = a + md[a..].find(to).unwrap();
        md[a..b].to_string()
    };
    insta::assert_snapshot!("since_md", section("## Since", "## At a glance"));
    insta::assert_snapshot!(
        "reconnect_md",
        section("## Ties worth keeping alive", "## Invitations to act on")
    );
    let s = json(&out.join("summary.json"));
    let picked = serde_json::json!({
        "since": s["since"],
        "layers": s["layers"],
        "reconnect": s["reconnect"],
    });
    insta::assert_snapshot!("since_json", serde_json::to_string_pretty(&picked).unwrap());
}

/// With --redact, what changed says who only by initials, and links nowhere.
#[test]
fn redacted_changes_name_no_one() {
    let p = pair(&[]);
    let out = p.new.with_file_name("o");
    audit_ok(
        &p.new,
        &out,
        &[
            "--previous".as_ref(),
            p.old.as_os_str(),
            "--redact".as_ref(),
        ],
    );
    for f in ["changes.csv", "reconnect.csv", "report.md", "report.html"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("linkedin.com/in/"), "{f} links a profile");
    }
    for r in changes(&out) {
        assert!(
            r[1].split(' ')
                .all(|w| w.ends_with('.') && w.chars().count() <= 3),
            "{r:?}"
        );
    }
}

/// An audit folder written with --previous carries its timeline on: the
/// next audit against that folder lists every export so far.
#[test]
fn a_timeline_goes_on_through_audit_folders() {
    let t = tempfile::tempdir().unwrap();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    sample(&a, 200, 4);
    evolve(&a, &b, 6, 1, &[]);
    evolve(&b, &c, 6, 2, &[]);
    let (ob, oc) = (t.path().join("ob"), t.path().join("oc"));
    audit_since(&b, &a, &ob);
    audit_since(&c, &ob, &oc);
    let rows = |o: &Path| -> Vec<Vec<String>> {
        csv::Reader::from_path(o.join("timeline.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let (before, after) = (rows(&ob), rows(&oc));
    assert_eq!(before.len(), 2);
    assert_eq!(after.len(), 3, "{after:?}");
    // The first two rows are the earlier audit's, as it wrote them.
    assert_eq!(after[..2], before[..]);
    // Running the same audit into the folder it compares with is refused
    // the second time: it would compare the export with itself.
    let e = bin()
        .arg("audit")
        .arg(&c)
        .args(["--previous"])
        .arg(&oc)
        .arg("--out")
        .arg(&oc)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&e.get_output().stderr).into_owned();
    assert!(err.contains("holds an audit of this same export"), "{err}");
}

/// Every era the tool reads can be aged and compared (the 2018 fixture is
/// TAB-separated, the 2026 one fully quoted).
#[test]
fn every_era_fixture_ages_and_compares() {
    let t = tempfile::tempdir().unwrap();
    for era in ["era2018", "era2021", "era2023", "era2026"] {
        let old = t.path().join(era);
        copy_fixture(era, &old, false);
        let new = t.path().join(format!("{era}-later"));
        let applied = evolve(&old, &new, 6, 1, &[]);
        let s = audit_since(&new, &old, &t.path().join(format!("{era}-o")));
        let n = |k: &str| applied[k].as_u64().unwrap();
        assert_eq!(
            count(&s, "new"),
            n("new_connections") + n("invitations_accepted"),
            "{era}: {s}"
        );
        assert_eq!(count(&s, "removed"), n("pruned"), "{era}");
    }
}
