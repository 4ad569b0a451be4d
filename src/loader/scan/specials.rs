//! Where strings end: a bitmap of the bytes that stop a plain run of JSON string — `"`, `\`
//! and control characters — one bit per byte of the document, built once in a branch-free
//! pass. The scanner then finds the end of a string by a shift and a count of trailing
//! zeros instead of testing bytes: a byte loop mispredicts once at the end of every string,
//! and a record has about ninety of them.

/// Bit `i % 64` of word `i / 64` is set when byte `i` is special. Past the end: clear.
#[derive(Debug)]
pub struct Specials(Vec<u64>);

impl Specials {
    pub fn new(text: &[u8]) -> Self {
        let mut words = Vec::with_capacity(text.len().div_ceil(64));
        let mut blocks = text.chunks_exact(64);
        // Extended from an iterator of known length: no capacity check per word (a `push`
        // loop kept the vector's length in memory and copied each block to the stack).
        words.extend(blocks.by_ref().map(|b| block_mask(b.try_into().unwrap_or(&[0; 64]))));
        if !blocks.remainder().is_empty() {
            // Padded with a plain byte. (Only here: padding every block, through one loop
            // over `chunks(64)`, cost 4 % of the whole load's CPU.)
            let mut b = [b'a'; 64];
            b[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
            words.push(block_mask(&b));
        }
        Specials(words)
    }

    /// The position of the first special byte at or after `from`.
    #[inline(always)]
    pub fn next(&self, from: usize) -> Option<usize> {
        let (word, shift) = (from / 64, from % 64);
        // Most strings end in the rest of the first word: one shift and a count.
        let rest = *self.0.get(word)? >> shift;
        if rest != 0 {
            return Some(from + rest.trailing_zeros() as usize);
        }
        match self.0.get(word + 1) {
            Some(&next) if next != 0 => Some((word + 1) * 64 + next.trailing_zeros() as usize),
            _ => self.beyond(word + 2),
        }
    }

    /// The first special byte in word `word` or later (long strings: session tokens).
    #[inline(never)]
    fn beyond(&self, word: usize) -> Option<usize> {
        (word..self.0.len()).find_map(|w| {
            let m = self.0[w];
            (m != 0).then(|| w * 64 + m.trailing_zeros() as usize)
        })
    }
}

/// The special bytes of one 64-byte block, as bits.
#[cfg(target_arch = "x86_64")]
fn block_mask(b: &[u8; 64]) -> u64 {
    use safe_arch::*;
    let (quote, backslash) = (set_splat_i8_m128i(b'"' as i8), set_splat_i8_m128i(b'\\' as i8));
    let (below_space, zero) = (set_splat_i8_m128i(0x1f), zeroed_m128i());
    let mut mask = 0u64;
    for (i, chunk) in b.chunks_exact(16).enumerate() {
        let v = load_unaligned_m128i(chunk.try_into().unwrap_or(&[0; 16]));
        // A control character is a byte that saturates to zero when 0x1f is taken off it.
        let control = cmp_eq_mask_i8_m128i(sub_saturating_u8_m128i(v, below_space), zero);
        let hit = bitor_m128i(bitor_m128i(cmp_eq_mask_i8_m128i(v, quote), cmp_eq_mask_i8_m128i(v, backslash)), control);
        mask |= u64::from(move_mask_i8_m128i(hit) as u16) << (16 * i);
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
fn block_mask(b: &[u8; 64]) -> u64 {
    portable_block_mask(b)
}

/// Eight bytes at a time in a `u64` (SWAR), for CPUs without the vector path.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable_block_mask(b: &[u8; 64]) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const LOW7: u64 = ONES * 0x7f;
    const HIGH: u64 = ONES << 7;
    // High bit of each byte that is exactly zero (no borrow between bytes).
    let zero = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x) & HIGH;
    let below_space = |x: u64| !(((x & LOW7).wrapping_add(ONES * (0x80 - 0x20))) | x) & HIGH;
    let mut mask = 0u64;
    for (i, chunk) in b.chunks_exact(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        let hits = zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\'))) | below_space(x);
        // Gather the eight high bits into one byte.
        let byte = ((hits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= byte << (8 * i);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn special(c: u8) -> bool {
        c == b'"' || c == b'\\' || c < 0x20
    }

    #[test]
    fn every_byte_value_in_every_position() {
        for c in 0..=255u8 {
            for at in [0, 1, 7, 8, 15, 16, 31, 47, 63] {
                let mut b = [b'a'; 64];
                b[at] = c;
                let want = if special(c) { 1u64 << at } else { 0 };
                assert_eq!(block_mask(&b), want, "byte {c:#x} at {at}");
                assert_eq!(portable_block_mask(&b), want, "byte {c:#x} at {at}");
            }
        }
    }

    #[test]
    fn next_finds_the_first_special_from_any_position() {
        let mut seed = 7u64;
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 300] {
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    // Mostly plain bytes (UTF-8 lead and continuation bytes included), so
                    // some specials are far apart.
                    match (seed >> 33) % 40 {
                        0 => b'"',
                        1 => b'\\',
                        2 => 0x1f,
                        3 => 0xc3,
                        _ => b'x',
                    }
                })
                .collect();
            let s = Specials::new(&text);
            for from in 0..=len + 1 {
                let want = text.iter().skip(from).position(|&c| special(c)).map(|p| from + p);
                assert_eq!(s.next(from), want, "len {len} from {from}");
            }
        }
        let long = [b"x".repeat(500), b"\"".to_vec()].concat();
        assert_eq!(Specials::new(&long).next(3), Some(500));
    }
}
