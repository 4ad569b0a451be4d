//! Every input the fuzzers found (or that was kept as a seed) in `fuzz/regressions/`,
//! replayed on stable against the same checks the fuzz targets run.

use tokentrail::testing::fuzz;

#[test]
fn load_regressions() {
    assert!(fuzz::replay("load", fuzz::load) > 0, "fuzz/regressions/load holds inputs");
}

#[test]
fn gzip_regressions() {
    assert!(fuzz::replay("gzip", fuzz::gzip) > 0, "fuzz/regressions/gzip holds inputs");
}

#[test]
fn time_regressions() {
    assert!(fuzz::replay("time", fuzz::time) > 0, "fuzz/regressions/time holds inputs");
}

#[test]
fn scanner_regressions() {
    assert!(fuzz::replay("scanner", fuzz::scanner) > 0, "fuzz/regressions/scanner holds inputs");
}

#[test]
fn addr_regressions() {
    assert!(fuzz::replay("addr", fuzz::addr) > 0, "fuzz/regressions/addr holds inputs");
}

#[test]
fn agents_regressions() {
    assert!(fuzz::replay("agents", fuzz::agents) > 0, "fuzz/regressions/agents holds inputs");
}
