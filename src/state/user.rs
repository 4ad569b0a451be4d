//! Each IAM user's permissions over time, as far as the logs show them: the managed policies
//! attached and detached, the inline policies put and deleted, the groups joined and left, the
//! deny-all policies in force, and the deletion. From them: the facts that stop the user's own
//! credentials, and step 6's verdict at a time (done, partial, open).

use super::{Block, BlockKind};
use crate::cloudtrail::iam::{deny_all_managed_policy, is_quarantine_policy};
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::Field;
use crate::time::{Millis, format_time};
use std::collections::{BTreeMap, HashMap};

/// One user's permission-changing calls (successful ones), in time order.
#[derive(Debug, Clone, Default)]
pub struct UserHistory {
    pub name: String,
    /// Event positions.
    pub events: Vec<usize>,
    blocks: Vec<Block>,
}

/// Step 6's verdict on a user at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserVerdict {
    /// Deleted, denied everything, or every permission the logs show removed (with the
    /// user's creation in the logs, so that nothing older is unknown).
    Done(Block),
    /// Permissions removed, but not all known to be gone.
    Partial {
        removed: Vec<String>,
        missing: Vec<String>,
    },
    Open,
}

/// The user's state after some of its calls, replayed in order.
#[derive(Debug, Default)]
struct Replay {
    /// The user's creation is in the logs: every permission it got since is too.
    created: bool,
    created_at: Option<Millis>,
    attached: BTreeMap<String, Millis>,
    inline: BTreeMap<String, Millis>,
    groups: BTreeMap<String, Millis>,
    /// What was removed, as "what (call at time)".
    removed: Vec<String>,
    /// Open facts that stop the user, by a label naming the policy or the deletion.
    open: BTreeMap<String, Block>,
    /// Facts closed again (a deny removed, a stripped user given a policy).
    closed: Vec<Block>,
}

impl Replay {
    fn open(&mut self, label: String, kind: BlockKind, at: Millis, event: usize, what: String) {
        self.close(&label, at);
        self.open.insert(label, Block { kind, from: at, until: None, event: Some(event), what });
    }

    fn close(&mut self, label: &str, at: Millis) {
        if let Some(mut b) = self.open.remove(label) {
            b.until = Some(at);
            self.closed.push(b);
        }
    }

    fn apply(&mut self, ix: &Index, pos: usize) {
        let e = &ix.events[pos];
        let Some(Detail::Iam(c)) = ix.detail(e) else { return };
        let at = e.time;
        let when = format_time(at);
        let (user, arn, policy, group) =
            (ix.str(c.user_name), ix.str(c.policy_arn), ix.str(c.policy_name), ix.str(c.group_name));
        let short = |arn: &str| arn.rsplit('/').next().unwrap_or(arn).to_string();
        match ix.text(e, Field::Name) {
            "CreateUser" => {
                // A new user of that name: nothing of the old one carries over to it, and
                // the old one's credentials stay deleted for good.
                let old = std::mem::take(self);
                self.closed = old.closed;
                self.closed.extend(old.open.into_values().map(|mut b| {
                    if b.kind != BlockKind::UserDeleted {
                        b.until = b.until.or(Some(at));
                    }
                    b
                }));
                self.created = true;
                self.created_at = Some(at);
            }
            "DeleteUser" => {
                self.open("deleted".into(), BlockKind::UserDeleted, at, pos, format!("user {user} deleted"))
            }
            "AttachUserPolicy" => {
                self.attached.insert(arn.to_string(), at);
                if let Some(name) = deny_all_managed_policy(arn) {
                    let what = if is_quarantine_policy(name) {
                        format!("{name} attached to {user} (AWS's quarantine policy: it denies the actions it lists)")
                    } else {
                        format!("{name} attached to {user}")
                    };
                    self.open(format!("managed {arn}"), BlockKind::DenyPolicy, at, pos, what);
                }
                self.close("stripped", at);
            }
            "DetachUserPolicy" => {
                self.attached.remove(arn);
                self.removed.push(format!("{} detached ({when})", short(arn)));
                self.close(&format!("managed {arn}"), at);
            }
            "PutUserPolicy" => {
                self.inline.insert(policy.to_string(), at);
                let label = format!("inline {policy}");
                if c.policy.denies_all {
                    let what = format!("inline policy {policy} (Deny * on *) put on {user}");
                    self.open(label, BlockKind::DenyPolicy, at, pos, what);
                } else {
                    self.close(&label, at);
                }
                self.close("stripped", at);
            }
            "DeleteUserPolicy" => {
                self.inline.remove(policy);
                self.removed.push(format!("inline policy {policy} deleted ({when})"));
                self.close(&format!("inline {policy}"), at);
            }
            "AddUserToGroup" => {
                self.groups.insert(group.to_string(), at);
                self.close("stripped", at);
            }
            "RemoveUserFromGroup" => {
                self.groups.remove(group);
                self.removed.push(format!("removed from group {group} ({when})"));
            }
            _ => return,
        }
        let bare = self.attached.is_empty() && self.inline.is_empty() && self.groups.is_empty();
        if self.created && bare && !self.removed.is_empty() && !self.open.contains_key("stripped") {
            let what = format!("every policy and group the logs show {user} had removed by {when}");
            self.open("stripped".into(), BlockKind::UserStripped, at, pos, what);
        }
    }

