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
    let b: &[u8; 36] = b.try_into().ok()?;
    let (mut hi, mut lo) = ([0u8; 16], [0u8; 16]);
    hi[..8].copy_from_slice(&b[..8]);
    hi[8..12].copy_from_slice(&b[9..13]);
    hi[12..].copy_from_slice(&b[14..18]);
    lo[..4].copy_from_slice(&b[19..23]);
    lo[4..].copy_from_slice(&b[24..]);
    let id = EventId { hi: hex16(hi)?, lo: hex16(lo)? };
    (id.hi & VERSION_MASK != 0).then_some(id)
}

/// Sixteen lowercase hex digits → their value, the first digit most significant; None when
/// any byte is not one. SSE2 (through `safe_arch`): a dozen vector steps for all sixteen.
#[cfg(target_arch = "x86_64")]
fn hex16(digits: [u8; 16]) -> Option<u64> {
    use safe_arch::*;
    let v = load_unaligned_m128i(&digits);
    // Signed compares: bytes of 0x80 and above are negative, so below both ranges.
    let within = |lo: u8, hi: u8| {
        bitand_m128i(
            cmp_gt_mask_i8_m128i(v, set_splat_i8_m128i(lo as i8 - 1)),
            cmp_lt_mask_i8_m128i(v, set_splat_i8_m128i(hi as i8 + 1)),
        )
    };
    let (digit, letter) = (within(b'0', b'9'), within(b'a', b'f'));
    if move_mask_i8_m128i(bitor_m128i(digit, letter)) != 0xFFFF {
        return None;
    }
    // '0'..'9' are their low nibble; 'a'..'f' are theirs (1..6) plus 9.
    let nibbles = add_i8_m128i(bitand_m128i(v, set_splat_i8_m128i(0x0F)), bitand_m128i(letter, set_splat_i8_m128i(9)));
    // Each pair of bytes (the earlier digit in the low byte) → one byte, earlier digit high.
    let pairs = bitor_m128i(
        shr_imm_u16_m128i::<8>(nibbles),
        shl_imm_u16_m128i::<4>(bitand_m128i(nibbles, set_splat_i16_m128i(0x00FF))),
    );
    let bytes: [u8; 16] = pack_i16_to_u8_m128i(pairs, pairs).into();
    Some(u64::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]))
}

/// Sixteen lowercase hex digits → their value (the portable form of the above).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn hex16_portable(digits: [u8; 16]) -> Option<u64> {
    let mut bad = 0u8;
    let v = digits.iter().fold(0u64, |v, &c| {
        let d = HEX[usize::from(c)];
        bad |= d;
        (v << 4) | u64::from(d & 0xF)
    });
    (bad & 0xF0 == 0).then_some(v)
}

#[cfg(not(target_arch = "x86_64"))]
fn hex16(digits: [u8; 16]) -> Option<u64> {
    hex16_portable(digits)
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

    #[test]
    fn vector_and_portable_hex_agree_on_every_byte_at_every_position() {
        let base: [u8; 16] = *b"0123456789abcdef";
        for pos in 0..16 {
            for byte in 0..=255u8 {
                let mut d = base;
                d[pos] = byte;
                assert_eq!(hex16(d), hex16_portable(d), "byte {byte:#x} at {pos}");
            }
        }
        assert_eq!(hex16(base), Some(0x0123_4567_89ab_cdef));
    }
}
