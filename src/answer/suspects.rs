//! `tokentrail suspects`: temporary credentials ranked, with their reasons.

use super::non_empty;
use crate::index::Index;
use crate::lineage::Lineage;
use crate::lineage::suspects::Suspect;
use crate::text::sanitize;
use serde::Serialize;
use std::fmt::Write as _;

/// The answer; fields in the order the JSON has always had them (alphabetical).
#[derive(Debug, Serialize)]
pub struct SuspectsAnswer {
    pub suspects: Vec<SuspectAnswer>,
}

#[derive(Debug, Serialize)]
pub struct SuspectAnswer {
    pub access_key_id: Option<String>,
    pub kind: &'static str,
    pub principal_arn: Option<String>,
    pub reason_codes: Vec<String>,
    pub reasons: Vec<String>,
    pub score: u32,
}

impl SuspectsAnswer {
    pub fn new(ix: &Index, lin: &Lineage, list: &[Suspect]) -> SuspectsAnswer {
        let suspects = list
            .iter()
            .map(|s| {
                let n = &lin.nodes[s.node];
                SuspectAnswer {
                    access_key_id: non_empty(ix.str(n.key)),
                    kind: n.kind.as_str(),
                    principal_arn: non_empty(ix.str(n.principal)),
                    reason_codes: s.reasons.iter().map(|r| r.code_text()).collect(),
                    reasons: s.reasons.iter().map(|r| r.text.clone()).collect(),
                    score: s.score,
                }
            })
            .collect();
        SuspectsAnswer { suspects }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        for x in &self.suspects {
            let (key, arn) = (x.access_key_id.as_deref().unwrap_or(""), x.principal_arn.as_deref().unwrap_or(""));
            let _ = writeln!(s, "{:>4}  {}  {}  {}", x.score, sanitize(key), x.kind, sanitize(arn));
            for (r, code) in x.reasons.iter().zip(&x.reason_codes) {
                let _ = writeln!(s, "        - {} [{code}]", sanitize(r));
            }
        }
        if self.suspects.is_empty() {
            s.push_str("no suspects\n");
        }
        s
    }
}
