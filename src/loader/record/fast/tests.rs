use super::*;
use crate::loader::record::{
    CreatedKey, CredentialSet, Credentials, InScopeOf, IssuedPrincipal, OnBehalfOf, PodSubject, Request, Response,
    ServiceEventDetails, SessionAttributes, SessionContext, SessionIssuer, UserIdentity,
};
use crate::loader::source::{Reader, Source, expand};
use crate::loader::tolerant::{Found, candidates};
use serde::Deserialize;
use serde::de::value::Error as DeError;

/// The field names serde's derive knows for a struct (it hands them to `deserialize_struct`).
struct FieldNames;

impl<'de> serde::Deserializer<'de> for FieldNames {
    type Error = DeError;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(serde::de::Error::custom(""))
    }
    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, DeError> {
        Err(serde::de::Error::custom(fields.join(",")))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

fn serde_keys<'de, T: Deserialize<'de>>() -> Vec<String> {
    match T::deserialize(FieldNames) {
        Err(e) => e.to_string().split(',').map(String::from).collect(),
        Ok(_) => Vec::new(),
    }
}

/// A struct's path in a record, the keys serde knows and the keys the scanner knows.
type Keys = (&'static str, Vec<String>, &'static [&'static str]);

fn structs() -> Vec<Keys> {
    vec![
        ("", serde_keys::<Record>(), Record::KEYS),
        ("userIdentity", serde_keys::<UserIdentity>(), UserIdentity::KEYS),
        ("userIdentity.sessionContext", serde_keys::<SessionContext>(), SessionContext::KEYS),
        ("userIdentity.sessionContext.attributes", serde_keys::<SessionAttributes>(), SessionAttributes::KEYS),
        ("userIdentity.sessionContext.sessionIssuer", serde_keys::<SessionIssuer>(), SessionIssuer::KEYS),
        ("userIdentity.inScopeOf", serde_keys::<InScopeOf>(), InScopeOf::KEYS),
        ("requestParameters", serde_keys::<Request>(), Request::KEYS),
        ("responseElements", serde_keys::<Response>(), Response::KEYS),
        ("responseElements.credentials", serde_keys::<Credentials>(), Credentials::KEYS),
        ("responseElements.assumedRoleUser", serde_keys::<IssuedPrincipal>(), IssuedPrincipal::KEYS),
        ("responseElements.accessKey", serde_keys::<CreatedKey>(), CreatedKey::KEYS),
        ("responseElements.subject", serde_keys::<PodSubject>(), PodSubject::KEYS),
        ("responseElements.credentialSet", serde_keys::<CredentialSet>(), CredentialSet::KEYS),
        ("userIdentity.onBehalfOf", serde_keys::<OnBehalfOf>(), OnBehalfOf::KEYS),
        ("serviceEventDetails", serde_keys::<ServiceEventDetails>(), ServiceEventDetails::KEYS),
    ]
}

/// `inner` placed at `path`; an array field read by its first element (`FirstOf`) holds it
/// as its first element.
fn nest(path: &str, inner: &str) -> String {
    path.rsplit('.').filter(|p| !p.is_empty()).fold(inner.to_string(), |acc, p| {
        if p == "credentialSet" { format!("{{\"{p}\":[{acc}]}}") } else { format!("{{\"{p}\":{acc}}}") }
    })
}

fn scanned(text: &str) -> Option<Record<'_>> {
    scan_only(text)
}

/// The scanner either gives up or reads exactly what serde reads.
fn agrees(text: &str) -> bool {
    let reference = serde_json::from_str::<Record>(text);
    match scanned(text) {
        None => false,
        Some(fast) => match reference {
            Ok(r) => {
                assert_eq!(format!("{fast:?}"), format!("{r:?}"), "{text}");
                true
            }
            Err(e) => panic!("scanner read what serde rejects ({e}): {text}"),
        },
    }
}

#[test]
fn scanner_knows_every_key_serde_knows_and_no_other() {
    for (path, serde, scanner) in structs() {
        assert!(!serde.is_empty(), "{path}");
        let scanner: Vec<String> = scanner.iter().map(|k| k.to_string()).collect();
        for k in &serde {
            assert!(scanner.contains(k), "scanner does not know {path}.{k}");
        }
        for k in &scanner {
            // Lowercase aliases are not in serde's list of names; check they mean something.
            if !serde.contains(k) {
                let doc = nest(path, &format!("{{\"{k}\":\"v\"}}"));
                let empty = format!("{:?}", Record::default());
                let r = serde_json::from_str::<Record>(&doc).expect("parse");
                assert_ne!(format!("{r:?}"), empty, "serde ignores {path}.{k}");
            }
        }
    }
}

#[test]
fn scanner_and_serde_agree_on_every_key_and_value_shape() {
    let values =
        [r#""v""#, r#""a\"b\u00e9""#, "12", "-3", "true", "null", r#"{"arn":"x","type":"y"}"#, "[1,{}]", r#""""#];
    for (path, _, keys) in structs() {
        for k in keys.iter() {
            for v in values {
                let doc = nest(path, &format!("{{\"other\":[1],\"{k}\":{v}}}"));
                assert!(agrees(&doc), "scanner gave up on {doc}");
            }
            // A key seen twice: the scanner gives up and serde decides (it refuses the record).
            let twice = nest(path, &format!("{{\"{k}\":\"a\",\"{k}\":\"b\"}}"));
            assert!(scanned(&twice).is_none(), "the scanner should leave {twice} to serde");
            // A number serde prints its own way: the scanner gives up, or reads what serde
            // reads (`agrees` fails the test on any difference).
            let _ = agrees(&nest(path, &format!("{{\"{k}\":1.5}}")));
        }
    }
}

#[test]
fn scanner_reads_every_real_record_as_serde_does() {
    let mut sources = crate::loader::sample::sources();
    // The sample alone holds 2,691 record candidates; with the real corpus, over 3,000.
    let mut least = 2600;
    if let Some(corpus) =
        crate::testing::shared_corpus("", "scanner_reads_every_real_record_as_serde_does (corpus part)")
    {
        sources.extend(expand(&[corpus]).0);
        least = 3000;
    }
    let (mut read, mut gave_up) = (0, 0);
    for src in sources.iter().filter(|s| !matches!(s, Source::File(p) if p.extension().is_some_and(|e| e == "md"))) {
        let mut reader = Reader::default();
        let Ok((_, bytes)) = src.read_with(&mut reader) else { continue };
        let _ = candidates(bytes, &mut |found| {
            if let Found::Candidate(v) = found {
                if agrees(v.get()) {
                    read += 1;
                } else if serde_json::from_str::<Record>(v.get()).is_ok() {
                    gave_up += 1;
                }
            }
        });
    }
    assert!(read > least, "{read} records read, expected over {least}");
    assert_eq!(gave_up, 0, "records serde reads but the scanner does not");
}

#[test]
fn scanner_and_serde_agree_on_the_first_of_an_array() {
    for set in [
        r#"[{"credentials":{"accessKeyId":"ASIAX"},"roleArn":"r"},{"roleArn":"second"}]"#,
        r#"[]"#,
        r#"[1,{"roleArn":"r"}]"#,
        r#"{"roleArn":"r"}"#,
        r#""x""#,
        "null",
    ] {
        let doc = format!(r#"{{"responseElements":{{"credentialSet":{set}}}}}"#);
        assert!(agrees(&doc), "scanner gave up on {doc}");
    }
    let r = scan_only(r#"{"responseElements":{"credentialSet":[{"roleArn":"first"},{"roleArn":"second"}]}}"#)
        .expect("read");
    assert_eq!(r.response_elements.0.credential_set.0.role_arn.get(), Some("first"));
}
