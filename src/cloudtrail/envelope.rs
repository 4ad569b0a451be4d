//! The envelopes CloudTrail events arrive in, declared once. The loader opens each of
//! them (`loader::extract`, whose match on `Envelope` must name every one), redaction and the
//! detail view open the same JSON strings (`json_string_keys`), and the tests wrap one
//! event in every envelope (`wrap`) to check that each is read and each is redacted.

use serde_json::{Value, json};

/// The keys of a CloudTrail digest file (a file of hashes, not of events).
pub const DIGEST_KEYS: [&str; 2] = ["digestStartTime", "logFiles"];

/// The key naming a CloudWatch Logs payload's type, and the type that holds no log events
/// (a health check of the destination): skipped, saying so.
pub const PAYLOAD_TYPE_KEY: &str = "messageType";
pub const CONTROL_MESSAGE: &str = "CONTROL_MESSAGE";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// An S3 delivery (`AWSLogs/…/*.json.gz`): `{"Records": [event, …]}`.
    S3Delivery,
    /// `aws cloudtrail lookup-events`: `{"Events": [{"EventId", …, "CloudTrailEvent": "<event as JSON text>"}]}`.
    LookupEvents,
    /// EventBridge's "AWS API Call via CloudTrail": `{"detail-type", "detail": event}`.
    EventBridge,
    /// An Athena or DuckDB result row (lower-case columns), whose request and response
    /// are JSON held in strings.
    QueryRow,
    /// A CloudWatch Logs subscription payload (plain or gzip, one or many per file):
    /// `{"messageType": "DATA_MESSAGE", "logEvents": [{"id", "timestamp", "message": "<event as JSON text>"}]}`.
    CloudWatchLogs,
    /// A bare event: one per file, in a JSON array, or one per line (JSON Lines).
    Bare,
}

impl Envelope {
    pub const ALL: [Envelope; 6] = [
        Envelope::S3Delivery,
        Envelope::LookupEvents,
        Envelope::EventBridge,
        Envelope::QueryRow,
        Envelope::CloudWatchLogs,
        Envelope::Bare,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Envelope::S3Delivery => "S3 delivery",
            Envelope::LookupEvents => "lookup-events output",
            Envelope::EventBridge => "EventBridge event",
            Envelope::QueryRow => "Athena/DuckDB result row",
            Envelope::CloudWatchLogs => "CloudWatch Logs subscription payload",
            Envelope::Bare => "bare event or JSON Lines",
        }
    }

    /// The key of the array that holds a file's records, for the envelopes that have one.
    pub fn records_key(self) -> Option<&'static str> {
        match self {
            Envelope::S3Delivery => Some("Records"),
            Envelope::LookupEvents => Some("Events"),
            Envelope::CloudWatchLogs => Some("logEvents"),
            _ => None,
        }
    }

    /// True for a key that holds a file's records (`Records`, `Events`).
    pub fn is_records_key(key: &[u8]) -> bool {
        Envelope::ALL.iter().any(|e| e.records_key().is_some_and(|k| k.as_bytes() == key))
    }

    /// The key that holds the event itself as an object.
    pub fn event_key(self) -> Option<&'static str> {
        match self {
            Envelope::EventBridge => Some("detail"),
            _ => None,
        }
    }

    /// The key that holds the event itself, as an object or as a JSON string (a query row is
    /// the event, its JSON strings are parts of it).
    pub fn event_holder(self) -> Option<&'static str> {
        match self {
            Envelope::EventBridge => Some("detail"),
            Envelope::LookupEvents => Some("CloudTrailEvent"),
            Envelope::CloudWatchLogs => Some("message"),
            _ => None,
        }
    }

    /// The keys whose string values are JSON: the event itself, or parts of it.
    pub fn json_string_keys(self) -> &'static [&'static str] {
        match self {
            Envelope::LookupEvents => &["CloudTrailEvent"],
            Envelope::QueryRow => &["requestparameters", "responseelements"],
            Envelope::CloudWatchLogs => &["message"],
            _ => &[],
        }
    }

    /// A document holding `event` in this envelope, as the service writes it.
    pub fn wrap(self, event: &Value) -> Value {
        let field = |k: &str| event.get(k).cloned().unwrap_or(Value::Null);
        match self {
            Envelope::S3Delivery => json!({"Records": [event]}),
            Envelope::LookupEvents => json!({"Events": [{
                "EventId": field("eventID"), "EventName": field("eventName"), "ReadOnly": "false",
                "EventTime": field("eventTime"), "EventSource": field("eventSource"),
                "CloudTrailEvent": event.to_string(),
            }]}),
            Envelope::EventBridge => json!({
                "version": "0", "id": "6f6f6f6f-0000-4000-8000-000000000000",
                "detail-type": "AWS API Call via CloudTrail", "source": "aws.sts",
                "time": field("eventTime"), "detail": event,
            }),
            Envelope::QueryRow => {
                let mut row = serde_json::Map::new();
                for (k, v) in event.as_object().into_iter().flatten() {
                    let k = k.to_ascii_lowercase();
                    let v = if self.json_string_keys().contains(&k.as_str()) {
                        Value::String(v.to_string())
                    } else {
                        v.clone()
                    };
                    row.insert(k, v);
                }
                Value::Object(row)
            }
            Envelope::CloudWatchLogs => json!({
                "messageType": "DATA_MESSAGE", "owner": "111122223333", "logGroup": "aws-cloudtrail-logs",
                "logStream": "111122223333_CloudTrail_us-east-1", "subscriptionFilters": ["cloudtrail"],
                "logEvents": [{"id": "36153098436345468916787962361530984363454689167879623", "timestamp": 1704067200000_u64,
                               "message": event.to_string()}],
            }),
            Envelope::Bare => event.clone(),
        }
    }

    /// The keys a record in this envelope is opened by (the loader's record must read them).
    pub fn record_keys(self) -> impl Iterator<Item = &'static str> {
        self.event_key().into_iter().chain(self.json_string_keys().iter().copied())
    }
}
