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

/// The sample's ranking (issue 16): B, C and the post-revocation tokens on top, and no
/// console, service or instance session among the suspects, though the sample holds a day
/// of them.
#[test]
fn the_sample_ranks_the_attack_and_nothing_a_real_account_does_all_day() {
    use tokentrail::synth::incident::{SAMPLE_NOISE, SAMPLE_SEED};
    let inc = incident(SAMPLE_SEED, SAMPLE_NOISE);
    let m = tokentrail::model::Model::new(tokentrail::loader::load_paths(&[common::sample()], &mut |_| {}));
    let keys: Vec<&str> = m.suspects.iter().map(|s| m.ix.str(m.lin.nodes[s.node].key)).collect();
    let mut want = vec![inc.key_b.as_str(), inc.key_c.as_str()];
    want.extend(inc.new_role_keys.iter().map(String::as_str));
    assert_eq!(keys, want, "B, C, then the tokens minted after the revocation");
    use tokentrail::lineage::Kind;
    let kinds: Vec<Kind> = m.lin.nodes.iter().map(|n| n.kind).collect();
    for k in [Kind::ConsoleLogin, Kind::Instance, Kind::GetRoleCredentials, Kind::AssumeRoleWithSaml] {
        assert!(kinds.contains(&k), "the sample holds a {k:?} session");
    }
}
