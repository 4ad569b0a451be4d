//! A text search's or filter's pattern (`Pattern`), and how one of digits and dots is
//! matched on an IPv4 address's text (`AddressMatch`).

/// A text filter's pattern, split once: text anywhere in a field, or, with `*`, a whole
/// field — its first part a prefix, its last a suffix, the others in order between them.
/// Matched without case, with no allocation for ASCII text (a rejected prefix costs nothing).
#[derive(Clone)]
pub struct Pattern {
    pub(super) parts: Vec<Vec<u8>>,
    pub(super) star: bool,
    pub(super) finder: memchr::memmem::Finder<'static>,
    /// It holds only ASCII that is not a letter (`10.1`, `/2.`): folding a text's case
    /// changes none of those bytes and makes none (nothing lower-cases to them), so it is
    /// found in any text, as it is, where it is in the folded text.
    pub(super) caseless: bool,
}

/// Whether a folded pattern is `Pattern::caseless`. An empty one is not: it matches any text
/// whatever its case, and keeps to the paths that test it without the flag.
fn caseless(parts: &[Vec<u8>]) -> bool {
    let mut bytes = parts.iter().flatten().peekable();
    bytes.peek().is_some() && bytes.all(|b| b.is_ascii() && !b.is_ascii_alphabetic())
}

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        let lower = pattern.to_lowercase();
        let parts: Vec<Vec<u8>> = lower.split('*').map(|p| p.as_bytes().to_vec()).collect();
        Pattern {
            star: parts.len() > 1,
            finder: memchr::memmem::Finder::new(lower.as_bytes()).into_owned(),
            caseless: caseless(&parts),
            parts,
        }
    }

    /// Text to find anywhere, `*` included (a search, not a filter).
    pub fn literal(text: &str) -> Pattern {
        let parts = vec![text.to_lowercase().into_bytes()];
        Pattern {
            star: false,
            finder: memchr::memmem::Finder::new(&parts[0]).into_owned(),
            caseless: caseless(&parts),
            parts,
        }
    }

    pub fn matches(&self, s: &str, buf: &mut Vec<u8>) -> bool {
        if !s.is_ascii() {
            return self.matches_folded(s.to_lowercase().as_bytes());
        }
        let b = s.as_bytes();
        if self.star {
            let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
            let fits = b.len() >= first.len() + last.len()
                && b[..first.len()].eq_ignore_ascii_case(first)
                && b[b.len() - last.len()..].eq_ignore_ascii_case(last);
            if !fits {
                return false;
            }
        }
        buf.clear();
        buf.extend(b.iter().map(u8::to_ascii_lowercase));
        self.matches_folded(buf)
    }

    /// Whether it could match an IPv4 address's text (it holds only digits, dots and `*`).
    pub(super) fn could_match_an_address(&self) -> bool {
        self.parts.iter().flatten().all(|&b| b.is_ascii_digit() || b == b'.')
    }

    /// On text already lower-cased.
    fn matches_folded(&self, s: &[u8]) -> bool {
        if !self.star {
            return self.finder.find(s).is_some();
        }
        let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
        if s.len() < first.len() + last.len() || !s.starts_with(first) || !s.ends_with(last) {
            return false;
        }
        let mut rest = &s[first.len()..s.len() - last.len()];
        for mid in &self.parts[1..self.parts.len() - 1] {
            match memchr::memmem::find(rest, mid) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }
}

/// A pattern of digits and dots on an IPv4 address's text (at most 15 bytes), which a
/// search writes out for every event: text anywhere is compared as a number at each place
/// of the address's, in registers (a slice comparison a place cost ~80 ns an event, half the
/// search of the adversarial 1M shape); a `*` pattern, or one longer than any address, is
/// the pattern's to match.
pub enum AddressMatch {
    Within { value: u128, mask: u128, len: usize },
    Pattern(Box<Pattern>),
}

/// The longest text an address is written as (`255.255.255.255`).
const ADDRESS_TEXT: usize = 15;

impl AddressMatch {
    pub fn new(p: &Pattern) -> AddressMatch {
        match (p.star, p.parts.first()) {
            (false, Some(n)) if n.len() <= ADDRESS_TEXT => {
                let len = n.len();
                AddressMatch::Within { value: packed(n), mask: (1u128 << (8 * len)) - 1, len }
            }
            _ => AddressMatch::Pattern(Box::new(p.clone())),
        }
    }

    pub fn matches(&self, t: &[u8]) -> bool {
        match *self {
            AddressMatch::Within { value, mask, len } if t.len() <= ADDRESS_TEXT => {
                let x = packed(t);
                t.len() >= len && (0..=t.len() - len).any(|i| (x >> (8 * i)) & mask == value)
            }
            AddressMatch::Within { .. } => false,
            AddressMatch::Pattern(ref p) => p.matches_folded(t),
        }
    }
}

/// Up to 16 bytes as a number, the first the lowest (zeros past the end).
fn packed(b: &[u8]) -> u128 {
    let mut w = [0u8; 16];
    let n = b.len().min(16);
    w[..n].copy_from_slice(&b[..n]);
    u128::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_matched_as_its_text_is() {
        let texts = ["0.0.0.0", "10.1.2.3", "203.0.113.10", "255.255.255.255", "1.10.100.1", "8.8.8.8"];
        let patterns =
            ["", "1", "10.1", ".1", "0.", "255.255.255.255", "3.10", "8.8.8.8", "1.2.3.4.5.6.7.8.9", "1*1", "2*0"];
        let mut buf = Vec::new();
        for p in patterns {
            let (pattern, matcher) = (Pattern::new(p), AddressMatch::new(&Pattern::new(p)));
            for t in texts {
                let want = pattern.matches(t, &mut buf);
                assert_eq!(matcher.matches(t.as_bytes()), want, "{p:?} on {t}");
            }
        }
        assert!(matches!(AddressMatch::new(&Pattern::new("10.1")), AddressMatch::Within { len: 4, .. }));
    }
}
