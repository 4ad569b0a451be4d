//! The bundled incident: support-user's key A leaks, GetSessionToken mints backdoor B,
//! B assumes MyBucketRole (C) and exfiltrates S3 data; the defender deletes A, revokes the
//! role's older sessions, B mints new role tokens, and finally the user is stripped — after
//! which one 12-hour role token B minted earlier still reads.

use super::Generated;
use super::build::{Actor, Call, Rng, credentials};
use super::noise::{Cast, background};
use crate::policy::{DENY_ALL_DOCUMENT, revoke_older_sessions_document};
use crate::time::{format_time, parse_time};
use serde_json::json;

pub const ACCOUNT: &str = "210987654321";
/// The seed and noise volume of the bundled `sample-logs/`.
pub const SAMPLE_SEED: u64 = 20241130;
pub const SAMPLE_NOISE: usize = 2500;
pub const USER: &str = "support-user";
pub const ROLE: &str = "MyBucketRole";
pub const BUCKET: &str = "acme-customer-exports";
const ATTACKER_IP: &str = "203.0.113.77";
/// The user token B plants a key on, and the account its backdoored trust policy lets in.
pub const PLANTED_USER: &str = "backup-svc";
pub const OUTSIDE_ACCOUNT: &str = "999988887777";
const ATTACKER_UA: &str = "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.12.1";
const OFFICE_IP: &str = "198.51.100.24";
const ADMIN_IP: &str = "198.51.100.40";
const CLI_UA: &str = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8";
const CONSOLE_UA: &str = "AWS Internal";

/// The incident's events and the ids a reader needs to follow it.
pub struct Incident {
    pub events: Vec<Generated>,
    pub key_a: String,
    pub key_b: String,
    pub key_c: String,
    /// Role tokens B minted after the revocation (the last one outlives step 6).
    pub new_role_keys: Vec<String>,
    /// The role token that is still live after the user is cut off.
    pub key_live: String,
    /// The permanent key B planted on another user.
    pub key_planted: String,
    pub admin_key: String,
    pub revoke_cutoff: String,
    pub story: Vec<(String, String)>,
}

fn t(s: &str) -> i64 {
    parse_time(s).unwrap_or(0)
}

