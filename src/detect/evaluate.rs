//! Rules over the loaded events. Each event is given only to the rules that can match it
//! (`needs`). A rule that reads only fields the index holds as written is decided from the
//! index (`decided`) for the events it holds them of. For the rest the events are read again
//! — each source file once, on as many threads as there are cores, its events evaluated as it
//! is read (memory stays one file's worth a thread) — and cut down to what their rules read.

use super::decided::Decided;
use super::{Hit, RuleSet};
use crate::index::Index;
use crate::index::event::{Event, Field};
use crate::model::Model;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the rules found, and how many events they could not be given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Every (rule, event) that matches, in event order.
    pub hits: Vec<Hit>,
    /// Events some rule could match whose text could not be read again (their file is gone
    /// or changed, or the record is not there): no rule was evaluated on them.
    pub unreadable: usize,
}

impl RuleSet {
    pub fn evaluate(&self, m: &Model) -> Evaluation {
        self.evaluate_with(m, true)
    }

    /// The same, every rule on every whole event: what `evaluate` must agree with (tests).
    pub fn evaluate_all(&self, m: &Model) -> Evaluation {
        self.evaluate_with(m, false)
    }

    fn evaluate_with(&self, m: &Model, sift: bool) -> Evaluation {
        let every: Vec<u32> = (0..self.rules.len()).filter_map(|r| u32::try_from(r).ok()).collect();
        // Per distinct call: the rules its name and source allow.
        let by_call: Vec<Vec<u32>> =
            m.ix.calls
                .iter()
                .map(|call| {
                    if !sift {
                        return every.clone();
                    }
                    let value = |f: Field| {
                        let at = crate::index::event::CALL_FIELDS.iter().position(|c| *c == f);
                        at.map_or("", |i| m.ix.str(call[i]))
                    };
                    every.iter().copied().filter(|&r| self.rules[r as usize].call_needs.admit(value)).collect()
                })
                .collect();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
        let chunk = m.ix.events.len().div_ceil(threads).max(1);
        let parts: Vec<Sifted> = std::thread::scope(|scope| {
            let workers: Vec<_> =
                m.ix.events
                    .chunks(chunk)
                    .enumerate()
                    .map(|(n, events)| {
                        let by_call = &by_call;
                        scope.spawn(move || self.sift(&m.ix, events, n * chunk, by_call, sift))
                    })
                    .collect();
            workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        // Per source: its queued events (ordinal, position, set of rules); each distinct set
        // once, with the fields its rules read (all of the event if one reads all, or when
        // not sifting).
        let reads_of = |rules: &[u32]| -> Option<Vec<String>> {
            if !sift {
                return None;
            }
            let mut all = Vec::new();
            for &r in rules {
                all.extend(self.rules[r as usize].reads.as_ref()?.iter().cloned());
            }
            all.sort();
            all.dedup();
            Some(all)
        };
        let mut sets: Vec<(Vec<u32>, Option<Vec<String>>)> = Vec::new();
        let mut numbered: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
        let mut by_file: Vec<Vec<(u32, usize, u32)>> = vec![Vec::new(); m.sources.len()];
        let mut hits = Vec::new();
        for part in parts {
            let global: Vec<u32> = part
                .sets
                .into_iter()
                .map(|rules| {
                    *numbered.entry(rules).or_insert_with_key(|rules| {
                        sets.push((rules.clone(), reads_of(rules)));
                        (sets.len() - 1) as u32
                    })
                })
                .collect();
            for (file, ordinal, pos, set) in part.queued {
                if let Some(f) = by_file.get_mut(file as usize) {
                    f.push((ordinal, pos, global[set as usize]));
                }
            }
            hits.extend(part.hits);
        }
        let (mut found, unreadable) = self.on_text(m, &by_file, &sets, threads);
        hits.append(&mut found);
        hits.sort_by_key(|h| (h.event, h.rule));
        Evaluation { hits, unreadable }
    }

    /// One thread's share of the events (`events`, from position `first`): the rules each
    /// can match, those the index decides decided, the others queued for the text.
    fn sift(&self, ix: &Index, events: &[Event], first: usize, by_call: &[Vec<u32>], sift: bool) -> Sifted {
        let mut out = Sifted::default();
        let mut decided = Decided::new(self.rules.len());
        let mut later: Vec<u32> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            let pos = first + i;
            let written = sift && e.raw.as_written();
            later.clear();
            for &r in by_call.get(e.call_id()).map_or(&[][..], Vec::as_slice) {
                let rule = &self.rules[r as usize];
                if sift && !rule.other_needs.admit(|f| ix.field(e, f)) {
                    continue;
                }
                match &rule.from_index {
                    Some(fields) if written => {
                        if decided.matches(rule, r, fields, ix, e) {
                            out.hits.push(Hit { rule: r as usize, event: pos });
                        }
                    }
                    _ => later.push(r),
                }
            }
            if !later.is_empty() {
                let set = out.set_of(&later);
                out.queued.push((e.raw.file, e.raw.ordinal(), pos, set));
            }
        }
        out
    }

    /// The queued events, read again (`by_file`: per source, ordinal, position and set of
    /// rules): their hits, and how many could not be read.
    fn on_text(
        &self,
        m: &Model,
        by_file: &[Vec<(u32, usize, u32)>],
        sets: &[(Vec<u32>, Option<Vec<String>>)],
        threads: usize,
    ) -> (Vec<Hit>, usize) {
        let next = AtomicUsize::new(0);
        let threads = threads.min(by_file.len()).max(1);
        let results: Vec<(Vec<Hit>, usize)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let (mut found, mut unreadable) = (Vec::new(), 0);
                        let mut reader = crate::loader::source::Reader::default();
                        loop {
                            let file = next.fetch_add(1, Ordering::Relaxed);
                            let Some(events) = by_file.get(file) else { break };
                            if events.is_empty() {
                                continue;
                            }
                            let read = crate::loader::with_records(&m.sources, file, &mut reader, |records| {
                                for &(ordinal, pos, set) in events {
                                    let Some(raw) = records.get(ordinal as usize) else {
                                        unreadable += 1;
                                        continue;
                                    };
                                    let (rules, reads) = &sets[set as usize];
                                    let Some(event) = super::projection::event(raw, reads.as_deref()) else {
                                        continue;
                                    };
                                    for &r in rules {
                                        if self.rules[r as usize].rule.is_match(&event) {
                                            found.push(Hit { rule: r as usize, event: pos });
                                        }
                                    }
                                }
                            });
                            if read.is_err() {
                                unreadable += events.len();
                            }
                        }
                        (found, unreadable)
                    })
                })
                .collect();
            // A worker that panicked panics here: its hits are not dropped without a word.
            workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        let unreadable = results.iter().map(|r| r.1).sum();
        (results.into_iter().flat_map(|r| r.0).collect(), unreadable)
    }
}

/// What one thread of the sifting found: the hits decided from the index, and the events
/// left for their text (source, ordinal, position, set of rules in `sets`).
#[derive(Default)]
struct Sifted {
    hits: Vec<Hit>,
    queued: Vec<(u32, u32, usize, u32)>,
    sets: Vec<Vec<u32>>,
    numbered: FxHashMap<Vec<u32>, u32>,
}

impl Sifted {
    fn set_of(&mut self, rules: &[u32]) -> u32 {
        if let Some(&n) = self.numbered.get(rules) {
            return n;
        }
        self.sets.push(rules.to_vec());
        let n = (self.sets.len() - 1) as u32;
        self.numbered.insert(rules.to_vec(), n);
        n
    }
}
