//! Writers for the audit's files. Every CSV text cell is neutralised against
//! spreadsheet formulas; every file is written to a temporary name and renamed
//! into place, so a crash never leaves half a file.

use crate::error::{Error, Result};
use crate::text::csv_safe;
use std::path::{Path, PathBuf};

/// A CSV cell: text from the export (neutralised) or a value we made.
pub enum Cell<'a> {
    Text(&'a str),
    /// Text from the export, or built from it for this cell (a redacted
    /// name): neutralised too.
    OwnedText(std::borrow::Cow<'a, str>),
    Num(String),
    /// A word of ours (a decision, `yes`).
    Lit(&'static str),
    Int(i64),
    /// `YYYY-MM-DD`, or empty.
    Date(Option<chrono::NaiveDate>),
    /// `YYYY-MM-DDTHH:MM:SS`.
    DateTime(chrono::NaiveDateTime),
}

/// Rows a parallel task makes and encodes at once.
const CHUNK: usize = 1024;

/// CSV bytes from a header and `n` rows, the rows made and encoded in
/// parallel chunks. The parts, in order, are the file. For small files
/// (the batch index); audits stream theirs with [`write_csv`].
pub fn csv_bytes<'a>(
    header: &[&str],
    n: usize,
    row: impl Fn(usize) -> Vec<Cell<'a>> + Sync,
    bom: bool,
) -> Vec<Vec<u8>> {
    let mut parts = vec![csv_head(header, bom)];
    let mut chunks = vec![Vec::new(); n.div_ceil(CHUNK)];
    encode_chunks(&mut chunks, 0, n, &row);
    parts.extend(chunks);
    parts
}

/// Write a CSV file of a header and `n` rows to `w`, a window of chunks at a
/// time: the rows of a window are made and encoded in parallel while the
/// window before is written, so memory holds two windows, never the file.
pub fn write_csv<'a>(
    w: &mut (dyn std::io::Write + Send),
    header: &[&str],
    n: usize,
    row: impl Fn(usize) -> Vec<Cell<'a>> + Sync,
    bom: bool,
) -> std::io::Result<()> {
    w.write_all(&csv_head(header, bom))?;
    let per_window = 2 * rayon::current_num_threads().max(1);
    let windows = n.div_ceil(CHUNK * per_window);
    let mut ready: Vec<Vec<u8>> = vec![Vec::new(); per_window];
    let mut next: Vec<Vec<u8>> = vec![Vec::new(); per_window];
    encode_chunks(&mut ready, 0, n, &row);
    for k in 1..=windows {
        let first = k * per_window;
        let (written, ()) = rayon::join(
            || ready.iter().try_for_each(|b| w.write_all(b)),
            || encode_chunks(&mut next, first, n, &row),
        );
        written?;
        std::mem::swap(&mut ready, &mut next);
    }
    Ok(())
}

fn csv_head(header: &[&str], bom: bool) -> Vec<u8> {
    let mut head = Vec::new();
    if bom {
        head.extend_from_slice(b"\xEF\xBB\xBF");
    }
    encode(
        &mut head,
        std::iter::once(header.iter().map(|h| Cell::Num((*h).into())).collect()),
    );
    head
}

/// Encode chunk `first + k` into `bufs[k]`, in parallel; chunks past row
/// `n` come out empty.
fn encode_chunks<'a>(
    bufs: &mut [Vec<u8>],
    first: usize,
    n: usize,
    row: &(impl Fn(usize) -> Vec<Cell<'a>> + Sync),
) {
    use rayon::prelude::*;
    bufs.par_iter_mut().enumerate().for_each(|(k, out)| {
        out.clear();
        let start = ((first + k) * CHUNK).min(n);
        encode(out, (start..n.min(start + CHUNK)).map(row));
    });
}

