//! The loop every file parser shares: open the table, count each record once,
//! and hand the parser a row it must either use or skip with a reason.

use super::decode::Decoder;
use super::table::{Header, Next, Opened, Row, Table};
use crate::ingest::model::FileAccount;
use std::io::{self, Read};

/// Outcome of a scan that did not fail on I/O.
pub enum Scanned {
    Done,
    NoHeader {
        records_seen: usize,
        too_long: usize,
    },
}

/// Read a table. `setup` resolves column indices once; `each` must call
/// `acct.used()` or `acct.skip(..)` exactly once per row (checked by the
/// accounting tests).
pub fn scan<R: Read, C>(
    reader: R,
    acct: &mut FileAccount,
    is_header: &dyn Fn(&[String]) -> bool,
    setup: impl FnOnce(&Header, &mut FileAccount) -> C,
    mut each: impl FnMut(&C, &Row<'_>, &mut FileAccount),
) -> io::Result<Scanned> {
    let (mut t, header) = match Table::open(reader, is_header)? {
        Opened::Found(t, h) => (t, h),
        Opened::NoHeader {
            records_seen,
            too_long,
        } => {
            return Ok(Scanned::NoHeader {
                records_seen,
                too_long,
            });
        }
    };
    account_header(&header, acct);
    let cols = setup(&header, acct);
    // messages.csv is read in blocks too, where a repeated header would
    // count as a row with no date; both ways must count alike.
    let check = acct.kind != crate::ingest::source::FileKind::Messages;
    rows(&mut t, acct, |row, acct| {
        if check && header.repeated_in(row) {
            acct.skip(row.line, "the header row repeated");
        } else {
            each(&cols, row, acct)
        }
    })?;
    account_decoding(t.decoder(), acct);
    Ok(Scanned::Done)
}

/// What decoding the file found: its encoding, and UTF-16 units replaced.
pub fn account_decoding<R: Read>(dec: &Decoder<R>, acct: &mut FileAccount) {
    acct.encoding = Some(dec.encoding());
    let replaced = dec.replaced();
    if replaced > 0 {
        *acct
            .warnings
            .entry("invalid UTF-16 units replaced".into())
            .or_default() += replaced;
    }
}

/// What the header tells the accounting.
pub fn account_header(h: &Header, acct: &mut FileAccount) {
    acct.header_line = Some(h.line);
    acct.delimiter = Some(if h.delimiter == b'\t' {
        "tab".into()
    } else {
        (h.delimiter as char).to_string()
    });
    for d in &h.duplicate_columns {
        acct.warn(
            h.line,
            &format!("duplicate column `{d}` (the first one is read)"),
        );
    }
}

/// Every remaining record of `t`, counted once: too long and blank rows are
/// skipped here, the rest handed to `each`.
pub fn rows<S: Read>(
    t: &mut Table<S>,
    acct: &mut FileAccount,
    mut each: impl FnMut(&Row<'_>, &mut FileAccount),
) -> io::Result<()> {
    loop {
        match t.next_row()? {
            Next::End => return Ok(()),
            Next::TooLong { line } => {
                acct.rows_read += 1;
                acct.skip(line, "record longer than 1 MiB");
            }
            Next::Row(r) => {
                acct.rows_read += 1;
                if r.is_empty() {
                    acct.skip(r.line, "blank row");
                    continue;
                }
                each(&r, acct);
                if r.lossy() {
                    acct.warn(r.line, "invalid UTF-8, decoded with replacement characters");
                }
            }
        }
    }
}

/// A header predicate: every one of `required` names is a cell.
pub fn has_all(required: &'static [&'static str]) -> impl Fn(&[String]) -> bool {
    move |cells: &[String]| required.iter().all(|r| cells.iter().any(|c| c == r))
}

/// Record the optional columns a file lacks (era differences, not errors).
pub fn note_missing(t: &Header, acct: &mut FileAccount, wanted: &[&[&str]]) {
    for alts in wanted {
        if !alts.iter().any(|a| t.has(a)) {
            acct.missing_columns.push(alts[0].to_string());
        }
    }
}
