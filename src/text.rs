//! Safe text for terminals and reports, and access-key id classification.
//!
//! Every string in a log is attacker-controlled: `sanitize` removes C0/C1 controls
//! (so ESC/CSI/OSC sequences lose their introducer and are shown as plain text),
//! DEL, and bidi overrides that could reorder what the analyst reads.

use std::borrow::Cow;

/// Removes control characters and bidi overrides; newlines and tabs become spaces.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' | '\t' | '\r' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// What an access key id's prefix says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// `AKIA…`: a long-term IAM user or root key.
    Permanent,
    /// `ASIA…`: a temporary STS credential.
    Temporary,
    /// Anything else: placeholders (`SAMPLE_ACCESS_KEY`, `1111`), other prefixes.
    Other,
}

/// Classifies a key id by prefix, whatever its length.
pub fn key_class(key: &str) -> KeyClass {
    if key.starts_with("AKIA") {
        KeyClass::Permanent
    } else if key.starts_with("ASIA") {
        KeyClass::Temporary
    } else {
        KeyClass::Other
    }
}

/// True when the key id has the real shape: 20 characters, `A-Z2-7`, a known prefix.
/// Documentation keys (`…EXAMPLE`) have the shape; `SAMPLE_ACCESS_KEY` does not.
pub fn is_well_formed_key(key: &str) -> bool {
    key.len() == 20
        && key_class(key) != KeyClass::Other
        && key.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b) || b.is_ascii_digit())
}

/// The last path segment of an ARN, for narrow columns: `…:assumed-role/R/s` → `R/s`.
pub fn short_arn(arn: &str) -> &str {
    let resource = arn.rsplit(':').next().unwrap_or(arn);
    match resource.split_once('/') {
        Some(("user" | "assumed-role" | "role" | "federated-user", rest)) => rest,
        _ => resource,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc_title_sequence_is_defanged() {
        let ua = "curl\u{1b}]0;pwned\u{7}/7.1\u{1b}[2J";
        let s = sanitize(ua);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
        assert_eq!(s, "curl]0;pwned/7.1[2J");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_are_removed() {
        assert_eq!(sanitize("a\u{9b}31mb\u{202e}c"), "a31mbc");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn keys_are_classified_by_prefix_and_shape() {
        assert_eq!(key_class("AKIAIOSFODNN7EXAMPLE"), KeyClass::Permanent);
        assert_eq!(key_class("ASIAWHOJDLGPOEXAMPLE"), KeyClass::Temporary);
        assert_eq!(key_class("SAMPLE_ACCESS_KEY"), KeyClass::Other);
        assert!(is_well_formed_key("ASIAWHOJDLGPOEXAMPLE"));
        assert!(!is_well_formed_key("SAMPLE_ACCESS_KEY"));
        assert!(!is_well_formed_key("1111"));
    }

    #[test]
    fn short_arn_keeps_the_meaningful_tail() {
        assert_eq!(short_arn("arn:aws:sts::1:assumed-role/MyBucketRole/s1"), "MyBucketRole/s1");
        assert_eq!(short_arn("arn:aws:iam::1:user/support-user"), "support-user");
        assert_eq!(short_arn("arn:aws:iam::1:root"), "root");
        assert_eq!(short_arn(""), "");
    }
}
