//! JSON text as the logs hold it, read the same way everywhere (the loader, the detail
//! view, redaction): what serde refuses and other readers accept is repaired first.

/// JSON text as a value, read as the loader reads it (see `repair_lone_surrogates`).
pub fn parse_value(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(&repair_lone_surrogates(text)).ok()
}

/// `text` with every lone UTF-16 surrogate escape (`\ud800` without its pair) replaced by
/// `\ufffd`, as jq and Python read it; serde_json refuses such a string.
pub fn repair_lone_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let hex_at = |i: usize| -> Option<u32> {
        let h = b.get(i..i + 4)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let escape_at = |i: usize| -> Option<u32> {
        (b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u')).then(|| hex_at(i + 2)).flatten()
    };
    let mut lone = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        match escape_at(i) {
            Some(0xD800..=0xDBFF) if matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) => i += 12,
            Some(0xD800..=0xDFFF) => {
                lone.push(i);
                i += 6;
            }
            _ => i += 2, // any other escape, `\\` included
        }
    }
    if lone.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for at in lone {
        out.push_str(&text[from..at]);
        out.push_str("\\ufffd");
        from = at + 6;
    }
    out.push_str(&text[from..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_the_replacement_character_and_pairs_stay() {
        assert_eq!(repair_lone_surrogates(r#""\ud83d\ude00 \\ud800""#), r#""\ud83d\ude00 \\ud800""#);
        assert_eq!(repair_lone_surrogates(r#""\udc00""#), r#""\ufffd""#);
        assert_eq!(parse_value(r#""x\ud800""#), Some(serde_json::Value::String("x\u{fffd}".into())));
    }
}
