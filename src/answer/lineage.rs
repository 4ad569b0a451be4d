//! `tokentrail lineage KEY`: for each credential session with that key id, its chain up to
//! the root and everything it minted below.

use super::{str_or_null, time_or_null};
use crate::index::Index;
use crate::lineage::{Lineage, Node};
use crate::text::sanitize;
use crate::time::format_time;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn node_json(ix: &Index, lin: &Lineage, i: usize) -> Value {
    let n = &lin.nodes[i];
    json!({
        "access_key_id": str_or_null(ix.str(n.key)),
        "kind": n.kind.as_str(),
        "principal_arn": str_or_null(ix.str(n.principal)),
        "issued_at": time_or_null(n.issued_at),
        "expires_at": time_or_null(n.expires_at),
        "issuing_event_id": n.issuing_event.map_or(Value::Null, |e| Value::String(ix.event_id(&ix.events[e]))),
        "match": n.matched.map_or(Value::Null, |m| Value::String(m.as_str().into())),
        "first_use": time_or_null(n.first_use),
        "last_use": time_or_null(n.last_use),
        "event_count": n.event_count,
        "flags": n.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
    })
}

fn tree_json(ix: &Index, lin: &Lineage, i: usize, depth: usize) -> Value {
    let mut v = node_json(ix, lin, i);
    let kids: Vec<Value> = if depth > lin.nodes.len() {
        Vec::new()
    } else {
        lin.nodes[i].children.iter().map(|&c| tree_json(ix, lin, c, depth + 1)).collect()
    };
    v["children"] = Value::Array(kids);
    v
}

pub fn json(ix: &Index, lin: &Lineage, key: &str) -> Value {
    let sessions: Vec<Value> = lin
        .nodes_with_key(ix, key)
        .into_iter()
        .map(|i| {
            let n = &lin.nodes[i];
            json!({
                "access_key_id": key,
                "principal_arn": str_or_null(ix.str(n.principal)),
                "created_at": time_or_null(n.creation.or(n.issued_at)),
                "chain": lin.chain(i).into_iter().map(|c| node_json(ix, lin, c)).collect::<Vec<_>>(),
                "descendants": n.children.iter().map(|&c| tree_json(ix, lin, c, 0)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"query": key, "sessions": sessions})
}

/// One line describing a node, as the text tree shows it.
pub fn node_line(ix: &Index, n: &Node) -> String {
    let mut s = format!("{} {} {}", sanitize(or_dash(ix.str(n.key))), n.kind.as_str(), sanitize(ix.str(n.principal)));
    if let Some(t) = n.issued_at {
        let _ = write!(s, " issued {}", format_time(t));
    }
    if let Some(t) = n.expires_at {
        let _ = write!(s, " expires {}", format_time(t));
    }
    let _ = write!(s, " · {} events", n.event_count);
    if let Some(m) = n.matched {
        let _ = write!(s, " · matched by {}", m.as_str());
    }
    for f in &n.flags {
        let _ = write!(s, " [{}]", f.as_str());
    }
    s
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

pub fn text(ix: &Index, lin: &Lineage, key: &str) -> String {
    let found = lin.nodes_with_key(ix, key);
    if found.is_empty() {
        return format!("no credential session uses or was issued key {}\n", sanitize(key));
    }
    let mut s = String::new();
    for (k, i) in found.into_iter().enumerate() {
        if k > 0 {
            s.push('\n');
        }
        let chain = lin.chain(i);
        let _ = writeln!(s, "session {} of {}:", k + 1, sanitize(key));
        for (depth, &c) in chain.iter().enumerate() {
            let mark = if c == i { "▶ " } else { "" };
            let _ = writeln!(s, "{}{mark}{}", "  ".repeat(depth), node_line(ix, &lin.nodes[c]));
        }
        // Below the session, one level deeper than the chain's last line per generation.
        for (c, d) in lin.walk(i).into_iter().skip(1) {
            let _ = writeln!(s, "{}{}", "  ".repeat(chain.len() + d - 1), node_line(ix, &lin.nodes[c]));
        }
    }
    s
}
