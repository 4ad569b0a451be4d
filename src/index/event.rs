//! The compact per-event record kept for every indexed event (56 bytes): its time, id,
//! where its text is, its session and detail, and its fields — the call (name, source,
//! region, error code) and the signer (principal, key, account, identity type, issuer type,
//! bare ARN) as numbers into the index's tables of distinct ones (a million events hold some
//! thousands of calls and as many signers as sessions), the address (`Addr`: an IPv4
//! address itself) and the agent's symbol inline.

use super::addr::Addr;
use super::event_id::EventId;
use super::intern::Sym;
use crate::time::Millis;

/// The interned text fields of an event, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// `userIdentity.sessionContext.sessionIssuer.type` (`Role`, `IAMUser`, `Root`).
    IssuerType,
    /// `userIdentity.arn` alone (`Principal` falls back to `invokedBy` and `principalId`).
    Arn,
}

pub const FIELD_COUNT: usize = 12;

/// The call's fields, in `Index::calls` order.
pub const CALL_FIELDS: [Field; 4] = [Field::Name, Field::Source, Field::Region, Field::Error];
/// The signer's fields, in `Index::signers` order.
pub const SIGNER_FIELDS: [Field; 6] =
    [Field::Principal, Field::Key, Field::Account, Field::IdentityType, Field::IssuerType, Field::Arn];

/// The fields the index holds as the record wrote them, by their CloudTrail (and Sigma)
/// names: for an event whose `RawRef::as_written` holds, each is exactly the record's own
/// value (absent when the record has none), so a rule that reads only these is decided
/// from the index (`detect`), and for any event a value one of these must have sifts the
/// events a rule can match (`detect::needs`). `Record::as_written` checks each.
pub const AS_WRITTEN: [(&str, Field); 9] = [
    ("eventName", Field::Name),
    ("eventSource", Field::Source),
    ("userIdentity.type", Field::IdentityType),
    ("userIdentity.arn", Field::Arn),
    ("userIdentity.sessionContext.sessionIssuer.type", Field::IssuerType),
    ("userAgent", Field::UserAgent),
    ("sourceIPAddress", Field::Ip),
    ("awsRegion", Field::Region),
    ("errorCode", Field::Error),
];

/// Where a field's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Call(usize),
    Signer(usize),
    /// `Event::addr`: an `Addr`, not a symbol.
    Addr,
    /// `Event::agent`.
    Agent,
}

impl Field {
    pub const fn slot(self) -> Slot {
        match self {
            Field::Name => Slot::Call(0),
            Field::Source => Slot::Call(1),
            Field::Principal => Slot::Signer(0),
            Field::Key => Slot::Signer(1),
            Field::Account => Slot::Signer(2),
            Field::IdentityType => Slot::Signer(3),
            Field::IssuerType => Slot::Signer(4),
            Field::Arn => Slot::Signer(5),
            Field::Region => Slot::Call(2),
            Field::Error => Slot::Call(3),
            Field::Ip => Slot::Addr,
            Field::UserAgent => Slot::Agent,
        }
    }
}

/// Where the original text of an event lives: a source file, and the record's position
/// among that file's records (document order); and whether the index holds the record's
/// `AS_WRITTEN` fields exactly as written (`Record::as_written`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawRef {
    pub file: u32,
    /// The ordinal, and `AS_WRITTEN_BIT`. A file is at most 4 GiB (`loader::limits`) and a
    /// record at least 2 bytes, so an ordinal never reaches the bit.
    packed: u32,
}

const AS_WRITTEN_BIT: u32 = 1 << 31;

impl RawRef {
    pub fn new(file: u32, ordinal: u32, as_written: bool) -> RawRef {
        debug_assert!(ordinal < AS_WRITTEN_BIT);
        RawRef { file, packed: (ordinal & !AS_WRITTEN_BIT) | if as_written { AS_WRITTEN_BIT } else { 0 } }
    }

    pub fn ordinal(&self) -> u32 {
        self.packed & !AS_WRITTEN_BIT
    }

    /// The index holds this record's `AS_WRITTEN` fields exactly as it wrote them.
    pub fn as_written(&self) -> bool {
        self.packed & AS_WRITTEN_BIT != 0
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub time: Millis,
    pub id: EventId,
    /// Position in `Index::calls`, and `ERROR_BIT` when the call's error code is not empty
    /// (so that `is_error` needs no table): read it with `call_id`.
    pub call: u32,
    /// Position in `Index::signers`.
    pub signer: u32,
    /// `sourceIPAddress`.
    pub addr: Addr,
    /// `userAgent`.
    pub agent: Sym,
    /// Index into `Index::sessions`, or `NO_SESSION` for keyless events (console, service).
    pub session: u32,
    /// Index into `Index::details`, or `NO_DETAIL`.
    pub detail: u32,
    pub raw: RawRef,
}

/// Set in `Event::call` for a call with an error code (a load holds far fewer than 2^31
/// distinct calls: they are at most its events, and an event takes 56 bytes).
pub const ERROR_BIT: u32 = 1 << 31;

pub const NO_SESSION: u32 = u32::MAX;
pub const NO_DETAIL: u32 = u32::MAX;

impl Event {
    /// Its position in `Index::calls`.
    pub fn call_id(&self) -> usize {
        (self.call & !ERROR_BIT) as usize
    }
    pub fn source_ip(&self) -> Addr {
        self.addr
    }
    pub fn user_agent(&self) -> Sym {
        self.agent
    }
    pub fn is_error(&self) -> bool {
        self.call & ERROR_BIT != 0
    }
    pub fn session(&self) -> Option<usize> {
        (self.session != NO_SESSION).then_some(self.session as usize)
    }
}

// The size the module's documentation and the index's memory figures assume.
const _: () = assert!(std::mem::size_of::<Event>() == 56);
