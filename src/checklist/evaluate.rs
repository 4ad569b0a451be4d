//! Evaluating the six steps against the logs.

use super::commands::commands_for;
use super::{Checklist, Counts, Evidence, Root, Status, StepResult, TITLES};
use crate::cloudtrail::iam::{iam_user_of_arn, is_denial};
use crate::index::Index;
use crate::index::event::Field;
use crate::lineage::Kind;
use crate::model::Model;
use crate::time::{Millis, format_time};
use std::collections::BTreeMap;

/// Most evidence items kept per step; the summary still counts them all.
const EVIDENCE_CAP: usize = 200;

/// Picks the case root: the key or IAM user name given (any key the logs mention, or a
/// user's permanent key), or else the root of the first suspect whose root is a permanent
/// key: never a temporary key whose issuer is outside the logs. A temporary key given
/// resolves to the top of its chain (`Root::resolved_from` names the key given).
pub fn pick_root(m: &Model, key: Option<&str>) -> Option<Root> {
    let permanent = |n: usize| m.lin.nodes[n].kind == Kind::Permanent;
    let (node, asked) = match key {
        Some(k) => {
            let n = match m.lin.node_for_key(&m.ix, k) {
                Some(n) => n,
                None => m.lin.permanent_nodes_of_user(&m.ix, k).into_iter().next()?,
            };
            (m.lin.root_of(n), (m.lin.root_of(n) != n).then(|| k.to_string()))
        }
        None => (m.suspects.iter().map(|s| m.lin.root_of(s.node)).find(|&r| permanent(r))?, None),
    };
    let n = &m.lin.nodes[node];
    let arn = m.ix.str(n.principal).to_string();
    // Only a name the logs prove: the signer's own ARN names an IAM user. A role session's
    // name (chosen by whoever created it) is never taken for a user name.
    let user_name = match (iam_user_of_arn(&arn), m.ix.str(n.user_name)) {
        (None, _) => String::new(),
        (Some((_, from_arn)), "") => from_arn.to_string(),
        (Some(_), u) => u.to_string(),
    };
    Some(Root {
        node,
        resolved_from: asked,
        access_key_id: m.ix.str(n.key).to_string(),
        user_arn: arn,
        user_name,
        account: m.ix.str(n.account).to_string(),
    })
}

/// The calls among `events`, counted by outcome.
pub(super) fn count(ix: &Index, events: impl Iterator<Item = usize>) -> Counts {
    let mut c = Counts::default();
    for i in events {
        let code = ix.text(&ix.events[i], Field::Error);
        match (code.is_empty(), is_denial(code)) {
            (true, _) => c.succeeded += 1,
            (false, true) => c.denied += 1,
            (false, false) => c.failed += 1,
        }
    }
    c
}

/// The checklist with "still live" judged at the end of the logs.
pub fn evaluate(m: &Model, root: Root) -> Checklist {
    evaluate_at(m, root, m.end_time())
}

