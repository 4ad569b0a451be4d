//! Which events a text search or a text filter matches (`TextHits`), and its pattern.

use std::ops::Range;
use tokentrail::index::agents::{Agents, Run};
use tokentrail::index::event::{Field, Slot};
use tokentrail::index::intern::Sym;
use tokentrail::model::Model;

use super::pattern::{AddressMatch, Pattern};

/// Which events have a text field (name, source, principal, key, source IP, error, user
/// agent) that a pattern matches: each distinct string decided once, then each distinct call
/// (name, source) and signer (principal, key), so that an event costs five look-ups (a
/// million of them: tens of milliseconds; with a hash set a search took 82 ms). An IPv4
/// address has no string (`Addr`): it is written out and matched only for a pattern that
/// could match one (digits and dots).
pub struct TextHits {
    strings: Vec<bool>,
    agents: Vec<bool>,
    calls: Vec<bool>,
    signers: Vec<bool>,
    addresses: Option<AddressMatch>,
}

/// A call field's place in the rows of `Index::calls`.
const fn call_at(f: Field) -> usize {
    match f.slot() {
        Slot::Call(i) => i,
        _ => panic!("not a call field"),
    }
}

/// The call's fields the text search looks in: the name, the source and the error code (not
/// the region).
const SEARCHED_CALL: [usize; 3] = [call_at(Field::Name), call_at(Field::Source), call_at(Field::Error)];

impl TextHits {
    pub fn new(m: &Model, pattern: &Pattern) -> TextHits {
        let ix = &m.ix;
        let strings = decide(ix.strings.len(), &|range, out| {
            let mut buf = Vec::new();
            for (o, i) in out.iter_mut().zip(range) {
                let s = ix.strings.resolve(Sym(i));
                *o = !s.is_empty() && pattern.matches(s, &mut buf);
            }
        });
        let agents = decide(ix.agents.len(), &|range, out| decide_agents(&ix.agents, pattern, range, out));
        let hit = |s: Sym| strings.get(s.0 as usize) == Some(&true);
        let calls = ix.calls.iter().map(|c| SEARCHED_CALL.iter().any(|&i| hit(c[i]))).collect();
        let signers = ix.signers.iter().map(|s| hit(s[0]) || hit(s[1])).collect();
        let addresses = pattern.could_match_an_address().then(|| AddressMatch::new(pattern));
        TextHits { strings, agents, calls, signers, addresses }
    }

    pub fn event(&self, e: &tokentrail::index::event::Event) -> bool {
        let hit = |s: Sym| self.strings.get(s.0 as usize) == Some(&true);
        self.calls.get(e.call_id()) == Some(&true)
            || self.signers.get(e.signer as usize) == Some(&true)
            || self.agents.get(e.user_agent().0 as usize) == Some(&true)
            || match (e.source_ip().sym(), &self.addresses) {
                (Some(s), _) => hit(s),
                (None, Some(p)) => e.source_ip().v4_text().is_some_and(|t| p.matches(t.as_bytes())),
                (None, None) => false,
            }
    }
}

/// Decides a range of symbols: sets `out[k]` when symbol `range.start + k` matches.
type Decide<'a> = dyn Fn(Range<u32>, &mut [bool]) + Sync + 'a;

/// Whether a pattern matches each of `n` distinct strings, by symbol (`decide` a range of
/// them): on every core past `SPLIT_AT` strings (an agent per event: 850,000 strings took
/// 60 ms on one).
fn decide(n: usize, decide: &Decide<'_>) -> Vec<bool> {
    const SPLIT_AT: usize = 65_536;
    super::in_parts::in_parts(n, SPLIT_AT, |range| {
        let mut out = vec![false; range.len()];
        decide(range.start as u32..range.end as u32, &mut out);
        out
    })
}

