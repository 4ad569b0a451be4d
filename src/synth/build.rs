//! Building blocks: a seeded RNG, actors (who signs) and calls (what they do).

use super::Generated;
use crate::time::format_time;
use serde_json::{Value, json};

/// splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        let v = (u128::from(a) << 64) | u128::from(b);
        let v = (v & !(0xF << 76)) | (0x4 << 76); // version 4
        let v = (v & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
        let h = format!("{v:032x}");
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }
    /// A well-formed access key id with the given prefix.
    pub fn key(&mut self, prefix: &str) -> String {
        const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = prefix.to_string();
        while s.len() < 20 {
            s.push(ALPHA[self.below(32) as usize] as char);
        }
        s
    }
    /// A session token of realistic size (350–800 characters of base64).
    pub fn token(&mut self) -> String {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let n = 350 + self.below(451) as usize;
        let mut s = String::from("IQoJb3JpZ2luX2Vj");
        while s.len() < n {
            s.push(B64[self.below(64) as usize] as char);
        }
        s
    }
    pub fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0')).collect()
    }
}

/// Who signs a call: the `userIdentity` block, plus where they call from.
#[derive(Debug, Clone)]
pub struct Actor {
    pub identity: Value,
    pub ip: String,
    pub user_agent: String,
    pub account: String,
}

impl Actor {
    pub fn iam_user(account: &str, name: &str, key: &str, ip: &str, ua: &str) -> Actor {
        Actor {
            identity: json!({
                "type": "IAMUser", "principalId": format!("AIDA{}", &key[4..]), "arn": format!("arn:aws:iam::{account}:user/{name}"),
                "accountId": account, "accessKeyId": key, "userName": name
            }),
            ip: ip.into(),
            user_agent: ua.into(),
            account: account.into(),
        }
    }

    /// An IAM user signing with a GetSessionToken credential (`ASIA` key, type IAMUser).
    pub fn session_user(account: &str, name: &str, key: &str, created: i64, ip: &str, ua: &str) -> Actor {
        let mut a = Actor::iam_user(account, name, key, ip, ua);
        a.identity["sessionContext"] = json!({
            "attributes": {"creationDate": format_time(created), "mfaAuthenticated": "false"}
        });
        a
    }

    #[allow(clippy::too_many_arguments)]
    pub fn role_session(
        account: &str,
        role: &str,
        session: &str,
        key: &str,
        created: i64,
        ip: &str,
        ua: &str,
    ) -> Actor {
        let role_id = format!("AROA{}", &key[4..]);
        Actor {
            identity: json!({
                "type": "AssumedRole", "principalId": format!("{role_id}:{session}"),
                "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
                "accountId": account, "accessKeyId": key,
                "sessionContext": {
                    "sessionIssuer": {"type": "Role", "principalId": role_id, "arn": format!("arn:aws:iam::{account}:role/{role}"),
                                      "accountId": account, "userName": role},
                    "attributes": {"creationDate": format_time(created), "mfaAuthenticated": "false"}
                }
            }),
            ip: ip.into(),
            user_agent: ua.into(),
            account: account.into(),
        }
    }

    pub fn instance_profile(account: &str, role: &str, instance: &str, key: &str, created: i64) -> Actor {
        let mut a =
            Actor::role_session(account, role, instance, key, created, "10.0.12.34", "aws-sdk-go-v2/1.24.0 os/linux");
        a.identity["sessionContext"]["ec2RoleDelivery"] = json!("2.0");
        a
    }

    pub fn service(account: &str, service: &str) -> Actor {
        Actor {
            identity: json!({"type": "AWSService", "invokedBy": service}),
            ip: service.into(),
            user_agent: service.into(),
            account: account.into(),
        }
    }

    pub fn key(&self) -> &str {
        self.identity["accessKeyId"].as_str().unwrap_or("")
    }
    pub fn arn(&self) -> &str {
        self.identity["arn"].as_str().unwrap_or("")
    }
}

/// One API call to render as a CloudTrail record.
#[derive(Debug, Clone)]
pub struct Call {
    pub source: &'static str,
    pub name: &'static str,
    pub request: Value,
    pub response: Value,
    pub error: Option<(&'static str, &'static str)>,
    pub region: &'static str,
    pub read_only: bool,
    pub data_event: bool,
    pub delay_files: u32,
}

impl Call {
    pub fn new(source: &'static str, name: &'static str) -> Call {
        Call {
            source,
            name,
            request: Value::Null,
            response: Value::Null,
            error: None,
            region: "us-east-1",
            read_only: name.starts_with("Get") || name.starts_with("List") || name.starts_with("Describe"),
            data_event: false,
            delay_files: 0,
        }
    }
    pub fn req(mut self, v: Value) -> Call {
        self.request = v;
        self
    }
    pub fn resp(mut self, v: Value) -> Call {
        self.response = v;
        self
    }
    pub fn fail(mut self, code: &'static str, msg: &'static str) -> Call {
        self.error = Some((code, msg));
        self.response = Value::Null;
        self
    }
    pub fn data(mut self) -> Call {
        self.data_event = true;
        self
    }
    pub fn region(mut self, r: &'static str) -> Call {
        self.region = r;
        self
    }
    pub fn delayed(mut self, files: u32) -> Call {
        self.delay_files = files;
        self
    }

    pub fn render(&self, rng: &mut Rng, actor: &Actor, time_ms: i64) -> Generated {
        let mut e = json!({
            "eventVersion": "1.09",
            "userIdentity": actor.identity,
            "eventTime": format_time(time_ms - time_ms % 1000),
            "eventSource": self.source,
            "eventName": self.name,
            "awsRegion": self.region,
            "sourceIPAddress": actor.ip,
            "userAgent": actor.user_agent,
            "requestParameters": self.request,
            "responseElements": self.response,
            "requestID": rng.uuid(),
            "eventID": rng.uuid(),
            "readOnly": self.read_only,
            "eventType": "AwsApiCall",
            "managementEvent": !self.data_event,
            "recipientAccountId": actor.account,
            "eventCategory": if self.data_event { "Data" } else { "Management" },
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": format!("{}", self.source)}
        });
        if let Some((code, msg)) = self.error {
            e["errorCode"] = json!(code);
            e["errorMessage"] = json!(msg);
        }
        Generated { time_ms, region: self.region.into(), delay_files: self.delay_files, event: e }
    }
}

/// The response of an issuing call, with a realistic session token.
pub fn credentials(rng: &mut Rng, key: &str, issued: i64, seconds: i64) -> Value {
    json!({
        "accessKeyId": key,
        "sessionToken": rng.token(),
        "expiration": us_expiration(issued + seconds * 1000),
    })
}

/// `Nov 30, 2024, 8:43:17 PM`: the US-locale form CloudTrail writes.
pub fn us_expiration(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%b %-d, %Y, %-I:%M:%S %p").to_string())
        .unwrap_or_default()
}