/// Builds the incident with `noise` background events around it.
pub fn incident(seed: u64, noise: usize) -> Incident {
    let mut rng = Rng::new(seed);
    let key_a = rng.key("AKIA");
    let key_b = rng.key("ASIA");
    let key_c = rng.key("ASIA");
    let admin_key = rng.key("AKIA");
    let new_keys = [rng.key("ASIA"), rng.key("ASIA")];
    let mut ev = Vec::new();
    let mut story = Vec::new();
    let mut note = |at: &str, what: String| story.push((at.to_string(), what));
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}");

    // Legitimate use of A by its owner, the day before and that morning.
    let owner = Actor::iam_user(ACCOUNT, USER, &key_a, OFFICE_IP, CLI_UA);
    for (i, when) in ["2024-11-29T15:02:11Z", "2024-11-29T15:40:05Z", "2024-11-30T08:31:47Z"].iter().enumerate() {
        ev.push(Call::new("sts.amazonaws.com", "GetCallerIdentity").render(&mut rng, &owner, t(when)));
        let c = Call::new("s3.amazonaws.com", "ListBuckets").req(json!({"Host": "s3.amazonaws.com"}));
        ev.push(c.render(&mut rng, &owner, t(when) + 20_000 + i as i64 * 1000));
    }

    // 09:12 A is used from an unknown host and mints B (36 h).
    let thief = Actor::iam_user(ACCOUNT, USER, &key_a, ATTACKER_IP, ATTACKER_UA);
    ev.push(Call::new("sts.amazonaws.com", "GetCallerIdentity").render(&mut rng, &thief, t("2024-11-30T09:12:03Z")));
    let b_at = t("2024-11-30T09:12:40Z");
    let gst = Call::new("sts.amazonaws.com", "GetSessionToken")
        .req(json!({"durationSeconds": 129600}))
        .resp(json!({"credentials": credentials(&mut rng, &key_b, b_at, 129_600)}));
    ev.push(gst.render(&mut rng, &thief, b_at));
    note(
        "2024-11-30T09:12:40Z",
        format!("Key A `{key_a}` ({USER}) is used from {ATTACKER_IP}: GetSessionToken mints token B `{key_b}` (36 h)."),
    );

    // 09:14 B (IAMUser + ASIA) assumes the bucket role: token C (12 h). The AssumeRole
    // record is delivered in a later file than C's first use.
    let b = Actor::session_user(ACCOUNT, USER, &key_b, b_at, ATTACKER_IP, ATTACKER_UA);
    ev.push(Call::new("sts.amazonaws.com", "GetCallerIdentity").render(&mut rng, &b, t("2024-11-30T09:13:30Z")));
    let c_at = t("2024-11-30T09:14:05Z");
    ev.push(assume(&mut rng, &b, &role_arn, "sync-job", &key_c, c_at, 43_200).delayed(2).render(&mut rng, &b, c_at));
    note("2024-11-30T09:14:05Z", format!("Token B assumes {ROLE}: token C `{key_c}` (12 h)."));
    let c = Actor::role_session(ACCOUNT, ROLE, "sync-job", &key_c, c_at, ATTACKER_IP, ATTACKER_UA);
    ev.push(Call::new("s3.amazonaws.com", "ListObjectsV2").req(json!({"bucketName": BUCKET})).data().render(
        &mut rng,
        &c,
        c_at + 9_000,
    ));
    for i in 0..40 {
        ev.push(get_object(&mut rng, &c, c_at + 30_000 + i * 31_000, i));
    }
    note("2024-11-30T09:14:35Z", format!("Token C reads 40 objects from s3://{BUCKET}."));

    // 10:31 the defender deactivates, then deletes, key A.
    let admin = Actor::iam_user(ACCOUNT, "sec-admin", &admin_key, ADMIN_IP, CONSOLE_UA);
    let upd = Call::new("iam.amazonaws.com", "UpdateAccessKey")
        .req(json!({"userName": USER, "accessKeyId": key_a, "status": "Inactive"}));
    ev.push(upd.render(&mut rng, &admin, t("2024-11-30T10:31:12Z")));
    let del = Call::new("iam.amazonaws.com", "DeleteAccessKey").req(json!({"userName": USER, "accessKeyId": key_a}));
    ev.push(del.render(&mut rng, &admin, t("2024-11-30T10:44:50Z")));
    note("2024-11-30T10:31:12Z", "Step 1: sec-admin deactivates key A (10:31) and deletes it (10:44).".to_string());

    // C keeps reading.
    for i in 0..20 {
        ev.push(get_object(&mut rng, &c, t("2024-11-30T11:02:00Z") + i * 47_000, 40 + i));
    }
    note("2024-11-30T11:02:00Z", "Step 2: token C keeps reading (20 GetObject) after key A is gone.".into());

    // 12:00 revocation of the role's older sessions.
    let cutoff = "2024-11-30T12:00:07.000Z";
    let put = Call::new("iam.amazonaws.com", "PutRolePolicy").req(json!({
        "roleName": ROLE, "policyName": "AWSRevokeOlderSessions",
        "policyDocument": revoke_older_sessions_document(cutoff)
    }));
    ev.push(put.render(&mut rng, &admin, t("2024-11-30T12:00:07Z")));
    note("2024-11-30T12:00:07Z", format!("Step 3: AWSRevokeOlderSessions on {ROLE}, cutoff {cutoff}."));
    for i in 0..6 {
        let d = Call::new("s3.amazonaws.com", "GetObject")
            .req(json!({"bucketName": BUCKET, "key": format!("exports/2024/11/part-{i:04}.csv.gz")}))
            .fail("AccessDenied", "User is not authorized to perform: s3:GetObject with an explicit deny")
            .data();
        ev.push(d.render(&mut rng, &c, t("2024-11-30T12:04:10Z") + i * 20_000));
    }

    // B mints new role tokens after the cutoff; they read again.
    for (n, (when, secs)) in [("2024-11-30T12:21:33Z", 3600), ("2024-11-30T13:58:02Z", 3600)].iter().enumerate() {
        let at = t(when);
        let key = &new_keys[n];
        let session = format!("sync-job-{}", n + 2);
        ev.push(assume(&mut rng, &b, &role_arn, &session, key, at, *secs).render(&mut rng, &b, at));
        let cn = Actor::role_session(ACCOUNT, ROLE, &session, key, at, ATTACKER_IP, ATTACKER_UA);
        for i in 0..(25 - 15 * n as i64) {
            ev.push(get_object(&mut rng, &cn, at + 40_000 + i * 29_000, 100 + i + 50 * n as i64));
        }
        note(when, format!("Step 4: token B mints a new role token `{key}` after the cutoff; it reads again."));
    }
    note(
        "2024-11-30T12:21:33Z",
        format!("Step 5: the source of the new tokens is token B `{key_b}` (IAMUser signing with an ASIA key)."),
    );

    // Extra calls the checklist's rules turn on, from their own random stream so that the
    // ids above and the background below stay as they were: a denied call after step 1, and a
    // role token B mints (12 h) an hour before the user is cut off, which outlives step 6.
    let mut late = Rng::new(seed ^ 0x0017_0017);
    let denied_c = Call::new("s3.amazonaws.com", "GetObject")
        .req(json!({"bucketName": "acme-finance-reports", "key": "2024/q3.xlsx"}))
        .fail("AccessDenied", "Access Denied")
        .data();
    ev.push(denied_c.render(&mut late, &c, t("2024-11-30T11:20:31Z")));
    // Persistence (issue 20): token B plants a permanent key on another user and opens the
    // bucket role's trust to an outside account; nobody undoes either.
    let mut persist = Rng::new(seed ^ 0x0020_0020);
    let planted = persist.key("AKIA");
    let plant = Call::new("iam.amazonaws.com", "CreateAccessKey").req(json!({"userName": PLANTED_USER})).resp(json!({
        "accessKey": {"userName": PLANTED_USER, "accessKeyId": planted, "status": "Active", "createDate": "Nov 30, 2024, 9:31:20 AM"}
    }));
    ev.push(plant.render(&mut persist, &b, t("2024-11-30T09:31:20Z")));
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":["arn:aws:iam::{ACCOUNT}:root","arn:aws:iam::{OUTSIDE_ACCOUNT}:root"]}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let backdoor = Call::new("iam.amazonaws.com", "UpdateAssumeRolePolicy")
        .req(json!({"roleName": ROLE, "policyDocument": trust}));
    ev.push(backdoor.render(&mut persist, &b, t("2024-11-30T09:33:02Z")));
    note(
        "2024-11-30T09:31:20Z",
        format!(
            "Token B plants key `{planted}` on {PLANTED_USER} and opens {ROLE}'s trust to account {OUTSIDE_ACCOUNT} (09:33)."
        ),
    );
    // The trust the role had before (what the checklist's persistence block restores):
    // sec-admin set it on the 28th, to the account's own root. Its own random stream.
    let mut history = Rng::new(seed ^ 0x0028_0028);
    let before = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let set_trust = Call::new("iam.amazonaws.com", "UpdateAssumeRolePolicy")
        .req(json!({"roleName": ROLE, "policyDocument": before}));
    ev.push(set_trust.render(&mut history, &admin, t("2024-11-28T09:02:14Z")));
    note(
        "2024-11-28T09:02:14Z",
        format!("sec-admin sets {ROLE}'s trust to the account's own root (the trust the checklist restores)."),
    );
    let key_live = late.key("ASIA");
    let live_at = t("2024-11-30T14:31:09Z");
    ev.push(assume(&mut late, &b, &role_arn, "sync-job-5", &key_live, live_at, 43_200).render(&mut late, &b, live_at));
    let c5 = Actor::role_session(ACCOUNT, ROLE, "sync-job-5", &key_live, live_at, ATTACKER_IP, ATTACKER_UA);
    for i in 0..5 {
        ev.push(get_object(&mut late, &c5, live_at + 50_000 + i * 33_000, 200 + i));
    }
    note(
        "2024-11-30T14:31:09Z",
        format!("Step 4: token B mints a 12-hour role token `{key_live}`; it reads 5 objects."),
    );

    // 15:30 the user's permissions are removed: one managed policy detached (partial), then
    // a deny-all put (done). B's next AssumeRole fails; the 12-hour token keeps reading.
    let detach = Call::new("iam.amazonaws.com", "DetachUserPolicy")
        .req(json!({"userName": USER, "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"}));
    ev.push(detach.render(&mut rng, &admin, t("2024-11-30T15:30:41Z")));
    let deny = Call::new("iam.amazonaws.com", "PutUserPolicy")
        .req(json!({"userName": USER, "policyName": "AWSDenyAll", "policyDocument": DENY_ALL_DOCUMENT}));
    ev.push(deny.render(&mut rng, &admin, t("2024-11-30T15:31:02Z")));
    note(
        "2024-11-30T15:30:41Z",
        format!("Step 6: AmazonS3FullAccess is detached from {USER} (partial); AWSDenyAll is put at 15:31:02 (done)."),
    );
    let denied = Call::new("sts.amazonaws.com", "AssumeRole")
        .req(json!({"roleArn": role_arn, "roleSessionName": "sync-job-4"}))
        .fail("AccessDenied", "User is not authorized to perform: sts:AssumeRole");
    ev.push(denied.render(&mut rng, &b, t("2024-11-30T15:44:19Z")));
    note("2024-11-30T15:44:19Z", "Token B's next AssumeRole fails with AccessDenied.".into());
    for i in 0..3 {
        ev.push(get_object(&mut late, &c5, t("2024-11-30T16:02:00Z") + i * 41_000, 205 + i));
    }
    note(
        "2024-11-30T16:02:00Z",
        format!("Token `{key_live}` still reads after step 6: only a second revocation of {ROLE} ends it."),
    );

    let cast = Cast { account: ACCOUNT.into(), office_ip: OFFICE_IP.into() };
    ev.extend(background(&mut rng, &cast, noise, t("2024-11-29T12:00:00Z"), t("2024-12-01T00:00:00Z")));
    // The day before: what a real account holds (console, Identity Center, instances, a
    // service's role), from its own random stream so that the incident's ids stay as they are.
    if noise > 0 {
        let mut day = Rng::new(seed ^ 0x0DA7_0DA7);
        let (from, to) = (t("2024-11-28T08:00:00Z"), t("2024-11-28T20:00:00Z"));
        ev.extend(super::account_day::account_day(&mut day, ACCOUNT, from, to, noise / 5));
    }
    ev.sort_by_key(|g| g.time_ms);
    story.sort_by(|a, b| a.0.cmp(&b.0));
    Incident {
        events: ev,
        key_a,
        key_b,
        key_c,
        new_role_keys: new_keys.iter().chain([&key_live]).cloned().collect(),
        key_live,
        key_planted: planted,
        admin_key,
        revoke_cutoff: format_time(t(cutoff)),
        story,
    }
}

fn assume(rng: &mut Rng, caller: &Actor, role_arn: &str, session: &str, key: &str, at: i64, secs: i64) -> Call {
    let account = &caller.account;
    let role = role_arn.rsplit('/').next().unwrap_or("");
    Call::new("sts.amazonaws.com", "AssumeRole")
        .req(json!({"roleArn": role_arn, "roleSessionName": session, "durationSeconds": secs}))
        .resp(json!({
            "credentials": credentials(rng, key, at, secs),
            "assumedRoleUser": {"assumedRoleId": format!("AROA{}:{session}", &key[4..]),
                                "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")}
        }))
}

fn get_object(rng: &mut Rng, who: &Actor, at: i64, n: i64) -> Generated {
    Call::new("s3.amazonaws.com", "GetObject")
        .req(json!({"bucketName": BUCKET, "key": format!("exports/2024/11/part-{n:04}.csv.gz"), "Host": format!("{BUCKET}.s3.amazonaws.com")}))
        .data()
        .render(rng, who, at)
}
