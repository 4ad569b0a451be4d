//! Each role's facts that stop its sessions: revocations of its older sessions (an inline
//! policy denying everything to tokens issued before `aws:TokenIssueTime`, as the console's
//! "Revoke active sessions" writes it, `AWSRevokeOlderSessions`) and deny-all policies, each
//! from the call that put it until the call that removed or replaced it.

use super::{Block, BlockKind};
use crate::cloudtrail::iam::deny_all_managed_policy;
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::Field;
use crate::time::{Millis, format_time};
use std::collections::{BTreeMap, HashMap};

/// The policy name the IAM console writes to revoke a role's sessions.
pub const REVOKE_POLICY_NAME: &str = "AWSRevokeOlderSessions";

/// A fact on a role: the block it puts on the role's sessions, and, for a revocation, the
/// issue time before which a session is stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFact {
    pub block: Block,
    pub cutoff: Option<Millis>,
}

#[derive(Debug, Clone, Default)]
pub struct RoleHistory {
    facts: Vec<RoleFact>,
}

impl RoleHistory {
    pub fn facts(&self) -> &[RoleFact] {
        &self.facts
    }

    /// The revocations, in the order they were put: (event, cutoff).
    pub fn revocations(&self) -> impl Iterator<Item = (usize, Millis)> + '_ {
        self.facts.iter().filter_map(|f| Some((f.block.event?, f.cutoff?)))
    }
}

#[derive(Debug, Default)]
pub struct Roles {
    by_role: HashMap<(String, String), RoleHistory>,
}

/// The role a revocation names and the token-issue cutoff it sets: the policy's
/// `aws:TokenIssueTime`, or the event's own time when a policy named
/// `AWSRevokeOlderSessions` carries no readable one. None when the call revokes nothing.
pub fn revocation(ix: &Index, pos: usize) -> Option<(&str, Millis)> {
    let e = &ix.events[pos];
    let Some(Detail::Iam(c)) = ix.detail(e) else { return None };
    if e.is_error() || ix.text(e, Field::Name) != "PutRolePolicy" {
        return None;
    }
    let named = ix.str(c.policy_name) == REVOKE_POLICY_NAME;
    let cutoff = c.policy.token_issue_cutoff.or(named.then_some(e.time))?;
    Some((ix.str(c.role_name), cutoff))
}

impl Roles {
    pub fn build(ix: &Index) -> Roles {
        let mut events: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (pos, e, detail) in ix.events_with_detail() {
            let Detail::Iam(c) = detail else { continue };
            let role = ix.str(c.role_name);
            if e.is_error() || role.is_empty() {
                continue;
            }
            events.entry((ix.text(e, Field::Account).to_string(), role.to_string())).or_default().push(pos);
        }
        let by_role = events.into_iter().map(|(k, ev)| (k.clone(), history(ix, &k.1, &ev))).collect();
        Roles { by_role }
    }

    /// The role `name` of `account` (or, recorded under another account id, the only one of that name).
    pub fn get(&self, account: &str, name: &str) -> Option<&RoleHistory> {
        super::find(&self.by_role, account, name)
    }

    /// A role by name in any account (the checklist names roles by name).
    pub fn named(&self, name: &str) -> impl Iterator<Item = &RoleHistory> + '_ {
        let name = name.to_string();
        self.by_role.iter().filter(move |(k, _)| k.1 == name).map(|(_, h)| h)
    }
}

fn history(ix: &Index, role: &str, events: &[usize]) -> RoleHistory {
    let mut open: BTreeMap<String, RoleFact> = BTreeMap::new();
    let mut done = Vec::new();
    let mut close = |open: &mut BTreeMap<String, RoleFact>, label: &str, at: Millis| {
        if let Some(mut f) = open.remove(label) {
            f.block.until = Some(at);
            done.push(f);
        }
    };
    for &pos in events {
        let e = &ix.events[pos];
        let Some(Detail::Iam(c)) = ix.detail(e) else { continue };
        let at = e.time;
        let (policy, arn) = (ix.str(c.policy_name), ix.str(c.policy_arn));
        let fact = |kind, what: String, cutoff| RoleFact {
            block: Block { kind, from: at, until: None, event: Some(pos), what },
            cutoff,
        };
        match ix.text(e, Field::Name) {
            "PutRolePolicy" => {
                // A policy put again under its name replaces the old document.
                let label = format!("inline {policy}");
                close(&mut open, &label, at);
                if let Some((_, cutoff)) = revocation(ix, pos) {
                    let what = format!("{role} sessions issued before {} revoked", format_time(cutoff));
                    open.insert(label, fact(BlockKind::Revocation, what, Some(cutoff)));
                } else if c.policy.denies_all {
                    let what = format!("inline policy {policy} (Deny * on *) put on role {role}");
                    open.insert(label, fact(BlockKind::DenyPolicy, what, None));
                }
            }
            "DeleteRolePolicy" => close(&mut open, &format!("inline {policy}"), at),
            "AttachRolePolicy" => {
                if let Some(name) = deny_all_managed_policy(arn) {
                    let what = format!("{name} attached to role {role}");
                    open.insert(format!("managed {arn}"), fact(BlockKind::DenyPolicy, what, None));
                }
            }
            "DetachRolePolicy" => close(&mut open, &format!("managed {arn}"), at),
            _ => {}
        }
    }
    done.extend(open.into_values());
    done.sort_by_key(|f| f.block.from);
    RoleHistory { facts: done }
}
