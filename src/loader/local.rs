//! What one worker keeps for the whole load: its own interner and its own numbering of
//! credential sessions. The merge maps both to the index's by table, so a string or a
//! session is hashed globally once per worker, not once per event.

use crate::index::event::FIELD_COUNT;
use crate::index::intern::{Interner, Sym};
use crate::index::session::{SessionInfo, SessionKey};
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub struct Local {
    pub strings: Interner,
    session_ids: FxHashMap<SessionKey, u32>,
    sessions: Vec<SessionInfo>,
    sent_strings: usize,
    sent_sessions: usize,
    /// Per indexed field, the value the previous event had: neighbouring events often share
    /// a region, account, source or key, and a comparison is cheaper than a hash look-up.
    last: [Sym; FIELD_COUNT],
}

impl Default for Local {
    fn default() -> Self {
        let strings = Interner::default();
        // The empty string is `Sym::NONE` in every interner: never sent.
        let sent_strings = strings.len();
        Local {
            strings,
            session_ids: FxHashMap::default(),
            sessions: Vec::new(),
            sent_strings,
            sent_sessions: 0,
            last: [Sym::NONE; FIELD_COUNT],
        }
    }
}

/// What a worker's tables gained since its previous batch, in local numbering order.
#[derive(Debug, Default)]
pub struct Grown {
    pub strings: Vec<Box<str>>,
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

    /// The symbol of `value` for indexed field `field` (interned, through the one-entry cache).
    #[inline]
    pub fn field(&mut self, field: usize, value: &str) -> Sym {
        let last = self.last[field];
        if self.strings.resolve(last) == value {
            return last;
        }
        let sym = self.strings.intern(value);
        self.last[field] = sym;
        sym
    }

    /// Everything new since the last call.
    pub fn take_grown(&mut self) -> Grown {
        let strings = self.strings.since(self.sent_strings);
        let sessions = self.sessions.get(self.sent_sessions..).unwrap_or_default().to_vec();
        self.sent_strings = self.strings.len();
        self.sent_sessions = self.sessions.len();
        Grown { strings, sessions }
    }
}
