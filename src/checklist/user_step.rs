//! Step 6: the IAM user deleted, denied everything, or stripped — and, when it is done, the
//! role sessions its tokens minted earlier that are still live: nothing done to the user ends
//! them, so a second revocation of their roles is proposed, with its exact policy.

use super::commands::revoke_sessions;
use super::{Evidence, FollowUp, Root, Status, StepResult};
use crate::cloudtrail::iam::role_of_session_arn;
use crate::index::event::Field;
use crate::model::Model;
use crate::state::user::UserVerdict;
use crate::time::{Millis, format_time};
use std::collections::BTreeMap;

pub(super) fn evaluate(m: &Model, root: &Root, desc: &[usize], at: Millis, step: &mut StepResult) {
    let ix = &m.ix;
    let history = (!root.user_name.is_empty()).then(|| m.states.users.get(&root.account, &root.user_name)).flatten();
    step.evidence = history
        .map(|h| h.events.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|&i| {
            let e = &ix.events[i];
            let Some(crate::index::detail::Detail::Iam(c)) = ix.detail(e) else {
                return Evidence { event: i, time: e.time, what: String::new(), target: String::new() };
            };
            let mut target = format!("user {}", root.user_name);
            for (what, v) in [("policy", c.policy_arn), ("inline policy", c.policy_name), ("group", c.group_name)] {
                if !v.is_none() {
                    target.push_str(&format!(", {what} {}", ix.str(v)));
                }
            }
            let what = format!("{} {} by {}", ix.text(e, Field::Name), ix.event_id(e), ix.text(e, Field::Key));
            Evidence { event: i, time: e.time, what, target }
        })
        .collect();
    let verdict = history.map_or(UserVerdict::Open, |h| h.verdict(ix, at));
    match verdict {
        UserVerdict::Done(b) => {
            step.status = Status::Done;
            step.done_at = Some(b.from);
            step.summary = format!("done at {}: {}", format_time(b.from), b.what);
            let before = history.map(|h| h.verdict(ix, b.from - 1));
            // What was removed before it: a detach is not a strip, but it is part of the story.
            if let Some(UserVerdict::Partial { removed, .. }) = before {
                step.summary.push_str(&format!(" (partial before: {})", removed.join(", ")));
            }
            step.follow_up = follow_up(m, desc, b.from, at);
            let n: usize = step.follow_up.iter().map(|f| f.sessions.len()).sum();
            if n > 0 {
                let (what, are) = if n == 1 { ("role session", "is") } else { ("role sessions", "are") };
                step.summary.push_str(&format!(
                    "; {n} {what} minted earlier {are} still live at {}: revoke {} again",
                    format_time(at),
                    if step.follow_up.len() == 1 { "its role" } else { "their roles" }
                ));
            }
        }
        UserVerdict::Partial { removed, missing } => {
            step.status = Status::Partial;
            step.summary = format!("partial: {}; may remain: {}", removed.join(", "), missing.join("; "));
            step.missing = missing;
        }
        UserVerdict::Open if root.user_name.is_empty() => {
            step.summary = "the logs do not show which IAM user owns this root".into();
        }
        UserVerdict::Open => step.summary = "the user still has its permissions".into(),
    }
}

/// Role sessions below the root still live at `at` (not expired, nothing stopping them),
/// grouped by role, each with the revocation that ends them: a cutoff after the last of them
/// was issued and no earlier than the moment the user was cut off.
fn follow_up(m: &Model, desc: &[usize], done_at: Millis, at: Millis) -> Vec<FollowUp> {
    let ix = &m.ix;
    let mut by_role: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &n in desc {
        let node = &m.lin.nodes[n];
        let Some((_, role)) = role_of_session_arn(ix.str(node.principal)) else { continue };
        let issued = node.issued_at.or(node.creation);
        if issued.is_none_or(|t| t > at) || m.states.blocked_at(n, at).is_some() {
            continue;
        }
        by_role.entry(role.to_string()).or_default().push(n);
    }
    by_role
        .into_iter()
        .map(|(role, sessions)| {
            let last = sessions.iter().filter_map(|&n| m.lin.nodes[n].issued_at.or(m.lin.nodes[n].creation)).max();
            // Whole seconds: the condition's time is compared with the token's issue time.
            let cutoff = (last.map_or(done_at, |l| l + 1000).max(done_at) + 999) / 1000 * 1000;
            let command = revoke_sessions(&role, &format_time(cutoff));
            FollowUp { kind: "revoke-role-sessions", role, cutoff, sessions, command }
        })
        .collect()
}
