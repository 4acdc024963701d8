//! The library's one error type. Every variant names what the user has to fix:
//! the path, the file inside the export, and where possible the line.

use std::path::PathBuf;

/// Errors that stop an audit (exit code 2). Bad rows are not errors: they are
/// counted in the accounting with their reason.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The export named does not exist.
    #[error("{path}: no such file or folder")]
    Missing {
        /// The path as given.
        path: PathBuf,
    },

    /// The path is neither a zip, a folder nor a Connections.csv.
    #[error("{path}: not a zip archive, a folder or a Connections.csv ({reason})")]
    NotAnExport {
        /// The path as given.
        path: PathBuf,
        /// What it is instead, or why it could not be told.
        reason: String,
    },

    /// A zip whose directory cannot be read, or that breaks a zip limit.
    #[error("{path}: cannot read the zip archive: {reason}")]
    BadZip {
        /// The zip.
        path: PathBuf,
        /// What is wrong with it, in words.
        reason: String,
    },

    /// One member of a zip that cannot be read (too large, nested too deep).
    #[error("{path}: member {member} {reason}")]
    ZipMember {
        /// The zip.
        path: PathBuf,
        /// The member's name inside it.
        member: String,
        /// What is wrong with the member.
        reason: String,
    },

    /// No Connections.csv: the one file an audit needs.
    #[error(
        "{path}: no Connections.csv in this export (it is the one file an audit needs; files seen: {seen})"
    )]
    NoConnections {
        /// The export.
        path: PathBuf,
        /// The first files it does hold, for the message.
        seen: String,
    },

    /// Connections.csv has no header row that could be found.
    #[error("{file}: header not found ({why})")]
    ConnectionsHeader {
        /// The file inside the export.
        file: String,
        /// What was looked for and what was seen.
        why: String,
    },

    /// Connections.csv has rows but not one person among them.
    #[error("{file}: {rows} rows read but none is a person ({why})")]
    NoPeople {
        /// The file inside the export.
        file: String,
        /// Rows read.
        rows: u64,
        /// Why the rows were skipped, counted.
        why: String,
    },

    /// A file whose contents cannot be used (no header, not UTF-8, a row
    /// that does not parse), or an earlier audit's file that cannot.
    #[error("{file}: {reason}")]
    Read {
        /// The file inside the export.
        file: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A file that exists but cannot be opened (permissions, a special file).
    #[error("{file}: cannot open: {source}")]
    Unreadable {
        /// The file inside the export.
        file: String,
        /// The opening error.
        source: std::io::Error,
    },

    /// A file of the export that failed while being read or inflated.
    #[error("{file}: {source}")]
    Io {
        /// The file inside the export.
        file: String,
        /// The reading error.
        source: std::io::Error,
    },

    /// An output that cannot be written, or may not be (inside the export).
    #[error("{path}: {reason}")]
    Output {
        /// The output file or folder.
        path: PathBuf,
        /// The writing error, or why the path is refused.
        reason: String,
    },

    /// A settings file (policy, keep list, decisions) that cannot be used.
    #[error("{path}: {reason}")]
    Config {
        /// The settings file.
        path: PathBuf,
        /// What is wrong, with its line where known.
        reason: String,
    },

    /// Not one date in the export to judge by.
    #[error("{path}: the export holds no date at all: pass --as-of")]
    NoDates {
        /// The export.
        path: PathBuf,
    },

    /// An earlier export that cannot be compared with this one.
    #[error("--previous {path}: {reason}")]
    Previous {
        /// The earlier export or audit folder.
        path: String,
        /// Why it cannot be compared (another owner, no dates, ...).
        reason: String,
    },

    /// A command line that cannot be carried out, in words.
    #[error("{0}")]
    Usage(String),
}

/// The library's result, with [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;
