//! What marks a console session in CloudTrail: a successful `signin.amazonaws.com`
//! `ConsoleLogin` (`responseElements.ConsoleLogin: "Success"`) of the same principal at the
//! session's creationDate; on newer events a top-level `sessionCredentialFromConsole:
//! "true"`; and the user agents the console's calls carry.

/// True for a user agent the AWS console's own calls carry: `console.amazonaws.com`,
/// `console.<service>.amazonaws.com`, `signin.amazonaws.com`, the S3 console's
/// `[S3Console/…]`, and a browser's (`Mozilla/…`, bracketed or not: calls the console makes
/// from the page). `AWS Internal` is not one: services use it too.
pub fn is_console_user_agent(ua: &str) -> bool {
    let ua = ua.strip_prefix('[').unwrap_or(ua);
    ua == "console.amazonaws.com"
        || ua == "signin.amazonaws.com"
        || (ua.starts_with("console.") && ua.ends_with(".amazonaws.com"))
        || ua.starts_with("S3Console/")
        || ua.starts_with("Mozilla/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_agents_are_known_and_sdks_are_not() {
        for ua in [
            "console.amazonaws.com",
            "console.ec2.amazonaws.com",
            "signin.amazonaws.com",
            "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.11.666]",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36",
            "[Mozilla/5.0 (Macintosh)]",
        ] {
            assert!(is_console_user_agent(ua), "{ua}");
        }
        for ua in ["aws-cli/2.15.0 Python/3.11", "Boto3/1.34.0", "AWS Internal", "Mozilla", "", "console"] {
            assert!(!is_console_user_agent(ua), "{ua}");
        }
    }
}
