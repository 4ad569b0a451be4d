//! Credential kinds a real account holds (issue 16): console sessions, instance and service
//! credentials, keys named only by IAM calls, minted keys whose sessions log no key id.
//! Records are shaped as AWS documents them (CloudTrail user guide, console sign-in
//! events; `../shared/docs/cloudtrail-lineage.md`), with real records' fields where the
//! corpus has them (stratus-red-team's console-login-without-mfa and
//! ec2-steal-instance-credentials).

use super::suspects::ReasonCode;
use super::{Flag, Kind, Match};
use crate::loader::load_docs;
use crate::model::Model;
use serde_json::{Value, json};

const USER_ARN: &str = "arn:aws:iam::562283505220:user/alice";

fn model(events: Vec<Value>) -> Model {
    Model::new(load_docs(&[&json!({"Records": events}).to_string()]))
}

/// A successful console sign-in, as stratus-red-team recorded one.
fn console_login(id: &str, time: &str, outcome: &str) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": time, "eventSource": "signin.amazonaws.com",
           "eventName": "ConsoleLogin", "eventType": "AwsConsoleSignIn", "awsRegion": "us-east-1",
           "sourceIPAddress": "198.51.100.7", "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
           "requestParameters": null, "responseElements": {"ConsoleLogin": outcome},
           "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home", "MFAUsed": "No"},
           "userIdentity": {"type": "IAMUser", "arn": USER_ARN, "principalId": "AIDA1ERT0661IN5R239V",
                            "accountId": "562283505220", "userName": "alice"}})
}

/// A call made with an `ASIA` key as an IAM user (a console session, or a GetSessionToken token).
fn user_call(id: &str, time: &str, key: &str, created: &str, ua: &str) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": time, "eventSource": "s3.amazonaws.com",
           "eventName": "ListBuckets", "sourceIPAddress": "198.51.100.7", "userAgent": ua,
           "userIdentity": {"type": "IAMUser", "arn": USER_ARN, "accountId": "562283505220", "userName": "alice",
                            "accessKeyId": key, "sessionContext": {"attributes": {"creationDate": created,
                            "mfaAuthenticated": "false"}}}})
}

fn node_of<'a>(m: &'a Model, key: &str) -> &'a super::Node {
    let found = m.lin.nodes_with_key(&m.ix, key);
    assert_eq!(found.len(), 1, "{key}: {found:?}");
    &m.lin.nodes[found[0]]
}

fn is_suspect(m: &Model, key: &str) -> bool {
    m.suspects.iter().any(|s| m.ix.str(m.lin.nodes[s.node].key) == key)
}

#[test]
fn a_console_sign_in_explains_an_iam_user_signing_with_an_asia_key() {
    let m = model(vec![
        console_login("e1", "2024-08-02T08:53:24Z", "Success"),
        user_call("e2", "2024-08-02T08:53:30Z", "ASIACONSOLESESSION01", "2024-08-02T08:53:24Z", "aws-internal/3"),
    ]);
    let n = node_of(&m, "ASIACONSOLESESSION01");
    assert_eq!(n.kind, Kind::ConsoleLogin);
    assert_eq!(n.matched, Some(Match::ConsoleLogin));
    assert!(n.issuing_event.is_some() && !n.flags.contains(&Flag::SessionTokenShape), "{:?}", n.flags);
    assert!(!is_suspect(&m, "ASIACONSOLESESSION01"), "a console session is not a GetSessionToken token");
}

#[test]
fn without_a_sign_in_the_same_shape_is_a_getsessiontoken_token() {
    let m = model(vec![
        console_login("e1", "2024-08-02T08:53:24Z", "Failure"),
        user_call("e2", "2024-08-02T08:53:30Z", "ASIATOKENBTOKENBTOKB", "2024-08-02T08:53:24Z", "aws-cli/2.15.0"),
    ]);
    assert_ne!(node_of(&m, "ASIATOKENBTOKENBTOKB").kind, Kind::ConsoleLogin, "a failed sign-in starts no session");
    let s = m.suspects.iter().find(|s| m.ix.str(m.lin.nodes[s.node].key) == "ASIATOKENBTOKENBTOKB").expect("suspect");
    assert_eq!(s.reasons[0].code, ReasonCode::GstInUse);
}

