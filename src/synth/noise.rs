//! Realistic background: other users, a legitimate CI role chain (minted every hour),
//! instance-profile keys (service-delivered, no issuing event), service events, console
//! logins, and one recycled ASIA id reused by an unrelated session.

use super::Generated;
use super::build::{Actor, Call, Rng, credentials};
use serde_json::json;

pub struct Cast {
    pub account: String,
    pub office_ip: String,
}

const HOUR: i64 = 3_600_000;
const READS: [(&str, &str); 8] = [
    ("ec2.amazonaws.com", "DescribeInstances"),
    ("ec2.amazonaws.com", "DescribeSecurityGroups"),
    ("s3.amazonaws.com", "ListBuckets"),
    ("iam.amazonaws.com", "ListRoles"),
    ("lambda.amazonaws.com", "ListFunctions20150331"),
    ("cloudwatch.amazonaws.com", "DescribeAlarms"),
    ("logs.amazonaws.com", "DescribeLogGroups"),
    ("sts.amazonaws.com", "GetCallerIdentity"),
];
const REGIONS: [&str; 3] = ["us-east-1", "us-east-1", "eu-west-1"];

/// Role chain state for the CI user: DeployRole, then ProdReadOnly chained from it.
struct Chain {
    minted_at: i64,
    prod: Option<Actor>,
}

pub fn background(rng: &mut Rng, cast: &Cast, n: usize, from: i64, to: i64) -> Vec<Generated> {
    let acct = cast.account.as_str();
    let alice = Actor::iam_user(acct, "dev-alice", &rng.key("AKIA"), &cast.office_ip, "aws-cli/2.15.30 os/linux");
    let ci =
        Actor::iam_user(acct, "ci-deployer", &rng.key("AKIA"), "192.0.2.50", "terraform/1.7.5 aws-sdk-go-v2/1.25.2");
    let mut chain = Chain { minted_at: i64::MIN, prod: None };
    let mut web: Option<(i64, Actor)> = None;
    let mut recycled: Option<String> = None;
    let step = ((to - from) / n.max(1) as i64).max(1);
    let mut out = Vec::with_capacity(n + n / 10);
    for i in 0..n {
        let at = from + i as i64 * step + rng.below(step as u64) as i64;
        let region = *rng.pick(&REGIONS);
        let roll = rng.below(100);
        match roll {
            0..=29 => {
                let (src, name) = *rng.pick(&READS);
                out.push(Call::new(src, name).region(region).render(rng, &alice, at));
            }
            30..=54 => {
                if web.as_ref().is_none_or(|(t, _)| at - t > 6 * HOUR) {
                    // Instance-profile keys rotate; once, an old CI key id is reused (recycled id).
                    let key = recycled.take().unwrap_or_else(|| rng.key("ASIA"));
                    let instance = format!("i-0{}", rng.hex(16));
                    web = Some((at, Actor::instance_profile(acct, "WebServerRole", &instance, &key, at - 300_000)));
                }
                if let Some((_, w)) = &web {
                    let call = if rng.below(2) == 0 {
                        Call::new("s3.amazonaws.com", "GetObject")
                            .req(json!({"bucketName": "acme-web-config", "key": "site.json"}))
                            .data()
                    } else {
                        Call::new("ssm.amazonaws.com", "UpdateInstanceInformation")
                    };
                    out.push(call.render(rng, w, at));
                }
            }
            55..=74 => {
                if at.saturating_sub(chain.minted_at) > HOUR {
                    let prod = mint_chain(rng, acct, &ci, at, &mut out);
                    if recycled.is_none() && chain.prod.is_none() {
                        recycled = Some(prod.key().to_string());
                    }
                    chain = Chain { minted_at: at, prod: Some(prod) };
                }
                if let Some(p) = &chain.prod {
                    let (src, name) = *rng.pick(&READS[..5]);
                    out.push(Call::new(src, name).region(region).render(rng, p, at + 1000));
                }
            }
            75..=89 => {
                let svc = Actor::service(acct, "cloudtrail.amazonaws.com");
                let mut g = Call::new("s3.amazonaws.com", "GetBucketAcl")
                    .req(json!({"bucketName": "acme-trail-logs"}))
                    .data()
                    .render(rng, &svc, at);
                g.event["sharedEventID"] = json!(rng.uuid());
                out.push(g);
            }
            90..=94 => {
                let call = Call::new("s3.amazonaws.com", "GetObject")
                    .req(json!({"bucketName": "acme-team-docs", "key": format!("notes/{}.md", rng.hex(6))}))
                    .data();
                out.push(call.render(rng, &alice, at));
            }
            95..=97 => {
                let call = Call::new("iam.amazonaws.com", "GetAccountAuthorizationDetails")
                    .fail("AccessDenied", "User is not authorized to perform: iam:GetAccountAuthorizationDetails");
                out.push(call.render(rng, &alice, at));
            }
            _ => {
                let mut console = alice.clone();
                console.identity["accessKeyId"] = json!("");
                console.user_agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Firefox/132.0".into();
                let call = Call::new("signin.amazonaws.com", "ConsoleLogin").resp(json!({"ConsoleLogin": "Success"}));
                out.push(call.render(rng, &console, at));
            }
        }
    }
    out
}

/// CI: AssumeRole DeployRole (1 h), then DeployRole assumes ProdReadOnly (chained, 1 h).
fn mint_chain(rng: &mut Rng, acct: &str, ci: &Actor, at: i64, out: &mut Vec<Generated>) -> Actor {
    let deploy_key = rng.key("ASIA");
    let session = format!("ci-{}", rng.hex(8));
    let role_arn = format!("arn:aws:iam::{acct}:role/DeployRole");
    let c = assume_call(rng, acct, &role_arn, &session, &deploy_key, at);
    out.push(c.render(rng, ci, at));
    let deploy = Actor::role_session(acct, "DeployRole", &session, &deploy_key, at, &ci.ip, &ci.user_agent);
    let prod_key = rng.key("ASIA");
    let prod_arn = format!("arn:aws:iam::{acct}:role/ProdReadOnly");
    let c2 = assume_call(rng, acct, &prod_arn, &session, &prod_key, at + 2000);
    out.push(c2.render(rng, &deploy, at + 2000));
    Actor::role_session(acct, "ProdReadOnly", &session, &prod_key, at + 2000, &ci.ip, &ci.user_agent)
}

fn assume_call(rng: &mut Rng, acct: &str, role_arn: &str, session: &str, key: &str, at: i64) -> Call {
    let role = role_arn.rsplit('/').next().unwrap_or("");
    Call::new("sts.amazonaws.com", "AssumeRole")
        .req(json!({"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}))
        .resp(json!({
            "credentials": credentials(rng, key, at, 3600),
            "assumedRoleUser": {"assumedRoleId": format!("AROA{}:{session}", &key[4..]),
                                "arn": format!("arn:aws:sts::{acct}:assumed-role/{role}/{session}")}
        }))
}
