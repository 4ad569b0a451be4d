//! A small, strict JSON reader for the loader's fast path.
//!
//! It reads only what the caller asks for and skips everything else, borrowing strings from
//! the (already UTF-8 checked) text. It accepts a subset of what `serde_json` accepts, and
//! gives up (`Bail`) on anything else — odd escapes in keys, numbers where text is expected,
//! nesting deeper than `serde_json`'s limit, any syntax error — so the caller can fall back to
//! the serde path, which is the reference for what a document means. Never panics.

mod specials;

use specials::Specials;
use std::borrow::Cow;

/// The fast path does not handle this input; use the reference parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

pub type Scan<T> = Result<T, Bail>;

/// `serde_json`'s recursion limit: deeper documents are its to reject.
const MAX_DEPTH: u32 = 128;

pub struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    specials: Specials,
    /// Strings handed out owned (they had escapes): everything else borrows from `text`.
    owned: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0, specials: Specials::new(text.as_bytes()), owned: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// How many strings this cursor has handed out owned (decoded escapes). What it reads
    /// between two calls that return the same count borrows all its text.
    pub fn owned(&self) -> usize {
        self.owned
    }

    /// Goes back to an earlier position (one `pos` returned), to read a value again.
    pub fn rewind(&mut self, pos: usize) {
        self.pos = pos.min(self.pos);
    }

    /// The next byte after any whitespace, without consuming it.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        // Every byte above the space is not whitespace: one comparison for compact JSON.
        match self.bytes().get(self.pos) {
            Some(&c) if c > b' ' => Some(c),
            _ => self.peek_past_whitespace(),
        }
    }

    #[inline(never)]
    fn peek_past_whitespace(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    /// What the value ahead starts as: `b'"'` a string that is not empty, `b'{'` an object,
    /// 0 anything else (an empty string included).
    #[inline(always)]
    pub fn value_kind(&mut self) -> u8 {
        match self.peek() {
            Some(b'"') if self.bytes().get(self.pos + 1) != Some(&b'"') => b'"',
            Some(b'{') => b'{',
            _ => 0,
        }
    }

    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    #[inline]
    fn eat(&mut self, c: u8) -> Scan<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Scan<()> {
        if self.bytes()[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// At an opening quote: the string's raw contents and whether it holds escapes.
    #[inline(always)]
    fn string_span(&mut self) -> Scan<(usize, usize, bool)> {
        let start = self.pos + 1;
        let end = self.specials.next(start).ok_or(Bail)?;
        if self.bytes()[end] == b'"' {
            self.pos = end + 1;
            return Ok((start, end, false));
        }
        self.escaped_span(start, end)
    }

    /// The rest of `string_span`, from the first escape (or control character) at `i`.
    #[inline(never)]
    fn escaped_span(&mut self, start: usize, mut i: usize) -> Scan<(usize, usize, bool)> {
        let b = self.bytes();
        loop {
            match b[i] {
                b'"' => break,
                b'\\' => {
                    // As serde_json skips: `\u` needs four hex digits; what they name is
                    // checked only when the string is decoded.
                    match b.get(i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') if b.get(i + 2..i + 6).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) => {
                            i += 6
                        }
                        _ => return Err(Bail),
                    }
                }
                _ => return Err(Bail), // a raw control character
            }
            i = self.specials.next(i).ok_or(Bail)?;
        }
        self.pos = i + 1;
        Ok((start, i, true))
    }

    /// A string value; escapes are decoded by `serde_json` (rare in the fields we read).
    #[inline]
    pub fn string(&mut self) -> Scan<Cow<'a, str>> {
        let (start, end, escaped) = self.string_span()?;
        if escaped {
            self.owned += 1;
            serde_json::from_str::<String>(&self.text[start - 1..=end]).map(Cow::Owned).map_err(|_| Bail)
        } else {
            Ok(Cow::Borrowed(&self.text[start..end]))
        }
    }

    /// A key without escapes (keys with escapes go to the reference parser).
    #[inline(always)]
    fn key(&mut self) -> Scan<&'a [u8]> {
        if self.peek() != Some(b'"') {
            return Err(Bail);
        }
        let (start, end, escaped) = self.string_span()?;
        if escaped {
            return Err(Bail);
        }
        self.eat(b':')?;
        Ok(&self.bytes()[start..end])
    }

    /// At `{`: calls `field` with each key, positioned after its colon (perhaps before
    /// whitespace: every reader starts with `peek`), to read its value.
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Scan<()>) -> Scan<()> {
        self.items(b'{', b'}', |c| {
            let key = c.key()?;
            field(c, key)
        })
    }

    /// At `[`: calls `item` positioned at each element, which `item` must read.
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Scan<()>) -> Scan<()> {
        self.items(b'[', b']', |c| {
            c.peek();
            item(c)
        })
    }

    /// `open`, then items separated by commas, then `close`.
    fn items(&mut self, open: u8, close: u8, mut item: impl FnMut(&mut Self) -> Scan<()>) -> Scan<()> {
        self.eat(open)?;
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Bail),
            }
        }
    }

    /// The first key of the object that starts here, without moving (None when this is not an
    /// object or the key has escapes).
    pub fn first_key(&mut self) -> Option<&'a [u8]> {
        let at = self.pos;
        let key = self.eat(b'{').and_then(|_| self.key()).ok();
        self.pos = at;
        key
    }

    /// Skips one value of any kind, checking its syntax.
    pub fn skip(&mut self) -> Scan<()> {
        self.skip_at(0)
    }

    fn skip_at(&mut self, depth: u32) -> Scan<()> {
        match self.peek().ok_or(Bail)? {
            b'"' => self.string_span().map(drop),
            b'{' if depth < MAX_DEPTH => self.object(|c, _| c.skip_at(depth + 1)),
            b'[' if depth < MAX_DEPTH => self.array(|c| c.skip_at(depth + 1)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => Err(Bail),
        }
    }

    /// The raw text of one value (checked).
    pub fn raw(&mut self) -> Scan<&'a str> {
        self.peek();
        let start = self.pos;
        self.skip()?;
        Ok(&self.text[start..self.pos])
    }

    /// A number, by JSON's grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Scan<&'a str> {
        let b = self.bytes();
        let start = self.pos;
        let mut i = start + usize::from(b.get(start) == Some(&b'-'));
        let digits = |i: usize| b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i += digits(i),
            _ => return Err(Bail),
        }
        if b.get(i) == Some(&b'.') {
            let n = digits(i + 1);
            if n == 0 {
                return Err(Bail);
            }
            i += 1 + n;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let n = digits(i);
            if n == 0 {
                return Err(Bail);
            }
            i += n;
        }
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(Bail); // a leading zero
        }
        self.pos = i;
        Ok(&self.text[start..i])
    }

    /// A scalar read as text, the way the lenient `Str` reads it: strings as they are,
    /// booleans and plain integers as their JSON text, null and containers as absent.
    /// Other numbers are the reference parser's (it prints them its own way).
    #[inline]
    pub fn text(&mut self) -> Scan<Option<Cow<'a, str>>> {
        match self.peek().ok_or(Bail)? {
            b'"' => self.string().map(Some),
            b'n' => self.literal(b"null").map(|_| None),
            b't' => self.literal(b"true").map(|_| Some(Cow::Borrowed("true"))),
            b'f' => self.literal(b"false").map(|_| Some(Cow::Borrowed("false"))),
            b'{' | b'[' => self.skip().map(|_| None),
            _ => {
                let n = self.number()?;
                let plain = n.strip_prefix('-').unwrap_or(n);
                let canonical = plain.len() <= 18 && plain.bytes().all(|c| c.is_ascii_digit()) && n != "-0";
                if canonical { Ok(Some(Cow::Borrowed(n))) } else { Err(Bail) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skips(s: &str) -> bool {
        let mut c = Cursor::new(s);
        c.skip().is_ok() && c.at_end()
    }

    #[test]
    fn accepts_only_what_serde_json_accepts() {
        let cases = [
            r#"{"a":[1,-2.5e+3,true,false,null,"x\"y\u00e9"],"b":{}}"#,
            r#" [ ] "#,
            "0",
            "-0.0e0",
            "01",
            "1.",
            "-",
            "1e",
            ".5",
            r#"{"a":1,}"#,
            r#"[1,]"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":2}"#,
            "\"tab\there\"",
            r#""bad \x escape""#,
            r#""bad \u12 escape""#,
            r#""ok \ud800 lone surrogate, skipped""#,
            r#""unterminated"#,
            "tru",
            "nul",
            r#"{"a":1}}"#,
            "[[[[[[[[[[]]]]]]]]]]",
        ];
        for s in cases {
            let reference = serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok();
            // The scanner may refuse more than serde_json, never less; here they agree.
            assert_eq!(skips(s), reference, "{s}");
        }
    }

    #[test]
    fn values_are_read_past_any_whitespace_around_keys_and_colons() {
        for s in [r#"{"a":"x","b":[1],"c":null}"#, " {\n \"a\" :\t\"x\" ,\r\n \"b\" :\n [ 1 ] , \"c\" : null } "] {
            let mut c = Cursor::new(s);
            let mut got = Vec::new();
            c.object(|c, key| {
                let v = match key {
                    b"b" => c.raw().map(|r| Some(Cow::Borrowed(r)))?,
                    _ => c.text()?,
                };
                got.push((String::from_utf8_lossy(key).into_owned(), v.map(Cow::into_owned)));
                Ok(())
            })
            .expect(s);
            assert!(c.at_end(), "{s}");
            // The raw array keeps its inner spaces; compare without them.
            let got: Vec<_> = got.into_iter().map(|(k, v)| (k, v.map(|v| v.replace(' ', "")))).collect();
            let want = [("a", Some("x")), ("b", Some("[1]")), ("c", None)];
            let want: Vec<_> = want.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect();
            assert_eq!(got, want, "{s}");
        }
    }

    #[test]
    fn deep_nesting_bails_instead_of_overflowing() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(!skips(&deep));
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(skips(&ok));
    }

    #[test]
    fn strings_borrow_unless_escaped_and_owned_ones_are_counted() {
        let mut c = Cursor::new(r#""plain" "a\nb""#);
        assert!(matches!(c.string(), Ok(Cow::Borrowed("plain"))));
        assert_eq!(c.owned(), 0);
        c.peek();
        assert_eq!(c.string().as_deref(), Ok("a\nb"));
        assert_eq!(c.owned(), 1);
    }

    #[test]
    fn text_reads_scalars_like_the_lenient_str() {
        for (s, want) in [
            (r#""x""#, Some("x")),
            ("true", Some("true")),
            ("12", Some("12")),
            ("-7", Some("-7")),
            ("null", None),
            (r#"{"a":"b"}"#, None),
            ("[1]", None),
        ] {
            let mut c = Cursor::new(s);
            assert_eq!(c.text().expect(s).as_deref(), want, "{s}");
        }
        assert_eq!(Cursor::new("1.5").text(), Err(Bail));
    }
}
