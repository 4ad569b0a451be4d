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

/// Each envelope CloudTrail's events arrive in (`cloudtrail::envelope`) is read as the same
/// event: an envelope added there without the loader opening it fails here.
#[test]
fn every_envelope_is_read_as_the_same_event() {
    use crate::cloudtrail::envelope::Envelope;
    let event: serde_json::Value = serde_json::from_str(&ev(1, "AssumeRole")).expect("json");
    let event = {
        let mut e = event;
        e["requestParameters"] = serde_json::json!({"roleArn": "arn:aws:iam::1:role/r", "roleSessionName": "s"});
        e["responseElements"] = serde_json::json!({"credentials": {"accessKeyId": "ASIAAAAAAAAAAAAAAAAA"}});
        e
    };
    let want = load_docs(&[&event.to_string()]);
    let want_detail = format!("{:?}", want.details);
    for envelope in Envelope::ALL {
        let doc = envelope.wrap(&event).to_string();
        let ix = load_docs(&[&doc]);
        assert_eq!((ix.report.indexed, ix.report.rejected), (1, 0), "{}: {doc}", envelope.name());
        let e = &ix.events[0];
        assert_eq!(ix.event_id(e), want.event_id(&want.events[0]), "{}", envelope.name());
        for f in [Field::Name, Field::Key, Field::Principal] {
            assert_eq!(ix.field(e, f), want.field(&want.events[0], f), "{}: {f:?}", envelope.name());
        }
        assert_eq!(format!("{:?}", ix.details), want_detail, "{}: the issuance is read", envelope.name());
        // Only a record that is the event itself has its fields held as written.
        let bare = matches!(envelope, Envelope::S3Delivery | Envelope::Bare);
        assert_eq!(e.raw.as_written(), bare, "{}: as written", envelope.name());
        for key in envelope.record_keys() {
            assert!(crate::loader::record::Record::KEYS.contains(&key), "the record does not read {key}");
        }
    }
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
    assert_eq!(ix.text(e, Field::Name), "AssumeRole");
    assert_eq!(ix.text(e, Field::Key), "AKIABBBBBBBBBBBBBBBB");
    assert_eq!(ix.text(e, Field::Principal), "arn:aws:iam::1:user/u");
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
    assert!(!crate::text::sanitize(&ua).contains('\u{1b}'));
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
    let key = |e: &crate::index::event::Event| (e.time, ix.event_id(e), e.raw.file, e.raw.ordinal());
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
        let order: Vec<_> = ix.events.iter().map(|e| (e.time, ix.event_id(e), e.raw.file, e.raw.ordinal())).collect();
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

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn load_dir(dir: &std::path::Path) -> super::Loaded {
    super::load_paths(&[dir.to_path_buf()], &mut |_| {})
}

fn reasons(ix: &super::Loaded) -> String {
    let r = &ix.report;
    r.problems.iter().chain(&r.skipped).map(|p| format!("{}: {}\n", p.path, p.reason)).collect()
}

#[test]
fn a_gzip_bomb_is_stopped_at_the_inflation_limit() {
    // 80 MiB of zeros: ~80 KB of gzip, over the 64 MiB allowance and 100× its size.
    let bomb = gz(&vec![0u8; 80 << 20]);
    let limit = super::gzip::inflate_limit(bomb.len());
    assert_eq!(limit, super::gzip::MIN_ALLOWANCE);
    let mut out = Vec::new();
    let err = match super::gzip::Gunzip::default().inflate(&bomb, &mut out) {
        Ok(all) => panic!("inflated {} bytes", all.len()),
        Err(e) => e,
    };
    assert!(err.contains("inflates past") && err.contains("100×"), "{err}");
    assert!(out.capacity() <= limit + (1 << 20), "memory stayed near the limit: {}", out.capacity());
    // Through the loader: one failed file, its reason named.
    let ix = super::load_sources(vec![Source::Memory { name: "bomb.json.gz".into(), bytes: bomb.into() }], &mut |_| {});
    assert_eq!(ix.report.files_failed, 1);
    assert!(reasons(&ix).contains("decompression bomb"), "{}", reasons(&ix));
}

#[test]
fn a_huge_sparse_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = std::fs::File::create(dir.path().join("huge.json")).expect("create");
    f.set_len(5 << 30).expect("sparse 5 GiB");
    let started = std::time::Instant::now();
    let ix = load_dir(dir.path());
    assert_eq!(ix.report.files_failed, 1, "{}", reasons(&ix));
    assert!(reasons(&ix).contains("larger than the 4 GiB limit"), "{}", reasons(&ix));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "not read: {:?}", started.elapsed());
}

