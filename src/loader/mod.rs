//! Loading: files in parallel, each decoded and parsed on a worker thread (one per core),
//! merged into the index on the calling thread as they finish, with progress reported.
//! Files are taken in CloudTrail's own order (by the time in their names), so that the
//! index can put events in time order as they arrive (see `index::order`).

pub mod extract;
pub mod gzip;
mod limits;
pub mod local;
mod magic;
mod merge;
mod normalise;
pub mod record;
pub mod report;
pub mod sample;
pub mod scan;
pub mod source;
mod split;
#[cfg(test)]
mod tests;
pub mod tolerant;

use crate::index::Index;
use crate::index::event::Event;
use extract::{Batch, extract};
use local::{Grown, Local};
use merge::IndexBuilder;
use report::{FileStatus, Problem};
use source::{Reader, Source};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// What a load made: the index, and what only loading knows — the sources read (to find an
/// event's original text again) and the report of every file and record.
pub struct Loaded {
    pub ix: Index,
    pub sources: Vec<Source>,
    pub report: report::LoadReport,
}

/// A load reads as its index (`loaded.events`, `Lineage::build(&loaded)`); the sources and
/// the report are the load's own.
impl std::ops::Deref for Loaded {
    type Target = Index;
    fn deref(&self) -> &Index {
        &self.ix
    }
}

impl Loaded {
    /// The original text of an event, re-read from its source.
    pub fn raw_text(&self, e: &Event) -> Result<String, String> {
        raw_text(&self.sources, e)
    }
}

/// The original text of an event, re-read from the source it was loaded from.
pub fn raw_text(sources: &[Source], e: &Event) -> Result<String, String> {
    let src = sources.get(e.raw.file as usize).ok_or("unknown source")?;
    let mut reader = Reader::default();
    let (_, bytes) = src.read_with(&mut reader)?;
    tolerant::nth_record(bytes, e.raw.ordinal()).ok_or_else(|| "source changed since it was loaded".into())
}

/// The texts of every record of source `file`, in ordinal order, or why it cannot be read.
pub fn records_of(sources: &[Source], file: usize) -> Result<Vec<String>, String> {
    with_records(sources, file, &mut Reader::default(), |records| records.iter().map(|r| r.to_string()).collect())
}

/// `f` given the texts of every record of source `file`, in ordinal order (borrowed from
/// `reader`'s buffer where they can be), or why the file cannot be read.
pub fn with_records<R>(
    sources: &[Source],
    file: usize,
    reader: &mut Reader,
    f: impl FnOnce(&[std::borrow::Cow<'_, str>]) -> R,
) -> Result<R, String> {
    let (_, bytes) = sources.get(file).ok_or("unknown source")?.read_with(reader)?;
    Ok(f(&split::records(bytes)))
}

/// The original texts of many events, each source read once (in the order of `events`).
pub fn raw_texts(sources: &[Source], events: &[&Event]) -> Vec<Result<String, String>> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].raw.file, events[i].raw.ordinal()));
    let mut out: Vec<Result<String, String>> = vec![Err(String::new()); events.len()];
    let mut file: Option<(u32, Result<Vec<String>, String>)> = None;
    for i in order {
        let e = events[i];
        if file.as_ref().is_none_or(|(f, _)| *f != e.raw.file) {
            file = Some((e.raw.file, records_of(sources, e.raw.file as usize)));
        }
        out[i] = match file.as_ref().map(|(_, r)| r) {
            Some(Ok(records)) => records
                .get(e.raw.ordinal() as usize)
                .cloned()
                .ok_or_else(|| "source changed since it was loaded".into()),
            Some(Err(why)) => Err(why.clone()),
            None => Err("unknown source".into()),
        };
    }
    out
}

/// One file as a worker hands it to the merge.
struct Parsed {
    worker: usize,
    file: usize,
    raw: u64,
    decoded: u64,
    /// What the worker's tables gained with this file.
    grown: Grown,
    batch: Batch,
}

