//! Pretty JSON written in pieces: serde prints an answer with a placeholder (`HOLE`) where
//! an array too large to build as one value goes (a tree as deep as a chain is long, a
//! million addresses), and the array is written there one item at a time. The text is byte
//! for byte serde's pretty printing, to `MAX_INDENT_LEVEL`.

use serde::Serialize;
use serde_json::Value;

/// Deeper JSON nesting than this is not indented further: a chain of keys each minting the
/// next is as deep as it is long, and indenting each level would make the output grow with
/// the square of the depth. Below it, the output is byte for byte serde's pretty printing.
pub const MAX_INDENT_LEVEL: usize = 32;

pub fn indent(level: usize) -> String {
    "  ".repeat(level.min(MAX_INDENT_LEVEL))
}

/// A placeholder value, printed by serde as `"\u0001"`: a logged value cannot print as that
/// text after `": "` at the start of a line (its own quotes are escaped).
pub const HOLE: &str = "\u{1}";

/// serde's pretty text of a value at level 0, every line after the first shifted to `level`
/// (capped).
fn shifted(text: &str, level: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let own = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&indent(level + own / 2));
            out.push_str(line.trim_start_matches(' '));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `v` pretty-printed as if it stood at `level`, split where the placeholder values of
/// `keys` are: the text before the first, and each piece after one, each ending with the
/// next placeholder's key (`"key": `).
pub fn pretty_with_holes(v: &Value, level: usize, keys: &[&str]) -> Vec<String> {
    let text = shifted(&serde_json::to_string_pretty(v).unwrap_or_default(), level);
    let holes: Vec<String> = keys.iter().map(|k| format!("\"{k}\": \"\\u0001\"")).collect();
    let mut parts = Vec::new();
    let mut rest = text.as_str();
    while let Some((at, hole)) = holes.iter().filter_map(|h| rest.find(h.as_str()).map(|at| (at, h))).min() {
        let key_len = hole.len() - "\"\\u0001\"".len();
        parts.push(rest[..at + key_len].to_string());
        rest = &rest[at + hole.len()..];
    }
    parts.push(rest.to_string());
    parts
}

/// Writes `items` as a pretty JSON array whose `]` stands at `level`, one item at a time (a
/// session may have called from a million addresses).
pub fn write_items<T: Serialize>(out: &mut String, items: impl IntoIterator<Item = T>, level: usize) {
    let mut items = items.into_iter().peekable();
    if items.peek().is_none() {
        out.push_str("[]");
        return;
    }
    out.push_str("[\n");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&indent(level + 1));
        out.push_str(&shifted(&serde_json::to_string_pretty(&item).unwrap_or_default(), level + 1));
    }
    out.push('\n');
    out.push_str(&indent(level));
    out.push(']');
}
