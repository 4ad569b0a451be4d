//! `tokentrail suspects`: temporary credentials ranked, with their reasons.

use super::str_or_null;
use crate::index::Index;
use crate::lineage::Lineage;
use crate::lineage::suspects::Suspect;
use crate::text::sanitize;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn json(ix: &Index, lin: &Lineage, list: &[Suspect]) -> Value {
    let items: Vec<Value> = list
        .iter()
        .map(|s| {
            let n = &lin.nodes[s.node];
            json!({
                "access_key_id": str_or_null(ix.str(n.key)),
                "principal_arn": str_or_null(ix.str(n.principal)),
                "kind": n.kind.as_str(),
                "score": s.score,
                "reasons": s.reasons,
            })
        })
        .collect();
    json!({"suspects": items})
}

pub fn text(ix: &Index, lin: &Lineage, list: &[Suspect]) -> String {
    let mut s = String::new();
    for x in list {
        let n = &lin.nodes[x.node];
        let _ = writeln!(
            s,
            "{:>4}  {}  {}  {}",
            x.score,
            sanitize(ix.str(n.key)),
            n.kind.as_str(),
            sanitize(ix.str(n.principal))
        );
        for r in &x.reasons {
            let _ = writeln!(s, "        - {}", sanitize(r));
        }
    }
    if list.is_empty() {
        s.push_str("no suspects\n");
    }
    s
}
