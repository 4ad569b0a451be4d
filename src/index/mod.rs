//! The in-memory index: compact events in (time, id) order, interned strings,
//! credential sessions, and the side table of issuance/IAM details.

pub mod addr;
pub mod agents;
pub mod cidr;
pub mod detail;
pub mod event;
pub mod event_id;
pub mod field_text;
pub mod intern;
pub mod order;
pub mod session;
pub mod usage;

use crate::time::Millis;
use addr::Addr;
use agents::Agents;
use detail::Detail;
use event::{Event, Field, Slot};
use field_text::Text;
use intern::{Interner, Sym};
use session::SessionInfo;
use usage::SessionUsage;

pub struct Index {
    pub strings: Interner,
    /// User agents, apart: `agents::Agents` (`compact_agents` deflates those seen once).
    pub agents: Agents,
    pub events: Vec<Event>,
    /// The distinct calls (`event::CALL_FIELDS`) and signers (`event::SIGNER_FIELDS`).
    pub calls: Vec<[Sym; 4]>,
    pub signers: Vec<[Sym; 6]>,
    pub details: Vec<Detail>,
    pub sessions: Vec<SessionInfo>,
    /// Per session: its events (positions, in time order) and what they show.
    pub usage: Vec<SessionUsage>,
    /// Positions of the events that carry a detail, in time order.
    pub with_detail: Vec<u32>,
}

/// Filters for `Index::select`; every set field must match.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub key: Option<String>,
    pub principal: Option<String>,
    pub name: Option<String>,
    /// A source address as written, or a block (`cidr::Cidr`: `203.0.113.0/24`).
    pub ip: Option<String>,
    pub since: Option<Millis>,
    pub until: Option<Millis>,
}

/// A query's source address: one, or a block.
enum AddressIs {
    Exactly(addr::Addr),
    In(cidr::BlockTest),
}

impl Index {
    pub fn new(
        (strings, agents): (Interner, Interner),
        events: Vec<Event>,
        (calls, signers): (Vec<[Sym; 4]>, Vec<[Sym; 6]>),
        details: Vec<Detail>,
        sessions: Vec<SessionInfo>,
        usage: usage::Usage,
    ) -> Index {
        let usage::Usage { sessions: mut per_session, with_detail } = usage;
        per_session.resize_with(sessions.len(), SessionUsage::default);
        let agents = Agents::new(agents);
        Index { strings, agents, events, calls, signers, details, sessions, usage: per_session, with_detail }
    }

    /// Deflates the user agents seen on one event only (`agents::Agents::freeze`): for an
    /// index kept open (the workbench). Equal codes stay equal texts; only the numbers change.
    pub fn compact_agents(&mut self) {
        let Some(remap) = self.agents.freeze(self.events.iter().map(|e| e.agent)) else { return };
        let new = |s: &mut Sym| *s = remap.get(s.0 as usize).copied().unwrap_or(Sym::NONE);
        self.events.iter_mut().for_each(|e| new(&mut e.agent));
        self.usage.iter_mut().flat_map(|u| u.user_agents.iter_mut()).for_each(new);
    }

    /// A symbol field's interned value in `strings`. An address is not a symbol (`Addr`), and
    /// an agent's is in `agents`: compare a field that may be either by `code` and read it by
    /// `field` (asked of them, debug builds refuse; release builds give `NONE` for an agent,
    /// and for an address its text's symbol when it is not an IPv4 address).
    #[inline]
    pub fn sym(&self, e: &Event, f: Field) -> Sym {
        let at = |t: Option<&[Sym]>, i: usize| t.and_then(|t| t.get(i)).copied().unwrap_or(Sym::NONE);
        match f.slot() {
            Slot::Call(i) => at(self.calls.get(e.call_id()).map(|c| &c[..]), i),
            Slot::Signer(i) => at(self.signers.get(e.signer as usize).map(|c| &c[..]), i),
            Slot::Addr => {
                debug_assert!(false, "an address is compared by Index::code and read by Index::field");
                e.addr.sym().unwrap_or(Sym::NONE)
            }
            Slot::Agent => {
                debug_assert!(false, "an agent is compared by Index::code and read by Index::field");
                Sym::NONE
            }
        }
    }

    /// A field's value as a number, whatever the field: equal numbers are equal texts.
    #[inline]
    pub fn code(&self, e: &Event, f: Field) -> u32 {
        match f.slot() {
            Slot::Addr => e.addr.code(),
            Slot::Agent => e.agent.0,
            _ => self.sym(e, f).0,
        }
    }

    /// The `code` a field with this text has, if any event of the index could hold it.
    pub fn code_of(&self, f: Field, text: &str) -> Option<u32> {
        match f.slot() {
            Slot::Addr => Addr::find(text, &self.strings).map(Addr::code),
            Slot::Agent => self.agents.get(text).map(|s| s.0),
            _ => self.strings.get(text).map(|s| s.0),
        }
    }

    /// Whether the field holds no value (absent or empty).
    pub fn is_empty(&self, e: &Event, f: Field) -> bool {
        match f.slot() {
            Slot::Addr => e.addr.is_none(),
            Slot::Agent => e.agent.is_none(),
            _ => self.sym(e, f).is_none(),
        }
    }

    /// Positions of session `s`'s events, in time order.
    pub fn session_events(&self, s: usize) -> &[u32] {
        self.usage.get(s).map_or(&[], |u| &u.events)
    }

    /// The events that carry a detail, in time order, with it.
    pub fn events_with_detail(&self) -> impl Iterator<Item = (usize, &Event, &Detail)> {
        self.with_detail.iter().filter_map(|&i| {
            let e = &self.events[i as usize];
            Some((i as usize, e, self.detail(e)?))
        })
    }

