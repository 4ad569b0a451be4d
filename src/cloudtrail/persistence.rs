//! The writes that can outlive a remediation (persistence), what names their target, and the
//! calls that undo them; and the calls that read or move data. Declared once: the blast
//! radius (`blast`) reads these.

/// One persistence call: its service and name, its kind (the `blast-radius --json` `kind`),
/// the request (`req.…`) or response (`resp.…`) fields that name its target, and the calls
/// that undo it — the same target named by their own request fields.
pub struct PersistenceCall {
    pub source: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub target: &'static [&'static str],
    pub undone_by: &'static [&'static str],
}

const fn call(
    source: &'static str,
    name: &'static str,
    kind: &'static str,
    target: &'static [&'static str],
    undone_by: &'static [&'static str],
) -> PersistenceCall {
    PersistenceCall { source, name, kind, target, undone_by }
}

const IAM: &str = "iam.amazonaws.com";
const USER: &[&str] = &["req.userName"];
const ROLE_POLICY: &[&str] = &["req.roleName", "req.policyName", "req.policyArn"];
const USER_POLICY: &[&str] = &["req.userName", "req.policyName", "req.policyArn"];
const GROUP_POLICY: &[&str] = &["req.groupName", "req.policyName", "req.policyArn"];

pub const PERSISTENCE_CALLS: &[PersistenceCall] = &[
    call(IAM, "CreateAccessKey", "access-key", &["resp.accessKey.accessKeyId", "req.userName"], &["DeleteAccessKey"]),
    call(IAM, "CreateUser", "user", USER, &["DeleteUser"]),
    call(IAM, "CreateLoginProfile", "login-profile", USER, &["DeleteLoginProfile", "DeleteUser"]),
    call(IAM, "UpdateLoginProfile", "login-profile", USER, &["DeleteLoginProfile", "DeleteUser"]),
    call(IAM, "CreateVirtualMFADevice", "mfa", &["req.virtualMFADeviceName"], &["DeleteVirtualMFADevice"]),
    call(IAM, "EnableMFADevice", "mfa", &["req.userName", "req.serialNumber"], &["DeactivateMFADevice"]),
    call(IAM, "AddUserToGroup", "group-membership", &["req.userName", "req.groupName"], &["RemoveUserFromGroup"]),
    call(IAM, "CreateRole", "role", &["req.roleName"], &["DeleteRole"]),
    call(IAM, "UpdateAssumeRolePolicy", "trust-policy", &["req.roleName"], &["UpdateAssumeRolePolicy", "DeleteRole"]),
    call(IAM, "PutRolePolicy", "policy", ROLE_POLICY, &["DeleteRolePolicy"]),
    call(IAM, "AttachRolePolicy", "policy", ROLE_POLICY, &["DetachRolePolicy"]),
    call(IAM, "PutUserPolicy", "policy", USER_POLICY, &["DeleteUserPolicy"]),
    call(IAM, "AttachUserPolicy", "policy", USER_POLICY, &["DetachUserPolicy"]),
    call(IAM, "PutGroupPolicy", "policy", GROUP_POLICY, &["DeleteGroupPolicy"]),
    call(IAM, "AttachGroupPolicy", "policy", GROUP_POLICY, &["DetachGroupPolicy"]),
    call(IAM, "CreatePolicyVersion", "policy", &["req.policyArn"], &["DeletePolicyVersion"]),
    call(IAM, "DeleteUserPermissionsBoundary", "policy", USER, &["PutUserPermissionsBoundary"]),
    call(IAM, "DeleteRolePermissionsBoundary", "policy", &["req.roleName"], &["PutRolePermissionsBoundary"]),
    call("sts.amazonaws.com", "GetFederationToken", "federation", &["req.name"], &[]),
    call("signin.amazonaws.com", "GetSigninToken", "federation", &[], &[]),
    call("rolesanywhere.amazonaws.com", "CreateTrustAnchor", "roles-anywhere", &["req.name"], &["DeleteTrustAnchor"]),
    call("rolesanywhere.amazonaws.com", "CreateProfile", "roles-anywhere", &["req.name"], &["DeleteProfile"]),
    call(
        "sso.amazonaws.com",
        "CreateAccountAssignment",
        "identity-center",
        &["req.permissionSetArn", "req.principalId"],
        &["DeleteAccountAssignment"],
    ),
    call(
        "ec2.amazonaws.com",
        "RunInstances",
        "compute",
        &["req.iamInstanceProfile.name", "req.iamInstanceProfile.arn"],
        &["TerminateInstances"],
    ),
    call("lambda.amazonaws.com", "CreateFunction", "compute", &["req.functionName"], &["DeleteFunction"]),
    call("lambda.amazonaws.com", "UpdateFunctionCode", "compute", &["req.functionName"], &["DeleteFunction"]),
    call(
        "lambda.amazonaws.com",
        "AddPermission",
        "compute",
        &["req.functionName"],
        &["RemovePermission", "DeleteFunction"],
    ),
    call("lambda.amazonaws.com", "PublishLayerVersion", "compute", &["req.layerName"], &["DeleteLayerVersion"]),
    call("cloudtrail.amazonaws.com", "StopLogging", "logging", &["req.name"], &["StartLogging"]),
    call("cloudtrail.amazonaws.com", "DeleteTrail", "logging", &["req.name"], &["CreateTrail"]),
    call("cloudtrail.amazonaws.com", "PutEventSelectors", "logging", &["req.trailName"], &["PutEventSelectors"]),
    call("cloudtrail.amazonaws.com", "UpdateTrail", "logging", &["req.name"], &["UpdateTrail"]),
    call("guardduty.amazonaws.com", "DeleteDetector", "logging", &["req.detectorId"], &["CreateDetector"]),
    call("guardduty.amazonaws.com", "UpdateDetector", "logging", &["req.detectorId"], &["UpdateDetector"]),
    call(
        "config.amazonaws.com",
        "StopConfigurationRecorder",
        "logging",
        &["req.configurationRecorderName"],
        &["StartConfigurationRecorder"],
    ),
    call(
        "config.amazonaws.com",
        "DeleteConfigurationRecorder",
        "logging",
        &["req.configurationRecorderName"],
        &["PutConfigurationRecorder"],
    ),
];

