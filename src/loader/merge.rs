//! Merges worker batches into one index (loading work: the index only holds the result): global interning, sessions, and (after the sort)
//! dedupe on eventID + content.

use super::Loaded;
use super::extract::Batch;
use super::local::Grown;
use super::report::LoadReport;
use super::source::Source;
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::{CALL_FIELDS, ERROR_BIT, Event, Field, NO_DETAIL, NO_SESSION, RawRef, SIGNER_FIELDS};
use crate::index::event_id::EventId;
use crate::index::intern::{Interner, Sym};
use crate::index::order::{Orderer, name_time};
use crate::index::session::{Marks, SessionInfo, SessionKey};
use crate::index::usage::Usage;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

#[derive(Default, Clone)]
pub struct IndexBuilder {
    strings: Interner,
    /// User agents, apart (`index::agents`).
    agents: Interner,
    events: Vec<Event>,
    /// Every event's id, hashed to 32 bits (kept apart, so that ids that may be shared can
    /// be marked on another core while `finish` orders the events; 4 bytes an event, where
    /// the ids themselves held 16 until the end of the load).
    id_hashes: Vec<u32>,
    details: Vec<Detail>,
    /// The distinct calls and signers, and their numbers (`index::event`).
    calls: Table<4>,
    signers: Table<6>,
    /// Puts events in time order as files arrive (see `order`).
    order: Orderer,
    session_ids: FxHashMap<SessionKey, u32>,
    sessions: Vec<SessionInfo>,
    /// Per worker: its local numbering → the index's, for strings and for sessions.
    tables: Vec<Tables>,
    /// Only the events in it are indexed.
    window: super::Window,
    pub report: LoadReport,
}

/// Distinct tuples of interned fields, numbered in the order met.
#[derive(Clone, Default)]
struct Table<const N: usize> {
    rows: Vec<[Sym; N]>,
    ids: FxHashMap<[Sym; N], u32>,
}

impl<const N: usize> Table<N> {
    fn id(&mut self, row: [Sym; N]) -> u32 {
        let next = self.rows.len() as u32;
        let id = *self.ids.entry(row).or_insert(next);
        if id == next {
            self.rows.push(row);
        }
        id
    }
}

#[derive(Clone, Default)]
struct Tables {
    strings: Vec<Sym>,
    agents: Vec<Sym>,
    sessions: Vec<u32>,
}

impl Tables {
    /// A worker's numbering when it starts (its empty strings are the index's).
    fn start() -> Tables {
        Tables { strings: vec![Sym::NONE], agents: vec![Sym::NONE], sessions: Vec::new() }
    }
}

impl IndexBuilder {
    /// A builder that indexes only the events in `window`.
    pub fn within(window: super::Window) -> IndexBuilder {
        let mut b = IndexBuilder { window, ..IndexBuilder::default() };
        b.report.window = !window.is_all();
        b
    }

