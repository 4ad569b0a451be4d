//! `tokentrail whatif`: which credentials under the root still work at a moment, and what
//! blocks the others. One typed answer, written as JSON (the CLI contract) and as text.

use crate::checklist::whatif::WhatIf;
use crate::model::Model;
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

/// The answer. Fields in the order the JSON has always had them (alphabetical).
#[derive(Debug, Serialize)]
pub struct WhatIfAnswer {
    pub at: String,
    pub blocked: Vec<Blocked>,
    pub usable: Vec<Usable>,
}

#[derive(Debug, Serialize)]
pub struct Usable {
    pub access_key_id: String,
    pub expires_at: Option<String>,
    pub issued_at: Option<String>,
    pub kind: &'static str,
    pub principal_arn: String,
}

#[derive(Debug, Serialize)]
pub struct Blocked {
    pub access_key_id: String,
    pub kind: &'static str,
    pub reason: String,
}

impl WhatIfAnswer {
    pub fn new(m: &Model, w: &WhatIf) -> WhatIfAnswer {
        let ix = &m.ix;
        let usable = w
            .usable
            .iter()
            .map(|&n| {
                let node = &m.lin.nodes[n];
                Usable {
                    access_key_id: ix.str(node.key).to_string(),
                    expires_at: node.expires_at.map(format_time),
                    issued_at: node.issued_at.map(format_time),
                    kind: node.kind.as_str(),
                    principal_arn: ix.str(node.principal).to_string(),
                }
            })
            .collect();
        let blocked = w
            .blocked
            .iter()
            .map(|(n, why)| Blocked {
                access_key_id: ix.str(m.lin.nodes[*n].key).to_string(),
                kind: m.lin.nodes[*n].kind.as_str(),
                reason: why.clone(),
            })
            .collect();
        WhatIfAnswer { at: format_time(w.at), blocked, usable }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let mut s = format!("at {}\n", sanitize(&self.at));
        for u in &self.usable {
            let _ = writeln!(s, "  usable   {} {}", sanitize(&u.access_key_id), u.kind);
        }
        for b in &self.blocked {
            let _ = writeln!(s, "  blocked  {} {}: {}", sanitize(&b.access_key_id), b.kind, sanitize(&b.reason));
        }
        s
    }
}
