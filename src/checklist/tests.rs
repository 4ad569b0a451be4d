//! The checklist on three states of the generated incident.

use super::case::{Case, StepNotes};
use super::whatif::what_if;
use super::{Manual, Status, evaluate, pick_root, report};
use crate::model::Model;
use crate::synth::incident::{SAMPLE_NOISE, SAMPLE_SEED};
use crate::synth::{Incident, incident};
use crate::time::parse_time;

/// The incident as the logs would show it at `until` (exclusive).
fn state(until: &str) -> (Incident, Model) {
    let inc = incident(SAMPLE_SEED, SAMPLE_NOISE / 5);
    let cut = parse_time(until).expect("time");
    let records: Vec<_> = inc.events.iter().filter(|g| g.time_ms < cut).map(|g| g.event.clone()).collect();
    let doc = serde_json::json!({"Records": records}).to_string();
    let m = Model::new(crate::loader::load_docs(&[&doc]));
    (inc, m)
}

fn statuses(m: &Model, key: &str) -> Vec<Status> {
    let root = pick_root(m, Some(key)).expect("root");
    evaluate(m, root).steps.iter().map(|s| s.status).collect()
}

#[test]
fn all_six_steps_done() {
    let (inc, m) = state("2024-12-02T00:00:00Z");
    use Status::*;
    assert_eq!(statuses(&m, &inc.key_a), [Done, Found, Done, Found, Found, Done]);
    let list = evaluate(&m, pick_root(&m, None).expect("top suspect's root"));
    assert_eq!(list.root.access_key_id, inc.key_a, "the top suspect's root is key A");
    assert!(list.root.user_arn.ends_with(":user/support-user"));
    assert_eq!(list.steps[0].evidence.len(), 2, "deactivated, then deleted");
    let s4_keys: Vec<&str> = list.steps[3].evidence.iter().map(|e| e.what.as_str()).collect();
    for k in &inc.new_role_keys {
        assert!(s4_keys.iter().any(|w| w.contains(k.as_str())), "{k} in step 4");
    }
    assert!(!s4_keys.iter().any(|w| w.contains(&format!("new role token {}", inc.key_c))), "C predates the cutoff");
    assert!(list.steps[4].evidence.iter().any(|e| e.what.contains(&inc.key_b)));
    assert!(list.steps[2].commands[0].contains("--role-name MyBucketRole --policy-name AWSRevokeOlderSessions"));
    assert!(list.steps[3].commands.iter().all(|c| !c.contains(&inc.key_c)));
}

#[test]
fn user_not_yet_touched() {
    let (inc, m) = state("2024-11-30T15:00:00Z");
    use Status::*;
    assert_eq!(statuses(&m, &inc.key_a), [Done, Found, Done, Found, Found, Open]);
}

#[test]
fn only_the_key_deactivated() {
    let (inc, m) = state("2024-11-30T10:40:00Z");
    use Status::*;
    let s = statuses(&m, &inc.key_a);
    assert_eq!(s, [Done, Clear, Open, NotApplicable, Found, Open], "C has not been used since 10:31 yet");
    let (inc, m) = state("2024-11-30T11:30:00Z");
    assert_eq!(statuses(&m, &inc.key_a)[1], Found, "C reads again at 11:02");
}

#[test]
fn before_anything_the_findings_are_not_applicable() {
    let (inc, m) = state("2024-11-30T10:00:00Z");
    use Status::*;
    assert_eq!(statuses(&m, &inc.key_a), [Open, NotApplicable, Open, NotApplicable, Found, Open]);
}

#[test]
fn what_if_follows_each_remediation() {
    let (inc, m) = state("2024-12-02T00:00:00Z");
    let list = evaluate(&m, pick_root(&m, Some(&inc.key_a)).expect("root"));
    let keys = |at: &str, usable: bool| -> Vec<String> {
        let w = what_if(&m, &list, parse_time(at).expect("t"));
        let nodes: Vec<usize> = if usable { w.usable } else { w.blocked.iter().map(|b| b.0).collect() };
        nodes.iter().map(|&n| m.ix.str(m.lin.nodes[n].key).to_string()).collect()
    };
    // After the key is deleted, B and C still work: the heart of the incident.
    let at_11 = keys("2024-11-30T11:00:00Z", true);
    assert!(at_11.contains(&inc.key_b) && at_11.contains(&inc.key_c) && !at_11.contains(&inc.key_a));
    // After the revocation, C is blocked but B (and the new tokens it mints) are not.
    let at_1230 = keys("2024-11-30T12:30:00Z", true);
    assert!(!at_1230.contains(&inc.key_c) && at_1230.contains(&inc.key_b) && at_1230.contains(&inc.new_role_keys[0]));
    // After the user is stripped, B is blocked too.
    assert!(keys("2024-11-30T16:00:00Z", false).contains(&inc.key_b));
}

#[test]
fn exports_never_hold_a_session_token() {
    let (inc, m) = state("2024-12-02T00:00:00Z");
    let list = evaluate(&m, pick_root(&m, Some(&inc.key_a)).expect("root"));
    let mut case = Case::default();
    case.steps.insert(1, StepNotes { manual: Manual::Done, note: "rotated | ticket #7".into() });
    let tokens: Vec<String> = inc
        .events
        .iter()
        .filter_map(|g| g.event["responseElements"]["credentials"]["sessionToken"].as_str().map(String::from))
        .collect();
    assert!(tokens.len() >= 4);
    let md = report::markdown(&m, &list, &case);
    let js = report::json(&m, &list, &case).to_string();
    for t in &tokens {
        assert!(!md.contains(t.as_str()) && !js.contains(t.as_str()));
    }
    assert!(!md.contains("IQoJb3JpZ2luX2Vj") && !js.contains("IQoJb3JpZ2luX2Vj"));
    assert!(md.contains("analyst: **done**") && md.contains("rotated"));
    assert!(md.contains(&inc.key_b), "the lineage tree is in the report");
}
