//! The library's one error type. Every variant names what the user has to fix:
//! the path, the file inside the export, and where possible the line.

use std::path::PathBuf;

/// Errors that stop an audit (exit code 2). Bad rows are not errors: they are
/// counted in the accounting with their reason.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no such file or folder")]
    Missing { path: PathBuf },

    #[error("{path}: not a zip archive, a folder or a Connections.csv ({reason})")]
    NotAnExport { path: PathBuf, reason: String },

    #[error("{path}: cannot read the zip archive: {reason}")]
    BadZip { path: PathBuf, reason: String },

    #[error("{path}: member {member} {reason}")]
    ZipMember {
        path: PathBuf,
        member: String,
        reason: String,
    },

    #[error(
        "{path}: no Connections.csv in this export (it is the one file an audit needs; files seen: {seen})"
    )]
    NoConnections { path: PathBuf, seen: String },

    #[error("{file}: header not found ({why})")]
    ConnectionsHeader { file: String, why: String },

    #[error("{file}: {rows} rows read but none is a person ({why})")]
    NoPeople {
        file: String,
        rows: u64,
        why: String,
    },

    #[error("{file}: {reason}")]
    Read { file: String, reason: String },

    /// A file that exists but cannot be opened (permissions, a special file).
    #[error("{file}: cannot open: {reason}")]
    Unreadable { file: String, reason: String },

    #[error("{path}: {reason}")]
    Output { path: PathBuf, reason: String },

    #[error("{path}: {reason}")]
    Config { path: PathBuf, reason: String },

    /// Not one date in the export to judge by.
    #[error("{path}: the export holds no date at all: pass --as-of")]
    NoDates { path: PathBuf },

    /// An earlier export that cannot be compared with this one.
    #[error("--previous {path}: {reason}")]
    Previous { path: String, reason: String },

    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
