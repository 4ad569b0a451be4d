//! What one file may cost, in one place: the file reader, the inflater and the parser all
//! refuse past it (offsets in the index are 32-bit).

/// The largest file read, stored or decoded: offsets in the index are 32-bit.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;
