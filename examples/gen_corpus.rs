//! Writes a large benchmark corpus in the S3 layout: the incident planted in 30 days of noise
//! (`--days`: over fewer days, the same events come in fewer, larger files).
//! `cargo run --release --example gen_corpus -- --events 1000000 --out DIR [--days N] [--seed N]`

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut events = 1_000_000usize;
    let mut out = PathBuf::from("target/bench-corpus");
    let mut seed = 7u64;
    let mut days = 30u32;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--events" => events = v.replace('_', "").parse().unwrap_or(events),
            "--out" => out = PathBuf::from(v),
            "--seed" => seed = v.parse().unwrap_or(seed),
            "--days" => days = v.parse().unwrap_or(days),
            other => {
                eprintln!("unknown argument {other}; use --events N --out DIR [--days N] [--seed N]");
                std::process::exit(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let (files, bytes) = tokentrail::synth::write_corpus(&out, events, days, seed)?;
    println!(
        "wrote {files} files, {:.1} MB compressed, ~{events} events to {} in {:.1}s",
        bytes as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
