//! String interning: each distinct string is stored once and named by a `Sym`.
//!
//! All text lives in one arena (`bytes`, with each string's end in `ends`); the look-up table
//! holds each symbol's number and its 32-bit hash (8 bytes a slot), so that a probe reads
//! the text only of a string whose hash matches, and growing the table reads no text. A
//! distinct string costs its bytes plus about 14 (its end, its table slot): at high
//! cardinality (an address or user agent per event) a `String` and a map entry per symbol
//! cost 250–480 bytes each (issue 18).

use hashbrown::HashTable;
use std::hash::Hasher;

/// A handle to an interned string. `Sym::NONE` is the empty string (a field that was absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
}

#[derive(Clone)]
pub struct Interner {
    /// Every string's bytes, one after another.
    bytes: Vec<u8>,
    /// Where each symbol's string ends in `bytes` (symbol `i` spans `ends[i-1]..ends[i]`).
    ends: Vec<u32>,
    /// Symbols, found by hash, each beside its 32-bit hash (`Slot`).
    table: HashTable<Slot>,
    /// Strings past the arena's 4 GiB of offsets (`ends` holds `OVERFLOW` for them): kept
    /// whole, so that no load is ever cut short or misread, however much text it holds.
    overflow: rustc_hash::FxHashMap<u32, Box<str>>,
    /// A worker's (`Interner::sending`): every new string, in symbol order, until taken.
    outbox: Option<Outbox>,
}

/// What a worker's interner gained since its strings were last taken. A string added without
/// a look-up (`push_unlisted`) is only here: the worker never reads it again (`held`).
#[derive(Clone)]
struct Outbox {
    run: StringRun,
    /// The first symbol whose text is not held (`u32::MAX` while there is none), and a bit
    /// per symbol from it on, set for those whose text is not held.
    first_unheld: u32,
    unheld: Vec<u64>,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox { run: StringRun::default(), first_unheld: u32::MAX, unheld: Vec::new() }
    }
}

/// A symbol and its string's 32-bit hash.
#[derive(Clone, Copy)]
struct Slot {
    sym: u32,
    hash: u32,
}

/// The end marking a string kept in `overflow`.
const OVERFLOW: u32 = u32::MAX;

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner").field("strings", &self.ends.len()).field("bytes", &self.bytes.len()).finish()
    }
}

/// A string's 32-bit hash (kept in the table).
fn hash32(s: &[u8]) -> u32 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(s);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

