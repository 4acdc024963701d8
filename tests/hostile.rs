//! Hostile and broken exports: each case with its expected outcome (exit
//! code, the one-line message, or the accounting).

mod common;
use common::*;
use std::io::Write;
use std::path::Path;

const HEADER: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
const ROW: &str = "Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,Engineer,07 Mar 2024\n";

fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        z.start_file(*name, o).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// Run an audit that must fail with exit 2 and one line containing `want`.
fn fails(export: &Path, out: &Path, want: &str) {
    let o = bin()
        .arg("audit")
        .arg(export)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(want), "{err:?} lacks {want:?}");
    assert_eq!(err.trim().lines().count(), 1, "{err:?}");
}

fn one_file(t: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let ex = t.join("ex");
    std::fs::create_dir_all(&ex).unwrap();
    std::fs::write(ex.join(name), bytes).unwrap();
    ex
}

#[test]
fn broken_zips() {
    let t = tempfile::tempdir().unwrap();
    let good = t.path().join("good.zip");
    zip_of(
        &good,
        &[(
            "Connections.csv",
            format!("{HEADER}{ROW}").repeat(50).as_bytes(),
        )],
    );
    let bytes = std::fs::read(&good).unwrap();
    let truncated = t.path().join("truncated.zip");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    fails(
        &truncated,
        &t.path().join("o1"),
        "cannot read the zip archive",
    );
    // Damage reported in the user's words, never the zip crate's internal
    // type names; a password-protected member says so.
    let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    let mut far = bytes.clone();
    far[cd + 42..cd + 46].copy_from_slice(&1_000_000_000u32.to_le_bytes());
    let far_zip = t.path().join("offset.zip");
    std::fs::write(&far_zip, &far).unwrap();
    fails(&far_zip, &t.path().join("o3"), "the archive is damaged");
    let mut locked = bytes.clone();
    locked[6] |= 1;
    locked[cd + 8] |= 1;
    let locked_zip = t.path().join("locked.zip");
    std::fs::write(&locked_zip, &locked).unwrap();
    fails(&locked_zip, &t.path().join("o4"), "password-protected");
    for (z, o) in [(&far_zip, "o5"), (&locked_zip, "o6")] {
        let e = bin()
            .arg("audit")
            .arg(z)
            .arg("--out")
            .arg(t.path().join(o))
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&e.stderr);
        assert!(!e.contains("::") && !e.contains("EOCD"), "{e}");
    }
    let empty = t.path().join("empty.zip");
    zip_of(&empty, &[]);
    fails(
        &empty,
        &t.path().join("o2"),
        "no Connections.csv in this export",
    );
}

#[test]
fn zip_bomb_is_refused_quickly() {
    let t = tempfile::tempdir().unwrap();
    let bomb = t.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    z.start_file(
        "Connections.csv",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true),
    )
    .unwrap();
    z.write_all(HEADER.as_bytes()).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..40 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let started = std::time::Instant::now();
    fails(&bomb, &t.path().join("o"), "refused as a zip bomb");
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn member_names_never_become_paths() {
    let t = tempfile::tempdir().unwrap();
    let z = t.path().join("slip.zip");
    let body = format!("{HEADER}{ROW}");
    zip_of(
        &z,
        &[
            ("../../Connections.csv", body.as_bytes()),
            ("/etc/evil.csv", b"x"),
            ("../../../tmp/evil.txt", b"x"),
        ],
    );
    let out = t.path().join("o");
    let j = audit_ok(&z, &out, &[]);
    assert_eq!(j["connections"], 1);
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            ".tieaudit.lock",
            "connections.csv",
            "ingest.json",
            "invitations.csv",
            "reconnect.csv",
            "report.html",
            "report.md",
            "summary.json",
            "unlink_candidates.csv"
        ]
    );
    assert!(!t.path().join("evil.txt").exists() && !Path::new("/tmp/evil.txt").exists());
}

