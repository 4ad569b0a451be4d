//! The remediation checklist: the six response steps, each verified against the logs,
//! relative to one root (the compromised permanent key).

pub mod case;
pub mod commands;
mod evaluate;
pub mod persistence;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_verdicts;
mod user_step;
pub mod whatif;

pub use evaluate::{evaluate, evaluate_at, pick_root};

use crate::time::Millis;

/// What the logs say about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Action step: the successful remediation event is in the logs.
    Done,
    /// Action step: begun, not complete (what may remain is named).
    Partial,
    /// Action step: not in the logs.
    Open,
    /// Finding step: the evidence is in the logs.
    Found,
    /// Finding step: searched, nothing found.
    Clear,
    /// Finding step whose prerequisite has not happened.
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Partial => "partial",
            Status::Open => "open",
            Status::Found => "found",
            Status::Clear => "clear",
            Status::NotApplicable => "n/a",
        }
    }
}

/// The analyst's own status for a step; it overrides the automatic one but never hides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Manual {
    #[default]
    Unset,
    InProgress,
    Done,
    Skipped,
}

impl Manual {
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            Manual::Unset => None,
            Manual::InProgress => Some("in-progress"),
            Manual::Done => Some("done"),
            Manual::Skipped => Some("skipped"),
        }
    }
    pub fn parse(s: &str) -> Manual {
        match s {
            "in-progress" => Manual::InProgress,
            "done" => Manual::Done,
            "skipped" => Manual::Skipped,
            _ => Manual::Unset,
        }
    }
    pub fn cycle(self) -> Manual {
        match self {
            Manual::Unset => Manual::InProgress,
            Manual::InProgress => Manual::Done,
            Manual::Done => Manual::Skipped,
            Manual::Skipped => Manual::Unset,
        }
    }
}

/// One piece of evidence: an event, by position in the index, and what it acted on (the
/// key, role, user or policy; empty for a call whose target the checklist does not read).
/// Who acted is the event's own principal and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub event: usize,
    pub time: Millis,
    pub what: String,
    pub target: String,
}

/// Calls counted by a finding step: successful ones are access; denied ones are attempts
/// (the attacker still trying); `failed` were allowed and failed otherwise (`NoSuchKey`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub succeeded: usize,
    pub denied: usize,
    pub failed: usize,
}

/// A further action the logs call for: role sessions minted before the user was cut off that
/// are still live, and the revocation that ends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub kind: &'static str,
    pub role: String,
    pub cutoff: Millis,
    /// The live sessions it ends (lineage nodes).
    pub sessions: Vec<usize>,
    pub command: String,
}

#[derive(Debug, Clone)]
pub struct StepResult {
    pub step: u8,
    pub title: &'static str,
    pub status: Status,
    /// One line saying what the logs show.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub commands: Vec<String>,
    /// Finding steps 2 and 4: every call by the root's descendants after the step's time.
    pub counts: Option<Counts>,
    /// Action steps: the time of the event that made the step done.
    pub done_at: Option<Millis>,
    /// A partial step: what may remain.
    pub missing: Vec<String>,
    pub follow_up: Vec<FollowUp>,
}

/// The case's anchor: the compromised permanent key and its user.
#[derive(Debug, Clone)]
pub struct Root {
    pub node: usize,
    /// The key asked for, when it was a credential below the root (an `ASIA` key resolves
    /// to the permanent key at the top of its chain).
    pub resolved_from: Option<String>,
    pub access_key_id: String,
    pub user_arn: String,
    pub user_name: String,
    pub account: String,
}

pub struct Checklist {
    pub root: Root,
    pub steps: Vec<StepResult>,
    /// The moment "still live" is judged at: the end of the logs unless asked otherwise.
    pub at: Millis,
    /// Below the steps: what the lineage planted that nothing undid, with its undo command.
    pub persistence: Vec<persistence::OpenItem>,
}

/// Titles short enough for a narrow pane.
pub const SHORT_TITLES: [&str; 6] = [
    "Key disabled",
    "Role tokens used after that",
    "Role sessions revoked",
    "New role tokens after revocation",
    "GetSessionToken token found",
    "User deleted or stripped",
];

pub const TITLES: [&str; 6] = [
    "Deactivate/delete the compromised permanent key",
    "Find continued access by role tokens after the key was disabled",
    "Revoke the role's active sessions (AWSRevokeOlderSessions)",
    "Find new role tokens minted after the revocation",
    "Discover the GetSessionToken token that mints them",
    "Delete the IAM user or remove its permissions",
];
