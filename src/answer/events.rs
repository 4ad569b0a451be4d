//! `tokentrail events`: normalised events as JSON Lines or a table.

use super::non_empty;
use crate::index::Index;
use crate::index::event::{Event, Field};
use crate::text::{pad, sanitize};
use crate::time::format_time;
use serde::Serialize;
use serde_json::Value;

/// One event (a line of `events --json`); fields in the order the JSON has always had
/// them (alphabetical).
#[derive(Debug, Serialize)]
pub struct EventAnswer {
    pub access_key_id: Option<String>,
    pub account_id: Option<String>,
    pub error_code: Option<String>,
    /// `--full` only (null when the event has none), like the two below.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Value>,
    pub event_id: String,
    pub event_name: Option<String>,
    pub event_source: Option<String>,
    pub event_time: String,
    pub identity_type: Option<String>,
    pub principal_arn: Option<String>,
    pub region: Option<String>,
    /// Redacted, with every JSON string an envelope holds opened up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_parameters: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_elements: Option<Value>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
}

impl EventAnswer {
    pub fn new(ix: &Index, e: &Event) -> EventAnswer {
        let f = |x: Field| non_empty(&ix.field(e, x));
        EventAnswer {
            access_key_id: f(Field::Key),
            account_id: f(Field::Account),
            error_code: f(Field::Error),
            error_message: None,
            event_id: ix.event_id(e),
            event_name: f(Field::Name),
            event_source: f(Field::Source),
            event_time: format_time(e.time),
            identity_type: f(Field::IdentityType),
            principal_arn: f(Field::Principal),
            region: f(Field::Region),
            request_parameters: None,
            response_elements: None,
            source_ip: f(Field::Ip),
            user_agent: f(Field::UserAgent),
        }
    }

    /// With what `--full` adds, read from the event's original text (secrets redacted): its
    /// request parameters, response elements and error message, each null when absent or
    /// when the text could not be read again.
    pub fn with_full(mut self, raw: Option<&str>) -> EventAnswer {
        let event = raw.map(crate::redact::event_value).unwrap_or(Value::Null);
        let get = |k: &str| Some(crate::redact::value_at(&event, k).cloned().unwrap_or(Value::Null));
        self.request_parameters = get("requestParameters");
        self.response_elements = get("responseElements");
        self.error_message = get("errorMessage");
        self
    }

    /// One line of JSON Lines (no final newline).
    pub fn json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

pub fn text_line(ix: &Index, e: &Event) -> String {
    // Columns by display width, values longer than theirs kept whole (a table for reading,
    // `--json` for machines): only the padding is computed by width.
    let f = |x: Field, w: usize| {
        let text = ix.field(e, x);
        let v = sanitize(&text);
        if crate::text::display_width(&v) >= w { v.into_owned() } else { pad(&v, w) }
    };
    format!(
        "{}  {}  {}  {}  {}  {}",
        format_time(e.time),
        f(Field::Key, 20),
        f(Field::Name, 28),
        f(Field::Principal, 40),
        f(Field::Ip, 15),
        sanitize(ix.text(e, Field::Error))
    )
}
