//! `tokentrail whatif`: which credentials under the root still work at a moment, and what
//! blocks the others. One typed answer, written as JSON (the CLI contract) and as text.

use crate::checklist::Root;
use crate::checklist::whatif::WhatIf;
use crate::model::Model;
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

/// The answer. Fields in alphabetical order, as the JSON has always had them.
#[derive(Debug, Serialize)]
pub struct WhatIfAnswer {
    pub at: String,
    pub blocked: Vec<Blocked>,
    pub root: WhatIfRoot,
    pub usable: Vec<Usable>,
}

/// The root the credentials are listed under; `resolved_from` is the key asked for when it
/// was a credential below the root.
#[derive(Debug, Serialize)]
pub struct WhatIfRoot {
    pub access_key_id: String,
    pub resolved_from: Option<String>,
    pub user_arn: String,
}

#[derive(Debug, Serialize)]
pub struct Usable {
    pub access_key_id: String,
    /// A key created by `CreateAccessKey`: the credential of the lineage that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    pub expires_at: Option<String>,
    pub issued_at: Option<String>,
    pub kind: &'static str,
    pub principal_arn: String,
    /// When it stops on its own (its expiry); null for a permanent key or an unknown expiry.
    pub usable_until: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Blocked {
    pub access_key_id: String,
    pub blocked_by: BlockedBy,
    pub kind: &'static str,
    pub reason: String,
}

/// The earliest fact that blocks the credential: `event_id` is null for `expired`.
#[derive(Debug, Serialize)]
pub struct BlockedBy {
    pub at: String,
    pub event_id: Option<String>,
    pub kind: &'static str,
}

impl WhatIfAnswer {
    pub fn new(m: &Model, root: &Root, w: &WhatIf) -> WhatIfAnswer {
        let ix = &m.ix;
        let usable = w
            .usable
            .iter()
            .map(|&n| {
                let node = &m.lin.nodes[n];
                Usable {
                    access_key_id: ix.str(node.key).to_string(),
                    created_by: node.created_by.map(|c| ix.str(m.lin.nodes[c].key).to_string()),
                    expires_at: node.expires_at.map(format_time),
                    issued_at: node.issued_at.map(format_time),
                    kind: node.kind.as_str(),
                    principal_arn: ix.str(node.principal).to_string(),
                    usable_until: node.expires_at.map(format_time),
                }
            })
            .collect();
        let blocked = w
            .blocked
            .iter()
            .map(|(n, b)| Blocked {
                access_key_id: ix.str(m.lin.nodes[*n].key).to_string(),
                blocked_by: BlockedBy {
                    at: format_time(b.from),
                    event_id: b.event.map(|e| ix.event_id(&ix.events[e])),
                    kind: b.kind.as_str(),
                },
                kind: m.lin.nodes[*n].kind.as_str(),
                reason: b.sentence(),
            })
            .collect();
        let root = WhatIfRoot {
            access_key_id: root.access_key_id.clone(),
            resolved_from: root.resolved_from.clone(),
            user_arn: root.user_arn.clone(),
        };
        WhatIfAnswer { at: format_time(w.at), blocked, root, usable }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let r = &self.root;
        let mut s = format!(
            "at {} under root {} ({})\n",
            sanitize(&self.at),
            sanitize(&r.access_key_id),
            sanitize(&r.user_arn)
        );
        if let Some(k) = &r.resolved_from {
            let _ = writeln!(s, "  ({} is below this root: every credential under the root is listed)", sanitize(k));
        }
        for u in &self.usable {
            let until = u.usable_until.as_deref().map(|t| format!(" until {}", sanitize(t))).unwrap_or_default();
            let by = u.created_by.as_deref().map(|k| format!(" (created by {})", sanitize(k))).unwrap_or_default();
            let _ = writeln!(s, "  usable   {} {}{until}{by}", sanitize(&u.access_key_id), u.kind);
        }
        for b in &self.blocked {
            let _ = writeln!(
                s,
                "  blocked  {} {}: [{}] {}",
                sanitize(&b.access_key_id),
                b.kind,
                b.blocked_by.kind,
                sanitize(&b.reason)
            );
        }
        s
    }
}
