//! `tokentrail stats`: what was loaded, what it holds (credential sessions, how many were
//! traced to the call that issued them, suspects), and every problem met.

use crate::lineage::Flag;
use crate::loader::report::Problem;
use crate::model::Model;
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

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
    /// Sessions whose events and issuing call name no key id (matched by ARN alone):
    /// counted in `sessions`, not found by `lineage KEY`.
    pub without_key_id: usize,
}

#[derive(Debug, Serialize)]
pub struct EventCounts {
    pub duplicates: usize,
    pub indexed: usize,
    /// With `--since`/`--until`: events read outside the window, not indexed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside_window: Option<usize>,
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
        let (r, nodes) = (&m.report, &m.lin.nodes);
        let (first, last) = m.ix.time_range().map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let problem =
            |p: &Problem| ProblemAnswer { path: p.path.clone(), reason: p.reason.clone(), records: p.records };
        StatsAnswer {
            bytes: Bytes { decoded: r.bytes_decoded, read: r.bytes_read },
            credentials: CredentialCounts {
                issuer_not_in_logs: nodes.iter().filter(|n| n.flags.contains(&Flag::IssuerNotInLogs)).count(),
                sessions: nodes.len(),
                suspects: m.suspects.len(),
                traced_to_issuer: nodes.iter().filter(|n| n.issuing_event.is_some()).count(),
                without_key_id: nodes.iter().filter(|n| n.key.is_none()).count(),
            },
            events: EventCounts {
                duplicates: r.duplicates,
                indexed: r.indexed,
                outside_window: r.window.then_some(r.outside_window),
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
        if let Some(n) = e.outside_window {
            let _ = writeln!(s, "        {n} outside the time window asked for (--since/--until), not counted");
        }
        if let (Some(a), Some(b)) = (&self.time_range.first, &self.time_range.last) {
            let _ = writeln!(s, "time:   {a} .. {b}");
        }
        let _ = writeln!(
            s,
            "credentials: {} sessions, {} traced to the call that issued them, {} issuer not in the logs; {} suspects",
            c.sessions, c.traced_to_issuer, c.issuer_not_in_logs, c.suspects
        );
        if c.without_key_id > 0 {
            let _ = writeln!(
                s,
                "             {} of them have no key id (`lineage KEY` cannot find them)",
                c.without_key_id
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// What `stats` counts is what `lineage` and `suspects` list: every session with a key id
    /// is found by asking `lineage` for each key the logs hold, and every suspect too.
    fn counts_agree(m: &Model) {
        let a = StatsAnswer::new(m);
        let keys: BTreeSet<&str> = m.lin.nodes.iter().map(|n| m.ix.str(n.key)).filter(|k| !k.is_empty()).collect();
        let found: BTreeSet<usize> = keys.iter().flat_map(|k| m.lin.nodes_with_key(&m.ix, k)).collect();
        let c = &a.credentials;
        assert_eq!(found.len() + c.without_key_id, c.sessions, "every keyed session is found by its key");
        let untraced = |n: &usize| m.lin.nodes[*n].flags.contains(&Flag::IssuerNotInLogs);
        let keyless_untraced =
            m.lin.nodes.iter().filter(|n| n.key.is_none() && n.flags.contains(&Flag::IssuerNotInLogs)).count();
        assert_eq!(found.iter().filter(|n| untraced(n)).count() + keyless_untraced, c.issuer_not_in_logs);
        for s in &m.suspects {
            assert!(found.contains(&s.node), "suspect {} is found by lineage", m.ix.str(m.lin.nodes[s.node].key));
        }
        assert_eq!(c.suspects, m.suspects.len());
    }

    #[test]
    fn credential_counts_equal_what_lineage_and_suspects_list() {
        counts_agree(&Model::new(crate::loader::load_sources(crate::loader::sample::sources(), &mut |_| {})));
        if let Some(corpus) =
            crate::testing::shared_corpus("", "credential_counts_equal_what_lineage_and_suspects_list")
        {
            for dir in std::fs::read_dir(corpus).into_iter().flatten().flatten().filter(|d| d.path().is_dir()) {
                counts_agree(&Model::new(crate::loader::load_paths(&[dir.path()], &mut |_| {})));
            }
        }
    }
}
