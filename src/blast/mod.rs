//! What a lineage did with its credentials: the writes that can outlive the remediation
//! (persistence), each `open` or `undone` by a later event of the logs, and the data it read,
//! wrote, shared or deleted, counted succeeded against denied; and where its calls came from.
//!
//! Built on demand for one node and everything below it, from the events' original text
//! (each source file read once): the index keeps no request parameters.

pub mod trust;

use crate::cloudtrail::persistence::{DataCall, PersistenceCall, data_call, is_undo, persistence_call};
use crate::index::event::Field;
use crate::lineage::sources::Sources;
use crate::model::Model;
use crate::redact::{event_value, value_at};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Object keys listed per data row, at most.
pub const OBJECTS_LISTED: usize = 10;

/// A write that can outlive the remediation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: &'static str,
    /// Position of the write in the index.
    pub event: usize,
    /// What it acted on, as `field=value` pairs (`userName=backup, accessKeyId=AKIA…`).
    pub target: String,
    /// The same, as (field, value), for commands.
    pub fields: Vec<(String, String)>,
    /// The later event that undid it, if the logs hold one.
    pub undone_by: Option<usize>,
}

/// Data touched: one service, resource and action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataRow {
    pub service: String,
    pub resource: String,
    pub action: &'static str,
    pub succeeded: usize,
    /// Calls with any errorCode.
    pub denied: usize,
    /// S3 object keys, the first `OBJECTS_LISTED`.
    pub objects: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlastRadius {
    pub persistence: Vec<Item>,
    pub data: Vec<DataRow>,
    /// Events whose original text could not be read again (their source changed or is gone).
    pub unreadable: usize,
    /// The credential's node and every node it reaches (`Lineage::with_reach`): worked out
    /// once, for the detections on them too.
    pub reach: Vec<usize>,
    /// Where the calls of all of them came from: every address and agent.
    pub sources: Sources,
}

/// The target fields of a call, read from the event: (leaf name, value).
fn fields(event: &Value, paths: &[&str]) -> Vec<(String, String)> {
    paths
        .iter()
        .filter_map(|p| {
            let path = p.replacen("req.", "requestParameters.", 1).replacen("resp.", "responseElements.", 1);
            let v = value_at(event, &path)?;
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Null => return None,
                other => other.to_string(),
            };
            Some((p.rsplit('.').next().unwrap_or(p).to_string(), text))
        })
        .collect()
}

/// Whether an undo event names the item's target: some field they both name, and every such
/// field equal.
fn same_target(item: &[(String, String)], undo: &Value) -> bool {
    let req = value_at(undo, "requestParameters");
    let mut common = 0;
    for (leaf, value) in item {
        let theirs = req.and_then(|r| value_at(r, leaf)).and_then(Value::as_str);
        match theirs {
            Some(t) if t == value => common += 1,
            Some(_) => return false,
            None => {}
        }
    }
    common > 0
}

/// The principals a trust policy document (`requestParameters.policyDocument`, a JSON
/// string) lets assume the role.
fn trusted_principals(event: &Value) -> Vec<String> {
    let Some(doc) = value_at(event, "requestParameters.policyDocument").and_then(Value::as_str) else {
        return Vec::new();
    };
    let Some(doc) = crate::json::parse_value(doc) else { return Vec::new() };
    let statements = match value_at(&doc, "Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for st in statements.iter().filter(|s| value_at(s, "Effect").and_then(Value::as_str) == Some("Allow")) {
        let mut add = |v: &Value| match v {
            Value::String(p) => out.push(p.clone()),
            Value::Array(a) => out.extend(a.iter().filter_map(|p| p.as_str().map(String::from))),
            _ => {}
        };
        match value_at(st, "Principal") {
            Some(Value::Object(kinds)) => kinds.values().for_each(&mut add),
            Some(other) => add(other),
            None => {}
        }
    }
    out
}

/// Per lineage node: whether its credential made a successful persistence write (by the call
/// alone, without reading the event again): for marks on the tree. One look-up an event.
pub fn writers(ix: &crate::index::Index, lin: &crate::lineage::Lineage) -> Vec<bool> {
    let calls: Vec<bool> = ix.calls.iter().map(|c| persistence_call(ix.str(c[1]), ix.str(c[0])).is_some()).collect();
    let mut out = vec![false; lin.nodes.len()];
    for e in &ix.events {
        if let Some(s) = e.session()
            && calls.get(e.call_id()) == Some(&true)
            && !e.is_error()
            && let Some(&n) = lin.node_of_session.get(s)
        {
            out[n] = true;
        }
    }
    out
}

