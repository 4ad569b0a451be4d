//! What kind of credential a lineage node is, and the one declaration of which CloudTrail
//! calls issue temporary credentials (`Kind::from_event_name`): the loader keeps those
//! calls' details by it, the lineage links by it. Below both, so neither imports the other.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Permanent,
    GetSessionToken,
    AssumeRole,
    AssumeRoleWithSaml,
    AssumeRoleWithWebIdentity,
    GetFederationToken,
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
            Kind::Service => "service",
            Kind::Unknown => "unknown",
        }
    }

    pub fn from_event_name(name: &str) -> Option<Kind> {
        Some(match name {
            "GetSessionToken" => Kind::GetSessionToken,
            "AssumeRole" => Kind::AssumeRole,
            "AssumeRoleWithSAML" => Kind::AssumeRoleWithSaml,
            "AssumeRoleWithWebIdentity" => Kind::AssumeRoleWithWebIdentity,
            "GetFederationToken" => Kind::GetFederationToken,
            _ => return None,
        })
    }
}
