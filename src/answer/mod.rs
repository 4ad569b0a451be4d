//! Presentation: every answer tokentrail gives, one module per question (a subcommand, the
//! workbench's export), each a typed `Serialize` answer written as JSON (the CLI contract),
//! as text and, where it applies, as Markdown. Fields stand in each struct in the order the
//! JSON has always had them (alphabetical). Nothing below this layer formats output. Every string taken from
//! a log is sanitised before it is printed as text.

pub mod blast;
pub mod checklist;
pub mod detections;
pub mod events;
mod holes;
pub mod lineage;
mod sources;
pub mod stats;
pub mod suspects;
pub mod whatif;

/// A logged value, or none for an empty one (JSON `null`).
pub(crate) fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// A JSON answer as the CLI prints it: pretty, with a final newline.
pub fn pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