/// The table's 64-bit hash, spread from the 32 kept (hashbrown reads its top bits too).
fn wide(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Default for Interner {
    fn default() -> Self {
        // Symbol 0 is the empty string: it spans 0..0.
        let mut table = HashTable::new();
        let h = hash32(b"");
        table.insert_unique(wide(h), Slot { sym: 0, hash: h }, |s| wide(s.hash));
        Interner { bytes: Vec::new(), ends: vec![0], table, overflow: Default::default(), outbox: None }
    }
}

impl Interner {
    fn text(&self, sym: u32) -> &[u8] {
        if self.ends.get(sym as usize) == Some(&OVERFLOW) {
            return self.overflow.get(&sym).map_or(b"", |s| s.as_bytes());
        }
        span(&self.bytes, &self.ends, sym)
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        self.intern_bytes(s.as_bytes())
    }

    /// As `intern`, for bytes that are a whole `&str` (what a `StringRun` carries).
    fn intern_bytes(&mut self, s: &[u8]) -> Sym {
        let h = hash32(s);
        if let Some(sym) = self.find_bytes(h, s) {
            return sym;
        }
        if let Some(out) = &mut self.outbox {
            out.run.push(s);
        }
        let Sym(sym) = self.push(s);
        self.table.insert_unique(wide(h), Slot { sym, hash: h }, |s| wide(s.hash));
        Sym(sym)
    }

    /// A worker's interner: what it gains is kept to be sent (`take_sent`), and a string added
    /// without a look-up is not held at all (its text is only in what is sent).
    pub fn sending() -> Interner {
        Interner { outbox: Some(Outbox::default()), ..Interner::default() }
    }

    /// Every string gained since the last call, in symbol order (a `sending` interner's).
    pub fn take_sent(&mut self) -> StringRun {
        self.outbox.as_mut().map(|o| std::mem::take(&mut o.run)).unwrap_or_default()
    }

    /// Whether a symbol's text is held (not one a `sending` interner added without a look-up):
    /// only a held symbol's `resolve` is its text; another's is empty.
    #[inline]
    pub fn held(&self, sym: Sym) -> bool {
        let unheld = |o: &Outbox| {
            let Some(n) = sym.0.checked_sub(o.first_unheld) else { return false };
            o.unheld.get(n as usize / 64).is_some_and(|w| w & (1 << (n % 64)) != 0)
        };
        self.outbox.as_ref().is_none_or(|o| !unheld(o))
    }

    /// A new symbol for `s`, not looked up and not findable: for a worker's own tables only,
    /// whose symbols the merge interns again (`loader::local`); the index's strings are each
    /// held once. A `sending` interner does not hold its text (`held`).
    pub fn push_unlisted(&mut self, s: &str) -> Sym {
        match &mut self.outbox {
            Some(out) => {
                let sym = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
                out.run.push(s.as_bytes());
                out.first_unheld = out.first_unheld.min(sym);
                let n = (sym - out.first_unheld) as usize;
                if out.unheld.len() <= n / 64 {
                    out.unheld.resize(n / 64 + 1, 0);
                }
                out.unheld[n / 64] |= 1 << (n % 64);
                // An empty span (or, past the arena's end, an empty overflow): the text is
                // only in the outbox.
                self.ends.push(self.ends.last().copied().unwrap_or(0));
                Sym(sym)
            }
            None => self.push(s.as_bytes()),
        }
    }

    /// Appends `s` to the arena (or the overflow) as a new symbol.
    fn push(&mut self, s: &[u8]) -> Sym {
        let sym = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        match u32::try_from(self.bytes.len() + s.len()) {
            Ok(end) if end != OVERFLOW && self.overflow.is_empty() => {
                self.bytes.extend_from_slice(s);
                self.ends.push(end);
            }
            _ => {
                self.overflow.insert(sym, String::from_utf8_lossy(s).into());
                self.ends.push(OVERFLOW);
            }
        }
        Sym(sym)
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.find_bytes(hash32(s.as_bytes()), s.as_bytes())
    }

    /// `s`'s symbol, given its hash.
    fn find_bytes(&self, h: u32, s: &[u8]) -> Option<Sym> {
        self.table.find(wide(h), |slot| slot.hash == h && self.text(slot.sym) == s).map(|slot| Sym(slot.sym))
    }

    /// Interns every string of a run, in order: their symbols.
    pub fn intern_run(&mut self, run: &StringRun) -> impl Iterator<Item = Sym> {
        (0..run.len()).map(|i| self.intern_bytes(run.bytes_of(i)))
    }

    /// A symbol's bytes, unchecked as text: for comparisons on the load's hot path.
    pub fn resolve_bytes(&self, sym: Sym) -> &[u8] {
        self.text(sym.0)
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        // Only whole `&str`s are ever appended: every span is UTF-8.
        std::str::from_utf8(self.text(sym.0)).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Returns the arena's unused capacity (a large block shrinks in place: no copy). The
    /// table keeps its size: shrinking it would rehash every symbol.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes held: the text, the ends, the table's slots and control bytes.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.table.capacity() * (size_of::<Slot>() + 1)
    }

    /// The strings interned since the interner held `from` of them, in symbol order.
    pub fn since(&self, from: usize) -> StringRun {
        let mut run = StringRun::default();
        for sym in from.max(1)..self.ends.len() {
            run.push(self.text(sym as u32));
        }
        run
    }

    /// All strings with their symbols, for search indexes.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        (0..self.ends.len()).map(|i| (Sym(i as u32), self.resolve(Sym(i as u32))))
    }
}

