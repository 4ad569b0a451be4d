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
        Interner { bytes: Vec::new(), ends: vec![0], table, overflow: Default::default() }
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
        if let Some(sym) = self.find(h, s) {
            return sym;
        }
        let Sym(sym) = self.push(s);
        self.table.insert_unique(wide(h), Slot { sym, hash: h }, |s| wide(s.hash));
        Sym(sym)
    }

    /// Interns every string of a run, in order: their symbols (the bytes are not checked as
    /// UTF-8 again: a run holds whole `&str`s).
    pub fn intern_run(&mut self, run: &StringRun) -> impl Iterator<Item = Sym> {
        (0..run.len()).map(|i| self.intern_bytes(run.bytes_of(i)))
    }

    /// A new symbol for `s`, not looked up and not findable: for a worker's own tables only,
    /// whose symbols the merge interns again (`loader::local`); the index's strings are each
    /// held once.
    pub fn push_unlisted(&mut self, s: &str) -> Sym {
        self.push(s.as_bytes())
    }

    /// Appends `s` (a whole `&str`'s bytes) to the arena, or the overflow, as a new symbol.
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
        self.find(hash32(s.as_bytes()), s.as_bytes())
    }

    /// `s`'s symbol, given its hash.
    fn find(&self, h: u32, s: &[u8]) -> Option<Sym> {
        self.table.find(wide(h), |slot| slot.hash == h && self.text(slot.sym) == s).map(|slot| Sym(slot.sym))
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
            run.bytes.extend_from_slice(self.text(sym as u32));
            run.ends.push(u32::try_from(run.bytes.len()).unwrap_or(OVERFLOW));
        }
        run
    }

    /// Its text alone (`Arena`), the look-up table given back: for strings that will be read
    /// by symbol and never looked up again. `Err(self)` when some are kept past the arena.
    pub fn into_arena(self) -> Result<Arena, Interner> {
        if !self.overflow.is_empty() {
            return Err(self);
        }
        Ok(Arena { bytes: self.bytes, ends: self.ends })
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

/// An interner's text without its table (`Interner::into_arena`): read by symbol only.
#[derive(Debug, Default)]
pub struct Arena {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Arena {
    /// A symbol's bytes (a whole `&str`'s).
    pub fn bytes(&self, sym: Sym) -> &[u8] {
        span(&self.bytes, &self.ends, sym.0)
    }

    /// A symbol's text.
    pub fn text(&self, sym: Sym) -> &str {
        std::str::from_utf8(self.bytes(sym)).unwrap_or("")
    }
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

    /// The `i`-th string's bytes (a whole `&str`'s: a run is made of an interner's text).
    fn bytes_of(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.bytes.get(start..self.ends[i] as usize).unwrap_or_default()
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
}