/// The events signed by the nodes of `reach` (a node and all it reaches: below it, and the
/// keys it created).
fn lineage_events(m: &Model, reach: &[usize]) -> Vec<usize> {
    let mut own: Vec<usize> = reach
        .iter()
        .filter_map(|&n| m.lin.nodes[n].session)
        .flat_map(|s| m.ix.session_events(s).iter().map(|&e| e as usize))
        .collect();
    own.sort_unstable();
    own.dedup();
    own
}

/// The successful events (positions, in order) of the calls `wanted` (source, name) accepts:
/// each distinct call is decided once, as the index numbers them, then each event by its
/// call's number.
fn succeeded_calls(m: &Model, wanted: impl Fn(&str, &str) -> bool) -> Vec<usize> {
    let ix = &m.ix;
    let calls: HashSet<usize> =
        ix.calls.iter().enumerate().filter(|(_, c)| wanted(ix.str(c[1]), ix.str(c[0]))).map(|(i, _)| i).collect();
    if calls.is_empty() {
        return Vec::new();
    }
    (0..ix.events.len()).filter(|&e| calls.contains(&ix.events[e].call_id()) && !ix.events[e].is_error()).collect()
}

fn call_of(m: &Model, e: usize) -> (&str, &str) {
    (m.ix.text(&m.ix.events[e], Field::Source), m.ix.text(&m.ix.events[e], Field::Name))
}

/// The original events, parsed and redacted, by position (each source file read once), and
/// how many could not be read again.
fn read_again(m: &Model, wanted: &[usize]) -> (BTreeMap<usize, Value>, usize) {
    let refs: Vec<&crate::index::event::Event> = wanted.iter().map(|&e| &m.ix.events[e]).collect();
    let mut parsed = BTreeMap::new();
    let mut unreadable = 0;
    for (&e, text) in wanted.iter().zip(crate::loader::raw_texts(&m.sources, &refs)) {
        match text {
            Ok(raw) => {
                parsed.insert(e, event_value(&raw));
            }
            Err(_) => unreadable += 1,
        }
    }
    (parsed, unreadable)
}

/// The blast radius of `node` and all it reaches.
pub fn of(m: &Model, node: usize) -> BlastRadius {
    let reach = m.lin.with_reach(node);
    let own = lineage_events(m, &reach);
    let (persistence, unreadable) = writes_of(m, &own);
    let (data, more) = data_of(m, &own);
    let sources = Sources::of_nodes(&m.ix, &m.lin, &reach);
    BlastRadius { persistence, data, unreadable: unreadable + more, reach, sources }
}

/// The writes of `node`'s lineage that can outlive the remediation, each with what undid it;
/// and how many events could not be read again.
pub fn persistence(m: &Model, node: usize) -> (Vec<Item>, usize) {
    writes_of(m, &lineage_events(m, &m.lin.with_reach(node)))
}

/// `persistence` over the lineage's events `own` (positions, in order).
fn writes_of(m: &Model, own: &[usize]) -> (Vec<Item>, usize) {
    let ix = &m.ix;
    let lineage: HashSet<usize> = own.iter().copied().collect();
    let call = |e: usize| call_of(m, e);
    let writes: Vec<(usize, &PersistenceCall)> = own
        .iter()
        .filter(|&&e| !ix.events[e].is_error())
        .filter_map(|&e| persistence_call(call(e).0, call(e).1).map(|c| (e, c)))
        .collect();
    if writes.is_empty() {
        return (Vec::new(), 0);
    }
    // The events of the calls that could undo these writes.
    let undos = succeeded_calls(m, |source, name| {
        let name = crate::cloudtrail::persistence::base_name(name);
        writes.iter().any(|(_, w)| w.source == source && w.undone_by.contains(&name)) && is_undo(source, name)
    });
    let wanted: Vec<usize> = writes.iter().map(|w| w.0).chain(undos.iter().copied()).collect();
    let (parsed, unreadable) = read_again(m, &wanted);
    let mut out = Vec::new();
    for (e, c) in writes {
        let Some(v) = parsed.get(&e) else { continue };
        let target = fields(v, c.target);
        let time = ix.events[e].time;
        let name = crate::cloudtrail::persistence::base_name(call(e).1).to_string();
        let undone_by = undos.iter().copied().find(|&u| {
            let (source, undo_name) = call(u);
            let undo_name = crate::cloudtrail::persistence::base_name(undo_name);
            // Writing the same thing again undoes it only when someone else does it (the
            // defender restoring a trust policy, not the attacker adding to it).
            let by_other = undo_name != name || !lineage.contains(&u);
            ix.events[u].time >= time
                && u != e
                && source == c.source
                && c.undone_by.contains(&undo_name)
                && by_other
                && !target.is_empty()
                && parsed.get(&u).is_some_and(|uv| same_target(&target, uv))
        });
        let mut text = target.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
        if c.kind == "trust-policy" {
            let principals = trusted_principals(v);
            if !principals.is_empty() {
                text.push_str(&format!(", trusts {}", principals.join(" ")));
            }
        }
        out.push(Item { kind: c.kind, event: e, target: text, fields: target, undone_by });
    }
    (out, unreadable)
}

