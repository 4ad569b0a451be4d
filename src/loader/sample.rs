//! The bundled sample incident (`sample-logs/`), embedded at build time.

use crate::loader::source::Source;

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// The embedded sample as load sources.
pub fn sources() -> Vec<Source> {
    SAMPLE_FILES.iter().map(|(name, bytes)| Source::Embedded { name, bytes }).collect()
}
