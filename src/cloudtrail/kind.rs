//! What kind of credential a lineage node is, and the one declaration of which CloudTrail
//! calls issue credentials (`Kind::issued_by`): the loader keeps those calls' details by
//! it, the lineage links by it. Below both, so neither imports the other.

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
        let sts = source.is_empty() || source == "sts.amazonaws.com";
        Some(match (source, name) {
            (_, "GetSessionToken") if sts => Kind::GetSessionToken,
            (_, "AssumeRole") if sts => Kind::AssumeRole,
            (_, "AssumeRoleWithSAML") if sts => Kind::AssumeRoleWithSaml,
            (_, "AssumeRoleWithWebIdentity") if sts => Kind::AssumeRoleWithWebIdentity,
            (_, "GetFederationToken") if sts => Kind::GetFederationToken,
            (_, "AssumeRoot") if sts => Kind::AssumeRoot,
            ("signin.amazonaws.com", "ConsoleLogin") => Kind::ConsoleLogin,
            ("signin.amazonaws.com", "GetSigninToken") => Kind::GetSigninToken,
            ("sso.amazonaws.com", "GetRoleCredentials") => Kind::GetRoleCredentials,
            ("rolesanywhere.amazonaws.com", "CreateSession") => Kind::CreateSession,
            ("s3express.amazonaws.com", "CreateSession") => Kind::S3ExpressCreateSession,
            ("eks-auth.amazonaws.com", "AssumeRoleForPodIdentity") => Kind::AssumeRoleForPodIdentity,
            _ => return None,
        })
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
