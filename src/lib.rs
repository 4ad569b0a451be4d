//! tokentrail: CloudTrail credential lineage. The model only — loading, index, lineage,
//! suspects, checklist — with no terminal code; the TUI lives in the binary.

pub mod answer;
pub mod checklist;
pub mod index;
pub mod kind;
pub mod lineage;
pub mod loader;
pub mod model;
pub mod policy;
pub mod record;
pub mod redact;
pub mod sample;
pub mod scan;
pub mod sql;
pub mod suspects;
pub mod synth;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod time;
