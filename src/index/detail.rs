//! Facts kept only for the few events the lineage and checklist read closely:
//! credential issuance (STS) and identity changes (IAM).

use super::intern::Sym;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// An STS call that returns (or, failing, would have returned) credentials.
    Issue(Issue),
    /// An IAM call the remediation checklist looks for.
    Iam(IamChange),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issue {
    pub child_key: Sym,
    /// `assumedRoleUser.arn` / `federatedUser.arn`; empty for GetSessionToken.
    pub child_arn: Sym,
    pub expires: Option<Millis>,
    pub role_arn: Sym,
    pub shared_event_id: Sym,
    /// The person the issuing call names: EKS Pod Identity's service account
    /// (`system:serviceaccount:<ns>:<sa>`), Identity Center's `onBehalfOf.userId`.
    pub person: Sym,
    /// Identity Center's `GetRoleCredentials`: the member account the credentials are for.
    pub target_account: Sym,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IamChange {
    pub user_name: Sym,
    pub access_key_id: Sym,
    pub status: Sym,
    pub role_name: Sym,
    pub policy_name: Sym,
    pub policy_arn: Sym,
    pub group_name: Sym,
    pub policy: PolicyFacts,
}

/// What the checklist needs to know of an inline policy document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyFacts {
    /// A `Deny` of `*` on `*` without conditions.
    pub denies_all: bool,
    /// The `aws:TokenIssueTime` cutoff of a `DateLessThan` deny (AWSRevokeOlderSessions).
    pub token_issue_cutoff: Option<Millis>,
}

impl Detail {
    pub fn remap(&mut self, t: &[Sym]) {
        let m = |s: &mut Sym| *s = t.get(s.0 as usize).copied().unwrap_or(Sym::NONE);
        match self {
            Detail::Issue(i) => {
                for s in [
                    &mut i.child_key,
                    &mut i.child_arn,
                    &mut i.role_arn,
                    &mut i.shared_event_id,
                    &mut i.person,
                    &mut i.target_account,
                ] {
                    m(s);
                }
            }
            Detail::Iam(c) => {
                for s in [
                    &mut c.user_name,
                    &mut c.access_key_id,
                    &mut c.status,
                    &mut c.role_name,
                    &mut c.policy_name,
                    &mut c.policy_arn,
                    &mut c.group_name,
                ] {
                    m(s);
                }
            }
        }
    }
}
