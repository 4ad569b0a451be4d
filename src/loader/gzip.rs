//! Whole-buffer gzip decompression, sized from the trailer, with CRC checking.
//!
//! One-shot inflate into a buffer of the right size is markedly faster than a streaming
//! `GzDecoder` over small reads. Multi-member streams (concatenated gzip) are supported.

use flate2::{Decompress, FlushDecompress, Status};

pub fn is_gzip(b: &[u8]) -> bool {
    b.len() >= 2 && b[0] == 0x1f && b[1] == 0x8b
}

/// Inflates every member; errors name what is wrong (truncated, corrupt, CRC mismatch).
pub fn gunzip(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    Gunzip::default().inflate(input, &mut out)?;
    Ok(out)
}

/// A reusable inflater: a loader worker keeps one for all its files, so the inflate state
/// (its 32 KiB window and tables) is set up once, not per file.
#[derive(Default)]
pub struct Gunzip {
    z: Option<Decompress>,
}

impl Gunzip {
    /// Inflates every member of `input` into `out` (cleared first, its capacity kept).
    pub fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        out.clear();
        let hint = if input.len() >= 4 {
            let t = &input[input.len() - 4..];
            u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as usize
        } else {
            0
        };
        // The trailer is attacker-controlled: never trust it for more than a plausible ratio.
        out.reserve(hint.min(input.len().saturating_mul(64) + (1 << 20)));
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
            pos += inflate_member(z, &input[pos..], out)?;
            members += 1;
        }
        Ok(())
    }
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

/// Inflates one member onto `out`; returns the bytes of input it used.
fn inflate_member(z: &mut Decompress, b: &[u8], out: &mut Vec<u8>) -> Result<usize, String> {
    let start = header_len(b)?;
    let out_start = out.len();
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(64 * 1024));
        }
        let consumed = start + z.total_in() as usize;
        let before = (z.total_in(), z.total_out());
        let status = z
            .decompress_vec(&b[consumed..], out, FlushDecompress::Finish)
            .map_err(|e| format!("corrupt gzip data: {e}"))?;
        match status {
            Status::StreamEnd => break,
            _ if (z.total_in(), z.total_out()) == before && out.len() < out.capacity() => {
                return Err("truncated gzip (stream ends before its last block)".into());
            }
            _ => {}
        }
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
        g.inflate(&gz(&b), &mut out).expect("after an error");
        assert_eq!(out, b);
        g.inflate(&full, &mut out).expect("smaller after larger");
        assert_eq!(out, a);
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
