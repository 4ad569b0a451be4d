//! Rules over the loaded events. Only the events some rule can match (`needs`) are read
//! again — each source file once, on as many threads as there are cores, its events
//! evaluated as it is read (memory stays one file's worth a thread) — and each is given only
//! to the rules that can match it.

use super::{Hit, RuleSet};
use crate::index::Index;
use crate::index::event::{Event, Field};
use crate::model::Model;
use std::collections::HashMap;
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
        let by_call: Vec<Vec<u32>> = if sift {
            let ix = &m.ix;
            ix.calls
                .iter()
                .map(|call| {
                    let value = |f: Field| {
                        let at = crate::index::event::CALL_FIELDS.iter().position(|c| *c == f);
                        at.map_or("", |i| ix.str(call[i]))
                    };
                    every.iter().copied().filter(|&r| self.rules[r as usize].call_needs.admit(value)).collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let candidates = |ix: &Index, e: &Event| -> Vec<u32> {
            if !sift {
                return every.clone();
            }
            let call = by_call.get(e.call as usize).map_or(&[][..], Vec::as_slice);
            call.iter().copied().filter(|&r| self.rules[r as usize].other_needs.admit(|f| ix.field(e, f))).collect()
        };
        // What an event is cut down to: the fields its rules read (all of it if one reads all,
        // or when not sifting).
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
        // Per source: its events that some rule can match (ordinal, position, which set of
        // rules); each distinct set of rules once, with the fields they read.
        let mut sets: Vec<(Vec<u32>, Option<Vec<String>>)> = Vec::new();
        let mut set_of: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut by_file: Vec<Vec<(u32, usize, u32)>> = vec![Vec::new(); m.sources.len()];
        for (pos, e) in m.ix.events.iter().enumerate() {
            let Some(f) = by_file.get_mut(e.raw.file as usize) else { continue };
            let rules = candidates(&m.ix, e);
            if rules.is_empty() {
                continue;
            }
            let set = *set_of.entry(rules).or_insert_with_key(|rules| {
                sets.push((rules.clone(), reads_of(rules)));
                (sets.len() - 1) as u32
            });
            f.push((e.raw.ordinal, pos, set));
        }
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(by_file.len()).max(1);
        let results: Vec<(Vec<Hit>, usize)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let (mut found, mut unreadable) = (Vec::new(), 0);
                        loop {
                            let file = next.fetch_add(1, Ordering::Relaxed);
                            let Some(events) = by_file.get(file) else { break };
                            if events.is_empty() {
                                continue;
                            }
                            let Ok(records) = crate::loader::records_of(&m.sources, file) else {
                                unreadable += events.len();
                                continue;
                            };
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
                        }
                        (found, unreadable)
                    })
                })
                .collect();
            // A worker that panicked panics here: its hits are not dropped without a word.
            workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        let unreadable = results.iter().map(|r| r.1).sum();
        let mut hits: Vec<Hit> = results.into_iter().flat_map(|r| r.0).collect();
        hits.sort_by_key(|h| (h.event, h.rule));
        Evaluation { hits, unreadable }
    }
}
