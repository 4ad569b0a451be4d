//! One file's bytes → its records, normalised into compact local events.
//!
//! Recognises by content: `{"Records":[…]}` (S3 delivery), `{"Events":[…]}` (lookup-events,
//! whose `CloudTrailEvent` is a JSON string), JSON arrays, single objects, JSON Lines, and
//! EventBridge `detail` wrappers. Digest and Insights files are skipped, not failed.

use super::report::{FileStatus, RecordTally, Reject};
use crate::index::detail::{Detail, IamChange, Issue};
use crate::index::event::{FIELD_COUNT, Field};
use crate::index::event_id::{EventId, parse_uuid};
use crate::index::intern::{Interner, Sym};
use crate::policy::policy_facts;
use crate::record::{Record, Str};
use crate::text::{KeyClass, key_class};
use crate::time::{Millis, parse_time};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// An event as one worker parsed it; its `Sym`s point into the worker's own `Interner`.
#[derive(Debug, Clone)]
pub struct LocalEvent {
    pub time: Millis,
    /// A packed UUID, or (for odd ids) an id whose symbol is local.
    pub id: EventId,
    pub fields: [Sym; FIELD_COUNT],
    pub creation: Option<Millis>,
    pub user_name: Sym,
    pub issuer_arn: Sym,
    pub service_delivered: bool,
    pub detail: Option<Box<Detail>>,
    pub offset: u32,
    pub len: u32,
}

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct Batch {
    pub strings: Interner,
    pub events: Vec<LocalEvent>,
    pub status: FileStatus,
    pub tally: RecordTally,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope<'a> {
    #[serde(borrow, rename = "Records")]
    records: Option<Vec<&'a RawValue>>,
    #[serde(borrow, rename = "Events")]
    events: Option<Vec<&'a RawValue>>,
    #[serde(rename = "digestStartTime")]
    digest_start: Option<IgnoredAny>,
    #[serde(rename = "logFiles")]
    log_files: Option<IgnoredAny>,
}

pub fn parse_file(buf: &[u8]) -> Batch {
    let mut b = Batch::default();
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    if buf.len() > u32::MAX as usize {
        b.status = FileStatus::Failed("file larger than 4 GiB uncompressed".into());
        return b;
    }
    // CloudTrail is always a JSON object or array: anything else is not a log at all
    // (a README beside the logs), which is skipped with the reason rather than failed.
    match buf.iter().find(|c| !c.is_ascii_whitespace()) {
        None => {
            b.status = FileStatus::Failed("empty file".into());
            return b;
        }
        Some(c) if *c != b'{' && *c != b'[' => {
            let shown = if c.is_ascii_graphic() { format!("'{}'", *c as char) } else { format!("byte 0x{c:02x}") };
            b.status = FileStatus::Skipped(format!("not JSON (starts with {shown})"));
            return b;
        }
        Some(_) => {}
    }
    let mut pos = 0usize;
    let mut values = 0usize;
    let mut digest = false;
    while pos < buf.len() {
        let mut stream = serde_json::Deserializer::from_slice(&buf[pos..]).into_iter::<&RawValue>();
        match stream.next() {
            None => break,
            Some(Ok(v)) => {
                values += 1;
                pos += stream.byte_offset();
                digest |= top_level(&mut b, buf, v);
            }
            Some(Err(e)) => {
                let start = pos + skip_ws(&buf[pos..]);
                let line = 1 + count_newlines(&buf[..start]);
                // A failure confined to one line, after good values, is a bad JSON Lines
                // record: note it and go on. A first value that fails makes the file unreadable.
                let one_line = e.line() == 1 + count_newlines(&buf[pos..start]);
                if values == 0 || !one_line {
                    b.tally = RecordTally::default();
                    b.events.clear();
                    b.status = FileStatus::Failed(format!("not valid JSON: {e}"));
                    return b;
                }
                b.tally.reject(Reject::NotJson(format!("line {line}: {}", strip_pos(&e))));
                match buf[start..].iter().position(|&c| c == b'\n') {
                    Some(n) => pos = start + n + 1,
                    None => break,
                }
            }
        }
    }
    b.status = if values == 0 {
        FileStatus::Failed("empty file".into())
    } else if digest && b.tally.seen() == 0 {
        FileStatus::Skipped("CloudTrail digest file".into())
    } else if b.tally.insights > 0 && b.tally.seen() == b.tally.insights {
        FileStatus::Skipped("CloudTrail Insights file".into())
    } else if b.events.is_empty() && b.tally.rejected() > 0 {
        FileStatus::Failed(format!("no CloudTrail event could be read: {}", b.tally.summary()))
    } else {
        FileStatus::Read
    };
    b
}

