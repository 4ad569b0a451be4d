//! The typed, borrowed view of one CloudTrail record, read without building a DOM.
//!
//! Every field is lenient: a string where an object was expected (or the reverse) reads
//! as absent rather than rejecting the record, because schema drift is normal in real logs.
//! Strings borrow from the file buffer unless they contain escapes.

mod fast;

pub use fast::{Scanned, parse, scan_only};
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

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
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Obj(T::default()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// One CloudTrail event, or one of the wrappers around it (lookup-events, EventBridge).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Record<'a> {
    #[serde(borrow, alias = "eventversion")]
    pub event_version: Str<'a>,
    #[serde(borrow, alias = "eventtime")]
    pub event_time: Str<'a>,
    #[serde(borrow, alias = "eventname")]
    pub event_name: Str<'a>,
    #[serde(borrow, alias = "eventsource")]
    pub event_source: Str<'a>,
    #[serde(borrow, rename = "eventID", alias = "eventid")]
    pub event_id: Str<'a>,
    #[serde(borrow, alias = "eventtype")]
    pub event_type: Str<'a>,
    #[serde(borrow, alias = "awsregion")]
    pub aws_region: Str<'a>,
    #[serde(borrow, rename = "sourceIPAddress", alias = "sourceipaddress")]
    pub source_ip_address: Str<'a>,
    #[serde(borrow, alias = "useragent")]
    pub user_agent: Str<'a>,
    #[serde(borrow, alias = "errorcode")]
    pub error_code: Str<'a>,
    #[serde(borrow, alias = "errormessage")]
    pub error_message: Str<'a>,
    #[serde(borrow, rename = "sharedEventID", alias = "sharedeventid")]
    pub shared_event_id: Str<'a>,
    #[serde(borrow, rename = "requestID", alias = "requestid")]
    pub request_id: Str<'a>,
    #[serde(borrow, alias = "recipientaccountid")]
    pub recipient_account_id: Str<'a>,
    #[serde(borrow, alias = "useridentity")]
    pub user_identity: Obj<UserIdentity<'a>>,
    #[serde(borrow)]
    pub request_parameters: Obj<Request<'a>>,
    #[serde(borrow)]
    pub response_elements: Obj<Response<'a>>,
    #[serde(borrow)]
    pub service_event_details: Obj<ServiceEventDetails<'a>>,
    // Athena / DuckDB result rows: the request and response are JSON strings.
    #[serde(borrow, rename = "requestparameters")]
    pub row_request: Str<'a>,
    #[serde(borrow, rename = "responseelements")]
    pub row_response: Str<'a>,
    // lookup-events wrapper: the event is a JSON string; outer fields are the fallback.
    #[serde(borrow, rename = "CloudTrailEvent")]
    pub cloudtrail_event: Str<'a>,
    #[serde(borrow, rename = "EventId")]
    pub outer_event_id: Str<'a>,
    #[serde(borrow, rename = "EventName")]
    pub outer_event_name: Str<'a>,
    #[serde(borrow, rename = "EventTime")]
    pub outer_event_time: Str<'a>,
    #[serde(borrow, rename = "EventSource")]
    pub outer_event_source: Str<'a>,
    #[serde(borrow, rename = "AccessKeyId")]
    pub outer_access_key_id: Str<'a>,
    #[serde(borrow, rename = "Username")]
    pub outer_username: Str<'a>,
    #[serde(borrow, rename = "UserIdentity")]
    pub outer_user_identity: Obj<UserIdentity<'a>>,
    // EventBridge wrapper.
    #[serde(borrow)]
    pub detail: Option<&'a RawValue>,
    #[serde(borrow, rename = "detail-type")]
    pub detail_type: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserIdentity<'a> {
    #[serde(borrow, rename = "type")]
    pub kind: Str<'a>,
    #[serde(borrow, alias = "principalid")]
    pub principal_id: Str<'a>,
    #[serde(borrow)]
    pub arn: Str<'a>,
    #[serde(borrow, alias = "accountid")]
    pub account_id: Str<'a>,
    #[serde(borrow, alias = "accesskeyid")]
    pub access_key_id: Str<'a>,
    #[serde(borrow, alias = "username")]
    pub user_name: Str<'a>,
    #[serde(borrow, alias = "invokedby")]
    pub invoked_by: Str<'a>,
    #[serde(borrow, alias = "sessioncontext")]
    pub session_context: Obj<SessionContext<'a>>,
    #[serde(borrow)]
    pub in_scope_of: Obj<InScopeOf<'a>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionContext<'a> {
    #[serde(borrow)]
    pub attributes: Obj<SessionAttributes<'a>>,
    #[serde(borrow, alias = "sessionissuer")]
    pub session_issuer: Obj<SessionIssuer<'a>>,
    #[serde(alias = "ec2roledelivery")]
    pub ec2_role_delivery: Option<IgnoredAny>,
    #[serde(borrow)]
    pub source_identity: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionAttributes<'a> {
    #[serde(borrow, alias = "creationdate")]
    pub creation_date: Str<'a>,
    #[serde(borrow, alias = "mfaauthenticated")]
    pub mfa_authenticated: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionIssuer<'a> {
    #[serde(borrow, rename = "type")]
    pub kind: Str<'a>,
    #[serde(borrow)]
    pub arn: Str<'a>,
    #[serde(borrow, alias = "username")]
    pub user_name: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InScopeOf<'a> {
    #[serde(borrow)]
    pub credentials_issued_to: Str<'a>,
}

/// The request parameters the lineage and checklist read; all else is skipped.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Request<'a> {
    #[serde(borrow)]
    pub role_arn: Str<'a>,
    #[serde(borrow)]
    pub role_session_name: Str<'a>,
    #[serde(borrow)]
    pub role_name: Str<'a>,
    #[serde(borrow, alias = "username")]
    pub user_name: Str<'a>,
    #[serde(borrow, alias = "accesskeyid")]
    pub access_key_id: Str<'a>,
    #[serde(borrow)]
    pub status: Str<'a>,
    #[serde(borrow)]
    pub policy_name: Str<'a>,
    #[serde(borrow)]
    pub policy_arn: Str<'a>,
    #[serde(borrow)]
    pub policy_document: Str<'a>,
    #[serde(borrow)]
    pub group_name: Str<'a>,
    #[serde(borrow)]
    pub bucket_name: Str<'a>,
    #[serde(borrow)]
    pub key: Str<'a>,
    #[serde(borrow)]
    pub name: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Response<'a> {
    #[serde(borrow)]
    pub credentials: Obj<Credentials<'a>>,
    #[serde(borrow)]
    pub assumed_role_user: Obj<IssuedPrincipal<'a>>,
    #[serde(borrow)]
    pub federated_user: Obj<IssuedPrincipal<'a>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Credentials<'a> {
    #[serde(borrow, alias = "accesskeyid")]
    pub access_key_id: Str<'a>,
    #[serde(borrow)]
    pub expiration: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssuedPrincipal<'a> {
    #[serde(borrow)]
    pub arn: Str<'a>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceEventDetails<'a> {
    #[serde(borrow)]
    pub role_name: Str<'a>,
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
