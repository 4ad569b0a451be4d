//! What each credential session did, and where the events with details are: gathered in
//! the index's one pass over its events, so the lineage and the suspect ranking need not
//! walk a million events again (each walk is a read of ~90 MB).

use super::addr::Addr;
use super::event::{Event, NO_DETAIL};
use super::intern::Sym;
use crate::time::Millis;

/// Distinct source IPs and user agents kept per session.
pub const MAX_DISTINCT: usize = 32;

#[derive(Debug, Clone, Default)]
pub struct SessionUsage {
    /// Positions in `Index::events`, in time order.
    pub events: Vec<u32>,
    pub first: Option<Millis>,
    pub last: Option<Millis>,
    pub errors: usize,
    /// The first `MAX_DISTINCT` distinct values, in order of first use.
    pub ips: Vec<Addr>,
    pub user_agents: Vec<Sym>,
    /// The session used more distinct addresses, or agents, than `ips` or `user_agents`
    /// keep: what holds of every one it used must be checked on its events (a log may carry
    /// an address or an agent per event).
    pub more_ips: bool,
    pub more_user_agents: bool,
}

impl SessionUsage {
    fn add(&mut self, pos: u32, e: &Event) {
        self.events.push(pos);
        self.first = Some(self.first.map_or(e.time, |t| t.min(e.time)));
        self.last = Some(self.last.map_or(e.time, |t| t.max(e.time)));
        self.errors += usize::from(e.is_error());
        let ip = e.source_ip();
        if !ip.is_none() && !push_distinct(&mut self.ips, ip) {
            self.more_ips = true;
        }
        if !e.user_agent().is_none() && !push_distinct(&mut self.user_agents, e.user_agent()) {
            self.more_user_agents = true;
        }
    }
}

/// Adds `s` to the distinct values `v` unless it holds it already; false when it is new and
/// `v` is full (it is left out).
fn push_distinct<T: PartialEq>(v: &mut Vec<T>, s: T) -> bool {
    if v.contains(&s) {
        return true;
    }
    if v.len() < MAX_DISTINCT {
        v.push(s);
        return true;
    }
    false
}

/// Usage gathered event by event, in index order: per session (by number), its usage; and
/// the positions of the events that carry a detail (issuances, IAM changes).
#[derive(Debug, Default)]
pub struct Usage {
    pub sessions: Vec<SessionUsage>,
    pub with_detail: Vec<u32>,
}

impl Usage {
    /// Adds the event at position `pos` (positions must come in increasing order).
    #[inline]
    pub fn add(&mut self, pos: u32, e: &Event) {
        if let Some(s) = e.session() {
            if s >= self.sessions.len() {
                self.sessions.resize_with(s + 1, SessionUsage::default);
            }
            self.sessions[s].add(pos, e);
        }
        if e.detail != NO_DETAIL {
            self.with_detail.push(pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::event::{NO_SESSION, RawRef};
    use crate::index::event_id::EventId;
    use crate::index::intern::Interner;

    fn gather(events: &[Event], sessions: usize) -> Usage {
        let mut usage = Usage::default();
        for (i, e) in events.iter().enumerate() {
            usage.add(i as u32, e);
        }
        usage.sessions.resize_with(sessions.max(usage.sessions.len()), SessionUsage::default);
        usage
    }

    fn event(time: Millis, session: u32, ip: u32, error: bool, detail: u32) -> Event {
        let (addr, agent) = (Addr::text(Sym(ip)), Sym(7));
        let id = EventId::new("x", &mut Interner::default());
        let call = if error { crate::index::event::ERROR_BIT } else { 0 };
        Event { time, id, call, signer: 0, addr, agent, session, detail, raw: RawRef::new(0, 0, false) }
    }

    #[test]
    fn gathers_each_sessions_events_times_errors_and_first_distinct_values() {
        let mut events = vec![event(5, 1, 3, false, NO_DETAIL), event(6, NO_SESSION, 3, false, 0)];
        // Session 0: 40 events from 40 addresses (only the first 32 kept), two errors.
        events.extend((0..40).map(|i| event(10 + i, 0, 100 + i as u32, i % 20 == 0, NO_DETAIL)));
        events.push(event(60, 1, 0, false, 1)); // no address: not a distinct value
        let Usage { sessions: usage, with_detail } = gather(&events, 3);
        assert_eq!(usage[0].events, (2..42).collect::<Vec<u32>>());
        assert_eq!((usage[0].first, usage[0].last, usage[0].errors), (Some(10), Some(49), 2));
        assert_eq!(usage[0].ips, (100..132).map(|s| Addr::text(Sym(s))).collect::<Vec<_>>());
        assert!(usage[0].more_ips && !usage[1].more_ips);
        assert_eq!(usage[0].user_agents, [Sym(7)]);
        assert!(!usage[0].more_user_agents);
        assert_eq!(usage[1].events, [0, 42]);
        assert_eq!(
            (usage[1].first, usage[1].last, usage[1].ips.clone()),
            (Some(5), Some(60), vec![Addr::text(Sym(3))])
        );
        assert!(usage[2].events.is_empty() && usage[2].first.is_none());
        assert_eq!(with_detail, [1, 42]);
    }

    #[test]
    fn a_session_with_more_distinct_agents_than_kept_says_so() {
        let with_agent = |n: u32| Event { agent: Sym(n), ..event(10, 0, 3, false, NO_DETAIL) };
        // 32 distinct agents, each twice: all kept.
        let events: Vec<Event> = (1..=32).chain(1..=32).map(with_agent).collect();
        let usage = gather(&events, 1);
        assert_eq!(usage.sessions[0].user_agents.len(), MAX_DISTINCT);
        assert!(!usage.sessions[0].more_user_agents);
        // A 33rd is left out, and the session says it used more.
        let events: Vec<Event> = (1..=33).chain([5]).map(with_agent).collect();
        let usage = gather(&events, 1);
        assert_eq!(usage.sessions[0].user_agents, (1..=32).map(Sym).collect::<Vec<_>>());
        assert!(usage.sessions[0].more_user_agents);
    }
}
