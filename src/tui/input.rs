//! Terminal key events → actions. Prompts take raw text; everything else goes
//! through the keymap.

use super::action::{Action, Pane};
use super::app::{App, Overlay};
use super::keymap::Key;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn key_to_action(app: &App, e: &KeyEvent) -> Option<Action> {
    if e.kind != KeyEventKind::Press {
        return None; // some terminals report release and repeat too
    }
    let typing = matches!(app.overlay, Overlay::Finder(_) | Overlay::SearchInput { .. } | Overlay::NoteInput { .. });
    if typing {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        return match e.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Backspace => Some(Action::InputBackspace),
            KeyCode::Down | KeyCode::Tab => Some(Action::Down),
            KeyCode::Up | KeyCode::BackTab => Some(Action::Up),
            KeyCode::Char('n') if ctrl => Some(Action::Down),
            KeyCode::Char('p') if ctrl => Some(Action::Up),
            KeyCode::Char('c') if ctrl => Some(Action::Back),
            KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::Input(c)),
            _ => None,
        };
    }
    if e.code == KeyCode::Char('c') && e.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::Quit);
    }
    app.keymap.action(Key::from_event(e)?, app.focus == Pane::Checklist)
}
