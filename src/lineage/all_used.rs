//! Every distinct address and user agent a node's session used. A session's usage keeps the
//! first `MAX_DISTINCT` of each (`index::usage`), which is all a session mostly uses; but a
//! reason that says a session *never* used one must hold of every call it made, and a log may
//! carry an address or an agent per event. So for a session that used more, its events are
//! read, once per node, when a reason first asks.

use super::Lineage;
use crate::index::Index;
use crate::index::addr::Addr;
use crate::index::event::Event;
use crate::index::intern::Sym;
use std::collections::{HashMap, HashSet};

pub(super) struct AllUsed<'a> {
    ix: &'a Index,
    lin: &'a Lineage,
    ips: HashMap<usize, HashSet<Addr>>,
    agents: HashMap<usize, HashSet<Sym>>,
}

impl<'a> AllUsed<'a> {
    pub(super) fn new(ix: &'a Index, lin: &'a Lineage) -> Self {
        AllUsed { ix, lin, ips: HashMap::new(), agents: HashMap::new() }
    }

    /// Whether any call of `node`'s session came from `ip`.
    pub(super) fn ip(&mut self, node: usize, ip: Addr) -> bool {
        let n = &self.lin.nodes[node];
        if n.ips.contains(&ip) {
            return true;
        }
        let more = |s: usize| self.ix.usage.get(s).is_some_and(|u| u.more_ips);
        match n.session.filter(|&s| more(s)) {
            Some(s) => self.ips.entry(node).or_insert_with(|| every(self.ix, s, Event::source_ip)).contains(&ip),
            None => false,
        }
    }

    /// Whether any call of `node`'s session carried `agent`.
    pub(super) fn agent(&mut self, node: usize, agent: Sym) -> bool {
        let n = &self.lin.nodes[node];
        if n.user_agents.contains(&agent) {
            return true;
        }
        let more = |s: usize| self.ix.usage.get(s).is_some_and(|u| u.more_user_agents);
        match n.session.filter(|&s| more(s)) {
            Some(s) => self.agents.entry(node).or_insert_with(|| every(self.ix, s, Event::user_agent)).contains(&agent),
            None => false,
        }
    }
}

/// The distinct values of one field over session `s`'s events.
fn every<T: std::hash::Hash + Eq>(ix: &Index, s: usize, field: impl Fn(&Event) -> T) -> HashSet<T> {
    ix.session_events(s).iter().filter_map(|&p| ix.events.get(p as usize)).map(field).collect()
}
