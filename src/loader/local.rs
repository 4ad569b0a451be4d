//! What one worker keeps between files: its own interner and its own numbering of
//! credential sessions. The merge maps both to the index's by table, so a string or a
//! session is hashed globally once per worker, not once per event. When the worker's strings
//! pass `LOCAL_TEXT_BUDGET` (high-cardinality fields: an address or agent per event), the
//! tables start again, and the merge is told (`Grown::reset`): a worker never holds a second
//! copy of every string the load has seen. A field whose values are new nearly every time is
//! not looked up in the worker's table at all (`Novelty`): the merge dedupes what it sends.

use crate::index::addr::Addr;
use crate::index::detail::Detail;
use crate::index::event::{FIELD_COUNT, Field};
use crate::index::event_id::EventId;
use crate::index::intern::{Interner, StringRun, Sym};
use crate::index::session::{SessionInfo, SessionKey};
use crate::time::Millis;
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub struct Local {
    pub strings: Interner,
    /// User agents apart (`index::agents`): the index keeps them in their own store.
    pub agents: Interner,
    session_ids: FxHashMap<SessionKey, u32>,
    sessions: Vec<SessionInfo>,
    sent_strings: usize,
    sent_agents: usize,
    sent_sessions: usize,
    /// Per access key, the fields of the previous event made with it: a key's principal,
    /// account and identity type never change, its IP and user agent seldom do, and a
    /// comparison is cheaper than a hash look-up. (Events without a key: the `NONE` entry.)
    /// A cache of the previous event's fields, whatever its key (now its key alone:
    /// `last_key`), once sat in front of the table too: in shuffled files it seldom hit,
    /// and without it the load of the realistic 1M shape ran 1 % fewer instructions and
    /// missed a core's 2 MiB 6 % less often (cachegrind); the low shape's were the same.
    by_key: FxHashMap<Sym, [Sym; FIELD_COUNT]>,
    /// The previous event's access key.
    last_key: Sym,
    /// Per field, how often its values were new to the tables (`Novelty`).
    novelty: [Novelty; FIELD_COUNT],
    /// The tables started again since the last `take_grown`.
    reset: bool,
}

/// Bytes of text a worker's interner may hold before its tables start again: small enough
/// that its text and tables stay in a core's cache (2 MiB of L2 here), where most of a
/// worker's look-ups hit. At 4 MiB the load of the realistic 1M shape took 10 % more CPU;
/// at 64 KiB the strings sent again after each start outweighed the gain.
pub(super) const LOCAL_TEXT_BUDGET: usize = 256 << 10;

impl Default for Local {
    fn default() -> Self {
        let strings = Interner::default();
        // The empty string is `Sym::NONE` in every interner: never sent.
        let sent_strings = strings.len();
        Local {
            strings,
            agents: Interner::default(),
            session_ids: FxHashMap::default(),
            sessions: Vec::new(),
            sent_strings,
            sent_agents: sent_strings,
            sent_sessions: 0,
            by_key: FxHashMap::default(),
            last_key: Sym::NONE,
            novelty: [Novelty::default(); FIELD_COUNT],
            reset: false,
        }
    }
}

/// What a worker's tables gained since its previous batch, in local numbering order.
#[derive(Debug, Default)]
pub struct Grown {
    /// The worker's tables started again before these: its numbering restarts.
    pub reset: bool,
    pub strings: StringRun,
    pub agents: StringRun,
    pub sessions: Vec<SessionInfo>,
}

impl Local {
    /// The local number of session `id`; `describe` is asked only for a session not met
    /// before (the first event to name a session describes it).
    pub fn session(&mut self, id: SessionKey, describe: impl FnOnce(&mut Interner) -> SessionInfo) -> u32 {
        if let Some(&n) = self.session_ids.get(&id) {
            return n;
        }
        let n = self.sessions.len() as u32;
        self.session_ids.insert(id, n);
        let info = describe(&mut self.strings);
        self.sessions.push(info);
        n
    }

