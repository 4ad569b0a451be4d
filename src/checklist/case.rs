//! The case file: the analyst's notes and manual statuses, one JSON document, saved
//! atomically on every change (write a temporary file, fsync, rename, fsync the folder),
//! so that a `kill -9` at any moment loses nothing already confirmed.
//!
//! A case file is never lost to tokentrail: one it cannot read (damaged, truncated, of a
//! newer version) is never written over (`CaseFile::blocked`); step entries it does not
//! understand are kept as they are; a symbolic link is followed (the target is updated);
//! two workbenches on one file take a lock around each save and merge what the other saved
//! meanwhile instead of erasing it.

use super::Manual;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// 2: the case is bound to the loaded sources (`sources`). Version 1 files are read.
pub const SCHEMA_VERSION: u64 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepNotes {
    pub manual: Manual,
    pub note: String,
}

/// An event the analyst marked as evidence, by its id and time (stable across loads), with
/// an optional one-line comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub event_time: String,
    pub event_id: String,
    pub comment: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    /// The root key the case is anchored on, once chosen: a case belongs to one root.
    pub root: Option<String>,
    /// The fingerprint of the logs the case was first saved over (`Model::fingerprint`).
    pub sources: Option<String>,
    pub steps: BTreeMap<u8, StepNotes>,
    /// Marked events, by (time, id).
    pub marks: BTreeMap<(String, String), Mark>,
    /// Step entries this version cannot read (not an object, not a step number): written
    /// back exactly as they were.
    pub unread: BTreeMap<String, Value>,
}

impl Case {
    pub fn step(&self, n: u8) -> StepNotes {
        self.steps.get(&n).cloned().unwrap_or_default()
    }