/// A worker hands over its files in bundles: one wake-up of the merging thread per file
/// costs more than merging a small file does.
const BUNDLE_EVENTS: usize = 4096;
const BUNDLE_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

/// A worker: takes the next file until none are left, parses it with its own tables (kept for
/// the whole load: see `local`), and sends it on with what the tables gained.
fn parse_worker(worker: usize, sources: &[Source], next: &AtomicUsize, tx: &mpsc::SyncSender<Vec<Parsed>>) {
    let mut local = Local::default();
    let mut reader = Reader::default();
    let mut bundle = Vec::new();
    let (mut events, mut since) = (0, Instant::now());
    loop {
        let file = next.fetch_add(1, Ordering::Relaxed);
        let Some(src) = sources.get(file) else { break };
        let (raw, decoded, mut batch) = match src.read_with(&mut reader) {
            Ok((n, bytes)) => (n, bytes.len() as u64, extract(bytes, &mut local)),
            Err(why) => (src.size_hint(), 0, Batch { status: FileStatus::Failed(why), ..Batch::default() }),
        };
        // In time order (records are not, within a file): the index merges files as they
        // arrive (see `index::order`). Any order is correct there; this one is only fast.
        batch.events.sort_unstable_by_key(|e| (e.time, e.id, e.ordinal));
        events += batch.events.len();
        bundle.push(Parsed { worker, file, raw, decoded, grown: local.take_grown(), batch });
        local.trim();
        if events >= BUNDLE_EVENTS || since.elapsed() >= BUNDLE_WAIT {
            if tx.send(std::mem::take(&mut bundle)).is_err() {
                return;
            }
            (events, since) = (0, Instant::now());
        }
    }
    if !bundle.is_empty() {
        let _ = tx.send(bundle);
    }
}

/// Progress of a load, reported after each file.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_read: u64,
    pub bytes_decoded: u64,
    pub events: usize,
    pub elapsed_secs: f64,
    pub done: bool,
}

/// Which loaded events count: those in [since, until); the others are read and counted
/// (`LoadReport::outside_window`), not indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub since: Option<crate::time::Millis>,
    pub until: Option<crate::time::Millis>,
}

impl Window {
    pub fn contains(&self, t: crate::time::Millis) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }

    pub fn is_all(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }
}

/// Loads files and directories (recursively).
pub fn load_paths(paths: &[PathBuf], progress: &mut dyn FnMut(&Progress)) -> Loaded {
    load_paths_progressively(paths, progress, &mut |_| {}, None)
}

/// As `load_paths`, indexing only the events in `window`.
pub fn load_paths_within(paths: &[PathBuf], window: Window) -> Loaded {
    load_paths_with(paths, &mut |_| {}, &mut |_| {}, None, window)
}

/// As `load_sources`, indexing only the events in `window`.
pub fn load_sources_within(sources: Vec<Source>, window: Window) -> Loaded {
    load_with(sources, &mut |_| {}, &mut |_| {}, None, window)
}

/// As `load_paths`, with interim snapshots (see `load_progressively`).
pub fn load_paths_progressively(
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Loaded),
    every: Option<std::time::Duration>,
) -> Loaded {
    load_paths_with(paths, progress, partial, every, Window::default())
}

fn load_paths_with(
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Loaded),
    every: Option<std::time::Duration>,
    window: Window,
) -> Loaded {
    let source::Expanded { mut files, failed, skipped, links_outside } = source::expand_all(paths);
    // CloudTrail's own order: by the time in each file's name, accounts and regions
    // interleaved, so that the index can place events as they arrive (see `index::order`).
    // Files without such a name come first, in path order.
    files.sort_by_cached_key(|s| match s {
        // The path's bytes: no path parsing or UTF-8 check for each of thousands of files.
        Source::File(p) => crate::index::order::name_stamp(p.as_os_str().as_encoded_bytes()),
        _ => None,
    });
    let mut loaded = load_with(files, progress, partial, every, window);
    for (path, reason) in failed {
        loaded.report.files_failed += 1;
        loaded.report.problems.insert(0, Problem { path, reason, records: 0 });
    }
    for (path, reason) in skipped {
        loaded.report.files_skipped += 1;
        loaded.report.skipped.push(Problem { path, reason, records: 0 });
    }
    loaded.report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    loaded.report.links_outside = links_outside;
    loaded
}

