//! Where input comes from: files and directories on disk, or the embedded sample.

use super::gzip::{gunzip, is_gzip};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Embedded {
        name: &'static str,
        bytes: &'static [u8],
    },
    /// Bytes held in memory (tests, pasted input).
    Memory {
        name: String,
        bytes: std::sync::Arc<[u8]>,
    },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Embedded { name, .. } => format!("(bundled) {name}"),
            Source::Memory { name, .. } => name.clone(),
        }
    }

    pub fn size_hint(&self) -> u64 {
        match self {
            Source::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Embedded { bytes, .. } => bytes.len() as u64,
            Source::Memory { bytes, .. } => bytes.len() as u64,
        }
    }

    /// The raw bytes as stored (possibly compressed).
    pub fn read_raw(&self) -> Result<Cow<'static, [u8]>, String> {
        match self {
            Source::File(p) => std::fs::read(p).map(Cow::Owned).map_err(|e| format!("cannot read: {e}")),
            Source::Embedded { bytes, .. } => Ok(Cow::Borrowed(bytes)),
            Source::Memory { bytes, .. } => Ok(Cow::Owned(bytes.to_vec())),
        }
    }

    /// The decoded bytes: gzip is recognised by its magic number, not the file name.
    pub fn read_decoded(&self) -> Result<(u64, Vec<u8>), String> {
        let raw = self.read_raw()?;
        let n = raw.len() as u64;
        if is_gzip(&raw) { gunzip(&raw).map(|d| (n, d)) } else { Ok((n, raw.into_owned())) }
    }
}

/// Expands paths into files: directories recursively, in sorted order, hidden entries skipped.
/// Paths that do not exist come back as errors so the load can report them.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        walk(p, &mut files, &mut errors, true);
    }
    (files.into_iter().map(Source::File).collect(), errors)
}

fn walk(p: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(String, String)>, top: bool) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => return errors.push((p.display().to_string(), format!("cannot open: {e}"))),
    };
    if meta.is_file() {
        out.push(p.to_path_buf());
    } else if meta.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return errors.push((p.display().to_string(), format!("cannot list: {e}"))),
        };
        entries.sort();
        for e in entries {
            let hidden = e.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk(&e, out, errors, false);
            }
        }
    } else if top {
        errors.push((p.display().to_string(), "not a regular file or directory".into()));
    }
}
