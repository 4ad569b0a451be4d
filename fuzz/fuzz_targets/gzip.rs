//! `cargo +nightly fuzz run gzip`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::gzip`, which `cargo test` replays on fuzz/regressions/gzip/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::gzip(data));
