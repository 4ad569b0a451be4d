//! The remediation checklist: the six response steps, each verified against the logs,
//! relative to one root (the compromised permanent key).

pub mod case;
pub mod commands;
mod evaluate;
#[cfg(test)]
mod tests;
pub mod whatif;

pub use evaluate::{evaluate, pick_root};

use crate::time::Millis;

/// What the logs say about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Action step: the successful remediation event is in the logs.
    Done,
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

/// One piece of evidence: an event, by position in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub event: usize,
    pub time: Millis,
    pub what: String,
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
}

/// The case's anchor: the compromised permanent key and its user.
#[derive(Debug, Clone)]
pub struct Root {
    pub node: usize,
    pub access_key_id: String,
    pub user_arn: String,
    pub user_name: String,
    pub account: String,
}

pub struct Checklist {
    pub root: Root,
    pub steps: Vec<StepResult>,
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
