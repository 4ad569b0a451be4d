//! User agents, kept apart from the index's other strings (issue 18). An agent is text an
//! SDK builds per caller (`aws-cli/2.15.0 md/Botocore#1.34.1 ua/2.0 os/linux#6.1.0 …`): a
//! real account has thousands of variants, and a log may carry one per event. Until `freeze`,
//! every agent is interned text (`hot`), numbered as the load met them. `freeze` keeps as
//! text the agents that repeat or are short, and deflates the rest (each seen on one event,
//! at least `COLD_MIN` bytes) in blocks of about `BLOCK` bytes, in event order: a unique agent
//! of ~105 bytes held ~119 (its text, its end, its table slot) and now ~19 (~13 deflated, its
//! end, its block's share of the table of runs; the adversarial 1M shape), and a pass over the
//! events in order inflates each block once. Equal symbols are equal texts, before and after.

mod cold;
mod trigrams;

pub use cold::{Inflated, Run};

use super::field_text::Text;
use super::intern::{Interner, Sym};
use cold::Cold;
use std::ops::Range;

#[derive(Clone, Default)]
pub struct Agents {
    /// Agents held as text: symbols `0..hot.len()`.
    hot: Interner,
    /// Agents deflated: symbols from `hot.len()`, in the order of the events that carry them.
    cold: Cold,
}

/// An agent seen once and at least this long is deflated by `freeze` (a shorter one costs
/// little as text, and deflates poorly alone).
pub const COLD_MIN: usize = 32;
/// Bytes of agents' text a block holds (before deflating): large enough to deflate well and
/// fast (the adversarial shape's agents: 13.1 bytes each at 16 KiB, 14.1 at 8 KiB; 18.0 and
/// 19.2 shuffled; all inflated in 64 and 76 ms on one core), small enough that showing one
/// agent inflates little (~10 µs).
const BLOCK: usize = 16 << 10;
/// Agents to deflate holding less text than this stay as they are: each block costs its
/// trigrams and its place, and a small store gains little.
const COLD_TEXT_MIN: usize = 1 << 20;

impl Agents {
    /// All of `hot`'s strings, as text.
    pub fn new(hot: Interner) -> Agents {
        Agents { hot, cold: Cold::default() }
    }

    /// Distinct agents (the empty one included).
    pub fn len(&self) -> usize {
        self.hot.len() + self.cold.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    /// How many are deflated.
    pub fn cold_len(&self) -> usize {
        self.cold.len()
    }

    /// An agent's text.
    pub fn text(&self, s: Sym) -> Text<'_> {
        match (s.0 as usize).checked_sub(self.hot.len()) {
            None => Text::Str(self.hot.resolve(s)),
            Some(i) => Text::Owned(self.cold.with(i, |t| t.into()).unwrap_or_else(|| "".into())),
        }
    }

    /// The symbol of the agent with this text, if any event carries it (a deflated agent is
    /// found by inflating them all: for a filter's value, not for a loop).
    pub fn get(&self, text: &str) -> Option<Sym> {
        if let Some(s) = self.hot.get(text) {
            return Some(s);
        }
        let mut found = None;
        if text.len() >= COLD_MIN {
            let lower = text.to_ascii_lowercase();
            self.for_each_holding(self.hot.len() as u32..self.len() as u32, &[lower.as_bytes()], |s, t| {
                if found.is_none() && t == text {
                    found = Some(s);
                }
            });
        }
        found
    }

    /// Every agent of a range of symbols, in order, with its symbol, but perhaps not those
    /// that do not hold, without case, every one of `needles` (lower-cased text; none: every
    /// agent): a deflated block is inflated only if it may hold them, once.
    pub fn for_each_holding(&self, syms: Range<u32>, needles: &[&[u8]], mut f: impl FnMut(Sym, &str)) {
        self.for_each_run(syms.clone(), needles, |run| match run {
            Run::One(s, t) => f(s, t),
            Run::Block(block) => block.agents().filter(|(s, _)| syms.contains(&s.0)).for_each(|(s, t)| f(s, t)),
        });
    }

