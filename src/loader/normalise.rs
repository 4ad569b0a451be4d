//! One CloudTrail record (typed, borrowed) → a compact local event.

use super::local::{Local, LocalEvent};
use super::report::Reject;
use crate::cloudtrail::ids::{KeyClass, key_class};
use crate::cloudtrail::kind::Kind;
use crate::index::detail::{Detail, IamChange, Issue};
use crate::index::event::{FIELD_COUNT, Field, NO_SESSION};
use crate::index::event_id::{EventId, parse_uuid};
use crate::index::intern::Interner;
use crate::index::session::{Marks, SessionInfo, SessionKey};
use crate::loader::record::{Record, Str};
use crate::policy::policy_facts;
use crate::time::parse_time;
use std::hash::{Hash, Hasher};

fn pick<'a>(inner: &'a Str, outer: Option<&'a Str>) -> Option<&'a str> {
    inner.get().or_else(|| outer.and_then(Str::get))
}

pub fn normalise<'a>(
    local: &mut Local,
    r: &'a Record,
    outer: Option<&'a Record>,
    ordinal: u32,
) -> Result<LocalEvent, Reject> {
    let s = &mut local.strings;
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
        // No eventID: name the record by its content, so that a re-delivery dedupes.
        None => EventId::from_sym(s.intern(&format!("noid-{:016x}", content_hash(r, outer, time)))),
    };
    let itype = ui.kind.get().unwrap_or("");
    let principal = ui.arn.get().or(ui.invoked_by.get()).or(ui.principal_id.get()).unwrap_or("");
    let source = pick(&r.event_source, outer.map(|o| &o.outer_event_source)).unwrap_or("");
    let sc = &ui.session_context.0;
    let creation = match key_class(key) {
        KeyClass::Permanent => None,
        _ => sc.attributes.0.creation_date.get().and_then(parse_time),
    };
    let mut values = [""; FIELD_COUNT];
    let mut set = |f: Field, v: Option<&'a str>| values[f as usize] = v.unwrap_or("");
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
    // The record's own, even where its identity is the envelope's (`detect::needs` sifts on them).
    set(Field::IssuerType, r.user_identity.0.session_context.0.session_issuer.0.kind.get());
    set(Field::Arn, r.user_identity.0.arn.get());
    let (fields, addr) = local.fields(&values);
    let detail = detail_of(&mut local.strings, r, source, name, principal);
    let user_name = ui.user_name.get().or(outer.and_then(|o| o.outer_username.get()));
    let mut marks = Marks::default();
    if sc.ec2_role_delivery.is_some() {
        marks = marks.with(Marks::SERVICE).with(Marks::INSTANCE);
    }
    if ui.in_scope_of.0.credentials_issued_to.get().is_some() {
        marks = marks.with(Marks::SERVICE);
    }
    if r.session_credential_from_console.get() == Some("true") {
        marks = marks.with(Marks::CONSOLE);
    }
    let (key, principal) = (fields[Field::Key as usize], fields[Field::Principal as usize]);
    let session = if key.is_none() && (creation.is_none() || principal.is_none()) {
        NO_SESSION
    } else {
        let id = SessionKey { key, creation, principal };
        local.session(id, |s| SessionInfo {
            id,
            identity_type: fields[Field::IdentityType as usize],
            user_name: s.intern(user_name.unwrap_or("")),
            issuer_arn: s.intern(sc.session_issuer.0.arn.get().unwrap_or("")),
            source_identity: s.intern(sc.source_identity.get().unwrap_or("")),
            on_behalf_of: s.intern(ui.on_behalf_of.0.user_id.get().unwrap_or("")),
            account: fields[Field::Account as usize],
            marks,
        })
    };
    Ok(LocalEvent { time, id, fields, addr, session, marks, detail, ordinal, as_written: false })
}

/// `a` when it holds a value, else `b`.
fn either<'s, 'a>(a: &'s Str<'a>, b: &'s Str<'a>) -> &'s Str<'a> {
    if a.get().is_some() { a } else { b }
}

