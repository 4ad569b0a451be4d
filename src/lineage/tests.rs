//! Lineage behaviour on small hand-built records.

use super::{Flag, Kind, Lineage, Match};
use crate::loader::load_docs;
use serde_json::{Value, json};

fn user(key: &str) -> Value {
    json!({"type": "IAMUser", "arn": "arn:aws:iam::111:user/u", "accountId": "111", "accessKeyId": key, "userName": "u"})
}

fn role(key: &str, session: &str, created: &str) -> Value {
    json!({"type": "AssumedRole", "arn": format!("arn:aws:sts::111:assumed-role/R/{session}"), "accountId": "111",
           "accessKeyId": key, "sessionContext": {"attributes": {"creationDate": created},
           "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111:role/R"}}})
}

fn ev(id: &str, time: &str, name: &str, who: Value) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": time, "eventSource": "sts.amazonaws.com",
           "eventName": name, "userIdentity": who, "sourceIPAddress": "1.2.3.4"})
}

fn assume(id: &str, time: &str, caller: Value, child: &str, session: &str) -> Value {
    let mut e = ev(id, time, "AssumeRole", caller);
    e["requestParameters"] = json!({"roleArn": "arn:aws:iam::111:role/R", "roleSessionName": session});
    e["responseElements"] = json!({
        "credentials": {"accessKeyId": child, "expiration": "Jan 1, 2024, 1:00:00 PM", "sessionToken": "x"},
        "assumedRoleUser": {"arn": format!("arn:aws:sts::111:assumed-role/R/{session}")}
    });
    e
}

fn build(events: Vec<Value>) -> (crate::loader::Loaded, Lineage) {
    let doc = json!({"Records": events}).to_string();
    let ix = load_docs(&[&doc]);
    let lin = Lineage::build(&ix);
    (ix, lin)
}

const A: &str = "AKIAAAAAAAAAAAAAAAAA";
const C: &str = "ASIACCCCCCCCCCCCCCCC";

#[test]
fn use_logged_before_its_issuance_still_links_by_key() {
    let (ix, lin) = build(vec![
        ev("e2", "2024-01-01T12:00:05Z", "GetCallerIdentity", role(C, "s", "2024-01-01T12:00:00Z")),
        assume("e1", "2024-01-01T12:00:00Z", user(A), C, "s"),
    ]);
    let c = lin.nodes_with_key(&ix, C);
    assert_eq!(c.len(), 1);
    let n = &lin.nodes[c[0]];
    assert_eq!(n.kind, Kind::AssumeRole);
    assert_eq!(n.matched, Some(Match::Key));
    assert_eq!(ix.str(lin.nodes[n.parent.expect("parent")].key), A);
    assert_eq!(lin.chain(c[0]).len(), 2);
    assert_eq!(n.expires_at, crate::time::parse_time("2024-01-01T13:00:00Z"));
}

#[test]
fn recycled_asia_id_splits_into_two_sessions() {
    let (ix, lin) = build(vec![
        assume("e1", "2024-01-01T12:00:00Z", user(A), C, "first"),
        ev("e2", "2024-01-01T12:01:00Z", "ListBuckets", role(C, "first", "2024-01-01T12:00:00Z")),
        ev("e3", "2024-03-01T08:00:00Z", "ListBuckets", role(C, "other", "2024-03-01T07:59:00Z")),
    ]);
    let c = lin.nodes_with_key(&ix, C);
    assert_eq!(c.len(), 2, "one id, two credential sessions");
    let linked: Vec<_> = c.iter().filter(|&&i| lin.nodes[i].parent.is_some()).collect();
    assert_eq!(linked.len(), 1, "only the session created at issuance is A's child");
    let orphan = c.iter().find(|&&i| lin.nodes[i].parent.is_none()).expect("orphan");
    assert_eq!(lin.nodes[*orphan].kind, Kind::Unknown);
    assert!(lin.nodes[*orphan].flags.contains(&Flag::IssuerNotInLogs));
}

#[test]
fn missing_key_falls_back_to_arn_and_creation_date() {
    let (ix, lin) = build(vec![
        assume("e1", "2024-01-01T12:00:00Z", user(A), "", "sso"),
        ev("e2", "2024-01-01T12:05:00Z", "ListBuckets", role("ASIADIFFERENTKEY2345", "sso", "2024-01-01T12:00:00Z")),
    ]);
    let c = lin.nodes_with_key(&ix, "ASIADIFFERENTKEY2345");
    assert_eq!(lin.nodes[c[0]].matched, Some(Match::ArnCreationDate));
    assert!(lin.nodes[c[0]].parent.is_some());
}

