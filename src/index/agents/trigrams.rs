//! Which three-byte runs a deflated block of agents may hold (`Trigrams`): a search
//! inflates only the blocks that may hold every run of what it looks for.

/// Which three-byte runs (ASCII lower-cased) a block's text may hold: a search inflates
/// only the blocks that may hold every run of what it looks for. 2,048 bits a block (3 % of
/// its text); a block with a byte past ASCII, whose lower case the bytes do not show, may
/// hold anything.
#[derive(Clone)]
pub(super) struct Trigrams(Box<[u64; TRIGRAM_WORDS]>);

const TRIGRAM_WORDS: usize = 32;

/// A run's bit: its three bytes (`t`, the first lowest) hashed to 11 bits.
fn trigram_bit(t: u32) -> usize {
    (t.wrapping_mul(0x9E37_79B1) >> (32 - 11)) as usize
}

fn run_of(run: &[u8]) -> u32 {
    u32::from(run[0]) | u32::from(run[1]) << 8 | u32::from(run[2]) << 16
}

impl Trigrams {
    /// Bytes each holds on the heap.
    pub(super) const HEAP_BYTES: usize = TRIGRAM_WORDS * 8;

    pub(super) fn of(text: &[u8]) -> Trigrams {
        if !text.is_ascii() {
            return Trigrams(Box::new([u64::MAX; TRIGRAM_WORDS]));
        }
        // A byte a bit first: a store each, where setting bits would wait on the word before.
        let mut seen = [false; TRIGRAM_WORDS * 64];
        let lower: Vec<u8> = text.iter().map(u8::to_ascii_lowercase).collect();
        // Eight bytes read at once give six runs, each read as `run_of` reads it.
        let mut at = 0;
        while at + 8 <= lower.len() {
            let w = u64::from_le_bytes(lower[at..at + 8].try_into().unwrap_or_default());
            for k in 0..6 {
                seen[trigram_bit((w >> (8 * k)) as u32 & 0xFF_FFFF)] = true;
            }
            at += 6;
        }
        for run in lower[at..].windows(3) {
            seen[trigram_bit(run_of(run))] = true;
        }
        let mut bits = Box::new([0u64; TRIGRAM_WORDS]);
        for (word, seen) in bits.iter_mut().zip(seen.chunks_exact(64)) {
            *word = seen.iter().enumerate().fold(0, |w, (k, &s)| w | u64::from(s) << k);
        }
        Trigrams(bits)
    }

    /// Whether the text may hold every one of `needles` (lower-cased already).
    pub(super) fn may_hold(&self, needles: &[&[u8]]) -> bool {
        needles.iter().all(|n| {
            n.windows(3).all(|run| {
                let b = trigram_bit(run_of(run));
                self.0[b / 64] & (1 << (b % 64)) != 0
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every run of `needle` is in `text` (lower-cased as `Trigrams` reads it).
    fn in_text(text: &[u8], needle: &[u8]) -> bool {
        let lower = text.to_ascii_lowercase();
        needle.windows(3).all(|run| lower.windows(3).any(|w| w == run))
    }

    #[test]
    fn a_block_may_hold_every_run_it_holds_and_seldom_one_it_does_not() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut absent, mut said) = (0, 0);
        for len in [0usize, 1, 2, 3, 7, 8, 9, 13, 14, 15, 100, 4000] {
            let text: Vec<u8> = (0..len).map(|_| b"aAbB09./ -#xyzXYZ"[(next() % 17) as usize]).collect();
            let t = Trigrams::of(&text);
            // Every run of the text, at every offset (the eight-byte reads and the tail).
            for at in 0..len.saturating_sub(2) {
                let run = text[at..at + 3].to_ascii_lowercase();
                assert!(t.may_hold(&[&run]), "len {len}, run at {at}");
            }
            for _ in 0..200 {
                let needle: Vec<u8> = (0..4).map(|_| b"abcdefghij0123456789"[(next() % 20) as usize]).collect();
                if !in_text(&text, &needle) {
                    absent += 1;
                    said += usize::from(t.may_hold(&[&needle]));
                }
            }
        }
        assert!(said * 4 < absent, "{said} of {absent} absent needles said to be there");
        // Text past ASCII may hold anything; a needle shorter than a run says nothing.
        assert!(Trigrams::of("é".as_bytes()).may_hold(&[b"zzz"]));
        assert!(Trigrams::of(b"abc").may_hold(&[b"zz", b""]));
        assert!(!Trigrams::of(b"abc").may_hold(&[b"zzz"]));
    }
}
