//! A working day of a real account, the day before the incident: what an analyst opening a
//! real account sees, so that the sample's suspects list shows what such an account looks
//! like (issue 16). Shaped after AWS's documented records and the real ones in
//! `../shared/corpus/`:
//! - console users: a `ConsoleLogin`, then calls with an `ASIA` key signing as `IAMUser`
//!   (newer ones carry `sessionCredentialFromConsole: "true"`); one signed in the day before
//!   (no sign-in in these logs: known by its console user agents);
//! - an IAM Identity Center user: `GetRoleCredentials`, the `AssumeRoleWithSAML` on the
//!   `AWSReservedSSO_` role, and that role session's calls;
//! - EC2 instances working from their own address;
//! - a service (EMR) assuming its role, whose session's calls carry no key id.

use super::Generated;
use super::build::{Actor, Call, Rng, credentials};
use crate::time::format_time;
use serde_json::json;

const MINUTE: i64 = 60_000;
const BROWSER: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CONSOLE_READS: [(&str, &str); 5] = [
    ("ec2.amazonaws.com", "DescribeInstances"),
    ("s3.amazonaws.com", "ListBuckets"),
    ("cloudwatch.amazonaws.com", "DescribeAlarms"),
    ("iam.amazonaws.com", "ListUsers"),
    ("s3.amazonaws.com", "GetBucketPolicy"),
];

