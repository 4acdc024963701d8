//! The parallel scan of a large file: one thread reads (and inflates, for a
//! zip) the decoded stream and cuts it into blocks at line breaks outside
//! quotes; the blocks are parsed on the rayon pool, each worker folding rows
//! into its own state, which the caller merges.
//!
//! A cut is a guess: quote parity says a line break is outside quotes only if
//! every quote in the file is where the CSV rules expect one. Each block
//! checks it: a block whose last record runs into the cut (no line break of
//! its own at the end) proves a wrong guess, and the whole scan answers
//! `None`, so the caller reads the file the sequential way. Real exports never
//! take that path; hostile ones get the same answer either way.

use super::scan::{Scanned, account_decoding, account_header, rows};
use super::table::{Header, Opened, Row, SNIFF_BYTES, Table, normalized, sniff_delimiter};
use crate::ingest::model::FileAccount;
use crate::ingest::source::FileKind;
use std::io::{self, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes a block aims at. A block is read three times (cut, marked,
/// parsed), so it should stay in a core's level-2 cache with its marks; 256
/// KiB fits the smallest of current servers' (the cache misses measured at
/// each size are in PERFORMANCE.md, "Design decisions kept").
pub const BLOCK: usize = 256 << 10;
/// A block that finds no cut by this size gives the parallel scan up.
const MAX_BLOCK: usize = 64 << 20;

/// Cuts a stream into blocks that end at a line break outside quotes (by
/// quote parity), each with the line it starts on.
struct Cutter {
    block: usize,
    carry: Vec<u8>,
    line: u64,
    done: bool,
}

struct Block {
    /// The block is `bytes[..len]`; the rest is old data of a reused buffer.
    bytes: Vec<u8>,
    len: usize,
    line: u64,
    last: bool,
}

/// Why a parallel scan could not be trusted.
struct GiveUp;

impl Cutter {
    /// The next block, in `bytes` (a spare buffer) if given. A spare keeps
    /// its length: its bytes are initialised already, so reading into it
    /// needs no zeroing (`read_to_end` would zero every block's worth).
    fn next<S: Read>(
        &mut self,
        s: &mut S,
        mut bytes: Vec<u8>,
    ) -> io::Result<Result<Option<Block>, GiveUp>> {
        if self.done {
            return Ok(Ok(None));
        }
        let mut target = self.block.max(self.carry.len());
        let mut filled = self.carry.len();
        loop {
            if bytes.len() < target {
                bytes.resize(target, 0);
            }
            // The rest of the last block starts this one (first pass only).
            if !self.carry.is_empty() {
                bytes[..filled].copy_from_slice(&self.carry);
                self.carry.clear();
            }
            let eof = loop {
                if filled == target {
                    break false;
                }
                match s.read(&mut bytes[filled..target]) {
                    Ok(0) => break true,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            let line = self.line;
            if eof {
                self.done = true;
                return Ok(Ok(Some(Block {
                    bytes,
                    len: filled,
                    line,
                    last: true,
                })));
            }
            if let Some(cut) = cut(&bytes[..filled]) {
                self.carry.extend_from_slice(&bytes[cut..filled]);
                self.line += memchr::memchr_iter(b'\n', &bytes[..cut]).count() as u64;
                return Ok(Ok(Some(Block {
                    bytes,
                    len: cut,
                    line,
                    last: false,
                })));
            }
            if filled >= MAX_BLOCK {
                return Ok(Err(GiveUp));
            }
            target *= 2;
        }
    }
}

/// Just past the last line break with an even number of quotes before it.
fn cut(bytes: &[u8]) -> Option<usize> {
    let mut odd = memchr::memchr_iter(b'"', bytes).count() % 2 == 1;
    let mut end = bytes.len();
    while let Some(i) = memchr::memrchr2(b'"', b'\n', &bytes[..end]) {
        if bytes[i] == b'"' {
            odd = !odd;
        } else if !odd {
            return Some(i + 1);
        }
        end = i;
    }
    None
}

/// What one block's rows did to the accounting.
struct Done {
    index: usize,
    acct: FileAccount,
    /// The block ended on a record boundary (always true for the last one).
    aligned: bool,
}

/// Scan `reader` in parallel. `setup` sees the header once; `new_worker`
/// makes a worker's state; `each` must use or skip every row, as with
/// [`super::scan::scan`], except that a header row repeated mid-file is
/// handed to `each` like any row (as `scan` does for messages.csv, the file
/// read this way). Blocks aim at `block` bytes ([`BLOCK`] outside tests).
/// Returns the workers' states (merge them in any
/// order: which rows each saw is up to the scheduler), or `None` when the file
/// must be read sequentially instead (nothing is then added to `acct`).
pub fn scan_parallel<R: Read, C: Sync, W: Send>(
    reader: R,
    block: usize,
    acct: &mut FileAccount,
    is_header: &dyn Fn(&[String]) -> bool,
    setup: impl FnOnce(&Header, &mut FileAccount) -> C,
    new_worker: impl Fn() -> W + Sync,
    each: impl Fn(&C, &mut W, &Row<'_>, &mut FileAccount) + Sync,
) -> io::Result<Option<(Scanned, Vec<W>)>> {
    let mut stream = normalized(reader)?;
    let mut cutter = Cutter {
        block: block.max(1),
        carry: Vec::new(),
        line: 1,
        done: false,
    };
    let (table, header, first_last) = match start(&mut stream, &mut cutter, is_header)? {
        Start::Found(t, h, last) => (t, h, last),
        Start::NoHeader(scanned) => return Ok(Some((scanned, Vec::new()))),
        Start::Sequential => return Ok(None),
    };
    let mut main = acct.clone();
    account_header(&header, &mut main);
    let cols = setup(&header, &mut main);
    let delimiter = header.delimiter;
    let pool = Pool::new();
    let process = |index: usize, t: Table<io::Empty>, last: bool| {
        pool.parse(
            index,
            t,
            last,
            (&main.file, main.kind),
            &new_worker,
            |w, row, a| each(&cols, w, row, a),
        );
    };
    let limit = 2 * rayon::current_num_threads().max(1);
    let in_flight = AtomicUsize::new(0);
    let outcome = rayon::in_place_scope(|s| -> io::Result<Result<(), GiveUp>> {
        // Hand a block to an idle thread, or parse it here when all are busy.
        let dispatch = |index: usize, t: Box<Table<io::Empty>>, last: bool| {
            if in_flight.load(Ordering::Acquire) < limit {
                in_flight.fetch_add(1, Ordering::AcqRel);
                let (process, in_flight) = (&process, &in_flight);
                s.spawn(move |_| {
                    process(index, *t, last);
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            } else {
                process(index, *t, last);
            }
        };
        dispatch(0, table, first_last);
        let mut index = 1;
        loop {
            match cutter.next(&mut stream, pool.spare_buffer())? {
                Ok(Some(b)) => {
                    let t = Table::in_memory_prefix(b.bytes, b.len, delimiter, b.line);
                    dispatch(index, Box::new(t), b.last);
                    index += 1;
                }
                Ok(None) => return Ok(Ok(())),
                Err(GiveUp) => return Ok(Err(GiveUp)),
            }
        }
    })?;
    let (done, workers) = pool.finish();
    if outcome.is_err() || done.iter().any(|d| !d.aligned) {
        return Ok(None);
    }
    for d in done {
        absorb(&mut main, d.acct);
    }
    account_decoding(stream.get_ref(), &mut main);
    *acct = main;
    Ok(Some((Scanned::Done, workers)))
}

/// How the first block began the scan.
enum Start {
    /// The header, found in the first block; whether that block is the last.
    Found(Box<Table<io::Empty>>, Header, bool),
    /// No header in a file that is one block: the scan is done.
    NoHeader(Scanned),
    /// No header in the first block of several, or nothing to cut: the
    /// caller reads the file sequentially.
    Sequential,
}

/// Cut the first block and find the header in it.
fn start<S: Read>(
    stream: &mut S,
    cutter: &mut Cutter,
    is_header: &dyn Fn(&[String]) -> bool,
) -> io::Result<Start> {
    let Ok(Some(first)) = cutter.next(stream, Vec::new())? else {
        return Ok(Start::Sequential);
    };
    let last = first.last;
    // The delimiter is sniffed from the file's first 16 KiB. A first block
    // shorter than that (small test blocks, or a cut just after the header
    // when a long quoted field follows) sees less: where no line of it
    // tells, the rest of the file might, so read it the sequential way.
    if !last
        && first.len < SNIFF_BYTES
        && sniff_delimiter(&first.bytes[..first.len], is_header).is_none()
    {
        return Ok(Start::Sequential);
    }
    let t = Table::in_memory_prefix(first.bytes, first.len, b',', 1);
    Ok(match t.find_header(is_header)? {
        Opened::Found(t, h) => Start::Found(t, h, last),
        Opened::NoHeader {
            records_seen,
            too_long,
        } if last => Start::NoHeader(Scanned::NoHeader {
            records_seen,
            too_long,
        }),
        Opened::NoHeader { .. } => Start::Sequential,
    })
}

/// The workers' states and the blocks' results, shared by the threads.
struct Pool<W> {
    /// One worker state per thread, always used by that thread: what a
    /// worker allocates is freed by the thread that allocated it (the
    /// allocator's fast path), and no state moves between cores. The last
    /// slot is for a thread outside the pool (the reader, when it parses a
    /// block itself).
    slots: Vec<Mutex<Option<W>>>,
    /// States made for a block whose thread's slot was taken.
    extra: Mutex<Vec<W>>,
    /// Parsed blocks' buffers, for the next blocks: no page faults, no frees.
    spare: Mutex<Vec<Vec<u8>>>,
    done: Mutex<Vec<Done>>,
}

impl<W: Send> Pool<W> {
    fn new() -> Self {
        Pool {
            slots: (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(None))
                .collect(),
            extra: Mutex::new(Vec::new()),
            spare: Mutex::new(Vec::new()),
            done: Mutex::new(Vec::new()),
        }
    }

    /// A parsed block's buffer to read the next block into, or a new one.
    fn spare_buffer(&self) -> Vec<u8> {
        self.spare
            .lock()
            .expect("spare buffers")
            .pop()
            .unwrap_or_default()
    }

    /// Parse one block's rows into this thread's worker state, with an
    /// accounting of its own for the file named `file`.
    fn parse(
        &self,
        index: usize,
        mut t: Table<io::Empty>,
        last: bool,
        file: (&str, FileKind),
        new_worker: &impl Fn() -> W,
        each: impl Fn(&mut W, &Row<'_>, &mut FileAccount),
    ) {
        let outside = self.slots.len() - 1;
        let slot = rayon::current_thread_index().map_or(outside, |i| i.min(outside));
        let mut a = FileAccount::new(file.0, file.1);
        // Only this thread takes this slot, and parsing a block does not
        // wait on other tasks, so the slot is free; should it ever be
        // taken, the block gets a state of its own rather than waiting.
        match self.slots[slot].try_lock() {
            Ok(mut held) => {
                let w = held.get_or_insert_with(new_worker);
                // In memory: reading cannot fail.
                let _ = rows(&mut t, &mut a, |row, a| each(w, row, a));
            }
            Err(_) => {
                let mut w = new_worker();
                let _ = rows(&mut t, &mut a, |row, a| each(&mut w, row, a));
                self.extra.lock().expect("extra workers").push(w);
            }
        }
        self.done.lock().expect("results").push(Done {
            index,
            acct: a,
            aligned: last || !t.unterminated(),
        });
        self.spare
            .lock()
            .expect("spare buffers")
            .push(t.into_buffer());
    }

    /// The blocks' results in file order, and the workers' states.
    fn finish(self) -> (Vec<Done>, Vec<W>) {
        let mut done = self.done.into_inner().expect("results");
        done.sort_by_key(|d| d.index);
        let workers = self
            .slots
            .into_iter()
            .filter_map(|w| w.into_inner().expect("worker slot"))
            .chain(self.extra.into_inner().expect("extra workers"))
            .collect();
        (done, workers)
    }
}

/// Add a later block's accounting to the file's.
fn absorb(into: &mut FileAccount, from: FileAccount) {
    into.rows_read += from.rows_read;
    into.rows_used += from.rows_used;
    for (k, v) in from.skipped {
        *into.skipped.entry(k).or_default() += v;
    }
    for (k, v) in from.warnings {
        *into.warnings.entry(k).or_default() += v;
    }
    into.add_examples(from.examples);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_outside_quotes() {
        assert_eq!(cut(b"a,b\nc,\"d\ne\"\nf"), Some(12));
        assert_eq!(cut(b"a,\"b\nc"), None);
        assert_eq!(cut(b"x\n\"open\n"), Some(2));
    }

    /// A row's line and fields.
    type Cells = (u64, Vec<Vec<u8>>);

    /// Every row (line and fields) a scan reads, sequential or in blocks of
    /// `block` bytes (`None`: the block scan declined).
    fn both_ways(data: &[u8], block: usize) -> (Vec<Cells>, Option<Vec<Cells>>) {
        use crate::ingest::source::FileKind;
        let any = |_: &[String]| true;
        let cells = |row: &Row<'_>| {
            (
                row.line,
                (0..row.len()).map(|i| row.field(i).to_vec()).collect(),
            )
        };
        let mut a = FileAccount::new("messages.csv", FileKind::Messages);
        let mut one = Vec::new();
        super::super::scan::scan(
            data,
            &mut a,
            &any,
            |_, _| (),
            |_, row, acct| {
                one.push(cells(row));
                acct.used();
            },
        )
        .expect("in memory");
        let mut b = FileAccount::new("messages.csv", FileKind::Messages);
        let par = scan_parallel(
            data,
            block,
            &mut b,
            &any,
            |_, _| (),
            Vec::new,
            |_, w: &mut Vec<_>, row, acct| {
                w.push(cells(row));
                acct.used();
            },
        )
        .expect("in memory")
        .map(|(_, workers)| {
            let mut rows: Vec<_> = workers.into_iter().flatten().collect();
            rows.sort();
            rows
        });
        (one, par)
    }

    #[test]
    fn a_first_block_too_short_to_tell_the_delimiter_is_read_sequentially() {
        // The header has no delimiter; only the next line says it is TAB,
        // and a first block of 13 bytes ends before it (found by fuzzing).
        let data = b"\"First Name\"\n\"Owen\"\t\"Example heading\"\n";
        let (one, par) = both_ways(data, 12);
        assert_eq!(one[0].1.len(), 2, "sequential reads TAB: {one:?}");
        assert_eq!(par, None);
        // With the delimiter in the first block, the blocks agree.
        let data = b"a\tb\n1\t2\n3\t4\n5\t6\n";
        let (one, par) = both_ways(data, 4);
        assert_eq!(par, Some(one));
    }
}
