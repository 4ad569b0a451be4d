//! Laying generated events out as CloudTrail delivers them to S3: one gzip file per
//! region and 5-minute window, records not in time order, one file delivered twice,
//! and a digest file beside them.

use super::build::Rng;
use super::corpus_shape::{Shape, records_in_cloudtrail_order};
use super::noise::{Cast, background};
use super::{Generated, incident};
use flate2::{Compression, write::GzEncoder};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

const WINDOW: i64 = 5 * 60 * 1000;

/// (relative path, gzip bytes) for every file, sorted by path.
pub fn s3_files(events: Vec<Generated>, account: &str, rng: &mut Rng, extras: bool) -> Vec<(String, Vec<u8>)> {
    s3_files_shaped(events, account, rng, extras, Shape::LOW)
}

/// As `s3_files`, each file written as `shape` says (key order, order of records).
pub fn s3_files_shaped(
    events: Vec<Generated>,
    account: &str,
    rng: &mut Rng,
    extras: bool,
    shape: Shape,
) -> Vec<(String, Vec<u8>)> {
    let mut groups: BTreeMap<(String, i64), Vec<serde_json::Value>> = BTreeMap::new();
    for g in events {
        let window = g.time_ms.div_euclid(WINDOW) + i64::from(g.delay_files);
        groups.entry((g.region, window)).or_default().push(g.event);
    }
    let mut files = Vec::new();
    for ((region, window), mut records) in groups {
        // CloudTrail does not sort records within a file.
        let n = records.len();
        if shape.shuffle {
            for i in (1..n).rev() {
                records.swap(i, rng.below(i as u64 + 1) as usize);
            }
        } else if n > 2 {
            records.rotate_left(rng.below(n as u64) as usize);
        }
        let bytes = if shape.cloudtrail_order {
            gzip_text(&records_in_cloudtrail_order(&records))
        } else {
            gzip(&json!({"Records": records}))
        };
        files.push((file_name(account, &region, window * WINDOW, rng), bytes));
    }
    if extras {
        if let Some((path, bytes)) = files.get(files.len() / 2).cloned() {
            let again = path.replace(".json.gz", "").rsplit_once('_').map(|(p, _)| p.to_string()).unwrap_or(path);
            files.push((format!("{again}_{}.json.gz", rand16(rng)), bytes));
        }
        if let Some((first, _)) = files.first() {
            files.push((digest_name(account, first), gzip(&json!({
                "awsAccountId": account, "digestStartTime": "2024-11-30T00:00:00Z", "digestEndTime": "2024-11-30T01:00:00Z",
                "digestS3Bucket": "acme-trail-logs", "digestPublicKeyFingerprint": rng.hex(32),
                "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": []
            }))));
        }
    }
    files.sort();
    files
}

fn rand16(rng: &mut Rng) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..16).map(|_| A[rng.below(A.len() as u64) as usize] as char).collect()
}

fn file_name(account: &str, region: &str, ms: i64, rng: &mut Rng) -> String {
    let d = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    format!(
        "AWSLogs/{account}/CloudTrail/{region}/{}/{account}_CloudTrail_{region}_{}_{}.json.gz",
        d.format("%Y/%m/%d"),
        d.format("%Y%m%dT%H%MZ"),
        rand16(rng)
    )
}

fn digest_name(account: &str, first: &str) -> String {
    let day = first.split('/').skip(4).take(3).collect::<Vec<_>>().join("/");
    format!(
        "AWSLogs/{account}/CloudTrail-Digest/us-east-1/{day}/{account}_CloudTrail-Digest_us-east-1_trail_us-east-1_20241130T010000Z.json.gz"
    )
}

fn gzip_text(text: &str) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = e.write_all(text.as_bytes());
    e.finish().unwrap_or_default()
}

fn gzip(v: &serde_json::Value) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut e, v);
    e.finish().unwrap_or_default()
}

/// Writes a benchmark corpus of about `events` events: the incident planted in noise over
/// `days` days (fewer days: as many events in fewer, larger files), generated and written
/// chunk by chunk so memory stays flat.
pub fn write_corpus(dir: &Path, events: usize, days: u32, seed: u64) -> std::io::Result<(usize, u64)> {
    write_corpus_shaped(dir, events, days, seed, Shape::LOW)
}

/// As `write_corpus`, the noise's addresses and agents and the files as `shape` says (the
/// incident's own events keep theirs).
pub fn write_corpus_shaped(
    dir: &Path,
    events: usize,
    days: u32,
    seed: u64,
    shape: Shape,
) -> std::io::Result<(usize, u64)> {
    let inc = incident(seed, 0);
    let mut rng = Rng::new(seed ^ 0x5eed);
    let cast = Cast { account: super::incident::ACCOUNT.into(), office_ip: "198.51.100.24".into() };
    let start = crate::time::parse_time("2024-11-15T00:00:00Z").unwrap_or(0);
    let span = i64::from(days.max(1)) * 24 * 3_600_000;
    let chunk = 50_000usize;
    let mut left = events.saturating_sub(inc.events.len());
    let chunks = left.div_ceil(chunk).max(1);
    let (mut files, mut bytes) = (0, 0u64);
    let mut write = |set: Vec<(String, Vec<u8>)>| -> std::io::Result<()> {
        for (path, data) in set {
            let p = dir.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut f = std::fs::File::create(p)?;
            f.write_all(&data)?;
            files += 1;
            bytes += data.len() as u64;
        }
        Ok(())
    };
    write(s3_files_shaped(inc.events, &cast.account, &mut rng, true, shape))?;
    let mut shape_rng = Rng::new(seed ^ 0x5a9e);
    let mut numbered = 0u64;
    for c in 0..chunks as i64 {
        let n = left.min(chunk);
        left -= n;
        let (from, to) = (start + span * c / chunks as i64, start + span * (c + 1) / chunks as i64);
        let mut noise = background(&mut rng, &cast, n, from, to);
        for g in &mut noise {
            shape.apply(&mut shape_rng, numbered, g);
            numbered += 1;
        }
        write(s3_files_shaped(noise, &cast.account, &mut rng, false, shape))?;
    }
    Ok((files, bytes))
}