#[test]
fn console_sessions_are_known_by_their_marker_and_by_their_user_agents() {
    let mut marked =
        user_call("e1", "2024-08-02T09:00:00Z", "ASIAMARKEDCONSOLE001", "2024-08-02T08:00:00Z", "aws-cli/2");
    marked["sessionCredentialFromConsole"] = json!("true");
    let by_agent = user_call(
        "e2",
        "2024-08-02T09:00:00Z",
        "ASIAAGENTCONSOLE0001",
        "2024-08-02T07:00:00Z",
        "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.11.666]",
    );
    let m = model(vec![marked, by_agent]);
    assert_eq!(node_of(&m, "ASIAMARKEDCONSOLE001").kind, Kind::ConsoleLogin);
    let n = node_of(&m, "ASIAAGENTCONSOLE0001");
    assert_eq!(n.kind, Kind::ConsoleLogin);
    assert!(n.flags.contains(&Flag::ConsoleByUserAgent));
    assert!(m.suspects.is_empty(), "{:?}", m.suspects);
}

/// A console session's agents differ call by call (the console's services, their versions):
/// a session that used more distinct agents than its usage keeps is judged on every call.
/// Past the first 32 console agents, one call from an SDK makes it no console session.
#[test]
fn a_console_verdict_by_user_agent_reads_every_call_not_the_first_distinct_agents() {
    let key = |n: usize| format!("ASIAAGENTCONSOLE{n:04}");
    let calls = |n: usize, last: &str| {
        let mut calls: Vec<Value> = (0..40)
            .map(|i| {
                let t = format!("2024-08-02T09:{i:02}:00Z");
                user_call(&format!("e{n}-{i}"), &t, &key(n), "2024-08-02T08:00:00Z", &format!("S3Console/0.{i}"))
            })
            .collect();
        calls.push(user_call(&format!("e{n}-last"), "2024-08-02T09:59:00Z", &key(n), "2024-08-02T08:00:00Z", last));
        calls
    };
    let mut events = calls(1, "S3Console/1.0");
    events.extend(calls(2, "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0"));
    let m = model(events);
    let console = node_of(&m, &key(1));
    assert_eq!(console.kind, Kind::ConsoleLogin);
    assert!(console.flags.contains(&Flag::ConsoleByUserAgent));
    let sdk = node_of(&m, &key(2));
    assert_ne!(sdk.kind, Kind::ConsoleLogin, "{:?}", sdk.flags);
    assert!(!sdk.flags.contains(&Flag::ConsoleByUserAgent));
    assert!(is_suspect(&m, &key(2)) && !is_suspect(&m, &key(1)), "{:?}", m.suspects);
}

/// "From an address its user's other sessions never used" holds of every call they made: the
/// user's key called from 40 addresses, more than a session's usage keeps (32).
#[test]
fn a_console_session_by_agents_is_familiar_from_any_address_its_user_used() {
    let mut events: Vec<Value> = (1..=40)
        .map(|i| {
            let mut e = user_call(&format!("k{i}"), &format!("2024-08-02T08:{i:02}:00Z"), "", "", "aws-cli/2");
            e["userIdentity"] = json!({"type": "IAMUser", "arn": USER_ARN, "accountId": "562283505220",
                                       "userName": "alice", "accessKeyId": "AKIAALICEKEY00000001"});
            e["sourceIPAddress"] = json!(format!("203.0.113.{i}"));
            e
        })
        .collect();
    for (n, ip) in [(1, "203.0.113.36"), (2, "192.0.2.99")] {
        let key = format!("ASIAAGENTCONSOLE000{n}");
        let mut e = user_call(&format!("c{n}"), "2024-08-02T09:30:00Z", &key, "2024-08-02T09:00:00Z", "S3Console/0.4");
        e["sourceIPAddress"] = json!(ip);
        events.push(e);
    }
    let m = model(events);
    assert!(node_of(&m, "ASIAAGENTCONSOLE0001").flags.contains(&Flag::ConsoleByUserAgent));
    assert!(!is_suspect(&m, "ASIAAGENTCONSOLE0001"), "{:?}", m.suspects);
    assert!(is_suspect(&m, "ASIAAGENTCONSOLE0002"), "{:?}", m.suspects);
}

