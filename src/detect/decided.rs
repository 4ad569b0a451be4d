//! Rules decided from the index: a rule that reads only fields the index holds as written
//! (`index::event::AS_WRITTEN`) is evaluated on the event the index holds of a record whose
//! fields it holds as written (`RawRef::as_written`) — the same event the text would be cut
//! down to (`from_index`). What a rule answered is kept per distinct value of
//! the fields it reads (calls and signers are few). A field the rule only compares for
//! plain equality gives the same answer for every value it does not name, so those values
//! count as one (`Read::named`): an address per event then costs nothing. A rule whose
//! fields still take a new value at almost every event (an agent it searches) is no longer
//! kept.

use super::LoadedRule;
use super::needs::{Want, lowered};
use crate::index::Index;
use crate::index::event::{AS_WRITTEN, Event, Field};
use crate::redact;
use rustc_hash::FxHashMap;
use serde_json::Value;

/// A field a rule decided from the index reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Read {
    /// Its Sigma name.
    pub name: String,
    pub field: Field,
    /// Its position in `AS_WRITTEN` (and in a memo key).
    at: usize,
    /// When the rule compares it only for plain equality (no modifier, no wildcard, no field
    /// refers to it): the values it compares it with. Any value not among them gives the
    /// same answer.
    named: Option<Vec<Want>>,
}

/// The fields a rule reads (`names`, from its `detection`), when all of them are fields the
/// index holds as written.
pub fn reads(detection: &serde_norway::Mapping, names: &[String]) -> Option<Vec<Read>> {
    let compared = super::selection_fields(detection);
    names
        .iter()
        .map(|n| {
            let at = AS_WRITTEN.iter().position(|(w, _)| w == n)?;
            Some(Read {
                name: n.clone(),
                field: AS_WRITTEN[at].1,
                at,
                named: compared.as_deref().and_then(|c| named(c, n)),
            })
        })
        .collect()
}

/// The values a detection's selection fields (`compared`) compare `name` with, when they do
/// so only for plain equality.
fn named(compared: &[(&str, Vec<&serde_norway::Value>)], name: &str) -> Option<Vec<Want>> {
    let mut out = Vec::new();
    for (key, values) in compared {
        if key.contains("fieldref") {
            return None; // a field compared with another's value
        }
        if *key != name {
            if key.split('|').next() == Some(name) {
                return None; // a modifier
            }
            continue;
        }
        for v in values {
            let text = v.as_str().filter(|t| !t.is_empty() && !t.contains(['*', '?', '\\']))?;
            out.push(Want::Is(lowered(text)));
        }
    }
    Some(out)
}

/// A code no value has (`Index::code`): every value a rule does not name.
const UNNAMED: u32 = crate::index::addr::NO_CODE;

/// One thread's memo of what each rule answered.
pub struct Decided {
    memo: FxHashMap<(u32, [u32; AS_WRITTEN.len()]), bool>,
    /// Per rule (by position): (answers looked up, answers found).
    tries: Vec<(u32, u32)>,
}

/// Answers kept before the memo starts again.
const MEMO_LIMIT: usize = 1 << 16;
/// After this many look-ups a rule that found fewer than one answer in `KEEP_RATIO` kept
/// is evaluated without the memo.
const JUDGED_AFTER: u32 = 4096;
const KEEP_RATIO: u32 = 4;

impl Decided {
    /// A memo for a set of `rules` rules.
    pub fn new(rules: usize) -> Decided {
        Decided { memo: FxHashMap::default(), tries: vec![(0, 0); rules] }
    }

    /// Whether rule `r` (reading `fields`) matches `e`.
    pub fn matches(&mut self, rule: &LoadedRule, r: u32, fields: &[Read], ix: &Index, e: &Event) -> bool {
        let Some((tried, found)) = self.tries.get_mut(r as usize) else { return evaluate(rule, fields, ix, e) };
        if *tried >= JUDGED_AFTER && *found * KEEP_RATIO < *tried {
            return evaluate(rule, fields, ix, e);
        }
        let mut key = [0; AS_WRITTEN.len()];
        for read in fields {
            let code = ix.code(e, read.field);
            key[read.at] = match &read.named {
                Some(named) if !ix.is_empty(e, read.field) => {
                    // The text once (an address is written out), for every value the rule names.
                    let text = ix.field(e, read.field);
                    if named.iter().any(|n| n.admits(&text)) { code } else { UNNAMED }
                }
                _ => code,
            };
        }
        *tried += 1;
        if let Some(&answer) = self.memo.get(&(r, key)) {
            *found += 1;
            return answer;
        }
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        let answer = evaluate(rule, fields, ix, e);
        self.memo.insert((r, key), answer);
        answer
    }
}

fn evaluate(rule: &LoadedRule, fields: &[Read], ix: &Index, e: &Event) -> bool {
    from_index(ix, e, fields).is_some_and(|event| rule.rule.is_match(&event))
}

/// The event as the engine sees it holding only `fields`, each taken from the index: for an
/// event whose fields the index holds as written (`RawRef::as_written`), the same event as
/// `projection::event` cuts from its text (each value redacted as there, under the keys on its way).
fn from_index(ix: &Index, e: &Event, fields: &[Read]) -> Option<sigma_rust::Event> {
    let mut cut = serde_json::Map::new();
    for Read { name, field, .. } in fields {
        if ix.is_empty(e, *field) {
            continue;
        }
        let keys: Vec<&str> = name.split('.').collect();
        if let Some(part) = redact::redact_part(&keys, Value::String(ix.field(e, *field).to_string())) {
            cut.insert(name.clone(), part);
        }
    }
    sigma_rust::Event::try_from(Value::Object(cut)).ok()
}
