//! A caller's source address as an event holds it, in 4 bytes: an IPv4 address written the
//! one way it reads back (`203.0.113.7`) is kept as its 32 bits, and needs no string at all;
//! any other value (`AWS Internal`, a service's name, IPv6, an address written otherwise, one
//! in 240.0.0.0/4) is the symbol of its text, numbered inside 240.0.0.0/4 (issue 18: at an
//! address per event, interned addresses cost ~27 bytes an event and a sixth of the load's time).
//!
//! Equal codes are equal texts, and equal texts equal codes: an address compares, hashes
//! and dedupes as a symbol does.

use super::field_text::Text;
use super::intern::{Interner, Sym};
use std::net::Ipv4Addr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Addr(u32);

/// The top four bits of a text's code (240.0.0.0/4 is reserved: never a caller's address,
/// and when written so it is kept as text).
const TEXT: u32 = 0xF000_0000;
/// The code of every text whose symbol is past what a code can hold (2^28 - 2 distinct
/// strings: at 14 bytes each beyond their text, 3.7 GB of strings before their events). Such
/// addresses would compare equal, and each shows as not kept: a load that large is past what
/// this index is built for.
const UNKEPT: u32 = u32::MAX;
/// A code no address has (nor any symbol of a load that fits in memory): for a value that
/// stands for every other (`detect::decided`).
pub const NO_CODE: u32 = u32::MAX - 1;

impl Default for Addr {
    fn default() -> Self {
        Addr::NONE
    }
}

impl Addr {
    /// No address (the field was absent or empty).
    pub const NONE: Addr = Addr(TEXT);

    /// `text`'s code: its address when it is one as written, else `intern(text)`'s.
    #[inline]
    pub fn of(text: &str, intern: impl FnOnce(&str) -> Sym) -> Addr {
        match parse_v4(text.as_bytes()) {
            Some(v) if v & TEXT != TEXT => Addr(v),
            _ if text.is_empty() => Addr::NONE,
            _ => Addr::text(intern(text)),
        }
    }

    /// The code of a text's symbol.
    pub fn text(sym: Sym) -> Addr {
        if sym.0 < NO_CODE & !TEXT { Addr(TEXT | sym.0) } else { Addr(UNKEPT) }
    }

    /// The code as a number (an identity: equal numbers, equal texts).
    pub fn code(self) -> u32 {
        self.0
    }

    pub fn is_none(self) -> bool {
        self == Addr::NONE
    }

    /// Its text's symbol, for a value that is not an IPv4 address.
    pub fn sym(self) -> Option<Sym> {
        (self.0 & TEXT == TEXT && self.0 != UNKEPT).then_some(Sym(self.0 & !TEXT))
    }

    pub fn v4(self) -> Option<Ipv4Addr> {
        (self.0 & TEXT != TEXT).then(|| Ipv4Addr::from(self.0))
    }

    /// An IPv4 address's text (it needs no strings).
    pub fn v4_text(self) -> Option<Text<'static>> {
        self.v4().map(v4_text)
    }

    /// The same address with its text's symbol mapped (a worker's to the index's).
    pub fn map(self, f: impl FnOnce(Sym) -> Sym) -> Addr {
        match self.sym() {
            Some(s) => Addr::text(f(s)),
            None => self,
        }
    }

    /// The code `text` has in an index whose strings are `strings`, if it could be there.
    pub fn find(text: &str, strings: &Interner) -> Option<Addr> {
        let mut missing = false;
        let a = Addr::of(text, |t| {
            strings.get(t).unwrap_or_else(|| {
                missing = true;
                Sym::NONE
            })
        });
        (!missing).then_some(a)
    }

    /// Its text, as written in the record.
    pub fn text_in(self, strings: &Interner) -> Text<'_> {
        match (self.v4(), self.sym()) {
            (Some(v4), _) => v4_text(v4),
            (None, Some(s)) => Text::Str(strings.resolve(s)),
            (None, None) => Text::Str("(address not kept: over 268 million distinct strings)"),
        }
    }
}

/// The 32 bits of an IPv4 address written as `Ipv4Addr` writes it back (four decimal
/// numbers up to 255, without leading zeros, joined by dots), else None.
pub fn parse_v4(s: &[u8]) -> Option<u32> {
    if !(7..=15).contains(&s.len()) {
        return None;
    }
    let (mut value, mut parts, mut part, mut digits) = (0u32, 0, 0u32, 0);
    for &b in s.iter().chain(std::iter::once(&b'.')) {
        match b {
            b'0'..=b'9' if digits < 3 && !(digits == 1 && part == 0) => {
                part = part * 10 + u32::from(b - b'0');
                digits += 1;
            }
            b'.' if digits > 0 && part <= 255 && parts < 4 => {
                value = value << 8 | part;
                (parts, part, digits) = (parts + 1, 0, 0);
            }
            _ => return None,
        }
    }
    (parts == 4).then_some(value)
}

