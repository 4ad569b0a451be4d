//! The same `Record` as the serde derive reads, through the fast scanner (`crate::loader::scan`).
//!
//! Both readers take their keys from the one declaration of each struct (`record_struct!`);
//! the tests check they read the same value for every key. Whatever the scanner gives up on
//! goes to serde, which stays the reference (and the one that explains errors).

use super::{Obj, Record, Str};
use crate::loader::scan::{Bail, Cursor, Scan};
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

/// One record from its text: the scanner when it can, serde otherwise.
pub fn parse(text: &str) -> Result<Record<'_>, serde_json::Error> {
    let mut c = Cursor::new(text);
    let mut r = Record::default();
    match r.scan_into(&mut c) {
        Ok(()) if c.at_end() => Ok(r),
        _ => serde_json::from_str(text),
    }
}

/// The scanner alone: the record, or None where it gives up (serde then decides). For the
/// tests and the fuzz target that check both readers agree.
pub fn scan_only(text: &str) -> Option<Record<'_>> {
    let mut c = Cursor::new(text);
    let mut r = Record::default();
    (r.scan_into(&mut c).is_ok() && c.at_end()).then_some(r)
}

/// A value the scanner can read in place of serde's `Deserialize`. It reads into a value
/// that holds its default: records are large, so they are filled where they lie, not moved.
pub trait Scanned<'a> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()>;
}

impl<'a> Scanned<'a> for Str<'a> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        self.0 = c.text()?;
        Ok(())
    }
}

impl<'a, T: Scanned<'a>> Scanned<'a> for Obj<T> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        if c.peek() == Some(b'{') { self.0.scan_into(c) } else { c.skip() }
    }
}

impl<'a, T: Scanned<'a>> Scanned<'a> for super::FirstOf<T> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        if c.peek() != Some(b'[') {
            return c.skip();
        }
        let mut first = true;
        c.array(|c| if std::mem::take(&mut first) && c.peek() == Some(b'{') { self.0.scan_into(c) } else { c.skip() })
    }
}

impl<'a> Scanned<'a> for Option<IgnoredAny> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        *self = c.raw()?.ne("null").then_some(IgnoredAny);
        Ok(())
    }
}

impl<'a> Scanned<'a> for Option<&'a RawValue> {
    fn scan_into(&mut self, c: &mut Cursor<'a>) -> Scan<()> {
        let raw = c.raw()?;
        *self = if raw == "null" { None } else { Some(serde_json::from_str(raw).map_err(|_| Bail)?) };
        Ok(())
    }
}

#[cfg(test)]
mod tests;
