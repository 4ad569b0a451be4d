//! Issue 17: verdicts an analyst can sign. One small account per rule: support-user's key A
//! mints GetSessionToken token B, B assumes the role R (token C); the admin then acts.

use super::case::Case;
use super::whatif::what_if;
use super::{Status, evaluate, evaluate_at, pick_root};
use crate::model::Model;
use crate::time::parse_time;
use serde_json::{Value, json};

const A: &str = "AKIASUPPORTUSER00001";
const B: &str = "ASIAGETSESSIONTOKEN1";
const C: &str = "ASIAROLESESSIONCCCC1";
const ADMIN: &str = "AKIASECADMIN00000001";

fn t(s: &str) -> i64 {
    parse_time(s).expect("time")
}

fn user(key: &str, name: &str, since: Option<&str>) -> Value {
    let mut u = json!({"type": "IAMUser", "arn": format!("arn:aws:iam::111:user/{name}"), "accountId": "111",
                       "accessKeyId": key, "userName": name});
    if let Some(s) = since {
        u["sessionContext"] = json!({"attributes": {"creationDate": s}});
    }
    u
}

fn role_session(key: &str, since: &str) -> Value {
    json!({"type": "AssumedRole", "arn": "arn:aws:sts::111:assumed-role/R/job", "accountId": "111", "accessKeyId": key,
           "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111:role/R"},
                              "attributes": {"creationDate": since}}})
}

fn call(id: &str, at: &str, source: &str, name: &str, who: Value, req: Value, resp: Value) -> Value {
    json!({"eventVersion": "1.08", "eventID": id, "eventTime": at, "eventSource": source, "eventName": name,
        "sourceIPAddress": "203.0.113.5", "userAgent": "aws-cli/2", "userIdentity": who,
        "requestParameters": req, "responseElements": resp, "recipientAccountId": "111"})
}

fn admin(id: &str, at: &str, name: &str, req: Value) -> Value {
    call(id, at, "iam.amazonaws.com", name, user(ADMIN, "sec-admin", None), req, Value::Null)
}

