//! Reports: snapshots of every renderer on a fixed fixture, and the safety
//! rules with hostile input (spreadsheet formulas, HTML, terminal controls,
//! redaction, external references).

mod common;
use common::*;
use std::path::Path;

fn audit_dir(export: &Path, out: &Path, extra: &[&str]) {
    let extra: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
    audit_ok(export, out, &extra);
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn renderer_snapshots() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("era2026");
    copy_fixture("era2026", &ex, false);
    let out = t.path().join("o");
    audit_dir(&ex, &out, &[]);
    insta::assert_snapshot!("report_md", read(&out.join("report.md")));
    insta::assert_snapshot!("report_html", read(&out.join("report.html")));
    insta::assert_snapshot!("summary_json", read(&out.join("summary.json")));
}

fn sample_out(t: &Path, extra: &[&str]) -> std::path::PathBuf {
    let out = t.join(format!("o{}", extra.join("")));
    audit_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"),
        &out,
        extra,
    );
    out
}

/// The sample with hostile people added (the sample itself has realistic
/// names only): strangers for years, so they reach the unlink lists, and a
/// pending invitation whose name and note are payloads.
fn hostile_out(t: &Path) -> std::path::PathBuf {
    let ex = t.join("hostile");
    std::fs::create_dir_all(&ex).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export");
    for e in std::fs::read_dir(&sample).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), ex.join(e.file_name())).unwrap();
        }
    }
    let mut conns = read(&ex.join("Connections.csv"));
    for (k, first) in [
        "\"=HYPERLINK(\"\"https://example.invalid\"\",\"\"click\"\")\"",
        "<script>alert(1)</script>",
        "+SUM(1;2)",
        "@cmd",
    ]
    .iter()
    .enumerate()
    {
        conns.push_str(&format!(
            "\n{first},Hostile,https://www.linkedin.com/in/hostile-{k},,-2+3,=cmd,0{} Mar 2005",
            k + 1
        ));
    }
    std::fs::write(ex.join("Connections.csv"), conns).unwrap();
    let mut inv = read(&ex.join("Invitations.csv"));
    if !inv.ends_with('\n') {
        inv.push('\n');
    }
    inv.push_str(
        "<script>alert(2)</script>,Alex Sample,\"3/1/26, 9:00 AM\",\"<img src=x onerror=alert(1)> =cmd|' /C calc'!A0\",INCOMING,https://www.linkedin.com/in/payload-x,https://www.linkedin.com/in/alex-sample-0a1b2c\n",
    );
    std::fs::write(ex.join("Invitations.csv"), inv).unwrap();
    let out = t.join("o-hostile");
    audit_dir(&ex, &out, &[]);
    out
}

#[test]
fn html_is_self_contained_escaped_and_every_chart_has_data() {
    let t = tempfile::tempdir().unwrap();
    let html = read(&hostile_out(t.path()).join("report.html"));
    let lower = html.to_lowercase();
    for bad in [
        "<script", "<img", "<link", "<iframe", "<object", "<embed", "@import", "url(", "src=",
        "<base",
    ] {
        assert!(!lower.contains(bad), "report.html contains {bad}");
    }
    assert!(html.contains("Content-Security-Policy") && html.contains("default-src 'none'"));
    // Hostile names from the sample appear as text, never as markup.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("=HYPERLINK("));
    // Links go to https profile pages only (or to a section of the page).
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with("https://www.linkedin.com/in/") || href.starts_with('#'),
            "{}",
            &href[..40.min(href.len())]
        );
    }
    let charts: Vec<&str> = html
        .split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap())
        .collect();
    assert_eq!(charts.len(), 10);
    for c in charts {
        assert!(
            c.contains("class=\"bar\""),
            "a chart without data: {}",
            &c[..120.min(c.len())]
        );
        assert!(
            c.contains("<title>") && c.contains("class=\"axis\""),
            "a chart without a title or axis labels: {}",
            &c[..120.min(c.len())]
        );
    }
}

#[test]
fn every_csv_cell_is_safe_for_spreadsheets() {
    let t = tempfile::tempdir().unwrap();
    let out = hostile_out(t.path());
    let mut hostile = 0;
    for f in [
        "connections.csv",
        "unlink_candidates.csv",
        "invitations.csv",
    ] {
        for row in read_csv(&out.join(f)) {
            for (col, v) in row {
                if v.starts_with('\'') {
                    hostile += 1;
                }
                let first = v.chars().next();
                assert!(
                    !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')),
                    "{f} {col}: {v:?}"
                );
            }
        }
    }
    assert!(hostile > 0, "the sample's hostile names were neutralised");
}

