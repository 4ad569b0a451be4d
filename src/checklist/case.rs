//! The case file: the analyst's notes and manual statuses, one JSON document, saved
//! atomically on every change (write a temporary file, fsync, rename, fsync the folder),
//! so that a `kill -9` at any moment loses nothing already confirmed.

use super::Manual;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SCHEMA_VERSION: u64 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepNotes {
    pub manual: Manual,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    /// The root key the case is anchored on, once chosen.
    pub root: Option<String>,
    pub steps: BTreeMap<u8, StepNotes>,
}

impl Case {
    pub fn step(&self, n: u8) -> StepNotes {
        self.steps.get(&n).cloned().unwrap_or_default()
    }

    pub fn to_json(&self) -> Value {
        let steps: serde_json::Map<String, Value> = self
            .steps
            .iter()
            .map(|(n, s)| (n.to_string(), json!({"manual_status": s.manual.as_str(), "note": s.note})))
            .collect();
        json!({"version": SCHEMA_VERSION, "root": self.root, "steps": steps})
    }

    pub fn from_json(v: &Value) -> Result<Case, String> {
        let version = v.get("version").and_then(Value::as_u64).ok_or("case file has no version")?;
        if version > SCHEMA_VERSION {
            return Err(format!(
                "case file version {version} is newer than this tokentrail understands ({SCHEMA_VERSION})"
            ));
        }
        let mut case = Case { root: v.get("root").and_then(Value::as_str).map(String::from), ..Case::default() };
        if let Some(steps) = v.get("steps").and_then(Value::as_object) {
            for (k, s) in steps {
                let Ok(n) = k.parse::<u8>() else { continue };
                let manual = s.get("manual_status").and_then(Value::as_str).map_or(Manual::Unset, Manual::parse);
                let note = s.get("note").and_then(Value::as_str).unwrap_or("").to_string();
                case.steps.insert(n, StepNotes { manual, note });
            }
        }
        Ok(case)
    }

    /// Reads a case file; a missing file is an empty case.
    pub fn load(path: &Path) -> Result<Case, String> {
        match std::fs::read(path) {
            Ok(b) => {
                let v: Value =
                    serde_json::from_slice(&b).map_err(|e| format!("case file {} is damaged: {e}", path.display()))?;
                Case::from_json(&v)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Case::default()),
            Err(e) => Err(format!("cannot read case file {}: {e}", path.display())),
        }
    }

    /// Atomic, durable save.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "case".into());
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            let mut text = serde_json::to_vec_pretty(&self.to_json())?;
            text.push(b'\n');
            f.write_all(&text)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
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
    fn a_missing_file_is_an_empty_case_and_a_damaged_one_is_an_error() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(Case::load(&dir.path().join("none.json")).expect("empty"), Case::default());
        std::fs::write(dir.path().join("bad.json"), "{\"version\": 1, \"steps\": ").expect("write");
        assert!(Case::load(&dir.path().join("bad.json")).is_err());
        std::fs::write(dir.path().join("new.json"), "{\"version\": 99}").expect("write");
        assert!(Case::load(&dir.path().join("new.json")).expect_err("newer").contains("newer"));
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