/// The data the lineage's events `own` touched, by service, resource and action; and how
/// many events could not be read again.
fn data_of(m: &Model, own: &[usize]) -> (Vec<DataRow>, usize) {
    let ix = &m.ix;
    let reads: Vec<(usize, &DataCall)> =
        own.iter().filter_map(|&e| data_call(call_of(m, e).0, call_of(m, e).1).map(|c| (e, c))).collect();
    let wanted: Vec<usize> = reads.iter().map(|r| r.0).collect();
    let (parsed, unreadable) = read_again(m, &wanted);
    let mut rows: BTreeMap<(String, String, &'static str), DataRow> = BTreeMap::new();
    for (e, c) in reads {
        let v = parsed.get(&e);
        let resource = v.and_then(|v| fields(v, c.resource).into_iter().next()).map(|f| f.1).unwrap_or_default();
        let service = c.source.trim_end_matches(".amazonaws.com").to_string();
        let row = rows.entry((service.clone(), resource.clone(), c.action)).or_insert_with(|| DataRow {
            service,
            resource,
            action: c.action,
            ..DataRow::default()
        });
        if ix.events[e].is_error() {
            row.denied += 1;
        } else {
            row.succeeded += 1;
        }
        if let Some(key) = v.and_then(|v| value_at(v, "requestParameters.key")).and_then(Value::as_str)
            && row.objects.len() < OBJECTS_LISTED
            && !row.objects.iter().any(|o| o == key)
        {
            row.objects.push(key.to_string());
        }
    }
    (rows.into_values().collect(), unreadable)
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use serde_json::{Value, json};

    fn ev(id: &str, t: &str, name: &str, key: &str, req: Value) -> Value {
        json!({"eventID": id, "eventTime": t, "eventSource": "iam.amazonaws.com", "eventName": name,
               "requestParameters": req, "recipientAccountId": "1",
               "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::1:user/{}", &key[..8]), "accountId": "1", "accessKeyId": key}})
    }

    #[test]
    fn a_write_is_undone_by_a_later_undo_of_the_same_target_and_not_by_the_attacker_writing_again() {
        let (thief, admin) = ("AKIATHIEFTHIEFTHIEF1", "AKIAADMINADMINADMIN1");
        let trust = |who: &str| json!({"roleName": "R", "policyDocument": format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{who}:root"}}}}]}}"#)});
        let doc = json!({"Records": [
            ev("a", "2024-01-01T10:00:00Z", "CreateLoginProfile", thief, json!({"userName": "u"})),
            ev("b", "2024-01-01T10:01:00Z", "CreateLoginProfile", thief, json!({"userName": "v"})),
            ev("c", "2024-01-01T10:02:00Z", "UpdateAssumeRolePolicy", thief, trust("999")),
            ev("d", "2024-01-01T10:03:00Z", "UpdateAssumeRolePolicy", thief, trust("888")),
            ev("e", "2024-01-01T11:00:00Z", "DeleteLoginProfile", admin, json!({"userName": "u"})),
        ]});
        let m = Model::new(crate::loader::load_docs(&[&doc.to_string()]));
        let node = m.lin.nodes_with_key(&m.ix, thief)[0];
        let b = super::of(&m, node);
        let state: Vec<(&str, bool)> = b.persistence.iter().map(|i| (i.kind, i.undone_by.is_some())).collect();
        assert_eq!(
            state,
            [("login-profile", true), ("login-profile", false), ("trust-policy", false), ("trust-policy", false)],
            "u's profile deleted by the admin; v's kept; the attacker rewriting the trust undoes nothing"
        );
        assert!(b.persistence[2].target.contains("arn:aws:iam::999:root"));
    }
}
