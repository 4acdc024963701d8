//! Writers for the audit's files. Every CSV text cell is neutralised against
//! spreadsheet formulas; every file is written to a temporary name and renamed
//! into place, so a crash never leaves half a file.

use crate::error::{Error, Result};
use crate::text::csv_safe;
use std::path::{Path, PathBuf};

/// A CSV cell: text from the export (neutralised) or a number we made.
pub enum Cell<'a> {
    Text(&'a str),
    /// Text from the export built for this cell (reasons): neutralised too.
    OwnedText(String),
    Num(String),
}

/// CSV bytes from a header and `n` rows, the rows made and encoded in
/// parallel chunks. The parts, in order, are the file: written one after the
/// other, never joined in memory.
pub fn csv_bytes<'a>(
    header: &[&str],
    n: usize,
    row: impl Fn(usize) -> Vec<Cell<'a>> + Sync,
    bom: bool,
) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    const CHUNK: usize = 2048;
    let mut head = Vec::new();
    if bom {
        head.extend_from_slice(b"\xEF\xBB\xBF");
    }
    encode(
        &mut head,
        std::iter::once(header.iter().map(|h| Cell::Num((*h).into())).collect()),
    );
    let mut parts = vec![head];
    parts.par_extend((0..n.div_ceil(CHUNK)).into_par_iter().map(|c| {
        let mut out = Vec::with_capacity(CHUNK * 256);
        encode(&mut out, (c * CHUNK..n.min((c + 1) * CHUNK)).map(&row));
        out
    }));
    parts
}

/// Append CSV records (CRLF line ends) to `buf`; text cells neutralised.
fn encode<'a>(buf: &mut Vec<u8>, rows: impl Iterator<Item = Vec<Cell<'a>>>) {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(buf);
    // Writing into a Vec cannot fail.
    for row in rows {
        for c in &row {
            let _ = match c {
                Cell::Text(s) => w.write_field(csv_safe(s).as_bytes()),
                Cell::OwnedText(s) => w.write_field(csv_safe(s).as_bytes()),
                Cell::Num(n) => w.write_field(n.as_bytes()),
            };
        }
        let _ = w.write_record(std::iter::empty::<&[u8]>());
    }
    let _ = w.flush();
}

/// `p` made absolute with its existing part resolved (links, `..`), for
/// comparing with the export's location before `p` exists.
fn resolved(p: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
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

/// The one place that touches the output folder.
pub struct OutDir {
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
}

impl OutDir {
    /// Create `dir`; refuse an export itself or a folder inside one.
    pub fn create(dir: &Path, exports: &[&Path]) -> Result<OutDir> {
        let err = |reason: String| Error::Output {
            path: dir.to_path_buf(),
            reason,
        };
        // Check before creating anything: a folder made inside the export
        // would already be a change to it.
        let out = resolved(dir).map_err(|e| err(e.to_string()))?;
        for ex in exports.iter().filter_map(|e| e.canonicalize().ok()) {
            if out == ex || out.starts_with(&ex) {
                return Err(err(format!(
                    "the output folder may not be the export or inside it (the export {} is never modified)",
                    ex.display()
                )));
            }
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| err(format!("cannot create the output folder: {e}")))?;
        Ok(OutDir {
            dir: dir.to_path_buf(),
            written: Vec::new(),
        })
    }

    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write_parts(name, &[bytes])
    }

    /// Write a file made of `parts`, in order.
    pub fn write_parts<B: AsRef<[u8]>>(&mut self, name: &str, parts: &[B]) -> Result<()> {
        let path = self.dir.join(name);
        let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let err = |e: std::io::Error| Error::Output {
            path: path.clone(),
            reason: format!("cannot write: {e}"),
        };
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            for p in parts {
                f.write_all(p.as_ref())?;
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            err(e)
        })?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            err(e)
        })?;
        self.written.push(path);
        Ok(())
    }
}