    /// As `for_each_holding`, a deflated block's agents given together (`Run::Block`, whose
    /// agents may start before `syms` or end after it).
    pub fn for_each_run(&self, syms: Range<u32>, needles: &[&[u8]], mut f: impl FnMut(Run<'_>)) {
        let hot = self.hot.len() as u32;
        for s in syms.start..syms.end.min(hot) {
            f(Run::One(Sym(s), self.hot.resolve(Sym(s))));
        }
        let cold = syms.start.max(hot) - hot..syms.end.saturating_sub(hot);
        self.cold.blocks(cold.start as usize..cold.end as usize, needles, |first, text, ends| {
            f(Run::Block(Inflated { first: Sym(hot + first as u32), text, ends }))
        });
    }

    /// Bytes held: the text, the blocks, the ends and the tables.
    pub fn heap_bytes(&self) -> usize {
        self.hot.heap_bytes() + self.cold.heap_bytes()
    }

    /// Keeps the agents as `uses` (every event's agent, in event order) need them: repeated
    /// or short ones as text, the rest deflated in the order they are used. Returns, for each
    /// old symbol, its new one; or nothing, the store unchanged, when the agents to deflate
    /// hold under `COLD_TEXT_MIN` bytes or some are deflated already (a store freezes once).
    /// The old look-up table is given back before the new store is built (the peak of a
    /// workbench's load is here: with a million agents, 10–20 MB).
    pub fn freeze(&mut self, uses: impl Iterator<Item = Sym> + Clone) -> Option<Vec<Sym>> {
        self.freeze_past(uses, COLD_TEXT_MIN)
    }

    /// `freeze` whatever the agents to deflate hold: for the fuzz target and tests.
    #[doc(hidden)]
    pub fn freeze_all(&mut self, uses: impl Iterator<Item = Sym> + Clone) -> Option<Vec<Sym>> {
        self.freeze_past(uses, 0)
    }

    fn freeze_past(&mut self, uses: impl Iterator<Item = Sym> + Clone, min_text: usize) -> Option<Vec<Sym>> {
        let store = std::mem::take(self);
        match store.frozen(uses, min_text) {
            Ok((frozen, remap)) => {
                *self = frozen;
                Some(remap)
            }
            Err(store) => {
                *self = store;
                None
            }
        }
    }

    /// `freeze`'s work: the frozen store and the new symbols, or the store as it was.
    #[allow(clippy::result_large_err)] // moved once per load, not a hot path
    fn frozen(self, uses: impl Iterator<Item = Sym> + Clone, min_text: usize) -> Result<(Agents, Vec<Sym>), Agents> {
        if self.cold.len() > 0 {
            return Err(self);
        }
        let old = self.hot.len();
        let mut seen = vec![0u8; old];
        for s in uses.clone() {
            if let Some(n) = seen.get_mut(s.0 as usize) {
                *n = n.saturating_add(1);
            }
        }
        // Which to deflate (`seen` is 1 for them, else 0), and how much text they hold.
        let mut text = 0;
        for (s, n) in seen.iter_mut().enumerate() {
            let len = self.hot.resolve_bytes(Sym(s as u32)).len();
            *n = u8::from(*n == 1 && len >= COLD_MIN);
            text += usize::from(*n) * len;
        }
        if text < min_text.max(1) {
            return Err(self);
        }
        let arena = match self.hot.into_arena() {
            Ok(arena) => arena,
            Err(hot) => return Err(Agents { hot, cold: self.cold }),
        };
        let cold_at = |s: usize| seen.get(s) == Some(&1);
        let mut hot = Interner::default();
        let mut remap: Vec<Sym> =
            (0..old).map(|s| if cold_at(s) { Sym::NONE } else { hot.intern(arena.text(Sym(s as u32))) }).collect();
        // Cold agents are numbered, and deflated, in the order of their events.
        let from = hot.len() as u32;
        let order: Vec<u32> = uses.map(|s| s.0).filter(|&s| cold_at(s as usize)).collect();
        for (i, &s) in order.iter().enumerate() {
            remap[s as usize] = Sym(from + i as u32);
        }
        let cold = Cold::deflate(&order, |s| arena.bytes(Sym(s)));
        // Give back the arena's unused room (a store shrunk since the load).
        hot.shrink_to_fit();
        Ok((Agents { hot, cold }, remap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agents(texts: &[&str]) -> (Agents, Vec<Sym>) {
        let mut hot = Interner::default();
        let syms = texts.iter().map(|t| hot.intern(t)).collect();
        (Agents::new(hot), syms)
    }

    #[test]
    fn agents_seen_once_are_deflated_in_event_order_and_read_back_whole() {
        let long = |n: usize| format!("aws-cli/2.{n}.0 md/Botocore#1.{} ua/2.0 os/linux#6.1.0-{n}-generic é", n % 7);
        let mut texts: Vec<String> = (0..5_000).map(long).collect();
        texts.push("short".into());
        texts.push("aws-sdk-go-v2/1.30.0 os/linux lang/go#1.22.5 md/GOOS#linux".into());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (a, syms) = agents(&refs);
        // Events: the unique ones in reverse, the short one and the repeated one twice each.
        let (short, repeated) = (syms[5_000], syms[5_001]);
        let mut uses: Vec<Sym> = syms[..5_000].iter().rev().copied().collect();
        uses.extend([short, repeated, short, repeated, Sym::NONE]);
        let mut frozen = a.clone();
        let remap = frozen.freeze_past(uses.iter().copied(), 0).expect("agents to deflate");
        assert_eq!(frozen.cold_len(), 5_000, "the unique long agents only");
        assert_eq!(frozen.len(), a.len());
        for (old, text) in syms.iter().zip(&texts) {
            assert_eq!(&*frozen.text(remap[old.0 as usize]), text.as_str());
        }
        assert_eq!(&*frozen.text(remap[0]), "");
        // Numbered in event order: the first event's agent is the first deflated.
        assert_eq!(remap[syms[4_999].0 as usize].0 as usize, frozen.len() - 5_000);
        assert!(frozen.heap_bytes() < a.heap_bytes() / 3, "{} of {}", frozen.heap_bytes(), a.heap_bytes());
        let again: Vec<Sym> = (0..frozen.len() as u32).map(Sym).collect();
        assert!(frozen.freeze_past(again.into_iter(), 0).is_none(), "a store freezes once");
        // A walk in order and a look-up by text agree with the texts.
        let mut walked = Vec::new();
        frozen.for_each_holding(0..frozen.len() as u32, &[], |s, t| walked.push((s, t.to_string())));
        assert_eq!(walked.len(), frozen.len());
        assert!(walked.iter().all(|(s, t)| *frozen.text(*s) == **t));
        assert_eq!(frozen.get(&texts[17]), Some(remap[syms[17].0 as usize]));
        assert_eq!(frozen.get("short"), Some(remap[short.0 as usize]));
        assert_eq!(frozen.get("never seen"), None);
    }

    #[test]
    fn an_agent_past_a_block_gets_one_of_its_own_and_numbers_past_the_end_read_empty() {
        let huge = "x".repeat(3 * BLOCK);
        let (a, syms) = agents(&[&huge, "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64"]);
        let mut frozen = a.clone();
        let remap = frozen.freeze_past(syms.iter().copied(), 0).expect("agents to deflate");
        assert_eq!(frozen.cold_len(), 2);
        assert_eq!(&*frozen.text(remap[syms[0].0 as usize]), huge);
        assert_eq!(&*frozen.text(remap[syms[1].0 as usize]), "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64");
        assert_eq!(&*frozen.text(Sym(99)), "");
    }

    #[test]
    fn any_text_reads_back_as_it_was_whatever_its_bytes_and_length() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        const CHARS: [&str; 8] = ["a", "Z", "7", "/", " ", "é", "\u{1b}[31m", "𝔘"];
        let texts: Vec<String> = (0..3_000)
            .map(|i| {
                let len = if i % 500 == 0 { 40_000 } else { next(200) as usize };
                (0..len).map(|_| CHARS[next(8) as usize]).collect::<String>()
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (a, syms) = agents(&refs);
        // Each used once, in an order of their own; the empty string among them.
        let mut uses = syms.clone();
        for i in (1..uses.len()).rev() {
            uses.swap(i, next(i as u64 + 1) as usize);
        }
        let mut frozen = a.clone();
        let remap = frozen.freeze_past(uses.iter().copied(), 0).expect("agents to deflate");
        assert!(frozen.cold_len() > 2_000);
        for (s, t) in syms.iter().zip(&texts) {
            assert_eq!(&*frozen.text(remap[s.0 as usize]), t.as_str());
        }
        // Read out of order: each thread's cached block is replaced as it must be.
        for s in syms.iter().rev().step_by(7) {
            assert_eq!(&*frozen.text(remap[s.0 as usize]), &*a.text(*s));
        }
    }
}
