//! Merges worker batches into one index: global interning, dedupe on eventID, sessions.

use super::Index;
use super::detail::Detail;
use super::event::{Event, FIELD_COUNT, Field, NO_DETAIL, NO_SESSION, RawRef};
use super::event_id::EventId;
use super::intern::{Interner, Sym};
use super::session::{SessionInfo, SessionKey};
use crate::loader::parse::Batch;
use crate::loader::report::LoadReport;
use crate::loader::source::Source;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};

#[derive(Default, Clone)]
pub struct IndexBuilder {
    strings: Interner,
    events: Vec<Event>,
    details: Vec<Detail>,
    /// eventID → a fingerprint of the event's content, to tell re-deliveries from reused ids.
    seen: FxHashMap<EventId, u64>,
    session_ids: FxHashMap<SessionKey, u32>,
    /// Per worker: its interner's symbols → global symbols, grown by each batch's new strings.
    tables: Vec<Vec<Sym>>,
    sessions: Vec<SessionInfo>,
    pub report: LoadReport,
}

impl IndexBuilder {
    /// Merges one file's batch, parsed by `worker`, whose interner gained `new_strings` since
    /// that worker's previous batch (a worker's batches must arrive in the order it made them).
    pub fn add(&mut self, file: u32, path: &str, worker: usize, new_strings: &[Box<str>], mut batch: Batch) {
        self.report.add_file(path, &batch.status, &batch.tally);
        if self.tables.len() <= worker {
            self.tables.resize_with(worker + 1, || vec![Sym::NONE]);
        }
        let mut table = std::mem::take(&mut self.tables[worker]);
        table.extend(new_strings.iter().map(|s| self.strings.intern(s)));
        self.add_events(file, &table, &mut batch);
        self.tables[worker] = table;
    }

    fn add_events(&mut self, file: u32, table: &[Sym], batch: &mut Batch) {
        let map = |s: Sym| table.get(s.0 as usize).copied().unwrap_or(Sym::NONE);
        for le in batch.events.drain(..) {
            let id = match le.id.as_sym() {
                Some(local) => EventId::from_sym(map(local)),
                None => le.id,
            };
            let mut fields = [Sym::NONE; FIELD_COUNT];
            for (f, l) in fields.iter_mut().zip(le.fields) {
                *f = map(l);
            }
            let print = fingerprint(le.time, &fields);
            match self.seen.insert(id, print) {
                Some(p) if p == print => {
                    self.report.duplicates += 1;
                    continue;
                }
                // Same eventID, different event (documentation and test data reuse ids): keep both.
                Some(_) => self.report.reused_ids += 1,
                None => {}
            }
            let session = self.session_of(&fields, &le, &map);
            let detail = match le.detail {
                Some(mut d) => {
                    d.remap(table);
                    self.details.push(*d);
                    (self.details.len() - 1) as u32
                }
                None => NO_DETAIL,
            };
            self.report.indexed += 1;
            self.events.push(Event {
                time: le.time,
                id,
                fields,
                session,
                detail,
                raw: RawRef { file, ordinal: le.ordinal },
            });
        }
    }

    fn session_of(
        &mut self,
        fields: &[Sym; FIELD_COUNT],
        le: &crate::loader::parse::LocalEvent,
        map: &impl Fn(Sym) -> Sym,
    ) -> u32 {
        let key = fields[Field::Key as usize];
        let principal = fields[Field::Principal as usize];
        if key.is_none() && (le.creation.is_none() || principal.is_none()) {
            return NO_SESSION;
        }
        let id = SessionKey { key, creation: le.creation, principal };
        let next = self.sessions.len() as u32;
        let n = *self.session_ids.entry(id).or_insert(next);
        if n == next {
            self.sessions.push(SessionInfo {
                id,
                identity_type: fields[Field::IdentityType as usize],
                user_name: map(le.user_name),
                issuer_arn: map(le.issuer_arn),
                account: fields[Field::Account as usize],
                service_delivered: le.service_delivered,
            });
        } else if le.service_delivered {
            self.sessions[n as usize].service_delivered = true;
        }
        n
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// An index of what has been merged so far, for browsing while the load goes on.
    pub fn snapshot(&self, sources: &[Source]) -> Index {
        self.clone().finish(sources.to_vec())
    }

    pub fn finish(mut self, sources: Vec<Source>) -> Index {
        // Ordered by (eventTime, eventID): issuance may be logged after first use. Ties (ids
        // reused by different events) fall back to where the record was read.
        let strings = &self.strings;
        self.events.sort_unstable_by(|a, b| {
            a.time
                .cmp(&b.time)
                .then_with(|| match (a.id.as_sym(), b.id.as_sym()) {
                    (None, None) => a.id.cmp(&b.id),
                    _ => a.id.to_string(strings).cmp(&b.id.to_string(strings)),
                })
                .then_with(|| (a.raw.file, a.raw.ordinal).cmp(&(b.raw.file, b.raw.ordinal)))
        });
        self.events.shrink_to_fit();
        // Workers finish in any order: number sessions by first use so results are repeatable.
        let mut renumber = vec![NO_SESSION; self.sessions.len()];
        let mut order = Vec::with_capacity(self.sessions.len());
        for e in &mut self.events {
            if let Some(s) = e.session() {
                if renumber[s] == NO_SESSION {
                    renumber[s] = order.len() as u32;
                    order.push(s);
                }
                e.session = renumber[s];
            }
        }
        let mut old: Vec<Option<SessionInfo>> = self.sessions.into_iter().map(Some).collect();
        let sessions: Vec<SessionInfo> = order.into_iter().filter_map(|s| old[s].take()).collect();
        Index::new(self.strings, self.events, self.details, sessions, sources, self.report)
    }
}

fn fingerprint(time: crate::time::Millis, fields: &[Sym; FIELD_COUNT]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    time.hash(&mut h);
    fields.hash(&mut h);
    h.finish()
}
