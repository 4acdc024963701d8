//! The CSV engine against the well-kept readers: each CSV file of an export
//! folder, read from memory on one thread, by
//! - `engine`: tieaudit's own (BOM and UTF-16 decoding, line ends, the SIMD
//!   quote marks, records, the header search), as the audit reads a file;
//! - `csv`: the csv crate (csv-core), byte records, flexible;
//! - `simd-csv`: simd-csv's reader, byte records, flexible;
//! - `decoded+simd`: simd-csv reading the engine's decoded stream (BOM and
//!   UTF-16 decoding, line ends normalised), the same input the engine's
//!   own record reader gets.
//!
//! Only the folder's own CSV files are read (not those in sub-folders).
//!
//! Each reader counts records and field bytes (printed, so the work cannot
//! be skipped); the table gives the median of RUNS rounds, the readers
//! alternating within a round. PERFORMANCE.md keeps the figures.
//!
//! With `--agree [N]` it instead reads N random short inputs (letters,
//! commas, quotes, spaces and line breaks: the stray quotes of real
//! exports) with the csv crate and with simd-csv, and counts those the two
//! read differently. The engine is held to the csv crate's reading by its
//! property tests.
//!
//! usage: cargo run --release --example engine -- EXPORT_DIR [RUNS]
//!        cargo run --release --example engine -- --agree [N]

use std::io::Read;
use std::time::{Duration, Instant};
use tieaudit::ingest::engine::{Next, Opened, Table, normalized};

type Reader = fn(&[u8]) -> (u64, u64);

/// tieaudit's engine; any record is a header, so every one after the first
/// is read as a row.
fn engine(data: &[u8]) -> (u64, u64) {
    let Ok(Opened::Found(mut t, _)) = Table::open(data, &|_: &[String]| true) else {
        return (0, 0);
    };
    let (mut records, mut bytes) = (1u64, 0u64);
    while let Ok(next) = t.next_row() {
        match next {
            Next::Row(row) => {
                records += 1;
                bytes += (0..row.len())
                    .map(|i| row.field(i).len() as u64)
                    .sum::<u64>();
            }
            Next::TooLong { .. } => records += 1,
            Next::End => break,
        }
    }
    (records, bytes)
}

/// Each record of `input` as the csv crate reads it (flexible, no header).
fn each_csv(input: impl Read, mut f: impl FnMut(&csv::ByteRecord)) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    while r.read_byte_record(&mut rec).unwrap_or(false) {
        f(&rec);
    }
}

/// Each record of `input` as simd-csv reads it (flexible, no header).
fn each_simd(input: impl Read, mut f: impl FnMut(&simd_csv::ByteRecord)) {
    let mut r = simd_csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rec = simd_csv::ByteRecord::new();
    while r.read_byte_record(&mut rec).unwrap_or(false) {
        f(&rec);
    }
}

fn csv_crate(data: &[u8]) -> (u64, u64) {
    let (mut records, mut bytes) = (0u64, 0u64);
    each_csv(data, |rec| {
        records += 1;
        bytes += rec.as_slice().len() as u64;
    });
    (records, bytes)
}

/// simd-csv's records and field bytes.
fn simd_count(input: impl Read) -> (u64, u64) {
    let (mut records, mut bytes) = (0u64, 0u64);
    each_simd(input, |rec| {
        records += 1;
        bytes += rec.iter().map(|f| f.len() as u64).sum::<u64>();
    });
    (records, bytes)
}

fn simd_csv(data: &[u8]) -> (u64, u64) {
    simd_count(data)
}

fn decoded_simd_csv(data: &[u8]) -> (u64, u64) {
    normalized(data).map_or((0, 0), simd_count)
}

/// Records, each a list of fields.
type Records = Vec<Vec<Vec<u8>>>;

/// The records as the csv crate and as simd-csv read them.
fn both_readings(data: &[u8]) -> (Records, Records) {
    let (mut by_csv, mut by_simd) = (Records::new(), Records::new());
    each_csv(data, |rec| {
        by_csv.push(rec.iter().map(<[u8]>::to_vec).collect())
    });
    each_simd(data, |rec| {
        by_simd.push(rec.iter().map(<[u8]>::to_vec).collect())
    });
    (by_csv, by_simd)
}

/// How many of `n` random short inputs simd-csv reads differently from the
/// csv crate; the first few are shown.
fn agree(n: u64) {
    const ALPHABET: &[u8] = b"a,\" \n";
    let mut state: u64 = 0x1234_5678;
    let mut next = || {
        // xorshift: a fixed sequence, so every run checks the same inputs.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut differ = 0;
    for _ in 0..n {
        let len = (next() % 16) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let (by_csv, by_simd) = both_readings(&data);
        if by_csv != by_simd {
            differ += 1;
            if differ <= 5 {
                let show = |records: &[Vec<Vec<u8>>]| -> Vec<Vec<String>> {
                    records
                        .iter()
                        .map(|r| {
                            r.iter()
                                .map(|f| String::from_utf8_lossy(f).into())
                                .collect()
                        })
                        .collect()
                };
                println!(
                    "{:?}: csv {:?}, simd-csv {:?}",
                    String::from_utf8_lossy(&data),
                    show(&by_csv),
                    show(&by_simd)
                );
            }
        }
    }
    println!("{differ} of {n} inputs read differently");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: engine EXPORT_DIR [RUNS] | engine --agree [N]");
        std::process::exit(2);
    };
    if dir == "--agree" {
        let n = args.next().and_then(|n| n.to_str()?.parse().ok());
        return agree(n.unwrap_or(200_000));
    }
    let runs: usize = args
        .next()
        .and_then(|r| r.to_str()?.parse().ok())
        .unwrap_or(5);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let readers: [(&str, Reader); 4] = [
        ("engine", engine),
        ("csv", csv_crate),
        ("simd-csv", simd_csv),
        ("decoded+simd", decoded_simd_csv),
    ];
    println!("file\tMB\treader\trecords\tfield_bytes\tms\tvs_csv");
    let mut totals = [Duration::ZERO; 4];
    for f in files {
        let data = std::fs::read(&f).expect("readable file");
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); readers.len()];
        let mut counts = vec![(0, 0); readers.len()];
        for _ in 0..runs {
            for (k, (_, read)) in readers.iter().enumerate() {
                let t0 = Instant::now();
                counts[k] = std::hint::black_box(read(std::hint::black_box(&data)));
                times[k].push(t0.elapsed());
            }
        }
        let medians: Vec<Duration> = times.into_iter().map(median).collect();
        for (k, (name, _)) in readers.iter().enumerate() {
            totals[k] += medians[k];
            println!(
                "{}\t{:.1}\t{name}\t{}\t{}\t{:.1}\t{:.2}",
                f.file_name().unwrap_or_default().to_string_lossy(),
                data.len() as f64 / 1e6,
                counts[k].0,
                counts[k].1,
                medians[k].as_secs_f64() * 1e3,
                medians[k].as_secs_f64() / medians[1].as_secs_f64()
            );
        }
    }
    for (k, (name, _)) in readers.iter().enumerate() {
        println!(
            "all\t\t{name}\t\t\t{:.1}\t{:.2}",
            totals[k].as_secs_f64() * 1e3,
            totals[k].as_secs_f64() / totals[1].as_secs_f64()
        );
    }
}
