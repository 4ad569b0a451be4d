//! The same `Record` as the serde derive reads, through the fast scanner (`crate::scan`).
//!
//! Each struct lists its keys once more here, with serde's renames and aliases; the tests
//! check both readers agree on every key serde knows. Whatever the scanner gives up on goes
//! to serde, which stays the reference (and the one that explains errors).

use super::{
    Credentials, InScopeOf, IssuedPrincipal, Obj, Record, Request, Response, ServiceEventDetails, SessionAttributes,
    SessionContext, SessionIssuer, Str, UserIdentity,
};
use crate::scan::{Bail, Cursor, Scan};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// One record from its text: the scanner when it can, serde otherwise.
pub fn parse(text: &str) -> Result<Record<'_>, serde_json::Error> {
    let mut c = Cursor::new(text);
    let mut r = Record::default();
    match r.scan_into(&mut c) {
        Ok(()) if c.at_end() => Ok(r),
        _ => serde_json::from_str(text),
    }
}

/// The scanner alone: the record, or None where it gives up (serde then decides). For the
/// tests and the fuzz target that check both readers agree.
pub fn scan_only(text: &str) -> Option<Record<'_>> {
    let mut c = Cursor::new(text);
    let mut r = Record::default();
    (r.scan_into(&mut c).is_ok() && c.at_end()).then_some(r)
}

/// A value the scanner can read in place of serde's `Deserialize`. It reads into a value
/// that holds its default: records are large, so they are filled where they lie, not moved.
pub trait Scanned<'a> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()>;
}

impl<'a> Scanned<'a> for Str<'a> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        self.0 = c.text()?;
        Ok(())
    }
}

impl<'a, T: Scanned<'a>> Scanned<'a> for Obj<T> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        if c.peek() == Some(b'{') { self.0.scan_into(c) } else { c.skip() }
    }
}

impl<'a> Scanned<'a> for Option<IgnoredAny> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        *self = c.raw()?.ne("null").then_some(IgnoredAny);
        Ok(())
    }
}

impl<'a> Scanned<'a> for Option<&'a RawValue> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        let raw = c.raw()?;
        *self = if raw == "null" { None } else { Some(serde_json::from_str(raw).map_err(|_| Bail)?) };
        Ok(())
    }
}

/// `Scanned` for a struct: its keys (serde's names and aliases) → fields. A key seen twice
/// is serde's "duplicate field" error, so the scanner gives up on it too.
macro_rules! scanned_struct {
    ($ty:ident { $($field:ident: $($key:literal)|+),* $(,)? }) => {
        impl<'a> Scanned<'a> for $ty<'a> {
            fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
                #[allow(non_camel_case_types)]
                enum Bit { $($field),* }
                let mut seen = 0u64;
                c.object(|c, key| {
                    let bit = match key {
                        $( $($key)|+ => { self.$field.scan_into(c)?; Bit::$field as u32 } )*
                        _ => return c.skip(),
                    };
                    if seen & (1 << bit) != 0 {
                        return Err(Bail);
                    }
                    seen |= 1 << bit;
                    Ok(())
                })
            }
        }
        #[cfg(test)]
        impl $ty<'_> {
            pub(crate) const SCANNED_KEYS: &'static [&'static [u8]] = &[$($($key),+),*];
        }
    };
}

scanned_struct!(Record {
    event_version: b"eventVersion" | b"eventversion",
    event_time: b"eventTime" | b"eventtime",
    event_name: b"eventName" | b"eventname",
    event_source: b"eventSource" | b"eventsource",
    event_id: b"eventID" | b"eventid",
    event_type: b"eventType" | b"eventtype",
    aws_region: b"awsRegion" | b"awsregion",
    source_ip_address: b"sourceIPAddress" | b"sourceipaddress",
    user_agent: b"userAgent" | b"useragent",
    error_code: b"errorCode" | b"errorcode",
    error_message: b"errorMessage" | b"errormessage",
    shared_event_id: b"sharedEventID" | b"sharedeventid",
    request_id: b"requestID" | b"requestid",
    recipient_account_id: b"recipientAccountId" | b"recipientaccountid",
    user_identity: b"userIdentity" | b"useridentity",
    request_parameters: b"requestParameters",
    response_elements: b"responseElements",
    service_event_details: b"serviceEventDetails",
    row_request: b"requestparameters",
    row_response: b"responseelements",
    cloudtrail_event: b"CloudTrailEvent",
    outer_event_id: b"EventId",
    outer_event_name: b"EventName",
    outer_event_time: b"EventTime",
    outer_event_source: b"EventSource",
    outer_access_key_id: b"AccessKeyId",
    outer_username: b"Username",
    outer_user_identity: b"UserIdentity",
    detail: b"detail",
    detail_type: b"detail-type",
});

scanned_struct!(UserIdentity {
    kind: b"type",
    principal_id: b"principalId" | b"principalid",
    arn: b"arn",
    account_id: b"accountId" | b"accountid",
    access_key_id: b"accessKeyId" | b"accesskeyid",
    user_name: b"userName" | b"username",
    invoked_by: b"invokedBy" | b"invokedby",
    session_context: b"sessionContext" | b"sessioncontext",
    in_scope_of: b"inScopeOf",
});

scanned_struct!(SessionContext {
    attributes: b"attributes",
    session_issuer: b"sessionIssuer" | b"sessionissuer",
    ec2_role_delivery: b"ec2RoleDelivery" | b"ec2roledelivery",
    source_identity: b"sourceIdentity",
});

scanned_struct!(SessionAttributes {
    creation_date: b"creationDate" | b"creationdate",
    mfa_authenticated: b"mfaAuthenticated" | b"mfaauthenticated",
});

scanned_struct!(SessionIssuer { kind: b"type", arn: b"arn", user_name: b"userName" | b"username" });

scanned_struct!(InScopeOf { credentials_issued_to: b"credentialsIssuedTo" });

scanned_struct!(Request {
    role_arn: b"roleArn",
    role_session_name: b"roleSessionName",
    role_name: b"roleName",
    user_name: b"userName" | b"username",
    access_key_id: b"accessKeyId" | b"accesskeyid",
    status: b"status",
    policy_name: b"policyName",
    policy_arn: b"policyArn",
    policy_document: b"policyDocument",
    group_name: b"groupName",
    bucket_name: b"bucketName",
    key: b"key",
    name: b"name",
});

scanned_struct!(Response {
    credentials: b"credentials",
    assumed_role_user: b"assumedRoleUser",
    federated_user: b"federatedUser",
});

scanned_struct!(Credentials { access_key_id: b"accessKeyId" | b"accesskeyid", expiration: b"expiration" });

scanned_struct!(IssuedPrincipal { arn: b"arn" });

scanned_struct!(ServiceEventDetails { role_name: b"roleName" });

#[cfg(test)]
mod tests;
