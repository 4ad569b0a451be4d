//! The compact per-event record kept for every indexed event (about 88 bytes).

use super::event_id::EventId;
use super::intern::Sym;
use crate::time::Millis;

/// The interned text fields of an event, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub enum Field {
    Name,
    Source,
    Principal,
    Key,
    Ip,
    Region,
    Account,
    UserAgent,
    Error,
    IdentityType,
}

pub const FIELD_COUNT: usize = 10;

/// Where the original text of an event lives: a source file, and the record's position
/// among that file's records (document order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawRef {
    pub file: u32,
    pub ordinal: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub time: Millis,
    pub id: EventId,
    pub fields: [Sym; FIELD_COUNT],
    /// Index into `Index::sessions`, or `NO_SESSION` for keyless events (console, service).
    pub session: u32,
    /// Index into `Index::details`, or `NO_DETAIL`.
    pub detail: u32,
    pub raw: RawRef,
}

pub const NO_SESSION: u32 = u32::MAX;
pub const NO_DETAIL: u32 = u32::MAX;

impl Event {
    pub fn get(&self, f: Field) -> Sym {
        self.fields[f as usize]
    }
    pub fn is_error(&self) -> bool {
        !self.get(Field::Error).is_none()
    }
    pub fn session(&self) -> Option<usize> {
        (self.session != NO_SESSION).then_some(self.session as usize)
    }
}
