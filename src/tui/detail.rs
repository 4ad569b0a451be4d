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
}
