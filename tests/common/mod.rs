//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tokentrail"))
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(tokentrail::testing::checkout()).output().expect("run tokentrail")
}

pub fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

pub fn sample() -> PathBuf {
    tokentrail::testing::checkout().join("sample-logs")
}

/// `../shared/corpus/<name>`, or None (the skip recorded) when it is not beside the project.
#[track_caller]
pub fn corpus(name: &str) -> Option<PathBuf> {
    let at = std::panic::Location::caller();
    tokentrail::testing::shared_corpus(name, &format!("{}:{}", at.file(), at.line()))
}

/// Records a skipped test (see `tokentrail::testing`).
pub fn skip(why: &str) {
    tokentrail::testing::skip(why)
}

/// The key ids the sample's README names, read from the generator (the README is generated too).
pub fn sample_keys() -> tokentrail::synth::Incident {
    tokentrail::synth::incident(tokentrail::synth::incident::SAMPLE_SEED, tokentrail::synth::incident::SAMPLE_NOISE)
}