#[cfg(unix)]
#[test]
fn fifos_and_kernel_files_are_skipped_and_counted_links_out_of_the_tree_counted() {
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("elsewhere.json"), ev(2, "B")).expect("file");
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("a.json"), ev(1, "A")).expect("file");
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.path().join("pagemap.json")).expect("link");
    std::os::unix::fs::symlink("/proc/kmsg", dir.path().join("kmsg.json")).expect("link");
    std::os::unix::fs::symlink(outside.path().join("elsewhere.json"), dir.path().join("out.json")).expect("link");
    let ix = load_dir(dir.path());
    let r = &ix.report;
    assert_eq!((r.files_read, r.indexed), (2, 2), "a.json and the link out of the tree: {}", reasons(&ix));
    assert_eq!(r.links_outside, 1);
    assert_eq!(r.files_skipped, 2 + usize::from(made), "{}", reasons(&ix));
    let why = reasons(&ix);
    assert!(why.contains("kernel file"), "{why}");
    if made {
        assert!(why.contains("pipe.json: a FIFO: not read"), "{why}");
    }
    // Named on the command line, a FIFO is counted the same way (and does not hang the load).
    if made {
        let ix = super::load_paths(&[fifo], &mut |_| {});
        assert_eq!(ix.report.files_skipped, 1, "{}", reasons(&ix));
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_shown_escaped_and_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    for name in [&b"bad\xff.json"[..], &b"bad\xfe.json"[..]] {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), "{not json").expect("write");
    }
    let ix = load_dir(dir.path());
    let paths: Vec<&str> = ix.report.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("bad\\xfe.json") && paths[1].ends_with("bad\\xff.json"), "{paths:?}");
}

#[test]
fn a_bad_line_in_json_lines_is_rejected_alone_with_its_true_line_number() {
    // Line 5 is cut short: serde reading on would swallow line 6 and fail the file.
    let mut lines: Vec<String> = (0..40).map(|i| ev(i, "GetObject")).collect();
    lines[4] = lines[4][..60].to_string();
    let ix = load_docs(&[&lines.join("\n")]);
    assert_eq!((ix.report.indexed, ix.report.rejected, ix.report.files_failed), (39, 1, 0), "{}", reasons(&ix));
    assert!(reasons(&ix).contains("line 5:"), "{}", reasons(&ix));
    // The first line bad: the other 39 still load.
    let mut lines: Vec<String> = (0..40).map(|i| ev(i, "GetObject")).collect();
    lines[0] = "{\"eventName\": ".into();
    let ix = load_docs(&[&lines.join("\n")]);
    assert_eq!((ix.report.indexed, ix.report.rejected), (39, 1), "{}", reasons(&ix));
    assert!(reasons(&ix).contains("line 1:"), "{}", reasons(&ix));
    // The detail pane finds each record again by its ordinal.
    let e = &ix.events[0];
    assert!(ix.raw_text(e).expect("raw").contains(&ix.event_id(e)));
}

