//! Agents deflated in blocks (`Cold`), read back one at a time (each thread keeps the block
//! it inflated last) or a block at a time (`Run`, for searches).

use super::BLOCK;
use super::trigrams::Trigrams;
use crate::index::intern::Sym;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Default)]
pub(super) struct Cold {
    /// Tells one store's blocks from another's in the threads' caches (`INFLATED`).
    store: u64,
    blocks: Vec<Block>,
    /// The first cold number of each block.
    first: Vec<u32>,
    /// Each cold agent's end within its block's inflated text.
    ends: Vec<u32>,
}

#[derive(Clone)]
struct Block {
    /// Its text deflated, or (`stored`) as it is.
    deflated: Box<[u8]>,
    inflated: u32,
    /// Deflating failed (never expected: the output has room for the bound): the text is kept.
    stored: bool,
    /// The three-byte runs of its text, lower-cased, hashed to a bit each (`Trigrams`).
    trigrams: Trigrams,
}

/// An agent's text within its inflated block (blocks hold whole `&str`s, cut between them).
fn agent_in(text: &[u8], span: Range<usize>) -> &str {
    text.get(span).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or(UNREADABLE)
}

static STORES: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The block a thread inflated last (its store, its number, its text): reading agents in
    /// event order inflates each block once.
    static INFLATED: RefCell<(u64, usize, Vec<u8>)> = const { RefCell::new((0, 0, Vec::new())) };
}

/// What an agent that cannot be inflated reads as (never expected: the blocks are ours).
const UNREADABLE: &str = "(user agent unreadable)";

impl Cold {
    /// How many agents it holds.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes held: the blocks (deflated text, trigrams), their first numbers, the ends.
    pub(super) fn heap_bytes(&self) -> usize {
        self.blocks.iter().map(|b| b.deflated.len()).sum::<usize>()
            + self.blocks.capacity() * (size_of::<Block>() + Trigrams::HEAP_BYTES)
            + (self.first.capacity() + self.ends.capacity()) * 4
    }

