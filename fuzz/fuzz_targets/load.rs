//! `cargo +nightly fuzz run load`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::load`, which `cargo test` replays on fuzz/regressions/load/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::load(data));
