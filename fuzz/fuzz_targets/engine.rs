//! The CSV engine alone: never panics; every record is counted; the
//! block-parallel scan in small blocks reads exactly the rows (line and
//! fields) that one sequential scan reads, or declines.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tieaudit::ingest::engine::{Row, scan, scan_parallel};
use tieaudit::ingest::{model::FileAccount, source::FileKind};

type Cells = (u64, Vec<Vec<u8>>);

fn cells(row: &Row<'_>) -> Cells {
    (row.line, (0..row.len()).map(|i| row.field(i).to_vec()).collect())
}

fuzz_target!(|data: &[u8]| {
    // Any record is a header: the first one found starts the table.
    let any = |_: &[String]| true;
    // The messages kind: neither scan drops repeated headers on its own.
    let account = || FileAccount::new("messages.csv", FileKind::Messages);
    let mut a = account();
    let mut one: Vec<Cells> = Vec::new();
    let read = scan(data, &mut a, &any, |_, _| (), |_, row, acct| {
        one.push(cells(row));
        acct.used();
    });
    if read.is_err() {
        return;
    }
    assert!(a.balanced(), "{a:?}");
    let block = 1 + data.first().map_or(0, |b| *b as usize) % 64;
    let mut b = account();
    let parallel = scan_parallel(
        data,
        block,
        &mut b,
        &any,
        |_, _| (),
        Vec::new,
        |_, w: &mut Vec<Cells>, row, acct| {
            w.push(cells(row));
            acct.used();
        },
    );
    if let Ok(Some((_, workers))) = parallel {
        // Which worker saw which block is up to the scheduler: by line.
        let mut par: Vec<Cells> = workers.into_iter().flatten().collect();
        par.sort();
        one.sort();
        assert_eq!(one, par);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
});
