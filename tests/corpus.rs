//! The real logs in `../shared/corpus/`: every file loads or is reported with a reason,
//! and the counts agree with what each corpus README states.

mod common;
use common::*;
use tokentrail::lineage::{Flag, Lineage};
use tokentrail::loader::load_paths;

fn stats(path: &std::path::Path) -> serde_json::Value {
    json(&["stats", path.to_str().expect("utf8"), "--json"])
}

#[test]
fn stratus_red_team_minted_keys_link_to_their_issuing_akia_keys() {
    let Some(dir) = corpus("stratus-red-team") else { return };
    let ix = load_paths(&[dir], &mut |_| {});
    assert_eq!(ix.report.indexed, 310);
    let lin = Lineage::build(&ix);
    let cases = [
        ("ASIANQQHHS551LWULIWD", "AKIAWOGXN38MFN92ING5", 30),
        ("ASIA4URVX2JM5MT0ZGK8", "AKIAMJ2320ZAXACWCPJI", 15),
        ("ASIA36EV31F1RB3OA8IG", "", 1),
        ("ASIA9F6MXE9HSYOXYQOS", "", 1),
        ("ASIASTJKC5GCM7ZE6LUP", "", 1),
    ];
    for (asia, akia, uses) in cases {
        let n = lin.nodes_with_key(&ix, asia);
        assert_eq!(n.len(), 1, "{asia}");
        let chain = lin.chain(n[0]);
        assert_eq!(chain.len(), 2, "{asia} links to an issuing key");
        let root = &lin.nodes[chain[0]];
        assert!(ix.str(root.key).starts_with("AKIA"), "{asia}");
        if !akia.is_empty() {
            assert_eq!(ix.str(root.key), akia);
        }
        assert_eq!(lin.nodes[n[0]].event_count, uses, "{asia}");
    }
    let fed = lin.nodes_with_key(&ix, "ASIASTJKC5GCM7ZE6LUP")[0];
    assert_eq!(lin.nodes[fed].kind.as_str(), "GetFederationToken");
}

#[test]
fn panther_self_issued_placeholder_key_terminates() {
    let Some(dir) = corpus("panther-analysis") else { return };
    let ix = load_paths(&[dir.join("cloudtrail_rule_test_events.jsonl")], &mut |_| {});
    let lin = Lineage::build(&ix);
    let ones = lin.nodes_with_key(&ix, "1111");
    assert!(!ones.is_empty());
    assert!(ones.iter().any(|&i| lin.nodes[i].flags.contains(&Flag::SelfIssued)));
    for i in 0..lin.nodes.len() {
        assert!(lin.chain(i).len() <= lin.nodes.len());
    }
    // 464 lines: every one indexed, a duplicate, or rejected with a reason.
    let r = &ix.report;
    assert_eq!(r.indexed + r.duplicates + r.rejected, 464);
    assert_eq!(r.rejected, 19, "17 without eventTime, 'redacted', '...'");
}

#[test]
fn counts_match_each_corpus_readme() {
    // (folder, indexed + duplicates as the README counts events)
    let expect = [("cartography", 16), ("cloud-snitch", 24), ("stratus-red-team", 310), ("trailscraper", 7)];
    for (name, events) in expect {
        let Some(dir) = corpus(name) else { return };
        let v = stats(&dir);
        let seen = v["events"]["indexed"].as_u64().unwrap_or(0) + v["events"]["duplicates"].as_u64().unwrap_or(0);
        assert_eq!(seen, events, "{name}");
    }
    let Some(tr) = corpus("trailscraper") else { return };
    assert_eq!(stats(&tr)["events"]["indexed"], 3, "the .json.gz and the smoke file repeat the same events");
}

#[test]
fn awsdocs_malformed_blocks_are_reported_and_one_is_recovered() {
    let Some(dir) = corpus("awsdocs") else { return };
    let v = stats(&dir.join("malformed"));
    assert_eq!(v["files"]["failed"], 5);
    assert_eq!(v["events"]["indexed"], 1, "the block with trailing extra data");
    let problems = v["problems"].as_array().expect("problems");
    assert!(
        problems.iter().all(|p| p["path"].as_str().is_some() && p["reason"].as_str().is_some_and(|r| !r.is_empty()))
    );
}

#[test]
fn digest_and_insight_files_are_skipped_in_elastic_fixtures() {
    let Some(dir) = corpus("elastic-integrations") else { return };
    let v = stats(&dir.join("pipeline"));
    assert_eq!(v["files"]["skipped"], 2);
    let skipped = v["skipped"].as_array().expect("skipped");
    assert!(skipped.iter().any(|s| s["path"].as_str().is_some_and(|p| p.ends_with("test-cloudtrail-digest-json.log"))));
}

#[test]
fn every_corpus_file_loads_or_is_reported() {
    let Some(root) = corpus("") else { return };
    let (sources, errors) = tokentrail::loader::source::expand(std::slice::from_ref(&root));
    assert!(errors.is_empty());
    let v = stats(&root);
    let f = &v["files"];
    let total =
        f["read"].as_u64().unwrap_or(0) + f["skipped"].as_u64().unwrap_or(0) + f["failed"].as_u64().unwrap_or(0);
    assert_eq!(total as usize, sources.len(), "every file in one bucket");
    let problem_paths = v["problems"].as_array().map_or(0, |p| p.len());
    assert!(problem_paths as u64 >= f["failed"].as_u64().unwrap_or(0), "every failed file has a reason");
}

#[test]
fn cartography_lookup_events_fall_back_to_outer_fields() {
    let Some(dir) = corpus("cartography") else { return };
    let out = run(&["events", dir.to_str().expect("utf8"), "--name", "AssumeRoleWithSAML", "--json"]);
    let n = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!(n >= 2, "AssumeRoleWithSAML events carry their name only on the outer record");
}

/// Real records of credential kinds a real account holds (issue 16): stratus-red-team's
/// stolen instance credentials are a suspect for exactly that; console sessions in the
/// corpora are console sessions, never GetSessionToken suspects.
#[test]
fn real_records_of_instance_and_console_credentials_are_read_as_what_they_are() {
    use tokentrail::lineage::Kind;
    use tokentrail::lineage::suspects::ReasonCode;
    let Some(dir) = corpus("stratus-red-team") else { return };
    let m = tokentrail::model::Model::new(load_paths(&[dir], &mut |_| {}));
    let stolen = m.lin.nodes_with_key(&m.ix, "ASIAP5CT9NN8EYVU1FXV");
    assert_eq!(m.lin.nodes[stolen[0]].kind, Kind::Instance, "ec2RoleDelivery 1.0, session named by the instance");
    let s = m.suspects.iter().find(|s| s.node == stolen[0]).expect("the stolen instance credential is a suspect");
    assert_eq!(s.reasons[0].code, ReasonCode::InstanceCredentialOutside);
    let Some(dir) = corpus("panther-analysis") else { return };
    let m = tokentrail::model::Model::new(load_paths(&[dir], &mut |_| {}));
    let consoles: Vec<usize> = (0..m.lin.nodes.len()).filter(|&i| m.lin.nodes[i].kind == Kind::ConsoleLogin).collect();
    assert!(!consoles.is_empty(), "panther's test events hold console sessions (sessionCredentialFromConsole)");
    assert!(m.suspects.iter().all(|s| !consoles.contains(&s.node)), "no console session is a suspect");
}
