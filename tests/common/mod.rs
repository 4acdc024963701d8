//! Helpers shared by the integration tests: run the real binary with a
//! cleared environment, copy fixtures, read outputs.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn bin() -> Command {
    let mut c = Command::cargo_bin("tieaudit").expect("binary");
    c.env_clear();
    c
}

/// Audit `export` into `out` quietly (plus `extra` arguments), expect success,
/// and return ingest.json after checking every file's accounting balances.
pub fn audit_ok(export: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> serde_json::Value {
    bin()
        .arg("audit")
        .arg(export)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
    let j = ingest_json(out);
    assert_balanced(&j);
    j
}

/// Write a synthetic export of `n` connections (seed `seed`) to `out`,
/// with `extra` arguments (`--truth FILE`, `--zip`).
pub fn sample_export(out: &Path, n: usize, seed: u64, extra: &[&std::ffi::OsStr]) {
    bin()
        .args([
            "sample",
            "--connections",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copy a fixture folder; with `utf16`, re-encode each file as UTF-16LE + BOM, CRLF.
pub fn copy_fixture(name: &str, to: &Path, utf16: bool) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(fixture(name)).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let bytes = if utf16 {
            let mut b = vec![0xFF, 0xFE];
            for u in text.replace('\n', "\r\n").encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            b
        } else {
            text.into_bytes()
        };
        std::fs::write(to.join(p.file_name().unwrap()), bytes).unwrap();
    }
}

/// Zip a folder (flat) with deflate.
pub fn zip_dir(dir: &Path, zip_path: &Path) {
    let f = std::fs::File::create(zip_path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<PathBuf> = walk(dir);
    names.sort();
    for p in names {
        let rel = p
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(rel, o).unwrap();
        std::io::Write::write_all(&mut z, &std::fs::read(&p).unwrap()).unwrap();
    }
    z.finish().unwrap();
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

pub fn ingest_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("ingest.json")).unwrap()).unwrap()
}

/// (rows_read, rows_used, skipped by reason) of one file in ingest.json.
pub fn account(j: &serde_json::Value, file: &str) -> (u64, u64, Vec<(String, u64)>) {
    let f = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("{file} not in ingest.json"));
    let skipped = f["skipped"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    (
        f["rows_read"].as_u64().unwrap(),
        f["rows_used"].as_u64().unwrap(),
        skipped,
    )
}

/// Every file's used + skipped equals read.
pub fn assert_balanced(j: &serde_json::Value) {
    for f in j["files"].as_array().unwrap() {
        let skipped: u64 = f["skipped"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            f["rows_used"].as_u64().unwrap() + skipped,
            f["rows_read"].as_u64().unwrap(),
            "{}",
            f["file"]
        );
    }
}

pub fn read_csv(p: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let head = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            head.iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
