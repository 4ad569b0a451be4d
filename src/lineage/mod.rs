//! Credential lineage: which credential session minted which.
//!
//! Nodes are credential sessions (access key id, creationDate, principal ARN), so a recycled
//! `ASIA` id becomes two nodes. Edges come from issuing events: parent = the caller's session,
//! child = the session of `responseElements.credentials.accessKeyId`, or, failing that, the
//! session whose ARN and creationDate match the issued principal and the event time.

mod all_used;
mod build;
pub mod key_state;
mod query;
pub mod sources;
pub mod suspects;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_kinds;

pub use crate::cloudtrail::kind::Kind;
pub use query::UsableAt;

use crate::index::addr::Addr;
use crate::index::intern::Sym;
use crate::time::Millis;

/// How an edge was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Key,
    ArnCreationDate,
    /// A console sign-in: the session of the signed-in principal created at its second.
    ConsoleLogin,
    /// An `AWSReservedSSO_` role session joined to Identity Center's `GetRoleCredentials`.
    SsoBridge,
}

impl Match {
    pub fn as_str(self) -> &'static str {
        match self {
            Match::Key => "key",
            Match::ArnCreationDate => "arn+creationDate",
            Match::ConsoleLogin => "console-login",
            Match::SsoBridge => "sso-bridge",
        }
    }
}

/// Oddities found while linking, kept so that analysts see them rather than a silent guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// The issuing event's caller key is the key it returned.
    SelfIssued,
    /// STS returned an `AKIA` id (documentation quirk or placeholder).
    PermanentKeyFromSts,
    /// The key id is not a well-formed access key id.
    PlaceholderKey,
    /// Linking would have made a cycle; the edge was not made.
    CycleRefused,
    /// More than one issuing event names this session; the closest was kept.
    ContestedIssuer,
    /// A temporary key used as `IAMUser`: the signature of a GetSessionToken token.
    SessionTokenShape,
    /// The issuing event is not in the loaded logs.
    IssuerNotInLogs,
    /// A console session known by its user agents alone (no sign-in event in the logs).
    ConsoleByUserAgent,
    /// Linked to Identity Center's GetRoleCredentials by user, account, permission set and
    /// time: the two events share no key.
    SsoBridge,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::SelfIssued => "self-issued: the issuing call was signed by the key it returned",
            Flag::PermanentKeyFromSts => "STS response names a permanent-style (AKIA) key id",
            Flag::PlaceholderKey => "not a well-formed access key id (placeholder?)",
            Flag::CycleRefused => "link refused: it would make a cycle",
            Flag::ContestedIssuer => "several issuing events match; the closest in time was kept",
            Flag::SessionTokenShape => "temporary key used as IAMUser (GetSessionToken token)",
            Flag::IssuerNotInLogs => "issuer not in the loaded logs",
            Flag::ConsoleByUserAgent => "console session: every call carries a console user agent",
            Flag::SsoBridge => {
                "linked to Identity Center's GetRoleCredentials by account, permission set and time (no shared key)"
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub key: Sym,
    pub principal: Sym,
    pub creation: Option<Millis>,
    pub kind: Kind,
    pub identity_type: Sym,
    pub user_name: Sym,
    /// The role (or user) the session belongs to: `sessionIssuer.arn`, or the role requested.
    pub role_arn: Sym,
    pub account: Sym,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Position in `Index::events` of the issuing event.
    pub issuing_event: Option<usize>,
    pub matched: Option<Match>,
    pub issued_at: Option<Millis>,
    pub expires_at: Option<Millis>,
    pub first_use: Option<Millis>,
    pub last_use: Option<Millis>,
    pub event_count: usize,
    pub error_count: usize,
    /// The first `index::usage::MAX_DISTINCT` distinct addresses and agents its calls used
    /// (whether it used another: `all_used`).
    pub ips: Vec<Addr>,
    pub user_agents: Vec<Sym>,
    /// Failed issuing calls made by this session (event positions).
    pub attempts: Vec<usize>,
    pub flags: Vec<Flag>,
    /// `Index::sessions` position; None for a minted key never used in the logs.
    pub session: Option<usize>,
    /// The key the issuing event named, when the session's events name another (or none).
    pub issued_key: Sym,
    /// The person the issuing call names (EKS Pod Identity's service account, Identity
    /// Center's user id).
    pub issued_person: Sym,
    /// The person behind the credential, resolved along the chain (nearest source first).
    pub human: Option<String>,
    pub human_source: Option<HumanSource>,
    /// A permanent key created by `CreateAccessKey`: the credential that created it. The key
    /// stays a root of its own (its user's); this links it to the lineage that planted it.
    pub created_by: Option<usize>,
}

/// Where a node's person came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HumanSource {
    /// `sessionContext.sourceIdentity` (a role requiring it; kept through chaining).
    SourceIdentity,
    /// IAM Identity Center's `onBehalfOf.userId`.
    IdentityCenter,
    /// EKS Pod Identity: the pod's Kubernetes service account.
    PodServiceAccount,
    /// The IAM user (the signer's ARN or `userName`).
    IamUser,
    /// The account's root user.
    Root,
    /// A role session named by an e-mail address (SAML/OIDC federation, Identity Center).
    SessionName,
}

impl HumanSource {
    pub fn as_str(self) -> &'static str {
        match self {
            HumanSource::SourceIdentity => "source-identity",
            HumanSource::IdentityCenter => "identity-center",
            HumanSource::PodServiceAccount => "pod-service-account",
            HumanSource::IamUser => "iam-user",
            HumanSource::Root => "root",
            HumanSource::SessionName => "session-name",
        }
    }
}

impl Node {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }
}

pub struct Lineage {
    pub nodes: Vec<Node>,
    /// Each permanent key's status over time.
    pub key_states: key_state::KeyStates,
    /// Node per `Index::sessions` position.
    pub node_of_session: Vec<usize>,
}
