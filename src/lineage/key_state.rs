//! Each permanent key's status over time, from the IAM calls that set it: `CreateAccessKey`
//! (the key starts `Active`), `UpdateAccessKey` (`Active`/`Inactive`) and `DeleteAccessKey`.
//! Everything that asks "was the key usable then?" asks this, at the time in question: a
//! key deactivated and then re-activated signs again.

use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::Field;
use crate::index::intern::Sym;
use crate::time::Millis;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Inactive,
    Deleted,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
            KeyStatus::Deleted => "Deleted",
        }
    }

    /// True when the key cannot sign.
    pub fn is_off(self) -> bool {
        self != KeyStatus::Active
    }
}

/// One change of a key's status: when, to what, and the event (position in the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: Millis,
    pub status: KeyStatus,
    pub event: usize,
}

#[derive(Debug, Clone, Default)]
pub struct KeyStates {
    by_key: HashMap<Sym, Vec<StatusChange>>,
}

impl KeyStates {
    /// Every successful status-setting call, per key, in time order (the index's order).
    pub fn build(ix: &Index) -> KeyStates {
        let mut by_key: HashMap<Sym, Vec<StatusChange>> = HashMap::new();
        for (pos, e, detail) in ix.events_with_detail() {
            let Detail::Iam(c) = detail else { continue };
            if e.is_error() || c.access_key_id.is_none() {
                continue;
            }
            let status = match (ix.text(e, Field::Name), ix.str(c.status)) {
                ("CreateAccessKey", "Inactive") => KeyStatus::Inactive,
                ("CreateAccessKey", _) => KeyStatus::Active,
                ("UpdateAccessKey", "Active") => KeyStatus::Active,
                ("UpdateAccessKey", "Inactive") => KeyStatus::Inactive,
                ("DeleteAccessKey", _) => KeyStatus::Deleted,
                _ => continue,
            };
            by_key.entry(c.access_key_id).or_default().push(StatusChange { at: e.time, status, event: pos });
        }
        KeyStates { by_key }
    }

    /// The key's changes, in time order (empty when the logs show none).
    pub fn history(&self, key: Sym) -> &[StatusChange] {
        self.by_key.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The change in force at `t` (the last at or before it); None when the logs show no
    /// change before `t` (the key is taken as it was: usable).
    pub fn in_force(&self, key: Sym, t: Millis) -> Option<StatusChange> {
        let h = self.history(key);
        h[..h.partition_point(|c| c.at <= t)].last().copied()
    }

    /// When the key went off for the stretch that holds `t` (deactivated, then deleted, is
    /// one stretch from the deactivation); None when it was usable at `t`.
    pub fn off_since(&self, key: Sym, t: Millis) -> Option<Millis> {
        let h = self.history(key);
        let upto = &h[..h.partition_point(|c| c.at <= t)];
        let on = upto.iter().rposition(|c| !c.status.is_off());
        let first_off = on.map_or(0, |i| i + 1);
        upto.get(first_off).map(|c| c.at)
    }

    /// True when the key was deactivated or deleted at `t`.
    pub fn off_at(&self, key: Sym, t: Millis) -> bool {
        self.in_force(key, t).is_some_and(|c| c.status.is_off())
    }

    /// Keys whose status the logs change (for keys seen only as the target of IAM calls).
    pub fn keys(&self) -> impl Iterator<Item = Sym> + '_ {
        self.by_key.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iam(id: u32, t: &str, name: &str, status: Option<&str>) -> serde_json::Value {
        let mut req = json!({"userName": "u", "accessKeyId": "AKIAAAAAAAAAAAAAAAAA"});
        if let Some(s) = status {
            req["status"] = json!(s);
        }
        json!({"eventID": format!("{id:08x}-0000-4000-8000-000000000000"), "eventTime": t,
               "eventSource": "iam.amazonaws.com", "eventName": name, "requestParameters": req,
               "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/admin",
                                "accessKeyId": "AKIABBBBBBBBBBBBBBBB"}})
    }

    #[test]
    fn a_reactivated_key_is_usable_again_from_the_moment_it_was_reactivated() {
        let doc = json!({"Records": [
            iam(1, "2024-01-01T10:00:00Z", "UpdateAccessKey", Some("Inactive")),
            iam(2, "2024-01-01T10:04:00Z", "UpdateAccessKey", Some("Active")),
            iam(3, "2024-01-01T11:00:00Z", "DeleteAccessKey", None),
        ]});
        let ix = crate::loader::load_docs(&[&doc.to_string()]);
        let s = KeyStates::build(&ix);
        let key = ix.strings.get("AKIAAAAAAAAAAAAAAAAA").expect("key");
        let t = |h: u32, m: u32| crate::time::parse_time(&format!("2024-01-01T{h:02}:{m:02}:00Z")).expect("time");
        assert!(!s.off_at(key, t(9, 59)));
        assert!(s.off_at(key, t(10, 2)));
        assert!(!s.off_at(key, t(10, 30)), "re-activated at 10:04");
        assert!(s.off_at(key, t(12, 0)));
        assert_eq!(s.off_since(key, t(10, 2)), Some(t(10, 0)));
        assert_eq!(s.off_since(key, t(10, 30)), None);
        assert_eq!(s.off_since(key, t(12, 0)), Some(t(11, 0)));
        let statuses: Vec<_> = s.history(key).iter().map(|c| c.status).collect();
        assert_eq!(statuses, [KeyStatus::Inactive, KeyStatus::Active, KeyStatus::Deleted]);
    }
}
