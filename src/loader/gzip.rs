//! Whole-buffer gzip decompression, sized from the trailer, with CRC checking.
//!
//! One-shot inflate into a buffer of the right size is markedly faster than a streaming
//! `GzDecoder` over small reads. A file of one member (what CloudTrail writes) goes to
//! libdeflate, ~20 % faster than zlib-rs with its CRC; anything else — several members
//! (concatenated gzip), padding, a trailer that does not fit — to zlib-rs, which says what is
//! wrong with a bad file.

use flate2::{Decompress, FlushDecompress, Status};

/// Inflation is bounded as it happens, not checked after: a file may inflate to at most
/// `MAX_RATIO` times its compressed size, or `MIN_ALLOWANCE` whatever its size (small
/// files compress well), and never past 4 GiB (offsets in the index are 32-bit). CloudTrail
/// deliveries inflate 8–20×; a megabyte of zeros inflates 1,000×.
pub const MAX_RATIO: usize = 100;
pub const MIN_ALLOWANCE: usize = 64 << 20;
pub const MAX_DECODED: usize = super::limits::MAX_FILE_BYTES as usize;

/// The most bytes `input` may inflate to.
pub fn inflate_limit(compressed: usize) -> usize {
    compressed.saturating_mul(MAX_RATIO).clamp(MIN_ALLOWANCE, MAX_DECODED)
}

fn too_large(compressed: usize) -> String {
    format!(
        "gzip inflates past {} bytes ({MAX_RATIO}× its {compressed} compressed bytes, at least {} MiB, at most 4 GiB): not read, a decompression bomb or a file larger than tokentrail reads",
        inflate_limit(compressed),
        MIN_ALLOWANCE >> 20
    )
}

pub fn is_gzip(b: &[u8]) -> bool {
    b.len() >= 2 && b[0] == 0x1f && b[1] == 0x8b
}

/// Inflates every member; errors name what is wrong (truncated, corrupt, CRC mismatch).
pub fn gunzip(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let len = Gunzip::default().inflate(input, &mut out)?.len();
    out.truncate(len);
    Ok(out)
}

/// A reusable inflater: a loader worker keeps one for all its files, so the inflate state
/// (window and tables) is set up once, not per file.
#[derive(Default)]
pub struct Gunzip {
    z: Option<Decompress>,
    whole: Option<libdeflater::Decompressor>,
}

impl Gunzip {
    /// Inflates every member of `input` into `out`, whose allocation (and, for speed, length:
    /// no zeroing) is kept from file to file; the decoded bytes are the returned slice.
    pub fn inflate<'o>(&mut self, input: &[u8], out: &'o mut Vec<u8>) -> Result<&'o [u8], String> {
        if let Some(size) = single_member_size(input) {
            if out.len() < size {
                out.resize(size, 0);
            }
            let whole = self.whole.get_or_insert_with(libdeflater::Decompressor::new);
            // The size check completes the proof in `single_member_size`: the member libdeflate
            // read (it checks that member's own CRC and size) ends where the file does.
            if let Ok(n) = whole.gzip_decompress(input, &mut out[..size])
                && n == size
            {
                return Ok(&out[..size]);
            }
        }
        out.clear();
        self.every_member(input, out)?;
        Ok(out)
    }

    fn every_member(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        if !is_gzip(input) {
            return Err("not gzip (no gzip header)".into());
        }
        let hint = trailer_size(input).unwrap_or(0);
        let limit = inflate_limit(input.len());
        out.reserve(hint.min(plausible_size(input)).min(limit));
        let mut pos = 0;
        let mut members = 0;
        while pos < input.len() {
            if !is_gzip(&input[pos..]) {
                if members > 0 && input[pos..].iter().all(|&b| b == 0) {
                    break; // zero padding after the last member
                }
                return Err(format!("unexpected data after gzip member at byte {pos}"));
            }
            let z = self.z.get_or_insert_with(|| Decompress::new(false));
            z.reset(false);
            pos += inflate_member(z, &input[pos..], out, limit).map_err(|e| match e {
                Inflate::TooLarge => too_large(input.len()),
                Inflate::Bad(why) => why,
            })?;
            members += 1;
        }
        Ok(())
    }
}

