//! Reading IAM policy documents for the two facts remediation turns on:
//! "denies everything" and "denies tokens issued before T" (AWSRevokeOlderSessions).

use crate::index::detail::PolicyFacts;
use crate::time::parse_time;
use serde_json::Value;

/// Reads a policy document (a JSON string in CloudTrail). Unreadable documents say nothing.
pub fn policy_facts(doc: &str) -> PolicyFacts {
    let Ok(v) = serde_json::from_str::<Value>(doc) else {
        return PolicyFacts::default();
    };
    let statements: Vec<&Value> = match v.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    let mut facts = PolicyFacts::default();
    for s in statements {
        if s.get("Effect").and_then(Value::as_str) != Some("Deny") {
            continue;
        }
        let all = |k: &str| match s.get(k) {
            Some(Value::String(x)) => x == "*",
            Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some("*")),
            _ => false,
        };
        if !(all("Action") && all("Resource")) {
            continue;
        }
        match s.get("Condition") {
            None => facts.denies_all = true,
            Some(c) => {
                let cutoff = c.get("DateLessThan").and_then(|d| d.get("aws:TokenIssueTime")).and_then(|t| match t {
                    Value::String(x) => parse_time(x),
                    Value::Array(a) => a.iter().filter_map(|x| x.as_str()).filter_map(parse_time).max(),
                    _ => None,
                });
                if cutoff.is_some() {
                    facts.token_issue_cutoff = facts.token_issue_cutoff.max(cutoff);
                }
            }
        }
    }
    facts
}

/// The AWSRevokeOlderSessions document the IAM console writes, for a cutoff time.
pub fn revoke_older_sessions_document(cutoff_iso: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{{"DateLessThan":{{"aws:TokenIssueTime":"{cutoff_iso}"}}}}}}]}}"#
    )
}

/// A deny-all inline policy document.
pub const DENY_ALL_DOCUMENT: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoke_older_sessions_yields_its_cutoff() {
        let doc = revoke_older_sessions_document("2024-11-30T20:43:17.123Z");
        let f = policy_facts(&doc);
        assert!(!f.denies_all);
        assert_eq!(f.token_issue_cutoff, parse_time("2024-11-30T20:43:17.123Z"));
    }

    #[test]
    fn deny_all_is_recognised_and_allow_all_is_not() {
        assert!(policy_facts(DENY_ALL_DOCUMENT).denies_all);
        let allow = DENY_ALL_DOCUMENT.replace("Deny", "Allow");
        assert_eq!(policy_facts(&allow), PolicyFacts::default());
        assert_eq!(policy_facts("not json"), PolicyFacts::default());
    }
}