/// Decides agents `range` (`out[k]`: agent `range.start + k`). A deflated block is inflated
/// only when it may hold every part of the pattern, and searched through at once for text
/// (ASCII: its lower case is its bytes'), not agent by agent.
fn decide_agents(agents: &Agents, pattern: &Pattern, range: Range<u32>, out: &mut [bool]) {
    let needles: Vec<&[u8]> = pattern.parts.iter().map(Vec::as_slice).collect();
    let start = range.start;
    let mut set = |s: Sym, yes: bool| {
        if let Some(o) = out.get_mut(s.0.wrapping_sub(start) as usize) {
            *o = yes;
        }
    };
    let (mut buf, mut lower) = (Vec::new(), Vec::new());
    agents.for_each_run(range, &needles, |run| match run {
        Run::One(s, text) => set(s, !text.is_empty() && pattern.matches(text, &mut buf)),
        Run::Block(block) if !pattern.star && (pattern.caseless || block.text.is_ascii()) => {
            // A pattern without letters is found in the text as it is (`Pattern::caseless`).
            let text: &[u8] = if pattern.caseless {
                block.text
            } else {
                lower.clear();
                lower.extend(block.text.iter().map(u8::to_ascii_lowercase));
                &lower
            };
            let n = pattern.parts[0].len();
            let mut from = 0;
            while let Some(i) = pattern.finder.find(&text[from..]) {
                let at = from + i;
                from = match block.agent_holding(at..at + n) {
                    // The rest of this agent need not be searched.
                    Some((s, end)) => {
                        set(s, true);
                        end
                    }
                    // Text across two agents: the next may start within it.
                    None => at + 1,
                };
                if from >= text.len() {
                    break;
                }
            }
        }
        Run::Block(block) => block.agents().for_each(|(s, text)| set(s, pattern.matches(text, &mut buf))),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokentrail::index::Index;

    fn models() -> (Model, Model) {
        let docs = tokentrail::synth::unique_agents::docs(16, 1_200);
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let mut compact = tokentrail::loader::load_docs(&docs);
        compact.ix.compact_agents();
        (Model::new(tokentrail::loader::load_docs(&docs)), Model::new(compact))
    }

    /// Events whose searched text a pattern matches, one field at a time.
    fn by_hand(ix: &Index, p: &Pattern) -> Vec<usize> {
        const SEARCHED: [Field; 7] =
            [Field::Name, Field::Source, Field::Error, Field::Principal, Field::Key, Field::Ip, Field::UserAgent];
        let mut buf = Vec::new();
        (0..ix.events.len())
            .filter(|&i| {
                SEARCHED.iter().any(|&f| {
                    let t = ix.field(&ix.events[i], f);
                    !t.is_empty() && p.matches(&t, &mut buf)
                })
            })
            .collect()
    }

    fn hits(m: &Model, p: &Pattern) -> Vec<usize> {
        let h = TextHits::new(m, p);
        (0..m.ix.events.len()).filter(|&i| h.event(&m.ix.events[i])).collect()
    }

    #[test]
    fn deflated_agents_are_searched_as_text_is_and_never_across_two() {
        let (plain, compact) = models();
        assert!(compact.ix.agents.cold_len() > 12_000, "{} deflated", compact.ix.agents.cold_len());
        let ix = &compact.ix;
        let agent = |i: usize| ix.field(&ix.events[i], Field::UserAgent).to_string();
        // The end of one deflated agent and the start of the next, side by side in a block
        // (deflated agents are numbered in the order they are stored).
        let mut by_code: Vec<(u32, usize)> =
            (0..ix.events.len()).map(|i| (ix.code(&ix.events[i], Field::UserAgent), i)).collect();
        by_code.sort_unstable();
        let across: Vec<String> = [1_000, 5_000, 9_000]
            .iter()
            .map(|&k| {
                let (a, b) = (agent(by_code[by_code.len() - k].1), agent(by_code[by_code.len() - k + 1].1));
                format!("{}{}", &a[a.len() - 6..], &b[..6])
            })
            .collect();
        let one = agent(5_555);
        let one = one[one.len() - 14..].to_string();
        let mut patterns: Vec<Pattern> = [
            "exec-env/",
            "ÜNÏCÖDÉ/",
            "ünïcödé",
            "chrome/131.0.5",
            "10.1",
            "/1.",
            "/2.1",
            "GetObject",
            "zzzz-nowhere",
            &one,
        ]
        .into_iter()
        .chain(across.iter().map(String::as_str))
        .map(Pattern::literal)
        .collect();
        patterns.extend(
            ["mozilla*safari/537.36", "aws-sdk-go-v2/1.3*", "*java_hotspot(tm)", "s3console/*"].map(Pattern::new),
        );
        for p in &patterns {
            let want = by_hand(&plain.ix, p);
            assert_eq!(by_hand(ix, p), want, "the texts themselves are the same");
            assert_eq!(hits(&plain, p), want, "as text: {:?}", p.parts);
            assert_eq!(hits(&compact, p), want, "deflated: {:?}", p.parts);
        }
        let count = |t: &str| hits(&compact, &Pattern::literal(t)).len();
        assert!(hits(&compact, &Pattern::literal(&one)).contains(&5_555) && count(&one) < 5, "{one:?}");
        assert!(count("ünïcödé") > 100 && count("exec-env/") > 10_000);
        assert!(across.iter().all(|t| count(t) == 0), "{across:?}");
    }
}