/// stratus-red-team's ec2-steal-instance-credentials: the instance's role session used from
/// the address the attacker's IAM user used.
#[test]
fn instance_credentials_used_where_a_person_worked_are_a_suspect() {
    let instance = json!({"type": "AssumedRole", "accessKeyId": "ASIAP5CT9NN8EYVU1FXV", "accountId": "017622104382",
        "arn": "arn:aws:sts::017622104382:assumed-role/steal-credentials-role/i-786a3a8b5c0d92ef4",
        "sessionContext": {"attributes": {"creationDate": "2024-08-02T08:20:00Z", "mfaAuthenticated": "false"},
            "ec2RoleDelivery": "1.0",
            "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::017622104382:role/steal-credentials-role"}}});
    let person = json!({"type": "IAMUser", "accessKeyId": "AKIAAM80VXLJF8NPK4VC", "accountId": "017622104382",
        "arn": "arn:aws:iam::017622104382:user/christophe", "userName": "christophe"});
    let call = |id: &str, t: &str, name: &str, who: &Value| {
        json!({"eventVersion": "1.08", "eventID": id,
        "eventTime": t, "eventSource": "ec2.amazonaws.com", "eventName": name, "sourceIPAddress": "18.236.253.47",
        "userAgent": "aws-cli/2", "userIdentity": who})
    };
    let m = model(vec![
        call("e1", "2024-08-02T08:22:40Z", "DescribeInstanceInformation", &person),
        call("e2", "2024-08-02T08:23:56Z", "DescribeInstances", &instance),
    ]);
    let n = node_of(&m, "ASIAP5CT9NN8EYVU1FXV");
    assert_eq!(n.kind, Kind::Instance);
    let s = m.suspects.iter().find(|s| s.node == m.lin.nodes_with_key(&m.ix, "ASIAP5CT9NN8EYVU1FXV")[0]);
    let s = s.expect("the stolen instance credential is a suspect");
    assert_eq!(s.reasons[0].code, ReasonCode::InstanceCredentialOutside);
    assert!(s.reasons[0].text.contains("christophe"), "{}", s.reasons[0].text);
}

/// A session of one EC2 instance's role (`i-0123456789abcdef0`), created at `created`.
fn instance_session(key: &str, created: &str) -> Value {
    json!({"type": "AssumedRole", "accessKeyId": key, "accountId": "1",
    "arn": "arn:aws:sts::1:assumed-role/WebRole/i-0123456789abcdef0",
    "sessionContext": {"attributes": {"creationDate": created}, "ec2RoleDelivery": "2.0"}})
}

/// A GetObject by `who` from `ip`.
fn get_object(id: &str, t: &str, ip: &str, who: Value) -> Value {
    json!({"eventID": id, "eventTime": t, "eventSource": "s3.amazonaws.com",
    "eventName": "GetObject", "sourceIPAddress": ip, "userIdentity": who})
}

#[test]
fn an_instance_working_from_its_own_address_is_no_suspect() {
    let (session, ip) = (instance_session, "10.0.12.34");
    let m = model(vec![
        get_object("e1", "2024-01-01T00:10:00Z", ip, session("ASIAINSTANCEFIRST001", "2024-01-01T00:00:00Z")),
        get_object("e2", "2024-01-01T06:10:00Z", ip, session("ASIAINSTANCESECOND01", "2024-01-01T06:00:00Z")),
    ]);
    assert_eq!(node_of(&m, "ASIAINSTANCESECOND01").kind, Kind::Instance);
    assert!(m.suspects.is_empty(), "{:?}", m.suspects);
}

/// The instance's first session (created at midnight): a GetObject a minute from each of
/// 10.0.12.1 to 10.0.12.`n`.
fn first_instance_session_from(n: usize) -> Vec<Value> {
    let first = instance_session("ASIAINSTANCEFIRST001", "2024-01-01T00:00:00Z");
    let at = |i: usize| (format!("e{i}"), format!("2024-01-01T00:{i:02}:00Z"), format!("10.0.12.{i}"));
    (1..=n).map(at).map(|(id, t, ip)| get_object(&id, &t, &ip, first.clone())).collect()
}

/// "An address the instance never used" holds of every call its other sessions made: the
/// first called from 40 addresses, more than a session's usage keeps (32).
#[test]
fn an_instance_working_from_any_address_it_used_is_no_suspect() {
    let mut events = first_instance_session_from(40);
    let second = instance_session("ASIAINSTANCESECOND01", "2024-01-01T06:00:00Z");
    events.push(get_object("s1", "2024-01-01T06:10:00Z", "10.0.12.37", second));
    let third = instance_session("ASIAINSTANCETHIRD001", "2024-01-01T07:00:00Z");
    events.push(get_object("t1", "2024-01-01T07:10:00Z", "192.0.2.50", third));
    let m = model(events);
    assert_eq!(node_of(&m, "ASIAINSTANCESECOND01").kind, Kind::Instance);
    assert!(!is_suspect(&m, "ASIAINSTANCESECOND01"), "{:?}", m.suspects);
    assert!(is_suspect(&m, "ASIAINSTANCETHIRD001"), "{:?}", m.suspects);
}

