//! The detail pane's content: the original event, opened up, redacted, pretty and coloured.

use super::theme::Theme;
use ratatui::text::{Line, Span};
use serde_json::Value;
use tokentrail::model::Model;
use tokentrail::redact::display_value;
use tokentrail::text::sanitize;

pub fn event_lines(m: &Model, event: usize, theme: &Theme) -> Vec<Line<'static>> {
    let e = &m.ix.events[event];
    match m.raw_text(e) {
        Ok(raw) => {
            let mut out = Vec::new();
            value_lines(&display_value(&raw), 0, None, true, theme, &mut out);
            out
        }
        Err(why) => vec![Line::styled(format!("cannot re-read this event: {}", sanitize(&why)), theme.error())],
    }
}

/// A marked event's line (`marked`: the marked events' positions, sorted): the mark and its
/// comment, above the event's text.
pub fn mark_line(
    case: &tokentrail::checklist::case::Case,
    marked: &[usize],
    m: &Model,
    event: usize,
    theme: &Theme,
) -> Option<Line<'static>> {
    marked.binary_search(&event).ok()?;
    let e = &m.ix.events[event];
    let mark = case.mark(&tokentrail::time::format_time(e.time), &m.ix.event_id(e));
    let comment = mark.map(|k| k.comment.as_str()).unwrap_or_default();
    let text = if comment.is_empty() {
        "● marked as evidence".to_string()
    } else {
        format!("● marked as evidence: {}", sanitize(comment))
    };
    Some(Line::styled(text, theme.open()))
}

/// The Sigma rules an event matched, each with its level, above the event's text.
pub fn detection_lines(
    det: Option<&tokentrail::detect::Detections>,
    event: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(det) = det else { return Vec::new() };
    det.on_event(event)
        .iter()
        .map(|h| {
            let r = det.rule(h);
            Line::styled(format!("⚡ Sigma ({}): {}", sanitize(&r.level), sanitize(&r.title)), theme.suspect())
        })
        .collect()
}

fn scalar(v: &Value, theme: &Theme) -> Span<'static> {
    match v {
        Value::String(s) => Span::styled(format!("\"{}\"", sanitize(s)), theme.json_string()),
        Value::Number(n) => Span::styled(n.to_string(), theme.json_number()),
        Value::Bool(b) => Span::styled(b.to_string(), theme.json_number()),
        _ => Span::styled("null".to_string(), theme.dim()),
    }
}

fn value_lines(v: &Value, depth: usize, key: Option<&str>, last: bool, theme: &Theme, out: &mut Vec<Line<'static>>) {
    let pad = "  ".repeat(depth);
    let comma = if last { "" } else { "," };
    let mut head = vec![Span::raw(pad.clone())];
    if let Some(k) = key {
        head.push(Span::styled(format!("\"{}\"", sanitize(k)), theme.json_key()));
        head.push(Span::raw(": "));
    }
    let (open, close, items): (&str, &str, Vec<(Option<&str>, &Value)>) = match v {
        Value::Object(map) if !map.is_empty() => ("{", "}", map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect()),
        Value::Array(a) if !a.is_empty() => ("[", "]", a.iter().map(|v| (None, v)).collect()),
        Value::Object(_) => {
            head.push(Span::raw(format!("{{}}{comma}")));
            out.push(Line::from(head));
            return;
        }
        Value::Array(_) => {
            head.push(Span::raw(format!("[]{comma}")));
            out.push(Line::from(head));
            return;
        }
        // A JSON document held in a string (`policyDocument`, a trust policy): shown parsed.
        Value::String(s) if let Some(inner) = embedded_json(s) => {
            head.push(Span::styled("(a JSON string, shown parsed) ", theme.dim()));
            let mut nested = Vec::new();
            value_lines(&inner, depth, None, last, theme, &mut nested);
            if let Some(first) = nested.first_mut() {
                // The opening bracket goes on the key's line.
                let opening: Vec<Span<'static>> = first.spans.iter().skip(1).cloned().collect();
                head.extend(opening);
                nested[0] = Line::from(head);
            }
            out.extend(nested);
            return;
        }
        scalar_value => {
            head.push(scalar(scalar_value, theme));
            head.push(Span::raw(comma.to_string()));
            out.push(Line::from(head));
            return;
        }
    };
    head.push(Span::raw(open));
    out.push(Line::from(head));
    let n = items.len();
    for (i, (k, child)) in items.into_iter().enumerate() {
        value_lines(child, depth + 1, k, i + 1 == n, theme, out);
    }
    out.push(Line::raw(format!("{pad}{close}{comma}")));
}

/// A string holding a JSON object or array (already redacted inside by `display_value`).
fn embedded_json(s: &str) -> Option<Value> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    tokentrail::json::parse_value(s).filter(|v| v.is_object() || v.is_array())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_renders_one_line_per_leaf_and_strips_escapes() {
        let v: Value = serde_json::from_str(r#"{"a":{"b":[1,"x\u001b[2J"]},"c":null,"d":{}}"#).expect("json");
        let mut out = Vec::new();
        value_lines(&v, 0, None, true, &Theme { color: false }, &mut out);
        let text: Vec<String> = out.iter().map(|l| l.to_string()).collect();
        assert_eq!(text[0], "{");
        assert!(text.iter().all(|l| !l.contains('\u{1b}')));
        assert!(text.contains(&"      \"x[2J\"".to_string()), "{text:?}");
        assert_eq!(text.last().map(String::as_str), Some("}"));
    }

    #[test]
    fn a_policy_document_in_a_string_is_shown_parsed() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        let v = serde_json::json!({"requestParameters": {"policyDocument": doc, "policyName": "AWSDenyAll"}});
        let mut out = Vec::new();
        value_lines(&v, 0, None, true, &Theme { color: false }, &mut out);
        let text: Vec<String> = out.iter().map(|l| l.to_string()).collect();
        assert!(text.iter().any(|l| l.contains("\"policyDocument\": (a JSON string, shown parsed) {")), "{text:?}");
        assert!(text.iter().any(|l| l.trim() == "\"Effect\": \"Deny\","), "{text:?}");
        assert!(text.iter().any(|l| l.trim() == "\"policyName\": \"AWSDenyAll\""), "{text:?}");
    }
}
