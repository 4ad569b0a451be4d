//! Terminal key events → actions, through the keymap: its `[prompt]` section inside a
//! prompt (every other printable key is text), the others elsewhere.

use super::action::{Action, Pane};
use super::app::{App, Overlay};
use super::keymap::Key;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn key_to_action(app: &App, e: &KeyEvent) -> Option<Action> {
    if e.kind != KeyEventKind::Press {
        return None; // some terminals report release and repeat too
    }
    let typing = matches!(
        app.overlay,
        Overlay::Finder(_)
            | Overlay::SearchInput { .. }
            | Overlay::NoteInput { .. }
            | Overlay::Command { .. }
            | Overlay::MarkInput { .. }
    );
    let key = Key::from_event(e)?;
    // Alt-Enter breaks a note's line (the keymap has no Alt: Enter would save).
    if typing && e.code == KeyCode::Enter && e.modifiers.contains(KeyModifiers::ALT) {
        return Some(Action::Newline);
    }
    if typing {
        if let Some(a) = app.keymap.prompt_action(key) {
            return Some(a);
        }
        return match e.code {
            KeyCode::Char(c) if !e.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() => {
                Some(Action::Input(c))
            }
            _ => None,
        };
    }
    app.keymap.action(key, app.focus == Pane::Checklist)
}
