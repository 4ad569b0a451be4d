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
    pub service_delivered: bool,
}
