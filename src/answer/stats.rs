//! `tokentrail stats`: what was loaded, what it holds (credential sessions, how many were
//! traced to the call that issued them, suspects), and every problem met.

use super::time_or_null;
use crate::lineage::Flag;
use crate::model::Model;
use crate::text::sanitize;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// Counts of the credential picture: sessions, those traced to their issuing call, those
/// whose issuer is not in the logs, and suspects.
struct Credentials {
    sessions: usize,
    traced: usize,
    untraced: usize,
    suspects: usize,
}

fn credentials(m: &Model) -> Credentials {
    let nodes = &m.lin.nodes;
    Credentials {
        sessions: nodes.len(),
        traced: nodes.iter().filter(|n| n.issuing_event.is_some()).count(),
        untraced: nodes.iter().filter(|n| n.flags.contains(&Flag::IssuerNotInLogs)).count(),
        suspects: m.suspects.len(),
    }
}

pub fn json(m: &Model) -> Value {
    let (ix, c) = (&m.ix, credentials(m));
    let r = &m.report;
    let (first, last) = ix.time_range().map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let problem =
        |p: &crate::loader::report::Problem| json!({"path": p.path, "reason": p.reason, "records": p.records});
    json!({
        "files": {"read": r.files_read, "skipped": r.files_skipped, "failed": r.files_failed, "links_outside": r.links_outside},
        "events": {"indexed": r.indexed, "duplicates": r.duplicates, "rejected": r.rejected, "skipped": r.skipped_records, "reused_ids": r.reused_ids},
        "time_range": {"first": time_or_null(first), "last": time_or_null(last)},
        "bytes": {"read": r.bytes_read, "decoded": r.bytes_decoded},
        "credentials": {"sessions": c.sessions, "traced_to_issuer": c.traced, "issuer_not_in_logs": c.untraced, "suspects": c.suspects},
        "problems": r.problems.iter().map(problem).collect::<Vec<_>>(),
        "skipped": r.skipped.iter().map(problem).collect::<Vec<_>>(),
    })
}

pub fn text(m: &Model) -> String {
    let (ix, c) = (&m.ix, credentials(m));
    let r = &m.report;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "files:  {} read, {} skipped, {} failed; {} symbolic links followed out of the tree named",
        r.files_read, r.files_skipped, r.files_failed, r.links_outside
    );
    let _ = writeln!(
        s,
        "events: {} indexed, {} duplicates, {} rejected, {} skipped (Insights), {} with a reused eventID",
        r.indexed, r.duplicates, r.rejected, r.skipped_records, r.reused_ids
    );
    if let Some((a, b)) = ix.time_range() {
        let _ = writeln!(s, "time:   {} .. {}", crate::time::format_time(a), crate::time::format_time(b));
    }
    let _ = writeln!(
        s,
        "credentials: {} sessions, {} traced to the call that issued them, {} issuer not in the logs; {} suspects",
        c.sessions, c.traced, c.untraced, c.suspects
    );
    for p in &r.skipped {
        let _ = writeln!(s, "skipped {}: {}", sanitize(&p.path), sanitize(&p.reason));
    }
    for p in &r.problems {
        let n = if p.records > 0 { format!(" ({} records)", p.records) } else { String::new() };
        let _ = writeln!(s, "problem {}: {}{n}", sanitize(&p.path), sanitize(&p.reason));
    }
    s
}