    /// Everything that may still grant the user something.
    fn missing(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.attached.keys().map(|a| format!("managed policy {a} (still attached)")).collect();
        out.extend(self.inline.keys().map(|p| format!("inline policy {p} (still there)")));
        out.extend(self.groups.keys().map(|g| format!("group {g} (still a member)")));
        if !self.created {
            out.push(
                "policies, inline policies and groups from before the logs begin (the user's creation is not in them)"
                    .into(),
            );
        }
        out
    }
}

impl UserHistory {
    /// Every fact that stops this user's own credentials, closed or open.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    fn replay(&self, ix: &Index, upto: Millis) -> Replay {
        let mut r = Replay::default();
        for &p in self.events.iter().filter(|&&p| ix.events[p].time <= upto) {
            r.apply(ix, p);
        }
        r
    }

    /// Step 6's verdict at `t`, on the user of that name at `t` (one created again after a
    /// deletion is a new user, not yet touched).
    pub fn verdict(&self, ix: &Index, t: Millis) -> UserVerdict {
        let r = self.replay(ix, t);
        let current: Vec<Block> =
            self.blocks.iter().filter(|b| r.created_at.is_none_or(|c| b.from >= c)).cloned().collect();
        if let Some(b) = super::stretch_at(&current, t) {
            return UserVerdict::Done(b.clone());
        }
        if r.removed.is_empty() {
            UserVerdict::Open
        } else {
            UserVerdict::Partial { missing: r.missing(), removed: r.removed }
        }
    }
}

#[derive(Debug, Default)]
pub struct Users {
    by_user: HashMap<(String, String), UserHistory>,
}

impl Users {
    pub fn build(ix: &Index) -> Users {
        let mut by_user: HashMap<(String, String), UserHistory> = HashMap::new();
        for (pos, e, detail) in ix.events_with_detail() {
            let Detail::Iam(c) = detail else { continue };
            let name = ix.str(c.user_name);
            // Key calls name a user too; they change no permission.
            let changes = !matches!(
                ix.text(e, Field::Name),
                "CreateAccessKey" | "UpdateAccessKey" | "DeleteAccessKey" | "DeleteLoginProfile"
            );
            if e.is_error() || name.is_empty() || !changes {
                continue;
            }
            let account = ix.text(e, Field::Account).to_string();
            let h = by_user.entry((account, name.to_string())).or_default();
            h.name = name.to_string();
            h.events.push(pos);
        }
        for h in by_user.values_mut() {
            let mut r = Replay::default();
            for &p in &h.events {
                r.apply(ix, p);
            }
            h.blocks = r.closed;
            h.blocks.extend(r.open.into_values());
        }
        Users { by_user }
    }

    /// The user `name` of `account` (or, recorded under another account id, the only one of that name).
    pub fn get(&self, account: &str, name: &str) -> Option<&UserHistory> {
        super::find(&self.by_user, account, name)
    }
}
