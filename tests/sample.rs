//! `sample-logs/` is exactly what the generator writes: nobody edited it by hand.

mod common;
use tokentrail::loader::gzip::gunzip;
use tokentrail::synth::{Rng, incident, s3_files};

#[test]
fn sample_logs_match_the_deterministic_generator() {
    use tokentrail::synth::incident::{ACCOUNT, SAMPLE_NOISE, SAMPLE_SEED};
    let inc = incident(SAMPLE_SEED, SAMPLE_NOISE);
    let files = s3_files(inc.events, ACCOUNT, &mut Rng::new(SAMPLE_SEED), true);
    let root = common::sample();
    let mut on_disk = Vec::new();
    let (sources, _) = tokentrail::loader::source::expand(&[root.join("AWSLogs")]);
    for s in &sources {
        on_disk.push(s.name());
    }
    assert_eq!(on_disk.len(), files.len(), "run `cargo run --example gen_sample` after changing src/synth");
    for (rel, bytes) in files {
        let disk = std::fs::read(root.join(&rel)).unwrap_or_else(|_| panic!("{rel} missing: regenerate the sample"));
        assert_eq!(gunzip(&disk), gunzip(&bytes), "{rel} differs: regenerate the sample");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains(&inc.key_a) && readme.contains(&inc.key_b) && readme.contains(&inc.key_c));
}
