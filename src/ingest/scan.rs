//! The loop every file parser shares: open the table, count each record once,
//! and hand the parser a row it must either use or skip with a reason.

use super::model::FileAccount;
use super::table::{Next, Opened, Row, Table};
use std::io::{self, Read};

/// Outcome of a scan that did not fail on I/O.
pub enum Scanned {
    Done,
    NoHeader { records_seen: usize },
}

/// Read a table. `setup` resolves column indices once; `each` must call
/// `acct.used()` or `acct.skip(..)` exactly once per row (checked by the
/// accounting tests).
pub fn scan<R: Read, C>(
    reader: R,
    acct: &mut FileAccount,
    is_header: &dyn Fn(&[String]) -> bool,
    setup: impl FnOnce(&Table<R>, &mut FileAccount) -> C,
    mut each: impl FnMut(&C, &Row<'_>, &mut FileAccount),
) -> io::Result<Scanned> {
    let mut t = match Table::open(reader, is_header)? {
        Opened::Found(t) => t,
        Opened::NoHeader { records_seen } => return Ok(Scanned::NoHeader { records_seen }),
    };
    acct.header_line = Some(t.header_line);
    acct.delimiter = Some(if t.delimiter == b'\t' {
        "tab".into()
    } else {
        (t.delimiter as char).to_string()
    });
    for d in &t.duplicate_columns {
        acct.warn(
            t.header_line,
            &format!("duplicate column `{d}` (the first one is read)"),
        );
    }
    let cols = setup(&t, acct);
    loop {
        match t.next_row()? {
            Next::End => break,
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
                each(&cols, &r, acct);
                if r.lossy() {
                    acct.warn(r.line, "invalid UTF-8, decoded with replacement characters");
                }
            }
        }
    }
    acct.encoding = Some(t.encoding());
    let replaced = t.replaced_units();
    if replaced > 0 {
        *acct
            .warnings
            .entry("invalid UTF-16 units replaced".into())
            .or_default() += replaced;
    }
    Ok(Scanned::Done)
}

/// A header predicate: every one of `required` names is a cell.
pub fn has_all(required: &'static [&'static str]) -> impl Fn(&[String]) -> bool {
    move |cells: &[String]| required.iter().all(|r| cells.iter().any(|c| c == r))
}

/// Record the optional columns a file lacks (era differences, not errors).
pub fn note_missing<R: Read>(t: &Table<R>, acct: &mut FileAccount, wanted: &[&[&str]]) {
    for alts in wanted {
        if !alts.iter().any(|a| t.has(a)) {
            acct.missing_columns.push(alts[0].to_string());
        }
    }
}
