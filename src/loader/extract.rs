//! One file's bytes → its records, normalised into compact local events.
//!
//! The fast path reads each record once, straight into the typed `Record` with the scanner
//! (`crate::loader::scan`; serde where the scanner gives up): S3 deliveries and
//! lookup-events output (`{"Records"|"Events": […]}`), arrays, a single event, JSON Lines. Any
//! error sends the file down the tolerant reader (`tolerant.rs`), which recovers what it can and
//! says why for the rest. Both number records the same way (document order), and an event
//! keeps its ordinal so the detail pane can find its original text again.

use super::local::{Local, LocalEvent};
use super::normalise::normalise;
use super::report::{FileStatus, RecordTally, Reject};
use super::tolerant::{Found, Unreadable, candidates};
use crate::cloudtrail::envelope::{CONTROL_MESSAGE, DIGEST_KEYS, Envelope, PAYLOAD_TYPE_KEY};
use crate::loader::record::{self, Record, Scanned, Str};
use crate::loader::scan::{Bail, Cursor};

/// Everything one file yielded. Its events' symbols and sessions are numbered by the
/// worker's `Local` tables.
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<LocalEvent>,
    pub status: FileStatus,
    pub tally: RecordTally,
}

pub fn extract(buf: &[u8], local: &mut Local) -> Batch {
    let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
    if buf.len() as u64 > super::limits::MAX_FILE_BYTES {
        return failed("file larger than 4 GiB uncompressed".into());
    }
    // A compressed format that is not gzip (or gzip twice) fails, saying what it is.
    if let Some(kind) = super::magic::compressed_kind(buf) {
        return failed(kind);
    }
    // CloudTrail is always a JSON object or array: anything else is not a log at all
    // (a README beside the logs), which is skipped with the reason rather than failed.
    match buf.iter().find(|c| !c.is_ascii_whitespace()) {
        None => return failed("empty file".into()),
        Some(c) if *c != b'{' && *c != b'[' => {
            let shown = if c.is_ascii_graphic() { format!("'{}'", *c as char) } else { format!("byte 0x{c:02x}") };
            return Batch {
                status: FileStatus::Skipped(format!("not JSON (starts with {shown})")),
                ..Batch::default()
            };
        }
        Some(_) => {}
    }
    fast(buf, local).unwrap_or_else(|| tolerant(buf, local))
}

fn failed(why: String) -> Batch {
    Batch { status: FileStatus::Failed(why), ..Batch::default() }
}

fn classify(b: &Batch, digest: bool, control: bool) -> FileStatus {
    if digest && b.tally.seen() == 0 {
        FileStatus::Skipped("CloudTrail digest file".into())
    } else if control && b.tally.seen() == 0 {
        FileStatus::Skipped("CloudWatch Logs control message (no log events)".into())
    } else if b.tally.insights > 0 && b.tally.seen() == b.tally.insights {
        FileStatus::Skipped("CloudTrail Insights file".into())
    } else if b.events.is_empty() && b.tally.rejected() > 0 {
        FileStatus::Failed(format!("no CloudTrail event could be read: {}", b.tally.summary()))
    } else {
        FileStatus::Read
    }
}

/// The tolerant path: every value and record separately, recovering from errors.
fn tolerant(buf: &[u8], s: &mut Local) -> Batch {
    let mut b = Batch::default();
    let mut ordinal = 0u32;
    let mut digest = false;
    let mut control = false;
    let read = candidates(buf, &mut |found| match found {
        Found::Candidate(v) => {
            let text = crate::json::repair_lone_surrogates(v.get());
            // A repaired text is not the one read again later (`tolerant::all_records`).
            let verbatim = matches!(text, std::borrow::Cow::Borrowed(_));
            match record::parse(&text) {
                Ok(rec) => process(&mut b, s, &rec, ordinal, 0, verbatim),
                Err(e) => b.tally.reject(Reject::Malformed(e.to_string())),
            }
            ordinal += 1;
        }
        Found::Reject(r) => b.tally.reject(r),
        Found::Digest => digest = true,
        Found::ControlMessage => control = true,
    });
    if let Err(Unreadable(why)) = read {
        return failed(why);
    }
    b.status = classify(&b, digest, control);
    b
}

