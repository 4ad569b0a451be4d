//! A decoded file's record texts in ordinal order, found again to read events again (the
//! detail pane, detections): with the scanner where the file is an array of records or an
//! object holding one list of them (an S3 delivery, lookup-events output), as the fast
//! path numbered them; else with the tolerant reader, which numbers them the same way
//! (`tolerant::all_records`). The texts borrow from the buffer.

use super::tolerant;
use crate::cloudtrail::envelope::{DIGEST_KEYS, Envelope};
use crate::loader::scan::{Bail, Cursor};
use std::borrow::Cow;

/// Every record candidate of a decoded file, in ordinal order.
pub fn records(buf: &[u8]) -> Vec<Cow<'_, str>> {
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    match scanned(buf) {
        Some(found) => found.into_iter().map(Cow::Borrowed).collect(),
        None => tolerant::all_records(buf).into_iter().map(Cow::Owned).collect(),
    }
}

/// The records of an array, or of an object's one list of records; None for anything else
/// or anything the scanner gives up on.
fn scanned(buf: &[u8]) -> Option<Vec<&str>> {
    fn list<'a>(c: &mut Cursor<'a>, out: &mut Vec<&'a str>) -> Result<(), Bail> {
        c.array(|c| {
            out.push(c.raw()?);
            Ok(())
        })
    }
    let text = simdutf8::basic::from_utf8(buf).ok()?;
    let mut c = Cursor::new(text);
    let mut out = Vec::new();
    match (c.peek(), c.first_key()) {
        (Some(b'['), _) => list(&mut c, &mut out).ok()?,
        (Some(b'{'), Some(first)) if Envelope::is_records_key(first) => {
            let mut seen = false;
            let mut found = Vec::new();
            c.object(|c, key| {
                if Envelope::is_records_key(key) && !std::mem::replace(&mut seen, true) {
                    list(c, &mut found)
                } else if Envelope::is_records_key(key) || DIGEST_KEYS.iter().any(|d| d.as_bytes() == key) {
                    Err(Bail)
                } else {
                    c.skip()
                }
            })
            .ok()?;
            out = found;
        }
        _ => return None,
    }
    c.at_end().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner finds the records the tolerant reader finds, in the same order, in every
    /// file of the sample and of the corpora.
    #[test]
    fn the_scanner_splits_files_as_the_tolerant_reader_does() {
        let mut sources = crate::loader::sample::sources();
        if let Some(corpus) = crate::testing::shared_corpus("", "the_scanner_splits_files_as_the_tolerant_reader_does")
        {
            sources.extend(crate::loader::source::expand(&[corpus]).0);
        }
        let (mut files, mut split) = (0, 0);
        let mut reader = crate::loader::source::Reader::default();
        for s in &sources {
            let Ok((_, bytes)) = s.read_with(&mut reader) else { continue };
            files += 1;
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            if let Some(found) = scanned(bytes) {
                split += 1;
                let reference = tolerant::all_records(bytes);
                assert_eq!(found, reference, "{}", s.name());
            }
        }
        assert!(files > 800 && split * 10 > files * 9, "{split} of {files} files split by the scanner");
    }

    #[test]
    fn anything_else_is_left_to_the_tolerant_reader() {
        assert_eq!(scanned(br#"[{"a":1},{"b":[2]}]"#), Some(vec![r#"{"a":1}"#, r#"{"b":[2]}"#]));
        assert_eq!(scanned(br#"{"Records":[{"a":1}],"x":2}"#), Some(vec![r#"{"a":1}"#]));
        for odd in
            [&br#"{"Records":[{"a":1}],"Records":[]}"#[..], br#"{"a":1}"#, b"{\"a\":1}\n{\"b\":2}", br#"[{"a":1},]"#]
        {
            assert_eq!(scanned(odd), None, "{}", String::from_utf8_lossy(odd));
        }
        assert_eq!(records(b"\xEF\xBB\xBF[{\"a\":1}]"), vec![Cow::Borrowed(r#"{"a":1}"#)]);
    }
}
