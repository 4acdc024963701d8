//! `tieaudit review` in a pseudo-terminal with scripted keys (issue 23):
//! answers saved as given, back, quit, resume, a kill mid-session losing
//! nothing, and the plain prompt mode of a dumb terminal.

mod common;
use common::*;
use std::path::Path;

/// Run review on `audit` with `keys` in a pseudo-terminal; its output.
fn drive(term: &str, keys: &str, kill_after: usize, audit: &Path, decisions: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pty_drive.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .args([term, keys, &kill_after.to_string()])
        .arg(env!("CARGO_BIN_EXE_tieaudit"))
        .arg("review")
        .arg(audit)
        .arg("--decisions")
        .arg(decisions)
        .output()
        .expect("python3 runs the pseudo-terminal");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn decided(file: &Path) -> Vec<(String, String)> {
    read_csv(file)
        .into_iter()
        .map(|r| (r["name"].clone(), r["decision"].clone()))
        .collect()
}

fn sample_audit(t: &Path) -> std::path::PathBuf {
    let out = t.join("audit");
    audit_ok(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"),
        &out,
        &[],
    );
    out
}

#[test]
fn answers_are_saved_back_asks_again_and_a_new_session_resumes() {
    let t = tempfile::tempdir().unwrap();
    let audit = sample_audit(t.path());
    let file = t.path().join("decisions.csv");
    // keep, back (to the same person), unlink, skip, quit.
    let out = drive("xterm", "kbusq", 0, &audit, &file);
    assert!(
        out.contains("(1 of 48)") && out.contains("(3 of 48)"),
        "{out}"
    );
    assert!(
        out.contains("Would you feel comfortable introducing"),
        "{out}"
    );
    assert!(
        out.contains("1 kept, 1 unlinked, 1 skipped (you quit"),
        "{out}"
    );
    assert!(out.contains("exit: 0"), "{out}");
    let first = decided(&file);
    assert_eq!(first.len(), 2, "{first:?}");
    assert_eq!(first[0].0, first[1].0, "back asked the same person again");
    assert_eq!(
        (first[0].1.as_str(), first[1].1.as_str()),
        ("keep", "unlink")
    );

    // The next session resumes: the decided person is not asked again.
    let out = drive("xterm", "q", 0, &audit, &file);
    assert!(out.contains("(1 of 47)"), "{out}");

    // And an audit with the file honours the answer.
    let again = t.path().join("again");
    audit_ok(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"),
        &again,
        &["--decisions".as_ref(), file.as_os_str()],
    );
    let rows = read_csv(&again.join("connections.csv"));
    let name = &first[1].0;
    let row = rows
        .iter()
        .find(|r| format!("{} {}", r["first_name"].trim(), r["last_name"].trim()) == *name)
        .unwrap();
    assert_eq!(
        (row["decision"].as_str(), row["your_decision"].as_str()),
        ("unlink", "unlink")
    );
}

#[test]
fn a_kill_mid_session_loses_no_answer_given() {
    let t = tempfile::tempdir().unwrap();
    let audit = sample_audit(t.path());
    let file = t.path().join("decisions.csv");
    let out = drive("xterm", "kuk", 2, &audit, &file);
    assert!(out.contains("exit: -9"), "{out}");
    let got = decided(&file);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].1, "unlink");
}

#[test]
fn a_dumb_terminal_gets_plain_prompts_and_a_pipe_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let audit = sample_audit(t.path());
    let file = t.path().join("decisions.csv");
    let out = drive("dumb", "uq", 0, &audit, &file);
    assert!(out.contains("type a letter and Enter"), "{out}");
    assert_eq!(decided(&file).len(), 1, "{out}");

    let o = bin()
        .arg("review")
        .arg(&audit)
        .arg("--decisions")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a terminal"));
}
