//! Evaluating the six steps against the logs.

use super::commands::commands_for;
use super::{Checklist, Evidence, Root, Status, StepResult, TITLES};
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::{Event, Field};
use crate::lineage::Kind;
use crate::model::Model;
use crate::time::{Millis, format_time};
use std::collections::BTreeMap;

/// Most evidence items kept per step; the summary still counts them all.
const EVIDENCE_CAP: usize = 200;

/// The role a revocation names and the token-issue cutoff it sets: the policy's
/// `aws:TokenIssueTime`, or the event's own time when the document carries none.
pub(super) fn revocation<'a>(ix: &'a Index, e: &Event) -> Option<(&'a str, Millis)> {
    let Some(Detail::Iam(c)) = ix.detail(e) else { return None };
    Some((ix.str(c.role_name), c.policy.token_issue_cutoff.unwrap_or(e.time)))
}

/// Picks the case root: the key or IAM user name given (any key the logs mention, or a
/// user's permanent key), or else the root of the first suspect whose root is a permanent
/// key: never a temporary key whose issuer is outside the logs.
pub fn pick_root(m: &Model, key: Option<&str>) -> Option<Root> {
    let permanent = |n: usize| m.lin.nodes[n].kind == Kind::Permanent;
    let node = match key {
        Some(k) => {
            let nodes = m.lin.nodes_with_key(&m.ix, k);
            match nodes.iter().find(|&&n| m.lin.nodes[n].is_root()).or(nodes.first()) {
                Some(&n) => n,
                None => m.lin.permanent_nodes_of_user(&m.ix, k).into_iter().next()?,
            }
        }
        None => m.suspects.iter().map(|s| m.lin.root_of(s.node)).find(|&r| permanent(r))?,
    };
    let n = &m.lin.nodes[node];
    let arn = m.ix.str(n.principal).to_string();
    // Only a name the logs prove: the signer's own ARN names an IAM user. A role session's
    // name (chosen by whoever created it) is never taken for a user name.
    let user_name = match (iam_user_name(&arn), m.ix.str(n.user_name)) {
        (None, _) => String::new(),
        (Some(from_arn), "") => from_arn.to_string(),
        (Some(_), u) => u.to_string(),
    };
    Some(Root {
        node,
        access_key_id: m.ix.str(n.key).to_string(),
        user_arn: arn,
        user_name,
        account: m.ix.str(n.account).to_string(),
    })
}

/// The user name in an IAM user's ARN (`arn:aws:iam::123:user/path/name` → `name`).
fn iam_user_name(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_word, _partition, service, resource) = (parts.next()?, parts.next()?, parts.next()?, parts.nth(2)?);
    let name = resource.strip_prefix("user/")?.rsplit('/').next()?;
    (arn_word == "arn" && service == "iam" && !name.is_empty()).then_some(name)
}

