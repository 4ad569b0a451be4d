//! "At time T, which credentials descended from the root still work?"
//!
//! Deactivating a key does not stop the temporary credentials it minted; a role revocation
//! stops that role's sessions issued before its cutoff; stripping or deleting the user stops
//! every credential whose principal is the user (its keys and its GetSessionToken tokens,
//! because permissions are evaluated at use); expiry stops everything.

use super::Checklist;
use crate::lineage::{Kind, UsableAt};
use crate::model::Model;
use crate::time::{Millis, format_time};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct WhatIf {
    pub at: Millis,
    pub usable: Vec<usize>,
    pub blocked: Vec<(usize, String)>,
}

pub fn what_if(m: &Model, list: &Checklist, at: Millis) -> WhatIf {
    let ix = &m.ix;
    let root = &list.root;
    let done_by = |step: usize| list.steps[step].evidence.first().map(|e| e.time).filter(|&t| t <= at);
    // The root key's status at `at` (a re-activated key is usable again).
    let key_off = ix.strings.get(&root.access_key_id).and_then(|k| m.lin.key_states.off_since(k, at));
    let user_off = done_by(5);
    // Role cutoffs in force at `at`.
    let mut cutoffs: HashMap<String, Millis> = HashMap::new();
    for e in &list.steps[2].evidence {
        let ev = &ix.events[e.event];
        if ev.time <= at
            && let Some((role, cut)) = super::evaluate::revocation(ix, ev)
        {
            let slot = cutoffs.entry(role.to_string()).or_insert(cut);
            *slot = (*slot).max(cut);
        }
    }
    let mut out = WhatIf { at, usable: Vec::new(), blocked: Vec::new() };
    let mut nodes = vec![root.node];
    nodes.extend(m.lin.descendants(root.node));
    for n in nodes {
        let node = &m.lin.nodes[n];
        let user_principal = ix.str(node.principal) == root.user_arn
            && matches!(node.kind, Kind::Permanent | Kind::GetSessionToken | Kind::GetFederationToken);
        let role = ix.str(node.role_arn).rsplit('/').next().unwrap_or("");
        let reason = match node.usable_at(at) {
            UsableAt::NotYetIssued => continue,
            UsableAt::Expired => Some(format!("expired at {}", node.expires_at.map(format_time).unwrap_or_default())),
            _ if n == root.node && key_off.is_some() => {
                Some(format!("key deactivated/deleted at {}", key_off.map(format_time).unwrap_or_default()))
            }
            _ if user_principal && user_off.is_some() => {
                Some(format!("user stripped/deleted at {}", user_off.map(format_time).unwrap_or_default()))
            }
            _ if node.kind == Kind::AssumeRole
                && cutoffs.get(role).is_some_and(|&c| node.issued_at.is_some_and(|i| i < c)) =>
            {
                Some(format!("{role} sessions issued before {} are revoked", format_time(cutoffs[role])))
            }
            _ => None,
        };
        match reason {
            Some(r) => out.blocked.push((n, r)),
            None => out.usable.push(n),
        }
    }
    out
}