/// Append CSV records (CRLF line ends) to `buf`; text cells neutralised.
/// Quoting as the csv crate's writer does it (`QuoteStyle::Necessary`): a
/// field with a comma, quote, CR or LF is quoted, its quotes doubled.
fn encode<'a>(buf: &mut Vec<u8>, rows: impl Iterator<Item = Vec<Cell<'a>>>) {
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            match c {
                Cell::Text(s) => field(buf, &csv_safe(s)),
                Cell::OwnedText(s) => field(buf, &csv_safe(s)),
                Cell::Num(n) => field(buf, n),
                Cell::Lit(s) => field(buf, s),
                Cell::Int(v) => int(buf, *v),
                Cell::Date(None) => {}
                Cell::Date(Some(d)) => date(buf, *d),
                Cell::DateTime(t) => {
                    use chrono::Timelike;
                    date(buf, t.date());
                    buf.push(b'T');
                    padded(buf, t.hour(), 2);
                    buf.push(b':');
                    padded(buf, t.minute(), 2);
                    buf.push(b':');
                    padded(buf, t.second(), 2);
                }
            }
        }
        buf.extend_from_slice(b"\r\n");
    }
}

fn field(buf: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if !special(b) {
        buf.extend_from_slice(b);
        return;
    }
    buf.push(b'"');
    quotes_doubled(buf, b);
    buf.push(b'"');
}

/// Whether a cell holding `b` must be quoted.
fn special(b: &[u8]) -> bool {
    // Short cells byte by byte; long ones (reasons, notes) with memchr.
    if b.len() < 32 {
        b.iter().any(|c| matches!(c, b',' | b'"' | b'\r' | b'\n'))
    } else {
        memchr::memchr3(b',', b'"', b'\n', b).is_some() || memchr::memchr(b'\r', b).is_some()
    }
}

fn quotes_doubled(buf: &mut Vec<u8>, b: &[u8]) {
    let mut rest = b;
    while let Some(q) = memchr::memchr(b'"', rest) {
        buf.extend_from_slice(&rest[..=q]);
        buf.push(b'"');
        rest = &rest[q + 1..];
    }
    buf.extend_from_slice(rest);
}

/// An integer in decimal, as `Display` writes it, without its machinery.
fn int(buf: &mut Vec<u8>, v: i64) {
    let (digits, at) = crate::text::decimal(v.unsigned_abs());
    if v < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&digits[at..]);
}

/// `v`'s last `width` decimal digits, zero-padded.
fn padded(buf: &mut Vec<u8>, v: u32, width: u32) {
    for k in (0..width).rev() {
        buf.push(b'0' + (v / 10u32.pow(k) % 10) as u8);
    }
}

/// `YYYY-MM-DD` as chrono writes it, without its formatting machinery for
/// the usual years.
fn date(buf: &mut Vec<u8>, d: chrono::NaiveDate) {
    crate::dates::with_ymd(d, |t| buf.extend_from_slice(t));
}

/// `p` made absolute with its existing part resolved (links, `..`), for
/// comparing with the export's location before `p` exists.
fn resolved(p: &Path) -> std::io::Result<PathBuf> {
    // `..` as the filesystem takes it: after an existing folder, the parent
    // of its real path (it may be a link); after a missing one (which
    // create_dir_all makes as a plain folder), the folder before it.
    let mut abs = PathBuf::new();
    for c in std::path::absolute(p)?.components() {
        match c {
            std::path::Component::ParentDir => {
                if abs.exists() {
                    abs = abs.canonicalize()?;
                }
                abs.pop();
            }
            std::path::Component::CurDir => {}
            other => abs.push(other),
        }
    }
    let mut existing = abs.as_path();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for t in tail.into_iter().rev() {
        out.push(t);
    }
    Ok(out)
}

/// Write one file whole or not at all: into a fresh temporary file beside
/// it, flushed to disk, then renamed over `path` (a link planted at `path`
/// is replaced, never followed).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let err = |reason: String| Error::Output {
        path: path.to_path_buf(),
        reason,
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(err("a folder stands where this file goes".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut f = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| err(format!("cannot write beside it: {e}")))?;
    f.write_all(bytes)
        .and_then(|()| f.as_file().sync_all())
        .map_err(|e| err(format!("cannot write: {e}")))?;
    f.persist(path)
        .map_err(|e| err(format!("cannot move it into place: {}", e.error)))?;
    Ok(())
}

/// The lock file in an output folder, held while a run writes there.
pub const LOCK_FILE: &str = ".tieaudit.lock";
/// The prefix of a run's staging folder inside the output folder.
const STAGE_PREFIX: &str = ".tieaudit-run.";

