//! `tokentrail events`: normalised events as JSON Lines or a table.

use super::str_or_null;
use crate::index::Index;
use crate::index::event::{Event, Field};
use crate::text::sanitize;
use crate::time::format_time;
use serde_json::{Value, json};

pub fn json(ix: &Index, e: &Event) -> Value {
    let f = |x: Field| str_or_null(ix.field(e, x));
    json!({
        "event_id": ix.event_id(e),
        "event_time": format_time(e.time),
        "event_name": f(Field::Name),
        "event_source": f(Field::Source),
        "identity_type": f(Field::IdentityType),
        "principal_arn": f(Field::Principal),
        "access_key_id": f(Field::Key),
        "source_ip": f(Field::Ip),
        "user_agent": f(Field::UserAgent),
        "region": f(Field::Region),
        "account_id": f(Field::Account),
        "error_code": f(Field::Error),
    })
}

pub fn text_line(ix: &Index, e: &Event) -> String {
    let f = |x: Field| sanitize(ix.field(e, x)).into_owned();
    format!(
        "{}  {:<20}  {:<28}  {:<40}  {:<15}  {}",
        format_time(e.time),
        f(Field::Key),
        f(Field::Name),
        f(Field::Principal),
        f(Field::Ip),
        f(Field::Error)
    )
}
