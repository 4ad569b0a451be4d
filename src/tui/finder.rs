//! The fuzzy finder: access keys, principal ARNs, event names and source IPs, narrowed live.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::collections::BTreeSet;
use tokentrail::index::event::Field;
use tokentrail::model::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum What {
    Key,
    Principal,
    EventName,
    Ip,
}

impl What {
    pub fn label(self) -> &'static str {
        match self {
            What::Key => "key",
            What::Principal => "principal",
            What::EventName => "event",
            What::Ip => "ip",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub what: What,
    pub text: String,
}

/// Every distinct searchable value, built once per load.
pub fn candidates(m: &Model) -> Vec<Candidate> {
    let mut set: BTreeSet<(What, u32)> = BTreeSet::new();
    for n in &m.lin.nodes {
        set.insert((What::Key, n.key.0));
        set.insert((What::Principal, n.principal.0));
    }
    for e in &m.ix.events {
        set.insert((What::EventName, e.get(Field::Name).0));
        set.insert((What::Ip, e.get(Field::Ip).0));
        set.insert((What::Principal, e.get(Field::Principal).0));
    }
    let mut out: Vec<Candidate> = set
        .into_iter()
        .map(|(what, s)| Candidate { what, text: m.ix.strings.resolve(tokentrail::index::intern::Sym(s)).to_string() })
        .filter(|c| !c.text.is_empty())
        .collect();
    // Symbol numbers depend on load order; text order does not.
    out.sort_by(|a, b| (a.what, &a.text).cmp(&(b.what, &b.text)));
    out
}

pub const MAX_RESULTS: usize = 200;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Finder {
    pub query: String,
    /// Candidate positions, best first.
    pub results: Vec<usize>,
    pub selected: usize,
}

impl Finder {
    pub fn refresh(&mut self, all: &[Candidate]) {
        self.selected = 0;
        if self.query.is_empty() {
            self.results = (0..all.len().min(MAX_RESULTS)).collect();
            return;
        }
        let matcher = SkimMatcherV2::default();
        let mut scored: Vec<(i64, usize)> = all
            .iter()
            .enumerate()
            .filter_map(|(i, c)| matcher.fuzzy_match(&c.text, &self.query).map(|s| (s, i)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.results = scored.into_iter().take(MAX_RESULTS).map(|(_, i)| i).collect();
    }
}