/// The one place that touches the output folder. A run holds a lock on it
/// (a second run into the same folder is refused), writes its files into a
/// fresh staging folder inside it, and [`OutDir::commit`] moves them into
/// place in one pass at the end: a run that fails, or two runs at once,
/// never leave a mixed set. Dropped without a commit, the staged files go.
pub struct OutDir {
    pub dir: PathBuf,
    /// The final paths of the files written, in order.
    pub written: Vec<PathBuf>,
    stage: tempfile::TempDir,
    names: Vec<String>,
    // Held (and released when dropped) for the whole run.
    _lock: std::fs::File,
}

/// Refuse an output path (a folder, or a file) that is one of the
/// `exports`, inside one, or the folder of a lone export file.
pub fn refuse_inputs(dir: &Path, exports: &[&Path]) -> Result<()> {
    let err = |reason: String| Error::Output {
        path: dir.to_path_buf(),
        reason,
    };
    let out = resolved(dir).map_err(|e| err(e.to_string()))?;
    for ex in exports.iter().filter_map(|e| e.canonicalize().ok()) {
        if out == ex || out.starts_with(&ex) {
            return Err(err(format!(
                "the output folder may not be the export or inside it (the export {} is never modified)",
                ex.display()
            )));
        }
        // A lone file's folder would receive outputs named like it
        // (connections.csv), on a case-insensitive disk even Connections.csv.
        if ex.is_file() && ex.parent() == Some(out.as_path()) {
            return Err(err(format!(
                "the output folder may not be the folder of the export file {} (an output \
                 could take its name)",
                ex.display()
            )));
        }
    }
    Ok(())
}

impl OutDir {
    /// Create `dir`, lock it and stage a run in it; refuse an export itself
    /// or a folder inside one.
    pub fn create(dir: &Path, exports: &[&Path]) -> Result<OutDir> {
        let err = |reason: String| Error::Output {
            path: dir.to_path_buf(),
            reason,
        };
        // Check before creating anything: a folder made inside the export
        // would already be a change to it.
        refuse_inputs(dir, exports)?;
        std::fs::create_dir_all(dir)
            .map_err(|e| err(format!("cannot create the output folder: {e}")))?;
        let lock = lock(dir).map_err(err)?;
        clear_stale_stages(dir);
        let stage = tempfile::Builder::new()
            .prefix(STAGE_PREFIX)
            .tempdir_in(dir)
            .map_err(|e| err(format!("cannot create a staging folder in it: {e}")))?;
        Ok(OutDir {
            dir: dir.to_path_buf(),
            written: Vec::new(),
            stage,
            names: Vec::new(),
            _lock: lock,
        })
    }

    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(name, &[bytes])
    }

    /// Write a file made of `parts`, in order.
    pub fn write_parts<B: AsRef<[u8]>>(&mut self, name: &str, parts: &[B]) -> Result<()> {
        self.write_with(name, |f| {
            parts.iter().try_for_each(|p| f.write_all(p.as_ref()))
        })
    }

    /// Write a file with `fill`, which may write it in pieces. It becomes
    /// visible at [`OutDir::commit`].
    pub fn write_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    ) -> Result<()> {
        let path = self.dir.join(name);
        let err = |e: std::io::Error| Error::Output {
            path: path.clone(),
            reason: format!("cannot write: {e}"),
        };
        // The staging folder is ours alone (made fresh, under a random
        // name), so nothing can be planted in it; create_new all the same.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.stage.path().join(name))
            .map_err(err)?;
        {
            use std::io::Write;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut f);
            fill(&mut w).map_err(err)?;
            w.flush().map_err(err)?;
        }
        self.names.push(name.to_owned());
        self.written.push(path);
        Ok(())
    }

    /// Move every staged file into the output folder, replacing the files
    /// of an earlier run (a link planted at an output's name is replaced,
    /// never followed), then remove the staging folder.
    pub fn commit(self) -> Result<Vec<PathBuf>> {
        // What would stop a move (a folder where a file goes) stops all of
        // them, before the first.
        for name in &self.names {
            let to = self.dir.join(name);
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                return Err(Error::Output {
                    path: to,
                    reason: "a folder stands where this output goes; nothing was replaced".into(),
                });
            }
        }
        for name in &self.names {
            let to = self.dir.join(name);
            std::fs::rename(self.stage.path().join(name), &to).map_err(|e| Error::Output {
                path: to.clone(),
                reason: format!("cannot move into place: {e}"),
            })?;
        }
        let OutDir { written, stage, .. } = self;
        // Empty now; a failure to remove it leaves only an empty folder.
        let _ = stage.close();
        Ok(written)
    }
}