    /// The symbols of an event's indexed fields (`values[Field::Key]` is its access key):
    /// what the key's previous event had, else interned; and its address (`Addr`: its
    /// `Field::Ip` symbol is `NONE`). `Field::UserAgent`'s symbol is in `agents`.
    pub fn fields(&mut self, values: &[&str; FIELD_COUNT]) -> ([Sym; FIELD_COUNT], Addr) {
        const KEY: usize = Field::Key as usize;
        const IP: usize = Field::Ip as usize;
        const PRINCIPAL: usize = Field::Principal as usize;
        const ARN: usize = Field::Arn as usize;
        const AGENT: usize = Field::UserAgent as usize;
        const _: () = assert!(PRINCIPAL < ARN);
        // Neighbouring events are often one key's (a burst of calls).
        if self.strings.resolve_bytes(self.last_key) != values[KEY].as_bytes() {
            self.last_key = self.strings.intern(values[KEY]);
        }
        let key = self.last_key;
        let row = self.by_key.entry(key).or_insert([Sym::NONE; FIELD_COUNT]);
        row[KEY] = key;
        for (f, &value) in values.iter().enumerate() {
            if f == KEY || f == IP {
                continue;
            }
            // The bare ARN is nearly always the principal's very text (the same bytes of the
            // record): its symbol, without comparing (the principal comes first).
            if f == ARN && std::ptr::eq(value, values[PRINCIPAL]) {
                row[f] = row[PRINCIPAL];
            } else if f == AGENT {
                if self.agents.resolve_bytes(row[f]) != value.as_bytes() {
                    row[f] = self.novelty[f].symbol(&mut self.agents, value);
                }
            } else if self.strings.resolve_bytes(row[f]) != value.as_bytes() {
                row[f] = self.novelty[f].symbol(&mut self.strings, value);
            }
        }
        let (strings, novelty) = (&mut self.strings, &mut self.novelty[IP]);
        let addr = Addr::of(values[IP], |text| novelty.symbol(strings, text));
        (*row, addr)
    }

    /// Everything new since the last call.
    pub fn take_grown(&mut self) -> Grown {
        let strings = self.strings.since(self.sent_strings);
        let agents = self.agents.since(self.sent_agents);
        let sessions = self.sessions.get(self.sent_sessions..).unwrap_or_default().to_vec();
        self.sent_strings = self.strings.len();
        self.sent_agents = self.agents.len();
        self.sent_sessions = self.sessions.len();
        Grown { reset: std::mem::take(&mut self.reset), strings, agents, sessions }
    }

    /// Starts the tables again when they hold more text than the budget (call between
    /// files, after `take_grown`: nothing sent refers to the old numbering any more).
    pub fn trim(&mut self) {
        if self.strings.text_bytes() + self.agents.text_bytes() > LOCAL_TEXT_BUDGET {
            *self = Local { reset: true, ..Local::default() };
        }
    }
}

/// Whether a field's values are new nearly every time (an address or an agent per event):
/// then they are added to the worker's tables without a look-up, which would only miss, and
/// the merge, which interns every string a worker sends, finds any that repeat. Windows of
/// look-ups decide: the first after the tables start again only fills them (every value is
/// new to empty tables), then two in a row must find nearly every value new; after
/// `UNLISTED_RUN` values added so, they decide again.
#[derive(Debug, Clone, Copy, Default)]
struct Novelty {
    looked_up: u16,
    new: u16,
    /// Windows seen since the tables started, and how many in a row found values new.
    windows: u8,
    novel_windows: u8,
    /// Values still to add without a look-up.
    unlisted: u16,
}

/// Look-ups a decision is made on, and how many of them must have been new.
const NOVELTY_WINDOW: u16 = 256;
const NOVELTY_NEW: u16 = 250;
/// Values added without a look-up before the next window.
const UNLISTED_RUN: u16 = 4096;