/// "An address a person also used" reads every address on both sides: an instance session
/// whose 33rd address is an IAM user's, and one whose address is a person's 33rd.
#[test]
fn an_instance_called_from_any_address_a_person_used_is_a_suspect() {
    let person = |key: &str| json!({"type": "IAMUser", "arn": "arn:aws:iam::1:user/alice", "accountId": "1", "accessKeyId": key});
    let mut events = first_instance_session_from(33);
    // Alice's key: 40 addresses, the instance's 33rd among her first, and 192.0.2.40 her 40th.
    for i in 1..=40 {
        let ip = if i == 1 { "10.0.12.33".to_string() } else { format!("192.0.2.{i}") };
        events.push(get_object(
            &format!("a{i}"),
            &format!("2024-01-01T01:{i:02}:00Z"),
            &ip,
            person("AKIAALICE00000000001"),
        ));
    }
    let second = instance_session("ASIAINSTANCESECOND01", "2024-01-01T06:00:00Z");
    events.push(get_object("s1", "2024-01-01T06:10:00Z", "192.0.2.40", second));
    let m = model(events);
    let text = |key: &str| -> Vec<String> {
        let s = m.suspects.iter().filter(|s| m.ix.str(m.lin.nodes[s.node].key) == key);
        s.flat_map(|s| s.reasons.iter().map(|r| r.text.clone())).collect()
    };
    let alice = "an address arn:aws:iam::1:user/alice also used";
    assert_eq!(text("ASIAINSTANCEFIRST001"), [format!("instance credentials used from 10.0.12.33, {alice}")]);
    assert_eq!(text("ASIAINSTANCESECOND01"), [format!("instance credentials used from 192.0.2.40, {alice}")]);
}

/// A service's AssumeRole (EMR in the real account of issue 16): the minted session's use
/// carries no key id, and is matched by ARN + creationDate; the key stays with it.
#[test]
fn a_minted_key_is_never_lost_whatever_matched_it() {
    let issue = json!({"eventID": "e1", "eventTime": "2024-01-01T00:00:00Z", "eventSource": "sts.amazonaws.com",
        "eventName": "AssumeRole", "userIdentity": {"type": "AWSService", "invokedBy": "elasticmapreduce.amazonaws.com"},
        "requestParameters": {"roleArn": "arn:aws:iam::1:role/EMR", "roleSessionName": "emr"},
        "responseElements": {"credentials": {"accessKeyId": "ASIAEMRMINTEDKEY0001", "expiration": "Jan 1, 2024, 1:00:00 AM"},
            "assumedRoleUser": {"arn": "arn:aws:sts::1:assumed-role/EMR/emr"}}});
    let used = json!({"eventID": "e2", "eventTime": "2024-01-01T00:05:00Z", "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject", "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/EMR/emr",
        "sessionContext": {"attributes": {"creationDate": "2024-01-01T00:00:00Z"}}}});
    let m = model(vec![issue, used]);
    let n = node_of(&m, "ASIAEMRMINTEDKEY0001");
    assert_eq!(n.matched, Some(Match::ArnCreationDate));
    assert_eq!(n.event_count, 1, "the session that used it, not a second, unused node");
}

fn assumed(key: &str, role: &str, session: &str, created: &str) -> Value {
    json!({"type": "AssumedRole", "accessKeyId": key, "accountId": "1",
           "arn": format!("arn:aws:sts::1:assumed-role/{role}/{session}"),
           "sessionContext": {"attributes": {"creationDate": created},
                              "sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::1:role/{role}")}}})
}

fn call(id: &str, t: &str, who: Value) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": t, "eventSource": "s3.amazonaws.com",
           "eventName": "ListBuckets", "sourceIPAddress": "10.0.0.1", "userIdentity": who})
}

