//! Event ids packed into 16 bytes.
//!
//! Real `eventID`s are lowercase UUIDs: they pack into their 128 bits. Anything else
//! (documentation ids such as `dEXAMPLE-…`, ids synthesised for records without one)
//! is interned, and marked by a zero UUID version nibble, which no real UUID has.

use super::intern::{Interner, Sym};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId {
    hi: u64,
    lo: u64,
}

const VERSION_MASK: u64 = 0xF000;

impl EventId {
    pub fn new(s: &str, strings: &mut Interner) -> EventId {
        parse_uuid(s).unwrap_or_else(|| EventId { hi: 0, lo: u64::from(strings.intern(s).0) })
    }

    /// Looks an id up without interning (None when it cannot be in the index).
    pub fn find(s: &str, strings: &Interner) -> Option<EventId> {
        parse_uuid(s).or_else(|| strings.get(s).map(|sym| EventId { hi: 0, lo: u64::from(sym.0) }))
    }

    pub fn to_string(self, strings: &Interner) -> String {
        if self.hi & VERSION_MASK == 0 {
            return strings.resolve(Sym(self.lo as u32)).to_string();
        }
        let v = (u128::from(self.hi) << 64) | u128::from(self.lo);
        let h = format!("{v:032x}");
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }
}

/// Lowercase hex digit values; 0xFF marks every other byte.
const HEX: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// A lowercase UUID packed into 128 bits; None for anything else (uppercase would not
/// round-trip). Called for every event, so it runs without a branch per digit.
pub fn parse_uuid(s: &str) -> Option<EventId> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    // The 32 digits' positions: fixed, so the loops unroll without bounds checks.
    const DIGITS: [usize; 32] = [
        0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
        34, 35,
    ];
    let b: &[u8; 36] = b.try_into().ok()?;
    let mut bad = 0u8;
    let mut half = |digits: &[usize]| {
        digits.iter().fold(0u64, |v, &i| {
            let d = HEX[usize::from(b[i])];
            bad |= d;
            (v << 4) | u64::from(d & 0xF)
        })
    };
    let id = EventId { hi: half(&DIGITS[..16]), lo: half(&DIGITS[16..]) };
    (bad & 0xF0 == 0 && id.hi & VERSION_MASK != 0).then_some(id)
}

impl EventId {
    /// An interned (non-UUID) id.
    pub fn from_sym(sym: Sym) -> EventId {
        EventId { hi: 0, lo: u64::from(sym.0) }
    }
    /// The interned string's symbol, when this id is not a packed UUID.
    pub fn as_sym(self) -> Option<Sym> {
        (self.hi & VERSION_MASK == 0).then_some(Sym(self.lo as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_pack_and_odd_ids_intern_both_round_trip() {
        let mut s = Interner::default();
        for raw in [
            "3038ebd2-c98a-4c65-9b6e-e22506292313",
            "dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE",
            "3038EBD2-C98A-4C65-9B6E-E22506292313",
            "00000000-0000-0000-0000-000000000000",
            "3038ebd2-c98a-4c65-9b6e-e2250629231g",
            "3038ebd2-c98a-4c65-9b6e-e2250629231/",
            "x",
        ] {
            let id = EventId::new(raw, &mut s);
            assert_eq!(id.to_string(&s), raw);
            assert_eq!(EventId::find(raw, &s), Some(id));
        }
        assert_eq!(s.len(), 7, "the six odd ids are interned (plus the empty string); the UUID is not");
    }

    #[test]
    fn every_digit_is_checked_and_packed_order_is_text_order() {
        let good = "3038ebd2-c98a-4c65-9b6e-e22506292313";
        for (i, c) in good.char_indices().filter(|&(_, c)| c != '-') {
            for bad in ['G', 'A', '/', ':', '`', 'g', ' '] {
                let mut s = good.to_string();
                s.replace_range(i..=i, &bad.to_string());
                assert_eq!(parse_uuid(&s), None, "{s}");
            }
            let mut s = good.to_string();
            s.replace_range(i..=i, if c == 'f' { "0" } else { "f" });
            let (a, b) = (parse_uuid(good).expect(good), parse_uuid(&s).expect(&s));
            assert_eq!(a.cmp(&b), good.cmp(s.as_str()), "{s}");
        }
    }
}
