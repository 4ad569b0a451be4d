//! `cargo +nightly fuzz run scanner`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::scanner`, which `cargo test` replays on fuzz/regressions/scanner/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::scanner(data));