fn assume_role(id: &str, t: &str, caller: Value, child: &str, role: &str, session: &str) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": t, "eventSource": "sts.amazonaws.com",
           "eventName": "AssumeRole", "sourceIPAddress": "10.0.0.1", "userIdentity": caller,
           "requestParameters": {"roleArn": format!("arn:aws:iam::1:role/{role}"), "roleSessionName": session},
           "responseElements": {"credentials": {"accessKeyId": child, "expiration": "Jan 1, 2024, 1:00:00 PM"},
                                "assumedRoleUser": {"arn": format!("arn:aws:sts::1:assumed-role/{role}/{session}")}}})
}

#[test]
fn every_node_knows_its_human_nearest_source_first() {
    // sourceIdentity on the first role session survives the chain into the second.
    let mut first = assumed("ASIAFIRSTROLESESSION", "Build", "job-1", "2024-01-01T00:00:00Z");
    first["sessionContext"]["sourceIdentity"] = json!("dana@example.com");
    let second = assumed("ASIASECONDROLESESSN1", "Deploy", "job-1-deploy", "2024-01-01T00:01:00Z");
    // Identity Center: onBehalfOf.userId.
    let mut sso =
        assumed("ASIASSOSESSIONSESSN1", "AWSReservedSSO_Admin_0123456789abcdef", "erin", "2024-01-01T00:00:00Z");
    sso["onBehalfOf"] = json!({"userId": "94482488-3041-7026-18f3-be45837cd0e4",
                                "identityStoreArn": "arn:aws:identitystore::1:identitystore/d-9067230000"});
    // A federated session named by an e-mail.
    let saml = assumed("ASIASAMLSESSIONSESS1", "Federated", "frank@example.com", "2024-01-01T00:00:00Z");
    let m = model(vec![
        call("e1", "2024-01-01T00:00:30Z", first.clone()),
        assume_role("e2", "2024-01-01T00:01:00Z", first, "ASIASECONDROLESESSN1", "Deploy", "job-1-deploy"),
        call("e3", "2024-01-01T00:02:00Z", second),
        call("e4", "2024-01-01T00:02:00Z", sso),
        call("e5", "2024-01-01T00:02:00Z", saml),
        user_call("e6", "2024-01-01T00:03:00Z", "ASIAPLAINUSERSESSN01", "2024-01-01T00:00:00Z", "aws-cli/2"),
    ]);
    let human = |k: &str| {
        let n = node_of(&m, k);
        (n.human.clone().unwrap_or_default(), n.human_source.map(|h| h.as_str()).unwrap_or(""))
    };
    assert_eq!(human("ASIAFIRSTROLESESSION"), ("dana@example.com".into(), "source-identity"));
    assert_eq!(human("ASIASECONDROLESESSN1"), ("dana@example.com".into(), "source-identity"), "inherited");
    assert_eq!(human("ASIASSOSESSIONSESSN1"), ("94482488-3041-7026-18f3-be45837cd0e4".into(), "identity-center"));
    assert_eq!(human("ASIASAMLSESSIONSESS1"), ("frank@example.com".into(), "session-name"));
    assert_eq!(human("ASIAPLAINUSERSESSN01"), ("alice".into(), "iam-user"));
}

/// EKS Pod Identity (`eks-auth.amazonaws.com` `AssumeRoleForPodIdentity`, as AWS documents
/// the event): linked by key; the pod's service account is the human-equivalent.
#[test]
fn a_pod_identity_session_is_linked_by_key_and_knows_its_service_account() {
    let issue = json!({"eventVersion": "1.09", "eventID": "e1", "eventTime": "2024-01-01T00:00:00Z",
        "eventSource": "eks-auth.amazonaws.com", "eventName": "AssumeRoleForPodIdentity",
        "userIdentity": {"type": "AWSService", "invokedBy": "pods.eks.amazonaws.com"},
        "requestParameters": {"clusterName": "prod", "token": "HIDDEN_DUE_TO_SECURITY_REASONS"},
        "responseElements": {"credentials": {"accessKeyId": "ASIAPODIDENTITYKEY01", "expiration": "Jan 1, 2024, 6:00:00 AM"},
            "assumedRoleUser": {"arn": "arn:aws:sts::1:assumed-role/PodRole/eks-prod-web-abc", "assumeRoleId": "AROA:eks"},
            "subject": {"namespace": "shop", "serviceAccount": "web"},
            "podIdentityAssociation": {"associationArn": "arn:aws:eks:us-east-1:1:podidentityassociation/prod/a-1"}}});
    let used = call(
        "e2",
        "2024-01-01T00:05:00Z",
        assumed("ASIAPODIDENTITYKEY01", "PodRole", "eks-prod-web-abc", "2024-01-01T00:00:00Z"),
    );
    let m = model(vec![issue, used]);
    let n = node_of(&m, "ASIAPODIDENTITYKEY01");
    assert_eq!(n.kind, Kind::AssumeRoleForPodIdentity);
    assert_eq!(n.matched, Some(Match::Key));
    assert_eq!(n.human.as_deref(), Some("system:serviceaccount:shop:web"));
}