/// Which envelope a record is in (the records of an S3 delivery are bare events). An
/// EventBridge `detail` is opened at most twice over, and only where no event time says the
/// record is itself the event.
fn envelope_of(rec: &Record, depth: u8) -> Envelope {
    if rec.detail.is_some() && rec.event_time.get().is_none() && depth < 2 {
        Envelope::EventBridge
    } else if rec.row_request.get().is_some() || rec.row_response.get().is_some() {
        Envelope::QueryRow
    } else if rec.cloudtrail_event.get().is_some() {
        Envelope::LookupEvents
    } else if rec.log_message.get().is_some() && rec.event_time.get().is_none() {
        Envelope::CloudWatchLogs
    } else {
        Envelope::Bare
    }
}

/// One record: opens its envelope (see `cloudtrail::envelope`), then normalises the event.
/// `verbatim`: `rec` was read from the record's text as the source holds it.
fn process(b: &mut Batch, s: &mut Local, rec: &Record, ordinal: u32, depth: u8, verbatim: bool) {
    let outcome = match envelope_of(rec, depth) {
        Envelope::EventBridge => {
            return match rec.detail.map(|d| record::parse(d.get())) {
                Some(Ok(inner)) => process(b, s, &inner, ordinal, depth + 1, false),
                Some(Err(e)) => b.tally.reject(Reject::Malformed(format!("detail: {e}"))),
                None => {}
            };
        }
        // The request and response are JSON strings: opened, the row is an event.
        Envelope::QueryRow => {
            let (req, resp) = (rec.row_request.0.clone(), rec.row_response.0.clone());
            let mut row = rec.clone();
            row.row_request = Str(None);
            row.row_response = Str(None);
            if let Some(t) = req.as_deref() {
                row.request_parameters = serde_json::from_str(t).unwrap_or_default();
            }
            if let Some(t) = resp.as_deref() {
                row.response_elements = serde_json::from_str(t).unwrap_or_default();
            }
            return process(b, s, &row, ordinal, depth, false);
        }
        // The event is a JSON string; the outer fields are the fallback.
        Envelope::LookupEvents => match record::parse(rec.cloudtrail_event.get().unwrap_or_default()) {
            Ok(inner) => normalise(s, &inner, Some(rec), ordinal),
            Err(e) => Err(Reject::Malformed(format!("CloudTrailEvent string: {e}"))),
        },
        // The event is the log event's message, as JSON text.
        Envelope::CloudWatchLogs => match record::parse(rec.log_message.get().unwrap_or_default()) {
            Ok(inner) => normalise(s, &inner, None, ordinal),
            Err(e) => Err(Reject::Malformed(format!("CloudWatch Logs message: {e}"))),
        },
        Envelope::S3Delivery | Envelope::Bare => normalise(s, rec, None, ordinal),
    };
    match outcome {
        Ok(mut ev) => {
            // The index holds the record's own fields as written only for a record read from
            // the source's own text (an opened envelope's event is not: `verbatim` is false
            // for it, and `as_written` refuses a record holding an envelope's keys).
            ev.as_written = verbatim && rec.as_written();
            b.tally.indexed += 1;
            b.events.push(ev);
        }
        Err(r) => b.tally.reject(r),
    }
}

/// The fast path; None sends the file down the tolerant path. The buffer is checked as
/// UTF-8 once, then read by the scanner (`crate::loader::scan`), which gives up on anything unusual.
fn fast(buf: &[u8], s: &mut Local) -> Option<Batch> {
    // simdutf8: the same check as `std::str::from_utf8`, with AVX2 where the CPU has it.
    let text = simdutf8::basic::from_utf8(buf).ok()?;
    let mut b = Batch::default();
    let mut ordinal = 0u32;
    let mut c = Cursor::new(text);
    let mut records = |c: &mut Cursor<'_>| {
        c.array(|c| {
            // A record the scanner gives up on (a duplicated key, an odd number) gets serde's
            // reading, straight away (the scanner would only give up again); the file stays on
            // the fast path unless serde rejects the record too.
            let (start, owned) = (c.pos(), c.owned());
            let mut rec = Record::default();
            let scanned = rec.scan_into(c).is_ok();
            if !scanned {
                c.rewind(start);
                rec = serde_json::from_str(c.raw()?).map_err(|_| Bail)?;
            }
            process(&mut b, s, &rec, ordinal, 0, true);
            ordinal += 1;
            if scanned && c.owned() == owned {
                // Every string of it borrows from the file (a scanned record owns memory only
                // through strings with escapes, which the cursor counts): its drop, a check
                // of each of its ~60 fields, would free nothing. 2 % of the load's instructions.
                std::mem::forget(rec);
            }
            Ok(())
        })
    };
    match (c.peek(), c.first_key()) {
        (Some(b'['), _) => records(&mut c).ok()?,
        (Some(b'{'), Some(first)) if Envelope::is_records_key(first) || first == PAYLOAD_TYPE_KEY.as_bytes() => {
            let mut seen = false;
            c.object(|c, key| {
                if key == PAYLOAD_TYPE_KEY.as_bytes() {
                    // A control message holds no events: the tolerant reader says so.
                    if c.text()?.as_deref() == Some(CONTROL_MESSAGE) { Err(Bail) } else { Ok(()) }
                } else if Envelope::is_records_key(key) && !std::mem::replace(&mut seen, true) {
                    records(c)
                } else if Envelope::is_records_key(key) || DIGEST_KEYS.iter().any(|d| d.as_bytes() == key) {
                    Err(Bail) // a second list, or a digest: the tolerant reader decides
                } else {
                    c.skip()
                }
            })
            .ok()?
        }
        _ => return lines(text, s),
    }
    if !c.at_end() {
        return None;
    }
    b.status = classify(&b, false, false);
    Some(b)
}