/// A call that reads or moves data: its service, name, the action word the answer uses, and
/// the request fields naming the resource (the first present).
pub struct DataCall {
    pub source: &'static str,
    pub name: &'static str,
    pub action: &'static str,
    pub resource: &'static [&'static str],
}

const fn data(
    source: &'static str,
    name: &'static str,
    action: &'static str,
    resource: &'static [&'static str],
) -> DataCall {
    DataCall { source, name, action, resource }
}

const S3: &str = "s3.amazonaws.com";
const BUCKET: &[&str] = &["req.bucketName"];

pub const DATA_CALLS: &[DataCall] = &[
    data(S3, "GetObject", "read", BUCKET),
    data(S3, "PutObject", "write", BUCKET),
    data(S3, "DeleteObject", "delete", BUCKET),
    data(S3, "DeleteObjects", "delete", BUCKET),
    data(S3, "CopyObject", "copy", BUCKET),
    data(S3, "PutBucketReplication", "replicate", BUCKET),
    data("secretsmanager.amazonaws.com", "GetSecretValue", "read", &["req.secretId"]),
    data("secretsmanager.amazonaws.com", "BatchGetSecretValue", "read", &["req.secretIdList", "req.filters"]),
    data("ssm.amazonaws.com", "GetParameter", "read", &["req.name"]),
    data("ssm.amazonaws.com", "GetParameters", "read", &["req.names"]),
    data("ssm.amazonaws.com", "GetParametersByPath", "read", &["req.path"]),
    data("kms.amazonaws.com", "Decrypt", "decrypt", &["req.keyId", "resp.keyId"]),
    data("ec2.amazonaws.com", "GetPasswordData", "read", &["req.instanceId"]),
    data("ec2.amazonaws.com", "ModifySnapshotAttribute", "share", &["req.snapshotId"]),
    data("ec2.amazonaws.com", "ModifyImageAttribute", "share", &["req.imageId"]),
    data("rds.amazonaws.com", "ModifyDBSnapshotAttribute", "share", &["req.dBSnapshotIdentifier"]),
];

/// An event name without the API version some services append (Lambda's
/// `UpdateFunctionCode20150331v2`).
pub fn base_name(name: &str) -> &str {
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'v');
    match trimmed.len() {
        n if n + 8 <= name.len() && name[n..].starts_with("20") => trimmed,
        _ => name,
    }
}

pub fn persistence_call(source: &str, name: &str) -> Option<&'static PersistenceCall> {
    let name = base_name(name);
    PERSISTENCE_CALLS.iter().find(|c| c.source == source && c.name == name)
}

pub fn data_call(source: &str, name: &str) -> Option<&'static DataCall> {
    DATA_CALLS.iter().find(|c| c.source == source && c.name == name)
}

/// Whether `name` (from `source`) undoes some persistence kind: its event must be read.
pub fn is_undo(source: &str, name: &str) -> bool {
    let name = base_name(name);
    PERSISTENCE_CALLS.iter().any(|c| c.source == source && c.undone_by.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_trimmed_and_calls_found() {
        assert_eq!(base_name("UpdateFunctionCode20150331v2"), "UpdateFunctionCode");
        assert_eq!(base_name("AddPermission20150331v2"), "AddPermission");
        assert_eq!(base_name("CreateAccessKey"), "CreateAccessKey");
        assert_eq!(base_name("GetObject"), "GetObject");
        assert_eq!(
            persistence_call("lambda.amazonaws.com", "UpdateFunctionCode20150331v2").map(|c| c.kind),
            Some("compute")
        );
        assert!(is_undo("iam.amazonaws.com", "DeleteAccessKey"));
        assert_eq!(data_call("s3.amazonaws.com", "GetObject").map(|c| c.action), Some("read"));
    }
}