#[test]
fn markdown_escapes_export_text() {
    assert_eq!(
        tieaudit::report::markdown::md("<script>[x](http://e)|*"),
        "&lt;script>\\[x\\](http\\://e)\\|\\*"
    );
    // What Markdown does not read stays as it is: no escapes in dates,
    // hyphens or brackets; a bare domain is not made a link.
    assert_eq!(
        tieaudit::report::markdown::md("one-to-one (2014-03-27) evil.example"),
        "one-to-one (2014-03-27) evil\\.example"
    );
}

#[test]
fn terminal_output_strips_controls() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    copy_fixture("era2023", &ex, false);
    std::fs::write(
        ex.join("Profile.csv"),
        "First Name,Last Name\n\"Olga\u{1b}[2J\u{202e}\",Owner\n",
    )
    .unwrap();
    let out = bin()
        .arg("audit")
        .arg(&ex)
        .arg("--out")
        .arg(t.path().join("o"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Owner: Olga[2J Owner"), "{stdout}");
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'));
}

#[test]
fn redact_removes_emails_text_names_and_urls() {
    let t = tempfile::tempdir().unwrap();
    let out = sample_out(t.path(), &["--redact"]);
    let all: String = [
        "connections.csv",
        "unlink_candidates.csv",
        "invitations.csv",
        "report.html",
        "report.md",
        "summary.json",
        "ingest.json",
    ]
    .iter()
    .map(|f| read(&out.join(f)))
    .collect();
    assert!(!all.contains("@example.invalid"), "an email survived");
    assert!(!all.contains("linkedin.com/in/"), "a profile URL survived");
    assert!(!all.contains("calendly.com"), "invitation text survived");
    assert!(!all.contains("Alex Sample"), "the owner's name survived");
    for r in read_csv(&out.join("connections.csv")) {
        assert!(
            r["first_name"].is_empty() || r["first_name"].ends_with('.'),
            "{:?}",
            r["first_name"]
        );
        assert!(r["email"].is_empty());
    }
    for r in read_csv(&out.join("invitations.csv")) {
        assert!(r["message"].is_empty());
    }
    // No full name anywhere, a reason about a shared name included.
    let plain = sample_out(t.path(), &[]);
    let plain_csv = read(&plain.join("connections.csv"));
    assert!(
        plain_csv.contains("connections are named"),
        "the sample has a name clash"
    );
    for r in read_csv(&plain.join("connections.csv")) {
        let full = format!("{} {}", r["first_name"].trim(), r["last_name"].trim());
        if full.chars().count() > 6 {
            assert!(!all.contains(&full), "{full} survived redaction");
        }
    }
    let kept = sample_out(t.path(), &["--redact", "--keep-urls"]);
    assert!(read(&kept.join("connections.csv")).contains("linkedin.com/in/"));
}

#[test]
fn excel_csvs_start_with_a_bom() {
    let t = tempfile::tempdir().unwrap();
    let out = sample_out(t.path(), &["--excel"]);
    for f in [
        "connections.csv",
        "unlink_candidates.csv",
        "invitations.csv",
    ] {
        assert!(
            std::fs::read(out.join(f))
                .unwrap()
                .starts_with(b"\xEF\xBB\xBF"),
            "{f}"
        );
    }
    let plain = sample_out(t.path(), &[]);
    assert!(
        !std::fs::read(plain.join("connections.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("audit"),
            "{shell}"
        );
    }
    let man = bin().arg("man").output().unwrap();
    assert!(man.status.success() && String::from_utf8_lossy(&man.stdout).contains(".TH tieaudit"));
    // Issue 25: a page per subcommand, as the main page's SEE ALSO names them.
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("man");
    assert!(
        bin()
            .arg("man")
            .arg("--out")
            .arg(&dir)
            .output()
            .unwrap()
            .status
            .success()
    );
    for page in [
        "tieaudit.1",
        "tieaudit-audit.1",
        "tieaudit-sample.1",
        "tieaudit-policy.1",
    ] {
        assert!(dir.join(page).is_file(), "{page}");
    }
    let main = read(&dir.join("tieaudit.1"));
    assert!(
        main.contains("tieaudit\\-audit(1)"),
        "the main page points to tieaudit-audit(1)"
    );
    // Exit code 1 is documented; no default is said twice.
    let help = String::from_utf8_lossy(&bin().arg("--help").output().unwrap().stdout).into_owned();
    assert!(help.contains("1 done with problems"), "{help}");
    let sample =
        String::from_utf8_lossy(&bin().args(["sample", "--help"]).output().unwrap().stdout)
            .into_owned();
    assert!(!sample.contains("Default: 300"), "{sample}");
    // Every policy field carries its comment.
    let policy =
        String::from_utf8_lossy(&bin().arg("policy").output().unwrap().stdout).into_owned();
    let mut prev = "";
    for line in policy.lines() {
        if line.contains(" = ") {
            assert!(prev.starts_with("# "), "{line} has no comment");
        }
        prev = line;
    }
}

/// Issue 25: a policy error keeps TOML's own layout: the line, and a caret
/// under the column.
#[test]
fn policy_errors_keep_their_layout() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("p.toml");
    std::fs::write(&p, "two_way = \"x\"\n").unwrap();
    let o = bin()
        .arg("audit")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"))
        .arg("--out")
        .arg(t.path().join("o"))
        .arg("--policy")
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.lines().count() >= 3, "{err}");
    assert!(
        err.contains("two_way = \"x\"") && err.contains('^'),
        "{err}"
    );
}

/// Issue 22: with only a Connections.csv the pages say what is missing and
/// claim nothing the export cannot hold.
#[test]
fn a_lone_connections_file_is_reported_truthfully() {
    let t = tempfile::tempdir().unwrap();
    let ex = t.path().join("ex");
    std::fs::create_dir_all(&ex).unwrap();
    std::fs::write(
        ex.join("Connections.csv"),
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,Engineer,07 Mar 2020\n\
         Bo,Ray,https://www.linkedin.com/in/bo-ray,,Initech,Analyst,07 Mar 2024\n",
    )
    .unwrap();
    let out = t.path().join("o");
    audit_dir(&ex, &out, &[]);
    for page in ["report.html", "report.md"] {
        let text = read(&out.join(page));
        for false_claim in [
            "every connection has some context or is too recent",
            "You sent no invitations",
            "Nothing to act on",
        ] {
            assert!(!text.contains(false_claim), "{page} says {false_claim:?}");
        }
        assert!(text.contains("This export has no messages"), "{page}");
        assert!(
            text.contains("This export has no Invitations.csv"),
            "{page}"
        );
        assert!(text.contains("2 to review"), "{page}");
    }
}

/// Issue 22: the page starts with what to do, lists the people in review by
/// reason, keeps long tables short, and tells where report.html is.
#[test]
fn the_page_says_what_to_do_next() {
    let t = tempfile::tempdir().unwrap();
    let out = sample_out(t.path(), &[]);
    let html = read(&out.join("report.html"));
    let todo = html.find("What to do next").unwrap();
    assert!(todo < html.find("id=\"unlink\"").unwrap());
    assert!(html.contains("Remove connection") && html.contains("Withdraw"));
    assert!(html.contains("id=\"review\"") && html.contains("<details"));
    // The sample's 80 unlink candidates: 25 shown, the rest a click away.
    assert!(html.contains("Show the other 55 (all 80 are in <code>unlink_candidates.csv</code>)"));
    // The acceptance chart shows the percentages the text states (one
    // rounding for both: the page once said 67% and drew 66%).
    let stated = html.split("Accepted: ").nth(1).unwrap();
    for part in stated.split(" without.").next().unwrap().split(", ") {
        let pct = part.split(' ').next().unwrap();
        assert!(
            html.contains(&format!(">{pct}</text>")),
            "chart lacks {pct}"
        );
    }
    let o = bin()
        .arg("audit")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/export"))
        .arg("--out")
        .arg(t.path().join("o2"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let last = text.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("Open ") && last.contains("report.html"),
        "{last}"
    );
    let keep = text.find("172 keep, 48 review, 80 unlink").unwrap();
    assert!(keep < text.find("What was read").unwrap(), "{text}");
}