    /// Merges one file's batch, parsed by `worker`, whose tables gained `grown` since that
    /// worker's previous batch (a worker's batches must arrive in the order it made them).
    /// Only table look-ups per event: duplicates are found after the sort, in `finish`.
    pub fn add(&mut self, file: u32, path: &str, worker: usize, grown: Grown, mut batch: Batch) {
        self.report.add_file(path, &batch.status, &batch.tally);
        if self.tables.len() <= worker {
            self.tables.resize_with(worker + 1, Tables::start);
        }
        let mut t = std::mem::take(&mut self.tables[worker]);
        if grown.reset {
            t = Tables::start();
        }
        let mut file_events = self.order.file_buffer();
        t.strings.extend(self.strings.intern_run(&grown.strings));
        t.agents.extend(self.agents.intern_run(&grown.agents));
        let map = |s: Sym| t.strings.get(s.0 as usize).copied().unwrap_or(Sym::NONE);
        for local in grown.sessions {
            let info = SessionInfo {
                id: SessionKey {
                    key: map(local.id.key),
                    creation: local.id.creation,
                    principal: map(local.id.principal),
                },
                identity_type: map(local.identity_type),
                user_name: map(local.user_name),
                issuer_arn: map(local.issuer_arn),
                source_identity: map(local.source_identity),
                on_behalf_of: map(local.on_behalf_of),
                account: map(local.account),
                marks: local.marks,
            };
            let next = self.sessions.len() as u32;
            let n = *self.session_ids.entry(info.id).or_insert(next);
            if n == next {
                self.sessions.push(info);
            }
            t.sessions.push(n);
        }
        for le in batch.events.drain(..) {
            if !self.window.contains(le.time) {
                self.report.outside_window += 1;
                continue;
            }
            let id = match le.id.as_sym() {
                Some(local) => EventId::from_sym(map(local)),
                None => le.id,
            };
            let field = |f: Field| map(le.fields[f as usize]);
            let error = if field(Field::Error).is_none() { 0 } else { ERROR_BIT };
            let call = self.calls.id(CALL_FIELDS.map(field)) | error;
            let signer = self.signers.id(SIGNER_FIELDS.map(field));
            let session = t.sessions.get(le.session as usize).copied().unwrap_or(NO_SESSION);
            if le.marks != Marks::default() && session != NO_SESSION {
                let s = &mut self.sessions[session as usize];
                s.marks = s.marks.with(le.marks);
            }
            let detail = match le.detail {
                Some(mut d) => {
                    d.remap(&t.strings);
                    self.details.push(*d);
                    (self.details.len() - 1) as u32
                }
                None => NO_DETAIL,
            };
            self.report.indexed += 1;
            self.id_hashes.push(id_hash(id));
            file_events.push(Event {
                time: le.time,
                id,
                call,
                signer,
                addr: le.addr.map(map),
                agent: t.agents.get(le.fields[Field::UserAgent as usize].0 as usize).copied().unwrap_or(Sym::NONE),
                session,
                detail,
                raw: RawRef::new(file, le.ordinal, le.as_written),
            });
        }
        self.tables[worker] = t;
        let order = event_order(&self.strings);
        // The worker sorted by its own numbering of interned ids; the index's may differ.
        sort_unless_sorted(&mut file_events, &order);
        self.order.add(file_events, name_time(path), &order, &mut self.events);
    }

    pub fn event_count(&self) -> usize {
        self.events.len() + self.order.held()
    }

    /// An index of what has been merged so far, for browsing while the load goes on.
    pub fn snapshot(&self, sources: &[Source]) -> Loaded {
        self.clone().finish(sources.to_vec())
    }

    pub fn finish(mut self, sources: Vec<Source>) -> Loaded {
        // Meanwhile, on the other core, the ids that may be shared are marked.
        let hashes = std::mem::take(&mut self.id_hashes);
        let (maybe_shared, (duplicates, first_use, usage)) = std::thread::scope(|scope| {
            let marks = scope.spawn(move || SeenAgain::of(&hashes));
            let order = event_order(&self.strings);
            self.order.drain(&order, &mut self.events);
            self.events.extend(self.order.take_late(&order));
            // Already in order unless files came without a time in their name or with events
            // later than assumed; then a run-adaptive sort finishes the job.
            sort_unless_sorted(&mut self.events, &order);
            let compacted = compact(&mut self.events, self.sessions.len());
            (marks.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), compacted)
        });
        self.report.duplicates += duplicates;
        self.report.indexed -= duplicates;
        // Duplicates are gone: the pairs left are different events with one id.
        self.report.reused_ids += shared_id_pairs(&self.events, &maybe_shared);
        self.events.shrink_to_fit();
        self.strings.shrink_to_fit();
        self.agents.shrink_to_fit();
        let mut old: Vec<Option<SessionInfo>> = self.sessions.into_iter().map(Some).collect();
        let sessions: Vec<SessionInfo> = first_use.into_iter().filter_map(|s| old[s as usize].take()).collect();
        let mut tables = (self.calls.rows, self.signers.rows);
        tables.0.shrink_to_fit();
        tables.1.shrink_to_fit();
        let ix = Index::new((self.strings, self.agents), self.events, tables, self.details, sessions, usage);
        Loaded { ix, sources, report: self.report }
    }
}