/// S3 Express One Zone's CreateSession returns a key: a bucket-scoped leaf, never a suspect
/// for minting or for being what it is.
#[test]
fn an_s3_express_session_is_a_leaf_and_no_suspect() {
    let caller = assumed("ASIAAPPROLESESSION01", "App", "app", "2024-01-01T00:00:00Z");
    let issue = json!({"eventVersion": "1.09", "eventID": "e1", "eventTime": "2024-01-01T00:01:00Z",
        "eventSource": "s3express.amazonaws.com", "eventName": "CreateSession", "eventCategory": "Data",
        "userIdentity": caller.clone(), "sourceIPAddress": "10.0.0.1",
        "requestParameters": {"bucketName": "logs--use1-az4--x-s3", "x-amz-create-session-mode": "ReadWrite"},
        "responseElements": {"credentials": {"accessKeyId": "ASIAS3EXPRESSSESSN01", "expiration": "Jan 1, 2024, 12:06:00 AM"}}});
    let m = model(vec![call("e0", "2024-01-01T00:00:30Z", caller), issue]);
    let n = node_of(&m, "ASIAS3EXPRESSSESSN01");
    assert_eq!(n.kind, Kind::S3ExpressCreateSession);
    assert!(m.suspects.is_empty(), "{:?}", m.suspects);
}

/// `sts:AssumeRoot` (2024), as AWS documents the event: a management-account principal gets
/// a root session in a member account; linked by key, the edge crosses accounts.
#[test]
fn an_assume_root_session_is_linked_across_accounts() {
    let caller = assumed("ASIAORGADMINSESSION1", "OrgAdmin", "ops", "2024-01-01T00:00:00Z");
    let issue = json!({"eventVersion": "1.10", "eventID": "e1", "eventTime": "2024-11-20T10:00:00Z",
        "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoot", "userIdentity": caller.clone(),
        "sourceIPAddress": "10.0.0.1", "recipientAccountId": "1",
        "requestParameters": {"targetPrincipal": "222233334444",
            "taskPolicyArn": {"arn": "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"}},
        "responseElements": {"credentials": {"accessKeyId": "ASIAASSUMEROOTSESSN1", "expiration": "Nov 20, 2024, 10:15:00 AM"}}});
    let used = call(
        "e2",
        "2024-11-20T10:01:00Z",
        json!({"type": "Root", "arn": "arn:aws:iam::222233334444:root",
        "accountId": "222233334444", "accessKeyId": "ASIAASSUMEROOTSESSN1", "principalId": "222233334444",
        "sessionContext": {"attributes": {"creationDate": "2024-11-20T10:00:00Z"}, "assumedRoot": "true"}}),
    );
    let m = model(vec![call("e0", "2024-01-01T00:00:30Z", caller), issue, used]);
    let n = node_of(&m, "ASIAASSUMEROOTSESSN1");
    assert_eq!(n.kind, Kind::AssumeRoot);
    assert_eq!(m.ix.str(n.account), "222233334444", "the session is the member account's");
    let parent = &m.lin.nodes[n.parent.expect("linked to the caller")];
    assert_eq!(m.ix.str(parent.key), "ASIAORGADMINSESSION1");
}

