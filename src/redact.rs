//! Secrets never leave tokentrail: session tokens, secret keys, SAML assertions and
//! credential ids are replaced wherever they appear in an event, at any depth, in every
//! envelope the loader opens (`cloudtrail::envelope::Envelope`, each of which the tests
//! wrap a secret-bearing event in).
//!
//! Three nets, because every field is attacker-controlled and envelopes vary:
//! - a key naming a secret, whatever its case or separators (`sessionToken`, `SessionToken`,
//!   `sessiontoken`, `session_token`, `x-amz-security-token`, …);
//! - JSON held in a string, at any depth, opened and redacted by the same rules;
//! - a string that holds an STS session token, whatever its key (tokens begin with a few
//!   known base64 prefixes).

use crate::cloudtrail::envelope::Envelope;
// JSON read as the loader reads it (a lone surrogate escape is U+FFFD): an unparsed record
// would be shown, and redacted, as one string.
use crate::json::parse_value;
use serde_json::Value;

pub const REDACTED: &str = "<redacted>";

/// What a secret-bearing key contains once lower-cased with `_` and `-` removed.
const SECRET_KEY_PARTS: [&str; 6] =
    ["sessiontoken", "securitytoken", "secretaccesskey", "samlassertion", "samlresponse", "credentialid"];

/// How STS session tokens begin (base64 of their binary header), old and new formats
/// (`IQoJb3JpZ2luX2Vj…` begins with the first).
const TOKEN_PREFIXES: [&str; 4] = ["IQoJb3JpZ2lu", "FwoGZXIvYXdz", "FQoGZXIvYXdz", "AQoDYXdzE"];
const SHORTEST_TOKEN_PREFIX: usize = 9;

/// Nested JSON strings are opened this deep at most (each level is attacker-written).
const MAX_DEPTH: u8 = 16;

/// True when a field of this name holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    // Folded into a buffer on the stack: every key of every event shown passes here.
    let mut buf = [0u8; 64];
    let mut n = 0;
    for b in key.bytes().filter(|b| !matches!(b, b'_' | b'-' | b' ')) {
        if n == buf.len() {
            let folded: String =
                key.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).map(|c| c.to_ascii_lowercase()).collect();
            return SECRET_KEY_PARTS.iter().any(|p| folded.contains(p));
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let folded = &buf[..n];
    SECRET_KEY_PARTS.iter().any(|p| folded.len() >= p.len() && memchr::memmem::find(folded, p.as_bytes()).is_some())
}

fn holds_token(s: &str) -> bool {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| TOKEN_PREFIXES.iter().map(|p| memchr::memmem::Finder::new(p.as_bytes())).collect());
    s.len() >= SHORTEST_TOKEN_PREFIX && FINDERS.iter().any(|f| f.find(s.as_bytes()).is_some())
}

/// Replaces every secret-bearing value, recursively, inside JSON strings too.
pub fn redact(v: &mut Value) {
    redact_at(v, 0);
}

/// Returns whether anything was replaced.
fn redact_at(v: &mut Value, depth: u8) -> bool {
    match v {
        Value::Object(map) => {
            // A token used as a key (nothing AWS writes, but anything an attacker can):
            // the key itself is replaced.
            let mut changed = false;
            if map.keys().any(|k| holds_token(k)) {
                let old = std::mem::take(map);
                for (i, (k, v)) in old.into_iter().enumerate() {
                    let k = if holds_token(&k) { format!("{REDACTED}#{i}") } else { k };
                    map.insert(k, v);
                }
                changed = true;
            }
            for (k, val) in map.iter_mut() {
                if is_secret_key(k) && !val.is_null() && val.as_str() != Some(REDACTED) {
                    *val = Value::String(REDACTED.into());
                    changed = true;
                } else {
                    changed |= redact_at(val, depth);
                }
            }
            changed
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, item| redact_at(item, depth) | c),
        Value::String(s) => {
            if let Some(mut inner) = embedded_json(s).filter(|_| depth < MAX_DEPTH)
                && redact_at(&mut inner, depth + 1)
            {
                *s = inner.to_string();
                return true;
            }
            if holds_token(s) {
                *s = REDACTED.into();
                return true;
            }
            false
        }
        _ => false,
    }
}