/// The index's order: by (eventTime, eventID), as issuance may be logged after first use.
/// Ties (ids reused by different events) fall back to where the record was read.
fn event_order(strings: &Interner) -> impl Fn(&Event, &Event) -> Ordering + '_ {
    move |a: &Event, b: &Event| {
        a.time
            .cmp(&b.time)
            .then_with(|| match (a.id.as_sym(), b.id.as_sym()) {
                (None, None) => a.id.cmp(&b.id),
                _ => a.id.to_string(strings).cmp(&b.id.to_string(strings)),
            })
            .then_with(|| (a.raw.file, a.raw.ordinal()).cmp(&(b.raw.file, b.raw.ordinal())))
    }
}

/// Sorts `events` by `order` if they are not already in it (a check is one comparison an event).
fn sort_unless_sorted(events: &mut [Event], order: &impl Fn(&Event, &Event) -> Ordering) {
    if !events.is_sorted_by(|a, b| order(a, b) != Ordering::Greater) {
        events.sort_by(order);
    }
}

/// One pass over the sorted events: drops duplicates (see `is_duplicate`), numbers sessions
/// by first use (workers finish in any order; this makes results repeatable) and gathers
/// what each session did. Returns how many events were dropped, the old session numbers in
/// their new order, and the usage.
fn compact(events: &mut Vec<Event>, sessions: usize) -> (usize, Vec<u32>, Usage) {
    let mut renumber = vec![NO_SESSION; sessions];
    let mut first_use = Vec::with_capacity(sessions);
    let mut usage = Usage::default();
    let mut kept = 0;
    let mut run = 0; // where the kept events of the current (time, id) begin
    for i in 0..events.len() {
        let mut e = events[i];
        if kept > 0 && (events[run].time, events[run].id) != (e.time, e.id) {
            run = kept;
        }
        if run < kept && is_duplicate(&events[run..kept], &e) {
            continue;
        }
        if let Some(s) = e.session() {
            if renumber[s] == NO_SESSION {
                renumber[s] = first_use.len() as u32;
                first_use.push(s as u32);
            }
            e.session = renumber[s];
        }
        usage.add(kept as u32, &e);
        events[kept] = e;
        kept += 1;
    }
    let dropped = events.len() - kept;
    events.truncate(kept);
    (dropped, first_use, usage)
}

/// An event id's 32-bit hash.
fn id_hash(id: EventId) -> u32 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

/// The hashes seen more than once, each as one bit of a table of about 16 bits an id:
/// every id held by more than one event is marked, and by chance about one other in 16.
struct SeenAgain {
    bits: Vec<u64>,
    shift: u32,
}

impl SeenAgain {
    fn of(hashes: &[u32]) -> SeenAgain {
        let bits = (hashes.len() * 16).next_power_of_two().clamp(64, 1 << 32);
        let shift = 32 - bits.trailing_zeros();
        let (mut once, mut again) = (vec![0u64; bits / 64], vec![0u64; bits / 64]);
        for &h in hashes {
            let (w, m) = slot(h, shift);
            again[w] |= once[w] & m;
            once[w] |= m;
        }
        SeenAgain { bits: again, shift }
    }

    fn holds(&self, h: u32) -> bool {
        let (w, m) = slot(h, self.shift);
        self.bits.get(w).is_some_and(|b| b & m != 0)
    }
}

/// A hash's word and bit in a table of `2^(32 - shift)` bits.
fn slot(h: u32, shift: u32) -> (usize, u64) {
    let b = (u64::from(h) >> shift) as usize;
    (b / 64, 1u64 << (b % 64))
}

