//! `tokentrail events`: normalised events as JSON Lines or a table.

use super::str_or_null;
use crate::index::Index;
use crate::index::event::{Event, Field};
use crate::text::{pad, sanitize};
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
    // Columns by display width, values longer than theirs kept whole (a table for reading,
    // `--json` for machines): only the padding is computed by width.
    let f = |x: Field, w: usize| {
        let v = sanitize(ix.field(e, x));
        if crate::text::display_width(&v) >= w { v.into_owned() } else { pad(&v, w) }
    };
    format!(
        "{}  {}  {}  {}  {}  {}",
        format_time(e.time),
        f(Field::Key, 20),
        f(Field::Name, 28),
        f(Field::Principal, 40),
        f(Field::Ip, 15),
        sanitize(ix.field(e, Field::Error))
    )
}
