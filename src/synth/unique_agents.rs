//! Records whose user agents are nearly all seen once (issue 18's adversarial shape, small):
//! for the tests of agents deflated after a load (`index::agents`). Some agents repeat, some
//! are short, some are past ASCII, and one temporary key's calls all carry console agents,
//! each its own, so that what is worked out from agents can be compared with and without deflating.

use super::Rng;

/// The console's agent for one call (each differs: a browser's build number).
fn console_agent(n: usize) -> String {
    format!("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0.{n}.86 Safari/537.36")
}

/// `files` CloudTrail documents of `per_file` records each, an hour apart in all.
pub fn docs(files: usize, per_file: usize) -> Vec<String> {
    let mut rng = Rng::new(18);
    // Key 7 is a console sign-in's temporary key (an IAM user's `ASIA…` with console agents).
    let keys: Vec<String> =
        (0..40).map(|k| format!("{}UNIQUEAGENT{k:05}", if k == 7 { "ASIA" } else { "AKIA" })).collect();
    const POOL: [&str; 3] = [
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/s3.ls",
        "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.1",
        "S3Console/0.4",
    ];
    let names = ["GetObject", "ListBuckets", "DescribeInstances", "GetCallerIdentity", "PutObject"];
    (0..files)
        .map(|f| {
            let records: Vec<String> = (0..per_file)
                .map(|r| {
                    let n = f * per_file + r;
                    let k = rng.below(keys.len() as u64) as usize;
                    // Agents past ASCII come in runs (a block of them; the rest are ASCII).
                    let agent = match (k, n % 10, n % 3_000 < 40) {
                        (7, _, _) => console_agent(n),
                        (_, 0, _) => POOL[n / 10 % POOL.len()].to_string(),
                        (_, 1, _) => format!("ua/{n}"),
                        (_, _, true) => format!("aws-sdk-java/2.{n} Linux/6.1 Ünïcödé/{} Java_HotSpot(TM)", rng.hex(6)),
                        _ => format!(
                            "aws-sdk-go-v2/1.{}.{} os/linux#6.{} lang/go#1.22.{} md/GOOS#linux exec-env/{}",
                            n % 40,
                            n / 40 % 90,
                            n % 20,
                            n % 9,
                            rng.hex(8)
                        ),
                    };
                    let secs = n * 3600 / (files * per_file).max(1);
                    let event = serde_json::json!({
                        "eventVersion": "1.08",
                        "userIdentity": {"type": "IAMUser", "principalId": format!("AIDA{k}"),
                            "arn": format!("arn:aws:iam::111122223333:user/u{k}"), "accountId": "111122223333",
                            "accessKeyId": keys[k], "userName": format!("u{k}")},
                        "eventTime": format!("2024-11-30T10:{:02}:{:02}Z", secs / 60, secs % 60),
                        "eventSource": "s3.amazonaws.com",
                        "eventName": names[n % names.len()],
                        "awsRegion": "us-east-1",
                        "sourceIPAddress": format!("198.51.100.{}", n % 250),
                        "userAgent": agent,
                        "requestID": rng.hex(16),
                        "eventID": rng.uuid(),
                        "eventType": "AwsApiCall",
                        "recipientAccountId": "111122223333"
                    });
                    event.to_string()
                })
                .collect();
            format!("{{\"Records\":[{}]}}", records.join(","))
        })
        .collect()
}
