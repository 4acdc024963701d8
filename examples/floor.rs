//! The benchmark floor: parse every CSV file of an export folder with the csv
//! crate (byte records, one thread, no other work). `scripts/bench.sh`
//! compares `tieaudit audit` against this.
//!
//! usage: cargo run --release --example floor -- EXPORT_DIR

use std::io::BufReader;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: floor EXPORT_DIR");
        std::process::exit(2);
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    let (mut records, mut bytes) = (0u64, 0u64);
    let mut rec = csv::ByteRecord::new();
    for f in files {
        let file = std::fs::File::open(&f).expect("readable file");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(BufReader::with_capacity(256 * 1024, file));
        while r.read_byte_record(&mut rec).unwrap_or(false) {
            records += 1;
            bytes += rec.as_slice().len() as u64;
        }
    }
    println!("{records} records, {bytes} field bytes");
}
