//! Key bindings: defaults from `assets/keymap.toml`, overridden per action by a user file.
//! A key bound to two actions that can apply at once is an error with a clear message.

use super::action::{ACTIONS, Action};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Sections whose keys must not collide with each other: they apply outside prompts.
const SECTIONS: [&str; 3] = ["global", "movement", "checklist"];

/// The section that applies inside a prompt, where every key it does not bind is text.
const PROMPT: &str = "prompt";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeLite,
    pub ctrl: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeLite {
    Char(char),
    Named(&'static str),
}

const NAMED: [(&str, KeyCode); 14] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
];

impl Key {
    pub fn parse(s: &str) -> Result<Key, String> {
        let (ctrl, rest) = match s.strip_prefix("ctrl-") {
            Some(r) => (true, r),
            None => (false, s),
        };
        if rest == "space" {
            return Ok(Key { code: KeyCodeLite::Char(' '), ctrl });
        }
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key { code: KeyCodeLite::Char(if ctrl { c.to_ascii_lowercase() } else { c }), ctrl });
        }
        NAMED
            .iter()
            .find(|(n, _)| *n == rest)
            .map(|(n, _)| Key { code: KeyCodeLite::Named(n), ctrl })
            .ok_or_else(|| format!("unknown key {s:?}"))
    }

    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let code = match e.code {
            KeyCode::Char(c) => KeyCodeLite::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            other => KeyCodeLite::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        Some(Key { code, ctrl })
    }

    /// The key as a hint in running text: named keys capitalised ("Enter", "Ctrl-s").
    pub fn hint(&self) -> String {
        let label = self.label();
        if matches!(self.code, KeyCodeLite::Named(_)) || self.ctrl {
            let mut c = label.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or(label)
        } else {
            label
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCodeLite::Char(' ') => "space".to_string(),
            KeyCodeLite::Char(c) => c.to_string(),
            KeyCodeLite::Named(n) => n.to_string(),
        };
        if self.ctrl { format!("ctrl-{base}") } else { base }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    /// section → key → action name
    bindings: HashMap<&'static str, HashMap<Key, &'static str>>,
    /// action name → keys, for help and status hints
    pub keys_of: BTreeMap<&'static str, Vec<Key>>,
    /// The same for prompts.
    pub prompt_keys_of: BTreeMap<&'static str, Vec<Key>>,
}

type Table = BTreeMap<String, BTreeMap<String, Vec<String>>>;

impl Keymap {
    #[cfg(test)]
    pub fn defaults() -> Keymap {
        // The embedded defaults are tested; they cannot fail at run time.
        Keymap::from_tables(DEFAULT_KEYMAP, None).unwrap_or_else(|_| Keymap {
            bindings: HashMap::new(),
            keys_of: BTreeMap::new(),
            prompt_keys_of: BTreeMap::new(),
        })
    }

    /// Defaults, then the user's file (if any) replacing the keys of the actions it names.
    pub fn load(user_file: Option<PathBuf>) -> Result<Keymap, String> {
        let user = match user_file {
            Some(p) if p.exists() => {
                Some(std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?)
            }
            _ => None,
        };
        Keymap::from_tables(DEFAULT_KEYMAP, user.as_deref())
    }

    pub fn from_tables(defaults: &str, user: Option<&str>) -> Result<Keymap, String> {
        let mut table: Table = toml::from_str(defaults).map_err(|e| format!("default keymap: {e}"))?;
        if let Some(u) = user {
            let over: Table = toml::from_str(u).map_err(|e| format!("keymap file: {e}"))?;
            for (section, actions) in over {
                let target = table.get_mut(&section).ok_or_else(|| format!("keymap: unknown section [{section}]"))?;
                for (action, keys) in actions {
                    if !target.contains_key(&action) {
                        return Err(format!("keymap: [{section}] has no action {action:?}"));
                    }
                    target.insert(action, keys);
                }
            }
        }
        let mut bindings: HashMap<&'static str, HashMap<Key, &'static str>> = HashMap::new();
        let keys_of = bind(&table, &SECTIONS, &mut bindings)?;
        let prompt_keys_of = bind(&table, &[PROMPT], &mut bindings)?;
        Ok(Keymap { bindings, keys_of, prompt_keys_of })
    }

    /// The action for a key, when one is bound in a section that applies.
    pub fn action(&self, key: Key, checklist_focused: bool) -> Option<Action> {
        let sections: &[&str] = if checklist_focused { &SECTIONS } else { &SECTIONS[..2] };
        let name = sections.iter().find_map(|s| self.bindings.get(s)?.get(&key))?;
        ACTIONS.iter().find(|(n, _, _)| n == name).map(|(_, _, make)| make())
    }

    /// The action for a key inside a prompt; None: the key is text (or nothing).
    pub fn prompt_action(&self, key: Key) -> Option<Action> {
        let name = self.bindings.get(PROMPT)?.get(&key)?;
        ACTIONS.iter().find(|(n, _, _)| n == name).map(|(_, _, make)| make())
    }

