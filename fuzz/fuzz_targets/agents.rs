//! `cargo +nightly fuzz run agents`: see fuzz/README.md. The check itself is
//! `tokentrail::testing::fuzz::agents`, which `cargo test` replays on fuzz/regressions/agents/.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tokentrail::testing::fuzz::agents(data));
