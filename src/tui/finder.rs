//! The fuzzy finder: access keys, principal ARNs, event names and source IPs, narrowed live.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::collections::BTreeSet;
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
    // Names and principals from the index's tables of distinct calls and signers.
    set.extend(m.ix.calls.iter().map(|c| (What::EventName, c[0].0)));
    set.extend(m.ix.signers.iter().map(|s| (What::Principal, s[0].0)));
    let mut addresses: Vec<_> = m.ix.events.iter().map(|e| e.source_ip()).collect();
    addresses.sort_unstable();
    addresses.dedup();
    let mut out: Vec<Candidate> = set
        .into_iter()
        .map(|(what, s)| Candidate { what, text: m.ix.strings.resolve(tokentrail::index::intern::Sym(s)).to_string() })
        .chain(addresses.into_iter().map(|a| Candidate { what: What::Ip, text: m.ix.addr(a).to_string() }))
        .filter(|c| !c.text.is_empty())
        .collect();
    // Symbol numbers depend on load order; text order does not.
    out.sort_by(|a, b| (a.what, &a.text).cmp(&(b.what, &b.text)));
    out
}

pub const MAX_RESULTS: usize = 200;

/// Up to this many candidates are matched on the UI thread; more (an address per event)
/// are matched on a worker, and the results arrive as an action.
pub const MATCH_INLINE: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Finder {
    pub query: String,
    /// Candidate positions, best first.
    pub results: Vec<usize>,
    pub selected: usize,
    /// Which query the results answer: a worker's answer to an older one is dropped.
    pub generation: u64,
    /// A worker is matching the current query.
    pub pending: bool,
}

impl Finder {
    /// Matches now (few candidates, or no worker to send to).
    pub fn refresh(&mut self, all: &[Candidate]) {
        self.selected = 0;
        self.pending = false;
        self.results = rank(all, &self.query);
    }
}

/// The best `MAX_RESULTS` candidates for `query`, best first (all, in order, for none).
pub fn rank(all: &[Candidate], query: &str) -> Vec<usize> {
    if query.is_empty() {
        return (0..all.len().min(MAX_RESULTS)).collect();
    }
    let matcher = SkimMatcherV2::default();
    let mut scored: Vec<(i64, usize)> =
        all.iter().enumerate().filter_map(|(i, c)| matcher.fuzzy_match(&c.text, query).map(|s| (s, i))).collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(MAX_RESULTS).map(|(_, i)| i).collect()
}
