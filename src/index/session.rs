//! Credential sessions as the events name them: (access key id, creationDate, principal ARN).

use super::intern::Sym;
use crate::time::Millis;

/// The identity of one credential session. Permanent keys have no creation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub key: Sym,
    pub creation: Option<Millis>,
    pub principal: Sym,
}

/// What the events say about a session's principal (from the first event that names it).
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: SessionKey,
    pub identity_type: Sym,
    pub user_name: Sym,
    pub issuer_arn: Sym,
    pub account: Sym,
    /// `sessionContext.sourceIdentity`: the person, where a role requires it (it survives chaining).
    pub source_identity: Sym,
    /// IAM Identity Center's `onBehalfOf.userId`.
    pub on_behalf_of: Sym,
    /// What any of the session's events says of how it was delivered (see `Marks`).
    pub marks: Marks,
}

impl SessionInfo {
    /// A session no event describes (a minted key never used, a key named only by IAM calls,
    /// Identity Center's credentials): only what the caller knows is set.
    pub fn unseen(id: SessionKey, account: Sym) -> SessionInfo {
        SessionInfo {
            id,
            identity_type: Sym::NONE,
            user_name: Sym::NONE,
            issuer_arn: Sym::NONE,
            source_identity: Sym::NONE,
            on_behalf_of: Sym::NONE,
            account,
            marks: Marks::default(),
        }
    }
}

/// How a session's credentials came, as its events mark them; a session has the marks of
/// all its events (set by any one of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks(pub u8);

impl Marks {
    /// Delivered by a service, no issuing call expected (`ec2RoleDelivery`, `inScopeOf`).
    pub const SERVICE: Marks = Marks(1);
    /// EC2 instance-profile credentials (`sessionContext.ec2RoleDelivery`).
    pub const INSTANCE: Marks = Marks(2);
    /// A console session (`sessionCredentialFromConsole: "true"`).
    pub const CONSOLE: Marks = Marks(4);

    pub fn has(self, m: Marks) -> bool {
        self.0 & m.0 == m.0 && m.0 != 0
    }

    pub fn with(self, m: Marks) -> Marks {
        Marks(self.0 | m.0)
    }
}
