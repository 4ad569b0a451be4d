//! Safe text for terminals and reports.
//!
//! Every string in a log is attacker-controlled: `sanitize` removes C0/C1 controls
//! (so ESC/CSI/OSC sequences lose their introducer and are shown as plain text) and DEL,
//! and shows invisible characters — zero-width ones and bidi controls that could hide or
//! reorder what the analyst reads — as visible escapes (`\u{200b}`), so that a look-alike
//! name cannot pass for another. `sanitize_lines` does the same but keeps line breaks: the
//! last net over every text output. `markdown` escapes a value for a report; `pad` fits a
//! value to a column by its display width (CJK and emoji take two cells).

use std::borrow::Cow;
use std::fmt::Write as _;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Removes control characters and shows invisible ones escaped; newlines and tabs become spaces.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// As `sanitize`, keeping `\n` (for whole text outputs, whose lines are the program's).
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// A character that acts on a terminal (a control) or hides (`is_invisible`).
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// JSON text with every unsafe character but `\n` as a `\u` escape. Such characters stand
/// only inside JSON strings (serde escapes those below U+0020 already), where the escape
/// means the same: the same JSON value, safe to print.
pub fn json_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c != '\n' && is_unsafe(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c if is_invisible(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Characters that take no room or reorder text: zero-width spaces and joiners, bidi marks,
/// embeddings, overrides and isolates, the BOM, the soft hyphen, invisible operators.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The columns `s` takes on a terminal (after `sanitize`).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` sanitised and fitted to exactly `w` columns: padded with spaces, or cut with `…`.
pub fn pad(s: &str, w: usize) -> String {
    let s = sanitize(s);
    let have = display_width(&s);
    if have <= w {
        let mut out = s.into_owned();
        out.extend(std::iter::repeat_n(' ', w - have));
        return out;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// A logged value for a Markdown report: sanitised onto one line, with every character
/// that could start inline Markdown (emphasis, links, images, code, HTML, tables,
/// strike-through) escaped, and a first character that could start a block (heading, list,
/// quote, rule) escaped too, so that it reads as the text it is.
pub fn markdown(s: &str) -> String {
    let s = sanitize(s);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let inline = matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '!' | '~');
        let block = i == 0 && matches!(c, '#' | '-' | '+' | '=');
        if inline || block {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A logged value as Markdown inline code when it can be (no backtick, nothing invisible),
/// else escaped text.
pub fn markdown_code(s: &str) -> String {
    let clean = sanitize(s);
    if !clean.is_empty() && !clean.contains('`') && clean == s { format!("`{clean}`") } else { markdown(s) }
}

/// A value quoted for a message: escapes shown (`\u{1b}`), so nothing in it acts on the terminal.
pub fn quoted(s: &str) -> String {
    format!("{:?}", s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc_title_sequence_is_defanged() {
        let ua = "curl\u{1b}]0;pwned\u{7}/7.1\u{1b}[2J";
        let s = sanitize(ua);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
        assert_eq!(s, "curl]0;pwned/7.1[2J");
    }

    #[test]
    fn c1_controls_are_removed_and_bidi_overrides_shown() {
        assert_eq!(sanitize("a\u{9b}31mb\u{202e}c"), "a31mb\\u{202e}c");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn invisible_characters_are_shown_so_look_alikes_differ() {
        assert_eq!(sanitize("ad\u{200b}min"), "ad\\u{200b}min");
        assert_ne!(sanitize("admin\u{feff}"), sanitize("admin"));
        assert_eq!(sanitize_lines("a\nb\u{1b}]0;x\u{7}"), "a\nb]0;x");
    }

    #[test]
    fn json_for_a_terminal_is_the_same_json_value() {
        let text = serde_json::json!({"ua": "a\u{9b}31m\u{7f}\u{200b}b"}).to_string() + "\n";
        let safe = json_for_terminal(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe:?}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).expect("valid"),
            serde_json::from_str::<serde_json::Value>(&text).expect("valid")
        );
    }

    #[test]
    fn columns_are_fitted_by_display_width() {
        assert_eq!(display_width(&pad("日本語", 8)), 8);
        assert_eq!(pad("日本語", 8), "日本語  ");
        assert_eq!(display_width(&pad("日本語日本語", 5)), 5, "{}", pad("日本語日本語", 5));
        assert_eq!(display_width(&pad("e\u{301}x", 4)), 4, "a combining accent takes no column");
        assert_eq!(display_width(&pad("👩‍💻 dev", 10)), 10);
        assert_eq!(pad("abcdef", 4), "abc…");
    }

    #[test]
    fn markdown_values_cannot_open_markup() {
        let evil = "x\n```\n![b](http://e/p.png)\n**verified**";
        let md = markdown(evil);
        assert!(!md.contains('\n') && !md.contains("```") && !md.contains("!["), "{md}");
        assert_eq!(markdown_code("AKIAIOSFODNN7EXAMPLE"), "`AKIAIOSFODNN7EXAMPLE`");
        assert_eq!(markdown_code("a`b"), "a\\`b");
    }
}