fn strip_pos(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn skip_ws(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_whitespace()).count()
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// Handles one top-level JSON value; returns true when it is a digest.
fn top_level(b: &mut Batch, buf: &[u8], v: &RawValue) -> bool {
    let text = v.get();
    match text.as_bytes().first() {
        Some(b'[') => match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => items.into_iter().for_each(|r| record(b, buf, r, None)),
            Err(e) => b.tally.reject(Reject::NotJson(e.to_string())),
        },
        Some(b'{') => {
            let env: Envelope = serde_json::from_str(text).unwrap_or_default();
            if let Some(items) = env.records.or(env.events) {
                items.into_iter().for_each(|r| record(b, buf, r, None));
            } else if env.digest_start.is_some() || env.log_files.is_some() {
                return true;
            } else {
                record(b, buf, v, None);
            }
        }
        _ => b.tally.reject(Reject::NotCloudTrail("a top-level value that is not an object".into())),
    }
    false
}

fn offset_of(buf: &[u8], v: &RawValue) -> (u32, u32) {
    let off = (v.get().as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
    if off <= buf.len() { (off as u32, v.get().len() as u32) } else { (0, 0) }
}

/// One candidate record: unwraps EventBridge and lookup-events, then normalises.
fn record(b: &mut Batch, buf: &[u8], v: &RawValue, raw: Option<(u32, u32)>) {
    let raw = raw.unwrap_or_else(|| offset_of(buf, v));
    let rec: Record = match serde_json::from_str(v.get()) {
        Ok(r) => r,
        Err(e) => return b.tally.reject(Reject::Malformed(e.to_string())),
    };
    if let Some(detail) = rec.detail.filter(|_| rec.event_time.get().is_none()) {
        return record(b, buf, detail, Some(raw));
    }
    let outcome = match rec.cloudtrail_event.get() {
        Some(inner_text) => match serde_json::from_str::<Record>(inner_text) {
            Ok(inner) => normalise(&mut b.strings, &inner, Some(&rec), v.get(), raw),
            Err(e) => Err(Reject::Malformed(format!("CloudTrailEvent string: {e}"))),
        },
        None => normalise(&mut b.strings, &rec, None, v.get(), raw),
    };
    match outcome {
        Ok(ev) => {
            b.tally.indexed += 1;
            b.events.push(ev);
        }
        Err(r) => b.tally.reject(r),
    }
}

fn pick<'a>(inner: &'a Str, outer: Option<&'a Str>) -> Option<&'a str> {
    inner.get().or_else(|| outer.and_then(Str::get))
}

const ISSUING: [&str; 5] =
    ["GetSessionToken", "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken"];

const IAM_CHANGES: [&str; 14] = [
    "UpdateAccessKey",
    "DeleteAccessKey",
    "CreateAccessKey",
    "PutRolePolicy",
    "PutUserPolicy",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "DeleteUserPolicy",
    "DeleteUser",
    "DeleteLoginProfile",
    "RemoveUserFromGroup",
    "AttachRolePolicy",
    "DeleteRole",
    "UpdateAssumeRolePolicy",
];

fn normalise(
    s: &mut Interner,
    r: &Record,
    outer: Option<&Record>,
    text: &str,
    (offset, len): (u32, u32),
) -> Result<LocalEvent, Reject> {
    if r.event_type.get() == Some("AwsCloudTrailInsight") {
        return Err(Reject::Insight);
    }
    let time_text = pick(&r.event_time, outer.map(|o| &o.outer_event_time));
    let name = pick(&r.event_name, outer.map(|o| &o.outer_event_name));
    let (Some(time_text), Some(name)) = (time_text, name) else {
        return Err(match (time_text, name.or(r.event_source.get())) {
            (None, Some(_)) => Reject::MissingTime,
            _ => Reject::NotCloudTrail("no eventTime or eventName".into()),
        });
    };
    let time = parse_time(time_text).ok_or_else(|| Reject::BadTime(time_text.chars().take(40).collect()))?;
    let ui = if outer.is_some() && r.user_identity.0.kind.get().is_none() && r.user_identity.0.arn.get().is_none() {
        &outer.map_or(&r.user_identity, |o| &o.outer_user_identity).0
    } else {
        &r.user_identity.0
    };
    let key = pick(&ui.access_key_id, outer.map(|o| &o.outer_access_key_id)).unwrap_or("");
    let id_text = pick(&r.event_id, outer.map(|o| &o.outer_event_id));
    let id = match id_text {
        Some(t) => parse_uuid(t).unwrap_or_else(|| EventId::from_sym(s.intern(t))),
        // No eventID: name the record by its content, so that a verbatim re-delivery dedupes.
        None => EventId::from_sym(s.intern(&format!("noid-{:016x}", fnv64(text.as_bytes())))),
    };
    let itype = ui.kind.get().unwrap_or("");
    let principal = ui.arn.get().or(ui.invoked_by.get()).or(ui.principal_id.get()).unwrap_or("");
    let source = pick(&r.event_source, outer.map(|o| &o.outer_event_source)).unwrap_or("");
    let sc = &ui.session_context.0;
    let creation = match key_class(key) {
        KeyClass::Permanent => None,
        _ => sc.attributes.0.creation_date.get().and_then(parse_time),
    };
    let mut fields = [Sym::NONE; FIELD_COUNT];
    let mut set = |f: Field, v: Option<&str>| fields[f as usize] = s.intern(v.unwrap_or(""));
    set(Field::Name, Some(name));
    set(Field::Source, Some(source));
    set(Field::Principal, Some(principal));
    set(Field::Key, Some(key));
    set(Field::Ip, r.source_ip_address.get());
    set(Field::Region, r.aws_region.get());
    set(Field::Account, ui.account_id.get().or(r.recipient_account_id.get()));
    set(Field::UserAgent, r.user_agent.get());
    set(Field::Error, r.error_code.get());
    set(Field::IdentityType, Some(itype));
    let detail = detail_of(s, r, name);
    let user_name = ui.user_name.get().or(outer.and_then(|o| o.outer_username.get()));
    Ok(LocalEvent {
        time,
        id,
        fields,
        creation,
        user_name: s.intern(user_name.unwrap_or("")),
        issuer_arn: s.intern(sc.session_issuer.0.arn.get().unwrap_or("")),
        service_delivered: sc.ec2_role_delivery.is_some() || ui.in_scope_of.0.credentials_issued_to.get().is_some(),
        detail,
        offset,
        len,
    })
}

fn detail_of(s: &mut Interner, r: &Record, name: &str) -> Option<Box<Detail>> {
    let resp = &r.response_elements.0;
    let creds = &resp.credentials.0;
    let req = &r.request_parameters.0;
    if ISSUING.contains(&name) || creds.access_key_id.get().is_some() {
        let child_arn = resp.assumed_role_user.0.arn.get().or(resp.federated_user.0.arn.get());
        return Some(Box::new(Detail::Issue(Issue {
            child_key: s.intern(creds.access_key_id.get().unwrap_or("")),
            child_arn: s.intern(child_arn.unwrap_or("")),
            expires: creds.expiration.get().and_then(parse_time),
            role_arn: s.intern(req.role_arn.get().unwrap_or("")),
            shared_event_id: s.intern(r.shared_event_id.get().unwrap_or("")),
        })));
    }
    if IAM_CHANGES.contains(&name) {
        let mut i = |v: &Str| s.intern(v.get().unwrap_or(""));
        return Some(Box::new(Detail::Iam(IamChange {
            user_name: i(&req.user_name),
            access_key_id: i(&req.access_key_id),
            status: i(&req.status),
            role_name: i(&req.role_name),
            policy_name: i(&req.policy_name),
            policy_arn: i(&req.policy_arn),
            group_name: i(&req.group_name),
            policy: req.policy_document.get().map(policy_facts).unwrap_or_default(),
        })));
    }
    None
}

fn fnv64(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325u64, |h, &c| (h ^ u64::from(c)).wrapping_mul(0x100000001b3))
}
