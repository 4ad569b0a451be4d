//! How varied a generated corpus's fields are, and how its files are written (issue 18).
//!
//! Real CloudTrail has high-cardinality fields: S3 data events and internet-facing calls
//! come from huge numbers of addresses (a large share of events carry an address seen once);
//! `userAgent` carries SDK, OS and version strings in thousands of variants; files are written
//! with CloudTrail's own key order (`eventVersion, userIdentity, eventTime, eventSource, …`)
//! and no order among records. The generator's own noise has 6 addresses, 6 agents and
//! serde's alphabetical keys: `Shape::LOW`. `REALISTIC` and `ADVERSARIAL` are what the
//! loader must hold up against.

use super::Generated;
use super::build::Rng;
use serde_json::Value;

/// How many distinct values a field takes over a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// As the generator's actors have them (a handful).
    AsGenerated,
    /// Drawn from a pool of this many, skewed (a few common, a long tail).
    Pool(usize),
    /// Every event its own.
    Unique,
    /// A heavy tail: `unique_pct` % of events have a value seen once, the rest a skewed pool.
    Tail { unique_pct: u64, pool: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub ips: Cardinality,
    pub agents: Cardinality,
    /// Keys in CloudTrail's order (else serde's alphabetical order).
    pub cloudtrail_order: bool,
    /// Records shuffled within each file (else rotated, as before).
    pub shuffle: bool,
}

impl Shape {
    /// The generator as it was: 6 addresses, 6 agents, alphabetical keys.
    pub const LOW: Shape = Shape {
        ips: Cardinality::AsGenerated,
        agents: Cardinality::AsGenerated,
        cloudtrail_order: false,
        shuffle: false,
    };
    /// A real account's spread: 60 % of events from an address seen once, the rest from a
    /// skewed pool of 10,000; 2,000 user-agent variants; CloudTrail's key order; shuffled files.
    pub const REALISTIC: Shape = Shape {
        ips: Cardinality::Tail { unique_pct: 60, pool: 10_000 },
        agents: Cardinality::Pool(2_000),
        cloudtrail_order: true,
        shuffle: true,
    };
    /// Every address and every user agent unique (~80 characters each).
    pub const ADVERSARIAL: Shape =
        Shape { ips: Cardinality::Unique, agents: Cardinality::Unique, cloudtrail_order: true, shuffle: true };

    /// The same shape with another user-agent cardinality.
    pub fn with_agents(self, agents: Cardinality) -> Shape {
        Shape { agents, ..self }
    }

    pub fn named(name: &str) -> Option<Shape> {
        Some(match name {
            "low" => Shape::LOW,
            "realistic" => Shape::REALISTIC,
            "adversarial" => Shape::ADVERSARIAL,
            _ => return None,
        })
    }

    /// Rewrites one event's source address and user agent as the shape says (`n`: the
    /// event's number in the corpus, so that unique values never repeat).
    pub fn apply(&self, rng: &mut Rng, n: u64, g: &mut Generated) {
        let service_caller = g.event["sourceIPAddress"].as_str().is_some_and(|s| s.ends_with(".amazonaws.com"));
        if !service_caller && let Some(ip) = pick(rng, n, self.ips, ip_of) {
            g.event["sourceIPAddress"] = Value::String(ip);
        }
        if !service_caller && let Some(ua) = pick(rng, n, self.agents, agent_of) {
            g.event["userAgent"] = Value::String(ua);
        }
    }
}

fn pick(rng: &mut Rng, n: u64, c: Cardinality, make: fn(u64) -> String) -> Option<String> {
    // Skewed: the product of two uniform draws favours small numbers (a few common values).
    let skewed = |rng: &mut Rng, pool: usize| {
        let p = pool.max(1) as u64;
        rng.below(p) * rng.below(p) / p
    };
    match c {
        Cardinality::AsGenerated => None,
        Cardinality::Unique => Some(make(1_000_000 + n)),
        Cardinality::Pool(pool) => Some(make(skewed(rng, pool))),
        Cardinality::Tail { unique_pct, pool } => {
            if rng.below(100) < unique_pct {
                Some(make(1_000_000 + n))
            } else {
                Some(make(skewed(rng, pool)))
            }
        }
    }
}

