//! Fatal errors: one clear line naming the file and the problem, exit code 2.
//! And the small commands.

mod common;
use common::*;
use predicates_like::contains;

mod predicates_like {
    /// A tiny stand-in for `predicates::str::contains`, to keep dev-deps lean.
    pub fn contains(needle: &'static str) -> impl Fn(&str) -> bool {
        move |s: &str| s.contains(needle)
    }
}

fn fails_with(args: &[&std::ffi::OsStr], needle: &'static str) {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "exit code for {args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(contains(needle)(&err), "stderr {err:?} lacks {needle:?}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err:?}");
}

fn audit_args<'a>(
    export: &'a std::path::Path,
    out: &'a std::path::Path,
) -> Vec<&'a std::ffi::OsStr> {
    vec![
        "audit".as_ref(),
        export.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]
}

#[test]
fn missing_path() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("nope.zip");
    fails_with(
        &audit_args(&p, &t.path().join("o")),
        "no such file or folder",
    );
}

/// A single file given as the export, and the fatal error it must give.
#[test]
fn fatal_errors_of_a_bad_export_file() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "photo.jpg",
            b"\xFF\xD8\xFF\xE0 not an export",
            "not a zip archive, a folder or a Connections.csv",
        ),
        (
            "Connections.csv",
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
            "the file has a header and no rows",
        ),
    ];
    for (file, content, want) in cases {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join(file);
        std::fs::write(&p, content).unwrap();
        fails_with(&audit_args(&p, &t.path().join("o")), want);
    }
}

/// An export folder holding one file, and the fatal error it must give.
#[test]
fn fatal_errors_of_a_bad_export_folder() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "messages.csv",
            "FROM,TO,DATE,CONTENT\n",
            "no Connections.csv in this export",
        ),
        (
            "Connections.csv",
            "Notes:\n\"hello\"\n\nVorname;Nachname\nA;B\n",
            "Connections.csv: header not found",
        ),
        (
            "Connections.csv",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n,,,,,,25 Feb 2026\n,,,,,,24 Feb 2026",
            "2 rows read but none is a person (2 no name: a deleted",
        ),
    ];
    for (file, content, want) in cases {
        let t = tempfile::tempdir().unwrap();
        let ex = t.path().join("ex");
        std::fs::create_dir(&ex).unwrap();
        std::fs::write(ex.join(file), content).unwrap();
        fails_with(&audit_args(&ex, &t.path().join("o")), want);
    }
}

#[test]
fn output_inside_the_export_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    copy_fixture("era2023", &ex, false);
    fails_with(
        &audit_args(&ex, &ex.join("out")),
        "may not be the export or inside it",
    );
}

#[test]
fn lone_connections_csv_is_an_export() {
    let t = tempfile::tempdir().unwrap();
    let j = audit_ok(
        &fixture("era2023").join("Connections.csv"),
        &t.path().join("o"),
        &[],
    );
    assert_eq!(j["connections"], 2);
}

#[test]
fn policy_prints_a_valid_default() {
    let out = bin().arg("policy").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let p = tieaudit::policy::Policy::from_toml(&text).unwrap();
    assert_eq!(p, tieaudit::policy::Policy::default());
}

#[test]
fn bad_policy_is_a_clear_error() {
    let t = tempfile::tempdir().unwrap();
    let pol = t.path().join("p.toml");
    std::fs::write(&pol, "strong_at = 10\nmoderate_at = 50\n").unwrap();
    let mut a = audit_args(&fixture("era2023"), &t.path().join("o"))
        .into_iter()
        .map(|s| s.to_owned())
        .collect::<Vec<_>>();
    a.push("--policy".into());
    a.push(pol.into_os_string());
    let refs: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
    fails_with(&refs, "moderate_at <= strong_at");
}

#[test]
fn export_one_level_down_in_a_folder_and_in_a_zip() {
    let t = tempfile::tempdir().unwrap();
    let outer = t.path().join("Basic_LinkedInDataExport_03-07-2026 (1)");
    copy_fixture(
        "era2023",
        &outer.join("Basic_LinkedInDataExport_03-07-2026"),
        false,
    );
    assert_eq!(
        audit_ok(&outer, &t.path().join("o1"), &[])["connections"],
        2
    );
    let zip = t.path().join("export.zip");
    zip_dir(&outer, &zip);
    assert_eq!(audit_ok(&zip, &t.path().join("o2"), &[])["connections"], 2);
}
