//! Writes a large benchmark corpus in the S3 layout: the incident planted in 30 days of noise
//! (`--days`: over fewer days, the same events come in fewer, larger files).
//! `cargo run --release --example gen_corpus -- --events 1000000 --out DIR [--days N] [--seed N]`
//! `[--shape low|realistic|adversarial] [--ips N|unique] [--agents N|unique] [--order cloudtrail] [--shuffle yes]`
//! (`synth::corpus_shape`: the field cardinalities and file layout to sweep).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut events = 1_000_000usize;
    let mut out = PathBuf::from("target/bench-corpus");
    let mut seed = 7u64;
    let mut days = 30u32;
    let mut shape = tokentrail::synth::Shape::LOW;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--events" => events = v.replace('_', "").parse().unwrap_or(events),
            "--out" => out = PathBuf::from(v),
            "--seed" => seed = v.parse().unwrap_or(seed),
            "--days" => days = v.parse().unwrap_or(days),
            "--shape" => match tokentrail::synth::Shape::named(&v) {
                Some(s) => shape = s,
                None => usage(&format!("unknown shape {v:?}")),
            },
            "--ips" => shape.ips = cardinality(&v),
            "--agents" => shape.agents = cardinality(&v),
            "--order" => shape.cloudtrail_order = v == "cloudtrail",
            "--shuffle" => shape.shuffle = v == "yes",
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let started = std::time::Instant::now();
    let (files, bytes) = tokentrail::synth::write_corpus_shaped(&out, events, days, seed, shape)?;
    println!(
        "wrote {files} files, {:.1} MB compressed, ~{events} events to {} in {:.1}s",
        bytes as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn usage(why: &str) -> ! {
    eprintln!(
        "{why}; use --events N --out DIR [--days N] [--seed N] [--shape low|realistic|adversarial] \
         [--ips N|unique|as-generated] [--agents N|unique|as-generated] [--order cloudtrail|alphabetical] [--shuffle yes|no]"
    );
    std::process::exit(2)
}

fn cardinality(v: &str) -> tokentrail::synth::corpus_shape::Cardinality {
    use tokentrail::synth::corpus_shape::Cardinality;
    match v {
        "unique" => Cardinality::Unique,
        "as-generated" => Cardinality::AsGenerated,
        n => match n.replace('_', "").parse::<usize>() {
            Ok(n) => Cardinality::Pool(n),
            Err(_) => usage(&format!("not a cardinality: {v:?}")),
        },
    }
}
