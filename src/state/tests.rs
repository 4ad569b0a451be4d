use super::*;

fn block(kind: BlockKind, from: Millis, until: Option<Millis>) -> Block {
    Block { kind, from, until, event: None, what: String::new() }
}

#[test]
fn the_stretch_starts_at_its_earliest_fact() {
    // Deactivated at 10, deleted at 20: blocked since 10 whichever is asked about.
    let b = [block(BlockKind::KeyStatus, 20, None), block(BlockKind::KeyStatus, 10, None)];
    assert_eq!(stretch_at(&b, 25).map(|b| b.from), Some(10));
    assert_eq!(stretch_at(&b, 5), None);
    // A deny from 10 to 15, a deletion from 15: one unbroken stretch from 10.
    let b = [block(BlockKind::DenyPolicy, 10, Some(15)), block(BlockKind::UserDeleted, 15, None)];
    assert_eq!(stretch_at(&b, 30).map(|b| (b.kind, b.from)), Some((BlockKind::DenyPolicy, 10)));
    // A gap between them: the stretch holding t starts after the gap.
    let b = [block(BlockKind::DenyPolicy, 10, Some(14)), block(BlockKind::UserDeleted, 15, None)];
    assert_eq!(stretch_at(&b, 30).map(|b| b.kind), Some(BlockKind::UserDeleted));
    assert_eq!(stretch_at(&b, 14), None, "usable in the gap");
}

#[test]
fn a_user_created_again_is_another_user() {
    let e = |id: &str, t: &str, name: &str| {
        serde_json::json!({"eventID": id, "eventTime": t, "eventSource": "iam.amazonaws.com", "eventName": name,
            "requestParameters": {"userName": "u"}, "recipientAccountId": "1",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/admin", "accountId": "1",
                             "accessKeyId": "AKIAADMINADMINADMIN1"}})
    };
    let doc = serde_json::json!({"Records": [e("a", "2024-01-01T10:00:00Z", "DeleteUser"), e("b", "2024-01-01T11:00:00Z", "CreateUser")]});
    let ix = crate::loader::load_docs(&[&doc.to_string()]);
    let users = Users::build(&ix);
    let u = users.get("1", "u").expect("history");
    let t = |s: &str| crate::time::parse_time(s).expect("t");
    assert!(matches!(u.verdict(&ix, t("2024-01-01T10:30:00Z")), user::UserVerdict::Done(_)));
    assert_eq!(u.verdict(&ix, t("2024-01-01T11:30:00Z")), user::UserVerdict::Open, "the new user has not been touched");
}

#[test]
fn a_deleted_users_old_credentials_stay_blocked_after_it_is_created_again() {
    let t = |s: &str| crate::time::parse_time(s).expect("t");
    let doc = serde_json::json!({"Records": [
        {"eventID": "k", "eventTime": "2024-01-01T09:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets",
         "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/u", "accountId": "1", "accessKeyId": "AKIAOLDUSERKEY000001"}},
        {"eventID": "a", "eventTime": "2024-01-01T10:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": "DeleteUser",
         "requestParameters": {"userName": "u"}, "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/admin", "accountId": "1", "accessKeyId": "AKIAADMINADMINADMIN1"}},
        {"eventID": "b", "eventTime": "2024-01-01T11:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": "CreateUser",
         "requestParameters": {"userName": "u"}, "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/admin", "accountId": "1", "accessKeyId": "AKIAADMINADMINADMIN1"}}
    ]});
    let m = crate::model::Model::new(crate::loader::load_docs(&[&doc.to_string()]));
    let n = m.lin.nodes_with_key(&m.ix, "AKIAOLDUSERKEY000001")[0];
    let b = m.states.blocked_at(n, t("2024-01-01T12:00:00Z")).expect("still blocked");
    assert_eq!(b.kind, BlockKind::UserDeleted);
}
