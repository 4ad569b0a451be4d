//! What the hits add to the suspects: a `sigma:<rule id>` reason on each credential whose
//! events a rule matched. A high or critical rule makes a suspect on its own; lower levels
//! (SigmaHQ's "AssumeRole misuse" matches every role session) only add weight beside another
//! reason, as data reads do.

use super::found::{Detections, level_rank};
use crate::cloudtrail::ids::{KeyClass, key_class};
use crate::index::Index;
use crate::lineage::Lineage;
use crate::lineage::suspects::{Reason, ReasonCode, Suspect};

/// The points a rule of this level adds.
fn weight(level: &str) -> u32 {
    match level_rank(level) {
        4 => 40,
        3 => 30,
        2 => 10,
        1 => 3,
        _ => 0,
    }
}

/// `ranked` (the load's suspects) with the detections' reasons added, ranked again.
pub fn with_detections(ix: &Index, lin: &Lineage, ranked: &[Suspect], det: &Detections) -> Vec<Suspect> {
    let mut out: Vec<Suspect> = ranked.to_vec();
    let mut at: std::collections::HashMap<usize, usize> = out.iter().enumerate().map(|(i, s)| (s.node, i)).collect();
    for node in det.nodes() {
        if key_class(ix.str(lin.nodes[node].key)) != KeyClass::Temporary {
            continue;
        }
        let reasons: Vec<(Reason, u32, bool)> = det
            .rules_on_node(node)
            .into_iter()
            .map(|(r, n)| {
                let text = format!("Sigma rule \"{}\" ({}) matched {n} of its events", r.title, r.level);
                let reason = Reason { code: ReasonCode::Sigma, text, rule_id: Some(r.id.clone()) };
                (reason, weight(&r.level), level_rank(&r.level) >= 3)
            })
            .collect();
        let slot = match at.get(&node) {
            Some(&i) => i,
            None if reasons.iter().any(|(_, _, alone)| *alone) => {
                out.push(Suspect { node, score: 0, reasons: Vec::new() });
                at.insert(node, out.len() - 1);
                out.len() - 1
            }
            None => continue,
        };
        for (reason, points, _) in reasons {
            out[slot].score += points;
            out[slot].reasons.push(reason);
        }
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.node.cmp(&b.node)));
    out
}
