//! Presentation: every answer tokentrail gives, one module per question (a subcommand, the
//! workbench's export), each written as JSON (the CLI contract), as text and, where it
//! applies, as Markdown. Nothing below this layer formats output. Every string taken from
//! a log is sanitised before it is printed as text.

pub mod checklist;
pub mod events;
pub mod lineage;
pub mod stats;
pub mod suspects;
pub mod whatif;

use crate::time::{Millis, format_time};
use serde_json::Value;

pub(crate) fn time_or_null(t: Option<Millis>) -> Value {
    t.map_or(Value::Null, |t| Value::String(format_time(t)))
}

pub(crate) fn str_or_null(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { Value::String(s.to_string()) }
}

/// A JSON answer as the CLI prints it: pretty, with a final newline.
pub fn pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
