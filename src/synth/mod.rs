//! Deterministic CloudTrail generator: the bundled sample incident and the large
//! benchmark corpora. Same seed, same bytes; nothing here is hand-written data.

pub mod account_day;
pub mod build;
pub mod corpus_shape;
pub mod incident;
pub mod layout;
pub mod noise;
pub mod shapes;
pub mod unique_agents;

pub use build::{Actor, Call, Rng};
pub use corpus_shape::Shape;
pub use incident::{Incident, incident};
pub use layout::{s3_files, write_corpus, write_corpus_shaped};

use serde_json::Value;

/// One generated event and the delivery delay (in 5-minute files) CloudTrail gave it.
#[derive(Debug, Clone)]
pub struct Generated {
    pub time_ms: i64,
    pub region: String,
    pub delay_files: u32,
    pub event: Value,
}
