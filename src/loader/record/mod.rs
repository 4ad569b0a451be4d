//! The typed, borrowed view of one CloudTrail record, read without building a DOM.
//!
//! Every field is lenient: a string where an object was expected (or the reverse) reads
//! as absent rather than rejecting the record, because schema drift is normal in real logs.
//! Strings borrow from the file buffer unless they contain escapes.

#[macro_use]
mod declare;
mod as_written;
mod fast;

pub use fast::{Scanned, parse, scan_only};
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// How the scanner found one object's fields, beyond their values: which declared fields it
/// met (under any key) and, for a struct declared `as_written`, which under their own key
/// (not an alias) as a JSON string (not empty) or an object, and whether a key it does not know holds a dot (a Sigma field name looks such a
/// key up before the nested one). Each mask has a bit per field (`Record::bit(key)`). serde
/// leaves it `scanned: false`: nothing is known. It says whether the index holds a field as
/// it was written (`Record::as_written`); it is not part of the record's value, so `Debug`
/// shows nothing of it (the tests compare what both readers read through `Debug`).
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub scanned: bool,
    pub seen: u64,
    pub strings: u64,
    pub objects: u64,
    pub dotted: bool,
}

impl Read {
    /// A declared field met under its own key, its value of `kind` (`Cursor::value_kind`).
    #[inline]
    pub fn own(&mut self, bit: u32, kind: u8) {
        match kind {
            b'"' => self.strings |= 1 << bit,
            b'{' => self.objects |= 1 << bit,
            _ => {}
        }
    }

    /// Every field of `mask` the object has is a string under its own key.
    fn strings_or_absent(&self, mask: u64) -> bool {
        self.seen & mask & !self.strings == 0
    }
}

/// Whether a key holds a dot, eight bytes at a time: a record has a dozen keys the scanner
/// does not know, and testing them byte by byte (`contains`) cost some 350 instructions a
/// record.
#[inline]
pub fn has_dot(key: &[u8]) -> bool {
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    const LOW: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `x` is zero where the word had a dot (the zero-byte test is exact).
    let dot_in = |w: u64| {
        let x = w ^ DOTS;
        x.wrapping_sub(LOW) & !x & HIGH != 0
    };
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or([0; 8]));
    match key.len().checked_sub(8) {
        // The last word overlaps the others: no byte is left over.
        Some(last) => key.chunks_exact(8).any(|w| dot_in(word(w))) || dot_in(word(&key[last..])),
        // Short keys: their bytes in one word, padded with zeros (not dots).
        None => dot_in(key.iter().fold(0, |w, &b| w << 8 | u64::from(b))),
    }
}

impl fmt::Debug for Read {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("_")
    }
}

/// A scalar read as text: strings as they are, numbers and booleans as their JSON text,
/// anything else (null, objects, arrays) as absent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Str<'a>(pub Option<Cow<'a, str>>);

impl<'a> Str<'a> {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v))))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Str(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Str(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Str(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Str(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The visitor methods for a string, a number, a boolean or null: each reads as the
/// field's default (schema drift is normal; an odd type is absent, never a rejected record).
macro_rules! scalars_read_as_default {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

/// An object field that may hold anything: `T` when it is an object, default otherwise.
#[derive(Debug, Default, Clone)]
pub struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(m)).map(Obj)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj(T::default()))
            }
            scalars_read_as_default!();
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// An array field of which only the first element counts (`credentialSet`: Roles Anywhere
/// returns one set per call): its first element when that is an object, default otherwise.
#[derive(Debug, Default, Clone)]
pub struct FirstOf<T>(pub T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for FirstOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = FirstOf<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let first = s.next_element::<Obj<T>>()?.map(|o| o.0).unwrap_or_default();
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstOf(first))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FirstOf(T::default()))
            }
            scalars_read_as_default!();
        }
        d.deserialize_any(V(PhantomData))
    }
}

