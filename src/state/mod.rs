//! What stops each credential, and since when: facts of the account, not of a view.
//!
//! Every credential in the lineage gets the facts that can stop it, each an interval of time
//! with the event that started it: its expiry; its key's status (a permanent key deactivated
//! or deleted, and re-activated); the revocations of its role's older sessions
//! (`aws:TokenIssueTime`) and deny-all policies on its role; and, for a user's own keys and
//! the `GetSessionToken`/`GetFederationToken` tokens it minted, the user deleted, denied
//! everything, or stripped of every permission the logs show it had. Role sessions the user's
//! tokens minted are not stopped by anything done to the user: they live until they expire or
//! their role's sessions are revoked. Built once per model; what-if, the checklist and the
//! tree read it at whatever time they ask about.

pub mod role;
pub mod user;

use crate::cloudtrail::iam::{iam_user_of_arn, role_of_session_arn};
use crate::index::Index;
use crate::lineage::key_state::KeyStatus;
use crate::lineage::{Kind, Lineage, Node};
use crate::time::{Millis, format_time};
use role::Roles;
use std::collections::HashMap;
use user::Users;

/// What stops a credential (the `blocked_by.kind` of `whatif --json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Expired,
    KeyStatus,
    Revocation,
    UserDeleted,
    UserStripped,
    DenyPolicy,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Expired => "expired",
            BlockKind::KeyStatus => "key-status",
            BlockKind::Revocation => "revocation",
            BlockKind::UserDeleted => "user-deleted",
            BlockKind::UserStripped => "user-stripped",
            BlockKind::DenyPolicy => "deny-policy",
        }
    }
}

/// One fact that stops a credential from `from` until `until` (None: for good).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub from: Millis,
    pub until: Option<Millis>,
    /// The event that set it (position in the index); None for expiry.
    pub event: Option<usize>,
    /// What it is, in a sentence's words, without its time ("MyBucketRole sessions issued
    /// before … revoked"); `sentence` adds the time.
    pub what: String,
}

impl Block {
    /// "key deactivated at 2024-11-30T10:31:12Z".
    pub fn sentence(&self) -> String {
        format!("{} at {}", self.what, format_time(self.from))
    }
}

impl Block {
    fn holds_at(&self, t: Millis) -> bool {
        self.from <= t && self.until.is_none_or(|u| t < u)
    }
}

/// The earliest fact of the unbroken stretch of blocks that holds `t`: a key deactivated
/// at 10:31 and deleted at 10:44 is blocked since 10:31, whichever of the two is asked about.
pub fn stretch_at(blocks: &[Block], t: Millis) -> Option<&Block> {
    let mut chosen = blocks.iter().filter(|b| b.holds_at(t)).min_by_key(|b| b.from)?;
    while let Some(b) = blocks
        .iter()
        .filter(|b| b.from < chosen.from && b.until.is_none_or(|u| u >= chosen.from))
        .min_by_key(|b| b.from)
    {
        chosen = b;
    }
    Some(chosen)
}

pub struct CredentialStates {
    /// Per lineage node, every fact that can stop it.
    blocks: Vec<Vec<Block>>,
    pub users: Users,
    pub roles: Roles,
}

impl CredentialStates {
    pub fn build(ix: &Index, lin: &Lineage) -> CredentialStates {
        let users = Users::build(ix);
        let roles = Roles::build(ix);
        let blocks = (0..lin.nodes.len()).map(|n| node_blocks(ix, lin, &users, &roles, n)).collect();
        CredentialStates { blocks, users, roles }
    }

    /// Every fact that can stop the node, in no particular order.
    pub fn blocks(&self, node: usize) -> &[Block] {
        self.blocks.get(node).map_or(&[], Vec::as_slice)
    }

    /// What stops the node at `t` (the earliest fact of the stretch), or None: usable, as far
    /// as the logs show.
    pub fn blocked_at(&self, node: usize, t: Millis) -> Option<&Block> {
        stretch_at(self.blocks(node), t)
    }

