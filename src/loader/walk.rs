//! The tolerant walk over a file: every top-level value, every record candidate in document
//! order, recovering from bad JSON Lines and reporting trailing data. It numbers candidates
//! the same way the fast path does, so `nth_record` finds a record again by its ordinal.

use super::report::Reject;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Envelope<'a> {
    #[serde(borrow, rename = "Records")]
    pub records: Option<Vec<&'a RawValue>>,
    #[serde(borrow, rename = "Events")]
    pub events: Option<Vec<&'a RawValue>>,
    #[serde(rename = "digestStartTime")]
    pub digest_start: Option<IgnoredAny>,
    #[serde(rename = "logFiles")]
    pub log_files: Option<IgnoredAny>,
}

/// What the walk met, in order.
pub enum Found<'a> {
    Candidate(&'a RawValue),
    Reject(Reject),
    Digest,
}

/// Why the walk stopped early: the whole file is unreadable.
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

/// Walks `buf`, calling `f` for each candidate, rejection and digest marker.
pub fn walk<'a>(buf: &'a [u8], f: &mut dyn FnMut(Found<'a>)) -> Result<(), Unreadable> {
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
            let env: Envelope = serde_json::from_str(text).unwrap_or_default();
            if let Some(items) = env.records.or(env.events) {
                items.into_iter().for_each(|r| f(Found::Candidate(r)));
            } else if env.digest_start.is_some() || env.log_files.is_some() {
                f(Found::Digest);
            } else {
                f(Found::Candidate(v));
            }
        }
        _ => f(Found::Reject(Reject::NotCloudTrail("a top-level value that is not an object".into()))),
    }
}

/// The text of the `ordinal`-th record candidate of a (decoded) file.
pub fn nth_record(buf: &[u8], ordinal: u32) -> Option<String> {
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    let mut n = 0u32;
    let mut out = None;
    let _ = walk(buf, &mut |found| {
        if let Found::Candidate(v) = found {
            if n == ordinal && out.is_none() {
                out = Some(v.get().to_string());
            }
            n += 1;
        }
    });
    out
}