/// The last 4 bytes: the last member's ISIZE.
fn trailer(input: &[u8]) -> Option<&[u8; 4]> {
    input.last_chunk::<4>()
}

/// The size the last 4 bytes give.
fn trailer_size(input: &[u8]) -> Option<usize> {
    trailer(input).map(|t| u32::from_le_bytes(*t) as usize)
}

/// The trailer is attacker-controlled: never trust it for more than a plausible ratio.
fn plausible_size(input: &[u8]) -> usize {
    input.len().saturating_mul(64) + (1 << 20)
}

/// The decoded size of `input` when it can be one gzip member and nothing else, for
/// libdeflate, which reads the first member and does not say where it ended. Whatever member
/// libdeflate reads, it checks that member's trailer: CRC and ISIZE. If its output has the
/// size the file's last 4 bytes give, that member's ISIZE holds those 4 bytes; if they occur
/// nowhere else in the file, that member's trailer is the file's last 8 bytes — it is the
/// only member, with nothing after it. (Otherwise, or on any error: zlib-rs reads it all.)
fn single_member_size(input: &[u8]) -> Option<usize> {
    if input.len() < 18 || !is_gzip(input) {
        return None;
    }
    let isize_bytes = trailer(input)?;
    let size = u32::from_le_bytes(*isize_bytes) as usize;
    let elsewhere = memchr::memmem::find(&input[..input.len() - 1], isize_bytes).is_some();
    (size <= plausible_size(input) && !elsewhere).then_some(size)
}

fn header_len(b: &[u8]) -> Result<usize, String> {
    let short = || "truncated gzip header".to_string();
    if b.len() < 10 {
        return Err(short());
    }
    if b[2] != 8 {
        return Err(format!("unsupported gzip compression method {}", b[2]));
    }
    let flags = b[3];
    let mut pos = 10;
    if flags & 0x04 != 0 {
        let x = b.get(pos..pos + 2).ok_or_else(short)?;
        pos += 2 + usize::from(u16::from_le_bytes([x[0], x[1]]));
    }
    for bit in [0x08u8, 0x10] {
        if flags & bit != 0 {
            let nul = b.get(pos..).ok_or_else(short)?.iter().position(|&c| c == 0).ok_or_else(short)?;
            pos += nul + 1;
        }
    }
    if flags & 0x02 != 0 {
        pos += 2;
    }
    if pos > b.len() {
        return Err(short());
    }
    Ok(pos)
}

enum Inflate {
    /// `out` would pass the limit.
    TooLarge,
    Bad(String),
}

impl From<String> for Inflate {
    fn from(s: String) -> Inflate {
        Inflate::Bad(s)
    }
}

impl From<&str> for Inflate {
    fn from(s: &str) -> Inflate {
        Inflate::Bad(s.into())
    }
}

