//! The CSV engine: bytes in any encoding an export has used to rows, one
//! file at a time or in parallel blocks, behind this one small interface.
//!
//! - `decode`: BOM sniffing, UTF-16 to UTF-8, line ends to LF;
//! - `record`: one record at a time, with SIMD marks of quotes and
//!   delimiters (the one place with `unsafe`, each use held to a plain
//!   definition by property tests);
//! - `table`: records to rows, the header search, the delimiter sniff;
//! - `scan`: the loop every file parser shares (every row used or skipped);
//! - `blocks`: the same loop over blocks of a large file, in parallel.
//!
//! It reads as the csv crate does (held to it by property tests), about
//! twice as fast. Why not the csv crate or simd-csv, with the measurements:
//! PERFORMANCE.md, "The CSV engine".

mod blocks;
mod decode;
mod record;
mod scan;
mod table;

pub use blocks::{BLOCK, scan_parallel};
pub use decode::Encoding;
pub use scan::{Scanned, has_all, note_missing, scan};
pub use table::{Header, MAX_RECORD_BYTES, Next, Opened, Row, Table, normalized};