/// An IPv4 address written out, without allocating.
fn v4_text(a: Ipv4Addr) -> Text<'static> {
    let mut buf = [0u8; 15];
    let mut len = 0;
    for (i, o) in a.octets().into_iter().enumerate() {
        if i > 0 {
            buf[len] = b'.';
            len += 1;
        }
        let (digits, n) = OCTETS[usize::from(o)];
        buf[len..len + 3].copy_from_slice(&digits);
        len += usize::from(n);
    }
    Text::Inline { buf, len: len as u8 }
}

/// Each octet's decimal digits (left-aligned) and how many there are: a search writes out
/// every address (`tui::filter`), a million in tens of milliseconds.
const OCTETS: [([u8; 3], u8); 256] = {
    let mut t = [([0u8; 3], 0u8); 256];
    let mut o = 0;
    while o < 256 {
        let d = [(o / 100) as u8 + b'0', (o / 10 % 10) as u8 + b'0', (o % 10) as u8 + b'0'];
        t[o] = match o {
            0..=9 => ([d[2], 0, 0], 1),
            10..=99 => ([d[1], d[2], 0], 2),
            _ => (d, 3),
        };
        o += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> String {
        let mut strings = Interner::default();
        let a = Addr::of(s, |t| strings.intern(t));
        a.text_in(&strings).to_string()
    }

    #[test]
    fn addresses_as_written_are_numbers_and_read_back_byte_for_byte() {
        for s in ["203.0.113.7", "0.0.0.0", "1.2.3.4", "239.255.255.255", "10.0.0.255", "100.64.0.1"] {
            assert_eq!(parse_v4(s.as_bytes()), Some(u32::from(s.parse::<Ipv4Addr>().expect("an address"))), "{s}");
            assert!(Addr::of(s, |_| panic!("{s} needs no string")).v4().is_some());
            assert_eq!(round_trip(s), s);
        }
    }

    #[test]
    fn anything_else_is_its_text() {
        let odd = [
            "",
            "AWS Internal",
            "s3.amazonaws.com",
            "2001:db8::1",
            "01.2.3.4",
            "1.2.3.04",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1..2.3",
            "1.2.3.",
            ".1.2.3",
            "1.2.3.4\n",
            "1.2.3.1000",
            "240.0.0.1",
            "255.255.255.255",
            "1.2.3.-4",
            "١.٢.٣.٤",
            "0x1.2.3.4",
            "1.2.3.4/32",
        ];
        for s in odd {
            let mut strings = Interner::default();
            let a = Addr::of(s, |t| strings.intern(t));
            assert_eq!(a.v4(), None, "{s:?}");
            assert_eq!(a.text_in(&strings), s, "{s:?}");
            assert_eq!(a.is_none(), s.is_empty());
        }
    }

    #[test]
    fn parse_agrees_with_the_standard_library_on_every_short_string_of_its_alphabet() {
        // Every string of up to 7 bytes over digits and dots, and a sample of longer ones:
        // parsed exactly when the standard library parses it and writes it back unchanged.
        let alphabet = b"0123456789.";
        let check = |s: &[u8]| {
            let text = std::str::from_utf8(s).expect("ASCII");
            let std = text.parse::<Ipv4Addr>().ok().filter(|a| a.to_string() == text).map(u32::from);
            assert_eq!(parse_v4(s), std, "{text:?}");
        };
        let mut seed = 7u64;
        for len in 1..=15usize {
            let count = if len <= 6 { alphabet.len().pow(len as u32) } else { 200_000 };
            for n in 0..count {
                let mut s = vec![0u8; len];
                let mut k = n;
                for b in s.iter_mut() {
                    if len <= 6 {
                        *b = alphabet[k % alphabet.len()];
                        k /= alphabet.len();
                    } else {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        // Mostly digits, a dot one time in four.
                        *b = if (seed >> 33).is_multiple_of(4) { b'.' } else { b'0' + ((seed >> 40) % 10) as u8 };
                    }
                }
                check(&s);
            }
        }
    }

    #[test]
    fn codes_are_identities() {
        let mut strings = Interner::default();
        let mut of = |s: &str| Addr::of(s, |t| strings.intern(t));
        assert_eq!(of("1.2.3.4"), of("1.2.3.4"));
        assert_eq!(of("AWS Internal"), of("AWS Internal"));
        assert_ne!(of("1.2.3.4"), of("01.2.3.4"));
        assert_ne!(of("240.0.0.1"), of("AWS Internal"));
        assert_eq!(of(""), Addr::NONE);
        let (internal, nines) = (of("AWS Internal"), of("9.9.9.9"));
        assert_eq!(Addr::find("AWS Internal", &strings), Some(internal));
        assert_eq!(Addr::find("9.9.9.9", &strings), Some(nines));
        assert_eq!(Addr::find("never seen", &strings), None);
    }
}
