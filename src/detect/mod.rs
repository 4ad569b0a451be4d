//! Sigma detections over the loaded events: rules from folders (`--rules DIR`) and the
//! project's own (embedded from `assets/rules/`), each rule that cannot be read reported with
//! why, never dropped. Evaluated with sigma-rust (`evaluate`) on the events each rule can
//! match (`needs`): from the index when it holds every field the rule reads as the record
//! wrote it, else on the original text, read again and opened as the detail pane shows it.

mod decided;
mod evaluate;
pub mod found;
pub mod needs;
mod projection;
pub mod suspects;

pub use evaluate::Evaluation;
pub use found::Detections;

use needs::Needs;
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
    /// What an event's call (name, source) must be for the rule to match it, and what the
    /// rest of its indexed fields must be.
    call_needs: Needs,
    other_needs: Needs,
    /// The fields it reads (`None`: the whole event).
    reads: Option<Vec<String>>,
    /// When it reads only fields the index holds as written (`index::event::AS_WRITTEN`):
    /// those. It is then decided from the index for the events whose fields the index holds
    /// as written, without their text.
    from_index: Option<Vec<decided::Read>>,
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
            Ok(rule) => {
                // The rule's detection, read once for what it needs and what it reads.
                let detection = detection_of(text);
                let needs = detection
                    .as_ref()
                    .map_or_else(Needs::any, |d| needs::of_detection(d, rule.detection.get_condition()));
                let (call_needs, other_needs) = needs.split(&crate::index::event::CALL_FIELDS);
                let reads = detection.as_ref().and_then(projection::reads);
                let from_index = reads.as_ref().zip(detection.as_ref()).and_then(|(names, d)| decided::reads(d, names));
                self.rules.push(LoadedRule {
                    path: path.to_string(),
                    id: rule.id.clone().unwrap_or_default(),
                    title: rule.title.clone(),
                    level: rule.level.as_ref().map_or_else(String::new, |l| format!("{l:?}").to_lowercase()),
                    rule,
                    call_needs,
                    other_needs,
                    reads,
                    from_index,
                })
            }
            Err(e) => self.failed.push((path.to_string(), e.to_string())),
        }
    }
}

/// A rule's `detection` block, as YAML.
fn detection_of(yaml: &str) -> Option<serde_norway::Mapping> {
    let doc = serde_norway::from_str::<serde_norway::Value>(yaml).ok()?;
    doc.get("detection")?.as_mapping().cloned()
}

/// A detection's selections by name (its `condition` and `timeframe` are not selections).
fn selections(detection: &serde_norway::Mapping) -> impl Iterator<Item = (&str, &serde_norway::Value)> {
    detection
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
        .filter(|(k, _)| !matches!(*k, "condition" | "timeframe"))
}

/// Every `field|modifiers: values` of a detection's selections, its values as a list; `None`
/// when a selection is not a map or a list of maps (keywords) or a key is not text.
fn selection_fields(detection: &serde_norway::Mapping) -> Option<Vec<(&str, Vec<&serde_norway::Value>)>> {
    let mut out = Vec::new();
    for (_, selection) in selections(detection) {
        let maps: Vec<&serde_norway::Mapping> = match selection {
            serde_norway::Value::Mapping(m) => vec![m],
            serde_norway::Value::Sequence(seq) => seq.iter().map(|m| m.as_mapping()).collect::<Option<_>>()?,
            _ => return None,
        };
        for (key, values) in maps.into_iter().flatten() {
            let values = match values.as_sequence() {
                Some(seq) => seq.iter().collect(),
                None => vec![values],
            };
            out.push((key.as_str()?, values));
        }
    }
    Some(out)
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