/// The `i`-th address: public-looking IPv4 addresses, spread over the space.
fn ip_of(i: u64) -> String {
    let x = i.wrapping_mul(2_654_435_761) ^ (i >> 7);
    format!("{}.{}.{}.{}", 11 + (x >> 24) % 200, (x >> 16) & 255, (x >> 8) & 255, 1 + (x & 255) % 254)
}

/// The `i`-th user agent: SDK, language, OS and version strings as real callers send them.
fn agent_of(i: u64) -> String {
    const SDKS: [&str; 6] =
        ["aws-cli/2", "Boto3/1", "aws-sdk-go-v2/1", "aws-sdk-java/2", "aws-sdk-js/3", "terraform/1"];
    let sdk = SDKS[(i % 6) as usize];
    format!(
        "{sdk}.{}.{} md/Botocore#1.{}.{} ua/2.0 os/linux#{}.{}.0-{}-generic md/arch#x86_64 lang/python#3.{}.{}",
        i % 40,
        (i / 40) % 90,
        (i / 7) % 40,
        (i / 11) % 60,
        4 + i % 3,
        (i / 3) % 20,
        1000 + i % 9000,
        9 + i % 4,
        i % 15
    )
}

/// CloudTrail's key order for a record (the rest follow, alphabetically).
const RECORD_ORDER: [&str; 24] = [
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "sharedEventID",
    "eventCategory",
    "tlsDetails",
];

/// CloudTrail's key order for `userIdentity`.
const IDENTITY_ORDER: [&str; 8] =
    ["type", "principalId", "arn", "accountId", "accessKeyId", "userName", "sessionContext", "invokedBy"];

/// `{"Records": [...]}` with each record's keys in CloudTrail's order.
pub fn records_in_cloudtrail_order(records: &[Value]) -> String {
    let mut out = String::from("{\"Records\":[");
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_ordered(r, &RECORD_ORDER, &mut out, true);
    }
    out.push_str("]}");
    out
}

fn write_ordered(v: &Value, order: &[&str], out: &mut String, top: bool) {
    let Value::Object(map) = v else {
        out.push_str(&v.to_string());
        return;
    };
    out.push('{');
    let mut first = true;
    let known = order.iter().filter(|k| map.contains_key(**k)).copied();
    let rest = map.keys().map(String::as_str).filter(|k| !order.contains(k));
    for k in known.chain(rest) {
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        out.push_str(&Value::String(k.to_string()).to_string());
        out.push(':');
        match (top, k) {
            (true, "userIdentity") => write_ordered(&map[k], &IDENTITY_ORDER, out, false),
            _ => out.push_str(&map[k].to_string()),
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_cloudtrail_key_order_and_the_same_value() {
        let r = serde_json::json!({"awsRegion": "us-east-1", "eventVersion": "1.09", "zeta": 1,
            "userIdentity": {"arn": "a", "type": "IAMUser"}, "eventTime": "2024-01-01T00:00:00Z"});
        let text = records_in_cloudtrail_order(std::slice::from_ref(&r));
        assert!(
            text.starts_with(
                r#"{"Records":[{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"a"},"eventTime""#
            ),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(back["Records"][0], r);
    }

    #[test]
    fn shapes_give_the_cardinality_they_name() {
        let mut rng = Rng::new(1);
        let distinct = |c: Cardinality, rng: &mut Rng| {
            let v: std::collections::HashSet<String> = (0..10_000).filter_map(|n| pick(rng, n, c, ip_of)).collect();
            v.len()
        };
        assert_eq!(distinct(Cardinality::Unique, &mut rng), 10_000);
        assert!(distinct(Cardinality::Pool(100), &mut rng) <= 100);
        let tail = distinct(Cardinality::Tail { unique_pct: 60, pool: 10_000 }, &mut rng);
        assert!((6_000..9_000).contains(&tail), "{tail}");
        assert!(agent_of(7).len() > 60);
    }
}