/// The checklist with "still live" judged at `at`.
pub fn evaluate_at(m: &Model, root: Root, at: Millis) -> Checklist {
    let ix = &m.ix;
    let desc = m.lin.descendants(root.node);
    let ev = |i: usize, what: String, target: String| Evidence { event: i, time: ix.events[i].time, what, target };
    let line = |i: usize| {
        let e = &ix.events[i];
        format!(
            "{} {} by {} from {}",
            ix.text(e, Field::Name),
            ix.event_id(e),
            ix.text(e, Field::Key),
            ix.field(e, Field::Ip)
        )
    };
    let mut steps: Vec<StepResult> = TITLES
        .iter()
        .enumerate()
        .map(|(k, title)| StepResult {
            step: k as u8 + 1,
            title,
            status: Status::Open,
            summary: String::new(),
            evidence: Vec::new(),
            commands: Vec::new(),
            counts: None,
            done_at: None,
            missing: Vec::new(),
            follow_up: Vec::new(),
        })
        .collect();

    // Step 1: the root key deactivated or deleted, and any re-activation after it (the key's
    // status history, in time order). Done only when the key is off at the end of the logs.
    let root_key = ix.strings.get(&root.access_key_id);
    let history = root_key.map_or(&[][..], |k| m.lin.key_states.history(k));
    let first_off = history.iter().position(|c| c.status.is_off());
    let target =
        format!("key {} of {}", root.access_key_id, if root.user_name.is_empty() { "?" } else { &root.user_name });
    steps[0].evidence = first_off
        .map(|f| &history[f..])
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let what = if c.status.is_off() { line(c.event) } else { format!("{} (re-activated)", line(c.event)) };
            ev(c.event, what, format!("{target} → {}", c.status.as_str()))
        })
        .collect();
    let key_off: Option<Millis> = first_off.map(|f| history[f].at);
    let reactivated = history.last().filter(|c| !c.status.is_off() && first_off.is_some()).map(|c| c.at);
    steps[0].status = match (reactivated, key_off) {
        (Some(_), _) => Status::Open,
        (None, Some(_)) => Status::Done,
        _ => Status::Open,
    };
    steps[0].done_at = key_off.filter(|_| reactivated.is_none());
    steps[0].summary = match (reactivated, key_off) {
        (Some(r), Some(off)) => {
            format!("disabled at {}, then re-activated at {}: the key signs again", format_time(off), format_time(r))
        }
        (_, Some(off)) => format!("key off since {} ({} status changes)", format_time(off), steps[0].evidence.len()),
        _ => "no UpdateAccessKey Inactive / DeleteAccessKey for this key in the logs".into(),
    };

    // Every call by the root's descendants after `t`; and the key's own, once re-activated.
    let calls_after = |t: Millis| -> Vec<usize> {
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
            .collect()
    };

    // Step 2: continued access after step 1 is successful calls; denied ones are counted apart.
    if let Some(off) = key_off {
        let calls = calls_after(off);
        let c = count(ix, calls.iter().copied());
        steps[1].status = if c.succeeded > 0 { Status::Found } else { Status::Clear };
        steps[1].summary = counted(c, "after the key was disabled");
        if c.succeeded == 0 && c.denied + c.failed > 0 {
            steps[1].summary.push_str(": no continued access");
        }
        steps[1].counts = Some(c);
        steps[1].evidence = calls.into_iter().map(|e| ev(e, line(e), String::new())).collect();
    } else {
        steps[1].status = Status::NotApplicable;
        steps[1].summary = "key not disabled yet".into();
    }

    // Step 3: AWSRevokeOlderSessions on every role the root's descendants assumed.
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
    let mut first_revoked: BTreeMap<String, Millis> = BTreeMap::new();
    for role in roles.keys() {
        for (i, cutoff) in m.states.roles.named(role).flat_map(|h| h.revocations()) {
            let slot = cutoffs.entry(role.clone()).or_insert(cutoff);
            *slot = (*slot).max(cutoff);
            let t = ix.events[i].time;
            first_revoked.entry(role.clone()).and_modify(|f| *f = (*f).min(t)).or_insert(t);
            let target = format!("role {role}: sessions issued before {}", format_time(cutoff));
            steps[2].evidence.push(ev(i, format!("{} on {role} (cutoff {})", line(i), format_time(cutoff)), target));
        }
    }
    let unrevoked: Vec<String> = roles.keys().filter(|r| !cutoffs.contains_key(*r)).cloned().collect();
    steps[2].status = match (cutoffs.is_empty(), unrevoked.is_empty()) {
        (true, _) => Status::Open,
        (false, true) => Status::Done,
        (false, false) => Status::Partial,
    };
    steps[2].done_at = (steps[2].status == Status::Done).then(|| first_revoked.values().copied().max()).flatten();
    steps[2].summary = match steps[2].status {
        Status::Open if roles.is_empty() => "the lineage assumed no role".into(),
        Status::Open => "no AWSRevokeOlderSessions on the assumed roles".into(),
        Status::Partial => format!("revoked: {}; not revoked: {}", joined(cutoffs.keys()), unrevoked.join(", ")),
        _ => format!("revocation policy written on {}, first at {}", joined(cutoffs.keys()), first_time(&steps[2])),
    };
    steps[2].missing = unrevoked.iter().map(|r| format!("role {r}: no revocation in the logs")).collect();

    // Step 4: sessions of a revoked role created after its cutoff, and their use; counted
    // over every call by the root's descendants after the first revocation.
    let revoked_at = first_revoked.values().copied().min();
    if let Some(r) = revoked_at {
        let mut below_root = vec![false; m.lin.nodes.len()];
        desc.iter().for_each(|&n| below_root[n] = true);
        let mut minted = 0;
        for (ni, n) in m.lin.nodes.iter().enumerate() {
            let role = ix.str(n.role_arn).rsplit('/').next().unwrap_or("");
            let Some(&cut) = cutoffs.get(role) else { continue };
            if n.issued_at.is_none_or(|t| t <= cut) {
                continue;
            }
            let tag = if below_root[ni] { "" } else { " (not descended from the root)" };
            if let Some(i) = n.issuing_event {
                minted += 1;
                let target = format!("role {role}: new token {}", ix.str(n.key));
                steps[3].evidence.push(ev(
                    i,
                    format!("new role token {} minted: {}{tag}", ix.str(n.key), line(i)),
                    target,
                ));
            }
            for &e in n.session.map_or(&[][..], |s| ix.session_events(s)) {
                steps[3].evidence.push(ev(e as usize, line(e as usize), String::new()));
            }
        }
        let c = count(ix, calls_after(r).into_iter());
        steps[3].status = if minted > 0 { Status::Found } else { Status::Clear };
        steps[3].summary =
            format!("{minted} new role tokens after the cutoff; since the revocation {}", counted(c, ""));
        steps[3].counts = Some(c);
    } else {
        steps[3].status = Status::NotApplicable;
        steps[3].summary = "no revocation yet".into();
    }

    // Step 5: GetSessionToken tokens below the root, their issuance and what they minted.
    for &n in &desc {
        let node = &m.lin.nodes[n];
        if node.kind != Kind::GetSessionToken {
            continue;
        }
        let token = ix.str(node.key).to_string();
        if let Some(i) = node.issuing_event {
            steps[4].evidence.push(ev(i, format!("token {token} issued: {}", line(i)), format!("token {token}")));
        }
        for &c in &node.children {
            if let Some(i) = m.lin.nodes[c].issuing_event {
                let child = ix.str(m.lin.nodes[c].key);
                steps[4].evidence.push(ev(
                    i,
                    format!("token {token} minted {child}: {}", line(i)),
                    format!("token {child}"),
                ));
            }
        }
        for &a in &node.attempts {
            steps[4].evidence.push(ev(a, format!("attempt: {}", line(a)), String::new()));
        }
    }
    steps[4].status = if steps[4].evidence.is_empty() { Status::Clear } else { Status::Found };
    steps[4].summary = if steps[4].evidence.is_empty() {
        "searched: nothing found".into()
    } else {
        format!("{} events: GetSessionToken issuance and what it minted", steps[4].evidence.len())
    };

    // Step 6: the user deleted, denied everything, or stripped; and what stays live after it.
    super::user_step::evaluate(m, &root, &desc, at, &mut steps[5]);

    for s in &mut steps {
        s.evidence.sort_by_key(|e| (e.time, e.event));
        s.evidence.truncate(EVIDENCE_CAP);
    }
    let persistence = super::persistence::open_items(m, root.node);
    let mut list = Checklist { root, steps, at, persistence };
    for k in 0..6 {
        list.steps[k].commands = commands_for(m, &list, k as u8 + 1, &roles);
    }
    list
}

/// "57 successful calls …; 7 denied; 1 failed otherwise", naming only what is there
/// (the calls of the root's descendants: a denied one is an attempt, not access).
fn counted(c: Counts, what: &str) -> String {
    let mut s = format!("{} successful calls", c.succeeded);
    if !what.is_empty() {
        s.push(' ');
        s.push_str(what);
    }
    if c.denied > 0 {
        s.push_str(&format!("; {} denied", c.denied));
    }
    if c.failed > 0 {
        s.push_str(&format!("; {} failed otherwise", c.failed));
    }
    s
}

fn joined<'a>(names: impl Iterator<Item = &'a String>) -> String {
    names.cloned().collect::<Vec<_>>().join(", ")
}

fn first_time(s: &StepResult) -> String {
    s.evidence.iter().map(|e| e.time).min().map(format_time).unwrap_or_default()
}