#[test]
fn nested_and_duplicate_members() {
    let t = tempfile::tempdir().unwrap();
    let inner = t.path().join("inner.zip");
    zip_of(
        &inner,
        &[("Connections.csv", format!("{HEADER}{ROW}").as_bytes())],
    );
    let outer = t.path().join("Complete_LinkedInDataExport.zip.zip");
    zip_of(
        &outer,
        &[(
            "Complete_LinkedInDataExport.zip",
            &std::fs::read(&inner).unwrap(),
        )],
    );
    let j = audit_ok(&outer, &t.path().join("o1"), &[]);
    assert_eq!(
        (j["form"].as_str(), j["connections"].as_u64()),
        (Some("nested zip"), Some(1))
    );

    let dup = t.path().join("dup.zip");
    let two = format!("{HEADER}{ROW}Bo,Ng,https://www.linkedin.com/in/bo-ng,,,,01 Jan 2020\n");
    zip_of(
        &dup,
        &[
            ("Connections.csv", format!("{HEADER}{ROW}").as_bytes()),
            ("connections.csv", two.as_bytes()),
        ],
    );
    let j = audit_ok(&dup, &t.path().join("o2"), &[]);
    assert_eq!(j["connections"], 1, "the first Connections file is read");
    assert!(
        j["ignored"][0]["why"]
            .as_str()
            .unwrap()
            .contains("a second Connections file")
    );
}

#[test]
fn connections_files_that_cannot_be_read() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"Notes:\n\"When exporting your connection data...\"\n\n",
            "header not found",
        ),
        (
            b"Ann,Lee,https://www.linkedin.com/in/ann-lee\n",
            "header not found",
        ),
        (
            b"\x00\x01\x02\xff\xfe\xfd garbage \x00\x00 binary",
            "header not found",
        ),
        (HEADER.as_bytes(), "the file has a header and no rows"),
    ];
    // One line with no break, past the record limit: said so, not "not
    // found in the first 1 lines".
    let endless = vec![b'x'; (1 << 20) + 10];
    let long: &[(&[u8], &str)] = &[(&endless, "each ran past the 1 MiB record limit")];
    for (bytes, want) in cases.iter().chain(long) {
        let t = tempfile::tempdir().unwrap();
        fails(
            &one_file(t.path(), "Connections.csv", bytes),
            &t.path().join("o"),
            want,
        );
    }
}

/// Audit a folder holding only this Connections.csv; its accounting.
fn accounted(bytes: &[u8]) -> serde_json::Value {
    let t = tempfile::tempdir().unwrap();
    let ex = one_file(t.path(), "Connections.csv", bytes);
    let j = audit_ok(&ex, &t.path().join("o"), &[]);
    j["files"][0].clone()
}

