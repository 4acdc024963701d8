//! Batch audits: many exports in one run (coaches, teams). Each export gets a
//! sub-folder of the output; a combined index (CSV and HTML) gives each
//! export's headline numbers. Exports run in parallel, and a broken one is
//! reported in the index without stopping the others.

use crate::audit::{self, Config, Outcome};
use crate::error::Result;
use crate::ingest::source::FileKind;
use crate::judge::{Action, Decision};
use crate::output::{Cell, OutDir, csv_bytes};
use maud::{DOCTYPE, html};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One export's result in a batch.
pub struct Item {
    pub export: PathBuf,
    /// The sub-folder of the output.
    pub name: String,
    pub result: Result<Outcome>,
}

/// Whether `dir` is a folder of exports rather than one export: no
/// Connections.csv at its top, and at least one entry that is an export
/// (a zip, or a folder with a Connections.csv in it).
pub fn is_folder_of_exports(dir: &Path) -> bool {
    dir.is_dir() && !has_connections(dir) && !exports_in(dir).is_empty()
}

fn has_connections(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten().any(|e| {
                FileKind::from_base_name(&e.file_name().to_string_lossy())
                    == Some(FileKind::Connections)
            })
        })
        .unwrap_or(false)
}

/// The exports directly inside a folder, sorted by name.
pub fn exports_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| !holds_our_outputs(p))
        .filter(|p| {
            let zip = p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("zip"));
            let folder = p.is_dir()
                && (has_connections(p)
                    || std::fs::read_dir(p)
                        .map(|rd| {
                            rd.flatten()
                                .any(|e| e.path().is_dir() && has_connections(&e.path()))
                        })
                        .unwrap_or(false));
            zip || folder
        })
        .collect();
    out.sort();
    out
}

/// Whether a folder holds this tool's own outputs (an earlier audit written
/// inside the folder of exports): its connections.csv is no export.
pub fn holds_our_outputs(p: &Path) -> bool {
    p.is_dir()
        && (["ingest.json", "summary.json"]
            .iter()
            .all(|f| p.join(f).is_file())
            || p.join("index.csv").is_file() && p.join("index.html").is_file())
}

/// Folders of earlier audits inside the folders of exports named on the
/// command line: skipped, and said so.
pub fn skipped_outputs(args: &[PathBuf]) -> Vec<PathBuf> {
    args.iter()
        .filter(|a| a.is_dir())
        .flat_map(|a| std::fs::read_dir(a).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| holds_our_outputs(p))
        .collect()
}

/// Expand the command line's exports: folders of exports become their exports.
pub fn expand(args: &[PathBuf]) -> Vec<PathBuf> {
    args.iter()
        .flat_map(|a| {
            if is_folder_of_exports(a) {
                exports_in(a)
            } else {
                vec![a.clone()]
            }
        })
        .collect()
}

/// A file-system-safe, unique sub-folder name for each export.
fn names(exports: &[PathBuf]) -> Vec<String> {
    // The index's own names are taken, and names differ whatever the case
    // (the macOS and Windows default disks ignore it).
    let mut seen: BTreeSet<String> = ["index.csv".into(), "index.html".into()].into();
    exports
        .iter()
        .map(|p| {
            let base = p
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "export".into());
            let base = base
                .trim_end_matches(".zip")
                .trim_end_matches(".zip")
                .to_string();
            let clean: String = base
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || "-_.() ".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let clean = clean.trim().trim_start_matches('.').to_string();
            let clean = if clean.is_empty() {
                "export".to_string()
            } else {
                clean
            };
            let mut name = clean.clone();
            let mut n = 2;
            while !seen.insert(name.to_lowercase()) {
                name = format!("{clean}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Audit every export into `out/<name>/`, then write `out/index.csv` and
/// `out/index.html`.
pub fn run(exports: &[PathBuf], template: &Config) -> Result<Vec<Item>> {
    let inputs: Vec<&Path> = exports.iter().map(PathBuf::as_path).collect();
    let mut out = OutDir::create(&template.out, &inputs)?;
    let names = names(exports);
    let items: Vec<Item> = exports
        .par_iter()
        .zip(names.par_iter())
        .map(|(e, name)| {
            let cfg = Config {
                export: e.clone(),
                out: template.out.join(name),
                ..template.clone()
            };
            Item {
                export: e.clone(),
                name: name.clone(),
                result: audit::run(&cfg, &|_| {}),
            }
        })
        .collect();
    out.write_parts("index.csv", &index_csv(&items))?;
    out.write("index.html", index_html(&items).as_bytes())?;
    out.commit()?;
    Ok(items)
}

fn count(o: &Outcome, d: Decision) -> String {
    o.decisions
        .get(d.as_str())
        .copied()
        .unwrap_or(0)
        .to_string()
}

/// Invitations with something to do (not waiting, not already answered).
fn to_act(o: &Outcome) -> usize {
    [
        Action::Accept,
        Action::Reply,
        Action::Ignore,
        Action::Withdraw,
    ]
    .iter()
    .map(|a| o.invitation_actions.get(a.as_str()).copied().unwrap_or(0))
    .sum()
}

const INDEX_COLUMNS: &[&str] = &[
    "export",
    "folder",
    "status",
    "connections",
    "keep",
    "review",
    "unlink",
    "invitations_to_act",
    "as_of",
    "error",
];

fn index_csv(items: &[Item]) -> Vec<Vec<u8>> {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let export = i.export.display().to_string();
            match &i.result {
                Ok(o) => vec![
                    export,
                    i.name.clone(),
                    "ok".into(),
                    o.connections.to_string(),
                    count(o, Decision::Keep),
                    count(o, Decision::Review),
                    count(o, Decision::Unlink),
                    to_act(o).to_string(),
                    o.as_of.map(|d| d.to_string()).unwrap_or_default(),
                    String::new(),
                ],
                Err(e) => vec![
                    export,
                    i.name.clone(),
                    "error".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    e.to_string(),
                ],
            }
        })
        .collect();
    csv_bytes(
        INDEX_COLUMNS,
        rows.len(),
        |i| {
            rows[i]
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    if k < 3 || k == 9 {
                        Cell::Text(v)
                    } else {
                        Cell::Num(v.clone())
                    }
                })
                .collect()
        },
        false,
    )
}

fn index_html(items: &[Item]) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "tieaudit batch: " (items.len()) " exports" }
                style { "body{font:15px/1.45 system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:1rem}table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}.err{color:#b00020}" }
            }
            body {
                h1 { "Batch audit of " (items.len()) " exports" }
                p { (items.iter().filter(|i| i.result.is_ok()).count()) " audited, " (items.iter().filter(|i| i.result.is_err()).count()) " could not be read." }
                table {
                    thead { tr { th { "Export" } th { "Connections" } th { "Keep" } th { "Review" } th { "Unlink" } th { "Invitations to act on" } th { "Report" } } }
                    tbody {
                        @for i in items {
                            tr {
                                td { (i.export.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()) }
                                @match &i.result {
                                    Ok(o) => {
                                        td.n { (o.connections) } td.n { (count(o, Decision::Keep)) } td.n { (count(o, Decision::Review)) } td.n { (count(o, Decision::Unlink)) } td.n { (to_act(o)) }
                                        td { a href={ (i.name) "/report.html" } { "report" } }
                                    }
                                    Err(e) => { td.err colspan="6" { (e.to_string()) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    crate::text::page_safe(page.into_string())
}
