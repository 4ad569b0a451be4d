//! Support for the project's own tests: a test that cannot run here (no `../shared`, no
//! tmux, no DuckDB) says so and passes. Each skip is printed to stderr (`cargo test --
//! --nocapture` shows it) and, when `TOKENTRAIL_SKIP_LOG` names a file, appended to it as
//! one line, so that `.ci/run` can count them ("N skipped: …").

use std::io::Write;

/// Records that a test did not run, and why.
pub fn skip(why: &str) {
    eprintln!("SKIP: {why}");
    if let Some(log) = std::env::var_os("TOKENTRAIL_SKIP_LOG") {
        // One short `write` on an append-only file: lines of parallel tests do not interleave.
        let line = format!("{}\n", why.replace('\n', " "));
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
            let _ = f.write_all(line.as_bytes());
        }
    }
}

/// `../shared/corpus/<name>` beside the project, or None after recording the skip.
pub fn shared_corpus(name: &str, test: &str) -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(name);
    if p.is_dir() {
        Some(p)
    } else {
        skip(&format!("{test}: {} not present", p.display()));
        None
    }
}
