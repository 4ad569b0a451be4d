//! String interning: each distinct string is stored once and named by a `Sym`.

use rustc_hash::FxHashMap;

/// A handle to an interned string. `Sym::NONE` is the empty string (a field that was absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
}

#[derive(Debug, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    lookup: FxHashMap<Box<str>, Sym>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut i = Interner { strings: Vec::new(), lookup: FxHashMap::default() };
        i.strings.push("".into());
        i.lookup.insert("".into(), Sym::NONE);
        i
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.lookup.get(s) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.strings.len()).unwrap_or(u32::MAX));
        self.strings.push(s.into());
        self.lookup.insert(s.into(), sym);
        sym
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.lookup.get(s).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }

    /// Bytes held by the string storage, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.strings.iter().map(|s| s.len()).sum();
        // Two copies of each string plus table overhead (approximate).
        2 * text + self.strings.len() * (16 + 16 + 8)
    }

    /// The strings interned since the interner held `from` of them, in symbol order.
    pub fn since(&self, from: usize) -> Vec<Box<str>> {
        self.strings.get(from..).unwrap_or_default().to_vec()
    }

    /// All strings with their symbols, for search indexes.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        self.strings.iter().enumerate().map(|(i, s)| (Sym(i as u32), &**s))
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
    }
}