/// Loads in-memory documents, each as one file (for tests and pasted input).
pub fn load_docs(docs: &[&str]) -> Loaded {
    let sources = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Source::Memory { name: format!("doc{i}"), bytes: d.as_bytes().into() })
        .collect();
    load_sources(sources, &mut |_| {})
}

/// Loads the given sources; the result holds every problem met on the way.
pub fn load_sources(sources: Vec<Source>, progress: &mut dyn FnMut(&Progress)) -> Loaded {
    load_progressively(sources, progress, &mut |_| {}, None)
}

/// As `load_sources`, also handing `partial` an index of what is loaded so far: first after
/// `every`, then after twice as long each time (each snapshot costs a copy and a sort of
/// what is loaded, so they thin out as the load grows). Never for a load that ends sooner.
pub fn load_progressively(
    sources: Vec<Source>,
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Loaded),
    every: Option<std::time::Duration>,
) -> Loaded {
    load_with(sources, progress, partial, every, Window::default())
}

fn load_with(
    sources: Vec<Source>,
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Loaded),
    every: Option<std::time::Duration>,
    window: Window,
) -> Loaded {
    let mut last_partial = Instant::now();
    let mut gap = every;
    let started = Instant::now();
    let mut p = Progress { files_total: sources.len(), ..Progress::default() };
    progress(&p);
    let mut builder = IndexBuilder::within(window);
    let (tx, rx) = mpsc::sync_channel::<Vec<Parsed>>(8);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(sources.len()).max(1);
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (tx, next, sources) = (tx.clone(), &next, &sources);
            scope.spawn(move || parse_worker(worker, sources, next, &tx));
        }
        drop(tx);
        // Files are merged in the order they were listed (a file that comes early waits for
        // those before it): by the time in their names, so the index can place their events
        // as they come, and a snapshot covers every account and region up to a time.
        let mut waiting = std::collections::BTreeMap::new();
        let mut next_file = 0;
        for parsed in rx.into_iter().flatten() {
            waiting.insert(parsed.file, parsed);
            while let Some(Parsed { worker, file, raw, decoded, grown, batch }) = waiting.remove(&next_file) {
                next_file += 1;
                builder.add(file as u32, &sources[file].name(), worker, grown, batch);
                builder.report.file_sizes.resize(sources.len(), 0);
                builder.report.file_sizes[file] = raw;
                p.files_done += 1;
                p.bytes_read += raw;
                p.bytes_decoded += decoded;
                p.events = builder.event_count();
                p.elapsed_secs = started.elapsed().as_secs_f64();
                progress(&p);
                // Not when most files are in: the final index is then close, and a snapshot
                // (a copy and a finish of everything so far) would only delay it.
                let worth_it = p.files_done * 4 < p.files_total * 3;
                if gap.is_some_and(|g| last_partial.elapsed() >= g) && worth_it {
                    partial(builder.snapshot(&sources));
                    last_partial = Instant::now();
                    gap = gap.map(|g| g * 2);
                }
            }
        }
    });
    builder.report.bytes_read = p.bytes_read;
    builder.report.bytes_decoded = p.bytes_decoded;
    // Problems in path order, whatever order the workers finished in.
    builder.report.problems.sort_by(|a, b| a.path.cmp(&b.path));
    builder.report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let loaded = builder.finish(sources);
    p.done = true;
    p.events = loaded.ix.events.len();
    p.elapsed_secs = started.elapsed().as_secs_f64();
    progress(&p);
    loaded
}
