//! Load benchmark: `cargo bench --bench load [-- --events N] [--corpus DIR] [--rounds N]`;
//! `cargo bench --bench load -- --shapes` runs only the lineage-shape lines;
//! `cargo bench --bench load -- --cardinality [--no-duckdb] [--no-sweeps]` the corpus shapes side by side
//! (low, realistic, adversarial: `synth::corpus_shape`), each round's DuckDB load of the same
//! files beside ours when Python has `duckdb`, and sweeps of distinct source IPs and agents;
//! `cargo bench --bench load -- --detections [--rules DIR]` what Sigma rules (the project's,
//! and DIR's: by default SigmaHQ's in `../shared/sigma/cloudtrail`) add to the load, per shape.
//!
//! Generates a corpus if missing (S3 layout, the incident planted in 30 days of noise), then
//! in the same run measures: tokentrail's own decompression-only floor; then, in rounds one right
//! after the other, the libdeflate decompression floor (two processes, each over one
//! multi-member half, output discarded) when `libdeflate-gunzip` is installed, and the full load
//! (index + lineage + suspects) in a child process, so that its peak RSS is its own; then one
//! more child loads as the workbench does (agents seen once deflated). Also times
//! re-reading events for the detail pane, and the workbench's frame and keystroke times (the
//! binary's hidden `bench-render`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(String::from))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let (sources, _) = tokentrail::loader::source::expand(&[dir.to_path_buf()]);
    sources
        .into_iter()
        .filter_map(|s| match s {
            tokentrail::loader::source::Source::File(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// Child: load, build lineage and suspects, report as one JSON line. With `workbench`, as the
/// workbench does it: the agents seen once are deflated (`Index::compact_agents`, timed as
/// `compact_s`) between the load and the lineage, and the peak is the workbench's.
fn measure(dir: &Path, workbench: bool) {
    let t = Instant::now();
    let mut ix = tokentrail::loader::load_paths(&[dir.to_path_buf()], &mut |_| {});
    let load = t.elapsed().as_secs_f64();
    let heap = ix.heap_bytes();
    let c = Instant::now();
    if workbench {
        ix.ix.compact_agents();
    }
    let compact = c.elapsed().as_secs_f64();
    let compact_heap = ix.heap_bytes();
    let m = tokentrail::model::Model::new(ix);
    let total = t.elapsed().as_secs_f64();
    let n = m.ix.events.len();
    let mut addresses: Vec<_> = m.ix.events.iter().map(|e| e.source_ip()).collect();
    addresses.sort_unstable();
    addresses.dedup();
    let mut worst = 0f64;
    let mut sum = 0f64;
    let picks: Vec<usize> = (0..50).map(|k| k * n.max(1) / 50).collect();
    for &i in &picks {
        let t = Instant::now();
        let _ = m.raw_text(&m.ix.events[i]);
        let d = t.elapsed().as_secs_f64() * 1000.0;
        worst = worst.max(d);
        sum += d;
    }
    println!(
        "{}",
        serde_json::json!({
            "events": n, "decoded": m.report.bytes_decoded, "read": m.report.bytes_read,
            "load_s": load, "total_s": total, "peak_kb": peak_rss_kb(), "index_bytes": heap,
            "compact_s": compact, "index_bytes_compact": compact_heap,
            "detail_ms_avg": sum / picks.len() as f64, "detail_ms_max": worst,
            "nodes": m.lin.nodes.len(), "suspects": m.suspects.len(), "strings": m.ix.strings.len(),
            "agents": m.ix.agents.len(), "addresses": addresses.len(),
        })
    );
}

/// One child's load as the workbench does it (`measure`'s `workbench`).
fn workbench_of(dir: &Path) -> Option<serde_json::Value> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(&exe).arg("--measure").arg(dir).arg("--workbench").output().ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

/// The files split in two halves, each one multi-member gzip file, for `libdeflate-gunzip`
/// (None when it is not installed).
fn floor_halves(dir: &Path, files: &[PathBuf]) -> Option<[PathBuf; 2]> {
    if Command::new("libdeflate-gunzip").arg("-h").output().is_err() {
        eprintln!("libdeflate-gunzip not found (Debian: apt-get install libdeflate-tools): no floor, no ratio to it");
        return None;
    }
    let halves = [dir.join("../half1.gz"), dir.join("../half2.gz")];
    let mid = files.len() / 2;
    for (h, part) in halves.iter().zip([&files[..mid], &files[mid..]]) {
        let mut all = Vec::new();
        for f in part {
            all.extend(std::fs::read(f).ok()?);
        }
        std::fs::write(h, all).ok()?;
    }
    Some(halves)
}

/// The decompression floor: two `libdeflate-gunzip` processes, one per half, output discarded.
fn libdeflate_floor(halves: &[PathBuf; 2]) -> f64 {
    let t = Instant::now();
    let kids: Vec<_> = halves
        .iter()
        .filter_map(|h| {
            Command::new("sh").arg("-c").arg(format!("libdeflate-gunzip -c '{}' > /dev/null", h.display())).spawn().ok()
        })
        .collect();
    for mut k in kids {
        let _ = k.wait();
    }
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Our own decompression alone, with the loader's threading (one thread per core, taking
/// the next file as each finishes).
fn own_floor(files: &[PathBuf]) -> f64 {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let t = Instant::now();
    let next = AtomicUsize::new(0);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let bytes: u64 = std::thread::scope(|s| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                s.spawn(|| {
                    // Inflater and buffer reused from file to file, as a loader worker does.
                    let (mut gunzip, mut out) = (tokentrail::loader::gzip::Gunzip::default(), Vec::new());
                    let mut n = 0u64;
                    while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let b = std::fs::read(f).unwrap_or_default();
                        n += gunzip.inflate(&b, &mut out).map_or(0, |d| d.len() as u64);
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    std::hint::black_box(bytes);
    t.elapsed().as_secs_f64()
}

/// Lineage at its limits: a chain of keys each minting the next, and one key minting a
/// wide tree, each 100,000 nodes (`synth::shapes`). Time to index, build lineage and
/// suspects, and write `lineage --json` and the text tree of the root; the JSON's size.
fn lineage_shapes() {
    use tokentrail::synth::shapes::{key_chain, key_id, wide_tree};
    println!("\n| lineage shape (100,000 nodes) | index + lineage + suspects | lineage --json (size) | text tree |");
    println!("|---|---|---|---|");
    for (name, doc) in
        [("chain, each key minting the next", key_chain(100_000)), ("one key minting all", wide_tree(100_000))]
    {
        let t = Instant::now();
        let m = tokentrail::model::Model::new(tokentrail::loader::load_docs(&[&doc]));
        let model = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let json = tokentrail::answer::lineage::json_text(&m.ix, &m.lin, &key_id("AKIA", 0));
        let json_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let text = tokentrail::answer::lineage::text(&m.ix, &m.lin, &key_id("AKIA", 0));
        let text_s = t.elapsed().as_secs_f64();
        println!(
            "| {name} | {model:.2} s ({} nodes, {} suspects) | {json_s:.2} s ({:.0} MB) | {text_s:.2} s ({:.0} MB) |",
            m.lin.nodes.len(),
            m.suspects.len(),
            json.len() as f64 / 1e6,
            text.len() as f64 / 1e6
        );
    }
}

/// DuckDB's load of the same files (README's query: `read_json_auto` + `unnest(Records)` into
/// a 4-column table, 2 threads), by its own clock: seconds, or None when Python has no
/// `duckdb` module.
fn duckdb_load(dir: &Path) -> Option<f64> {
    let script = r#"
import sys, time
try:
    import duckdb
except ImportError:
    sys.exit(3)
c = duckdb.connect()
c.execute("SET threads=2; SET preserve_insertion_order=false; SET enable_progress_bar=false;")
t = time.time()
c.execute(f"CREATE TABLE ev AS SELECT r.eventTime, r.eventName, r.eventID, r.userIdentity.accessKeyId FROM (SELECT unnest(Records) AS r FROM read_json_auto('{sys.argv[1]}/AWSLogs/**/*.json.gz', maximum_object_size=100000000))")
print(time.time() - t)
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(dir).output().ok()?;
    let seconds = String::from_utf8_lossy(&out.stdout).lines().last().and_then(|l| l.trim().parse().ok());
    if seconds.is_none() && out.status.code() != Some(DUCKDB_MISSING) {
        eprintln!("DuckDB failed on {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    seconds
}

/// `duckdb_load`'s script's exit code when Python has no `duckdb` module.
const DUCKDB_MISSING: i32 = 3;

/// One round: the libdeflate floor, the load in a child process, and (with `duck`) DuckDB's
/// load, one right after the other.
struct Round {
    floor: Option<f64>,
    load: serde_json::Value,
    duckdb: Option<f64>,
}

/// Rounds of (libdeflate floor, load in a child process, DuckDB when `duck`).
fn rounds_of(dir: &Path, files: &[PathBuf], rounds: usize, duck: bool) -> Vec<Round> {
    for f in files {
        let _ = std::fs::read(f); // warm the page cache
    }
    let halves = floor_halves(dir, files);
    let exe = std::env::current_exe().expect("exe");
    let runs = (0..rounds)
        .filter_map(|_| {
            let floor = halves.as_ref().map(libdeflate_floor);
            let out = Command::new(&exe).arg("--measure").arg(dir).output().ok()?;
            let load = serde_json::from_slice(&out.stdout).ok()?;
            Some(Round { floor, load, duckdb: if duck { duckdb_load(dir) } else { None } })
        })
        .collect();
    if let Some(h) = &halves {
        h.iter().for_each(|h| drop(std::fs::remove_file(h)));
    }
    runs
}

/// A 1M-event corpus of `shape` (over 8 days, issue 18's file count), generated if missing.
fn shaped_corpus(name: &str, shape: tokentrail::synth::Shape) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/1000000-{name}"));
    if !dir.exists() {
        eprintln!("generating the {name} corpus into {} …", dir.display());
        tokentrail::synth::write_corpus_shaped(&dir, 1_000_000, 8, 7, shape).expect("generate corpus");
    }
    dir
}

/// One row per corpus shape, and the memory a distinct source IP costs.
fn cardinality() {
    use tokentrail::synth::Shape;
    use tokentrail::synth::corpus_shape::Cardinality;
    let rounds: usize = arg("--rounds").and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    println!(
        "| shape (1M events, 8 days; {rounds} rounds, medians) | strings, agents | floor | load | × floor | DuckDB: load, × ours | events/s | MB/s | peak RSS | index | workbench: agents deflated, index, peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let duck = !std::env::args().any(|a| a == "--no-duckdb");
    // (distinct strings, distinct agents, distinct addresses, peak RSS)
    let row = |name: &str, shape: Shape, print: bool| -> Option<(f64, f64, f64, f64)> {
        let dir = shaped_corpus(name, shape);
        let files = files_of(&dir);
        let mut runs = rounds_of(&dir, &files, rounds, duck && print);
        let total_of = |r: &serde_json::Value| r["total_s"].as_f64().unwrap_or(0.0);
        runs.sort_by(|a, b| total_of(&a.load).total_cmp(&total_of(&b.load)));
        let r = &runs.get(runs.len() / 2)?.load;
        let n = r["events"].as_f64().unwrap_or(1.0).max(1.0);
        let total = total_of(r);
        let floors: Vec<f64> = runs.iter().filter_map(|r| r.floor).collect();
        let ratios: Vec<f64> = runs.iter().filter_map(|r| r.floor.map(|f| total_of(&r.load) / f)).collect();
        let ducks: Vec<f64> = runs.iter().filter_map(|r| r.duckdb).collect();
        let slower: Vec<f64> = runs.iter().filter_map(|r| r.duckdb.map(|d| d / total_of(&r.load))).collect();
        let peak = r["peak_kb"].as_f64().unwrap_or(0.0) * 1024.0;
        let strings = r["strings"].as_f64().unwrap_or(0.0);
        let agents = r["agents"].as_f64().unwrap_or(0.0);
        let wb = if print { workbench_of(&dir).unwrap_or_default() } else { serde_json::Value::Null };
        let addresses = r["addresses"].as_f64().unwrap_or(0.0);
        let show =
            |v: Vec<f64>, unit: &str| if v.is_empty() { "–".to_string() } else { format!("{:.2}{unit}", median(v)) };
        if !print {
            return Some((strings, agents, addresses, peak));
        }
        println!(
            "| {name} | {strings:.0}, {agents:.0} | {} | {total:.2} s | {} | {}, {} | {:.0} | {:.0} | {:.0} B/event | {:.0} B/event | {:.2} s, {:.0} B/event, {:.0} B/event |",
            show(floors, " s"),
            show(ratios, "×"),
            show(ducks, " s"),
            show(slower, "×"),
            n / total,
            r["decoded"].as_f64().unwrap_or(0.0) / 1e6 / total,
            peak / n,
            r["index_bytes"].as_f64().unwrap_or(0.0) / n,
            wb["compact_s"].as_f64().unwrap_or(0.0),
            wb["index_bytes_compact"].as_f64().unwrap_or(0.0) / n,
            wb["peak_kb"].as_f64().unwrap_or(0.0) * 1024.0 / n,
        );
        Some((strings, agents, addresses, peak))
    };
    row("low", Shape::LOW, true);
    row("realistic", Shape::REALISTIC, true);
    row("adversarial", Shape::ADVERSARIAL, true);
    if std::env::args().any(|a| a == "--no-sweeps") {
        return;
    }
    let pools = [
        ("1", Cardinality::Pool(1)),
        ("1k", Cardinality::Pool(1_000)),
        ("100k", Cardinality::Pool(100_000)),
        ("1M", Cardinality::Unique),
    ];
    // Distinct addresses (the rest as the realistic shape, agents as generated), then distinct
    // agents (addresses as generated): what one more distinct value costs.
    for (what, prefix) in [("source IPs", "ips"), ("user agents", "agents")] {
        println!();
        println!("| distinct {what} | strings | agents | addresses | peak RSS | per extra distinct value |");
        println!("|---|---|---|---|---|---|");
        let mut base: Option<(f64, f64)> = None;
        for (label, c) in pools {
            let shape = match prefix {
                "ips" => Shape { ips: c, ..Shape::REALISTIC }.with_agents(Cardinality::AsGenerated),
                _ => Shape { ips: Cardinality::AsGenerated, ..Shape::REALISTIC }.with_agents(c),
            };
            let Some((strings, agents, addresses, peak)) = row(&format!("{prefix}-{label}"), shape, false) else {
                continue;
            };
            let distinct = if prefix == "ips" { addresses } else { agents };
            let per = base.map_or("–".to_string(), |(d0, p0)| {
                // Too few more values, and the peak's noise (a few hundred kB) is all there is.
                if distinct - d0 >= 10_000.0 {
                    format!("{:.0} B", (peak - p0) / (distinct - d0))
                } else {
                    "within noise".into()
                }
            });
            base.get_or_insert((distinct, peak));
            println!("| {label} | {strings:.0} | {agents:.0} | {addresses:.0} | {:.0} MB | {per} |", peak / 1e6);
        }
    }
}

/// The wall time and peak RSS of `tokentrail ARGS`, the median of `rounds` runs.
fn timed(args: &[&str], rounds: usize) -> Option<(f64, f64, serde_json::Value)> {
    let mut runs: Vec<(f64, f64, serde_json::Value)> = (0..rounds)
        .filter_map(|_| {
            let t = Instant::now();
            let out = Command::new("/usr/bin/time")
                .args(["-f", "%M"])
                .arg(env!("CARGO_BIN_EXE_tokentrail"))
                .args(args)
                .output()
                .ok()?;
            let secs = t.elapsed().as_secs_f64();
            let kb: f64 = String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()?;
            Some((secs, kb * 1024.0, serde_json::from_slice(&out.stdout).ok()?))
        })
        .collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mid = runs.len() / 2;
    (!runs.is_empty()).then(|| runs.swap_remove(mid))
}

/// Per corpus shape: the load alone (`stats`), then the load and the rules (`detections`),
/// and, in this process over the same load, the rules' evaluation and the answer's writing
/// apart.
fn detections() {
    use tokentrail::synth::Shape;
    let rounds: usize = arg("--rounds").and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let rules = arg("--rules")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/sigma/cloudtrail"));
    if !rules.is_dir() {
        println!("no rules at {}: give --rules DIR", rules.display());
        return;
    }
    let rules = rules.to_string_lossy().into_owned();
    println!(
        "| shape (1M events; {rounds} rounds, medians) | rules | load alone | load + rules | beyond the load | rules evaluated | answer built and written | peak RSS | hits |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, shape) in [("low", Shape::LOW), ("realistic", Shape::REALISTIC), ("adversarial", Shape::ADVERSARIAL)] {
        let dir = shaped_corpus(name, shape);
        let dir = dir.to_string_lossy().into_owned();
        for f in files_of(Path::new(&dir)) {
            let _ = std::fs::read(f); // warm the page cache
        }
        let Some((load, _, _)) = timed(&["stats", &dir, "--json"], rounds) else { continue };
        // In this process: the rules alone (read and evaluated over the loaded model), and
        // the answer the command writes (built, then as JSON).
        let m = tokentrail::model::Model::new(tokentrail::loader::load_paths(&[PathBuf::from(&dir)], &mut |_| {}));
        for (label, extra) in [("built in", vec![]), ("built in + SigmaHQ", vec!["--rules", rules.as_str()])] {
            let dirs: Vec<PathBuf> = extra.get(1).map(PathBuf::from).into_iter().collect();
            let mut spans: Vec<(f64, f64)> = (0..rounds)
                .map(|_| {
                    let t = Instant::now();
                    let det = tokentrail::detect::Detections::run(&m, tokentrail::detect::RuleSet::load(&dirs));
                    let evaluated = t.elapsed().as_secs_f64();
                    let t = Instant::now();
                    let json = tokentrail::answer::detections::DetectionsAnswer::new(&m, &det).json();
                    std::hint::black_box(json.len());
                    (evaluated, t.elapsed().as_secs_f64())
                })
                .collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (evaluated, answered) = spans[spans.len() / 2];
            let mut args = vec!["detections", dir.as_str(), "--json"];
            args.extend(extra);
            let Some((both, peak, v)) = timed(&args, rounds) else { continue };
            let n = v["rules_loaded"].as_u64().unwrap_or(0);
            let hits = v["hits"].as_array().map_or(0, Vec::len);
            println!(
                "| {name} | {label} ({n}) | {load:.2} s | {both:.2} s | {:+.2} s | {evaluated:.2} s | {answered:.2} s | {:.0} MB | {hits} |",
                both - load,
                peak / 1e6
            );
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--detections") {
        return detections();
    }
    if let Some(dir) = arg("--measure") {
        return measure(Path::new(&dir), std::env::args().any(|a| a == "--workbench"));
    }
    if std::env::args().any(|a| a == "--cardinality") {
        return cardinality();
    }
    if std::env::args().any(|a| a == "--shapes") {
        return lineage_shapes();
    }
    let events: usize = arg("--events").and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(1_000_000);
    let dir = arg("--corpus")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus/{events}")));
    if !dir.exists() {
        eprintln!("generating {events} events into {} …", dir.display());
        let (f, b) = tokentrail::synth::write_corpus(&dir, events, 30, 7).expect("generate corpus");
        eprintln!("  {f} files, {:.1} MB compressed", b as f64 / 1e6);
    }
    let files = files_of(&dir);
    let compressed: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    // Warm the page cache, as the reference numbers are.
    for f in &files {
        let _ = std::fs::read(f);
    }
    let own = (0..3).map(|_| own_floor(&files)).fold(f64::MAX, f64::min);
    // Rounds of (floor, load), one right after the other: on a shared host the speed drifts
    // between minutes, so each load is compared with the floor measured just before it.
    let rounds: usize = arg("--rounds").and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let halves = floor_halves(&dir, &files);
    let exe = std::env::current_exe().expect("exe");
    let mut runs: Vec<(Option<f64>, serde_json::Value)> = (0..rounds)
        .filter_map(|_| {
            let floor = halves.as_ref().map(libdeflate_floor);
            let out = Command::new(&exe).arg("--measure").arg(&dir).output().ok()?;
            Some((floor, serde_json::from_slice(&out.stdout).ok()?))
        })
        .collect();
    if let Some(h) = &halves {
        h.iter().for_each(|h| drop(std::fs::remove_file(h)));
    }
    let total_of = |r: &serde_json::Value| r["total_s"].as_f64().unwrap_or(0.0);
    runs.sort_by(|a, b| total_of(&a.1).total_cmp(&total_of(&b.1)));
    let Some((_, r)) = runs.get(runs.len() / 2) else {
        eprintln!("measurement failed");
        std::process::exit(1);
    };
    let n = r["events"].as_f64().unwrap_or(1.0).max(1.0);
    let total = total_of(r);
    let best = runs.first().map_or(total, |(_, r)| total_of(r));
    let decoded = r["decoded"].as_f64().unwrap_or(0.0);
    let peak = r["peak_kb"].as_f64().unwrap_or(0.0) * 1024.0;
    println!(
        "corpus: {} files, {:.1} MB compressed, {:.1} MB uncompressed, {} events",
        files.len(),
        compressed as f64 / 1e6,
        decoded / 1e6,
        n
    );
    println!(
        "| measure ({} rounds of floor then load; medians, least busy in brackets) | value |\n|---|---|",
        runs.len()
    );
    let floors: Vec<f64> = runs.iter().filter_map(|(f, _)| *f).collect();
    if floors.is_empty() {
        println!("| libdeflate-gunzip floor | not measured (install Debian libdeflate-tools) |");
    } else {
        let least = floors.iter().copied().fold(f64::MAX, f64::min);
        println!("| libdeflate-gunzip floor (2 processes) | {:.2} s ({least:.2} s) |", median(floors.clone()));
    }
    println!("| tokentrail decompression only (2 cores, best of 3) | {own:.2} s |");
    println!(
        "| load + index + lineage + suspects | {total:.2} s ({best:.2} s); load alone {:.2} s |",
        r["load_s"].as_f64().unwrap_or(0.0)
    );
    println!("| events/s | {:.0} ({:.0}) |", n / total, n / best);
    println!("| uncompressed MB/s | {:.0} ({:.0}) |", decoded / 1e6 / total, decoded / 1e6 / best);
    let ratios: Vec<f64> = runs.iter().filter_map(|(f, r)| f.map(|f| total_of(r) / f)).collect();
    if !ratios.is_empty() {
        let (lo, hi) = ratios.iter().fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        println!("| × libdeflate floor of the same round | {:.2} (rounds: {lo:.2}–{hi:.2}) |", median(ratios));
    }
    println!("| peak RSS | {:.0} MB ({:.0} B/event) |", peak / 1e6, peak / n);
    println!("| index heap | {:.0} B/event |", r["index_bytes"].as_f64().unwrap_or(0.0) / n);
    let wb = workbench_of(&dir).unwrap_or_default();
    println!(
        "| workbench (one more load): agents seen once deflated | {:.2} s; index {:.0} B/event, peak RSS {:.0} B/event |",
        wb["compact_s"].as_f64().unwrap_or(0.0),
        wb["index_bytes_compact"].as_f64().unwrap_or(0.0) / n,
        wb["peak_kb"].as_f64().unwrap_or(0.0) * 1024.0 / n
    );
    println!(
        "| detail re-read (50 events) | avg {:.2} ms, max {:.2} ms |",
        r["detail_ms_avg"].as_f64().unwrap_or(0.0),
        r["detail_ms_max"].as_f64().unwrap_or(0.0)
    );
    let render = Command::new(env!("CARGO_BIN_EXE_tokentrail")).arg("bench-render").arg(&dir).output();
    match render {
        Ok(o) if o.status.success() => print!("{}", String::from_utf8_lossy(&o.stdout)),
        _ => println!("| render | not measured |"),
    }
    lineage_shapes();
}
