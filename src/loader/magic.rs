//! Compressed formats recognised by their first bytes, so that a file tokentrail cannot
//! decode is failed with what it is ("an xz file") instead of skipped as "not JSON".
//! Gzip itself is decoded (`gzip.rs`); these are what is left.

/// What a buffer that is not JSON is, when its first bytes say. The buffer is what the
/// source decoded to: a whole gzip member there was inflated already (or failed to), so
/// gzip's magic at the start means the file was compressed twice.
pub fn compressed_kind(b: &[u8]) -> Option<String> {
    const KINDS: [(&[u8], &str); 7] = [
        (b"\x1f\x8b", "gzip"),
        (b"\xfd7zXZ\x00", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"BZh", "bzip2"),
        (b"PK\x03\x04", "zip"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
        (b"\x04\x22\x4d\x18", "LZ4"),
    ];
    if let Some((_, name)) = KINDS.iter().find(|(magic, _)| b.starts_with(magic)) {
        return Some(match *name {
            "gzip" => "gzip inside gzip (compressed twice): decompress it once first".into(),
            name => format!("a {name}-compressed file: tokentrail reads gzip only, decompress it first"),
        });
    }
    // The start of a magic number with nothing after it: a file cut short.
    KINDS
        .iter()
        .find(|(magic, _)| !b.is_empty() && b.len() < magic.len() && magic.starts_with(b))
        .map(|(_, name)| format!("a truncated {name} file ({} bytes)", b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_files_are_named() {
        assert!(compressed_kind(b"\x1f").is_some_and(|k| k.contains("truncated gzip")));
        assert!(compressed_kind(b"\xfd7zXZ\x00\x00").is_some_and(|k| k.contains("xz")));
        assert!(compressed_kind(b"\x28\xb5\x2f\xfd\x00").is_some_and(|k| k.contains("zstd")));
        assert!(compressed_kind(b"\x1f\x8b\x08").is_some_and(|k| k.contains("compressed twice")));
        assert_eq!(compressed_kind(b"# README"), None);
        assert_eq!(compressed_kind(b""), None);
    }
}