/// What the lineage and the checklist read of an event, for the events they read: a call
/// that issues credentials (`Kind::issued_by`, or any response naming a key), an IAM change.
/// `caller` is the event's principal: a console sign-in issues a session of that principal.
fn detail_of(s: &mut Interner, r: &Record, source: &str, name: &str, caller: &str) -> Option<Box<Detail>> {
    let resp = &r.response_elements.0;
    let creds = &resp.credentials.0;
    let req = &r.request_parameters.0;
    let kind = Kind::issued_by(source, name);
    if kind == Some(Kind::ConsoleLogin) {
        // Only a sign-in that succeeded starts a session (a failure may carry no errorCode).
        return (resp.console_login.get() == Some("Success"))
            .then(|| Box::new(Detail::Issue(Issue { child_arn: s.intern(caller), ..Issue::default() })));
    }
    // IAM Roles Anywhere returns its credentials in a set (one per call).
    let set = &resp.credential_set.0;
    let creds = if creds.access_key_id.get().is_some() { creds } else { &set.credentials.0 };
    if kind.is_some() || creds.access_key_id.get().is_some() {
        let child_arn = resp.assumed_role_user.0.arn.get().or(resp.federated_user.0.arn.get());
        let child_arn = child_arn.or(set.assumed_role_user.0.arn.get());
        return Some(Box::new(Detail::Issue(Issue {
            child_key: s.intern(creds.access_key_id.get().unwrap_or("")),
            child_arn: s.intern(child_arn.unwrap_or("")),
            expires: creds.expiration.get().and_then(parse_time),
            // Identity Center names the role (its permission set) in serviceEventDetails.
            role_arn: s.intern(
                req.role_arn.get().or(set.role_arn.get()).or(r.service_event_details.0.role_name.get()).unwrap_or(""),
            ),
            shared_event_id: s.intern(r.shared_event_id.get().unwrap_or("")),
            person: match (resp.subject.0.namespace.get(), resp.subject.0.service_account.get()) {
                (Some(ns), Some(sa)) => s.intern(&format!("system:serviceaccount:{ns}:{sa}")),
                _ => s.intern(r.user_identity.0.on_behalf_of.0.user_id.get().unwrap_or("")),
            },
            target_account: s.intern(r.service_event_details.0.account_id.get().unwrap_or("")),
        })));
    }
    if crate::cloudtrail::iam::IAM_CHANGES.contains(&name) {
        let mut i = |v: &Str| s.intern(v.get().unwrap_or(""));
        // A new key is named in the response; its user too when the request names none.
        let created = &resp.access_key.0;
        return Some(Box::new(Detail::Iam(IamChange {
            user_name: i(either(&req.user_name, &created.user_name)),
            access_key_id: i(either(&req.access_key_id, &created.access_key_id)),
            status: i(either(&req.status, &created.status)),
            role_name: i(&req.role_name),
            policy_name: i(&req.policy_name),
            policy_arn: i(&req.policy_arn),
            group_name: i(&req.group_name),
            policy: req.policy_document.get().map(policy_facts).unwrap_or_default(),
        })));
    }
    None
}

/// A stable hash of what a record says (not of its formatting), for records without an eventID.
fn content_hash(r: &Record, outer: Option<&Record>, time: crate::time::Millis) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    time.hash(&mut h);
    let ui = &r.user_identity.0;
    for v in [
        &r.event_name,
        &r.event_source,
        &r.aws_region,
        &r.source_ip_address,
        &r.user_agent,
        &r.error_code,
        &r.error_message,
        &r.request_id,
        &ui.arn,
        &ui.access_key_id,
        &ui.principal_id,
        &ui.kind,
    ] {
        v.get().hash(&mut h);
    }
    outer.map(|o| o.outer_event_name.get()).hash(&mut h);
    h.finish()
}
