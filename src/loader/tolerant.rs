//! The tolerant reader of a file: every top-level value, every record candidate in document
//! order, recovering from bad JSON Lines and reporting trailing data. It numbers candidates
//! the same way the fast path does, so `nth_record` finds a record again by its ordinal.

use super::report::Reject;
use crate::cloudtrail::envelope::{CONTROL_MESSAGE, DIGEST_KEYS, Envelope, PAYLOAD_TYPE_KEY};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// A file's records container (an S3 delivery's `Records`, lookup-events' `Events`) or a digest file. A key given
/// twice (`{"Records":[a],"Records":[b]}`) is read twice: every record of both is a candidate.
#[derive(Default)]
pub struct Container<'a> {
    pub records: Option<Vec<&'a RawValue>>,
    pub digest: bool,
    /// A CloudWatch Logs control message: its log events are not CloudTrail's.
    pub control: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for Container<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Container<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Container<'a>, M::Error> {
                let mut env = Container::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        k if Envelope::is_records_key(k.as_bytes()) => {
                            if let Some(items) = map.next_value::<Option<Vec<&'a RawValue>>>()? {
                                env.records.get_or_insert_with(Vec::new).extend(items);
                            }
                        }
                        k if k == PAYLOAD_TYPE_KEY => {
                            let t = map.next_value::<serde_json::Value>()?;
                            env.control |= t.as_str() == Some(CONTROL_MESSAGE);
                        }
                        k if DIGEST_KEYS.contains(&k) => {
                            map.next_value::<IgnoredAny>()?;
                            env.digest = true;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(env)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// What the reader met, in order.
pub enum Found<'a> {
    Candidate(&'a RawValue),
    Reject(Reject),
    Digest,
    /// A CloudWatch Logs control message (a health check: no CloudTrail events).
    ControlMessage,
}

/// Why the reader stopped early: the whole file is unreadable.
pub struct Unreadable(pub String);

fn skip_ws(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_whitespace()).count()
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn strip_pos(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// True when `buf` is JSON Lines: more than one non-empty line, and some line that is a
/// whole JSON object on its own (a pretty-printed document has none).
fn is_json_lines(buf: &[u8]) -> bool {
    let mut lines = buf.split(|&c| c == b'\n').filter(|l| l.iter().any(|c| !c.is_ascii_whitespace()));
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else { return false };
    [first, second].into_iter().chain(lines).any(|l| {
        let t = l.trim_ascii();
        t.first() == Some(&b'{') && serde_json::from_slice::<IgnoredAny>(t).is_ok()
    })
}

/// JSON Lines, each line on its own: a bad line is rejected with its own number, the
/// rest are read (a truncated line no longer swallows the next one).
fn read_lines<'a>(buf: &'a [u8], f: &mut dyn FnMut(Found<'a>)) {
    for (n, line) in buf.split(|&c| c == b'\n').enumerate() {
        let t = line.trim_ascii();
        if t.is_empty() {
            continue;
        }
        match serde_json::from_slice::<&RawValue>(t) {
            Ok(v) => top_level(v, f),
            Err(e) => f(Found::Reject(Reject::NotJson(format!("line {}: {}", n + 1, strip_pos(&e))))),
        }
    }
}

/// Walks `buf`, calling `f` for each candidate, rejection and digest marker.
pub fn candidates<'a>(buf: &'a [u8], f: &mut dyn FnMut(Found<'a>)) -> Result<(), Unreadable> {
    // What a file holds is reported only once it is known how to read it: a file with a
    // syntax error is read again line by line when it is JSON Lines (so that candidates are
    // numbered one way for each file, and the detail pane finds the same record again).
    let mut found = Vec::new();
    let mut syntax_error = false;
    let read = read_values(buf, &mut |x| {
        syntax_error |= matches!(x, Found::Reject(Reject::NotJson(_)));
        found.push(x);
    });
    if (read.is_err() || syntax_error) && is_json_lines(buf) {
        read_lines(buf, f);
        return Ok(());
    }
    found.into_iter().for_each(f);
    read
}

/// The values of a file one after another (a document, or several on a line).
fn read_values<'a>(buf: &'a [u8], f: &mut dyn FnMut(Found<'a>)) -> Result<(), Unreadable> {
    let mut pos = 0usize;
    let mut values = 0usize;
    while pos < buf.len() {
        let mut stream = serde_json::Deserializer::from_slice(&buf[pos..]).into_iter::<&RawValue>();
        match stream.next() {
            None => break,
            Some(Ok(v)) => {
                values += 1;
                pos += stream.byte_offset();
                top_level(v, f);
            }
            Some(Err(e)) => {
                let start = pos + skip_ws(&buf[pos..]);
                let line = 1 + count_newlines(&buf[..start]);
                // A failure confined to one line, after good values, is a bad JSON Lines
                // record: note it and go on. A first value that fails makes the file unreadable.
                let one_line = e.line() == 1 + count_newlines(&buf[pos..start]);
                if values == 0 || !one_line {
                    return Err(Unreadable(format!("not valid JSON: {e}")));
                }
                f(Found::Reject(Reject::NotJson(format!("line {line}: {}", strip_pos(&e)))));
                match buf[start..].iter().position(|&c| c == b'\n') {
                    Some(n) => pos = start + n + 1,
                    None => break,
                }
            }
        }
    }
    Ok(())
}

fn top_level<'a>(v: &'a RawValue, f: &mut dyn FnMut(Found<'a>)) {
    let text = v.get();
    match text.as_bytes().first() {
        Some(b'[') => match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) => items.into_iter().for_each(|r| f(Found::Candidate(r))),
            Err(e) => f(Found::Reject(Reject::NotJson(e.to_string()))),
        },
        Some(b'{') => {
            let env: Container = serde_json::from_str(text).unwrap_or_default();
            if env.control {
                f(Found::ControlMessage);
            } else if let Some(items) = env.records {
                items.into_iter().for_each(|r| f(Found::Candidate(r)));
            } else if env.digest {
                f(Found::Digest);
            } else {
                f(Found::Candidate(v));
            }
        }
        _ => f(Found::Reject(Reject::NotCloudTrail("a top-level value that is not an object".into()))),
    }
}

/// The texts of the record candidates of a (decoded) file, in ordinal order: one walk for
/// many look-ups.
pub fn all_records(buf: &[u8]) -> Vec<String> {
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    let mut out = Vec::new();
    let _ = candidates(buf, &mut |found| {
        if let Found::Candidate(v) = found {
            out.push(v.get().to_string());
        }
    });
    out
}

/// The text of the `ordinal`-th record candidate of a (decoded) file.
pub fn nth_record(buf: &[u8], ordinal: u32) -> Option<String> {
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    let mut n = 0u32;
    let mut out = None;
    let _ = candidates(buf, &mut |found| {
        if let Found::Candidate(v) = found {
            if n == ordinal && out.is_none() {
                out = Some(v.get().to_string());
            }
            n += 1;
        }
    });
    out
}
