//! Every distinct address and user agent a node's session used. A session's usage keeps the
//! first `MAX_DISTINCT` of each (`index::usage`), which is all a session mostly uses; but a
//! reason that says a session *never* used one must hold of every call it made, and a reason
//! that names what a session used must read them all: a log may carry an address or an agent
//! per event. So when a reason first asks about a session that used more, the addresses and
//! agents of every such session are gathered, in one pass over the events (`Columns`).

use super::Lineage;
use crate::index::Index;
use crate::index::addr::Addr;
use crate::index::event::{Event, NO_SESSION};
use crate::index::intern::Sym;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::hash::Hash;

pub(super) struct AllUsed<'a> {
    ix: &'a Index,
    lin: &'a Lineage,
    columns: OnceCell<Columns>,
    ips: FxHashMap<usize, FxHashSet<Addr>>,
    agents: FxHashMap<usize, FxHashSet<Sym>>,
}

/// The address and agent of each event of the sessions that used more than their usage
/// keeps, grouped by session, in index order. Gathered in one pass in index order: reading a
/// session's events where they lie misses the cache once an event (on the adversarial 1M
/// shape, 100 ms against 10).
struct Columns {
    /// Per session number, where its events' values start (and the next, where they end).
    start: Vec<u32>,
    ips: Vec<Addr>,
    agents: Vec<Sym>,
}

impl Columns {
    fn gather(ix: &Index) -> Columns {
        let mut start = Vec::with_capacity(ix.usage.len() + 1);
        let mut total = 0u32;
        for u in &ix.usage {
            start.push(total);
            if u.more_ips || u.more_user_agents {
                total += u.events.len() as u32;
            }
        }
        start.push(total);
        let mut next = start.clone();
        let (mut ips, mut agents) = (vec![Addr::NONE; total as usize], vec![Sym::NONE; total as usize]);
        for e in &ix.events {
            let s = e.session as usize;
            if e.session != NO_SESSION && s + 1 < start.len() && next[s] < start[s + 1] {
                let k = next[s] as usize;
                (ips[k], agents[k]) = (e.addr, e.agent);
                next[s] += 1;
            }
        }
        Columns { start, ips, agents }
    }

    fn range(&self, s: usize) -> std::ops::Range<usize> {
        match (self.start.get(s), self.start.get(s + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }
}

impl<'a> AllUsed<'a> {
    pub(super) fn new(ix: &'a Index, lin: &'a Lineage) -> Self {
        AllUsed { ix, lin, columns: OnceCell::new(), ips: FxHashMap::default(), agents: FxHashMap::default() }
    }

    /// `node`'s session, when it used more addresses (`ips`) or agents than its usage keeps.
    fn more(&self, node: usize, ips: bool) -> Option<usize> {
        let s = self.lin.nodes[node].session?;
        self.ix.usage.get(s).filter(|u| if ips { u.more_ips } else { u.more_user_agents }).map(|_| s)
    }

    fn columns(&self) -> &Columns {
        self.columns.get_or_init(|| Columns::gather(self.ix))
    }

    /// Every address of `node`'s session's events past the ones kept (empty when none).
    fn more_ips(&self, node: usize) -> &[Addr] {
        self.more(node, true).map_or(&[], |s| &self.columns().ips[self.columns().range(s)])
    }

    fn more_agents(&self, node: usize) -> &[Sym] {
        self.more(node, false).map_or(&[], |s| &self.columns().agents[self.columns().range(s)])
    }

    /// Whether any call of `node`'s session came from `ip`.
    pub(super) fn ip(&mut self, node: usize, ip: Addr) -> bool {
        if self.lin.nodes[node].ips.contains(&ip) {
            return true;
        }
        let Some(s) = self.more(node, true) else { return false };
        let columns = self.columns.get_or_init(|| Columns::gather(self.ix));
        contains(self.ips.entry(node), &columns.ips[columns.range(s)], ip)
    }

    /// Whether any call of `node`'s session carried `agent`.
    pub(super) fn agent(&mut self, node: usize, agent: Sym) -> bool {
        if self.lin.nodes[node].user_agents.contains(&agent) {
            return true;
        }
        let Some(s) = self.more(node, false) else { return false };
        let columns = self.columns.get_or_init(|| Columns::gather(self.ix));
        contains(self.agents.entry(node), &columns.agents[columns.range(s)], agent)
    }

    /// Every address `node`'s session used, some more than once (the kept ones first, then,
    /// when it used more, each of its events'): first uses come in order.
    pub(super) fn each_ip(&self, node: usize) -> impl Iterator<Item = Addr> + '_ {
        let kept = self.lin.nodes[node].ips.iter().copied();
        kept.chain(self.more_ips(node).iter().copied().filter(|a| !a.is_none()))
    }

    /// Every distinct address `node`'s session used, in order of first use.
    pub(super) fn ips_of(&self, node: usize) -> Cow<'a, [Addr]> {
        let lin: &'a Lineage = self.lin;
        let kept = &lin.nodes[node].ips;
        match self.more_ips(node) {
            [] => Cow::Borrowed(kept),
            more => Cow::Owned(distinct(kept, more, Addr::is_none)),
        }
    }

    /// Every distinct user agent `node`'s session used, in order of first use.
    pub(super) fn agents_of(&self, node: usize) -> Cow<'a, [Sym]> {
        let lin: &'a Lineage = self.lin;
        let kept = &lin.nodes[node].user_agents;
        match self.more_agents(node) {
            [] => Cow::Borrowed(kept),
            more => Cow::Owned(distinct(kept, more, Sym::is_none)),
        }
    }
}

/// Whether `value` is among `values`, gathered into a set (`all`) on the first question.
fn contains<T: Hash + Eq + Copy>(all: Entry<'_, usize, FxHashSet<T>>, values: &[T], value: T) -> bool {
    all.or_insert_with(|| values.iter().copied().collect()).contains(&value)
}

/// The distinct values among `kept` then `more`, but `none`, in order.
fn distinct<T: Hash + Eq + Copy>(kept: &[T], more: &[T], none: fn(T) -> bool) -> Vec<T> {
    let mut seen = FxHashSet::default();
    kept.iter().chain(more).copied().filter(|&v| !none(v) && seen.insert(v)).collect()
}

/// The distinct values of one field over session `s`'s events.
pub(super) fn every<T: Hash + Eq>(ix: &Index, s: usize, field: impl Fn(&Event) -> T) -> FxHashSet<T> {
    ix.session_events(s).iter().filter_map(|&p| ix.events.get(p as usize)).map(field).collect()
}
