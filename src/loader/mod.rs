//! Loading: files in parallel (rayon), each decoded and parsed on a worker, merged
//! into the index on the calling thread as they finish, with progress reported.

pub mod gzip;
mod normalise;
pub mod parse;
pub mod report;
pub mod source;
#[cfg(test)]
mod tests;
pub mod walk;

use crate::index::Index;
use crate::index::build::IndexBuilder;
use parse::parse_file;
use rayon::prelude::*;
use report::{FileStatus, Problem};
use source::Source;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

/// Progress of a load, reported after each file.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub bytes_decoded: u64,
    pub events: usize,
    pub elapsed_secs: f64,
    pub done: bool,
}

/// Loads files and directories (recursively).
pub fn load_paths(paths: &[PathBuf], progress: &mut dyn FnMut(&Progress)) -> Index {
    load_paths_progressively(paths, progress, &mut |_| {}, None)
}

/// As `load_paths`, with interim snapshots (see `load_progressively`).
pub fn load_paths_progressively(
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Index),
    every: Option<std::time::Duration>,
) -> Index {
    let (sources, errors) = source::expand(paths);
    let mut index = load_progressively(sources, progress, partial, every);
    for (path, reason) in errors {
        index.report.files_failed += 1;
        index.report.problems.insert(0, Problem { path, reason, records: 0 });
    }
    index
}

/// Loads in-memory documents, each as one file (for tests and pasted input).
pub fn load_docs(docs: &[&str]) -> Index {
    let sources = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Source::Memory { name: format!("doc{i}"), bytes: d.as_bytes().into() })
        .collect();
    load_sources(sources, &mut |_| {})
}

/// Loads the given sources; the result holds every problem met on the way.
pub fn load_sources(sources: Vec<Source>, progress: &mut dyn FnMut(&Progress)) -> Index {
    load_progressively(sources, progress, &mut |_| {}, None)
}

/// As `load_sources`, also handing `partial` an index of what is loaded so far: first after
/// `every`, then after twice as long each time (each snapshot costs a copy and a sort of
/// what is loaded, so they thin out as the load grows). Never for a load that ends sooner.
pub fn load_progressively(
    sources: Vec<Source>,
    progress: &mut dyn FnMut(&Progress),
    partial: &mut dyn FnMut(Index),
    every: Option<std::time::Duration>,
) -> Index {
    let mut last_partial = Instant::now();
    let mut gap = every;
    let started = Instant::now();
    let mut p = Progress {
        files_total: sources.len(),
        bytes_total: sources.iter().map(Source::size_hint).sum(),
        ..Progress::default()
    };
    progress(&p);
    let mut builder = IndexBuilder::default();
    let (tx, rx) = mpsc::sync_channel(64);
    std::thread::scope(|scope| {
        let sources = &sources;
        scope.spawn(move || {
            sources.par_iter().enumerate().for_each_with(tx, |tx, (i, src)| {
                let parsed = match src.read_decoded() {
                    Ok((n, bytes)) => (n, bytes.len() as u64, parse_file(&bytes)),
                    Err(why) => {
                        let b = parse::Batch { status: FileStatus::Failed(why), ..Default::default() };
                        (src.size_hint(), 0, b)
                    }
                };
                let _ = tx.send((i, parsed));
            });
        });
        for (i, (raw, decoded, batch)) in rx {
            builder.add(i as u32, &sources[i].name(), batch);
            p.files_done += 1;
            p.bytes_read += raw;
            p.bytes_decoded += decoded;
            p.events = builder.event_count();
            p.elapsed_secs = started.elapsed().as_secs_f64();
            progress(&p);
            if gap.is_some_and(|g| last_partial.elapsed() >= g) && p.files_done < p.files_total {
                partial(builder.snapshot(sources));
                last_partial = Instant::now();
                gap = gap.map(|g| g * 2);
            }
        }
    });
    builder.report.bytes_read = p.bytes_read;
    builder.report.bytes_decoded = p.bytes_decoded;
    // Problems in path order, whatever order the workers finished in.
    builder.report.problems.sort_by(|a, b| a.path.cmp(&b.path));
    builder.report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let index = builder.finish(sources);
    p.done = true;
    p.events = index.events.len();
    p.elapsed_secs = started.elapsed().as_secs_f64();
    progress(&p);
    index
}