/// A single event object, or JSON Lines of them.
fn lines(text: &str, s: &mut Local) -> Option<Batch> {
    let mut b = Batch::default();
    let whole = record::parse(text);
    let chunks: Vec<&str> = if whole.is_ok() { vec![text] } else { text.split('\n').collect() };
    drop(whole);
    let mut ordinal = 0u32;
    for chunk in chunks {
        if chunk.trim().is_empty() {
            continue;
        }
        let rec = record::parse(chunk).ok()?;
        let before = b.tally.reasons.len();
        process(&mut b, s, &rec, ordinal, 0, true);
        // An envelope or digest on a line, or a non-event: let the tolerant path decide.
        if b.tally.reasons.len() > before && b.tally.reasons.keys().any(|k| k.starts_with("not a CloudTrail event")) {
            return None;
        }
        ordinal += 1;
    }
    b.status = classify(&b, false, false);
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    fn summary(b: &Batch) -> Vec<(u32, String, Millis)> {
        b.events.iter().map(|e| (e.ordinal, format!("{:?}", e.id), e.time)).collect()
    }

    #[test]
    fn fast_and_tolerant_paths_agree_on_every_shape() {
        let ev =
            r#"{"eventID":"11111111-1111-4111-8111-11111111111@","eventTime":"2024-01-01T00:00:0@Z","eventName":"X"}"#;
        let e = |n: u8| ev.replace("@", &n.to_string());
        let docs = [
            format!(r#"{{"Records":[{},{},{{"eventName":"no time"}},{}]}}"#, e(1), e(2), e(3)),
            format!(r#"{{"Events":[{}],"NextToken":"x"}}"#, e(1)),
            format!("[{},{}]", e(1), e(2)),
            format!("{}\n\n{}\n{}\n", e(1), e(2), e(3)),
            e(4),
            "{\n  \"eventTime\": \"2024-01-01T00:00:00Z\",\n  \"eventName\": \"Pretty\"\n}\n".to_string(),
        ];
        for d in &docs {
            let mut s = Local::default();
            let (f, t) = (
                fast(d.as_bytes(), &mut s).unwrap_or_else(|| panic!("fast path not taken: {d}")),
                tolerant(d.as_bytes(), &mut s),
            );
            assert_eq!(summary(&f), summary(&t), "{d}");
            assert_eq!(f.tally.rejected(), t.tally.rejected(), "{d}");
        }
    }

    #[test]
    fn anything_odd_falls_back_to_the_tolerant_path() {
        for d in [
            r#"{"Records":[1]}"#,
            "{\"a\":1}\n{bad\n",
            r#"{"digestStartTime":"x","logFiles":[]}"#,
            r#"{"Records":[]} junk"#,
        ] {
            assert!(fast(d.as_bytes(), &mut Local::default()).is_none(), "{d}");
        }
    }

    #[test]
    fn every_sample_event_is_found_again_by_its_ordinal() {
        let ix = crate::loader::load_sources(crate::loader::sample::sources(), &mut |_| {});
        for e in ix.events.iter().step_by(7) {
            let raw = ix.raw_text(e).expect("re-read");
            assert!(raw.contains(&ix.event_id(e)), "{raw}");
        }
    }
}
