//! Where input comes from: files and directories on disk, or the embedded sample.

use super::gzip::{Gunzip, is_gzip};
use std::io::Read;
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

    /// The decoded bytes, read into `reader`'s buffers (a loader worker reuses one from file
    /// to file), and the size as stored. Gzip is recognised by its magic number, not the name.
    pub fn read_with<'r>(&'r self, reader: &'r mut Reader) -> Result<(u64, &'r [u8]), String> {
        let Reader { raw, decoded, gunzip } = reader;
        raw.clear();
        let stored: &[u8] = match self {
            Source::File(p) => {
                let f = std::fs::File::open(p).map_err(|e| format!("cannot read: {e}"))?;
                // Read through `Take`, into the buffer kept from earlier files: `File`'s own
                // `read_to_end` first asks the size (`statx` and `lseek`, two system calls a
                // file that the buffer's capacity makes needless).
                f.take(u64::MAX).read_to_end(raw).map_err(|e| format!("cannot read: {e}"))?;
                raw
            }
            Source::Embedded { bytes, .. } => bytes,
            Source::Memory { bytes, .. } => bytes,
        };
        if is_gzip(stored) {
            let decoded = gunzip.inflate(stored, decoded)?;
            Ok((stored.len() as u64, decoded))
        } else {
            Ok((stored.len() as u64, stored))
        }
    }
}

/// What a loader worker reuses from file to file: buffers and the inflater.
#[derive(Default)]
pub struct Reader {
    raw: Vec<u8>,
    decoded: Vec<u8>,
    gunzip: Gunzip,
}

/// Expands paths into files: directories recursively, in sorted order, hidden entries skipped.
/// Paths that do not exist come back as errors so the load can report them.
/// A directory reached twice (a symbolic link back to an ancestor, or the same directory
/// named twice) is listed once and the second path reported.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(String, String)>) {
    let mut w = Walk::default();
    for p in paths {
        w.walk(p, true);
    }
    (w.files.into_iter().map(Source::File).collect(), w.errors)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    errors: Vec<(String, String)>,
    /// Directories listed so far, by identity, with the path each was listed by.
    listed: std::collections::HashMap<DirId, PathBuf>,
}

/// What makes a directory itself, whatever path reaches it: device and inode on Unix (one
/// `stat`; a canonical path costs a `readlink` per component), the canonical path elsewhere.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

fn dir_id(dir: &Path) -> Option<DirId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(dir).ok()
    }
}

impl Walk {
    fn walk(&mut self, p: &Path, top: bool) {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => return self.errors.push((p.display().to_string(), format!("cannot open: {e}"))),
        };
        if meta.is_file() {
            self.files.push(p.to_path_buf());
        } else if meta.is_dir() {
            self.list(p);
        } else if top {
            self.errors.push((p.display().to_string(), "not a regular file or directory".into()));
        }
    }

    /// A directory's entries, in name order, hidden ones skipped. The entry's own type (from the
    /// directory listing) saves a `stat` per file; only symbolic links are followed with one.
    fn list(&mut self, dir: &Path) {
        if let Some(id) = dir_id(dir) {
            if let Some(first) = self.listed.get(&id) {
                let why = format!("the directory is already listed as {}: not read twice", first.display());
                return self.errors.push((dir.display().to_string(), why));
            }
            self.listed.insert(id, dir.to_path_buf());
        }
        // Each name is fetched once: sorting by `DirEntry::file_name` would copy two names per
        // comparison (a tenth of a directory's walk, for the thousands of files of a day).
        let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| (e.file_name(), e)).collect(),
            Err(e) => return self.errors.push((dir.display().to_string(), format!("cannot list: {e}"))),
        };
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, e) in entries {
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_file() => self.files.push(e.path()),
                Ok(t) if t.is_dir() => self.list(&e.path()),
                _ => self.walk(&e.path(), false),
            }
        }
    }
}
