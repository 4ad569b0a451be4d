//! Whether the index holds a record's `AS_WRITTEN` fields (`index::event`) exactly as the
//! record wrote them, so that what a Sigma rule reads of them can be taken from the index
//! instead of the text. It holds when the scanner read the record (serde's reading tells
//! nothing of how fields were written), no envelope key is there (the engine then opens the
//! envelope), and on the way to each field — the record, `userIdentity`, its
//! `sessionContext`, its `sessionIssuer` — every object is one (not a string, not under a
//! lower-case alias) and holds no unknown key with a dot in it (the engine looks the dotted
//! name up as a key first), and every field is absent or a string that is not empty under its
//! own key (the index holds an empty string, a number, `null` and an alias's value as it
//! does an absent field or the field itself).

use super::{Read, Record, SessionContext, SessionIssuer, UserIdentity};
use crate::cloudtrail::envelope::Envelope;
use crate::index::event::AS_WRITTEN;
use std::sync::LazyLock;

/// The bits (`Read`) of what `as_written` checks, per object on the way.
struct Masks {
    /// Keys that make a record an envelope (as the cut-down event decides it).
    envelope: u64,
    record: u64,
    identity: u64,
    issuer: u64,
    user_identity: u64,
    session_context: u64,
    session_issuer: u64,
}

static MASKS: LazyLock<Masks> = LazyLock::new(|| {
    let mut m = Masks {
        envelope: 0,
        record: 0,
        identity: 0,
        issuer: 0,
        user_identity: Record::bit("userIdentity"),
        session_context: UserIdentity::bit("sessionContext"),
        session_issuer: SessionContext::bit("sessionIssuer"),
    };
    for key in Envelope::ALL.iter().flat_map(|e| e.json_string_keys().iter().copied().chain(e.event_holder())) {
        m.envelope |= Record::bit(key);
    }
    for (name, _) in AS_WRITTEN {
        match name.split('.').collect::<Vec<_>>()[..] {
            [key] => m.record |= Record::bit(key),
            ["userIdentity", key] => m.identity |= UserIdentity::bit(key),
            ["userIdentity", "sessionContext", "sessionIssuer", key] => m.issuer |= SessionIssuer::bit(key),
            _ => unreachable!("AS_WRITTEN field {name} is not on a path Record::as_written checks"),
        }
    }
    m
});

/// An object on the way to a field: absent, or an object under its own key with no dotted
/// unknown key. `inner` is its `Read` when it is there.
fn on_the_way(outer: &Read, bit: u64, inner: &Read) -> bool {
    outer.seen & bit == 0 || (outer.objects & bit != 0 && inner.scanned && !inner.dotted)
}

impl Record<'_> {
    /// See the module: the index holds every `AS_WRITTEN` field of this record as written.
    pub fn as_written(&self) -> bool {
        let m = &*MASKS;
        let (r, ui) = (&self.read, &self.user_identity.0);
        let (sc, si) = (&ui.session_context.0, &ui.session_context.0.session_issuer.0);
        r.scanned
            && !r.dotted
            && r.seen & m.envelope == 0
            && r.strings_or_absent(m.record)
            && (r.seen & m.user_identity == 0
                || (on_the_way(r, m.user_identity, &ui.read)
                    && ui.read.strings_or_absent(m.identity)
                    && on_the_way(&ui.read, m.session_context, &sc.read)
                    && (ui.read.seen & m.session_context == 0
                        || (on_the_way(&sc.read, m.session_issuer, &si.read) && si.read.strings_or_absent(m.issuer)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::record::parse;

    #[test]
    fn every_field_and_object_on_the_way_has_a_bit() {
        let m = &*MASKS;
        assert_eq!(m.record.count_ones(), 6);
        assert_eq!(m.identity.count_ones(), 2);
        assert_eq!(m.issuer.count_ones(), 1);
        assert!(m.envelope.count_ones() >= 4);
        assert!(m.user_identity != 0 && m.session_context != 0 && m.session_issuer != 0);
    }

    #[test]
    fn only_a_record_whose_fields_the_index_holds_as_written_is_as_written() {
        let plain = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"a","sessionContext":
            {"sessionIssuer":{"type":"Role","arn":"r"},"attributes":{"creationDate":"x"}}},
            "eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",
            "awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"ua","readOnly":true,
            "requestParameters":{"bucketName":"b","a.b":1}}"#;
        assert!(parse(plain).expect("parse").as_written(), "{plain}");
        assert!(parse(r#"{"eventName":"X","eventTime":"t"}"#).expect("parse").as_written(), "absent fields");
        let not = [
            (r#""awsRegion":"us-east-1""#, r#""awsregion":"us-east-1""#, "an alias"),
            (r#""awsRegion":"us-east-1""#, r#""awsRegion":"""#, "an empty string"),
            (r#""awsRegion":"us-east-1""#, r#""awsRegion":null"#, "null"),
            (r#""awsRegion":"us-east-1""#, r#""awsRegion":7"#, "a number"),
            (r#""awsRegion":"us-east-1""#, r#""awsRegion":["us-east-1"]"#, "an array"),
            (r#""readOnly":true"#, r#""userIdentity.type":"Root""#, "a dotted key in the record"),
            (r#""arn":"a","#, r#""arn":"a","x.y":1,"#, "a dotted key in userIdentity"),
            (r#""arn":"r"}"#, r#""arn":"r","type.x":1}"#, "a dotted key in the issuer"),
            (r#""type":"Role""#, r#""type":"""#, "an empty issuer type"),
            (r#""type":"AssumedRole""#, r#""type":1"#, "a number for the identity type"),
            (r#""sessionIssuer":{"type":"Role","arn":"r"}"#, r#""sessionissuer":{"type":"Role"}"#, "an aliased object"),
            (r#""readOnly":true"#, r#""CloudTrailEvent":null"#, "an envelope key"),
            (r#""readOnly":true"#, r#""message":"m""#, "an envelope key"),
            (r#""readOnly":true"#, r#""eventName":"Y""#, "a key twice (serde's reading)"),
        ];
        for (from, to, why) in not {
            assert!(plain.contains(from), "{from}");
            let text = plain.replacen(from, to, 1);
            let read = parse(&text).map(|r| r.as_written());
            assert!(!read.unwrap_or(false), "{why}: {text}");
        }
        let odd_identity = plain.replacen(r#""userIdentity":{"#, r#""userIdentity":"x","y":{"#, 1);
        assert!(!parse(&odd_identity).expect("parse").as_written(), "userIdentity not an object");
    }
}
