//! Where the export's files come from: a zip read in place (never extracted),
//! a folder (or one whose export sits a level down), or a lone Connections.csv.
//! Files are picked by exact base name, case-insensitively; everything else is
//! listed as ignored.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Largest decompressed size accepted for one member (a zip bomb stops here).
pub const MAX_MEMBER_BYTES: u64 = 2 << 30;
/// Largest compression ratio accepted for a member over `RATIO_FLOOR` bytes.
pub const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 16 << 20;
/// Largest nested zip read into memory.
const MAX_NESTED_ZIP: u64 = 512 << 20;

/// The files an audit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Connections,
    Profile,
    Positions,
    Education,
    Invitations,
    Messages,
    EndorsementsReceived,
    EndorsementsGiven,
    RecommendationsReceived,
    RecommendationsGiven,
    Contacts,
}

impl FileKind {
    /// Exact base names, lower case. Never a suffix match: `guide_messages.csv`
    /// and friends are other products' files.
    pub fn from_base_name(name: &str) -> Option<FileKind> {
        use FileKind::*;
        Some(match name.to_lowercase().as_str() {
            "connections.csv" => Connections,
            "profile.csv" => Profile,
            "positions.csv" => Positions,
            "education.csv" => Education,
            "invitations.csv" => Invitations,
            "messages.csv" => Messages,
            "endorsement_received_info.csv" | "endorsement received info.csv" => {
                EndorsementsReceived
            }
            "endorsement_given_info.csv" | "endorsement given info.csv" => EndorsementsGiven,
            "recommendations_received.csv" | "recommendations received.csv" => {
                RecommendationsReceived
            }
            "recommendations_given.csv" | "recommendations given.csv" => RecommendationsGiven,
            "contacts.csv"
            | "importedcontacts.csv"
            | "imported contacts.csv"
            | "imported_contacts.csv" => Contacts,
            _ => return None,
        })
    }
}

/// One file of the export that will be read.
#[derive(Debug, Clone)]
pub struct Member {
    /// Path inside the export, as the user would see it.
    pub name: String,
    pub kind: FileKind,
    loc: Loc,
}

#[derive(Debug, Clone)]
enum Loc {
    Zip(usize),
    Path(PathBuf),
}

/// A file that was seen and not read, with why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ignored {
    pub name: String,
    pub why: String,
}

enum Backing {
    /// Each read opens its own archive handle, so files can be read in parallel.
    Zip(ZipOrigin),
    Files,
}

/// Where the zip's bytes are: the user's file, or a nested zip held in memory.
#[derive(Clone)]
enum ZipOrigin {
    Path(PathBuf),
    Bytes(std::sync::Arc<Vec<u8>>),
}

/// An opened archive over any of its origins.
type Archive = zip::ZipArchive<Box<dyn ReadSeek>>;

/// What is wrong with a zip, in the user's words: the zip crate's own
/// messages can name its internal types ("Unexpected end of
/// zip::format::..."), which say nothing to someone holding the file.
fn zip_reason(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => format!("read error: {io}"),
        Z::InvalidArchive(m) if m.contains("EOCD") => {
            "its table of contents (at the end of the file) is missing: the download is \
             incomplete, or this is not a zip"
                .into()
        }
        Z::InvalidArchive(m) if !m.contains("::") => format!("the archive is damaged ({m})"),
        Z::InvalidArchive(_) => {
            "the archive is damaged (a record ends early or points past the end of the file)".into()
        }
        Z::UnsupportedArchive(m) if *m == Z::PASSWORD_REQUIRED => {
            "it is password-protected: unzip it with its password and audit the folder".into()
        }
        Z::UnsupportedArchive(m) => format!("it uses a zip feature this tool cannot read ({m})"),
        Z::InvalidPassword => "it is password-protected".into(),
        Z::CompressionMethodNotSupported(n) => format!(
            "it is compressed with method {n}, which this tool cannot read: unzip it and audit \
             the folder"
        ),
        Z::FileNotFound => "a member listed in it is missing".into(),
        _ => "the archive cannot be read".into(),
    }
}

impl ZipOrigin {
    fn open(&self) -> std::result::Result<Archive, String> {
        self.open_counted().map(|(a, _)| a)
    }

    /// The archive, with a count of the bytes read from it so far: what a
    /// member's inflation really consumed, whatever its header declares.
    fn open_counted(&self) -> std::result::Result<(Archive, Arc<AtomicU64>), String> {
        let inner: Box<dyn ReadSeek> = match self {
            ZipOrigin::Path(p) => Box::new(BufReader::with_capacity(
                256 * 1024,
                File::open(p).map_err(|e| e.to_string())?,
            )),
            ZipOrigin::Bytes(b) => Box::new(Cursor::new(SharedBytes(b.clone()))),
        };
        let read = Arc::new(AtomicU64::new(0));
        let reader: Box<dyn ReadSeek> = Box::new(Counted {
            inner,
            read: read.clone(),
        });
        let archive = zip::ZipArchive::new(reader).map_err(|e| zip_reason(&e))?;
        Ok((archive, read))
    }
}

