//! `tokentrail stats`: what was loaded, what it holds (credential sessions, how many were
//! traced to the call that issued them, suspects), and every problem met.

use crate::lineage::Flag;
use crate::loader::report::Problem;
use crate::model::Model;
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
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

/// The answer. Every struct's fields stand in the order the JSON has always had them
/// (alphabetical), so the output is unchanged byte for byte.
#[derive(Debug, Serialize)]
pub struct StatsAnswer {
    pub bytes: Bytes,
    pub credentials: CredentialCounts,
    pub events: EventCounts,
    pub files: FileCounts,
    pub problems: Vec<ProblemAnswer>,
    pub skipped: Vec<ProblemAnswer>,
    pub time_range: TimeRange,
}

#[derive(Debug, Serialize)]
pub struct Bytes {
    pub decoded: u64,
    pub read: u64,
}

#[derive(Debug, Serialize)]
pub struct CredentialCounts {
    pub issuer_not_in_logs: usize,
    pub sessions: usize,
    pub suspects: usize,
    pub traced_to_issuer: usize,
}

#[derive(Debug, Serialize)]
pub struct EventCounts {
    pub duplicates: usize,
    pub indexed: usize,
    pub rejected: usize,
    pub reused_ids: usize,
    pub skipped: usize,
}

#[derive(Debug, Serialize)]
pub struct FileCounts {
    pub failed: usize,
    pub links_outside: usize,
    pub read: usize,
    pub skipped: usize,
}

#[derive(Debug, Serialize)]
pub struct ProblemAnswer {
    pub path: String,
    pub reason: String,
    pub records: usize,
}

#[derive(Debug, Serialize)]
pub struct TimeRange {
    pub first: Option<String>,
    pub last: Option<String>,
}

impl StatsAnswer {
    pub fn new(m: &Model) -> StatsAnswer {
        let (r, c) = (&m.report, credentials(m));
        let (first, last) = m.ix.time_range().map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let problem =
            |p: &Problem| ProblemAnswer { path: p.path.clone(), reason: p.reason.clone(), records: p.records };
        StatsAnswer {
            bytes: Bytes { decoded: r.bytes_decoded, read: r.bytes_read },
            credentials: CredentialCounts {
                issuer_not_in_logs: c.untraced,
                sessions: c.sessions,
                suspects: c.suspects,
                traced_to_issuer: c.traced,
            },
            events: EventCounts {
                duplicates: r.duplicates,
                indexed: r.indexed,
                rejected: r.rejected,
                reused_ids: r.reused_ids,
                skipped: r.skipped_records,
            },
            files: FileCounts {
                failed: r.files_failed,
                links_outside: r.links_outside,
                read: r.files_read,
                skipped: r.files_skipped,
            },
            problems: r.problems.iter().map(problem).collect(),
            skipped: r.skipped.iter().map(problem).collect(),
            time_range: TimeRange { first: first.map(format_time), last: last.map(format_time) },
        }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let (f, e, c) = (&self.files, &self.events, &self.credentials);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "files:  {} read, {} skipped, {} failed; {} symbolic links followed out of the tree named",
            f.read, f.skipped, f.failed, f.links_outside
        );
        let _ = writeln!(
            s,
            "events: {} indexed, {} duplicates, {} rejected, {} skipped (Insights), {} with a reused eventID",
            e.indexed, e.duplicates, e.rejected, e.skipped, e.reused_ids
        );
        if let (Some(a), Some(b)) = (&self.time_range.first, &self.time_range.last) {
            let _ = writeln!(s, "time:   {a} .. {b}");
        }
        let _ = writeln!(
            s,
            "credentials: {} sessions, {} traced to the call that issued them, {} issuer not in the logs; {} suspects",
            c.sessions, c.traced_to_issuer, c.issuer_not_in_logs, c.suspects
        );
        for p in &self.skipped {
            let _ = writeln!(s, "skipped {}: {}", sanitize(&p.path), sanitize(&p.reason));
        }
        for p in &self.problems {
            let n = if p.records > 0 { format!(" ({} records)", p.records) } else { String::new() };
            let _ = writeln!(s, "problem {}: {}{n}", sanitize(&p.path), sanitize(&p.reason));
        }
        s
    }
}
