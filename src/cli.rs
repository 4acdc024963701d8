//! The command line: clap definitions, and the one place they become a
//! library `Config`. Nothing below this file sees clap types.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use tieaudit::audit::Config;
use tieaudit::policy::Policy;
use tieaudit::{Error, Result};

/// Audit a LinkedIn network from its data export: which connections carry real
/// context, which invitations to ignore or withdraw. Offline; it recommends and
/// never acts on the account or changes the export.
///
/// Exit codes: 0 done; 1 done with problems that --strict treats as failure;
/// 2 could not run (bad export, bad arguments, output not writable).
#[derive(Debug, Parser)]
#[command(
    name = "tieaudit",
    version,
    after_help = "Example:\n  tieaudit audit Complete_LinkedInDataExport_03-07-2026.zip --out audit-out"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit one export (a .zip, the folder it unpacks to, or a Connections.csv).
    #[command(
        after_help = "Example:\n  tieaudit audit sample-data/export --out audit-out --as-of 2026-03-01"
    )]
    Audit(AuditArgs),
    /// Write a synthetic export with known latent relationships.
    Sample(SampleArgs),
    /// Print the default policy as TOML, to copy and edit.
    Policy,
    /// The introduction test, person by person: the review pile of an audit
    /// (or of an export, audited first), weakest evidence first. Each answer
    /// is saved to the decisions file at once; a later session resumes.
    Review(ReviewArgs),
    /// Fit the policy's unlink line to your decisions (30 or more): prints how
    /// often the tool agrees with you before and after, and writes a policy
    /// file to pass with `audit --policy`. The safety rules stay: two-way
    /// messages, a recommendation, a personal note or shared tenure still keep.
    #[command(
        after_help = "Example:\n  tieaudit calibrate export.zip --decisions decisions.csv --out my-policy.toml"
    )]
    Calibrate(CalibrateArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, or with --out write one
    /// page per subcommand (tieaudit.1, tieaudit-audit.1, ...) into a folder.
    Man {
        /// Folder to write the pages into (created).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The export: a .zip (read in place), a folder, or a lone Connections.csv.
    /// Several exports, or a folder of exports, make a batch: one sub-folder of
    /// --out per export plus index.csv and index.html.
    #[arg(required = true, num_args = 1..)]
    pub export: Vec<PathBuf>,
    /// Folder for the outputs (created; may not be inside the export).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Policy file (TOML); missing fields take defaults (see `tieaudit policy`).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Keep list, one entry a line: a profile URL or slug, `company: Acme`, or
    /// `position: founder`. Never recommended for unlink; each run reports the
    /// lines that matched nobody.
    #[arg(long)]
    pub keep: Option<PathBuf>,
    /// Your decisions, over the tool's: a decisions.csv (columns profile_url, name,
    /// decision, decided_on, comment), or an earlier audit's connections.csv with
    /// its your_decision column filled in.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Judge as of this date (YYYY-MM-DD). Default: the latest date in the export, not today's clock.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// An earlier export of yours (zip or folder), or an earlier audit's output
    /// folder: adds changes.csv and a "Since" section. Repeat it, or name a
    /// folder of dated exports, for a timeline (timeline.csv).
    #[arg(long, value_name = "OLD")]
    pub previous: Vec<PathBuf>,
    /// Worker threads for reading, judging and writing. Default: one per core. Outputs are identical for any value.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write CSVs with a UTF-8 byte-order mark, so spreadsheet programs show non-Latin names right. Default: off.
    #[arg(long)]
    pub excel: bool,
    /// Redact for sharing (with a coach, say): no emails, no message or note text, names as initials, no profile URLs. Default: off.
    #[arg(long)]
    pub redact: bool,
    /// With --redact, keep profile URLs. Default: off.
    #[arg(long, requires = "redact")]
    pub keep_urls: bool,
    /// Exit 1 when the audit finished with problems: a file it could not use, or
    /// (in a batch) an export that could not be read. Default: off (exit 0).
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors. Default: off.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print each stage's duration to stderr. Default: off.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// An earlier audit's output folder, or an export (audited first).
    pub input: PathBuf,
    /// The decisions file answers are appended to (created if missing); pass
    /// it to `audit --decisions` next time.
    #[arg(long, value_name = "FILE")]
    pub decisions: PathBuf,
    /// Walk the unlink candidates instead of the review pile.
    #[arg(long)]
    pub unlink: bool,
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The export your decisions are about (a .zip, a folder, or a Connections.csv).
    pub export: PathBuf,
    /// Your decisions: decisions.csv, or an audit's connections.csv with its
    /// your_decision column filled in.
    #[arg(long, value_name = "FILE")]
    pub decisions: PathBuf,
    /// The policy file to write (replaced if it exists).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// The policy to start from. Default: the built-in one.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Judge as of this date (YYYY-MM-DD). Default: the latest date in the export.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

impl CalibrateArgs {
    /// The audit settings calibration judges the export with.
    pub fn to_config(&self) -> Result<Config> {
        Ok(Config {
            export: self.export.clone(),
            policy: read_policy(self.policy.as_deref())?,
            as_of: parse_as_of(self.as_of.as_deref())?,
            decisions: Some(read_decisions(&self.decisions)?),
            decisions_from: Some(self.decisions.clone()),
            ..Config::default()
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// Folder to write the export into (or the .zip path with --zip).
    #[arg(long, short)]
    pub out: PathBuf,
    /// How many connections.
    #[arg(long, default_value_t = 300)]
    pub connections: usize,
    /// Random seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Top messages.csv up to about this many rows (for benchmarks). Default: what the relationships imply.
    #[arg(long)]
    pub messages: Option<usize>,
    /// Top Invitations.csv up to this many rows with pending strangers. Default: what the relationships imply.
    #[arg(long)]
    pub invitations: Option<usize>,
    /// Top the endorsement files up to this many rows. Default: what the relationships imply.
    #[arg(long)]
    pub endorsements: Option<usize>,
    /// Write a deflate .zip instead of a folder. Default: off.
    #[arg(long)]
    pub zip: bool,
    /// Also write each person's latent relationship (ground truth) to this CSV.
    #[arg(long, conflicts_with = "evolve")]
    pub truth: Option<PathBuf>,
    /// Age this export instead (a zip or folder in UTF-8; the UTF-16 files of
    /// 2018 are refused): the same owner some months later, with unlinks done, job changes, new connections and
    /// messages, invitations resolved and a few profile addresses changed.
    #[arg(long, value_name = "FROM")]
    pub evolve: Option<PathBuf>,
    /// With --evolve: how many months later.
    #[arg(long, default_value_t = 6, requires = "evolve")]
    pub months: u32,
    /// With --evolve: leave Connections.csv's URL column empty, as exports of
    /// 2020 to 2022 do. Default: off.
    #[arg(long, requires = "evolve")]
    pub no_urls: bool,
}

impl AuditArgs {
    /// The one place clap settings become a library `Config`.
    pub fn to_config(&self) -> Result<Config> {
        let policy = read_policy(self.policy.as_deref())?;
        let keep = match &self.keep {
            Some(p) => tieaudit::keep::KeepList::parse(
                &read_setting_file(p, SETTING_FILE_MAX).map_err(|e| match e {
                    Error::Config { path, reason } => Error::Config {
                        path,
                        reason: format!("keep list: {reason}"),
                    },
                    e => e,
                })?,
            ),
            None => Default::default(),
        };
        let decisions = self.decisions.as_deref().map(read_decisions).transpose()?;
        let as_of = parse_as_of(self.as_of.as_deref())?;
        if let Some(n) = self.threads {
            // More threads than cores buys nothing; far more only costs.
            let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
            let most = 8 * cores;
            if n > most {
                return Err(Error::Usage(format!(
                    "--threads {n}: at most {most} on this machine ({cores} cores)"
                )));
            }
        }
        Ok(Config {
            exports: self.export.clone(),
            export: self.export.first().cloned().unwrap_or_default(),
            out: self.out.clone(),
            policy,
            keep,
            as_of,
            excel: self.excel,
            redact: tieaudit::report::Redaction {
                on: self.redact,
                keep_urls: self.keep_urls,
            },
            decisions,
            decisions_from: self.decisions.clone(),
            previous: self.previous.clone(),
            threads: self.threads,
            quiet: self.quiet,
            strict: self.strict,
            timings: self.timings,
        })
    }
}

/// A policy file, or the defaults.
fn read_policy(p: Option<&std::path::Path>) -> Result<Policy> {
    let Some(p) = p else {
        return Ok(Policy::default());
    };
    let text = read_setting_file(p, SETTING_FILE_MAX)?;
    Policy::from_toml(&text).map_err(|reason| Error::Config {
        path: p.to_path_buf(),
        reason,
    })
}

/// A decisions file, read.
fn read_decisions(p: &std::path::Path) -> Result<tieaudit::decisions::Decisions> {
    tieaudit::decisions::parse(&read_setting_file(p, DECISIONS_FILE_MAX)?).map_err(|reason| {
        Error::Config {
            path: p.to_path_buf(),
            reason: format!("decisions file: {reason}"),
        }
    })
}

/// `--as-of`, read.
fn parse_as_of(s: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("--as-of {s:?}: expected a date like 2026-03-01")))
    })
    .transpose()
}

/// The most a policy or keep file may hold: far more than any real one.
const SETTING_FILE_MAX: u64 = 4 << 20;
/// The most a decisions file may hold: an edited connections.csv of 30,000
/// connections with their reasons fits several times over.
const DECISIONS_FILE_MAX: u64 = 64 << 20;

/// Read a settings file: a regular file of at most `max` bytes (a device
/// or a pipe would be read forever).
fn read_setting_file(p: &std::path::Path, max: u64) -> Result<String> {
    use std::io::Read;
    let err = |reason: String| Error::Config {
        path: p.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(p).map_err(|e| err(e.to_string()))?;
    if !meta.is_file() {
        return Err(err("not a regular file".into()));
    }
    if meta.len() > max {
        return Err(err(format!("{} bytes; at most {max} are read", meta.len())));
    }
    let mut text = String::new();
    std::fs::File::open(p)
        .and_then(|f| f.take(max + 1).read_to_string(&mut text))
        .map_err(|e| err(e.to_string()))?;
    if text.len() as u64 > max {
        return Err(err(format!("more than {max} bytes")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
