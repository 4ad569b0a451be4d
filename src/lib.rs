//! tokentrail: CloudTrail credential lineage. The model only — loading, index, lineage,
//! suspects, checklist — with no terminal code; the TUI lives in the binary.

pub mod answer;
pub mod index;
pub mod lineage;
pub mod loader;
pub mod policy;
pub mod record;
pub mod sample;
pub mod suspects;
pub mod synth;
pub mod text;
pub mod time;
