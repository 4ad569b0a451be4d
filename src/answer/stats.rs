//! `tokentrail stats`: what was loaded, and every problem met.

use super::time_or_null;
use crate::index::Index;
use crate::text::sanitize;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn json(ix: &Index) -> Value {
    let r = &ix.report;
    let (first, last) = ix.time_range().map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let problem =
        |p: &crate::loader::report::Problem| json!({"path": p.path, "reason": p.reason, "records": p.records});
    json!({
        "files": {"read": r.files_read, "skipped": r.files_skipped, "failed": r.files_failed},
        "events": {"indexed": r.indexed, "duplicates": r.duplicates, "rejected": r.rejected, "skipped": r.skipped_records, "reused_ids": r.reused_ids},
        "time_range": {"first": time_or_null(first), "last": time_or_null(last)},
        "bytes": {"read": r.bytes_read, "decoded": r.bytes_decoded},
        "problems": r.problems.iter().map(problem).collect::<Vec<_>>(),
        "skipped": r.skipped.iter().map(problem).collect::<Vec<_>>(),
    })
}

pub fn text(ix: &Index) -> String {
    let r = &ix.report;
    let mut s = String::new();
    let _ = writeln!(s, "files:  {} read, {} skipped, {} failed", r.files_read, r.files_skipped, r.files_failed);
    let _ = writeln!(
        s,
        "events: {} indexed, {} duplicates, {} rejected, {} skipped (Insights), {} with a reused eventID",
        r.indexed, r.duplicates, r.rejected, r.skipped_records, r.reused_ids
    );
    if let Some((a, b)) = ix.time_range() {
        let _ = writeln!(s, "time:   {} .. {}", crate::time::format_time(a), crate::time::format_time(b));
    }
    for p in &r.skipped {
        let _ = writeln!(s, "skipped {}: {}", sanitize(&p.path), sanitize(&p.reason));
    }
    for p in &r.problems {
        let n = if p.records > 0 { format!(" ({} records)", p.records) } else { String::new() };
        let _ = writeln!(s, "problem {}: {}{n}", sanitize(&p.path), sanitize(&p.reason));
    }
    s
}