    pub fn to_json(&self) -> Value {
        let mut steps: serde_json::Map<String, Value> = self
            .steps
            .iter()
            .map(|(n, s)| (n.to_string(), json!({"manual_status": s.manual.as_str(), "note": s.note})))
            .collect();
        for (k, v) in &self.unread {
            steps.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let marks: Vec<Value> = self
            .marks
            .values()
            .map(|m| json!({"event_time": m.event_time, "event_id": m.event_id, "comment": m.comment}))
            .collect();
        json!({"version": SCHEMA_VERSION, "root": self.root, "sources": self.sources, "steps": steps, "marks": marks})
    }

    pub fn from_json(v: &Value) -> Result<Case, String> {
        let version = v.get("version").and_then(Value::as_u64).ok_or("case file has no version")?;
        if version > SCHEMA_VERSION {
            return Err(format!(
                "case file version {version} is newer than this tokentrail understands ({SCHEMA_VERSION})"
            ));
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        let mut case = Case { root: text("root"), sources: text("sources"), ..Case::default() };
        match v.get("steps") {
            None | Some(Value::Null) => {}
            Some(Value::Object(steps)) => {
                for (k, s) in steps {
                    match (k.parse::<u8>(), s.as_object()) {
                        (Ok(n), Some(_)) => {
                            let manual =
                                s.get("manual_status").and_then(Value::as_str).map_or(Manual::Unset, Manual::parse);
                            let note = s.get("note").and_then(Value::as_str).unwrap_or("").to_string();
                            case.steps.insert(n, StepNotes { manual, note });
                        }
                        _ => {
                            case.unread.insert(k.clone(), s.clone());
                        }
                    }
                }
            }
            Some(_) => return Err("case file's \"steps\" is not an object".into()),
        }
        match v.get("marks") {
            None | Some(Value::Null) => {}
            Some(Value::Array(marks)) => {
                for m in marks {
                    let field = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    let mark = Mark {
                        event_time: field("event_time"),
                        event_id: field("event_id"),
                        comment: field("comment"),
                    };
                    if mark.event_id.is_empty() {
                        return Err("case file holds a mark without an event id".into());
                    }
                    case.marks.insert((mark.event_time.clone(), mark.event_id.clone()), mark);
                }
            }
            Some(_) => return Err("case file's \"marks\" is not a list".into()),
        }
        Ok(case)
    }

    /// Each mark with the position of its event in `ix` (None: not in these logs).
    pub fn resolve_marks(&self, ix: &crate::index::Index) -> Vec<(Option<usize>, &Mark)> {
        self.marks
            .values()
            .map(|m| (crate::time::parse_time(&m.event_time).and_then(|t| ix.find_event(t, &m.event_id)), m))
            .collect()
    }

    /// The mark on an event, if it is marked.
    pub fn mark(&self, event_time: &str, event_id: &str) -> Option<&Mark> {
        self.marks.get(&(event_time.to_string(), event_id.to_string()))
    }

    /// Binds a case not yet bound to a root and to the logs; a bound case keeps its binding.
    pub fn bind(&mut self, root: &str, sources: Option<&str>) {
        self.root.get_or_insert_with(|| root.to_string());
        if let Some(s) = sources {
            self.sources.get_or_insert_with(|| s.to_string());
        }
    }

    /// Why this case cannot take `root`: it belongs to another one.
    pub fn root_conflict(&self, root: &str) -> Option<String> {
        self.root.as_deref().filter(|r| *r != root).map(|r| format!("the case belongs to root {r}, not {root}"))
    }

    /// Why the loaded logs may not be the case's: they differ from those it was saved over.
    pub fn sources_mismatch(&self, sources: &str) -> Option<String> {
        self.sources
            .as_deref()
            .filter(|s| *s != sources)
            .map(|s| format!("the case was saved over other logs ({s}; these are {sources})"))
    }

    /// What this version could not read, for the analyst (empty when all was read).
    pub fn unread_summary(&self) -> Option<String> {
        (!self.unread.is_empty()).then(|| {
            let keys: Vec<String> = self.unread.keys().map(|k| crate::text::quoted(k)).collect();
            format!("case file: step entries {} not understood, kept as they are", keys.join(", "))
        })
    }

    /// Reads a case file; a missing file is an empty case.
    pub fn load(path: &Path) -> Result<Case, String> {
        match std::fs::read(path) {
            Ok(b) => {
                let v: Value =
                    serde_json::from_slice(&b).map_err(|e| format!("case file {} is damaged: {e}", path.display()))?;
                Case::from_json(&v).map_err(|e| format!("{e} ({})", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Case::default()),
            Err(e) => Err(format!("cannot read case file {}: {e}", path.display())),
        }
    }

    /// Atomic, durable save. A symbolic link is followed: its target is replaced, the link
    /// stays. A failed save leaves no temporary file behind.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        self.write_at(&write_target(path))
    }

    /// The atomic write itself, at `target` (a link already followed).
    fn write_at(&self, target: &Path) -> std::io::Result<()> {
        let (dir, name) = dir_and_name(target);
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            let mut text = serde_json::to_vec_pretty(&self.to_json())?;
            text.push(b'\n');
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Three-way merge: what this side changed since `base` wins, the rest is `theirs`.
    fn merged(&self, base: &Case, theirs: &Case) -> Case {
        let mut out = theirs.clone();
        if self.root != base.root {
            out.root = self.root.clone();
        }
        if self.sources != base.sources {
            out.sources = self.sources.clone();
        }
        let numbers: std::collections::BTreeSet<u8> = self.steps.keys().chain(base.steps.keys()).copied().collect();
        for n in numbers {
            let (mine, was) = (self.step(n), base.step(n));
            if mine != was {
                out.steps.insert(n, mine);
            }
        }
        for (k, v) in &self.unread {
            out.unread.entry(k.clone()).or_insert_with(|| v.clone());
        }
        // Marks: what this side added, changed or removed since the base wins.
        let keys: std::collections::BTreeSet<_> = self.marks.keys().chain(base.marks.keys()).cloned().collect();
        for k in keys {
            match (self.marks.get(&k), base.marks.get(&k)) {
                (mine, was) if mine == was => {}
                (Some(m), _) => {
                    out.marks.insert(k, m.clone());
                }
                (None, _) => {
                    out.marks.remove(&k);
                }
            }
        }
        out
    }
}

/// The folder a file is in (`.` for a bare name) and its name, for the files kept beside it.
fn dir_and_name(path: &Path) -> (PathBuf, String) {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "case".into());
    (dir.to_path_buf(), name)
}

/// Where a save writes: a symbolic link's target (followed to its end), else the path.
fn write_target(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    // A dangling link: its target is where the file is to be created.
    std::fs::canonicalize(path).unwrap_or_else(|_| match std::fs::read_link(path) {
        Ok(t) if t.is_absolute() => t,
        Ok(t) => path.parent().unwrap_or(Path::new(".")).join(t),
        Err(_) => path.to_path_buf(),
    })
}

/// The case file a workbench edits: its path, what it held when last read or written (the
/// base of a merge), and why it must not be written, if it must not.
#[derive(Debug)]
pub struct CaseFile {
    pub path: PathBuf,
    base: Case,
    /// Set when the file on disk could not be read: it is kept as it is and never written.
    pub blocked: Option<String>,
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// Written as it was.
    Written,
    /// Another workbench had saved meanwhile: its changes were merged in, then written.
    Merged,
}

impl CaseFile {
    /// Opens a case file: the working copy, and the file's state. A file that cannot be read
    /// gives an empty working copy and a `blocked` file.
    pub fn open(path: &Path) -> (CaseFile, Case) {
        match Case::load(path) {
            Ok(c) => (CaseFile { path: path.to_path_buf(), base: c.clone(), blocked: None }, c),
            Err(e) => (CaseFile { path: path.to_path_buf(), base: Case::default(), blocked: Some(e) }, Case::default()),
        }
    }

    /// Saves `ours`, merged with whatever another workbench saved since this one last read
    /// or wrote the file, under a lock held by both; `ours` becomes what was written.
    pub fn save(&mut self, ours: &mut Case) -> Result<Saved, String> {
        if let Some(why) = &self.blocked {
            return Err(format!("{why}: the file is kept as it is; start with --case NEW.json to keep notes"));
        }
        let target = write_target(&self.path);
        let (dir, name) = dir_and_name(&target);
        let _ = std::fs::create_dir_all(&dir);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!(".{name}.lock")))
            .map_err(|e| format!("cannot lock {}: {e}", self.path.display()))?;
        lock.lock().map_err(|e| format!("cannot lock {}: {e}", self.path.display()))?;
        let theirs = Case::load(&self.path).map_err(|e| format!("{e}: not written over"))?;
        let outcome = if theirs == self.base {
            Saved::Written
        } else {
            *ours = ours.merged(&self.base, &theirs);
            Saved::Merged
        };
        ours.write_at(&target).map_err(|e| e.to_string())?;
        self.base = ours.clone();
        Ok(outcome)
    }
}

/// The default case file: beside the logs (in the first directory given, or beside the
/// first file), or in the user's data directory for the bundled sample.
pub fn default_path(paths: &[PathBuf]) -> PathBuf {
    match paths.first() {
        Some(p) if p.is_dir() => p.join("tokentrail-case.json"),
        Some(p) => p.with_file_name("tokentrail-case.json"),
        None => {
            let base = std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
                .unwrap_or_else(|| PathBuf::from("."));
            base.join("tokentrail").join("sample-case.json")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_reload_round_trip() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("case.json");
        let mut c = Case { root: Some("AKIAX".into()), ..Case::default() };
        c.steps.insert(3, StepNotes { manual: Manual::Done, note: "revoked at 12:00 — \"ticket\" #42\nline 2".into() });
        c.save(&p).expect("save");
        assert_eq!(Case::load(&p).expect("load"), c);
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").filter_map(|e| e.ok()).collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn marks_round_trip_and_merge_like_notes() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("case.json");
        let mark = |id: &str, c: &str| Mark {
            event_time: "2024-11-30T09:12:40Z".into(),
            event_id: id.into(),
            comment: c.into(),
        };
        let mut c = Case::default();
        for k in [mark("a", "first"), mark("b", "")] {
            c.marks.insert((k.event_time.clone(), k.event_id.clone()), k);
        }
        c.save(&p).expect("save");
        assert_eq!(Case::load(&p).expect("load"), c);
        // Two workbenches: one removes "a", the other adds "c"; both changes are kept.
        let (mut one, mut other) = (CaseFile::open(&p), CaseFile::open(&p));
        one.1.marks.retain(|k, _| k.1 != "a");
        one.0.save(&mut one.1).expect("save one");
        let c3 = mark("c", "third");
        other.1.marks.insert((c3.event_time.clone(), c3.event_id.clone()), c3);
        other.0.save(&mut other.1).expect("save other");
        let ids: Vec<String> = Case::load(&p).expect("load").marks.values().map(|k| k.event_id.clone()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn a_missing_file_is_an_empty_case_and_a_damaged_one_is_an_error() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(Case::load(&dir.path().join("none.json")).expect("empty"), Case::default());
        std::fs::write(dir.path().join("bad.json"), "{\"version\": 1, \"steps\": ").expect("write");
        assert!(Case::load(&dir.path().join("bad.json")).is_err());
        std::fs::write(dir.path().join("new.json"), "{\"version\": 99}").expect("write");
        assert!(Case::load(&dir.path().join("new.json")).expect_err("newer").contains("newer"));
    }

    fn note(text: &str) -> StepNotes {
        StepNotes { manual: Manual::Unset, note: text.into() }
    }

    #[test]
    fn a_damaged_case_file_is_never_written_over() {
        let dir = tempfile::tempdir().expect("tmp");
        for (name, bytes) in [
            ("truncated.json", &b"{\"version\": 1, \"steps\": {\"3\": {\"note\": \"kept"[..]),
            ("garbage.json", &b"\x00\x01garbage"[..]),
            ("newer.json", &b"{\"version\": 7, \"steps\": {}}"[..]),
            ("steps-not-object.json", &b"{\"version\": 1, \"steps\": [1, 2]}"[..]),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write");
            let (mut file, mut case) = CaseFile::open(&p);
            assert!(file.blocked.is_some(), "{name} is reported");
            case.steps.insert(1, note("new"));
            assert!(file.save(&mut case).is_err(), "{name}: a save is refused");
            assert_eq!(std::fs::read(&p).expect("read"), bytes, "{name}: bytes untouched");
        }
    }

    #[test]
    fn two_workbenches_on_one_file_merge_instead_of_erasing() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("case.json");
        let (mut a_file, mut a) = CaseFile::open(&p);
        let (mut b_file, mut b) = CaseFile::open(&p);
        a.steps.insert(2, note("from A"));
        assert_eq!(a_file.save(&mut a), Ok(Saved::Written));
        b.steps.insert(5, note("from B"));
        assert_eq!(b_file.save(&mut b), Ok(Saved::Merged), "B is told it merged");
        let on_disk = Case::load(&p).expect("load");
        assert_eq!(on_disk.step(2).note, "from A", "A's note survives B's save");
        assert_eq!(on_disk.step(5).note, "from B");
        assert_eq!(b, on_disk, "B's working copy is what was written");
        // A edits the note B never touched: A's edit wins, B's own note stays.
        a.steps.insert(2, note("A again"));
        assert_eq!(a_file.save(&mut a), Ok(Saved::Merged));
        let on_disk = Case::load(&p).expect("load");
        assert_eq!((on_disk.step(2).note.as_str(), on_disk.step(5).note.as_str()), ("A again", "from B"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_case_file_updates_its_target() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        Case::default().save(&target).expect("save");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let (mut file, mut case) = CaseFile::open(&link);
        case.steps.insert(4, note("via the link"));
        file.save(&mut case).expect("save");
        assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink(), "the link stays a link");
        assert_eq!(Case::load(&target).expect("load").step(4).note, "via the link");
    }

    #[test]
    fn a_failed_save_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tmp");
        // The target is a directory: the rename fails after the temporary file was written.
        let p = dir.path().join("case.json");
        std::fs::create_dir(&p).expect("dir");
        std::fs::write(p.join("x"), "x").expect("non-empty dir");
        assert!(Case::default().save(&p).is_err());
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).expect("ls").filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("case.json")], "only the directory is left");
    }

    #[test]
    fn step_entries_not_understood_are_kept_and_named() {
        let v =
            serde_json::json!({"version": 1, "steps": {"1": {"note": "a"}, "2": "not an object", "x": {"note": "b"}}});
        let c = Case::from_json(&v).expect("read");
        assert_eq!(c.step(1).note, "a");
        assert!(c.unread_summary().expect("named").contains("\"2\""));
        let back = c.to_json();
        assert_eq!(back["steps"]["2"], "not an object");
        assert_eq!(back["steps"]["x"]["note"], "b");
    }

    #[test]
    fn a_save_replaces_the_file_whole_or_not_at_all() {
        // The previous version stays readable until the rename: simulate a crash by leaving a
        // half-written temporary file beside it.
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("case.json");
        let c = Case { root: Some("AKIA1".into()), ..Case::default() };
        c.save(&p).expect("save");
        std::fs::write(dir.path().join(".case.json.tmp-1"), "{\"vers").expect("partial");
        assert_eq!(Case::load(&p).expect("load"), c);
    }
}