/// `events` calls spread over `[from, to)`.
pub fn account_day(rng: &mut Rng, acct: &str, from: i64, to: i64, events: usize) -> Vec<Generated> {
    let mut out = Vec::new();
    let span = (to - from).max(1);
    let at = |rng: &mut Rng, lo: i64, hi: i64| lo + rng.below((hi - lo).max(1) as u64) as i64;
    let per = (events / 5).max(1);

    // A console user: sign-in, then a session that signs as IAMUser with an ASIA key.
    let signin = from + span / 8;
    let bob = console_user(rng, acct, "ops-bob", signin, "198.51.100.61");
    let mut login = Actor::iam_user(acct, "ops-bob", "AKIAXXXXXXXXXXXXXXXX", "198.51.100.61", BROWSER);
    login.identity.as_object_mut().map(|o| o.remove("accessKeyId"));
    out.push(
        Call::new("signin.amazonaws.com", "ConsoleLogin")
            .resp(json!({"ConsoleLogin": "Success"}))
            .render(rng, &login, signin),
    );
    for i in 0..per {
        let (src, name) = *rng.pick(&CONSOLE_READS);
        let when = at(rng, signin + MINUTE, to);
        let mut g = Call::new(src, name).render(rng, &bob, when);
        if i % 2 == 0 {
            g.event["sessionCredentialFromConsole"] = json!("true");
        }
        out.push(g);
    }
    // A console user signed in the day before: only the console's user agents say so.
    let carol = console_user(rng, acct, "finance-carol", from - 3 * 3_600_000, "198.51.100.62");
    let mut carol_console = carol.clone();
    carol_console.user_agent = "console.amazonaws.com".into();
    for i in 0..per {
        let who = if i % 3 == 0 { &carol_console } else { &carol };
        let (src, name) = *rng.pick(&CONSOLE_READS);
        let when = at(rng, from, from + span / 2);
        out.push(Call::new(src, name).render(rng, who, when));
    }

    // IAM Identity Center: GetRoleCredentials, the member account's AssumeRoleWithSAML, its use.
    let sso_at = from + span / 3;
    let role = format!("AWSReservedSSO_PowerUser_{}", rng.hex(16));
    let user_id = format!("{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(12));
    let store = format!("arn:aws:identitystore::{acct}:identitystore/d-906723{}", rng.hex(4));
    let portal = Actor {
        identity: json!({"type": "IdentityCenterUser", "accountId": acct,
                         "onBehalfOf": {"userId": user_id, "identityStoreArn": store},
                         "credentialId": rng.hex(40)}),
        ip: "198.51.100.63".into(),
        user_agent: BROWSER.into(),
        account: acct.into(),
    };
    let mut grc = Call::new("sso.amazonaws.com", "GetRoleCredentials").render(rng, &portal, sso_at);
    grc.event["eventType"] = json!("AwsServiceEvent");
    grc.event["serviceEventDetails"] = json!({"role_name": "PowerUser", "account_id": acct});
    grc.event["requestParameters"] = json!(null);
    grc.event["responseElements"] = json!(null);
    out.push(grc);
    let sso_key = rng.key("ASIA");
    let saml_user = Actor {
        identity: json!({"type": "SAMLUser", "principalId": format!("{}:erin@acme.example", rng.hex(20)),
                         "userName": "erin@acme.example",
                         "identityProvider": format!("arn:aws:iam::{acct}:saml-provider/AWSSSO_{}_DO_NOT_DELETE", rng.hex(16))}),
        ip: "198.51.100.63".into(),
        user_agent: BROWSER.into(),
        account: acct.into(),
    };
    let role_arn = format!("arn:aws:iam::{acct}:role/aws-reserved/sso.amazonaws.com/{role}");
    out.push(
        Call::new("sts.amazonaws.com", "AssumeRoleWithSAML")
            .req(json!({"roleArn": role_arn, "principalArn": format!("arn:aws:iam::{acct}:saml-provider/AWSSSO"),
                        "durationSeconds": 43200}))
            .resp(json!({"credentials": credentials(rng, &sso_key, sso_at, 43200),
                         "assumedRoleUser": {"arn": format!("arn:aws:sts::{acct}:assumed-role/{role}/erin@acme.example")},
                         "subjectType": "persistent", "audience": "https://signin.aws.amazon.com/saml"}))
            .render(rng, &saml_user, sso_at),
    );
    let mut erin =
        Actor::role_session(acct, &role, "erin@acme.example", &sso_key, sso_at, "198.51.100.63", "aws-cli/2.15.30");
    erin.identity["onBehalfOf"] = json!({"userId": user_id, "identityStoreArn": store});
    for _ in 0..per {
        let (src, name) = *rng.pick(&CONSOLE_READS);
        let when = at(rng, sso_at + MINUTE, to);
        out.push(Call::new(src, name).render(rng, &erin, when));
    }

    // EC2 instances, each working from its own address.
    for (n, ip) in ["10.0.20.11", "10.0.20.12"].iter().enumerate() {
        let instance = format!("i-0{}", rng.hex(16));
        let created = from + n as i64 * span / 2;
        let mut a = Actor::instance_profile(acct, "BatchWorkerRole", &instance, &rng.key("ASIA"), created);
        a.ip = ip.to_string();
        for _ in 0..per / 2 {
            let call = Call::new("sqs.amazonaws.com", "ReceiveMessage").data();
            let when = at(rng, created + MINUTE, created + span / 2);
            out.push(call.render(rng, &a, when));
        }
    }

    // A service assuming its role (EMR): the session's calls carry no key id.
    let emr_at = from + span / 2;
    let emr_key = rng.key("ASIA");
    let session = format!("emr-{}", rng.hex(8));
    let svc = Actor::service(acct, "elasticmapreduce.amazonaws.com");
    out.push(
        Call::new("sts.amazonaws.com", "AssumeRole")
            .req(json!({"roleArn": format!("arn:aws:iam::{acct}:role/EMR_EC2_DefaultRole"), "roleSessionName": session}))
            .resp(json!({"credentials": credentials(rng, &emr_key, emr_at, 3600),
                         "assumedRoleUser": {"arn": format!("arn:aws:sts::{acct}:assumed-role/EMR_EC2_DefaultRole/{session}")}}))
            .render(rng, &svc, emr_at),
    );
    let mut emr =
        Actor::role_session(acct, "EMR_EC2_DefaultRole", &session, &emr_key, emr_at, "10.0.30.5", "aws-internal/3");
    emr.identity.as_object_mut().map(|o| o.remove("accessKeyId"));
    for _ in 0..per / 2 {
        let when = at(rng, emr_at + MINUTE, emr_at + 50 * MINUTE);
        out.push(Call::new("s3.amazonaws.com", "ListBucket").data().render(rng, &emr, when));
    }
    out
}

/// A console session of an IAM user signed in at `signin`: an `ASIA` key, type `IAMUser`,
/// creationDate the sign-in's second, a browser's user agent.
fn console_user(rng: &mut Rng, acct: &str, name: &str, signin: i64, ip: &str) -> Actor {
    let mut a = Actor::session_user(acct, name, &rng.key("ASIA"), signin - signin % 1000, ip, BROWSER);
    a.identity["sessionContext"]["attributes"]["creationDate"] = json!(format_time(signin - signin % 1000));
    a
}
