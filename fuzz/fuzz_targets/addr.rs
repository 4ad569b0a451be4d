//! `cargo +nightly fuzz run addr`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::addr`, which `cargo test` replays on fuzz/regressions/addr/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::addr(data));
