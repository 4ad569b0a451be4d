//! Lineage shapes at the edge of what the model must take: a chain of keys each minting the
//! next (as deep as it is long), and one key minting a very wide tree. Each is one S3-style
//! document of real-shaped STS events, for tests and the bench.

use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A well-formed key id (`A-Z2-7`, 20 characters) for number `n`.
pub fn key_id(prefix: &str, n: u64) -> String {
    let mut s = String::from(prefix);
    for i in (0..16).rev() {
        s.push(ALPHABET[(n.checked_shr(i * 5).unwrap_or(0) & 31) as usize] as char);
    }
    s
}

fn time(s: u64) -> String {
    crate::time::format_time(1_704_067_200_000 + s as i64 * 1000) // from 2024-01-01
}

fn event_id(n: u64) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", n >> 32, n & 0xffff_ffff_ffff)
}

/// The root's user, signing with its permanent key.
fn user_identity() -> Value {
    json!({"type": "IAMUser", "principalId": "AIDAEXAMPLEUSER00001", "accountId": ACCOUNT,
           "arn": format!("arn:aws:iam::{ACCOUNT}:user/chain-user"), "userName": "chain-user",
           "accessKeyId": key_id("AKIA", 0)})
}

/// A role session signing with key `k`, created at `created`.
fn role_identity(k: u64, created: u64) -> Value {
    json!({"type": "AssumedRole", "principalId": format!("AROAEXAMPLE:s{k}"), "accountId": ACCOUNT,
           "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/Chain/s{k}"), "accessKeyId": key_id("ASIA", k),
           "sessionContext": {"attributes": {"creationDate": time(created), "mfaAuthenticated": "false"},
                              "sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::{ACCOUNT}:role/Chain"),
                                                "userName": "Chain", "accountId": ACCOUNT}}})
}

fn assume_role(n: u64, at: u64, caller: Value, minted: u64) -> Value {
    json!({"eventVersion": "1.08", "userIdentity": caller, "eventTime": time(at), "eventSource": "sts.amazonaws.com",
           "eventName": "AssumeRole", "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.7",
           "userAgent": "aws-cli/2.15.0", "requestParameters": {"roleArn": format!("arn:aws:iam::{ACCOUNT}:role/Chain"),
           "roleSessionName": format!("s{minted}")},
           "responseElements": {"credentials": {"accessKeyId": key_id("ASIA", minted), "expiration": time(at + 3600)},
                                "assumedRoleUser": {"assumedRoleId": format!("AROAEXAMPLE:s{minted}"),
                                                    "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/Chain/s{minted}")}},
           "eventID": event_id(n), "eventType": "AwsApiCall", "recipientAccountId": ACCOUNT})
}

/// `depth` keys, each minted by the one before: the user's key assumes the role (key 1),
/// key 1 assumes it again (key 2), … key `depth` makes one last call.
pub fn key_chain(depth: u64) -> String {
    let mut records = Vec::with_capacity(depth as usize + 1);
    records.push(assume_role(0, 0, user_identity(), 1));
    for k in 1..depth {
        records.push(assume_role(k, k, role_identity(k, k - 1), k + 1));
    }
    let mut last = assume_role(depth, depth, role_identity(depth, depth - 1), depth + 1);
    last["eventName"] = "GetCallerIdentity".into();
    last["responseElements"] = Value::Null;
    records.push(last);
    json!({"Records": records}).to_string()
}

/// The user's key minting `width` role sessions, each used once.
pub fn wide_tree(width: u64) -> String {
    let mut records = Vec::with_capacity(2 * width as usize);
    for k in 1..=width {
        records.push(assume_role(2 * k, k, user_identity(), k));
        let mut used = assume_role(2 * k + 1, k + 1, role_identity(k, k), 0);
        used["eventName"] = "GetCallerIdentity".into();
        used["responseElements"] = Value::Null;
        records.push(used);
    }
    json!({"Records": records}).to_string()
}
