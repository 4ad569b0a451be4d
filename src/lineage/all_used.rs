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
use crate::index::usage::SessionUsage;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

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
        let (ix, n) = (self.ix, &self.lin.nodes[node]);
        used(ix, n.session, &n.ips, |u| u.more_ips, Event::source_ip, self.ips.entry(node), ip)
    }

    /// Whether any call of `node`'s session carried `agent`.
    pub(super) fn agent(&mut self, node: usize, agent: Sym) -> bool {
        let (ix, n) = (self.ix, &self.lin.nodes[node]);
        used(ix, n.session, &n.user_agents, |u| u.more_user_agents, Event::user_agent, self.agents.entry(node), agent)
    }
}

/// Whether `value` is among the distinct values a node's session kept (`kept`), or, when
/// it used more (`more`), among one field of all its events (gathered into `all` once).
fn used<T: Hash + Eq + Copy>(
    ix: &Index,
    session: Option<usize>,
    kept: &[T],
    more: impl Fn(&SessionUsage) -> bool,
    field: impl Fn(&Event) -> T,
    all: Entry<'_, usize, HashSet<T>>,
    value: T,
) -> bool {
    if kept.contains(&value) {
        return true;
    }
    match session.filter(|&s| ix.usage.get(s).is_some_and(&more)) {
        Some(s) => all.or_insert_with(|| every(ix, s, field)).contains(&value),
        None => false,
    }
}

/// The distinct values of one field over session `s`'s events.
pub(super) fn every<T: Hash + Eq>(ix: &Index, s: usize, field: impl Fn(&Event) -> T) -> HashSet<T> {
    ix.session_events(s).iter().filter_map(|&p| ix.events.get(p as usize)).map(field).collect()
}