impl ZipOrigin {
    /// The entry count the end of central directory record declares (the
    /// zip64 one when present), read from the archive's last 64 KiB.
    fn declared_entries(&self) -> Option<u64> {
        const TAIL: u64 = 65_536 + 22;
        let tail: Vec<u8> = match self {
            ZipOrigin::Path(p) => {
                let mut f = File::open(p).ok()?;
                let len = f.metadata().ok()?.len();
                f.seek(io::SeekFrom::Start(len.saturating_sub(TAIL))).ok()?;
                let mut buf = Vec::new();
                f.take(TAIL).read_to_end(&mut buf).ok()?;
                buf
            }
            ZipOrigin::Bytes(b) => b[b.len().saturating_sub(TAIL as usize)..].to_vec(),
        };
        let at = |sig: &[u8]| tail.windows(4).rposition(|w| w == sig);
        if let Some(i) = at(b"PK\x06\x06") {
            let b = tail.get(i + 32..i + 40)?;
            return Some(u64::from_le_bytes(b.try_into().ok()?));
        }
        let i = at(b"PK\x05\x06")?;
        let b = tail.get(i + 10..i + 12)?;
        Some(u64::from(u16::from_le_bytes(b.try_into().ok()?)))
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Shared nested-zip bytes, readable by several handles at once.
struct SharedBytes(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// An opened export.
pub struct Source {
    pub path: PathBuf,
    pub form: &'static str,
    pub members: Vec<Member>,
    pub ignored: Vec<Ignored>,
    backing: Backing,
}

impl Source {
    /// Open whatever the user pointed at.
    pub fn open(path: &Path) -> Result<Source> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::Missing {
                path: path.to_path_buf(),
            },
            _ => Error::NotAnExport {
                path: path.to_path_buf(),
                reason: e.to_string(),
            },
        })?;
        if meta.is_dir() {
            return Source::folder(path);
        }
        // A device or a pipe (a link to /dev/zero, say) would be read forever.
        if !meta.is_file() {
            return Err(Error::NotAnExport {
                path: path.to_path_buf(),
                reason: "not a regular file (a device, a pipe or a socket)".into(),
            });
        }
        let mut f = File::open(path).map_err(|e| Error::NotAnExport {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let mut magic = [0u8; 4];
        let n = read_up_to(&mut f, &mut magic).map_err(|e| Error::NotAnExport {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        f.rewind().map_err(|e| Error::NotAnExport {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if n >= 2 && &magic[..2] == b"PK" {
            drop(f);
            return Source::zip(path, ZipOrigin::Path(path.to_path_buf()), "zip");
        }
        let base = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if FileKind::from_base_name(&base) == Some(FileKind::Connections)
            || base.to_lowercase().ends_with(".csv")
        {
            return Ok(Source {
                path: path.to_path_buf(),
                form: "single file",
                members: vec![Member {
                    name: base,
                    kind: FileKind::Connections,
                    loc: Loc::Path(path.to_path_buf()),
                }],
                ignored: vec![],
                backing: Backing::Files,
            });
        }
        let reason = if n == 0 {
            "the file is empty".to_string()
        } else {
            "its first bytes are not a zip signature".to_string()
        };
        Err(Error::NotAnExport {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// A zip held in memory (fuzzing, tests, embedding); `name` stands for its path in messages.
    pub fn from_zip_bytes(name: &Path, bytes: Vec<u8>) -> Result<Source> {
        Source::zip(name, ZipOrigin::Bytes(std::sync::Arc::new(bytes)), "zip")
    }

    fn folder(root: &Path) -> Result<Source> {
        let mut files = Vec::new();
        walk(root, root, 0, &mut files);
        files.sort();
        let rel: Vec<String> = files.iter().map(|(r, _)| r.clone()).collect();
        let export_root = pick_root(&rel);
        let (members, ignored) = sort_files(
            files.into_iter().map(|(r, abs)| (r, Loc::Path(abs))),
            export_root.as_deref(),
        );
        Ok(Source {
            path: root.to_path_buf(),
            form: "folder",
            members,
            ignored,
            backing: Backing::Files,
        })
    }

    fn zip(path: &Path, origin: ZipOrigin, form: &'static str) -> Result<Source> {
        let bad = |reason: String| Error::BadZip {
            path: path.to_path_buf(),
            reason,
        };
        let mut archive = origin.open().map_err(bad)?;
        // The zip crate keeps one entry per name: members that share a name
        // would vanish unlisted. The central directory's own count says so.
        if let Some(declared) = origin.declared_entries()
            && declared > archive.len() as u64
        {
            return Err(bad(format!(
                "{} of its {declared} members repeat the name of another (only one of each \
                 could be read): unpack it and look",
                declared - archive.len() as u64
            )));
        }
        let mut names = Vec::new();
        for i in 0..archive.len() {
            let f = archive.by_index_raw(i).map_err(|e| bad(zip_reason(&e)))?;
            let name = f
                .name()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| String::from_utf8_lossy(f.name_raw()).into_owned());
            names.push((name, f.is_dir(), i));
        }
        let files: Vec<String> = names
            .iter()
            .filter(|(_, d, _)| !d)
            .map(|(n, _, _)| n.clone())
            .collect();
        let export_root = pick_root(&files);
        // A zip that holds only another zip (a `.zip.zip` that really is double-zipped).
        if export_root.is_none() {
            let inner: Vec<&(String, bool, usize)> = names
                .iter()
                .filter(|(n, d, _)| !d && n.to_lowercase().ends_with(".zip"))
                .collect();
            if let [(name, _, i)] = inner.as_slice() {
                let buf = nested_zip(path, &mut archive, name, *i, form)?;
                return Source::zip(path, ZipOrigin::Bytes(Arc::new(buf)), "nested zip");
            }
        }
        let (members, ignored) = sort_files(
            names
                .into_iter()
                .filter(|(_, is_dir, _)| !is_dir)
                .map(|(name, _, i)| (name, Loc::Zip(i))),
            export_root.as_deref(),
        );
        Ok(Source {
            path: path.to_path_buf(),
            form,
            members,
            ignored,
            backing: Backing::Zip(origin),
        })
    }

    pub fn member(&self, kind: FileKind) -> Option<&Member> {
        self.members.iter().find(|m| m.kind == kind)
    }

    /// Read one member, decompressed and capped, into `f`.
    pub fn with_member<T>(
        &self,
        m: &Member,
        f: impl FnOnce(&mut dyn Read) -> Result<T>,
    ) -> Result<T> {
        match (&self.backing, &m.loc) {
            (Backing::Zip(origin), Loc::Zip(i)) => {
                let zerr = |reason: String| Error::ZipMember {
                    path: self.path.clone(),
                    member: m.name.clone(),
                    reason,
                };
                let (mut archive, packed_read) = origin.open_counted().map_err(zerr)?;
                let file = archive
                    .by_index(*i)
                    .map_err(|e| zerr(format!("cannot be read: {}", zip_reason(&e))))?;
                let packed_at = packed_read.load(Ordering::Relaxed);
                let declared = file.size();
                let packed = file.compressed_size().max(1);
                if declared > MAX_MEMBER_BYTES {
                    return Err(zerr(format!(
                        "declares {declared} bytes uncompressed, over the {MAX_MEMBER_BYTES} byte limit"
                    )));
                }
                if declared > RATIO_FLOOR && declared / packed > MAX_RATIO {
                    return Err(zerr(format!(
                        "expands {}x ({packed} to {declared} bytes): refused as a zip bomb (limit {MAX_RATIO}x)",
                        declared / packed
                    )));
                }
                let mut capped = Capped {
                    inner: file,
                    left: declared.min(MAX_MEMBER_BYTES),
                    name: m.name.clone(),
                    out: 0,
                    packed_read,
                    packed_at,
                };
                f(&mut capped)
            }
            (_, Loc::Path(p)) => {
                let mut file = File::open(p).map_err(|source| Error::Unreadable {
                    file: m.name.clone(),
                    source,
                })?;
                // Unbuffered: every reader asks for a block of its own size
                // at a time. A buffer in between copied every read smaller
                // than itself, as messages.csv's blocks are once the part
                // carried over from the block before is taken off.
                f(&mut file)
            }
            (Backing::Files, Loc::Zip(_)) => Err(Error::Read {
                file: m.name.clone(),
                reason: "internal: zip member without an archive".into(),
            }),
        }
    }
}

/// Stops a member that yields more than it declared (or than the cap), or
/// that expands past [`MAX_RATIO`] measured on the bytes it really read
/// (a header may declare any compressed size).
struct Capped<R> {
    inner: R,
    left: u64,
    name: String,
    /// Bytes handed out so far.
    out: u64,
    /// Bytes read from the archive, and their count when this member began.
    packed_read: Arc<AtomicU64>,
    packed_at: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let packed = self
            .packed_read
            .load(Ordering::Relaxed)
            .saturating_sub(self.packed_at)
            .max(1);
        if self.out > RATIO_FLOOR && self.out / packed > MAX_RATIO {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "expands {}x as read ({packed} to {} bytes so far): refused as a zip bomb \
                     (limit {MAX_RATIO}x)",
                    self.out / packed,
                    self.out
                ),
            ));
        }
        if n as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} decompresses past its declared size (limit {} bytes)",
                    self.name, MAX_MEMBER_BYTES
                ),
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn base_name(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

fn dir_name(p: &str) -> &str {
    match p.rfind(['/', '\\']) {
        Some(i) => &p[..i],
        None => "",
    }
}

/// The files of an export (name and where it is), sorted into the members
/// read and those ignored, with why.
fn sort_files(
    files: impl Iterator<Item = (String, Loc)>,
    export_root: Option<&str>,
) -> (Vec<Member>, Vec<Ignored>) {
    let mut members: Vec<Member> = Vec::new();
    let mut ignored = Vec::new();
    for (name, loc) in files {
        match classify(&name, export_root, &members) {
            Ok(kind) => members.push(Member { name, kind, loc }),
            Err(why) => ignored.push(Ignored { name, why }),
        }
    }
    (members, ignored)
}

/// The bytes of the one zip inside a zip, capped. LinkedIn's own wrapping
/// is one level: a zip inside the nested one is refused, so nesting cannot
/// grow without bound.
fn nested_zip(
    path: &Path,
    archive: &mut Archive,
    name: &str,
    i: usize,
    form: &str,
) -> Result<Vec<u8>> {
    let refuse = |reason: String| Error::ZipMember {
        path: path.to_path_buf(),
        member: name.to_string(),
        reason,
    };
    if form == "nested zip" {
        return Err(refuse(
            "is a zip inside a nested zip: one level of nesting is read".into(),
        ));
    }
    let mut f = archive.by_index(i).map_err(|e| Error::BadZip {
        path: path.to_path_buf(),
        reason: zip_reason(&e),
    })?;
    if f.size() > MAX_NESTED_ZIP {
        return Err(refuse(format!(
            "is a nested zip of {} bytes, over the {} byte limit",
            f.size(),
            MAX_NESTED_ZIP
        )));
    }
    let mut buf = Vec::new();
    (&mut f)
        .take(MAX_NESTED_ZIP)
        .read_to_end(&mut buf)
        .map_err(|e| refuse(e.to_string()))?;
    Ok(buf)
}

/// The folder holding Connections.csv (the shallowest one), else the folder
/// holding the most known files.
fn pick_root(files: &[String]) -> Option<String> {
    let depth = |p: &str| p.matches(['/', '\\']).count();
    files
        .iter()
        .filter(|f| FileKind::from_base_name(base_name(f)) == Some(FileKind::Connections))
        .min_by_key(|f| (depth(f), (*f).clone()))
        .map(|f| dir_name(f).to_string())
}

fn classify(name: &str, root: Option<&str>, taken: &[Member]) -> Result<FileKind, String> {
    let Some(kind) = FileKind::from_base_name(base_name(name)) else {
        return Err("not a file the audit reads".into());
    };
    if let Some(root) = root
        && dir_name(name) != root
    {
        return Err("outside the export's top folder".into());
    }
    if let Some(prev) = taken.iter().find(|m| m.kind == kind) {
        return Err(format!("a second {kind:?} file; {} was read", prev.name));
    }
    Ok(kind)
}

/// Files below `root`, at most three levels down. Symbolic links are not
/// followed; unreadable folders are skipped.
fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, PathBuf)>) {
    if depth > 3 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_symlink() {
            continue;
        }
        if ft.is_dir() {
            walk(root, &p, depth + 1, out);
        } else if ft.is_file() {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_names_match_exactly() {
        assert_eq!(
            FileKind::from_base_name("messages.csv"),
            Some(FileKind::Messages)
        );
        assert_eq!(
            FileKind::from_base_name("Messages.csv"),
            Some(FileKind::Messages)
        );
        for n in [
            "guide_messages.csv",
            "coach_messages.csv",
            "learning_coach_messages.csv",
            "learning_role_play_messages.csv",
            "messages.csv.bak",
        ] {
            assert_eq!(FileKind::from_base_name(n), None, "{n}");
        }
        assert_eq!(
            FileKind::from_base_name("Endorsement Received Info.csv"),
            Some(FileKind::EndorsementsReceived)
        );
    }

    #[test]
    fn root_is_where_connections_is() {
        let files = vec![
            "x/Jobs/Connections.csv".to_string(),
            "x/Connections.csv".to_string(),
            "x/messages.csv".into(),
        ];
        assert_eq!(pick_root(&files).as_deref(), Some("x"));
    }
}