    /// A credential's state at `t` in a word or two, for a tree row: a temporary credential
    /// `live`, `expired` or `blocked: <what>`; a permanent key `active`, `inactive`,
    /// `deleted` or `blocked: <what>` (its user stopped).
    pub fn label_at(&self, lin: &Lineage, node: usize, t: Millis) -> &'static str {
        let n = &lin.nodes[node];
        let Some(b) = self.blocked_at(node, t) else {
            return if n.kind == Kind::Permanent { "active" } else { "live" };
        };
        match b.kind {
            BlockKind::Expired => "expired",
            BlockKind::KeyStatus => match lin.key_states.in_force(n.key, t).map(|c| c.status) {
                Some(KeyStatus::Deleted) => "deleted",
                _ => "inactive",
            },
            BlockKind::Revocation => "blocked: revoked",
            BlockKind::UserDeleted => "blocked: user deleted",
            BlockKind::UserStripped => "blocked: user stripped",
            BlockKind::DenyPolicy => "blocked: denied",
        }
    }
}

/// The IAM user a credential acts as: the user of its own ARN, or, for a federated user's
/// session, of the credential that minted it (a federation token is cut down from its user).
pub fn user_of(ix: &Index, lin: &Lineage, node: usize) -> Option<(String, String)> {
    let mut cur = node;
    for _ in 0..lin.nodes.len().min(64) {
        let arn = ix.str(lin.nodes[cur].principal);
        if let Some((account, name)) = iam_user_of_arn(arn) {
            return Some((account.to_string(), name.to_string()));
        }
        if !arn.contains(":federated-user/") {
            return None;
        }
        cur = lin.nodes[cur].parent?;
    }
    None
}

/// The history of `name` in `account`; or, when the calls were recorded under another account
/// id (a caller's from elsewhere, or none), the only history of that name, if only one.
fn find<'a, H>(by: &'a HashMap<(String, String), H>, account: &str, name: &str) -> Option<&'a H> {
    by.get(&(account.to_string(), name.to_string())).or_else(|| {
        let mut same = by.iter().filter(|(k, _)| k.1 == name);
        match (same.next(), same.next()) {
            (Some((_, h)), None) => Some(h),
            _ => None,
        }
    })
}

/// When a credential began, as far as the logs say.
fn began(n: &Node) -> Option<Millis> {
    n.issued_at.or(n.creation).or(n.first_use)
}

fn node_blocks(ix: &Index, lin: &Lineage, users: &Users, roles: &Roles, i: usize) -> Vec<Block> {
    let n = &lin.nodes[i];
    let mut out = Vec::new();
    if n.kind != Kind::Permanent
        && let Some(x) = n.expires_at
    {
        out.push(Block { kind: BlockKind::Expired, from: x, until: None, event: None, what: "expired".into() });
    }
    if n.kind == Kind::Permanent {
        let history = lin.key_states.history(n.key);
        for (k, c) in history.iter().enumerate().filter(|(_, c)| c.status.is_off()) {
            let until = history[k + 1..].iter().find(|d| d.status == KeyStatus::Active).map(|d| d.at);
            let what = match c.status {
                KeyStatus::Deleted => "key deleted".into(),
                _ => "key deactivated".into(),
            };
            out.push(Block { kind: BlockKind::KeyStatus, from: c.at, until, event: Some(c.event), what });
        }
    }
    if let Some((account, name)) = user_of(ix, lin, i)
        && let Some(u) = users.get(&account, &name)
    {
        let start = began(n);
        // A user deleted and created again under the same name is another user: the
        // deletion stops only what the old one held.
        out.extend(
            u.blocks()
                .iter()
                .filter(|b| b.kind != BlockKind::UserDeleted || start.is_some_and(|s| s < b.from))
                .cloned(),
        );
    }
    if let Some((account, role)) = role_of_session_arn(ix.str(n.principal))
        && let Some(r) = roles.get(account, role)
    {
        let start = began(n);
        for f in r.facts() {
            // A revocation stops the sessions issued before its cutoff; a session whose issue
            // time the logs do not give is not claimed either way.
            if f.cutoff.is_none_or(|c| start.is_some_and(|s| s < c)) {
                out.push(f.block.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