    pub fn str(&self, s: Sym) -> &str {
        self.strings.resolve(s)
    }

    /// A field's text.
    pub fn field(&self, e: &Event, f: Field) -> Text<'_> {
        match f.slot() {
            Slot::Addr => e.addr.text_in(&self.strings),
            Slot::Agent => self.agents.text(e.agent),
            _ => Text::Str(self.strings.resolve(self.sym(e, f))),
        }
    }

    /// A symbol field's text, borrowed from the index (not `Field::Ip`, whose IPv4 addresses
    /// have no text held, nor `Field::UserAgent`, which may be deflated: `field`).
    pub fn text(&self, e: &Event, f: Field) -> &str {
        debug_assert!(!matches!(f.slot(), Slot::Addr | Slot::Agent), "read with Index::field");
        self.strings.resolve(self.sym(e, f))
    }

    /// An agent's text (`SessionUsage::user_agents` holds their symbols).
    pub fn agent(&self, s: Sym) -> Text<'_> {
        self.agents.text(s)
    }

    /// An address's text.
    pub fn addr(&self, a: Addr) -> Text<'_> {
        a.text_in(&self.strings)
    }

    pub fn event_id(&self, e: &Event) -> String {
        e.id.to_string(&self.strings)
    }

    pub fn detail(&self, e: &Event) -> Option<&Detail> {
        self.details.get(e.detail as usize)
    }

    pub fn time_range(&self) -> Option<(Millis, Millis)> {
        Some((self.events.first()?.time, self.events.last()?.time))
    }

    /// Positions of events in [since, until), by binary search on time.
    pub fn time_span(&self, since: Option<Millis>, until: Option<Millis>) -> std::ops::Range<usize> {
        let lo = since.map_or(0, |t| self.events.partition_point(|e| e.time < t));
        let hi = until.map_or(self.events.len(), |t| self.events.partition_point(|e| e.time < t));
        lo..hi.max(lo)
    }

    /// The position of the event with this time and id, if it is in the index.
    pub fn find_event(&self, time: Millis, id: &str) -> Option<usize> {
        self.time_span(Some(time), Some(time.saturating_add(1))).find(|&i| self.event_id(&self.events[i]) == id)
    }

    /// Event positions matching a query, in time order.
    pub fn select(&self, q: &Query) -> Vec<u32> {
        let want = |s: &Option<String>| match s {
            None => Some(None),
            Some(v) => self.strings.get(v).map(Some),
        };
        let (Some(key), Some(principal)) = (want(&q.key), want(&q.principal)) else {
            return Vec::new(); // a value never seen matches nothing
        };
        // Event names match in any case: every spelling the logs hold of the one asked for.
        let names: Option<Vec<Sym>> = q.name.as_ref().map(|n| {
            let mut v: Vec<Sym> =
                self.calls.iter().map(|c| c[0]).filter(|&s| self.str(s).eq_ignore_ascii_case(n)).collect();
            v.sort_unstable();
            v.dedup();
            v
        });
        if names.as_ref().is_some_and(Vec::is_empty) {
            return Vec::new();
        }
        let ip = match q.ip.as_deref() {
            None => None,
            Some(v) => match cidr::Cidr::parse(v) {
                Some(Ok(block)) => Some(AddressIs::In(cidr::BlockTest::new(block, &self.strings))),
                Some(Err(_)) => return Vec::new(), // no block: the caller says why
                None => match addr::Addr::find(v, &self.strings) {
                    Some(a) => Some(AddressIs::Exactly(a)),
                    None => return Vec::new(),
                },
            },
        };
        let span = self.time_span(q.since, q.until);
        let ok = |e: &Event| {
            key.is_none_or(|k| self.sym(e, Field::Key) == k)
                && principal.is_none_or(|p| self.sym(e, Field::Principal) == p)
                && names.as_ref().is_none_or(|n| n.contains(&self.sym(e, Field::Name)))
                && ip.as_ref().is_none_or(|ip| match ip {
                    AddressIs::Exactly(a) => e.source_ip() == *a,
                    AddressIs::In(block) => block.holds(e.source_ip()),
                })
        };
        let start = span.start;
        self.events[span].iter().enumerate().filter(|(_, e)| ok(e)).map(|(i, _)| (start + i) as u32).collect()
    }

    /// Sessions whose access key id is `key`.
    pub fn sessions_with_key(&self, key: &str) -> Vec<usize> {
        let Some(k) = self.strings.get(key) else { return Vec::new() };
        (0..self.sessions.len()).filter(|&i| self.sessions[i].id.key == k).collect()
    }

    /// Approximate bytes held by the index (events, strings, sessions, postings, details).
    pub fn heap_bytes(&self) -> usize {
        self.events.capacity() * std::mem::size_of::<Event>()
            + self.calls.capacity() * std::mem::size_of::<[Sym; 4]>()
            + self.signers.capacity() * std::mem::size_of::<[Sym; 6]>()
            + self.strings.heap_bytes()
            + self.agents.heap_bytes()
            + self.details.capacity() * std::mem::size_of::<Detail>()
            + self.sessions.capacity() * std::mem::size_of::<SessionInfo>()
            + self
                .usage
                .iter()
                .map(|u| (u.events.capacity() + u.ips.capacity() + u.user_agents.capacity()) * 4)
                .sum::<usize>()
            + self.usage.capacity() * std::mem::size_of::<SessionUsage>()
            + self.with_detail.capacity() * 4
    }
}
