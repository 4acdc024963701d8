//! Batch audits: a folder of exports plus loose arguments, one broken export
//! reported without stopping the others, and the combined index.

mod common;
use common::*;

#[test]
fn a_folder_of_exports_and_a_broken_one() {
    let t = tempfile::tempdir().unwrap();
    let team = t.path().join("team");
    copy_fixture("era2023", &team.join("ann"), false);
    copy_fixture("era2026", &team.join("bo-export"), false);
    zip_dir(&team.join("bo-export"), &team.join("cy.zip"));
    std::fs::write(team.join("broken.zip"), b"PK\x03\x04 not really").unwrap();
    let extra = t.path().join("era2021");
    copy_fixture("era2021", &extra, false);
    let out = t.path().join("out");
    let o = bin()
        .arg("audit")
        .arg(&team)
        .arg(&extra)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("broken.zip"), "{stderr}");
    let index = read_csv(&out.join("index.csv"));
    let status: Vec<(String, String, String)> = index
        .iter()
        .map(|r| {
            (
                r["folder"].clone(),
                r["status"].clone(),
                r["connections"].clone(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("ann".to_string(), "ok".to_string(), "2".to_string()),
            ("bo-export".into(), "ok".into(), "3".into()),
            ("broken".into(), "error".into(), "".into()),
            ("cy".into(), "ok".into(), "3".into()),
            ("era2021".into(), "ok".into(), "3".into()),
        ]
    );
    for sub in ["ann", "bo-export", "cy", "era2021"] {
        assert!(out.join(sub).join("report.html").is_file(), "{sub}");
    }
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("ann/report.html"));
    assert!(
        html.contains("cannot read the zip archive"),
        "the broken export's error is in the index"
    );
    // --strict turns the broken export into exit code 1.
    let o = bin()
        .arg("audit")
        .arg(&team)
        .arg("--out")
        .arg(t.path().join("strict"))
        .arg("--strict")
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn output_inside_an_export_is_refused_before_anything_is_created() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    copy_fixture("era2023", &ex, false);
    let o = bin()
        .arg("audit")
        .arg(&ex)
        .arg("--out")
        .arg(ex.join("new").join("out"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !ex.join("new").exists(),
        "a folder was created inside the export"
    );
}

/// An export named like the index gets another sub-folder name, and an
/// output folder written inside the folder of exports is skipped on the
/// next run, with a note, not audited as an export.
#[test]
fn batch_names_never_collide_and_outputs_are_not_exports() {
    let t = tempfile::tempdir().unwrap();
    let team = t.path().join("team");
    let body = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
                Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,PM,01 Jan 2020\n";
    for name in ["alpha", "index.csv", "INDEX.CSV2"] {
        std::fs::create_dir_all(team.join(name)).unwrap();
        std::fs::write(team.join(name).join("Connections.csv"), body).unwrap();
    }
    let out = team.join("out");
    for run in 0..2 {
        let o = bin()
            .arg("audit")
            .arg(&team)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "run {run}: {err}");
        if run == 1 {
            assert!(
                err.contains("holds the outputs of an earlier audit"),
                "{err}"
            );
        }
        let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
        assert_eq!(index.lines().count(), 1 + 3, "run {run}: {index}");
    }
    assert!(out.join("index.csv").is_file());
    assert!(out.join("index.csv-2").is_dir() || out.join("index.csv-2").exists());
}
