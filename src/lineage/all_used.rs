//! Every distinct address and user agent a node's session used. A session's usage keeps the
//! first `MAX_DISTINCT` of each (`index::usage`), which is all a session mostly uses; but a
//! reason that says a session *never* used one must hold of every call it made, and a reason
//! that names what a session used must read them all: a log may carry an address or an agent
//! per event. So when a reason first asks about a session that used more, the addresses of
//! every such session are gathered, in one pass over the events (`Column`); agents are read
//! where they lie.

use super::Lineage;
use crate::index::Index;
use crate::index::addr::Addr;
use crate::index::event::{Event, NO_SESSION};
use crate::index::intern::Sym;
use crate::index::usage::SessionUsage;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::hash::Hash;

pub(super) struct AllUsed<'a> {
    ix: &'a Index,
    lin: &'a Lineage,
    more_ips: OnceCell<Column<Addr>>,
    ips: FxHashMap<usize, FxHashSet<Addr>>,
    agents: FxHashMap<usize, FxHashSet<Sym>>,
}

/// One field of each event of the sessions that used more of it than their usage keeps,
/// grouped by session, in index order. Gathered in one pass in index order: reading a
/// session's events where they lie misses the cache once an event (on the adversarial 1M
/// shape, 100 ms against 10). At 4 bytes an event, it is most of what the ranking adds to
/// the load's peak.
struct Column<T> {
    /// Per session number, where its events' values start (and the next, where they end).
    start: Vec<u32>,
    values: Vec<T>,
}

impl<T: Copy + Default> Column<T> {
    fn gather(ix: &Index, more: impl Fn(&SessionUsage) -> bool, field: impl Fn(&Event) -> T) -> Column<T> {
        let mut start = Vec::with_capacity(ix.usage.len() + 1);
        let mut total = 0u32;
        for u in &ix.usage {
            start.push(total);
            if more(u) {
                total += u.events.len() as u32;
            }
        }
        start.push(total);
        let mut next = start.clone();
        let mut values = vec![T::default(); total as usize];
        for e in &ix.events {
            let s = e.session as usize;
            if e.session != NO_SESSION && s + 1 < start.len() && next[s] < start[s + 1] {
                values[next[s] as usize] = field(e);
                next[s] += 1;
            }
        }
        Column { start, values }
    }

    /// Session `s`'s values.
    fn of(&self, s: usize) -> &[T] {
        match (self.start.get(s), self.start.get(s + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }
}

impl<'a> AllUsed<'a> {
    pub(super) fn new(ix: &'a Index, lin: &'a Lineage) -> Self {
        AllUsed { ix, lin, more_ips: OnceCell::new(), ips: FxHashMap::default(), agents: FxHashMap::default() }
    }

    /// `node`'s session, when it used more of a field than its usage keeps (`more`: which).
    fn more(&self, node: usize, more: fn(&SessionUsage) -> bool) -> Option<usize> {
        let s = self.lin.nodes[node].session?;
        self.ix.usage.get(s).filter(|u| more(u)).map(|_| s)
    }

    /// Every address of `node`'s session's events when it used more than its usage keeps
    /// (else none).
    fn more_ips(&self, node: usize) -> &[Addr] {
        self.more(node, |u| u.more_ips).map_or(&[], |s| ip_column(self.ix, &self.more_ips).of(s))
    }

    /// The agents of `node`'s session's events when it used more than its usage keeps (else
    /// none), read where they lie: agents are asked about less than addresses, and mostly
    /// answered by the first (`agents_where`), so they have no column of their own.
    fn more_agents(&self, node: usize) -> impl Iterator<Item = Sym> + '_ {
        let events = self.more(node, |u| u.more_user_agents).map_or(&[][..], |s| self.ix.session_events(s));
        events.iter().filter_map(|&p| self.ix.events.get(p as usize)).map(Event::user_agent)
    }

    /// Whether any call of `node`'s session came from `ip`.
    pub(super) fn ip(&mut self, node: usize, ip: Addr) -> bool {
        if self.lin.nodes[node].ips.contains(&ip) {
            return true;
        }
        let Some(s) = self.more(node, |u| u.more_ips) else { return false };
        contains(self.ips.entry(node), ip_column(self.ix, &self.more_ips).of(s), ip)
    }

    /// Whether any call of `node`'s session carried `agent`.
    pub(super) fn agent(&mut self, node: usize, agent: Sym) -> bool {
        if self.lin.nodes[node].user_agents.contains(&agent) {
            return true;
        }
        let Some(s) = self.more(node, |u| u.more_user_agents) else { return false };
        let ix = self.ix;
        self.agents.entry(node).or_insert_with(|| every(ix, s, Event::user_agent)).contains(&agent)
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

    /// The first `up_to` distinct user agents of `node`'s session that pass `test`, in order
    /// of first use (the kept ones first): it stops reading at the last one it needs.
    pub(super) fn agents_where(
        &mut self,
        node: usize,
        up_to: usize,
        mut test: impl FnMut(&mut Self, Sym) -> bool,
    ) -> Vec<Sym> {
        let mut found = Vec::new();
        // Whether `u` is the last one needed.
        let mut take = |this: &mut Self, u: Sym| {
            if !found.contains(&u) && test(this, u) {
                found.push(u);
            }
            found.len() >= up_to
        };
        let kept = self.lin.nodes[node].user_agents.clone();
        if up_to == 0 || kept.into_iter().any(|u| take(self, u)) {
            return found;
        }
        let more: Vec<Sym> = self.more_agents(node).filter(|u| !u.is_none()).collect();
        more.into_iter().any(|u| take(self, u));
        found
    }
}

fn ip_column<'c>(ix: &Index, cell: &'c OnceCell<Column<Addr>>) -> &'c Column<Addr> {
    cell.get_or_init(|| Column::gather(ix, |u| u.more_ips, Event::source_ip))
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