/// The JSON object or array a string holds, if it holds one.
fn embedded_json(s: &str) -> Option<Value> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    parse_value(t).filter(|v| v.is_object() || v.is_array())
}

/// Redacts secrets in free text that is not JSON (a value shown or copied on its own).
pub fn redact_text(s: &str) -> std::borrow::Cow<'_, str> {
    let mut v = Value::String(s.to_string());
    if redact_at(&mut v, 0) {
        std::borrow::Cow::Owned(v.as_str().unwrap_or(REDACTED).to_string())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An event's original text as a JSON value for display: the JSON strings of every
/// envelope (lookup-events' `CloudTrailEvent`, a query row's `requestparameters` and
/// `responseelements`: `Envelope::json_string_keys`) are opened up, other JSON strings stay
/// strings (redacted inside), and secrets are redacted. Text that is not JSON is shown as
/// one string, redacted too.
pub fn display_value(raw: &str) -> Value {
    let mut v = opened(raw);
    redact(&mut v);
    v
}

/// `display_value` before redaction.
fn opened(raw: &str) -> Value {
    let mut v: Value = parse_value(raw).unwrap_or_else(|| Value::String(raw.to_string()));
    if let Value::Object(map) = &mut v {
        for key in Envelope::ALL.iter().flat_map(|e| e.json_string_keys()) {
            if let Some(Value::String(inner)) = map.get(*key)
                && let Some(parsed) = parse_value(inner).filter(|p| p.is_object() || p.is_array())
            {
                map.insert(key.to_string(), parsed);
            }
        }
    }
    v
}

/// The CloudTrail event inside a record as `display_value` shows it (redacted): the record
/// itself, or the object an envelope holds it in (EventBridge's `detail`, lookup-events'
/// `CloudTrailEvent`, CloudWatch Logs' `message`).
pub fn event_value(raw: &str) -> Value {
    let mut v = opened_event(raw);
    redact(&mut v);
    v
}

/// `event_value` before redaction. Whoever takes parts of it redacts each part with
/// `redact_part`, which replaces what redacting the whole would have.
pub fn opened_event(raw: &str) -> Value {
    let mut shown = opened(raw);
    for k in Envelope::ALL.iter().filter_map(|e| e.event_holder()) {
        if let Some(inner) = shown.get_mut(k).filter(|i| i.is_object()) {
            return std::mem::take(inner);
        }
    }
    shown
}

/// A part of an opened event, found through the keys `path`, as redacting the whole would
/// leave it: gone when a key above it named a secret (that key's value was replaced),
/// replaced when its own key does, else redacted inside.
pub fn redact_part(path: &[&str], mut part: Value) -> Option<Value> {
    let (last, above) = path.split_last()?;
    if above.iter().any(|k| is_secret_key(k)) {
        return None;
    }
    if is_secret_key(last) && !part.is_null() {
        return Some(Value::String(REDACTED.into()));
    }
    redact(&mut part);
    Some(part)
}

/// A value at a dotted path (`requestParameters.userName`), each key matched in any case
/// (query rows write `requestparameters`).
pub fn value_at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(v, |v, k| v.as_object()?.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRETS: [&str; 4] = ["IQoJsecret", "PHNhbWw+", "\"c\"", "wJalrXUtnFEMI"];

    fn assert_clean(shown: &str) {
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
    }

    #[test]
    fn secrets_are_redacted_at_any_depth_and_inside_lookup_event_strings() {
        let inner =
            json!({"responseElements": {"credentials": {"accessKeyId": "ASIAX", "sessionToken": "IQoJsecret"}}});
        let raw = json!({"EventId": "1", "CloudTrailEvent": inner.to_string(),
                         "requestParameters": {"SAMLAssertion": "PHNhbWw+", "x": [{"credentialId": "c"}]}});
        let shown = display_value(&raw.to_string()).to_string();
        assert_clean(&shown);
        assert!(shown.contains("ASIAX"), "key ids are not secrets");
    }

    #[test]
    fn every_spelling_of_a_secret_key_is_redacted() {
        for k in [
            "sessionToken",
            "SessionToken",
            "sessiontoken",
            "session_token",
            "SESSION-TOKEN",
            "secretAccessKey",
            "SecretAccessKey",
            "aws_secret_access_key",
            "x-amz-security-token",
            "SAMLAssertion",
            "samlResponse",
            "credentialId",
        ] {
            let shown = display_value(&json!({"a": {k: "wJalrXUtnFEMI"}}).to_string()).to_string();
            assert_clean(&shown);
        }
        assert!(!is_secret_key("accessKeyId") && !is_secret_key("sessionName") && !is_secret_key("userName"));
    }

    /// Every envelope the loader opens (`Envelope::ALL`): the same secrets, each shown redacted.
    #[test]
    fn every_envelope_the_loader_opens_is_redacted() {
        let resp = json!({"credentials": {"accessKeyId": "ASIAX", "sessionToken": "IQoJsecret",
                          "secretAccessKey": "wJalrXUtnFEMI"}});
        let req = json!({"SAMLAssertion": "PHNhbWw+", "credentialId": "c"});
        let event = json!({"eventTime": "2024-01-01T00:00:00Z", "eventName": "AssumeRole",
                           "eventID": "11111111-2222-4333-8444-555555555555",
                           "requestParameters": req, "responseElements": resp});
        let mut docs: Vec<String> = Envelope::ALL.iter().map(|e| e.wrap(&event).to_string()).collect();
        // A string inside a string inside a string.
        docs.push(
            json!({"eventtime": "2024-01-01T00:00:00Z", "eventname": "X", "responseelements":
                   json!({"wrapped": resp.to_string()}).to_string()})
            .to_string(),
        );
        for doc in docs {
            let ix = crate::loader::load_docs(&[&doc]);
            assert_eq!(ix.events.len(), 1, "the loader reads {doc}");
            for e in &ix.events {
                let raw = ix.raw_text(e).expect("raw text");
                let shown = display_value(&raw).to_string();
                assert_clean(&shown);
                assert!(shown.contains("ASIAX"), "the envelope is opened: {shown}");
            }
        }
    }

    /// The loader reads a record with a lone surrogate escape (as U+FFFD); the detail view
    /// must open it the same way, or the record is one string that no key rule reaches.
    #[test]
    fn a_record_with_a_lone_surrogate_is_redacted_like_any_other() {
        let raw =
            r#"{"eventName": "x\ud800", "responseElements": {"credentials": {"secretAccessKey": "wJalrXUtnFEMI"}}}"#;
        let ix = crate::loader::load_docs(&[raw
            .replace("\"x\\ud800\"", "\"x\\ud800\", \"eventTime\": \"2024-01-01T00:00:00Z\"")
            .as_str()]);
        assert_eq!(ix.events.len(), 1, "the loader reads it");
        let shown = display_value(&ix.raw_text(&ix.events[0]).expect("raw")).to_string();
        assert_clean(&shown);
        assert!(shown.contains('\u{fffd}'), "{shown}");
    }

    #[test]
    fn a_session_token_under_any_key_or_in_free_text_is_redacted() {
        let shown = display_value(r#"{"note": "token IQoJb3JpZ2luX2VjEJr…", "ok": "plain"}"#).to_string();
        assert!(!shown.contains("IQoJb3JpZ2lu") && shown.contains("plain"), "{shown}");
        assert_eq!(redact_text("FwoGZXIvYXdzEXAMPLE"), REDACTED);
        assert_eq!(redact_text("plain"), "plain");
        assert!(!display_value("not json IQoJb3JpZ2luX2Vj").to_string().contains("IQoJ"));
        // Found by the fuzzer: a token inside a key name.
        let shown = display_value(r#"{"a": {"sessIQoJb3JpZ2luXvents": "x"}}"#).to_string();
        assert!(!shown.contains("IQoJb3JpZ2lu"), "{shown}");
    }
}
