//! The workbench: terminal setup, the loader thread, and the event loop
//! (input → Action → update → draw from state).

pub mod action;
pub mod app;
mod arrival;
pub mod bench;
mod blast_view;
mod case_root;
mod command;
mod copy;
mod detail;
mod detections;
mod editor;
mod filter;
mod filtering;
pub mod finder;
mod histogram;
mod in_parts;
pub mod input;
pub mod keymap;
mod marks;
mod nav;
mod output;
mod overlay;
mod pattern;
mod search;
mod text_hits;
pub mod theme;
pub mod timeline;
pub mod tree;
pub mod ui;
pub mod update;
mod view;

use action::Action;
use app::App;
use color_eyre::eyre::eyre;
use crossterm::event::{self, Event};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};
use tokentrail::model::Model;

/// Starts loading on its own thread; progress and the result arrive as actions.
pub fn spawn_loader(paths: Vec<PathBuf>, tx: Sender<Action>) {
    std::thread::spawn(move || {
        let mut last = Instant::now();
        let mut report = |p: &tokentrail::loader::Progress| {
            if p.done || last.elapsed() >= Duration::from_millis(40) {
                last = Instant::now();
                let _ = tx.send(Action::Progress(p.clone()));
            }
        };
        let partial_tx = tx.clone();
        let mut partial = |ix| {
            let _ = partial_tx.send(Action::Partial(Arc::new(Model::new(ix))));
        };
        let every = Some(Duration::from_millis(500));
        let mut ix = if paths.is_empty() {
            tokentrail::loader::load_progressively(
                tokentrail::loader::sample::sources(),
                &mut report,
                &mut partial,
                every,
            )
        } else {
            tokentrail::loader::load_paths_progressively(&paths, &mut report, &mut partial, every)
        };
        // The workbench keeps the index open: agents seen once are deflated (`index::agents`).
        ix.ix.compact_agents();
        let _ = tx.send(Action::Loaded(Arc::new(Model::new(ix))));
    });
}

pub fn run(
    paths: Vec<PathBuf>,
    case: Option<PathBuf>,
    key: Option<String>,
    rules: Vec<PathBuf>,
) -> color_eyre::Result<()> {
    // Configuration errors are reported before the terminal is taken over.
    let keymap = keymap::Keymap::load(keymap::Keymap::user_path()).map_err(|e| eyre!(e))?;
    let case_path = case.unwrap_or_else(|| tokentrail::checklist::case::default_path(&paths));
    let mut app = App::new(keymap, theme::Theme::from_env(), case_path, key);
    app.rules = rules;
    let (tx, rx) = mpsc::channel();
    app.worker_tx = Some(tx.clone());
    spawn_loader(paths, tx);
    // ratatui's init installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore(); // undo whatever part of the set-up succeeded
        eyre!("cannot open the workbench: no usable terminal ({e})")
    })?;
    let result = event_loop(&mut terminal, &mut app, &rx);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App, rx: &Receiver<Action>) -> color_eyre::Result<()> {
    let size = terminal.size()?;
    update::update(app, Action::Resize { width: size.width, height: size.height });
    loop {
        terminal.draw(|f| ui::draw(f, app))?;
        if let Some(text) = app.clipboard.take() {
            let mut out = std::io::stdout();
            let _ = write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()));
            let _ = out.flush();
        }
        if app.quit {
            return Ok(());
        }
        if event::poll(Duration::from_millis(50))? {
            match event::read()? {
                Event::Key(k) => {
                    if let Some(a) = input::key_to_action(app, &k) {
                        update::update(app, a);
                    }
                }
                Event::Resize(width, height) => update::update(app, Action::Resize { width, height }),
                _ => {}
            }
        }
        while let Ok(a) = rx.try_recv() {
            update::update(app, a);
        }
    }
}

/// Standard base64, for OSC 52.
pub fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_case;
#[cfg(test)]
mod tests_moves;