/// How many neighbouring pairs the events' ids would make if sorted (n - 1 for an id held
/// by n events), without sorting them all: only the ids `maybe` marks are sorted.
fn shared_id_pairs(events: &[Event], maybe: &SeenAgain) -> usize {
    let mut ids: Vec<EventId> = events.iter().map(|e| e.id).filter(|&id| maybe.holds(id_hash(id))).collect();
    ids.sort_unstable();
    ids.windows(2).filter(|w| w[0] == w[1]).count()
}

/// A re-delivery: an event whose id, time and content match one already kept. In events
/// sorted by (time, id) such events are neighbours, apart from other events with the same
/// id and time: `kept` are the kept events with `e`'s time and id. The first read is kept.
fn is_duplicate(kept: &[Event], e: &Event) -> bool {
    let print = fingerprint(e);
    kept.iter().any(|k| fingerprint(k) == print)
}

fn fingerprint(e: &Event) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    e.time.hash(&mut h);
    (e.call, e.signer, e.addr, e.agent).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::addr::Addr;
    use crate::index::event::RawRef;

    #[test]
    fn compact_drops_redeliveries_numbers_sessions_by_first_use_and_gathers_at_kept_positions() {
        let mut strings = Interner::default();
        let event = |time, id: &str, session, ip, strings: &mut Interner| {
            let (addr, agent) = (Addr::text(Sym(ip)), Sym::NONE);
            let id = EventId::new(id, strings);
            Event {
                time,
                id,
                call: 0,
                signer: 0,
                addr,
                agent,
                session,
                detail: NO_DETAIL,
                raw: RawRef::new(0, 0, false),
            }
        };
        let mut events = vec![
            event(1, "a", 2, 10, &mut strings),
            event(1, "a", 2, 10, &mut strings), // a re-delivery
            event(1, "a", 0, 11, &mut strings), // same id, other content: kept
            event(2, "b", NO_SESSION, 10, &mut strings),
            event(3, "c", 0, 12, &mut strings),
        ];
        let (dropped, first_use, usage) = compact(&mut events, 3);
        assert_eq!(dropped, 1);
        assert_eq!(events.iter().map(|e| e.session).collect::<Vec<_>>(), [0, 1, NO_SESSION, 1]);
        assert_eq!(first_use, [2, 0]); // session 1 is never used: it has no number
        assert_eq!(usage.sessions.len(), 2);
        assert_eq!(usage.sessions[0].events, [0]);
        assert_eq!(usage.sessions[1].events, [1, 3]);
        assert_eq!(usage.sessions[1].ips, [Addr::text(Sym(11)), Addr::text(Sym(12))]);
    }

    #[test]
    fn shared_id_pairs_counts_as_sorting_all_ids_would() {
        let mut seed = 1u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 20
        };
        let mut strings = Interner::default();
        for n in [0, 1, 2, 100, 5000] {
            // A few hundred distinct ids (packed and interned), so most are shared.
            let ids: Vec<EventId> = (0..n)
                .map(|_| match next() % 300 {
                    k if k < 30 => EventId::new(&format!("odd-{k}"), &mut strings),
                    k => EventId::new(&format!("{:08x}-0000-4000-8000-{:012x}", k, k * 7), &mut strings),
                })
                .collect();
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            let want = sorted.windows(2).filter(|w| w[0] == w[1]).count();
            let events: Vec<Event> = ids
                .iter()
                .map(|&id| Event {
                    time: 0,
                    id,
                    call: 0,
                    signer: 0,
                    addr: Addr::NONE,
                    agent: Sym::NONE,
                    session: NO_SESSION,
                    detail: NO_DETAIL,
                    raw: RawRef::new(0, 0, false),
                })
                .collect();
            let hashes: Vec<u32> = ids.iter().map(|&id| id_hash(id)).collect();
            assert_eq!(shared_id_pairs(&events, &SeenAgain::of(&hashes)), want, "{n} ids");
        }
    }
}