    /// Deflates the texts of `order` in blocks of about `BLOCK` bytes, on every core.
    pub(super) fn deflate<'a>(order: &[u32], texts: impl Fn(u32) -> &'a [u8] + Sync) -> Cold {
        let mut first = Vec::new();
        let mut ends = Vec::with_capacity(order.len());
        let mut in_block = BLOCK;
        for (i, &s) in order.iter().enumerate() {
            if in_block >= BLOCK {
                first.push(i as u32);
                in_block = 0;
            }
            in_block += texts(s).len();
            ends.push(in_block as u32);
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(first.len()).max(1);
        let per = first.len().div_ceil(threads);
        let span = |b: usize| first[b] as usize..first.get(b + 1).map_or(order.len(), |&n| n as usize);
        let blocks: Vec<Block> = std::thread::scope(|scope| {
            let parts: Vec<_> = (0..threads)
                .map(|t| {
                    let (span, texts, blocks) = (&span, &texts, first.len());
                    scope.spawn(move || {
                        let mut c =
                            libdeflater::Compressor::new(libdeflater::CompressionLvl::new(1).unwrap_or_default());
                        let mut text = Vec::with_capacity(BLOCK * 2);
                        let mut out = Vec::new();
                        (t * per..((t + 1) * per).min(blocks))
                            .map(|b| {
                                text.clear();
                                for &s in &order[span(b)] {
                                    text.extend_from_slice(texts(s));
                                }
                                out.resize(c.deflate_compress_bound(text.len()), 0);
                                let trigrams = Trigrams::of(&text);
                                let (deflated, stored) = match c.deflate_compress(&text, &mut out) {
                                    Ok(n) => (out[..n].into(), false),
                                    Err(_) => (text.as_slice().into(), true),
                                };
                                Block { deflated, inflated: text.len() as u32, stored, trigrams }
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            parts.into_iter().flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        Cold { store: STORES.fetch_add(1, Ordering::Relaxed), blocks, first, ends }
    }

    /// The block holding cold agent `i`.
    fn block_of(&self, i: usize) -> usize {
        self.first.partition_point(|&n| n as usize <= i).saturating_sub(1)
    }

    /// Where cold agent `i` lies in its block `b`'s text.
    fn span(&self, b: usize, i: usize) -> Range<usize> {
        let start = if self.first[b] as usize == i { 0 } else { self.ends[i - 1] as usize };
        start..self.ends[i] as usize
    }

    /// Inflates block `b` into `text` (empty when it cannot be: never expected).
    fn inflate(&self, inflater: &mut libdeflater::Decompressor, b: usize, text: &mut Vec<u8>) -> bool {
        let block = &self.blocks[b];
        if block.stored {
            text.clear();
            text.extend_from_slice(&block.deflated);
            return true;
        }
        text.resize(block.inflated as usize, 0);
        let ok = inflater.deflate_decompress(&block.deflated, text).is_ok_and(|n| n == block.inflated as usize);
        if !ok {
            text.clear();
        }
        ok
    }

    /// Calls `f` with cold agent `i`'s text (`None`: there is no such agent).
    pub(super) fn with<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.ends.get(i)?;
        let b = self.block_of(i);
        INFLATED.with_borrow_mut(|(store, at, text)| {
            if *store != self.store || *at != b {
                let ok = self.inflate(&mut libdeflater::Decompressor::new(), b, text);
                (*store, *at) = if ok { (self.store, b) } else { (0, 0) };
            }
            Some(f(agent_in(text, self.span(b, i))))
        })
    }

    /// Calls `f` with each block holding cold agents of `range` that may hold every one of
    /// `needles`, inflated: its first agent's number, its text, and its agents' ends in it.
    pub(super) fn blocks(&self, range: Range<usize>, needles: &[&[u8]], mut f: impl FnMut(usize, &[u8], &[u32])) {
        let range = range.start..range.end.min(self.ends.len());
        if range.is_empty() {
            return;
        }
        let (mut inflater, mut text) = (libdeflater::Decompressor::new(), Vec::new());
        for b in self.block_of(range.start)..self.blocks.len() {
            let first = self.first[b] as usize;
            if first >= range.end {
                break;
            }
            if !self.blocks[b].trigrams.may_hold(needles) {
                continue;
            }
            let next = self.first.get(b + 1).map_or(self.ends.len(), |&n| n as usize);
            self.inflate(&mut inflater, b, &mut text);
            f(first, &text, &self.ends[first..next]);
        }
    }
}

/// Agents one after another, as a search is given them (`Agents::for_each_run`).
pub enum Run<'a> {
    /// One agent.
    One(Sym, &'a str),
    /// A deflated block's agents, inflated: a search may look through its text at once.
    Block(Inflated<'a>),
}

pub struct Inflated<'a> {
    /// Its first agent's symbol.
    pub first: Sym,
    /// Its agents' text, one after another (whole `&str`s).
    pub text: &'a [u8],
    /// Each agent's end in `text`.
    pub(super) ends: &'a [u32],
}

impl<'a> Inflated<'a> {
    /// Its agents with their symbols.
    pub fn agents(&self) -> impl Iterator<Item = (Sym, &'a str)> + '_ {
        self.ends.iter().enumerate().map(|(k, &end)| {
            let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
            (Sym(self.first.0 + k as u32), agent_in(self.text, start..end as usize))
        })
    }

    /// The agent whose text holds the bytes `at` of `text`, and where its text ends (none
    /// for bytes across two).
    pub fn agent_holding(&self, at: Range<usize>) -> Option<(Sym, usize)> {
        let k = self.ends.partition_point(|&end| end as usize <= at.start);
        let end = *self.ends.get(k)? as usize;
        (at.end <= end).then_some((Sym(self.first.0 + k as u32), end))
    }
}