/// The story up to C's first reads; `more` is what the defender (and the attacker) do next.
fn account(more: Vec<Value>) -> Model {
    let creds =
        |k: &str, exp: &str| json!({"accessKeyId": k, "expiration": exp, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE"});
    let mut records = vec![
        call(
            "e01",
            "2024-01-01T09:00:00Z",
            "sts.amazonaws.com",
            "GetSessionToken",
            user(A, "support-user", None),
            json!({"durationSeconds": 129600}),
            json!({"credentials": creds(B, "2024-01-02T21:00:00Z")}),
        ),
        call(
            "e02",
            "2024-01-01T09:05:00Z",
            "sts.amazonaws.com",
            "AssumeRole",
            user(B, "support-user", Some("2024-01-01T09:00:00Z")),
            json!({"roleArn": "arn:aws:iam::111:role/R", "roleSessionName": "job"}),
            json!({"credentials": creds(C, "2024-01-01T21:05:00Z"),
                    "assumedRoleUser": {"arn": "arn:aws:sts::111:assumed-role/R/job"}}),
        ),
        call(
            "e03",
            "2024-01-01T09:10:00Z",
            "s3.amazonaws.com",
            "GetObject",
            role_session(C, "2024-01-01T09:05:00Z"),
            json!({"bucketName": "b", "key": "k1"}),
            Value::Null,
        ),
    ];
    records.extend(more);
    Model::new(crate::loader::load_docs(&[&json!({"Records": records}).to_string()]))
}

/// AWSRevokeOlderSessions on R at `at`, with `at` as its cutoff (as the console writes it).
fn revoke(id: &str, at: &str) -> Value {
    let doc = crate::policy::revoke_older_sessions_document(at);
    admin(
        id,
        at,
        "PutRolePolicy",
        json!({"roleName": "R", "policyName": "AWSRevokeOlderSessions", "policyDocument": doc}),
    )
}

fn key_off(id: &str, at: &str) -> Value {
    admin(id, at, "UpdateAccessKey", json!({"userName": "support-user", "accessKeyId": A, "status": "Inactive"}))
}

fn c_reads(id: &str, at: &str, error: Option<&str>) -> Value {
    let mut e = call(
        id,
        at,
        "s3.amazonaws.com",
        "GetObject",
        role_session(C, "2024-01-01T09:05:00Z"),
        json!({"bucketName": "b"}),
        Value::Null,
    );
    if let Some(code) = error {
        e["errorCode"] = json!(code);
    }
    e
}

fn root_a(m: &Model) -> super::Root {
    pick_root(m, Some(A)).expect("root A")
}

fn key_of(m: &Model, n: usize) -> String {
    m.ix.str(m.lin.nodes[n].key).to_string()
}

/// Point 1: continued access is successful calls; denied ones are counted apart, and the
/// evidence says which is which.
#[test]
fn continued_access_counts_successes_and_denials_apart() {
    let m = account(vec![
        key_off("e10", "2024-01-01T10:00:00Z"),
        c_reads("e11", "2024-01-01T10:05:00Z", None),
        c_reads("e12", "2024-01-01T10:06:00Z", Some("AccessDenied")),
        c_reads("e13", "2024-01-01T10:07:00Z", Some("AccessDenied")),
        c_reads("e14", "2024-01-01T10:08:00Z", Some("NoSuchKey")),
    ]);
    let list = evaluate(&m, root_a(&m));
    let s2 = &list.steps[1];
    let c = s2.counts.expect("counted");
    assert_eq!((c.succeeded, c.denied, c.failed), (1, 2, 1));
    assert_eq!(s2.status, Status::Found);
    assert!(s2.summary.starts_with("1 successful calls") && s2.summary.contains("2 denied"), "{}", s2.summary);
    let js: Value =
        serde_json::from_str(&crate::answer::checklist::ChecklistAnswer::new(&m, &list, &Case::default()).json())
            .expect("json");
    let codes: Vec<&Value> =
        js["steps"][1]["evidence"].as_array().expect("items").iter().map(|e| &e["error_code"]).collect();
    assert_eq!(codes, [&Value::Null, &json!("AccessDenied"), &json!("AccessDenied"), &json!("NoSuchKey")]);
    assert_eq!(js["steps"][1]["counts"], json!({"succeeded": 1, "denied": 2, "failed": 1}));

    // Only denied calls after the key was disabled: no continued access, and the attempts shown.
    let m = account(vec![
        key_off("e10", "2024-01-01T10:00:00Z"),
        c_reads("e12", "2024-01-01T10:06:00Z", Some("AccessDenied")),
    ]);
    let s2 = &evaluate(&m, root_a(&m)).steps[1];
    assert_eq!(s2.status, Status::Clear, "{}", s2.summary);
    assert!(s2.summary.contains("1 denied") && s2.summary.contains("no continued access"), "{}", s2.summary);
}

/// Point 2: one detached policy is partial; the DeleteUser a minute later is done, and only
/// from then does what-if block B.
#[test]
fn a_detach_is_partial_and_the_delete_user_is_done() {
    let detach = admin(
        "e20",
        "2024-01-01T15:30:00Z",
        "DetachUserPolicy",
        json!({"userName": "support-user", "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"}),
    );
    let delete = admin("e21", "2024-01-01T15:31:00Z", "DeleteUser", json!({"userName": "support-user"}));
    let m = account(vec![detach.clone(), delete]);
    let list = evaluate(&m, root_a(&m));
    let s6 = &list.steps[5];
    assert_eq!(s6.status, Status::Done);
    assert_eq!(s6.done_at, Some(t("2024-01-01T15:31:00Z")), "done at the DeleteUser, not the detach");
    let blocked = |at: &str| what_if(&m, &list.root, t(at)).blocked.iter().any(|(n, _)| key_of(&m, *n) == B);
    assert!(!blocked("2024-01-01T15:30:30Z"), "a detach does not stop B");
    assert!(blocked("2024-01-01T15:31:30Z"), "the deletion does");
    let w = what_if(&m, &list.root, t("2024-01-01T15:31:30Z"));
    let (_, b) = w.blocked.iter().find(|(n, _)| key_of(&m, *n) == B).expect("B");
    assert_eq!(b.kind.as_str(), "user-deleted");

    // The detach alone: partial, naming what was removed and what may remain.
    let m = account(vec![detach]);
    let s6 = &evaluate(&m, root_a(&m)).steps[5];
    assert_eq!(s6.status, Status::Partial);
    assert_eq!(s6.done_at, None);
    assert!(s6.summary.contains("AmazonS3FullAccess detached"), "{}", s6.summary);
    assert!(s6.missing.iter().any(|x| x.contains("before the logs begin")), "{:?}", s6.missing);
}

/// Point 2: what counts as stripped — an explicit deny-all (managed, inline, quarantine), or
/// every permission the logs show removed from a user whose creation is in them.
#[test]
fn deny_all_and_a_full_strip_are_done_a_customer_policy_named_deny_all_is_not() {
    let attach = |arn: &str| {
        admin("e30", "2024-01-01T15:00:00Z", "AttachUserPolicy", json!({"userName": "support-user", "policyArn": arn}))
    };
    for (arn, done) in [
        ("arn:aws:iam::aws:policy/AWSDenyAll", true),
        ("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3", true),
        ("arn:aws:iam::111:policy/AWSDenyAll", false),
    ] {
        let m = account(vec![attach(arn)]);
        let s6 = &evaluate(&m, root_a(&m)).steps[5];
        assert_eq!(s6.status == Status::Done, done, "{arn}: {}", s6.summary);
    }
    let mut strip = vec![
        admin("e31", "2024-01-01T08:00:00Z", "CreateUser", json!({"userName": "support-user"})),
        admin(
            "e32",
            "2024-01-01T08:01:00Z",
            "AttachUserPolicy",
            json!({"userName": "support-user", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ),
        admin("e33", "2024-01-01T08:02:00Z", "AddUserToGroup", json!({"userName": "support-user", "groupName": "ops"})),
        admin(
            "e34",
            "2024-01-01T15:00:00Z",
            "DetachUserPolicy",
            json!({"userName": "support-user", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ),
    ];
    let m = account(strip.clone());
    let s6 = &evaluate(&m, root_a(&m)).steps[5];
    assert_eq!(s6.status, Status::Partial, "still in group ops");
    assert_eq!(s6.missing, ["group ops (still a member)"]);
    strip.push(admin(
        "e35",
        "2024-01-01T15:01:00Z",
        "RemoveUserFromGroup",
        json!({"userName": "support-user", "groupName": "ops"}),
    ));
    let m = account(strip);
    let list = evaluate(&m, root_a(&m));
    assert_eq!(list.steps[5].status, Status::Done, "{}", list.steps[5].summary);
    let w = what_if(&m, &list.root, t("2024-01-01T16:00:00Z"));
    let (_, b) = w.blocked.iter().find(|(n, _)| key_of(&m, *n) == B).expect("B blocked");
    assert_eq!(b.kind.as_str(), "user-stripped");
}

/// Point 3: what blocks C is the account's revocation, whichever root the view is on; an
/// `ASIA` root resolves to its permanent root and says so.
#[test]
fn what_if_is_the_same_whatever_the_root() {
    let m = account(vec![revoke("e40", "2024-01-01T12:00:00Z")]);
    let at = t("2024-01-01T12:30:00Z");
    for asked in [A, B, C] {
        let root = pick_root(&m, Some(asked)).expect("root");
        assert_eq!(root.access_key_id, A, "{asked} resolves to A");
        assert_eq!(root.resolved_from.as_deref(), (asked != A).then_some(asked));
        let w = what_if(&m, &root, at);
        let (_, b) = w
            .blocked
            .iter()
            .find(|(n, _)| key_of(&m, *n) == C)
            .unwrap_or_else(|| panic!("C blocked with root {asked}"));
        assert_eq!((b.kind.as_str(), b.from), ("revocation", t("2024-01-01T12:00:00Z")));
        assert!(w.usable.iter().any(|&n| key_of(&m, n) == B));
    }
    // The revocation removed again: C works again from then.
    let undo = admin(
        "e41",
        "2024-01-01T13:00:00Z",
        "DeleteRolePolicy",
        json!({"roleName": "R", "policyName": "AWSRevokeOlderSessions"}),
    );
    let m = account(vec![revoke("e40", "2024-01-01T12:00:00Z"), undo]);
    let w = what_if(&m, &root_a(&m), t("2024-01-01T13:30:00Z"));
    assert!(w.usable.iter().any(|&n| key_of(&m, n) == C), "the revocation was deleted at 13:00");
}

/// Point 5: the evidence names who acted (the admin's key) and on what (A).
#[test]
fn evidence_names_the_actor_and_the_target() {
    let m = account(vec![key_off("e10", "2024-01-01T10:00:00Z")]);
    let list = evaluate(&m, root_a(&m));
    let js: Value =
        serde_json::from_str(&crate::answer::checklist::ChecklistAnswer::new(&m, &list, &Case::default()).json())
            .expect("json");
    let e = &js["steps"][0]["evidence"][0];
    assert_eq!(e["actor_key"], json!(ADMIN));
    assert!(e["target"].as_str().is_some_and(|s| s.contains(A) && s.contains("Inactive")), "{e}");
    let md = crate::answer::checklist::markdown(&m, &list, &Case::default());
    assert!(md.contains("| time | actor | key | target | event | error | source IP | user agent | event id |"), "{md}");
    let row = md.lines().find(|l| l.contains("UpdateAccessKey")).expect("row");
    assert!(row.contains(ADMIN) && row.contains(A) && row.contains("| sec-admin |"), "{row}");
}

/// Point 6: after the user is cut off, the role session B minted earlier lives on: what-if
/// lists it, and step 6 proposes the second revocation with its exact policy.
#[test]
fn role_sessions_minted_before_the_user_was_cut_off_call_for_a_second_revocation() {
    let deny = admin(
        "e50",
        "2024-01-01T15:00:00Z",
        "PutUserPolicy",
        json!({"userName": "support-user", "policyName": "AWSDenyAll",
        "policyDocument": crate::policy::DENY_ALL_DOCUMENT}),
    );
    let m = account(vec![deny.clone()]);
    let list = evaluate_at(&m, root_a(&m), t("2024-01-01T16:00:00Z"));
    let s6 = &list.steps[5];
    assert_eq!(s6.status, Status::Done);
    let [f] = s6.follow_up.as_slice() else { panic!("one follow-up: {:?}", s6.follow_up) };
    assert_eq!((f.kind, f.role.as_str()), ("revoke-role-sessions", "R"));
    assert_eq!(f.sessions.iter().map(|&n| key_of(&m, n)).collect::<Vec<_>>(), [C]);
    assert_eq!(f.cutoff, t("2024-01-01T15:00:00Z"));
    assert!(
        f.command.contains("--role-name R") && f.command.contains(r#""aws:TokenIssueTime":"2024-01-01T15:00:00Z""#),
        "{}",
        f.command
    );
    assert!(s6.commands.iter().all(|c| !c.contains("cuts off every token")));
    let w = what_if(&m, &list.root, t("2024-01-01T16:00:00Z"));
    assert!(w.usable.iter().any(|&n| key_of(&m, n) == C), "C is still usable after step 6");
    // Once C expires (21:05), nothing is left to revoke.
    let later = evaluate_at(&m, root_a(&m), t("2024-01-01T22:00:00Z"));
    assert!(later.steps[5].follow_up.is_empty());
    // A second revocation after step 6 ends it too.
    let again = revoke("e51", "2024-01-01T15:10:00Z");
    let m = account(vec![deny, again]);
    assert!(evaluate_at(&m, root_a(&m), t("2024-01-01T16:00:00Z")).steps[5].follow_up.is_empty());
}

/// Point 8: the report points at what lists every evidence item.
#[test]
fn the_report_names_where_the_rest_of_the_evidence_is() {
    let mut more = vec![key_off("e10", "2024-01-01T10:00:00Z")];
    more.extend((0..60).map(|i| c_reads(&format!("r{i:02}"), &format!("2024-01-01T11:{i:02}:00Z"), None)));
    let m = account(more);
    let md = crate::answer::checklist::markdown(&m, &evaluate(&m, root_a(&m)), &Case::default());
    assert!(md.contains("… and 10 more: `tokentrail checklist --json`"), "{md}");
    assert!(!md.contains("see the JSON export)"));
}

/// The tree's state words (issue 19) read the same facts as what-if.
#[test]
fn state_labels_follow_the_facts() {
    let m = account(vec![
        key_off("e10", "2024-01-01T10:00:00Z"),
        revoke("e40", "2024-01-01T12:00:00Z"),
        admin("e50", "2024-01-01T13:00:00Z", "DeleteAccessKey", json!({"userName": "support-user", "accessKeyId": A})),
    ]);
    let label = |k: &str, at: &str| m.states.label_at(&m.lin, m.lin.nodes_with_key(&m.ix, k)[0], t(at));
    assert_eq!(label(A, "2024-01-01T09:30:00Z"), "active");
    assert_eq!(label(A, "2024-01-01T10:30:00Z"), "inactive");
    assert_eq!(label(A, "2024-01-01T13:30:00Z"), "deleted");
    assert_eq!(label(C, "2024-01-01T11:00:00Z"), "live");
    assert_eq!(label(C, "2024-01-01T12:30:00Z"), "blocked: revoked");
    assert_eq!(label(B, "2024-01-01T12:30:00Z"), "live");
    assert_eq!(label(B, "2024-01-03T00:00:00Z"), "expired");
}