/// Inflates one member onto `out`, which never grows past `limit` bytes (plus one, to tell
/// that it would); returns the bytes of input it used.
fn inflate_member(z: &mut Decompress, b: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<usize, Inflate> {
    let start = header_len(b)?;
    let out_start = out.len();
    loop {
        if out.len() > limit {
            return Err(Inflate::TooLarge);
        }
        if out.len() == out.capacity() {
            // Exact: `reserve` may round up past the limit, and inflate fills what there is.
            out.reserve_exact(out.capacity().max(64 * 1024).min(limit + 1 - out.len()));
        }
        let consumed = start + z.total_in() as usize;
        let before = (z.total_in(), z.total_out());
        let status = z
            .decompress_vec(&b[consumed..], out, FlushDecompress::Finish)
            .map_err(|e| Inflate::Bad(format!("corrupt gzip data: {e}")))?;
        match status {
            Status::StreamEnd => break,
            _ if (z.total_in(), z.total_out()) == before && out.len() < out.capacity() => {
                return Err("truncated gzip (stream ends before its last block)".into());
            }
            _ => {}
        }
    }
    if out.len() > limit {
        return Err(Inflate::TooLarge);
    }
    let end = start + z.total_in() as usize;
    let trailer = b.get(end..end + 8).ok_or("truncated gzip (missing trailer)")?;
    let want_crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let want_len = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    let crc = crc32fast::hash(&out[out_start..]);
    if crc != want_crc || (out.len() - out_start) as u32 != want_len {
        return Err("gzip CRC or length mismatch (corrupt file)".into());
    }
    Ok(end + 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    #[test]
    fn round_trips_single_and_multi_member() {
        let a = b"{\"Records\":[]}".repeat(1000);
        assert_eq!(gunzip(&gz(&a)).expect("one"), a);
        let mut two = gz(b"hello ");
        two.extend(gz(b"world"));
        assert_eq!(gunzip(&two).expect("two"), b"hello world");
    }

    #[test]
    fn a_reused_inflater_starts_clean_after_each_file_even_a_corrupt_one() {
        let (a, b) = (b"first file ".repeat(500), b"second".repeat(9000));
        let (mut g, mut out) = (Gunzip::default(), Vec::new());
        let full = gz(&a);
        assert!(g.inflate(&full[..full.len() / 2], &mut out).is_err());
        assert_eq!(g.inflate(&gz(&b), &mut out).expect("after an error"), b);
        assert_eq!(g.inflate(&full, &mut out).expect("smaller after larger"), a);
        let mut two = gz(&a);
        two.extend(gz(&b));
        assert_eq!(g.inflate(&two, &mut out).expect("two members after one"), [&a[..], &b[..]].concat());
        assert_eq!(g.inflate(&gz(b"tiny"), &mut out).expect("one after two"), b"tiny");
    }

    #[test]
    fn only_a_lone_member_goes_to_libdeflate() {
        let a = b"{\"Records\":[{\"eventName\":\"GetObject\"}]}".repeat(300);
        assert_eq!(single_member_size(&gz(&a)), Some(a.len()));
        // Two members of the same size: libdeflate would read the first and stop, with no error.
        let (x, y) = (b"first half ".repeat(100), b"other half ".repeat(100));
        let mut two = gz(&x);
        two.extend(gz(&y));
        assert_eq!(single_member_size(&two), None);
        assert_eq!(gunzip(&two).expect("both"), [&x[..], &y[..]].concat());
        // One member, then bytes that end with its size: gzip's \"trailing garbage\", an error.
        let mut tail = gz(&x);
        let size = tail[tail.len() - 4..].to_vec();
        tail.extend(b"junk");
        tail.extend(&size);
        assert_eq!(single_member_size(&tail), None);
        assert!(gunzip(&tail).expect_err("garbage").contains("unexpected data"));
        // Zero padding after the member still reads.
        let mut padded = gz(&x);
        padded.extend([0u8; 16]);
        assert_eq!(gunzip(&padded).expect("padded"), x);
    }

    #[test]
    fn libdeflate_and_zlib_rs_agree_and_both_check_the_crc() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        let one = gz(&data);
        assert!(single_member_size(&one).is_some());
        let mut out = Vec::new();
        assert_eq!(Gunzip::default().inflate(&one, &mut out).expect("libdeflate"), data);
        let mut zlib = Vec::new();
        Gunzip::default().every_member(&one, &mut zlib).expect("zlib-rs");
        assert_eq!(zlib, data);
        let mut bad = one.clone();
        let n = bad.len();
        bad[n - 8] ^= 1; // the CRC
        assert!(gunzip(&bad).expect_err("crc").contains("CRC"));
    }

    #[test]
    fn input_that_is_not_gzip_is_an_error_not_an_empty_file() {
        // Found by the gzip fuzzer: empty input inflated to nothing, where flate2 says why.
        for input in [&b""[..], b"\x1f", b"{}"] {
            assert!(Gunzip::default().inflate(input, &mut Vec::new()).is_err(), "{input:?}");
        }
    }

    #[test]
    fn truncation_and_corruption_are_errors_not_panics() {
        let full = gz(&b"0123456789abcdef".repeat(4096));
        for cut in [3, 12, full.len() / 2, full.len() - 4] {
            let e = gunzip(&full[..cut]).expect_err("truncated");
            assert!(e.contains("truncated") || e.contains("corrupt"), "{cut}: {e}");
        }
        let mut bad = full.clone();
        let n = bad.len();
        bad[n - 6] ^= 0xff; // CRC
        assert!(gunzip(&bad).is_err());
    }

    #[test]
    fn a_lying_size_trailer_does_not_allocate_gigabytes() {
        let mut g = gz(b"small");
        let n = g.len();
        g[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(gunzip(&g).is_err());
    }
}
