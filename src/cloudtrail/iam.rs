//! IAM's facts that remediation turns on: which calls change a key, a user's or a role's
//! permissions (the loader keeps their details), which AWS managed policies deny everything,
//! and which error codes mean "not allowed" rather than "allowed, and failed".

/// The IAM calls whose parameters the loader keeps (`Detail::Iam`).
pub const IAM_CHANGES: [&str; 18] = [
    "UpdateAccessKey",
    "DeleteAccessKey",
    "CreateAccessKey",
    "CreateUser",
    "DeleteUser",
    "DeleteLoginProfile",
    "PutUserPolicy",
    "DeleteUserPolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "AddUserToGroup",
    "RemoveUserFromGroup",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "DeleteRole",
    "UpdateAssumeRolePolicy",
];

/// An AWS managed policy that stops a principal: `AWSDenyAll`, or one of the quarantine
/// policies AWS attaches to a user whose key it found exposed (`AWSCompromisedKeyQuarantine`,
/// `…V2`, `…V3`). Only AWS's own (`arn:<partition>:iam::aws:policy/…`): a customer policy
/// of the same name says nothing of its content.
pub fn deny_all_managed_policy(arn: &str) -> Option<&str> {
    let (head, name) = arn.split_once(":iam::aws:policy/")?;
    let name = name.rsplit('/').next()?;
    let stops = name == "AWSDenyAll" || name.starts_with("AWSCompromisedKeyQuarantine");
    (head.starts_with("arn:aws") && stops).then_some(name)
}

/// True when a quarantine policy, not a deny of every action: AWS's quarantine policies deny
/// the actions an attacker reaches for first (IAM writes, instances, …), not all of them.
pub fn is_quarantine_policy(name: &str) -> bool {
    name.starts_with("AWSCompromisedKeyQuarantine")
}

/// An error code that says the caller was not allowed (by policy, or because its
/// credentials were refused), as opposed to a call that was authorised and failed
/// (`NoSuchKey`, `ThrottlingException`, …).
pub fn is_denial(code: &str) -> bool {
    const REFUSED: [&str; 8] = [
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "AuthFailure",
        "Client.AuthFailure",
        "InvalidAccessKeyId",
    ];
    code.contains("AccessDenied")
        || code.contains("Unauthorized")
        || code.contains("Forbidden")
        || REFUSED.contains(&code)
}

/// An ARN's service, account and resource (`arn:<partition>:<service>:<region>:<account>:<resource>`).
fn arn_parts(arn: &str) -> Option<(&str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (arn_word, _partition, service, _region) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let (account, resource) = (parts.next()?, parts.next()?);
    (arn_word == "arn").then_some((service, account, resource))
}

/// The user name in an IAM user's ARN (`arn:aws:iam::123:user/path/name` → `name`), with
/// the account.
pub fn iam_user_of_arn(arn: &str) -> Option<(&str, &str)> {
    let (service, account, resource) = arn_parts(arn)?;
    let name = resource.strip_prefix("user/")?.rsplit('/').next()?;
    (service == "iam" && !name.is_empty()).then_some((account, name))
}

/// The role name and account of a role session's ARN
/// (`arn:aws:sts::123:assumed-role/Role/session` → `("123", "Role")`).
pub fn role_of_session_arn(arn: &str) -> Option<(&str, &str)> {
    let (service, account, resource) = arn_parts(arn)?;
    let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
    (service == "sts" && !role.is_empty()).then_some((account, role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_aws_own_deny_policies_count() {
        assert_eq!(deny_all_managed_policy("arn:aws:iam::aws:policy/AWSDenyAll"), Some("AWSDenyAll"));
        assert_eq!(
            deny_all_managed_policy("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"),
            Some("AWSCompromisedKeyQuarantineV3")
        );
        assert_eq!(deny_all_managed_policy("arn:aws-cn:iam::aws:policy/AWSDenyAll"), Some("AWSDenyAll"));
        assert_eq!(deny_all_managed_policy("arn:aws:iam::123456789012:policy/AWSDenyAll"), None);
        assert_eq!(deny_all_managed_policy("arn:aws:iam::aws:policy/AmazonS3FullAccess"), None);
    }

    #[test]
    fn denials_are_told_from_other_errors() {
        for c in ["AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "InvalidClientTokenId"] {
            assert!(is_denial(c), "{c}");
        }
        for c in ["NoSuchKey", "ThrottlingException", "EntityAlreadyExists", ""] {
            assert!(!is_denial(c), "{c}");
        }
    }

    #[test]
    fn arns_name_users_and_roles() {
        assert_eq!(iam_user_of_arn("arn:aws:iam::123:user/ops/alice"), Some(("123", "alice")));
        assert_eq!(iam_user_of_arn("arn:aws:iam::123:role/alice"), None);
        assert_eq!(role_of_session_arn("arn:aws:sts::123:assumed-role/R/s@x.com"), Some(("123", "R")));
        assert_eq!(role_of_session_arn("arn:aws:iam::123:user/R"), None);
    }
}