record_struct! {
    /// One CloudTrail event, or one of the wrappers around it (lookup-events, EventBridge).
    Record: as_written {
        event_version: Str<'a> = "eventVersion" | "eventversion",
        event_time: Str<'a> = "eventTime" | "eventtime",
        event_name: Str<'a> = "eventName" | "eventname",
        event_source: Str<'a> = "eventSource" | "eventsource",
        event_id: Str<'a> = "eventID" | "eventid",
        event_type: Str<'a> = "eventType" | "eventtype",
        aws_region: Str<'a> = "awsRegion" | "awsregion",
        source_ip_address: Str<'a> = "sourceIPAddress" | "sourceipaddress",
        user_agent: Str<'a> = "userAgent" | "useragent",
        error_code: Str<'a> = "errorCode" | "errorcode",
        error_message: Str<'a> = "errorMessage" | "errormessage",
        shared_event_id: Str<'a> = "sharedEventID" | "sharedeventid",
        request_id: Str<'a> = "requestID" | "requestid",
        recipient_account_id: Str<'a> = "recipientAccountId" | "recipientaccountid",
        user_identity: Obj<UserIdentity<'a>> = "userIdentity" | "useridentity",
        request_parameters: Obj<Request<'a>> = "requestParameters",
        response_elements: Obj<Response<'a>> = "responseElements",
        service_event_details: Obj<ServiceEventDetails<'a>> = "serviceEventDetails",
        /// Athena / DuckDB result rows: the request and response are JSON strings.
        row_request: Str<'a> = "requestparameters",
        row_response: Str<'a> = "responseelements",
        /// lookup-events wrapper: the event is a JSON string; outer fields are the fallback.
        cloudtrail_event: Str<'a> = "CloudTrailEvent",
        outer_event_id: Str<'a> = "EventId",
        outer_event_name: Str<'a> = "EventName",
        outer_event_time: Str<'a> = "EventTime",
        outer_event_source: Str<'a> = "EventSource",
        outer_access_key_id: Str<'a> = "AccessKeyId",
        outer_username: Str<'a> = "Username",
        outer_user_identity: Obj<UserIdentity<'a>> = "UserIdentity",
        /// EventBridge wrapper.
        detail: Option<&'a RawValue> = "detail",
        detail_type: Str<'a> = "detail-type",
        /// A CloudWatch Logs log event: the event as JSON text.
        log_message: Str<'a> = "message",
        /// Newer events of console sessions: `"true"` (or `true`).
        session_credential_from_console: Str<'a> = "sessionCredentialFromConsole",
    }
}

record_struct! {
    UserIdentity: as_written {
        kind: Str<'a> = "type",
        principal_id: Str<'a> = "principalId" | "principalid",
        arn: Str<'a> = "arn",
        account_id: Str<'a> = "accountId" | "accountid",
        access_key_id: Str<'a> = "accessKeyId" | "accesskeyid",
        user_name: Str<'a> = "userName" | "username",
        invoked_by: Str<'a> = "invokedBy" | "invokedby",
        session_context: Obj<SessionContext<'a>> = "sessionContext" | "sessioncontext",
        in_scope_of: Obj<InScopeOf<'a>> = "inScopeOf",
        /// IAM Identity Center: the person the session acts for.
        on_behalf_of: Obj<OnBehalfOf<'a>> = "onBehalfOf",
    }
}

record_struct! {
    SessionContext: as_written {
        attributes: Obj<SessionAttributes<'a>> = "attributes",
        session_issuer: Obj<SessionIssuer<'a>> = "sessionIssuer" | "sessionissuer",
        ec2_role_delivery: Option<IgnoredAny> = "ec2RoleDelivery" | "ec2roledelivery",
        source_identity: Str<'a> = "sourceIdentity",
    }
}

record_struct! {
    SessionAttributes {
        creation_date: Str<'a> = "creationDate" | "creationdate",
        mfa_authenticated: Str<'a> = "mfaAuthenticated" | "mfaauthenticated",
    }
}

record_struct! {
    SessionIssuer: as_written {
        kind: Str<'a> = "type",
        arn: Str<'a> = "arn",
        user_name: Str<'a> = "userName" | "username",
    }
}

record_struct! {
    InScopeOf {
        credentials_issued_to: Str<'a> = "credentialsIssuedTo",
    }
}