/// The bytes of symbol `sym` in an arena.
fn span<'a>(bytes: &'a [u8], ends: &[u32], sym: u32) -> &'a [u8] {
    let i = sym as usize;
    let start = if i == 0 { 0 } else { ends.get(i - 1).copied().unwrap_or(0) };
    let end = ends.get(i).copied().unwrap_or(start);
    &bytes[start as usize..end as usize]
}

/// Strings in symbol order, in one allocation (what a worker's interner gained).
#[derive(Debug, Default, Clone)]
pub struct StringRun {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl StringRun {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| std::str::from_utf8(self.bytes_of(i)).unwrap_or(""))
    }

    /// The `i`-th string's bytes (a whole `&str`'s: only those are pushed).
    fn bytes_of(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.bytes.get(start..self.ends[i] as usize).unwrap_or_default()
    }

    fn push(&mut self, s: &[u8]) {
        self.bytes.extend_from_slice(s);
        // A run is one file's new strings: far under 4 GiB (`loader::limits`).
        self.ends.push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes of text it carries.
    pub fn text_bytes(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_empty_is_none() {
        let mut i = Interner::default();
        let a = i.intern("AKIA");
        assert_eq!(i.intern("AKIA"), a);
        assert_eq!(i.intern(""), Sym::NONE);
        assert_eq!(i.resolve(a), "AKIA");
        assert_eq!(i.resolve(Sym(999)), "");
        assert_eq!(i.get("AKIA"), Some(a));
        assert_eq!(i.get("nope"), None);
    }

    #[test]
    fn many_strings_survive_the_table_growing_and_come_back_in_order() {
        let mut i = Interner::default();
        let syms: Vec<Sym> = (0..50_000).map(|n| i.intern(&format!("198.51.{}.{}", n / 256, n % 256))).collect();
        for (n, s) in syms.iter().enumerate() {
            assert_eq!(i.resolve(*s), format!("198.51.{}.{}", n / 256, n % 256));
            assert_eq!(i.intern(&format!("198.51.{}.{}", n / 256, n % 256)), *s);
        }
        let run = i.since(1 + 49_990);
        let tail: Vec<&str> = run.iter().collect();
        assert_eq!(tail.len(), 10);
        assert_eq!(tail[9], i.resolve(syms[49_999]));
        assert!(i.heap_bytes() < 50_000 * 30, "{} bytes for 50,000 short strings", i.heap_bytes());
    }

    #[test]
    fn multibyte_text_resolves_whole() {
        let mut i = Interner::default();
        let s = i.intern("日本語 ad\u{200b}min");
        assert_eq!(i.resolve(s), "日本語 ad\u{200b}min");
    }

    #[test]
    fn a_sending_interner_sends_every_new_string_in_order_and_holds_only_those_looked_up() {
        let mut i = Interner::sending();
        let a = i.intern("AKIA1");
        let u = i.push_unlisted("agent/unique/1");
        assert_eq!(i.intern("AKIA1"), a);
        let b = i.intern("us-east-1");
        let v = i.push_unlisted("agent/unique/2");
        let run = i.take_sent();
        assert_eq!(run.iter().collect::<Vec<_>>(), ["AKIA1", "agent/unique/1", "us-east-1", "agent/unique/2"]);
        assert_eq!((a.0, u.0, b.0, v.0), (1, 2, 3, 4), "symbols number what was sent, in order");
        assert!(i.held(a) && i.held(b) && i.held(Sym::NONE));
        assert!(!i.held(u) && !i.held(v));
        assert_eq!((i.resolve(u), i.resolve(a), i.resolve(b)), ("", "AKIA1", "us-east-1"));
        assert_eq!(i.get("agent/unique/1"), None, "not looked up, not findable");
        assert!(i.take_sent().is_empty());
        let c = i.intern("AKIA2");
        assert_eq!(i.take_sent().iter().collect::<Vec<_>>(), ["AKIA2"]);
        assert!(i.held(c) && i.text_bytes() == "AKIA1us-east-1AKIA2".len());
        // The index's own interner holds what it is given without a look-up.
        let mut ix = Interner::default();
        let w = ix.push_unlisted("x");
        assert!(ix.held(w) && ix.resolve(w) == "x");
    }
}
