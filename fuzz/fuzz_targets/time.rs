//! `cargo +nightly fuzz run time`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::time`, which `cargo test` replays on fuzz/regressions/time/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::time(data));