#[test]
fn self_issued_placeholder_key_terminates_without_a_cycle() {
    let mut e = assume("e1", "2024-01-01T12:00:00Z", role("1111", "s", "2024-01-01T12:00:00Z"), "1111", "s");
    e["responseElements"]["assumedRoleUser"]["arn"] = json!("arn:aws:sts::111:assumed-role/R/s");
    let (ix, lin) = build(vec![e]);
    let n = lin.nodes_with_key(&ix, "1111");
    assert_eq!(n.len(), 1);
    let node = &lin.nodes[n[0]];
    assert!(node.parent.is_none());
    assert!(node.flags.contains(&Flag::SelfIssued));
    assert!(node.flags.contains(&Flag::PlaceholderKey));
    assert_eq!(lin.chain(n[0]), vec![n[0]]);
}

#[test]
fn sts_returning_an_akia_key_is_flagged_not_linked() {
    let (ix, lin) = build(vec![assume("e1", "2024-01-01T12:00:00Z", user(A), A, "s")]);
    let a = lin.nodes_with_key(&ix, A);
    assert_eq!(a.len(), 1);
    assert!(lin.nodes[a[0]].flags.contains(&Flag::SelfIssued));
    assert!(lin.nodes[a[0]].children.is_empty());
}

#[test]
fn failed_issuance_is_an_attempt_without_a_child() {
    let mut e = assume("e1", "2024-01-01T12:00:00Z", user(A), C, "s");
    e["errorCode"] = json!("AccessDenied");
    e["responseElements"] = Value::Null;
    let (ix, lin) = build(vec![e]);
    let a = lin.nodes_with_key(&ix, A)[0];
    assert_eq!(lin.nodes[a].attempts.len(), 1);
    assert!(lin.nodes[a].children.is_empty());
    assert!(lin.nodes_with_key(&ix, C).is_empty());
}

#[test]
fn cross_account_copies_with_one_shared_event_id_are_one_issuance() {
    let mut mine = assume("e1", "2024-01-01T12:00:00Z", user(A), C, "s");
    mine["sharedEventID"] = json!("shared-1");
    let mut theirs = assume("e0", "2024-01-01T12:00:00Z", json!({"type": "AWSAccount", "accountId": "111"}), C, "s");
    theirs["sharedEventID"] = json!("shared-1");
    let (ix, lin) = build(vec![theirs, mine]);
    let c = lin.nodes_with_key(&ix, C);
    assert_eq!(c.len(), 1);
    let parent = lin.nodes[c[0]].parent.expect("linked to the caller's copy");
    assert_eq!(ix.str(lin.nodes[parent].key), A);
}

#[test]
fn minted_but_unused_key_is_still_a_node() {
    let (ix, lin) = build(vec![assume("e1", "2024-01-01T12:00:00Z", user(A), C, "s")]);
    let c = lin.nodes_with_key(&ix, C);
    assert_eq!(c.len(), 1);
    assert_eq!(lin.nodes[c[0]].event_count, 0);
    assert!(lin.nodes[c[0]].session.is_none());
    assert_eq!(lin.descendants(lin.nodes_with_key(&ix, A)[0]), c);
}

#[test]
fn get_session_token_child_is_iam_user_with_asia_key() {
    let b = "ASIABBBBBBBBBBBBBBBB";
    let mut gst = ev("e1", "2024-01-01T12:00:00Z", "GetSessionToken", user(A));
    gst["responseElements"] = json!({"credentials": {"accessKeyId": b, "expiration": "Jan 2, 2024 12:00:00 AM"}});
    let mut use_b = user(b);
    use_b["sessionContext"] = json!({"attributes": {"creationDate": "2024-01-01T12:00:00Z"}});
    let (ix, lin) = build(vec![gst, ev("e2", "2024-01-01T12:10:00Z", "GetCallerIdentity", use_b)]);
    let n = &lin.nodes[lin.nodes_with_key(&ix, b)[0]];
    assert_eq!(n.kind, Kind::GetSessionToken);
    assert!(n.flags.contains(&Flag::SessionTokenShape));
    assert_eq!(n.event_count, 1);
}

#[test]
fn read_only_issuance_is_not_filtered() {
    let mut e = assume("e1", "2024-01-01T12:00:00Z", user(A), C, "s");
    e["readOnly"] = json!(true);
    let (ix, lin) = build(vec![e]);
    assert_eq!(lin.nodes[lin.nodes_with_key(&ix, C)[0]].kind, Kind::AssumeRole);
}

