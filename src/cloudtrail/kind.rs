//! What kind of credential a lineage node is, and the one declaration of which CloudTrail
//! calls issue credentials (`ISSUING_CALLS`, read through `Kind::issued_by`): the loader
//! keeps those calls' details by it, the lineage links by it, the closure SQL follows it.

const STS: &str = "sts.amazonaws.com";

/// A call that issues credentials: its event source and name, what it issues, and where
/// its response names the new key (None: it names none, the session is joined otherwise).
#[derive(Debug, Clone, Copy)]
pub struct IssuingCall {
    pub source: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    /// JSON paths below `responseElements` that name the issued key, first found wins.
    pub key_paths: &'static [&'static str],
}

const CREDENTIALS: &[&str] = &["$.credentials.accessKeyId"];

/// Every call that issues credentials, declared once: the loader keeps their details, the
/// lineage links by them, the closure SQL follows them.
pub const ISSUING_CALLS: &[IssuingCall] = &[
    IssuingCall { source: STS, name: "GetSessionToken", kind: Kind::GetSessionToken, key_paths: CREDENTIALS },
    IssuingCall { source: STS, name: "AssumeRole", kind: Kind::AssumeRole, key_paths: CREDENTIALS },
    IssuingCall { source: STS, name: "AssumeRoleWithSAML", kind: Kind::AssumeRoleWithSaml, key_paths: CREDENTIALS },
    IssuingCall {
        source: STS,
        name: "AssumeRoleWithWebIdentity",
        kind: Kind::AssumeRoleWithWebIdentity,
        key_paths: CREDENTIALS,
    },
    IssuingCall { source: STS, name: "GetFederationToken", kind: Kind::GetFederationToken, key_paths: CREDENTIALS },
    IssuingCall { source: STS, name: "AssumeRoot", kind: Kind::AssumeRoot, key_paths: CREDENTIALS },
    IssuingCall { source: "signin.amazonaws.com", name: "ConsoleLogin", kind: Kind::ConsoleLogin, key_paths: &[] },
    IssuingCall { source: "signin.amazonaws.com", name: "GetSigninToken", kind: Kind::GetSigninToken, key_paths: &[] },
    IssuingCall {
        source: "sso.amazonaws.com",
        name: "GetRoleCredentials",
        kind: Kind::GetRoleCredentials,
        key_paths: &[],
    },
    IssuingCall {
        source: "rolesanywhere.amazonaws.com",
        name: "CreateSession",
        kind: Kind::CreateSession,
        key_paths: &["$.credentialSet[0].credentials.accessKeyId"],
    },
    IssuingCall {
        source: "s3express.amazonaws.com",
        name: "CreateSession",
        kind: Kind::S3ExpressCreateSession,
        key_paths: CREDENTIALS,
    },
    IssuingCall {
        source: "eks-auth.amazonaws.com",
        name: "AssumeRoleForPodIdentity",
        kind: Kind::AssumeRoleForPodIdentity,
        key_paths: CREDENTIALS,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Permanent,
    GetSessionToken,
    AssumeRole,
    AssumeRoleWithSaml,
    AssumeRoleWithWebIdentity,
    GetFederationToken,
    /// A console session: `signin.amazonaws.com` `ConsoleLogin` (no key is logged: linked
    /// by ARN and creationDate), or a session the events mark as the console's.
    ConsoleLogin,
    /// A console session minted from CLI credentials (`GetSigninToken`, the `aws_consoler` pivot).
    GetSigninToken,
    /// IAM Identity Center's `sso.amazonaws.com` `GetRoleCredentials`.
    GetRoleCredentials,
    /// `sts:AssumeRoot`: a root session in a member account.
    AssumeRoot,
    /// IAM Roles Anywhere's `rolesanywhere.amazonaws.com` `CreateSession`.
    CreateSession,
    /// S3 Express One Zone's `s3express.amazonaws.com` `CreateSession`: a bucket-scoped leaf.
    S3ExpressCreateSession,
    /// EKS Pod Identity's `eks-auth.amazonaws.com` `AssumeRoleForPodIdentity`.
    AssumeRoleForPodIdentity,
    /// EC2 instance-profile credentials, delivered by the service (no issuing event).
    Instance,
    /// Other service-delivered credentials (Lambda, AWSService callers).
    Service,
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Permanent => "permanent",
            Kind::GetSessionToken => "GetSessionToken",
            Kind::AssumeRole => "AssumeRole",
            Kind::AssumeRoleWithSaml => "AssumeRoleWithSAML",
            Kind::AssumeRoleWithWebIdentity => "AssumeRoleWithWebIdentity",
            Kind::GetFederationToken => "GetFederationToken",
            Kind::ConsoleLogin => "ConsoleLogin",
            Kind::GetSigninToken => "GetSigninToken",
            Kind::GetRoleCredentials => "GetRoleCredentials",
            Kind::AssumeRoot => "AssumeRoot",
            Kind::CreateSession => "CreateSession",
            Kind::S3ExpressCreateSession => "S3ExpressCreateSession",
            Kind::AssumeRoleForPodIdentity => "AssumeRoleForPodIdentity",
            Kind::Instance => "instance",
            Kind::Service => "service",
            Kind::Unknown => "unknown",
        }
    }

    /// The kind of credential a call issues, by its event source and name; None for a
    /// call that issues none. (`CreateSession` is two calls: Roles Anywhere's and S3
    /// Express's; an empty source is taken as STS, as documentation examples often omit it.)
    pub fn issued_by(source: &str, name: &str) -> Option<Kind> {
        let source = if source.is_empty() { STS } else { source };
        ISSUING_CALLS.iter().find(|c| c.source == source && c.name == name).map(|c| c.kind)
    }

    /// Sessions that are what their kind says, routinely: not suspects for being it.
    pub fn is_routine(self) -> bool {
        matches!(self, Kind::ConsoleLogin | Kind::Instance | Kind::Service | Kind::S3ExpressCreateSession)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuing_calls_are_known_by_source_and_name() {
        assert_eq!(Kind::issued_by("sts.amazonaws.com", "AssumeRole"), Some(Kind::AssumeRole));
        assert_eq!(Kind::issued_by("", "GetSessionToken"), Some(Kind::GetSessionToken));
        assert_eq!(Kind::issued_by("s3express.amazonaws.com", "CreateSession"), Some(Kind::S3ExpressCreateSession));
        assert_eq!(Kind::issued_by("rolesanywhere.amazonaws.com", "CreateSession"), Some(Kind::CreateSession));
        assert_eq!(Kind::issued_by("signin.amazonaws.com", "ConsoleLogin"), Some(Kind::ConsoleLogin));
        assert_eq!(Kind::issued_by("iam.amazonaws.com", "AssumeRole"), None);
        assert_eq!(Kind::issued_by("s3.amazonaws.com", "GetObject"), None);
    }
}
