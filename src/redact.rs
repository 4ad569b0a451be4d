//! Secrets never leave tokentrail: session tokens, SAML assertions, credential ids and
//! secret keys are replaced wherever they appear in an event, at any depth.

use serde_json::Value;

const SECRET_KEYS: [&str; 6] =
    ["sessionToken", "SAMLAssertion", "samlAssertion", "credentialId", "secretAccessKey", "SecretAccessKey"];

pub const REDACTED: &str = "<redacted>";

/// Replaces every secret-bearing field's value, recursively.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if SECRET_KEYS.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String(REDACTED.into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// An event's original text as a JSON value for display: lookup-events' `CloudTrailEvent`
/// string and EventBridge's `detail` are opened up, and secrets are redacted.
pub fn display_value(raw: &str) -> Value {
    let mut v: Value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
    if let Some(Value::String(inner)) = v.get("CloudTrailEvent")
        && let Ok(parsed) = serde_json::from_str::<Value>(inner)
    {
        v["CloudTrailEvent"] = parsed;
    }
    redact(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth_and_inside_lookup_event_strings() {
        let inner =
            json!({"responseElements": {"credentials": {"accessKeyId": "ASIAX", "sessionToken": "IQoJsecret"}}});
        let raw = json!({"EventId": "1", "CloudTrailEvent": inner.to_string(),
                         "requestParameters": {"SAMLAssertion": "PHNhbWw+", "x": [{"credentialId": "c"}]}});
        let shown = display_value(&raw.to_string()).to_string();
        for secret in ["IQoJsecret", "PHNhbWw+", "\"c\""] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("ASIAX"), "key ids are not secrets");
    }
}