/// A chain 20,000 keys deep (each minting the next) and a tree 20,000 wide: lineage,
/// suspects and every answer in time linear in the nodes, output linear in size, no stack
/// overflow (the recursive JSON and the per-node `root_of` were cubic, and overflowed).
#[test]
fn a_deep_chain_and_a_wide_tree_stay_linear() {
    use crate::synth::shapes::{key_chain, key_id, wide_tree};
    let depth = 20_000;
    let m = crate::model::Model::new(crate::loader::load_docs(&[&key_chain(depth)]));
    assert_eq!(m.ix.events.len(), depth as usize + 1);
    let root = m.lin.nodes_with_key(&m.ix, &key_id("AKIA", 0))[0];
    assert_eq!(m.lin.descendants(root).len(), depth as usize, "every key traced to the one that minted it");
    let deepest = m.lin.nodes_with_key(&m.ix, &key_id("ASIA", depth))[0];
    assert_eq!(m.lin.chain(deepest).len(), depth as usize + 1);
    assert_eq!(m.lin.roots_of_all()[deepest], root);
    let json = crate::answer::lineage::json_text(&m.ix, &m.lin, &key_id("AKIA", 0));
    assert_eq!(json.matches("\"access_key_id\"").count(), depth as usize + 2, "the session, its chain, every node");
    assert!(json.len() < 2000 * depth as usize, "linear size: {} bytes", json.len());
    let text = crate::answer::lineage::text(&m.ix, &m.lin, &key_id("AKIA", 0));
    assert!(text.len() < 400 * depth as usize, "linear size: {} bytes", text.len());
    let list = crate::checklist::evaluate(&m, crate::checklist::pick_root(&m, Some(&key_id("AKIA", 0))).expect("root"));
    assert_eq!(list.root.access_key_id, key_id("AKIA", 0));

    let width = 20_000;
    let m = crate::model::Model::new(crate::loader::load_docs(&[&wide_tree(width)]));
    let root = m.lin.nodes_with_key(&m.ix, &key_id("AKIA", 0))[0];
    assert_eq!(m.lin.nodes[root].children.len(), width as usize);
}

/// Below the indentation cap, the hand-written pretty JSON is serde's, and it parses back
/// to the tree it describes.
#[test]
fn lineage_json_is_serdes_pretty_json_for_ordinary_depths() {
    use crate::synth::shapes::{key_chain, key_id};
    let m = crate::model::Model::new(crate::loader::load_docs(&[&key_chain(12)]));
    let text = crate::answer::lineage::json_text(&m.ix, &m.lin, &key_id("AKIA", 0));
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(serde_json::to_string_pretty(&v).expect("print") + "\n", text, "byte for byte serde's layout");
    let mut node = &v["sessions"][0]["descendants"][0];
    let mut depth = 1;
    while let Some(child) = node["children"].get(0) {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, 12);
    assert_eq!(node["access_key_id"], key_id("ASIA", 12));
}

/// A GetCallerIdentity by `who`, from `ip`, with `agent`.
fn call(id: String, t: String, who: Value, ip: &str, agent: &str) -> Value {
    let mut e = ev(&id, &t, "GetCallerIdentity", who);
    e["sourceIPAddress"] = json!(ip);
    e["userAgent"] = json!(agent);
    e
}

/// Root key A's `n`th GetSessionToken (at 12:0n), minting key `b`.
fn gst(n: usize, b: &str) -> Value {
    let mut gst = ev(&format!("g{n}"), &format!("2024-01-01T12:0{n}:00Z"), "GetSessionToken", user(A));
    gst["responseElements"] = json!({"credentials": {"accessKeyId": b, "expiration": "Jan 2, 2024 12:00:00 AM"}});
    gst
}

/// The identity token `b`, minted by `gst(n, b)`, signs with.
fn token(b: &str, n: usize) -> Value {
    let mut who = user(b);
    who["sessionContext"] = json!({"attributes": {"creationDate": format!("2024-01-01T12:0{n}:00Z")}});
    who
}

