//! Where input comes from: files and directories on disk, or the embedded sample.
//!
//! Only regular files are read. FIFOs, sockets and devices met in a directory (or named)
//! are counted as skipped with what they are; anything under `/proc`, `/sys` or `/dev`
//! (reached through a symbolic link, say) is skipped too: such files claim a size of 0 and
//! then never end (`/proc/self/pagemap`) or block forever (`/proc/kmsg`). Symbolic links
//! are followed, also out of the tree that was named; those are counted
//! (`Expanded::links_outside`). A file larger than `MAX_FILE_BYTES` is refused before it is
//! read, and gzip is inflated only up to `gzip::inflate_limit`.

use super::gzip::{Gunzip, is_gzip};
pub use super::limits::MAX_FILE_BYTES;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A path as text for reports, with bytes that are not UTF-8 shown escaped (`\xff`), so
/// that two different names never look the same.
pub fn path_text(p: &Path) -> String {
    let bytes = p.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

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
            Source::File(p) => path_text(p),
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
                // One `fstat`: what was opened is still a regular file (not swapped for a FIFO
                // since the walk), and its size is checked before a byte is read.
                let meta = f.metadata().map_err(|e| format!("cannot read: {e}"))?;
                if !meta.is_file() {
                    return Err(format!("not a regular file ({})", file_kind(&meta.file_type())));
                }
                if meta.len() > MAX_FILE_BYTES {
                    return Err(format!("file of {} bytes: larger than the 4 GiB limit, not read", meta.len()));
                }
                // Read through `Take`, into the buffer kept from earlier files (`File`'s own
                // `read_to_end` would ask the size again), never past the limit even if the
                // file grows while it is read.
                f.take(MAX_FILE_BYTES + 1).read_to_end(raw).map_err(|e| format!("cannot read: {e}"))?;
                if raw.len() as u64 > MAX_FILE_BYTES {
                    return Err("file grew past the 4 GiB limit while it was read".into());
                }
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

/// What the walk found: files to read, paths that failed, paths skipped with the reason,
/// and how many symbolic links led out of the tree they were found in.
#[derive(Debug, Default)]
pub struct Expanded {
    pub files: Vec<Source>,
    pub failed: Vec<(String, String)>,
    pub skipped: Vec<(String, String)>,
    pub links_outside: usize,
}

/// Expands paths into files: directories recursively, in sorted order, hidden entries skipped.
/// Paths that do not exist come back as errors so the load can report them.
/// A directory reached twice (a symbolic link back to an ancestor, or the same directory
/// named twice) is listed once and the second path reported.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(String, String)>) {
    let e = expand_all(paths);
    (e.files, e.failed)
}

/// As `expand`, with what was skipped and the links that left the tree.
pub fn expand_all(paths: &[PathBuf]) -> Expanded {
    let mut w = Walk::default();
    for p in paths {
        w.tree = std::fs::canonicalize(p).ok();
        w.walk(p, true);
    }
    Expanded {
        files: w.files.into_iter().map(Source::File).collect(),
        failed: w.errors,
        skipped: w.skipped,
        links_outside: w.links_outside,
    }
}

/// What a file type is, in words.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_socket() {
            return "a socket";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_char_device() {
            return "a character device";
        }
    }
    if t.is_symlink() { "a symbolic link" } else { "neither a file nor a directory" }
}

/// True for paths of the kernel's pseudo file systems, which are not logs and may never end.
fn is_kernel_path(p: &Path) -> bool {
    ["/proc", "/sys", "/dev"].iter().any(|k| p.starts_with(k))
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    errors: Vec<(String, String)>,
    skipped: Vec<(String, String)>,
    links_outside: usize,
    /// The named path being walked, canonical: links that lead out of it are counted.
    tree: Option<PathBuf>,
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
    /// A path named on the command line (`top`) or reached through a symbolic link: its
    /// type comes from following it.
    fn walk(&mut self, p: &Path, top: bool) {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => return self.errors.push((path_text(p), format!("cannot open: {e}"))),
        };
        let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if is_kernel_path(&real) {
            let why = format!("{} is a kernel file (/proc, /sys, /dev), not a log: not read", path_text(&real));
            return self.skipped.push((path_text(p), why));
        }
        if !top && self.tree.as_ref().is_some_and(|t| !real.starts_with(t)) {
            self.links_outside += 1;
        }
        if meta.is_file() {
            self.files.push(p.to_path_buf());
        } else if meta.is_dir() {
            self.list(p);
        } else {
            self.skipped.push((path_text(p), format!("{}: not read", file_kind(&meta.file_type()))));
        }
    }

    /// A directory's entries, in name order, hidden ones skipped. The entry's own type (from the
    /// directory listing) saves a `stat` per file; only symbolic links are followed with one.
    fn list(&mut self, dir: &Path) {
        if let Some(id) = dir_id(dir) {
            if let Some(first) = self.listed.get(&id) {
                let why = format!("the directory is already listed as {}: not read twice", path_text(first));
                return self.errors.push((path_text(dir), why));
            }
            self.listed.insert(id, dir.to_path_buf());
        }
        // Each name is fetched once: sorting by `DirEntry::file_name` would copy two names per
        // comparison (a tenth of a directory's walk, for the thousands of files of a day).
        let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| (e.file_name(), e)).collect(),
            Err(e) => return self.errors.push((path_text(dir), format!("cannot list: {e}"))),
        };
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, e) in entries {
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            match e.file_type() {
                Ok(t) if t.is_file() => self.files.push(e.path()),
                Ok(t) if t.is_dir() => self.list(&e.path()),
                Ok(t) if !t.is_symlink() => {
                    self.skipped.push((path_text(&e.path()), format!("{}: not read", file_kind(&t))))
                }
                _ => self.walk(&e.path(), false),
            }
        }
    }
}

/// A fingerprint of a set of sources, for a case file to know the logs it was made over:
/// how many, their total size, and a hash of every file's name (without its folder, so that
/// logs moved elsewhere are the same logs) with its size as read. Order-free; a file added,
/// removed or grown changes it. `sizes` are the sizes the load read, by source.
pub fn fingerprint(sources: &[Source], sizes: &[u64]) -> String {
    let mut lines: Vec<(String, u64)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let name = s.name();
            let base = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
            (base, sizes.get(i).copied().unwrap_or(0))
        })
        .collect();
    lines.sort();
    // FNV-1a, 64 bits: stable across builds and platforms (std's hasher is not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, size) in &lines {
        for b in name.bytes().chain([b'\t']).chain(size.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let bytes: u64 = lines.iter().map(|l| l.1).sum();
    format!("{} files, {bytes} bytes, fnv1a64 {h:016x}", lines.len())
}