pub fn evaluate(m: &Model, root: Root) -> Checklist {
    let ix = &m.ix;
    let desc = m.lin.descendants(root.node);
    let ev = |i: usize, what: String| Evidence { event: i, time: ix.events[i].time, what };
    let line = |i: usize| {
        let e = &ix.events[i];
        format!(
            "{} {} by {} from {}",
            ix.field(e, Field::Name),
            ix.event_id(e),
            ix.field(e, Field::Key),
            ix.field(e, Field::Ip)
        )
    };

    // Step 1: the root key deactivated or deleted, and any re-activation after it (the key's
    // status history, in time order). Done only when the key is off at the end of the logs.
    let root_key = ix.strings.get(&root.access_key_id);
    let history = root_key.map_or(&[][..], |k| m.lin.key_states.history(k));
    let first_off = history.iter().position(|c| c.status.is_off());
    let s1: Vec<Evidence> = first_off
        .map(|f| &history[f..])
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let what = if c.status.is_off() { line(c.event) } else { format!("{} (re-activated)", line(c.event)) };
            ev(c.event, what)
        })
        .collect();
    let key_off: Option<Millis> = first_off.map(|f| history[f].at);
    let reactivated = history.last().filter(|c| !c.status.is_off() && first_off.is_some()).map(|c| c.at);

    // Step 2: descendants still signing after step 1; and the key itself, once re-activated.
    let after = |t: Millis| -> Vec<Evidence> {
        let own = reactivated.map(|r| (r, m.lin.nodes[root.node].session));
        desc.iter()
            .filter_map(|&n| m.lin.nodes[n].session)
            .flat_map(|s| ix.session_events(s).iter().map(|&e| e as usize))
            .filter(|&e| ix.events[e].time > t)
            .chain(own.into_iter().flat_map(|(r, s)| {
                s.map_or(&[][..], |s| ix.session_events(s))
                    .iter()
                    .map(|&e| e as usize)
                    .filter(move |&e| ix.events[e].time > r)
            }))
            .map(|e| ev(e, line(e)))
            .collect()
    };
    let s2 = key_off.map(after);

    // Step 3: AWSRevokeOlderSessions on a role the root's descendants assumed.
    let roles: BTreeMap<String, String> = desc
        .iter()
        .map(|&n| &m.lin.nodes[n])
        .filter(|n| n.kind == Kind::AssumeRole && !n.role_arn.is_none())
        .map(|n| {
            let arn = ix.str(n.role_arn).to_string();
            (arn.rsplit('/').next().unwrap_or("").to_string(), arn)
        })
        .collect();
    let mut cutoffs: BTreeMap<String, Millis> = BTreeMap::new();
    let mut s3 = Vec::new();
    for (i, e) in ix.events.iter().enumerate() {
        if let Some(Detail::Iam(c)) = ix.detail(e)
            && !e.is_error()
            && ix.field(e, Field::Name) == "PutRolePolicy"
            && roles.contains_key(ix.str(c.role_name))
            && (ix.str(c.policy_name) == "AWSRevokeOlderSessions" || c.policy.token_issue_cutoff.is_some())
            && let Some((role, cutoff)) = revocation(ix, e)
        {
            let slot = cutoffs.entry(role.to_string()).or_insert(cutoff);
            *slot = (*slot).max(cutoff);
            s3.push(ev(i, format!("{} on {role} (cutoff {})", line(i), format_time(cutoff))));
        }
    }

    // Step 4: sessions of a revoked role created after its cutoff, and their use.
    let s4 = (!cutoffs.is_empty()).then(|| {
        let mut below_root = vec![false; m.lin.nodes.len()];
        desc.iter().for_each(|&n| below_root[n] = true);
        let mut out = Vec::new();
        for (ni, n) in m.lin.nodes.iter().enumerate() {
            let role = ix.str(n.role_arn).rsplit('/').next().unwrap_or("");
            let Some(&cut) = cutoffs.get(role) else { continue };
            if n.issued_at.is_none_or(|t| t <= cut) {
                continue;
            }
            let tag = if below_root[ni] { "" } else { " (not descended from the root)" };
            if let Some(i) = n.issuing_event {
                out.push(ev(i, format!("new role token {} minted: {}{tag}", ix.str(n.key), line(i))));
            }
            for &e in n.session.map_or(&[][..], |s| ix.session_events(s)) {
                out.push(ev(e as usize, line(e as usize)));
            }
        }
        out
    });

    // Step 5: GetSessionToken tokens below the root, their issuance and what they minted.
    let mut s5 = Vec::new();
    for &n in &desc {
        let node = &m.lin.nodes[n];
        if node.kind != Kind::GetSessionToken {
            continue;
        }
        if let Some(i) = node.issuing_event {
            s5.push(ev(i, format!("token {} issued: {}", ix.str(node.key), line(i))));
        }
        for &c in &node.children {
            if let Some(i) = m.lin.nodes[c].issuing_event {
                s5.push(ev(
                    i,
                    format!("token {} minted {}: {}", ix.str(node.key), ix.str(m.lin.nodes[c].key), line(i)),
                ));
            }
        }
        for &a in &node.attempts {
            s5.push(ev(a, format!("attempt: {}", line(a))));
        }
    }

    // Step 6: the user deleted or stripped of its permissions.
    let mut s6 = Vec::new();
    for (i, e) in ix.events.iter().enumerate() {
        let Some(Detail::Iam(c)) = ix.detail(e) else { continue };
        if e.is_error() || ix.str(c.user_name) != root.user_name || root.user_name.is_empty() {
            continue;
        }
        let name = ix.field(e, Field::Name);
        let strips = match name {
            "DeleteUser" | "DetachUserPolicy" | "DeleteUserPolicy" => true,
            "PutUserPolicy" => c.policy.denies_all,
            "AttachUserPolicy" => {
                let p = ix.str(c.policy_arn);
                p.ends_with("/AWSDenyAll") || p.contains("AWSCompromisedKeyQuarantine")
            }
            _ => false,
        };
        if strips {
            s6.push(ev(i, line(i)));
        }
    }

    let action = |v: &Vec<Evidence>| if v.is_empty() { Status::Open } else { Status::Done };
    let finding = |v: Option<&[Evidence]>| match v {
        None => Status::NotApplicable,
        Some([]) => Status::Clear,
        Some(_) => Status::Found,
    };
    let status1 = if reactivated.is_some() { Status::Open } else { action(&s1) };
    let statuses =
        [status1, finding(s2.as_deref()), action(&s3), finding(s4.as_deref()), finding(Some(&s5)), action(&s6)];
    let summary1 = match (reactivated, key_off) {
        (Some(r), Some(off)) => {
            format!("disabled at {}, then re-activated at {}: the key signs again", format_time(off), format_time(r))
        }
        _ => summary_action(
            &s1,
            "key disabled",
            "no UpdateAccessKey Inactive / DeleteAccessKey for this key in the logs",
        ),
    };
    let summaries = [
        summary1,
        summary_finding(s2.as_deref(), "events by its descendants after the key was disabled", "key not disabled yet"),
        summary_action(&s3, "revocation policy written", "no AWSRevokeOlderSessions on the assumed roles"),
        summary_finding(s4.as_deref(), "events: new role tokens and their use after the cutoff", "no revocation yet"),
        summary_finding(Some(&s5), "events: GetSessionToken issuance and what it minted", ""),
        summary_action(&s6, "permission removals / deletion", "the user still has its permissions"),
    ];
    let evidence = [s1, s2.unwrap_or_default(), s3, s4.unwrap_or_default(), s5, s6];
    let mut steps = Vec::new();
    for (k, mut evidence) in evidence.into_iter().enumerate() {
        evidence.sort_by_key(|e| (e.time, e.event));
        evidence.truncate(EVIDENCE_CAP);
        steps.push(StepResult {
            step: k as u8 + 1,
            title: TITLES[k],
            status: statuses[k],
            summary: summaries[k].clone(),
            evidence,
            commands: Vec::new(),
        });
    }
    let mut list = Checklist { root, steps };
    for k in 0..6 {
        list.steps[k].commands = commands_for(m, &list, k as u8 + 1, &roles);
    }
    list
}

fn summary_action(v: &[Evidence], what: &str, none: &str) -> String {
    match v.first() {
        Some(e) => format!("{} {what}, first at {}", v.len(), format_time(e.time)),
        None => none.to_string(),
    }
}

fn summary_finding(v: Option<&[Evidence]>, what: &str, na: &str) -> String {
    match v {
        None => na.to_string(),
        Some([]) => "searched: nothing found".to_string(),
        Some(v) => format!("{} {what}", v.len()),
    }
}