/// A reason that a session's root "never used" an address or agent holds of every call the
/// root made: here the root key called from 40 addresses with 40 agents, more than its usage
/// keeps (32), and a token it minted used the 35th of each.
#[test]
fn new_ip_and_agent_reasons_hold_of_every_call_the_root_made() {
    let mut events: Vec<Value> = (1..=40)
        .map(|i| {
            let t = format!("2024-01-01T10:{i:02}:00Z");
            call(format!("r{i}"), t, user(A), &format!("203.0.113.{i}"), &format!("aws-cli/2.{i}"))
        })
        .collect();
    events.extend([gst(1, "ASIABBBBBBBBBBBBBBB1"), gst(2, "ASIABBBBBBBBBBBBBBB2")]);
    let t = |n: usize| format!("2024-01-01T12:3{n}:00Z");
    events.push(call("b1".into(), t(1), token("ASIABBBBBBBBBBBBBBB1", 1), "203.0.113.35", "aws-cli/2.35"));
    events.push(call("b2".into(), t(2), token("ASIABBBBBBBBBBBBBBB2", 2), "198.51.100.9", "curl/8.5.0"));
    let (ix, lin) = build(events);
    let suspects = super::suspects::rank(&ix, &lin);
    let codes = |key: &str| -> Vec<&str> {
        let node = lin.nodes_with_key(&ix, key)[0];
        suspects.iter().filter(|s| s.node == node).flat_map(|s| s.reasons.iter().map(|r| r.code.as_str())).collect()
    };
    assert_eq!(codes("ASIABBBBBBBBBBBBBBB1"), ["gst-in-use"]);
    assert_eq!(codes("ASIABBBBBBBBBBBBBBB2"), ["gst-in-use", "new-ip", "new-user-agent"]);
    let b2 = lin.nodes_with_key(&ix, "ASIABBBBBBBBBBBBBBB2")[0];
    let reasons = &suspects.iter().find(|s| s.node == b2).expect("b2").reasons;
    assert_eq!(reasons[1].text, "source IP its root never used: 198.51.100.9");
    assert_eq!(reasons[2].text, "user agent its root never used: \"curl/8.5.0\"");
}

/// The same reasons read every address and agent the child used, not the first 32 its usage
/// keeps: a token whose first 32 calls came from its root's addresses and agents, and whose
/// 33rd did not, is new-ip and new-user-agent; and a long list is cut with how many more.
#[test]
fn new_ip_and_agent_reasons_hold_of_every_call_the_child_made() {
    let root_ip = |i: usize| format!("203.0.113.{i}");
    let root_agent = |i: usize| format!("aws-cli/2.{i}");
    let mut events: Vec<Value> = (1..=40)
        .map(|i| call(format!("r{i}"), format!("2024-01-01T10:{i:02}:00Z"), user(A), &root_ip(i), &root_agent(i)))
        .collect();
    let (b1, b2) = ("ASIABBBBBBBBBBBBBBB1", "ASIABBBBBBBBBBBBBBB2");
    events.extend([gst(1, b1), gst(2, b2)]);
    // b1: 32 calls as its root made them, then one from elsewhere with an agent of its own.
    for i in 1..=32 {
        let t = format!("2024-01-01T13:{i:02}:00Z");
        events.push(call(format!("b1-{i}"), t, token(b1, 1), &root_ip(i), &root_agent(i)));
    }
    events.push(call("b1-33".into(), "2024-01-01T13:40:00Z".into(), token(b1, 1), "198.51.100.9", "curl/8.5.0"));
    // b2: 40 addresses its root never used; its 34th and 35th calls, two agents.
    for i in 1..=40 {
        let t = format!("2024-01-01T14:{i:02}:00Z");
        let agent = match i {
            34 => "python-requests/2.31".to_string(),
            35 => "curl/8.5.0".to_string(),
            _ => root_agent(1),
        };
        events.push(call(format!("b2-{i}"), t, token(b2, 2), &format!("192.0.2.{i}"), &agent));
    }
    let (ix, lin) = build(events);
    let suspects = super::suspects::rank(&ix, &lin);
    let reasons = |key: &str| -> Vec<(&str, &str)> {
        let node = lin.nodes_with_key(&ix, key)[0];
        let s = suspects.iter().filter(|s| s.node == node);
        s.flat_map(|s| s.reasons.iter().map(|r| (r.code.as_str(), r.text.as_str()))).collect()
    };
    let b1_reasons = reasons(b1);
    let codes: Vec<&str> = b1_reasons.iter().map(|r| r.0).collect();
    assert_eq!(codes, ["gst-in-use", "new-ip", "new-user-agent"]);
    assert_eq!(b1_reasons[1].1, "source IP its root never used: 198.51.100.9");
    assert_eq!(b1_reasons[2].1, "user agent its root never used: \"curl/8.5.0\"");
    let b2_reasons = reasons(b2);
    let first: Vec<String> = (1..=32).map(|i| format!("192.0.2.{i}")).collect();
    let listed = format!("source IP its root never used: {} and 8 more", first.join(", "));
    assert_eq!(b2_reasons.iter().map(|r| (r.0, r.1.to_string())).nth(1), Some(("new-ip", listed)));
    let agents = "user agents its root never used: \"python-requests/2.31\" and others";
    assert_eq!(b2_reasons.get(2), Some(&("new-user-agent", agents)));
}