record_struct! {
    /// The request parameters the lineage and checklist read; all else is skipped.
    Request {
        role_arn: Str<'a> = "roleArn",
        role_session_name: Str<'a> = "roleSessionName",
        role_name: Str<'a> = "roleName",
        user_name: Str<'a> = "userName" | "username",
        access_key_id: Str<'a> = "accessKeyId" | "accesskeyid",
        status: Str<'a> = "status",
        policy_name: Str<'a> = "policyName",
        policy_arn: Str<'a> = "policyArn",
        policy_document: Str<'a> = "policyDocument",
        group_name: Str<'a> = "groupName",
        bucket_name: Str<'a> = "bucketName",
        key: Str<'a> = "key",
        name: Str<'a> = "name",
    }
}

record_struct! {
    Response {
        credentials: Obj<Credentials<'a>> = "credentials",
        assumed_role_user: Obj<IssuedPrincipal<'a>> = "assumedRoleUser",
        federated_user: Obj<IssuedPrincipal<'a>> = "federatedUser",
        /// `ConsoleLogin`'s outcome: `"Success"` or `"Failure"`.
        console_login: Str<'a> = "ConsoleLogin",
        /// IAM Roles Anywhere's `CreateSession`: the credentials, in a one-element array.
        credential_set: FirstOf<CredentialSet<'a>> = "credentialSet",
        /// EKS Pod Identity: the pod's namespace and service account.
        subject: Obj<PodSubject<'a>> = "subject",
        /// `CreateAccessKey`'s new key.
        access_key: Obj<CreatedKey<'a>> = "accessKey",
    }
}

record_struct! {
    Credentials {
        access_key_id: Str<'a> = "accessKeyId" | "accesskeyid",
        expiration: Str<'a> = "expiration",
    }
}

record_struct! {
    CredentialSet {
        assumed_role_user: Obj<IssuedPrincipal<'a>> = "assumedRoleUser",
        credentials: Obj<Credentials<'a>> = "credentials",
        role_arn: Str<'a> = "roleArn",
        source_identity: Str<'a> = "sourceIdentity",
    }
}

record_struct! {
    OnBehalfOf {
        user_id: Str<'a> = "userId",
        identity_store_arn: Str<'a> = "identityStoreArn",
    }
}

record_struct! {
    PodSubject {
        namespace: Str<'a> = "namespace",
        service_account: Str<'a> = "serviceAccount",
    }
}

record_struct! {
    CreatedKey {
        access_key_id: Str<'a> = "accessKeyId",
        status: Str<'a> = "status",
        user_name: Str<'a> = "userName",
    }
}

record_struct! {
    IssuedPrincipal {
        arn: Str<'a> = "arn",
    }
}

record_struct! {
    ServiceEventDetails {
        role_name: Str<'a> = "roleName" | "role_name",
        /// Identity Center's `GetRoleCredentials`: the member account.
        account_id: Str<'a> = "account_id" | "accountId",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_read_as_absent_instead_of_failing() {
        let j = r#"{"eventTime":"2020-01-01T00:00:00Z","eventName":7,"userIdentity":"nope",
                   "requestParameters":[1,2],"responseElements":{"credentials":"x"},"errorCode":null}"#;
        let r: Record = serde_json::from_str(j).expect("lenient");
        assert_eq!(r.event_name.get(), Some("7"));
        assert!(r.user_identity.0.arn.get().is_none());
        assert!(r.response_elements.0.credentials.0.access_key_id.get().is_none());
        assert!(r.error_code.get().is_none());
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let j = r#"{"eventName":"GetObject","userAgent":"a\"b"}"#;
        let r: Record = serde_json::from_str(j).expect("parse");
        assert!(matches!(r.event_name.0, Some(Cow::Borrowed(_))));
        assert_eq!(r.user_agent.get(), Some("a\"b"));
    }
}

#[cfg(test)]
mod has_dot_tests {
    #[test]
    fn a_dot_is_found_wherever_it_is_and_only_then() {
        for len in 0..40 {
            let plain = vec![b'a'; len];
            assert!(!super::has_dot(&plain), "{len}");
            for at in 0..len {
                let mut k = plain.clone();
                k[at] = b'.';
                assert!(super::has_dot(&k), "{len} {at}");
            }
        }
        // Bytes near a dot's value, and every other byte, are not dots.
        let others: Vec<u8> = (0..=255u8).filter(|&b| b != b'.').collect();
        assert!(!super::has_dot(&others));
    }
}
