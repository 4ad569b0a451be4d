//! The headless answers: each question as a stable JSON value and as readable text.
//! Every string taken from a log is sanitised before it is printed as text.

pub mod events;
pub mod lineage;
pub mod stats;
pub mod suspects;

use crate::time::{Millis, format_time};
use serde_json::Value;

pub(crate) fn time_or_null(t: Option<Millis>) -> Value {
    t.map_or(Value::Null, |t| Value::String(format_time(t)))
}

pub(crate) fn str_or_null(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { Value::String(s.to_string()) }
}