/// IAM Roles Anywhere's `CreateSession` (`rolesanywhere.amazonaws.com`): the key is in
/// `credentialSet[0]`, the session's `sourceIdentity` is the certificate's CN.
#[test]
fn a_roles_anywhere_session_is_linked_by_its_credential_set() {
    let issue = json!({"eventVersion": "1.08", "eventID": "e1", "eventTime": "2024-01-01T00:00:00Z",
        "eventSource": "rolesanywhere.amazonaws.com", "eventName": "CreateSession", "sourceIPAddress": "203.0.113.5",
        "userIdentity": {"type": "Unknown", "principalId": "sub-cn=build-host-7", "accountId": "1"},
        "requestParameters": {"profileArn": "arn:aws:rolesanywhere:us-east-1:1:profile/p",
            "roleArn": "arn:aws:iam::1:role/OnPrem", "trustAnchorArn": "arn:aws:rolesanywhere:us-east-1:1:trust-anchor/t"},
        "responseElements": {"credentialSet": [{"assumedRoleUser": {"arn": "arn:aws:sts::1:assumed-role/OnPrem/00aa",
            "assumedRoleId": "AROA:00aa"}, "credentials": {"accessKeyId": "ASIAROLESANYWHERE001",
            "expiration": "2024-01-01T01:00:00Z", "sessionToken": "IQoJb3JpZ2luX2Vjsecret"}, "packedPolicySize": 5,
            "roleArn": "arn:aws:iam::1:role/OnPrem", "sourceIdentity": "CN=build-host-7"}],
            "subjectArn": "arn:aws:rolesanywhere:us-east-1:1:subject/s"}});
    let mut session = assumed("ASIAROLESANYWHERE001", "OnPrem", "00aa", "2024-01-01T00:00:00Z");
    session["sessionContext"]["sourceIdentity"] = json!("CN=build-host-7");
    let m = model(vec![issue, call("e2", "2024-01-01T00:02:00Z", session)]);
    let n = node_of(&m, "ASIAROLESANYWHERE001");
    assert_eq!(n.kind, Kind::CreateSession);
    assert_eq!(n.matched, Some(Match::Key));
    assert_eq!(n.human.as_deref(), Some("CN=build-host-7"));
    assert_eq!(m.ix.str(n.role_arn), "arn:aws:iam::1:role/OnPrem");
}

