//! Sigma detections over the loaded events: rules from folders (`--rules DIR`) and the
//! project's own (embedded from `assets/rules/`), each rule that cannot be read reported with
//! why, never dropped. Evaluated with sigma-rust on every event's original text, read again
//! (each source file once) and opened as the detail pane shows it (secrets redacted).

use crate::model::Model;
use std::path::{Path, PathBuf};

/// The project's own rules (the credential-persistence cases), embedded.
pub const BUILTIN: [(&str, &str); 4] = [
    (
        "tokentrail_access_key_for_another_user.yml",
        include_str!("../../assets/rules/tokentrail_access_key_for_another_user.yml"),
    ),
    ("tokentrail_trust_policy_changed.yml", include_str!("../../assets/rules/tokentrail_trust_policy_changed.yml")),
    ("tokentrail_login_profile_set.yml", include_str!("../../assets/rules/tokentrail_login_profile_set.yml")),
    ("tokentrail_logging_tampered.yml", include_str!("../../assets/rules/tokentrail_logging_tampered.yml")),
];

pub struct LoadedRule {
    pub path: String,
    pub id: String,
    pub title: String,
    pub level: String,
    rule: sigma_rust::Rule,
}

#[derive(Default)]
pub struct RuleSet {
    pub rules: Vec<LoadedRule>,
    /// (path, reason) for every rule that could not be read or uses what is not supported.
    pub failed: Vec<(String, String)>,
}

/// A rule that matched an event (positions in `RuleSet::rules` and `Index::events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub rule: usize,
    pub event: usize,
}

impl RuleSet {
    /// The built-in rules, then every `.yml`/`.yaml` below each folder (sorted by path).
    pub fn load(dirs: &[PathBuf]) -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN {
            set.add(&format!("(built in) {name}"), text);
        }
        for dir in dirs {
            let mut files = Vec::new();
            collect(dir, &mut files);
            if files.is_empty() && !dir.is_dir() {
                set.failed.push((
                    crate::text::sanitize(&dir.display().to_string()).into_owned(),
                    "not a folder of rules".into(),
                ));
            }
            files.sort();
            for f in files {
                let path = f.display().to_string();
                match std::fs::read_to_string(&f) {
                    Ok(text) => set.add(&path, &text),
                    Err(e) => set.failed.push((path, format!("cannot read: {e}"))),
                }
            }
        }
        set
    }

    fn add(&mut self, path: &str, text: &str) {
        match sigma_rust::rule_from_yaml(text) {
            Ok(rule) => self.rules.push(LoadedRule {
                path: path.to_string(),
                id: rule.id.clone().unwrap_or_default(),
                title: rule.title.clone(),
                level: rule.level.as_ref().map_or_else(String::new, |l| format!("{l:?}").to_lowercase()),
                rule,
            }),
            Err(e) => self.failed.push((path.to_string(), e.to_string())),
        }
    }

    /// Every (rule, event) that matches, in event order. Each source is read once, on as
    /// many threads as there are cores, and its events evaluated as it is read (memory stays
    /// one file's worth a thread).
    pub fn evaluate(&self, m: &Model) -> Vec<Hit> {
        // Per source: its events' (ordinal, position).
        let mut by_file: Vec<Vec<(u32, usize)>> = vec![Vec::new(); m.sources.len()];
        for (pos, e) in m.ix.events.iter().enumerate() {
            if let Some(f) = by_file.get_mut(e.raw.file as usize) {
                f.push((e.raw.ordinal, pos));
            }
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(by_file.len()).max(1);
        let mut hits: Vec<Hit> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut found = Vec::new();
                        loop {
                            let f = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(events) = by_file.get(f) else { break };
                            if events.is_empty() {
                                continue;
                            }
                            let Ok(records) = crate::loader::records_of(&m.sources, f) else { continue };
                            for &(ordinal, pos) in events {
                                let Some(raw) = records.get(ordinal as usize) else { continue };
                                let Ok(event) = sigma_rust::Event::try_from(crate::redact::event_value(raw)) else {
                                    continue;
                                };
                                for (r, rule) in self.rules.iter().enumerate() {
                                    if rule.rule.is_match(&event) {
                                        found.push(Hit { rule: r, event: pos });
                                    }
                                }
                            }
                        }
                        found
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        hits.sort_by_key(|h| (h.event, h.rule));
        hits
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
            out.push(p);
        }
    }
}
