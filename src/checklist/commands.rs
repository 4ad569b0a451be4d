//! What to do next: exact AWS CLI commands for this case's user, key, roles and tokens.

use super::Checklist;
use crate::cloudtrail::ids::{is_iam_name, is_well_formed_key};
use crate::lineage::Kind;
use crate::model::Model;
use crate::policy::{DENY_ALL_DOCUMENT, revoke_older_sessions_document};
use crate::state::role::REVOKE_POLICY_NAME;
use crate::text::{quoted, sanitize};
use crate::time::format_time;
use std::collections::BTreeMap;

/// A command line is generated only from values that are what they claim to be: an IAM name
/// (`[\w+=,.@-]+`) or a well-formed access key id. Anything else in the logs (a name holding
/// a newline, a shell expansion, an escape sequence) withholds the command, saying why.
pub(super) fn withheld(what: &str, value: &str) -> String {
    format!("# withheld: the {what} {} is not a valid IAM name or key id", sanitize(&quoted(value)))
}

/// Which of the root's values a step's commands need, checked; `Err` is the withheld line.
fn checked_user(user: &str, arn: &str) -> Result<String, String> {
    if user.is_empty() {
        return Err(format!(
            "# withheld: the logs do not show which IAM user owns this root (its principal is {}), so no user command is generated",
            sanitize(&quoted(arn))
        ));
    }
    if is_iam_name(user) { Ok(sh(user)) } else { Err(withheld("user name", user)) }
}

/// The command that revokes `role`'s sessions issued before `cutoff_iso` (the IAM console's
/// `AWSRevokeOlderSessions`), or the line saying why it is withheld.
pub fn revoke_sessions(role: &str, cutoff_iso: &str) -> String {
    if !is_iam_name(role) {
        return withheld("role name", role);
    }
    format!(
        "aws iam put-role-policy --role-name {} --policy-name {REVOKE_POLICY_NAME} --policy-document {}",
        sh(role),
        sh(&revoke_older_sessions_document(cutoff_iso))
    )
}

/// Single-quotes a value for a POSIX shell.
pub fn sh(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:/@+=,".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn lookup(key: &str, since: Option<i64>) -> String {
    let mut c =
        format!("aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={}", sh(key));
    if let Some(t) = since {
        c.push_str(&format!(" --start-time {}", format_time(t)));
    }
    c
}

/// The commands for one step. `roles` maps role name → ARN for roles the root's tokens assumed.
pub fn commands_for(m: &Model, list: &Checklist, step: u8, roles: &BTreeMap<String, String>) -> Vec<String> {
    let r = &list.root;
    let user = checked_user(&r.user_name, &r.user_arn);
    let key = if is_well_formed_key(&r.access_key_id) {
        Ok(sh(&r.access_key_id))
    } else {
        Err(withheld("access key id", &r.access_key_id))
    };
    let desc = m.lin.descendants(r.node);
    let keys_of = |kind: Kind| -> Vec<String> {
        let mut v: Vec<String> = desc
            .iter()
            .map(|&n| &m.lin.nodes[n])
            .filter(|n| n.kind == kind)
            .map(|n| m.ix.str(n.key).to_string())
            .filter(|k| is_well_formed_key(k))
            .collect();
        v.dedup();
        v
    };
    let now = format_time(chrono::Utc::now().timestamp_millis() / 1000 * 1000).replace('Z', ".000Z");
    let step1_time = list.steps.first().and_then(|s| s.evidence.first()).map(|e| e.time);
    match step {
        1 => match (&user, &key) {
            (Ok(user), Ok(key)) => vec![
                format!("aws iam update-access-key --user-name {user} --access-key-id {key} --status Inactive"),
                format!("aws iam delete-access-key --user-name {user} --access-key-id {key}"),
                format!("aws iam create-access-key --user-name {user}   # only if the owner needs a replacement"),
            ],
            (Err(why), _) | (_, Err(why)) => vec![why.clone()],
        },
        2 => keys_of(Kind::AssumeRole).iter().map(|k| lookup(k, step1_time)).collect(),
        3 => roles.keys().map(|role| revoke_sessions(role, &now)).collect(),
        4 => {
            let cut = list.steps.get(2).and_then(|s| s.evidence.first()).map(|e| e.time);
            let newer: Vec<String> = desc
                .iter()
                .map(|&n| &m.lin.nodes[n])
                .filter(|n| n.kind == Kind::AssumeRole && cut.is_some_and(|c| n.issued_at.is_some_and(|i| i > c)))
                .map(|n| m.ix.str(n.key).to_string())
                .filter(|k| is_well_formed_key(k))
                .collect();
            let mut v: Vec<String> = newer.iter().map(|k| lookup(k, cut)).collect();
            v.push("# new tokens keep coming until their source (step 5) is cut off; revoke again after step 6".into());
            v
        }
        5 => {
            let mut v: Vec<String> = keys_of(Kind::GetSessionToken).iter().map(|k| lookup(k, None)).collect();
            let by = user.as_deref().map_or_else(|_| String::new(), |u| format!("   # calls by {u}"));
            v.push(format!(
                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetSessionToken{by}"
            ));
            v
        }
        6 => {
            let user = match user {
                Ok(u) => u,
                Err(why) => return vec![why],
            };
            vec![
                format!(
                    "aws iam put-user-policy --user-name {user} --policy-name AWSDenyAll --policy-document {}   # stops the user's keys and GetSessionToken tokens; role sessions they minted live until they expire or their role is revoked again",
                    sh(DENY_ALL_DOCUMENT)
                ),
                format!("aws iam delete-login-profile --user-name {user}"),
                format!(
                    "for k in $(aws iam list-access-keys --user-name {user} --query 'AccessKeyMetadata[].AccessKeyId' --output text); do aws iam delete-access-key --user-name {user} --access-key-id \"$k\"; done"
                ),
                format!(
                    "for p in $(aws iam list-attached-user-policies --user-name {user} --query 'AttachedPolicies[].PolicyArn' --output text); do aws iam detach-user-policy --user-name {user} --policy-arn \"$p\"; done"
                ),
                format!(
                    "for p in $(aws iam list-user-policies --user-name {user} --query 'PolicyNames[]' --output text); do aws iam delete-user-policy --user-name {user} --policy-name \"$p\"; done"
                ),
                format!(
                    "for g in $(aws iam list-groups-for-user --user-name {user} --query 'Groups[].GroupName' --output text); do aws iam remove-user-from-group --user-name {user} --group-name \"$g\"; done"
                ),
                format!(
                    "for d in $(aws iam list-mfa-devices --user-name {user} --query 'MFADevices[].SerialNumber' --output text); do aws iam deactivate-mfa-device --user-name {user} --serial-number \"$d\"; done"
                ),
                format!("aws iam delete-user --user-name {user}"),
            ]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::sh;

    #[test]
    fn shell_quoting_is_safe() {
        assert_eq!(sh("support-user"), "support-user");
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("it's"), r"'it'\''s'");
        assert_eq!(sh("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(sh(""), "''");
    }
}