impl Novelty {
    fn symbol(&mut self, strings: &mut Interner, value: &str) -> Sym {
        if self.unlisted > 0 {
            self.unlisted -= 1;
            return strings.push_unlisted(value);
        }
        let before = strings.len();
        let sym = strings.intern(value);
        self.looked_up += 1;
        self.new += u16::from(strings.len() > before);
        if self.looked_up == NOVELTY_WINDOW {
            let novel = self.new >= NOVELTY_NEW && self.windows > 0;
            self.windows = self.windows.saturating_add(1);
            self.novel_windows = if novel { self.novel_windows + 1 } else { 0 };
            if self.novel_windows == 2 {
                (self.unlisted, self.novel_windows) = (UNLISTED_RUN, 0);
            }
            (self.looked_up, self.new) = (0, 0);
        }
        sym
    }
}

/// An event as one worker parsed it; its `Sym`s point into the worker's own `Interner`.
#[derive(Debug, Clone)]
pub struct LocalEvent {
    pub time: Millis,
    /// A packed UUID, or (for odd ids) an id whose symbol is local.
    pub id: EventId,
    /// Its fields' symbols (`Field::Ip`'s is `NONE`: `addr`).
    pub fields: [Sym; FIELD_COUNT],
    /// Its address; a text's symbol is the worker's.
    pub addr: Addr,
    /// The worker's number for the event's credential session, or `NO_SESSION`.
    pub session: u32,
    /// How the event says its credentials came (`Marks`), for its session.
    pub marks: crate::index::session::Marks,
    pub detail: Option<Box<Detail>>,
    /// Position among the file's record candidates, in document order.
    pub ordinal: u32,
    /// The index holds its `AS_WRITTEN` fields as the record wrote them (`RawRef::as_written`).
    pub as_written: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_new_every_time_are_added_without_a_look_up_and_repeats_are_not() {
        let mut strings = Interner::default();
        let mut fresh = Novelty::default();
        for n in 0..NOVELTY_WINDOW as usize * 3 + 10 {
            let v = format!("198.51.100.{n}");
            let sym = fresh.symbol(&mut strings, &v);
            assert_eq!(strings.resolve(sym), v);
        }
        assert!(fresh.unlisted > 0, "windows of new values: the next are not looked up");
        // Not looked up: a value given twice gets two symbols (the merge makes them one).
        let (a, b) = (fresh.symbol(&mut strings, "again"), fresh.symbol(&mut strings, "again"));
        assert!(a != b && strings.resolve(a) == "again" && strings.resolve(b) == "again");
        let mut repeated = Novelty::default();
        for n in 0..NOVELTY_WINDOW as usize * 3 {
            let v = format!("agent/{}", n % 8);
            let sym = repeated.symbol(&mut strings, &v);
            assert_eq!(strings.resolve(sym), v);
        }
        assert_eq!(repeated.unlisted, 0, "values that repeat are always looked up");
    }

    #[test]
    fn cached_fields_are_always_the_values_given() {
        let mut l = Local::default();
        let event = |name: &'static str, key: &'static str, ip: &'static str| {
            let mut v = [""; FIELD_COUNT];
            v[Field::Name as usize] = name;
            v[Field::Key as usize] = key;
            v[Field::Ip as usize] = ip;
            v[Field::Principal as usize] = if key.is_empty() { "" } else { key };
            // The bare ARN: the principal's own text, or (an envelope's identity) another.
            v[Field::Arn as usize] =
                if name == "C" { "arn:aws:iam::1:user/other" } else { v[Field::Principal as usize] };
            v
        };
        // Two keys interleaved, one changing its IP, one event without a key between them.
        let events = [
            event("A", "AKIA1", "1.1.1.1"),
            event("B", "ASIA2", "2.2.2.2"),
            event("A", "", "3.3.3.3"),
            event("C", "AKIA1", "1.1.1.1"),
            event("C", "ASIA2", "4.4.4.4"),
            event("A", "ASIA2", "2.2.2.2"),
            event("A", "", ""),
        ];
        for values in &events {
            let (syms, addr) = l.fields(values);
            let mut got: Vec<String> = syms.iter().map(|&s| l.strings.resolve(s).to_string()).collect();
            got[Field::UserAgent as usize] = l.agents.resolve(syms[Field::UserAgent as usize]).to_string();
            assert_eq!(got[Field::Ip as usize], "");
            got[Field::Ip as usize] = addr.text_in(&l.strings).to_string();
            assert_eq!(got, values.to_vec());
        }
    }
}