/// IAM Identity Center: `GetRoleCredentials` in Identity Center's account (as AWS documents
/// it: an AwsServiceEvent, request and response null, the role in serviceEventDetails) and
/// the member account's `AssumeRoleWithSAML` on the `AWSReservedSSO_` role share no key; they
/// are joined on account, permission set and time, and the bridge says so.
#[test]
fn identity_center_role_credentials_are_bridged_to_their_role_session() {
    let grc = json!({"eventVersion": "1.08", "eventID": "e1", "eventTime": "2024-05-01T09:00:00Z",
        "eventSource": "sso.amazonaws.com", "eventName": "GetRoleCredentials", "eventType": "AwsServiceEvent",
        "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.20", "recipientAccountId": "111111111111",
        "requestParameters": null, "responseElements": null,
        "serviceEventDetails": {"role_name": "AdministratorAccess", "account_id": "222222222222"},
        "userIdentity": {"type": "IdentityCenterUser", "accountId": "111111111111",
            "onBehalfOf": {"userId": "94482488-3041-7026-18f3-be45837cd0e4",
                           "identityStoreArn": "arn:aws:identitystore::111111111111:identitystore/d-9067230000"},
            "credentialId": "EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}});
    let role = "AWSReservedSSO_AdministratorAccess_3c6b2a1f0e9d8c7b";
    let saml = json!({"eventVersion": "1.08", "eventID": "e2", "eventTime": "2024-05-01T09:00:00Z",
        "eventSource": "sts.amazonaws.com", "eventName": "AssumeRoleWithSAML", "recipientAccountId": "222222222222",
        "userIdentity": {"type": "SAMLUser", "principalId": "x:erin", "userName": "erin"},
        "requestParameters": {"roleArn": format!("arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/{role}"),
            "principalArn": "arn:aws:iam::222222222222:saml-provider/AWSSSO_0123_DO_NOT_DELETE", "durationSeconds": 43200},
        "responseElements": {"credentials": {"accessKeyId": "ASIASSOROLESESSION01", "expiration": "May 1, 2024, 9:00:00 PM"},
            "assumedRoleUser": {"arn": format!("arn:aws:sts::222222222222:assumed-role/{role}/erin")}}});
    let mut used = assumed("ASIASSOROLESESSION01", role, "erin", "2024-05-01T09:00:00Z");
    used["accountId"] = json!("222222222222");
    used["arn"] = json!(format!("arn:aws:sts::222222222222:assumed-role/{role}/erin"));
    let m = model(vec![grc, saml, call("e3", "2024-05-01T09:01:00Z", used)]);
    let n = node_of(&m, "ASIASSOROLESESSION01");
    assert_eq!(n.kind, Kind::AssumeRoleWithSaml);
    assert_eq!(n.matched, Some(Match::SsoBridge));
    assert!(n.flags.contains(&Flag::SsoBridge));
    let parent = &m.lin.nodes[n.parent.expect("bridged")];
    assert_eq!(parent.kind, Kind::GetRoleCredentials);
    assert_eq!(parent.human.as_deref(), Some("94482488-3041-7026-18f3-be45837cd0e4"));
    // The wrong permission set or account is not joined.
    let other = m.lin.nodes.iter().filter(|n| n.kind == Kind::GetRoleCredentials).count();
    assert_eq!(other, 1);
}

/// The CLI → console pivot (`aws_consoler`): a federated session calls `GetSigninToken`,
/// signs in to the console with it, and the console session is issued by that session.
#[test]
fn a_console_session_from_a_signin_token_descends_from_the_session_that_asked_for_it() {
    let fed_arn = "arn:aws:sts::1:federated-user/pivot";
    let fed = |key: &str, created: &str| {
        json!({"type": "FederatedUser", "arn": fed_arn, "accountId": "1",
        "principalId": "1:pivot", "accessKeyId": key,
        "sessionContext": {"attributes": {"creationDate": created},
                           "sessionIssuer": {"type": "IAMUser", "arn": USER_ARN, "userName": "alice"}}})
    };
    let signin = |id: &str, t: &str, name: &str, who: Value, resp: Value| {
        json!({"eventVersion": "1.08", "eventID": id,
        "eventTime": t, "eventSource": "signin.amazonaws.com", "eventName": name, "sourceIPAddress": "203.0.113.9",
        "userAgent": "python-requests/2.31", "userIdentity": who, "responseElements": resp})
    };
    let m = model(vec![
        call("e1", "2024-01-01T10:00:10Z", fed("ASIAFEDERATEDSESSN01", "2024-01-01T10:00:00Z")),
        signin(
            "e2",
            "2024-01-01T10:01:00Z",
            "GetSigninToken",
            fed("ASIAFEDERATEDSESSN01", "2024-01-01T10:00:00Z"),
            json!({"GetSigninToken": "Success"}),
        ),
        signin(
            "e3",
            "2024-01-01T10:01:05Z",
            "ConsoleLogin",
            json!({"type": "FederatedUser", "arn": fed_arn, "accountId": "1", "principalId": "1:pivot"}),
            json!({"ConsoleLogin": "Success"}),
        ),
        call("e4", "2024-01-01T10:02:00Z", fed("ASIACONSOLEFROMTOKN1", "2024-01-01T10:01:05Z")),
    ]);
    let n = node_of(&m, "ASIACONSOLEFROMTOKN1");
    assert_eq!(n.kind, Kind::GetSigninToken);
    assert_eq!(n.matched, Some(Match::ConsoleLogin));
    assert_eq!(m.ix.str(m.lin.nodes[n.parent.expect("issued by the federated session")].key), "ASIAFEDERATEDSESSN01");
}

/// A user agent is the caller's to write: a token "console" by its agents alone, from an
/// address none of its user's other sessions used, is still a suspect; from the user's own
/// address it is not.
#[test]
fn a_browser_user_agent_does_not_hide_a_token_used_from_elsewhere() {
    let ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)";
    let mut own = user_call("e1", "2024-08-02T08:00:00Z", "ASIAOWNCONSOLESESSN1", "2024-08-02T07:00:00Z", ua);
    own["sourceIPAddress"] = json!("198.51.100.7");
    let key_use = json!({"eventVersion": "1.08", "eventID": "e2", "eventTime": "2024-08-02T08:10:00Z",
        "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets", "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2", "userIdentity": {"type": "IAMUser", "arn": USER_ARN, "accountId": "562283505220",
        "userName": "alice", "accessKeyId": "AKIAALICEALICEALICE1"}});
    let mut dressed = user_call("e3", "2024-08-02T09:00:00Z", "ASIADRESSEDASCONSOL1", "2024-08-02T08:30:00Z", ua);
    dressed["sourceIPAddress"] = json!("203.0.113.66");
    let m = model(vec![own, key_use, dressed]);
    assert_eq!(node_of(&m, "ASIADRESSEDASCONSOL1").kind, Kind::ConsoleLogin);
    assert!(is_suspect(&m, "ASIADRESSEDASCONSOL1"), "from an address alice never used: {:?}", m.suspects);
    assert!(!is_suspect(&m, "ASIAOWNCONSOLESESSN1"), "from alice's own address");
}