#[test]
fn records_given_twice_are_both_read() {
    let doc = format!(r#"{{"Records":[{}],"Records":[{}]}}"#, ev(1, "A"), ev(2, "B"));
    let ix = load_docs(&[&doc]);
    assert_eq!((ix.report.indexed, ix.report.rejected), (2, 0), "{}", reasons(&ix));
}

#[test]
fn compressed_files_that_are_not_gzip_fail_with_what_they_are() {
    let twice = gz(&gz(ev(1, "A").as_bytes()));
    let docs: [(&str, Vec<u8>, &str); 4] = [
        ("one-byte.gz", vec![0x1f], "truncated gzip"),
        ("x.json.xz", b"\xfd7zXZ\x00\x00\x04".to_vec(), "xz-compressed"),
        ("x.json.zst", b"\x28\xb5\x2f\xfd\x24\x00".to_vec(), "zstd-compressed"),
        ("twice.json.gz.gz", twice, "compressed twice"),
    ];
    for (name, bytes, want) in docs {
        let ix = super::load_sources(vec![Source::Memory { name: name.into(), bytes: bytes.into() }], &mut |_| {});
        assert_eq!(ix.report.files_failed, 1, "{name}: {}", reasons(&ix));
        assert!(reasons(&ix).contains(want), "{name}: {}", reasons(&ix));
    }
}

#[test]
fn a_lone_surrogate_escape_is_read_as_the_replacement_character() {
    let doc = ev(1, "GetObject").replace("arn:aws:iam::1:user/u", r"arn:aws:iam::1:user/u\ud800x");
    let ix = load_docs(&[&doc]);
    assert_eq!((ix.report.indexed, ix.report.rejected), (1, 0), "{}", reasons(&ix));
    assert_eq!(ix.text(&ix.events[0], Field::Principal), "arn:aws:iam::1:user/u\u{fffd}x");
}

#[test]
fn times_outside_1970_to_9999_are_rejected_records() {
    let docs: Vec<String> = ["-262143-01-01T00:00:00", "+262142-01-01T00:00:00", "2024-01-01\t00:00:00"]
        .iter()
        .map(|t| ev(1, "A").replace("2024-01-01T00:00:00Z", &t.replace('\t', "\\t")))
        .collect();
    for d in &docs {
        let ix = load_docs(&[d]);
        assert_eq!((ix.report.indexed, ix.report.rejected), (0, 1), "{d}: {}", reasons(&ix));
        assert!(reasons(&ix).contains("unreadable eventTime"), "{}", reasons(&ix));
    }
}

/// CloudWatch Logs subscription payloads, as CloudTrail reaches many pipelines: one or many
/// per file (concatenated or one per line), plain or gzip; control messages are skipped.
#[test]
fn cloudwatch_logs_payloads_are_read_in_every_form_and_control_messages_skipped() {
    use crate::cloudtrail::envelope::Envelope;
    let event = |n: u32| serde_json::from_str::<serde_json::Value>(&ev(n, "GetObject")).expect("json");
    let payload = |n: u32| Envelope::CloudWatchLogs.wrap(&event(n)).to_string();
    let control = r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1704067200000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#;
    let concatenated = format!("{}{}", payload(1), payload(2));
    let lines = format!("{}\n{}\n", payload(3), payload(4));
    let srcs = vec![
        Source::Memory { name: "one.json".into(), bytes: payload(5).into_bytes().into() },
        Source::Memory { name: "concatenated.json".into(), bytes: concatenated.into_bytes().into() },
        Source::Memory { name: "lines.json".into(), bytes: lines.into_bytes().into() },
        Source::Memory { name: "firehose.gz".into(), bytes: gz(payload(6).as_bytes()).into() },
        Source::Memory { name: "control.json".into(), bytes: control.as_bytes().into() },
    ];
    let ix = super::load_sources(srcs, &mut |_| {});
    assert_eq!((ix.report.indexed, ix.report.rejected), (6, 0), "{}", reasons(&ix));
    assert_eq!(ix.report.files_skipped, 1, "{}", reasons(&ix));
    assert!(reasons(&ix).contains("control message"), "{}", reasons(&ix));
    // The detail pane finds each event's text again.
    for e in ix.events.iter() {
        assert!(ix.raw_text(e).expect("re-read").contains("GetObject"));
    }
}

/// The real payload in `../shared/corpus/otel-collector-contrib/cloudtrail_log_cw.json`.
#[test]
fn the_real_cloudwatch_logs_payload_is_read() {
    let Some(dir) = crate::testing::shared_corpus("otel-collector-contrib", "the_real_cloudwatch_logs_payload_is_read")
    else {
        return;
    };
    let ix = super::load_paths(&[dir.join("cloudtrail_log_cw.json")], &mut |_| {});
    assert_eq!((ix.report.indexed, ix.report.files_failed), (1, 0), "{}", reasons(&ix));
    assert_eq!(ix.text(&ix.events[0], Field::Name), "PutObject");
}

/// `events --json --full`: in every envelope, the request and response come back as the event
/// logged them, secrets redacted (issue 19).
#[test]
fn full_events_read_the_request_and_response_again_in_every_envelope_redacted() {
    let mut event: serde_json::Value = serde_json::from_str(&ev(1, "AssumeRole")).expect("json");
    event["requestParameters"] = serde_json::json!({"roleArn": "arn:aws:iam::1:role/r", "roleSessionName": "s"});
    event["responseElements"] = serde_json::json!({"credentials": {"accessKeyId": "ASIAAAAAAAAAAAAAAAAA",
        "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN", "secretAccessKey": "wJalrXUtnFEMIEXAMPLE"}});
    event["errorMessage"] = serde_json::json!("not really");
    for envelope in crate::cloudtrail::envelope::Envelope::ALL {
        let doc = envelope.wrap(&event).to_string();
        let loaded = load_docs(&[&doc]);
        let e = &loaded.events[0];
        let raw = crate::loader::raw_texts(&loaded.sources, &[e]);
        let a = crate::answer::events::EventAnswer::new(&loaded, e).with_full(raw[0].as_deref().ok());
        let line = a.json_line();
        let name = envelope.name();
        assert_eq!(
            a.request_parameters.as_ref().and_then(|r| r.get("roleSessionName")),
            Some(&serde_json::json!("s")),
            "{name}: {line}"
        );
        assert!(!line.contains("IQoJb3JpZ2lu") && !line.contains("wJalrXUtnFEMI"), "{name}: {line}");
        let creds = &a.response_elements.as_ref().expect("response")["credentials"];
        assert_eq!(creds["accessKeyId"], "ASIAAAAAAAAAAAAAAAAA", "{name}");
    }
}

/// Every address and agent unique, over far more text than a worker's interner holds before
/// its tables start again (`local::LOCAL_TEXT_BUDGET`): each event still reads back exactly
/// the values its record wrote, whichever worker read it and however often its tables
/// started again.
#[test]
fn high_cardinality_fields_read_back_exactly_across_worker_table_resets() {
    use crate::synth::{Shape, write_corpus_shaped};
    use std::collections::HashMap;
    let dir = tempfile::tempdir().expect("tmp");
    write_corpus_shaped(dir.path(), 12_000, 1, 11, Shape::ADVERSARIAL).expect("corpus");
    let mut want: HashMap<String, [String; 4]> = HashMap::new();
    let mut text = 0;
    let (files, _) = super::source::expand(&[dir.path().to_path_buf()]);
    for entry in files {
        let Source::File(path) = entry else { continue };
        let mut json = String::new();
        let file = std::fs::File::open(&path).expect("open");
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut json).expect("gunzip");
        let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
        // Digest and other non-event files the corpus holds carry no records.
        for r in doc["Records"].as_array().into_iter().flatten() {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            let row = [
                s(&r["sourceIPAddress"]),
                s(&r["userAgent"]),
                s(&r["userIdentity"]["accessKeyId"]),
                s(&r["eventName"]),
            ];
            text += row.iter().map(String::len).sum::<usize>();
            want.insert(s(&r["eventID"]), row);
        }
    }
    assert!(text > 4 * super::local::LOCAL_TEXT_BUDGET, "only {text} bytes of text: no table reset is tested");
    let ix = load_dir(dir.path());
    assert_eq!(ix.report.indexed, want.len());
    for e in &ix.ix.events {
        let got = [Field::Ip, Field::UserAgent, Field::Key, Field::Name].map(|f| ix.ix.field(e, f).to_string());
        assert_eq!(Some(&got), want.get(&ix.ix.event_id(e)), "event {}", ix.ix.event_id(e));
    }
}
