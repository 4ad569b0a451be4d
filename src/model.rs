//! Everything derived from one load, built together off the UI thread.

use crate::index::Index;
use crate::index::event::Event;
use crate::lineage::Lineage;
use crate::lineage::suspects::{Suspect, rank};
use crate::loader::Loaded;
use crate::loader::report::LoadReport;
use crate::loader::source::Source;
use crate::state::CredentialStates;
use crate::time::Millis;

pub struct Model {
    pub ix: Index,
    /// What the load read and met (files, records, problems).
    pub report: LoadReport,
    /// The sources read, to find an event's original text again.
    pub sources: Vec<Source>,
    pub lin: Lineage,
    pub suspects: Vec<Suspect>,
    /// What stops each credential, and since when (evaluated once, for every view).
    pub states: CredentialStates,
    /// Each lineage node's suspect score (0: not a suspect), for look-ups per node.
    scores: Vec<u32>,
}

impl Model {
    pub fn new(Loaded { ix, sources, report }: Loaded) -> Model {
        let lin = Lineage::build(&ix);
        let suspects = rank(&ix, &lin);
        let states = CredentialStates::build(&ix, &lin);
        let scores = crate::lineage::suspects::scores(lin.nodes.len(), &suspects);
        Model { ix, report, sources, lin, suspects, states, scores }
    }

    /// The original text of an event, re-read from its source.
    pub fn raw_text(&self, e: &Event) -> Result<String, String> {
        crate::loader::raw_text(&self.sources, e)
    }

    /// The loaded sources' fingerprint (a case file is bound to it).
    pub fn fingerprint(&self) -> String {
        crate::loader::source::fingerprint(&self.sources, &self.report.file_sizes)
    }

    /// The reference time for "live/expired": the last event in the logs.
    pub fn end_time(&self) -> Millis {
        self.ix.time_range().map_or(0, |(_, b)| b)
    }

    /// The suspect score of a lineage node, if it is a suspect.
    pub fn score(&self, node: usize) -> Option<u32> {
        self.scores.get(node).copied().filter(|&s| s > 0)
    }
}
