//! What CloudTrail's identifiers say by their shape: access key ids (`AKIA…` permanent,
//! `ASIA…` temporary), the names IAM accepts, and the meaningful tail of an ARN.

/// True for a name IAM accepts for a user, role, group or policy: `[\w+=,.@-]{1,128}`.
/// Only such names go into a generated command; anything else is withheld.
pub fn is_iam_name(s: &str) -> bool {
    (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
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

/// True when the key id has the real shape: 20 characters, a known prefix, then capital
/// letters and digits (AWS writes base32, `A-Z2-7`; any digit is accepted).
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
    fn iam_names_are_the_characters_iam_accepts() {
        assert!(is_iam_name("support-user") && is_iam_name("a+b=c,d.e@f_g"));
        assert!(!is_iam_name("x y") && !is_iam_name("") && !is_iam_name("a\u{1b}[2J") && !is_iam_name("$(id)"));
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
