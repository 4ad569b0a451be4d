//! tokentrail: CloudTrail credential lineage. The model only — loading, index, lineage,
//! suspects, credential states, checklist — with no terminal code; the TUI lives in the binary.

pub mod answer;
pub mod blast;
pub mod checklist;
pub mod cloudtrail;
pub mod detect;
pub mod index;
pub mod json;
pub mod lineage;
pub mod loader;
pub mod model;
pub mod policy;
pub mod redact;
pub mod sql;
pub mod state;
/// Generators of synthetic CloudTrail for tests, examples and benches: not part of the tool
/// (the `synth` feature; the crate's own dev-dependency turns it on for them).
#[cfg(any(test, feature = "synth"))]
pub mod synth;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod time;
