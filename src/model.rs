//! Everything derived from one load, built together off the UI thread.

use crate::index::Index;
use crate::lineage::Lineage;
use crate::suspects::{Suspect, rank};
use crate::time::Millis;

pub struct Model {
    pub ix: Index,
    pub lin: Lineage,
    pub suspects: Vec<Suspect>,
}

impl Model {
    pub fn new(ix: Index) -> Model {
        let lin = Lineage::build(&ix);
        let suspects = rank(&ix, &lin);
        Model { ix, lin, suspects }
    }

    /// The reference time for "live/expired": the last event in the logs.
    pub fn end_time(&self) -> Millis {
        self.ix.time_range().map_or(0, |(_, b)| b)
    }

    /// The suspect score of a lineage node, if it is a suspect.
    pub fn score(&self, node: usize) -> Option<u32> {
        self.suspects.iter().find(|s| s.node == node).map(|s| s.score)
    }
}
