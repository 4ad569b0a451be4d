//! What a load did with every file and every record: nothing is dropped silently.

use std::collections::BTreeMap;

/// Why a record was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    NotJson(String),
    Malformed(String),
    NotCloudTrail(String),
    MissingTime,
    BadTime(String),
    /// An Insights record: not an API call, skipped rather than rejected.
    Insight,
}

impl Reject {
    /// A reason that groups alike records (values are kept only where they explain).
    fn reason(&self) -> String {
        match self {
            Reject::NotJson(e) => format!("not JSON ({e})"),
            Reject::Malformed(e) => format!("malformed record ({e})"),
            Reject::NotCloudTrail(e) => format!("not a CloudTrail event ({e})"),
            Reject::MissingTime => "missing eventTime".into(),
            Reject::BadTime(t) => format!("unreadable eventTime {t:?}"),
            Reject::Insight => "CloudTrail Insights record".into(),
        }
    }
}

/// Per-file record counts and the reasons for rejections (grouped, with counts).
#[derive(Debug, Default, Clone)]
pub struct RecordTally {
    pub indexed: usize,
    pub insights: usize,
    pub reasons: BTreeMap<String, usize>,
}

impl RecordTally {
    pub fn reject(&mut self, r: Reject) {
        if r == Reject::Insight {
            self.insights += 1;
        } else {
            *self.reasons.entry(r.reason()).or_default() += 1;
        }
    }
    pub fn rejected(&self) -> usize {
        self.reasons.values().sum()
    }
    pub fn seen(&self) -> usize {
        self.indexed + self.insights + self.rejected()
    }
    pub fn summary(&self) -> String {
        self.reasons
            .iter()
            .map(|(r, n)| if *n == 1 { r.clone() } else { format!("{n} records: {r}") })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FileStatus {
    #[default]
    Read,
    Skipped(String),
    Failed(String),
}

/// One line of the problems list: a file, and what went wrong in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub reason: String,
    /// Records this problem covers (0 for a whole-file problem).
    pub records: usize,
}

#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub files_read: usize,
    pub files_skipped: usize,
    pub files_failed: usize,
    pub indexed: usize,
    pub duplicates: usize,
    /// Events indexed although an earlier, different event had the same eventID.
    pub reused_ids: usize,
    pub rejected: usize,
    /// Insights records, skipped by design.
    pub skipped_records: usize,
    pub bytes_read: u64,
    pub bytes_decoded: u64,
    pub problems: Vec<Problem>,
    pub skipped: Vec<Problem>,
    /// Symbolic links followed out of the directory tree they were found in.
    pub links_outside: usize,
    /// A time window was asked for (`--since`/`--until`): only the events in it count.
    pub window: bool,
    /// Events read but outside that window, not indexed.
    pub outside_window: usize,
    /// Each source's size as read, by source (for `source::fingerprint`).
    pub file_sizes: Vec<u64>,
}

impl LoadReport {
    pub fn add_file(&mut self, path: &str, status: &FileStatus, tally: &RecordTally) {
        match status {
            FileStatus::Read => self.files_read += 1,
            FileStatus::Skipped(why) => {
                self.files_skipped += 1;
                self.skipped.push(Problem { path: path.into(), reason: why.clone(), records: 0 });
            }
            FileStatus::Failed(why) => {
                self.files_failed += 1;
                self.problems.push(Problem { path: path.into(), reason: why.clone(), records: tally.rejected() });
            }
        }
        self.rejected += tally.rejected();
        self.skipped_records += tally.insights;
        if *status == FileStatus::Read {
            for (reason, n) in &tally.reasons {
                self.problems.push(Problem { path: path.into(), reason: reason.clone(), records: *n });
            }
        }
    }
}