/// Take the lock on the output folder `dir`, or say who holds it.
fn lock(dir: &Path) -> std::result::Result<std::fs::File, String> {
    let path = dir.join(LOCK_FILE);
    // Never through a link: made exclusively, or opened only when it is a
    // plain file already.
    let file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::symlink_metadata(&path).map_err(|e| e.to_string())?;
            if !meta.file_type().is_file() {
                return Err(format!(
                    "{LOCK_FILE} in it is not a plain file; remove it and run again"
                ));
            }
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| format!("cannot open {LOCK_FILE}: {e}"))?
        }
        Err(e) => return Err(format!("cannot create {LOCK_FILE}: {e}")),
    };
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(
            "another tieaudit run is writing to this folder; wait for it to end, or pick \
             another --out"
                .into(),
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {LOCK_FILE}: {e}")),
    }
}

/// Remove staging folders left by runs that were killed: under the lock,
/// no other run is using one.
fn clear_stale_stages(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(STAGE_PREFIX))
            && e.file_type().is_ok_and(|t| t.is_dir());
        if stale {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate writes for the same cells.
    fn csv_crate(rows: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    /// Streaming a file a window at a time writes what encoding it whole
    /// does, for sizes around the chunk and window edges.
    #[test]
    fn streamed_csv_is_the_whole_csv() {
        let row = |i: usize| {
            vec![
                Cell::Int(i as i64),
                Cell::Text(if i.is_multiple_of(3) { "a,b" } else { "=x" }),
            ]
        };
        let window = CHUNK * 2 * rayon::current_num_threads().max(1);
        for n in [
            0,
            1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            window,
            window + 1,
            3 * window + 7,
        ] {
            let whole: Vec<u8> = csv_bytes(&["n", "text"], n, row, true).concat();
            let mut streamed = Vec::new();
            write_csv(&mut streamed, &["n", "text"], n, row, true).unwrap();
            assert_eq!(streamed, whole, "{n} rows");
            assert_eq!(whole.iter().filter(|b| **b == b'\n').count(), n + 1);
        }
    }

    #[test]
    fn extreme_integers() {
        for v in [i64::MIN, i64::MAX, 0, -1, 10] {
            let mut ours = Vec::new();
            int(&mut ours, v);
            assert_eq!(String::from_utf8(ours).unwrap(), v.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn quotes_like_the_csv_crate(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a,\"\r\n é;']{0,40}|[a é;']{0,40}[a,\"\r\n]?[a é;']{0,40}", 3), 1..5)
        ) {
            let mut ours = Vec::new();
            encode(&mut ours, rows.iter().map(|r| r.iter().map(|s| Cell::Num(s.clone())).collect()));
            proptest::prop_assert_eq!(ours, csv_crate(&rows));
        }

        #[test]
        fn integers_like_display(v in proptest::num::i64::ANY) {
            let mut ours = Vec::new();
            int(&mut ours, v);
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), v.to_string());
        }

        #[test]
        fn dates_like_chrono(days in -1_000_000i32..4_000_000, secs in 0u32..86_400) {
            let d = chrono::NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let mut ours = Vec::new();
            date(&mut ours, d);
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), d.to_string());
            let t = d.and_time(chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap());
            let mut ours = Vec::new();
            encode(&mut ours, std::iter::once(vec![Cell::DateTime(t)]));
            proptest::prop_assert_eq!(
                String::from_utf8(ours).unwrap(),
                format!("{}\r\n", t.format("%Y-%m-%dT%H:%M:%S"))
            );
        }
    }
}
