//! "At time T, which credentials under the root still work?"
//!
//! What stops a credential is a fact of the account (`state::CredentialStates`, evaluated
//! once for every credential): the root only chooses which credentials are listed — itself,
//! everything below it, and the keys they created (`Lineage::reach`: a planted key is still
//! usable after step 6 unless it was deleted).

use super::Root;
use crate::lineage::UsableAt;
use crate::model::Model;
use crate::state::Block;
use crate::time::Millis;

#[derive(Debug, Clone)]
pub struct WhatIf {
    pub at: Millis,
    pub usable: Vec<usize>,
    /// Each blocked credential with the earliest fact of the stretch that stops it.
    pub blocked: Vec<(usize, Block)>,
}

pub fn what_if(m: &Model, root: &Root, at: Millis) -> WhatIf {
    let mut out = WhatIf { at, usable: Vec::new(), blocked: Vec::new() };
    for n in m.lin.with_reach(root.node) {
        if m.lin.nodes[n].usable_at(at) == UsableAt::NotYetIssued {
            continue;
        }
        match m.states.blocked_at(n, at) {
            Some(b) => out.blocked.push((n, b.clone())),
            None => out.usable.push(n),
        }
    }
    out
}
