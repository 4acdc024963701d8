//! `tieaudit calibrate` (issue 23): a policy fitted to the owner's decisions
//! agrees with them more on people it was not fitted to, and never breaks
//! the safety rules.

mod common;
use common::*;
use std::collections::HashMap;
use std::path::Path;

/// The synthetic owner's line: colleagues, classmates, friends and people
/// met at events are kept; everyone else goes.
fn owner_keeps(latent: &str) -> bool {
    matches!(
        latent,
        "colleague" | "classmate" | "friend" | "event_contact"
    )
}

/// A decisions file of `people` (profile URL, latent relationship).
fn decisions(path: &Path, people: &[(String, String)]) {
    let mut text = String::from("profile_url,name,decision,decided_on,comment\n");
    for (url, latent) in people {
        let d = if owner_keeps(latent) {
            "keep"
        } else {
            "unlink"
        };
        text.push_str(&format!("{url},,{d},2026-11-30,\n"));
    }
    std::fs::write(path, text).unwrap();
}

/// The share of `people` whose verdict in `out`'s connections.csv is the
/// owner's decision.
fn agreement(out: &Path, people: &[(String, String)]) -> f64 {
    let verdict: HashMap<String, String> = read_csv(&out.join("connections.csv"))
        .into_iter()
        .map(|r| (slug(&r["profile_url"]), r["decision"].clone()))
        .collect();
    let agreed = people
        .iter()
        .filter(|(url, latent)| {
            verdict[&slug(url)]
                == if owner_keeps(latent) {
                    "keep"
                } else {
                    "unlink"
                }
        })
        .count();
    agreed as f64 / people.len() as f64
}

fn slug(url: &str) -> String {
    tieaudit::identity::slug_from_url(url).unwrap()
}

/// A sample export of `n` people, and its people (URL, latent relationship).
fn sample(dir: &Path, n: usize, seed: u64) -> (std::path::PathBuf, Vec<(String, String)>) {
    let (ex, truth) = (dir.join("ex"), dir.join("truth.csv"));
    sample_export(&ex, n, seed, &["--truth".as_ref(), truth.as_os_str()]);
    let people = read_csv(&truth)
        .into_iter()
        .map(|r| (r["profile_url"].clone(), r["relationship"].clone()))
        .collect();
    (ex, people)
}

#[test]
fn a_calibrated_policy_agrees_more_on_people_it_never_saw() {
    let t = tempfile::tempdir().unwrap();
    let (ex, people) = sample(t.path(), 1500, 11);
    // Every other person decided; the rest held out.
    let (fit_on, held_out): (Vec<_>, Vec<_>) = people
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    let strip = |v: Vec<(usize, (String, String))>| -> Vec<(String, String)> {
        v.into_iter().map(|(_, p)| p).collect()
    };
    let (fit_on, held_out) = (strip(fit_on), strip(held_out));
    let file = t.path().join("decisions.csv");
    decisions(&file, &fit_on);
    let policy = t.path().join("mine.toml");
    let o = bin()
        .arg("calibrate")
        .arg(&ex)
        .arg("--decisions")
        .arg(&file)
        .arg("--out")
        .arg(&policy)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        said.contains("Calibrated on 750 of your decisions"),
        "{said}"
    );
    assert!(said.contains("agreement before:") && said.contains("agreement after:"));
    let text = std::fs::read_to_string(&policy).unwrap();
    assert!(
        text.starts_with("# tieaudit policy calibrated on 750"),
        "{text}"
    );

    let default_out = t.path().join("default");
    let fitted_out = t.path().join("fitted");
    audit_ok(&ex, &default_out, &[]);
    audit_ok(&ex, &fitted_out, &["--policy".as_ref(), policy.as_os_str()]);
    let before = agreement(&default_out, &held_out);
    let after = agreement(&fitted_out, &held_out);
    eprintln!("held-out agreement: default {before:.3}, calibrated {after:.3}");
    assert!(
        after > before,
        "calibration must help on people it never saw: {before} -> {after}"
    );

    // The safety rules hold for everyone under the fitted policy.
    for r in read_csv(&fitted_out.join("connections.csv")) {
        if r["decision"] == "unlink" {
            assert!(
                r["two_way"] == "no"
                    && r["recommendations"] == "0"
                    && r["invitation_note"] != "personal"
                    && r["shared_employer"].is_empty(),
                "a safety rule broken under the calibrated policy: {r:?}"
            );
        }
    }
}

#[test]
fn calibration_wants_thirty_decisions_and_never_writes_over_its_inputs() {
    let t = tempfile::tempdir().unwrap();
    let (ex, urls) = sample(t.path(), 60, 3);
    let file = t.path().join("decisions.csv");
    decisions(&file, &urls[..29]);
    let o = bin()
        .arg("calibrate")
        .arg(&ex)
        .args(["--decisions".as_ref(), file.as_os_str(), "--out".as_ref()])
        .arg(t.path().join("p.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("29 of your decisions") && err.contains("at least 30"),
        "{err}"
    );
    assert!(!t.path().join("p.toml").exists());

    let before = std::fs::read(&file).unwrap();
    let o = bin()
        .arg("calibrate")
        .arg(&ex)
        .args([
            "--decisions".as_ref(),
            file.as_os_str(),
            "--out".as_ref(),
            file.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the decisions file is never changed"
    );
}