    /// The first key of an action, for a hint in a message ("press q again").
    pub fn key_hint(&self, action: &str) -> String {
        self.keys_of.get(action).and_then(|ks| ks.first()).map_or_else(|| format!("<{action}>"), Key::hint)
    }

    /// The first key of an action inside a prompt ("Enter saves").
    pub fn prompt_hint(&self, action: &str) -> String {
        self.prompt_keys_of.get(action).and_then(|ks| ks.first()).map_or_else(|| format!("<{action}>"), Key::hint)
    }

    /// "j/down" for an action, for hints.
    pub fn keys_label(&self, action: &str) -> String {
        self.keys_of.get(action).map(|ks| ks.iter().map(Key::label).collect::<Vec<_>>().join("/")).unwrap_or_default()
    }

    /// The user's keymap file, in the platform config directory.
    pub fn user_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("tokentrail").join("keymap.toml"))
    }
}

/// Binds the keys of `sections` (which must not collide with each other) into `bindings`;
/// returns action name → keys.
fn bind(
    table: &Table,
    sections: &[&'static str],
    bindings: &mut HashMap<&'static str, HashMap<Key, &'static str>>,
) -> Result<BTreeMap<&'static str, Vec<Key>>, String> {
    let mut keys_of: BTreeMap<&'static str, Vec<Key>> = BTreeMap::new();
    let mut all: HashMap<Key, (&'static str, &'static str)> = HashMap::new();
    for &section in sections {
        for (action, keys) in table.get(section).into_iter().flatten() {
            let name = ACTIONS
                .iter()
                .find(|(n, _, _)| n == action)
                .map(|(n, _, _)| *n)
                .ok_or_else(|| format!("keymap: unknown action {action:?} in [{section}]"))?;
            for k in keys {
                let key = Key::parse(k).map_err(|e| format!("keymap: {name}: {e}"))?;
                if let Some((other, other_section)) = all.insert(key, (name, section)) {
                    return Err(format!(
                        "keymap: key {:?} is bound twice: to {other} ([{other_section}]) and to {name} ([{section}])",
                        key.label()
                    ));
                }
                bindings.entry(section).or_default().insert(key, name);
                keys_of.entry(name).or_default().push(key);
            }
        }
    }
    Ok(keys_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_bind_every_action() {
        let k = Keymap::from_tables(DEFAULT_KEYMAP, None).expect("defaults are valid");
        for (name, _, _) in ACTIONS {
            assert!(k.keys_of.contains_key(name) || k.prompt_keys_of.contains_key(name), "{name} has no default key");
        }
    }

    #[test]
    fn a_key_bound_twice_is_an_error_naming_both_actions() {
        let err = Keymap::from_tables(DEFAULT_KEYMAP, Some("[movement]\ndown = [\"q\"]\n")).expect_err("clash");
        assert!(err.contains("\"q\"") && err.contains("quit") && err.contains("down"), "{err}");
    }

    #[test]
    fn user_file_replaces_an_actions_keys() {
        let k = Keymap::from_tables(DEFAULT_KEYMAP, Some("[global]\nquit = [\"ctrl-q\"]\n")).expect("valid");
        assert!(k.action(Key::parse("q").expect("k"), false).is_none());
        assert!(matches!(k.action(Key::parse("ctrl-q").expect("k"), false), Some(Action::Quit)));
    }

    #[test]
    fn checklist_keys_apply_only_in_the_checklist() {
        let k = Keymap::defaults();
        let space = Key::parse("space").expect("k");
        assert!(k.action(space, false).is_none());
        assert!(matches!(k.action(space, true), Some(Action::CycleStatus)));
    }

    #[test]
    fn prompt_keys_come_from_their_own_section_and_may_be_rebound() {
        let k = Keymap::defaults();
        let ctrl_c = Key::parse("ctrl-c").expect("k");
        assert!(matches!(k.prompt_action(ctrl_c), Some(Action::Back)));
        assert!(matches!(k.action(ctrl_c, false), Some(Action::Quit)));
        assert!(k.prompt_action(Key::parse("q").expect("k")).is_none(), "q is text in a prompt");
        let k = Keymap::from_tables(DEFAULT_KEYMAP, Some("[prompt]\nenter = [\"ctrl-s\"]\n")).expect("valid");
        assert!(matches!(k.prompt_action(Key::parse("ctrl-s").expect("k")), Some(Action::Enter)));
        assert!(k.prompt_action(Key::parse("enter").expect("k")).is_none());
        assert_eq!(k.prompt_hint("enter"), "Ctrl-s");
    }

    #[test]
    fn unknown_actions_and_keys_are_reported() {
        assert!(Keymap::from_tables(DEFAULT_KEYMAP, Some("[global]\nfly = [\"z\"]\n")).is_err());
        assert!(Keymap::from_tables(DEFAULT_KEYMAP, Some("[global]\nquit = [\"hyper-q\"]\n")).is_err());
    }
}
