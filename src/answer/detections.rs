//! `tokentrail detections`: the Sigma rules loaded, those that could not be (and why), and
//! every hit with the credential that made the event and the root of its lineage.

use crate::detect::{Detections, Hit, RuleSet};
use crate::index::event::Field;
use crate::model::Model;
use crate::text::sanitize;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct DetectionsAnswer {
    pub hits: Vec<HitAnswer>,
    pub rules_failed: Vec<FailedRule>,
    pub rules_loaded: usize,
    /// Events whose text could not be read again, so that no rule saw them.
    pub unreadable: usize,
}

#[derive(Debug, Serialize)]
pub struct FailedRule {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct HitAnswer {
    pub access_key_id: Option<String>,
    pub event_id: String,
    pub level: String,
    /// The root key of the lineage of the credential that made the event (null: no key).
    pub root: Option<String>,
    pub rule_id: String,
    pub title: String,
}

impl HitAnswer {
    pub fn new(m: &Model, det: &Detections, h: &Hit) -> HitAnswer {
        let e = &m.ix.events[h.event];
        let r = det.rule(h);
        let key = m.ix.text(e, Field::Key);
        let root = m.lin.node_of_event(&m.ix, h.event).map(|n| m.ix.str(m.lin.nodes[m.lin.root_of(n)].key));
        HitAnswer {
            access_key_id: (!key.is_empty()).then(|| key.to_string()),
            event_id: m.ix.event_id(e),
            level: r.level.clone(),
            root: root.filter(|k| !k.is_empty()).map(String::from),
            rule_id: r.id.clone(),
            title: r.title.clone(),
        }
    }
}

impl HitAnswer {
    /// One line of the text forms: level, rule, event, credential and root.
    pub fn text_line(&self) -> String {
        format!(
            "{:<8} {} on {} by {} (root {})",
            sanitize(&self.level),
            sanitize(&self.title),
            sanitize(&self.event_id),
            sanitize(self.access_key_id.as_deref().unwrap_or("-")),
            sanitize(self.root.as_deref().unwrap_or("-"))
        )
    }
}

/// The rules that could not be read, with why.
pub fn failed(rules: &RuleSet) -> Vec<FailedRule> {
    rules.failed.iter().map(|(p, why)| FailedRule { path: p.clone(), reason: why.clone() }).collect()
}

impl DetectionsAnswer {
    pub fn new(m: &Model, det: &Detections) -> DetectionsAnswer {
        DetectionsAnswer {
            hits: det.hits.iter().map(|h| HitAnswer::new(m, det, h)).collect(),
            rules_failed: failed(&det.rules),
            rules_loaded: det.rules.rules.len(),
            unreadable: det.unreadable,
        }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let mut s = format!("{} rules loaded, {} could not be:\n", self.rules_loaded, self.rules_failed.len());
        for f in &self.rules_failed {
            let _ = writeln!(s, "  {}: {}", sanitize(&f.path), sanitize(&f.reason));
        }
        let _ = writeln!(s, "{} hits:", self.hits.len());
        for h in &self.hits {
            let _ = writeln!(s, "  {}", h.text_line());
        }
        if self.unreadable > 0 {
            let _ = writeln!(s, "{} events could not be read again: no rule saw them", self.unreadable);
        }
        s
    }
}
