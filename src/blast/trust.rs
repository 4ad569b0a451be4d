//! The trust policy a role had before a write of the lineage replaced it: the document of the
//! last `CreateRole` or `UpdateAssumeRolePolicy` of that role before the write, made by a
//! credential outside the lineage (the attacker's own earlier rewrite is not what to restore).

use super::{call_of, lineage_events, read_again, succeeded_calls};
use crate::model::Model;
use crate::redact::value_at;
use serde_json::Value;
use std::collections::HashSet;

/// Where each call keeps the trust document.
const WRITERS: [(&str, &str); 2] = [
    ("CreateRole", "requestParameters.assumeRolePolicyDocument"),
    ("UpdateAssumeRolePolicy", "requestParameters.policyDocument"),
];

/// The trust before: the document (compact JSON) and the event that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustBefore {
    pub document: String,
    pub event: usize,
}

/// For each (role, write) of `root`'s lineage: the trust the role had just before the write, if
/// the logs hold it. The lineage and the trust writes outside it are found, and read, once.
pub fn before_each(m: &Model, root: usize, writes: &[(&str, usize)]) -> Vec<Option<TrustBefore>> {
    if writes.is_empty() {
        return Vec::new();
    }
    let ix = &m.ix;
    let lineage: HashSet<usize> = lineage_events(m, &m.lin.with_reach(root)).into_iter().collect();
    let candidates: Vec<usize> =
        succeeded_calls(m, |source, name| source == "iam.amazonaws.com" && WRITERS.iter().any(|(n, _)| *n == name))
            .into_iter()
            .filter(|e| !lineage.contains(e))
            .collect();
    let (parsed, _) = read_again(m, &candidates);
    // Each candidate's role and document, as read.
    let written: Vec<(usize, &str, Option<String>)> = candidates
        .iter()
        .filter_map(|&e| {
            let v = parsed.get(&e)?;
            let role = value_at(v, "requestParameters.roleName").and_then(Value::as_str)?;
            let (_, path) = WRITERS.iter().find(|(n, _)| *n == call_of(m, e).1)?;
            Some((e, role, value_at(v, path).and_then(document)))
        })
        .collect();
    writes
        .iter()
        .map(|&(role, write)| {
            let time = ix.events.get(write)?.time;
            // The last (in the index's order) at or before the write's time, other than it,
            // whose document can be read.
            written.iter().rev().find_map(|(e, r, document)| {
                let earlier = *e != write && ix.events[*e].time <= time && *r == role;
                Some(TrustBefore { document: document.clone().filter(|_| earlier)?, event: *e })
            })
        })
        .collect()
}

/// A policy document as CloudTrail logs it (a JSON string, sometimes URL-encoded, or an object),
/// as compact JSON; `None` when it is not a JSON object.
fn document(v: &Value) -> Option<String> {
    let parsed = match v {
        Value::Object(_) => v.clone(),
        Value::String(s) => crate::json::parse_value(s).or_else(|| crate::json::parse_value(&percent_decoded(s)?))?,
        _ => return None,
    };
    parsed.is_object().then(|| parsed.to_string())
}

fn percent_decoded(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use serde_json::json;

    #[test]
    fn the_trust_before_is_the_last_one_written_outside_the_lineage() {
        let ev = |id: &str, t: &str, name: &str, key: &str, req: serde_json::Value| {
            json!({"eventID": id, "eventTime": t, "eventSource": "iam.amazonaws.com", "eventName": name,
                   "requestParameters": req, "recipientAccountId": "1",
                   "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::1:user/{}", &key[..8]),
                                    "accountId": "1", "accessKeyId": key}})
        };
        let (thief, admin) = ("AKIATHIEFTHIEFTHIEF1", "AKIAADMINADMINADMIN1");
        let trust = |who: &str| {
            format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{who}:root"}}}}]}}"#)
        };
        let encoded = trust("111").replace('{', "%7B").replace('}', "%7D").replace('"', "%22");
        let doc = json!({"Records": [
            ev("a", "2024-01-01T09:00:00Z", "CreateRole", admin, json!({"roleName": "R", "assumeRolePolicyDocument": trust("000")})),
            ev("b", "2024-01-01T09:30:00Z", "UpdateAssumeRolePolicy", admin, json!({"roleName": "R", "policyDocument": encoded})),
            ev("o", "2024-01-01T09:40:00Z", "UpdateAssumeRolePolicy", admin, json!({"roleName": "Other", "policyDocument": trust("222")})),
            ev("c", "2024-01-01T10:00:00Z", "UpdateAssumeRolePolicy", thief, json!({"roleName": "R", "policyDocument": trust("999")})),
            ev("d", "2024-01-01T10:05:00Z", "UpdateAssumeRolePolicy", thief, json!({"roleName": "R", "policyDocument": trust("888")})),
        ]});
        let m = Model::new(crate::loader::load_docs(&[&doc.to_string()]));
        let node = m.lin.nodes_with_key(&m.ix, thief)[0];
        let write = |id: &str| (0..m.ix.events.len()).find(|&e| m.ix.event_id(&m.ix.events[e]) == id).expect("event");
        for last in ["c", "d"] {
            let before = super::before_each(&m, node, &[("R", write(last))]).remove(0).expect("the admin's");
            assert!(before.document.contains("arn:aws:iam::111:root"), "{before:?}: decoded, not the thief's own");
            assert_eq!(before.event, write("b"));
        }
        assert_eq!(super::before_each(&m, node, &[("Nope", write("d"))]), [None]);
    }
}
