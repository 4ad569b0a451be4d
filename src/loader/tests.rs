//! Every input shape, and every way a file or record can fail, lands in exactly one bucket.

use super::load_docs;
use super::source::Source;
use crate::index::event::Field;
use flate2::{Compression, write::GzEncoder};
use std::io::Write;

const EV: &str = r#"{"eventVersion":"1.08","eventID":"11111111-1111-4111-8111-111111111111","eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","accessKeyId":"AKIAAAAAAAAAAAAAAAAA"}}"#;

fn ev(id: u32, name: &str) -> String {
    EV.replace("11111111-1111-4111-8111-111111111111", &format!("{id:08x}-1111-4111-8111-111111111111"))
        .replace("GetObject", name)
}

#[test]
fn s3_records_array_and_single_object_all_load() {
    let records = format!(r#"{{"Records":[{},{}]}}"#, ev(1, "A"), ev(2, "B"));
    let array = format!("[{}]", ev(3, "C"));
    let ix = load_docs(&[&records, &array, &ev(4, "D")]);
    assert_eq!(ix.report.indexed, 4);
    assert_eq!(ix.report.files_read, 3);
}

#[test]
fn json_lines_with_a_bad_line_keeps_the_good_ones() {
    let doc = format!("{}\n{{not json\n{}\n", ev(1, "A"), ev(2, "B"));
    let ix = load_docs(&[&doc]);
    assert_eq!(ix.report.indexed, 2);
    assert_eq!(ix.report.rejected, 1);
    assert!(ix.report.problems[0].reason.contains("line 2"), "{:?}", ix.report.problems);
}

#[test]
fn lookup_events_takes_outer_fields_where_the_inner_string_lacks_them() {
    let inner =
        r#"{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"requestParameters":{"roleArn":"r"}}"#;
    let doc = serde_json::json!({"Events": [{
        "EventId": "22222222-2222-4222-8222-222222222222", "EventName": "AssumeRole",
        "EventTime": "2024-01-15T11:45:22.456000", "AccessKeyId": "AKIABBBBBBBBBBBBBBBB",
        "CloudTrailEvent": inner
    }]})
    .to_string();
    let ix = load_docs(&[&doc]);
    assert_eq!(ix.report.indexed, 1, "{:?}", ix.report.problems);
    let e = &ix.events[0];
    assert_eq!(ix.field(e, Field::Name), "AssumeRole");
    assert_eq!(ix.field(e, Field::Key), "AKIABBBBBBBBBBBBBBBB");
    assert_eq!(ix.field(e, Field::Principal), "arn:aws:iam::1:user/u");
    assert_eq!(ix.event_id(e), "22222222-2222-4222-8222-222222222222");
}

#[test]
fn eventbridge_detail_is_unwrapped() {
    let doc = format!(
        r#"{{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{}}}"#,
        ev(1, "A")
    );
    let ix = load_docs(&[&doc]);
    assert_eq!(ix.report.indexed, 1);
    // The detail pane re-reads the whole wrapper.
    assert!(ix.raw_text(&ix.events[0]).expect("raw").contains("detail-type"));
}

#[test]
fn digest_and_insights_files_are_skipped_not_failed() {
    let digest = r#"{"awsAccountId":"1","digestStartTime":"2020-09-11T18:36:49Z","logFiles":[]}"#;
    let insight = r#"{"eventVersion":"1.07","eventTime":"2020-09-09T23:00:00Z","eventType":"AwsCloudTrailInsight","eventID":"x"}"#;
    let ix = load_docs(&[digest, insight]);
    assert_eq!((ix.report.files_skipped, ix.report.files_failed, ix.report.indexed), (2, 0, 0));
    assert_eq!(ix.report.skipped_records, 1);
}

#[test]
fn each_record_lands_in_exactly_one_bucket() {
    let no_time = r#"{"eventName":"X","eventID":"y"}"#;
    let bad_time = r#"{"eventName":"X","eventTime":"redacted"}"#;
    let doc = format!(r#"{{"Records":[{},{},{},{},7]}}"#, ev(1, "A"), ev(1, "A"), no_time, bad_time);
    let ix = load_docs(&[&doc]);
    let r = &ix.report;
    assert_eq!((r.indexed, r.duplicates, r.rejected), (1, 1, 3));
    assert!(r.problems.iter().any(|p| p.reason == "missing eventTime"));
    assert!(r.problems.iter().any(|p| p.reason.contains("\"redacted\"")));
}

#[test]
fn same_event_id_with_different_content_is_not_a_duplicate() {
    let ix = load_docs(&[&format!("[{},{}]", ev(1, "A"), ev(1, "B"))]);
    assert_eq!((ix.report.indexed, ix.report.duplicates, ix.report.reused_ids), (2, 0, 1));
}

#[test]
fn a_redelivery_is_a_duplicate_even_after_a_different_event_with_its_id() {
    // A, then B reusing A's id, then A again (in another file): one duplicate, one reused id.
    let ix = load_docs(&[&format!("[{},{}]", ev(1, "A"), ev(1, "B")), &format!("[{}]", ev(1, "A"))]);
    let r = &ix.report;
    assert_eq!((r.indexed, r.duplicates, r.reused_ids), (2, 1, 1));
    assert_eq!(ix.events.iter().filter(|e| ix.field(e, crate::index::event::Field::Name) == "A").count(), 1);
    assert_eq!(ix.events[0].raw.file, 0, "the first delivery is the one kept");
}

#[test]
fn broken_json_and_empty_files_fail_and_text_files_are_skipped() {
    let ix = load_docs(&["# README\nhello", "", "   ", "{\"Records\": [", "[1,,]"]);
    assert_eq!(ix.report.files_skipped, 1);
    assert!(ix.report.skipped[0].reason.contains("'#'"));
    assert_eq!(ix.report.files_failed, 4);
    assert_eq!(ix.report.rejected, 0, "a file that is not JSON has no records to count");
    assert!(ix.report.problems.iter().all(|p| !p.reason.is_empty()));
}

#[test]
fn gzip_is_recognised_by_content_and_truncation_is_reported() {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(format!(r#"{{"Records":[{}]}}"#, ev(1, "A")).as_bytes()).expect("gz");
    let gz: std::sync::Arc<[u8]> = e.finish().expect("gz").into();
    let cut: std::sync::Arc<[u8]> = gz[..gz.len() / 2].into();
    let ix = super::load_sources(
        vec![
            Source::Memory { name: "a.json".into(), bytes: gz },
            Source::Memory { name: "b.json.gz".into(), bytes: cut },
        ],
        &mut |_| {},
    );
    assert_eq!((ix.report.indexed, ix.report.files_failed), (1, 1));
    assert!(ix.report.problems[0].reason.contains("truncated"), "{:?}", ix.report.problems);
}

#[test]
fn hostile_strings_survive_loading_and_are_sanitised_for_display() {
    let doc = ev(1, "A").replace(r#""eventSource""#, r#""userAgent":"x\u001b]0;pwned\u0007y","eventSource""#);
    let ix = load_docs(&[&doc]);
    let ua = ix.field(&ix.events[0], Field::UserAgent);
    assert!(ua.contains('\u{1b}'), "the index keeps the original");
    assert!(!crate::text::sanitize(ua).contains('\u{1b}'));
}

#[test]
fn odd_shapes_never_panic() {
    for doc in
        ["null", "[]", "{}", "[1,2,3]", r#"{"Records":null}"#, r#"{"Records":[[]]}"#, "\u{feff}{}", "{\"a\":", "[{}]"]
    {
        let _ = load_docs(&[doc]);
    }
}

#[test]
fn progress_reports_every_file_and_ends_done() {
    let sources: Vec<Source> =
        (0..5).map(|i| Source::Memory { name: format!("f{i}"), bytes: ev(i, "A").into_bytes().into() }).collect();
    let mut seen = Vec::new();
    let ix = super::load_sources(sources, &mut |p| seen.push((p.files_done, p.done)));
    assert_eq!(ix.events.len(), 5);
    assert_eq!(seen.last(), Some(&(5, true)));
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn progressive_loads_hand_out_growing_snapshots_then_the_whole() {
    let sources: Vec<Source> =
        (0..6).map(|i| Source::Memory { name: format!("f{i}"), bytes: ev(i, "A").into_bytes().into() }).collect();
    let mut sizes = Vec::new();
    let ix = super::load_progressively(
        sources,
        &mut |_| {},
        &mut |partial| sizes.push(partial.events.len()),
        Some(std::time::Duration::ZERO),
    );
    assert_eq!(ix.events.len(), 6);
    // After files 1 to 4 (4 of 6 is not yet three quarters); none once the final is near.
    assert_eq!(sizes, [1, 2, 3, 4], "one after each file until three quarters are in");
    assert!(sizes.windows(2).all(|w| w[0] < w[1]) && sizes.iter().all(|&n| n < 6));
}

#[test]
fn files_merge_in_path_order_and_events_end_in_time_order_whatever_the_input_order() {
    // Forty files, records reversed within each, times zig-zagging across files (as late
    // deliveries do), ids repeated within each file: however the files' runs overlap, the
    // index ends in (time, id, place) order.
    let at = |i: u32| format!("2024-01-01T00:{:02}:{:02}Z", (i * 7) % 60, (i * 13) % 60);
    let doc = |f: u32| {
        let recs: Vec<String> =
            (0..6).rev().map(|r| ev(f * 6 + r % 3, "A").replace("2024-01-01T00:00:00Z", &at(f * 6 + r))).collect();
        format!(r#"{{"Records":[{}]}}"#, recs.join(","))
    };
    let sources: Vec<Source> =
        (0..40).map(|f| Source::Memory { name: format!("f{f:02}"), bytes: doc(f).into_bytes().into() }).collect();
    let ix = super::load_sources(sources, &mut |_| {});
    assert_eq!(ix.events.len(), 240);
    let key = |e: &crate::index::event::Event| (e.time, ix.event_id(e), e.raw.file, e.raw.ordinal);
    assert!(ix.events.windows(2).all(|w| key(&w[0]) < key(&w[1])), "sorted by time, id, then place");
}

#[test]
fn files_named_with_times_are_ordered_as_they_arrive_exactly_as_a_full_sort_would() {
    // Two regions, files every five minutes, each holding events from up to three hours
    // before its name's time (later than the index assumes: those are set aside and merged at
    // the end), ids repeated so that ties fall back to the id and then the place.
    let mut seed = 11u64;
    let mut rand = move |n: u32| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) % u64::from(n)) as u32
    };
    let mut docs = Vec::new();
    for f in 0..60u32 {
        for region in ["eu-west-1", "us-east-1"] {
            let minute = 180 + f * 5;
            let recs: Vec<String> = (0..5)
                .map(|_| {
                    let spread = if rand(10) == 0 { 3 * 3600 } else { 300 };
                    let t = minute * 60 - rand(spread);
                    let at = format!("2024-01-01T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60);
                    ev(rand(40), "A").replace("2024-01-01T00:00:00Z", &at)
                })
                .collect();
            let name = format!("1_CloudTrail_{region}_20240101T{:02}{:02}Z_x.json", minute / 60, minute % 60);
            docs.push((name, format!(r#"{{"Records":[{}]}}"#, recs.join(","))));
        }
    }
    let load = |named: bool| {
        let sources = docs
            .iter()
            .enumerate()
            .map(|(i, (name, doc))| Source::Memory {
                name: if named { name.clone() } else { format!("doc{i:03}") },
                bytes: doc.clone().into_bytes().into(),
            })
            .collect();
        let ix = super::load_sources(sources, &mut |_| {});
        let order: Vec<_> = ix.events.iter().map(|e| (e.time, ix.event_id(e), e.raw.file, e.raw.ordinal)).collect();
        (order, ix.report.duplicates, ix.report.reused_ids)
    };
    let (by_name, by_sort) = (load(true), load(false));
    assert_eq!(by_name.0.len() as u64 + by_name.1 as u64, 600);
    assert!(by_name.0.windows(2).all(|w| w[0] < w[1]), "in (time, id, place) order");
    assert_eq!(by_name, by_sort, "the same index as when every event is sorted at the end");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_back_to_an_ancestor_is_listed_once_and_reported() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("a");
    std::fs::create_dir(&dir).expect("dir");
    std::fs::write(dir.join("one.json"), ev(1, "A")).expect("file");
    std::os::unix::fs::symlink("..", dir.join("up")).expect("symlink");
    let (files, errors) = super::source::expand(&[root.path().to_path_buf(), dir.clone()]);
    assert_eq!(files.len(), 1, "each file once: {:?}", files.iter().map(Source::name).collect::<Vec<_>>());
    assert_eq!(errors.len(), 2, "the loop and the directory named again: {errors:?}");
    assert!(errors.iter().all(|(_, why)| why.contains("already listed")), "{errors:?}");
}