#[test]
fn connections_quirks_are_accounted() {
    // Semicolons (a re-saved file): sniffed and read.
    let f = accounted(format!("{}{}", HEADER.replace(',', ";"), ROW.replace(',', ";")).as_bytes());
    assert_eq!(
        (
            f["rows_read"].as_u64(),
            f["rows_used"].as_u64(),
            f["delimiter"].as_str()
        ),
        (Some(1), Some(1), Some(";"))
    );
    // Invalid UTF-8: decoded with replacement characters, counted.
    let mut bad = format!("{HEADER}{ROW}").into_bytes();
    bad.extend_from_slice(b"Bo\xff\xfe,Ng,,,,,01 Jan 2020\n");
    let f = accounted(&bad);
    assert_eq!(f["rows_used"], 2);
    assert_eq!(
        f["warnings"]["invalid UTF-8, decoded with replacement characters"],
        1
    );
    // A 50 MB single field: skipped with its reason, the rest read.
    let mut big = format!("{HEADER}{ROW}").into_bytes();
    big.extend_from_slice(b"Huge,\"");
    big.extend(std::iter::repeat_n(b'x', 50 << 20));
    big.extend_from_slice(
        b"\",,,,,01 Jan 2020\nBo,Ng,https://www.linkedin.com/in/bo-ng,,,,01 Jan 2020\n",
    );
    let f = accounted(&big);
    assert_eq!(
        (f["rows_read"].as_u64(), f["rows_used"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(f["skipped"]["record longer than 1 MiB"], 1);
    // Ragged rows, duplicate columns, duplicate URLs, future and impossible dates.
    let f = accounted(
        format!(
            "First Name,Last Name,URL,URL,Company,Position,Connected On\n{ROW}Bo,Ng\nCy,Ex,https://www.linkedin.com/in/cy,,x,y,31 Feb 2024,extra,extra\nAnn,Lee,https://www.linkedin.com/in/ann-lee,,,,01 Jan 2020\nDi,Fu,https://www.linkedin.com/in/di,,,,01 Jan 2099\n"
        )
        .as_bytes(),
    );
    assert_eq!(
        (f["rows_read"].as_u64(), f["rows_used"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(f["skipped"]["duplicate profile URL (first on line 2)"], 1);
    assert_eq!(
        f["warnings"]["duplicate column `url` (the first one is read)"],
        1
    );
    assert_eq!(f["warnings"]["unparseable Connected On date (kept)"], 1);
    assert_eq!(f["warnings"]["no Connected On date (kept)"], 1);
    // UTF-16 without a byte-order mark, and CRLF with a UTF-8 BOM.
    let mut u16 = Vec::new();
    for u in format!("{HEADER}{ROW}").encode_utf16() {
        u16.extend_from_slice(&u.to_le_bytes());
    }
    let f = accounted(&u16);
    assert_eq!(
        (f["rows_used"].as_u64(), f["encoding"].as_str()),
        (Some(1), Some("utf16-le-no-bom"))
    );
    let f = accounted(
        format!("\u{feff}{HEADER}{ROW}")
            .replace('\n', "\r\n")
            .as_bytes(),
    );
    assert_eq!(
        (f["rows_used"].as_u64(), f["encoding"].as_str()),
        (Some(1), Some("utf8-bom"))
    );
}

#[test]
fn messages_with_an_unterminated_quote_at_the_end() {
    let t = tempfile::tempdir().unwrap();
    let ex = one_file(
        t.path(),
        "Connections.csv",
        format!("{HEADER}{ROW}").as_bytes(),
    );
    std::fs::write(
        ex.join("messages.csv"),
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n\
         c1,,Ann Lee,https://www.linkedin.com/in/ann-lee,Me,https://www.linkedin.com/in/me,2024-06-11 15:33:58 UTC,,hello,INBOX\n\
         c1,,Me,https://www.linkedin.com/in/me,Ann Lee,https://www.linkedin.com/in/ann-lee,2024-06-12 15:33:58 UTC,,\"never closed,INBOX\n",
    )
    .unwrap();
    let j = audit_ok(&ex, &t.path().join("o"), &[]);
    let m = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "messages.csv")
        .unwrap()
        .clone();
    assert_eq!(
        (m["rows_read"].as_u64(), m["rows_used"].as_u64()),
        (Some(2), Some(2))
    );
}

#[test]
fn unwritable_output_and_read_only_export() {
    let t = tempfile::tempdir().unwrap();
    let ex = one_file(
        t.path(),
        "Connections.csv",
        format!("{HEADER}{ROW}").as_bytes(),
    );
    let blocker = t.path().join("file-not-folder");
    std::fs::write(&blocker, b"x").unwrap();
    fails(&ex, &blocker, "cannot create the output folder");
    fails(
        &ex,
        &blocker.join("below"),
        "cannot create the output folder",
    );
    // A read-only export is audited and left as it was.
    let mut perms = std::fs::metadata(ex.join("Connections.csv"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(ex.join("Connections.csv"), perms).unwrap();
    let before = std::fs::read(ex.join("Connections.csv")).unwrap();
    audit_ok(&ex, &t.path().join("o"), &[]);
    assert_eq!(std::fs::read(ex.join("Connections.csv")).unwrap(), before);
    assert!(
        std::fs::metadata(ex.join("Connections.csv"))
            .unwrap()
            .permissions()
            .readonly()
    );
}

#[test]
fn an_optional_file_that_cannot_be_opened_is_reported_not_fatal() {
    // Root can read any file, so a file removed between listing and reading
    // stands in for one the user may not read.
    let t = tempfile::tempdir().unwrap();
    let ex = one_file(
        t.path(),
        "Connections.csv",
        format!("{HEADER}{ROW}").as_bytes(),
    );
    std::fs::write(ex.join("messages.csv"), "FROM,TO,DATE,CONTENT\n").unwrap();
    let src = tieaudit::ingest::source::Source::open(&ex).unwrap();
    std::fs::remove_file(ex.join("messages.csv")).unwrap();
    let ex = tieaudit::ingest::ingest_source(&src, &mut Vec::new()).unwrap();
    let m = ex.files.iter().find(|f| f.file == "messages.csv").unwrap();
    assert!(
        m.error.as_deref().unwrap().starts_with("cannot open:"),
        "{:?}",
        m.error
    );
    assert_eq!(ex.connections.len(), 1);
}

/// Settings that could steer verdicts or hold the machine: a policy weight
/// that is not a finite number in range, a policy or keep "file" that is a
/// device, and a thread count far beyond the cores. Each exits 2 with one
/// line naming the problem.
#[test]
fn settings_are_bounded() {
    let t = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    let nan = t.path().join("nan.toml");
    std::fs::write(&nan, "address_book = nan\n").unwrap();
    let huge = t.path().join("huge.toml");
    std::fs::write(&huge, "two_way = 1e300\n").unwrap();
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (
            vec!["--policy".into(), nan.into()],
            "address_book must be a number from 0 to 100",
        ),
        (
            vec!["--policy".into(), huge.into()],
            "two_way must be a number from 0 to 100",
        ),
        (
            vec!["--policy".into(), "/dev/zero".into()],
            "not a regular file",
        ),
        (
            vec!["--keep".into(), "/dev/zero".into()],
            "not a regular file",
        ),
        (
            vec!["--threads".into(), "1000000000".into()],
            "--threads 1000000000: at most",
        ),
    ];
    for (i, (args, want)) in cases.into_iter().enumerate() {
        let out = bin()
            .arg("audit")
            .arg(&sample)
            .arg("--out")
            .arg(t.path().join(format!("o{i}")))
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// A header row repeated mid-file is no person: it is skipped with its
/// reason, and the rows around it are read.
#[test]
fn a_repeated_header_row_is_skipped() {
    let t = tempfile::tempdir().unwrap();
    let head = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
    let body = format!(
        "{head}Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,PM,01 Jan 2020\n{head}\
         Bo,Ng,https://www.linkedin.com/in/bo-ng,,Acme,PM,02 Jan 2020\n"
    );
    let ex = one_file(t.path(), "Connections.csv", body.as_bytes());
    let j = audit_ok(&ex, &t.path().join("out"), &[]);
    assert_eq!(
        account(&j, "Connections.csv"),
        (3, 2, vec![("the header row repeated".to_string(), 1)])
    );
}

/// One far-future date does not move the as-of date (it is left out and
/// counted), and a year outside any plausible range is unparseable, never
/// written to a CSV cell.
#[test]
fn implausible_dates_neither_steer_nor_leak() {
    let t = tempfile::tempdir().unwrap();
    let mut body =
        String::from("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n");
    for d in 1..=60 {
        body.push_str(&format!(
            "P{d},Example,https://www.linkedin.com/in/p{d}-example,,Acme,PM,{:02} Jan 2026\n",
            1 + d % 20
        ));
    }
    body.push_str("Far,Future,https://www.linkedin.com/in/far-future,,Acme,PM,01 Jan 2099\n");
    body.push_str("Old,Roman,https://www.linkedin.com/in/old-roman,,Acme,PM,01 Jan -0044\n");
    let ex = one_file(t.path(), "Connections.csv", body.as_bytes());
    let out = t.path().join("out");
    let j = audit_ok(&ex, &out, &[]);
    assert_eq!(j["latest_date"], "2026-01-20", "{}", j["latest_date"]);
    assert_eq!(j["dates_far_after_the_rest"], 1);
    let csv = std::fs::read_to_string(out.join("connections.csv")).unwrap();
    assert!(!csv.contains("-0044"), "the year -0044 reached a cell");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["as_of"], "2026-01-20");
}

/// The output folder never takes the place of the input: not the folder
/// of a lone Connections.csv (whatever the case of its name), and not the
/// export reached through a missing folder and `..`.
#[test]
fn outputs_never_land_on_the_input() {
    let t = tempfile::tempdir().unwrap();
    let e = t.path().join("e");
    std::fs::create_dir_all(&e).unwrap();
    let body = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
                Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,PM,01 Jan 2020\n";
    std::fs::write(e.join("connections.csv"), body).unwrap();
    bin()
        .arg("audit")
        .arg(e.join("connections.csv"))
        .arg("--out")
        .arg(&e)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(e.join("connections.csv")).unwrap(),
        body
    );

    let folder = t.path().join("export");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("Connections.csv"), body).unwrap();
    let sneaky = t
        .path()
        .join("missing")
        .join("..")
        .join("export")
        .join("audit");
    bin()
        .arg("audit")
        .arg(&folder)
        .arg("--out")
        .arg(&sneaky)
        .assert()
        .code(2);
    assert!(
        !folder.join("audit").exists(),
        "outputs landed in the export"
    );
}

/// Outputs are written to exclusive temporary files with unpredictable
/// names and renamed into place: a link planted where an output goes is
/// replaced, never followed, and nothing temporary is left behind.
#[test]
fn planted_links_in_the_output_folder_are_not_followed() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = t.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("report.html")).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    audit_ok(&sample, &out, &[]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let meta = std::fs::symlink_metadata(out.join("report.html")).unwrap();
    assert!(meta.file_type().is_file(), "report.html is still a link");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".tieaudit.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Issue 26, item 4: a second run into a folder another run is writing to
/// is refused, and says why.
#[test]
fn a_second_run_into_a_locked_output_folder_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let held = std::fs::File::create(out.join(".tieaudit.lock")).unwrap();
    held.lock().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    fails(
        &sample,
        &out,
        "another tieaudit run is writing to this folder",
    );
    assert!(!out.join("ingest.json").exists());
    drop(held);
    audit_ok(&sample, &out, &[]);
}

/// Issue 26, item 4: a run that fails leaves the previous run's set whole
/// (no new ingest.json beside old reports), and no staging folder behind.
#[test]
fn a_failed_run_leaves_the_previous_output_set_whole() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    audit_ok(&sample, &out, &[]);
    let before: Vec<(String, Vec<u8>)> = ["ingest.json", "summary.json", "connections.csv"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(out.join(n)).unwrap()))
        .collect();
    // The second run differs (another as-of), and cannot finish: a folder
    // stands where one of its outputs goes.
    std::fs::remove_file(out.join("report.md")).unwrap();
    std::fs::create_dir(out.join("report.md")).unwrap();
    let o = bin()
        .arg("audit")
        .arg(&sample)
        .arg("--out")
        .arg(&out)
        .args(["--as-of", "2031-01-01"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (n, bytes) in &before {
        assert!(std::fs::read(out.join(n)).unwrap() == *bytes, "{n} changed");
    }
    let staged: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tieaudit-run"))
        .collect();
    assert!(staged.is_empty(), "{staged:?}");
}

/// Issue 26, item 4: runs started together into one folder never mix:
/// every run either finishes or is refused, and the files left all come
/// from one run.
#[test]
fn runs_at_once_into_one_folder_leave_one_runs_set() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    let small = one_file(
        t.path(),
        "Connections.csv",
        format!("{HEADER}{ROW}").as_bytes(),
    );
    let runs: Vec<_> = (0..6)
        .map(|k| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tieaudit"))
                .env_clear()
                .arg("audit")
                .arg(if k % 2 == 0 { &sample } else { &small })
                .arg("--out")
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut finished = 0;
    for r in runs {
        let o = r.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        match o.status.code() {
            Some(0) => finished += 1,
            Some(2) => assert!(err.contains("another tieaudit run"), "{err}"),
            c => panic!("{c:?}: {err}"),
        }
    }
    assert!(finished >= 1);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let n = summary["connections"].as_u64().unwrap() as usize;
    assert_eq!(read_csv(&out.join("connections.csv")).len(), n);
    assert_eq!(
        ingest_json(&out)["connections"].as_u64().unwrap() as usize,
        n
    );
}

/// A zip nested twice is refused with its member named: one level (a
/// `.zip.zip`) is LinkedIn's own, deeper nesting only grows memory.
#[test]
fn a_zip_nested_twice_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let inner = t.path().join("inner.zip");
    zip_of(
        &inner,
        &[("Connections.csv", format!("{HEADER}{ROW}").as_bytes())],
    );
    let middle = t.path().join("middle.zip");
    zip_of(&middle, &[("inner.zip", &std::fs::read(&inner).unwrap())]);
    let outer = t.path().join("outer.zip");
    zip_of(&outer, &[("middle.zip", &std::fs::read(&middle).unwrap())]);
    fails(&outer, &t.path().join("o"), "one level of nesting is read");
}

/// A member whose header declares a large compressed size (so the declared
/// ratio looks harmless) is measured on the bytes it really reads, and
/// refused once it expands past the limit.
#[test]
fn a_bomb_that_lies_about_its_size_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let bomb = t.path().join("bomb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    z.start_file(
        "Connections.csv",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    z.write_all(HEADER.as_bytes()).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..64 {
        z.write_all(&spaces).unwrap();
    }
    z.finish().unwrap();
    // Declare a compressed size of 1 GiB in the local and central headers.
    let mut bytes = std::fs::read(&bomb).unwrap();
    let lie = (1u32 << 30).to_le_bytes();
    bytes[18..22].copy_from_slice(&lie);
    let central = bytes
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    bytes[central + 20..central + 24].copy_from_slice(&lie);
    std::fs::write(&bomb, &bytes).unwrap();
    let o = bin()
        .arg("audit")
        .arg(&bomb)
        .arg("--out")
        .arg(t.path().join("o"))
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0), "{err}");
    let j = std::fs::read_to_string(t.path().join("o/ingest.json")).unwrap_or_default();
    assert!(
        err.contains("as read") && err.contains("refused as a zip bomb"),
        "{err} {j}"
    );
}

/// Two members with the very same name: the zip crate would keep one and
/// the other would vanish unlisted, so the export is refused, saying so.
#[test]
fn members_sharing_a_name_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let dup = t.path().join("dup.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&dup).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for body in [format!("{HEADER}{ROW}"), HEADER.to_string()] {
        // The writer refuses a repeated name; the second is renamed, then
        // its name patched to the first's below.
        let name = if body.len() > HEADER.len() {
            "Connections.csv"
        } else {
            "Connections.csX"
        };
        w.start_file(name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    let mut bytes = std::fs::read(&dup).unwrap();
    for i in 0..bytes.len() - 15 {
        if &bytes[i..i + 15] == b"Connections.csX" {
            bytes[i + 14] = b'v';
        }
    }
    std::fs::write(&dup, &bytes).unwrap();
    fails(&dup, &t.path().join("o"), "repeat the name of another");
}

/// A lone export path that is a link to a device is refused at once, not
/// read forever.
#[test]
fn an_export_path_to_a_device_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let link = t.path().join("Connections.csv");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    fails(&link, &t.path().join("o"), "not a regular file");
}

/// A usage error never echoes an argument's escape codes to the terminal
/// (an OSC sequence would retitle the window).
#[test]
fn usage_errors_never_echo_escape_codes() {
    let o = bin()
        .args(["audit", "x", "--threads", "\u{1b}]0;title\u{7}\u{202e}9"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--threads"), "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{err:?}");
}

/// Bidirectional overrides in a name (which would reverse the text after
/// it) never reach the report pages.
#[test]
fn bidi_overrides_never_reach_the_report() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    std::fs::create_dir_all(&ex).unwrap();
    for e in std::fs::read_dir(&sample).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), ex.join(e.file_name())).unwrap();
        }
    }
    // A stranger for years in a full export: an unlink candidate, listed.
    let row = "\nAnn\u{202e}moc.live,Lee\u{2066},https://www.linkedin.com/in/ann-lee-bidi,,Zyxw Freight\u{202d},Eng,07 Mar 2005\n";
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(ex.join("Connections.csv"))
        .unwrap();
    f.write_all(row.as_bytes()).unwrap();
    let out = t.path().join("o");
    audit_ok(&ex, &out, &[]);
    for page in ["report.html", "report.md"] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains("Annmoc"), "{page} lists the person");
        assert!(
            !text.contains(['\u{202e}', '\u{2066}', '\u{202d}']),
            "{page} keeps a bidi override"
        );
    }
}
