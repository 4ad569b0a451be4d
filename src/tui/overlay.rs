//! Keys while an overlay is open: prompts take text; lists take movement and Enter;
//! Esc closes.

use super::action::{Action, Pane};
use super::app::{App, Overlay};
use super::search::apply_search;
use super::{finder, nav};

pub fn handle(app: &mut App, action: Action) {
    let overlay = std::mem::replace(&mut app.overlay, Overlay::None);
    app.overlay = match (overlay, action) {
        (Overlay::CaseRoot { .. }, Action::Back) => {
            app.message = Some("kept the case's root".into());
            Overlay::None
        }
        (_, Action::Back) => Overlay::None,
        (Overlay::Help { .. }, Action::Help | Action::Quit) => Overlay::None,
        (Overlay::Help { scroll }, Action::Down) => Overlay::Help { scroll: scroll + 1 },
        (Overlay::Help { scroll }, Action::Up) => Overlay::Help { scroll: scroll.saturating_sub(1) },
        (Overlay::Finder(f), a) => return finder_key(app, f, a),
        (Overlay::Suspects { selected }, a) => return suspects_key(app, selected, a),
        (Overlay::CaseRoot { wanted, selected }, a) => match a {
            Action::Down | Action::Up => Overlay::CaseRoot { wanted, selected: 1 - selected.min(1) },
            Action::Enter => {
                if let Some(m) = app.model.clone() {
                    super::case_root::choose(app, &m, &wanted, selected);
                }
                return;
            }
            _ => Overlay::CaseRoot { wanted, selected },
        },
        (Overlay::SearchInput { pane, mut query }, a) => match a {
            Action::Enter => {
                if let Some(m) = app.model.clone()
                    && !query.is_empty()
                {
                    apply_search(app, &m, pane, query);
                    nav::sync_detail(app, &m);
                }
                Overlay::None
            }
            a => {
                edit(&mut query, &a);
                Overlay::SearchInput { pane, query }
            }
        },
        (Overlay::MarkInput { event, mut text }, a) => match a {
            Action::Enter => {
                if let Some(m) = app.model.clone() {
                    super::marks::save(app, &m, event, text);
                }
                Overlay::None
            }
            a => {
                edit(&mut text, &a);
                Overlay::MarkInput { event, text }
            }
        },
        (Overlay::Marks { selected }, a) => return marks_key(app, selected, a),
        (Overlay::Blast { node, radius, selected }, a) => {
            return super::blast_view::key(app, node, radius, selected, a);
        }
        (Overlay::Copy { selected }, a) => {
            let n = super::copy::choices(app).len();
            match a {
                Action::Down => Overlay::Copy { selected: (selected + 1).min(n.saturating_sub(1)) },
                Action::Up => Overlay::Copy { selected: selected.saturating_sub(1) },
                Action::Copy => Overlay::Copy { selected: (selected + 1) % n.max(1) },
                Action::Enter => {
                    if let (Some(m), Some(&what)) = (app.model.clone(), super::copy::choices(app).get(selected)) {
                        super::copy::copy(app, &m, what);
                    }
                    Overlay::None
                }
                _ => Overlay::Copy { selected },
            }
        }
        (Overlay::Command { mut text, back }, a) => match a {
            Action::Enter => {
                if let Some(m) = app.model.clone() {
                    if !text.trim().is_empty() && app.command_history.last() != Some(&text) {
                        app.command_history.push(text.clone());
                    }
                    super::command::run(app, &m, &text);
                    nav::sync_detail(app, &m);
                }
                return;
            }
            Action::Complete => {
                match super::command::complete(&text) {
                    Ok(done) => text = done,
                    Err(options) if options.is_empty() => {}
                    Err(options) => app.message = Some(options.join("  ")),
                }
                Overlay::Command { text, back }
            }
            Action::Up | Action::Down => {
                let n = app.command_history.len();
                let back = if matches!(a, Action::Up) { (back + 1).min(n) } else { back.saturating_sub(1) };
                let text = if back == 0 { String::new() } else { app.command_history[n - back].clone() };
                Overlay::Command { text, back }
            }
            a => {
                edit(&mut text, &a);
                Overlay::Command { text, back }
            }
        },
        (Overlay::NoteInput { step, mut text, mut cursor }, a) => match a {
            Action::Enter => {
                let n = step as u8 + 1;
                let mut s = app.case.step(n);
                s.note = text;
                app.case.steps.insert(n, s);
                super::output::save_case(app, format!("step {n}: note"));
                Overlay::None
            }
            a => {
                super::editor::apply(&mut text, &mut cursor, &a, true);
                Overlay::NoteInput { step, text, cursor }
            }
        },
        (o, _) => o,
    };
}

/// A prompt's text editing: typed characters and backspace; anything else leaves it.
fn edit(text: &mut String, a: &Action) {
    match a {
        Action::Input(c) => text.push(*c),
        Action::InputBackspace => {
            text.pop();
        }
        _ => {}
    }
}

fn finder_key(app: &mut App, mut f: finder::Finder, a: Action) {
    match a {
        Action::Input(_) | Action::InputBackspace => {
            edit(&mut f.query, &a);
            match_query(app, &mut f);
        }
        Action::Down | Action::Complete => f.selected = (f.selected + 1).min(f.results.len().saturating_sub(1)),
        Action::Up => f.selected = f.selected.saturating_sub(1),
        Action::Enter => {
            if let Some(c) = f.results.get(f.selected).and_then(|&i| app.candidates.get(i)).cloned() {
                jump(app, &c);
            }
            return;
        }
        _ => {}
    }
    app.overlay = Overlay::Finder(f);
}

/// Matches the finder's query: at once for few candidates, else on a worker thread whose
/// answer arrives as `Action::FinderResults` (the results shown until then are the last
/// query's, marked as pending), so typing never waits for a million candidates.
pub fn match_query(app: &App, f: &mut finder::Finder) {
    f.generation += 1;
    match &app.worker_tx {
        Some(tx) if app.candidates.len() > finder::MATCH_INLINE => {
            f.pending = true;
            let (tx, all, query, generation) = (tx.clone(), app.candidates.clone(), f.query.clone(), f.generation);
            std::thread::spawn(move || {
                let results = finder::rank(&all, &query);
                let _ = tx.send(Action::FinderResults { generation, results });
            });
        }
        _ => f.refresh(&app.candidates),
    }
}

/// A worker's finder results: shown if they answer the query on screen now.
pub fn finder_results(app: &mut App, generation: u64, results: Vec<usize>) {
    if let Overlay::Finder(f) = &mut app.overlay
        && f.generation == generation
    {
        f.results = results;
        f.selected = 0;
        f.pending = false;
    }
}

/// Goes to a finder choice: a credential in the tree, or the timeline filtered to a value.
fn jump(app: &mut App, c: &finder::Candidate) {
    let Some(m) = app.model.clone() else { return };
    app.history.push(app.snapshot());
    match c.what {
        finder::What::Key => {
            let nodes = m.lin.nodes_with_key(&m.ix, &c.text);
            if let Some(&n) = nodes.first() {
                app.tree.select_node(n);
                app.focus = Pane::Tree;
                app.message = Some(match nodes.len() {
                    1 => format!(
                        "{} selected: {} reveals its root, {} shows its events",
                        c.text,
                        app.keymap.key_hint("reveal"),
                        app.keymap.key_hint("enter")
                    ),
                    k => format!("{} is used by {k} credential sessions (recycled id)", c.text),
                });
            }
        }
        what => {
            let field = match what {
                finder::What::Principal => tokentrail::index::event::Field::Principal,
                finder::What::EventName => tokentrail::index::event::Field::Name,
                _ => tokentrail::index::event::Field::Ip,
            };
            super::filtering::add(
                app,
                &m,
                super::filter::Filter::Field { field, value: c.text.clone(), exclude: false },
            );
            app.focus = Pane::Timeline;
        }
    }
    nav::sync_detail(app, &m);
}

fn marks_key(app: &mut App, selected: usize, a: Action) {
    let Some(m) = app.model.clone() else { return };
    let n = app.marked.len();
    app.overlay = match a {
        Action::Down => Overlay::Marks { selected: (selected + 1).min(n.saturating_sub(1)) },
        Action::Up => Overlay::Marks { selected: selected.saturating_sub(1) },
        Action::Marks | Action::Quit => Overlay::None,
        Action::Enter => {
            if let Some(&e) = app.marked.get(selected) {
                super::marks::go_to(app, &m, e);
                nav::sync_detail(app, &m);
            }
            Overlay::None
        }
        Action::Unmark => {
            if let Some(&e) = app.marked.get(selected) {
                super::marks::remove(app, &m, Some(e));
            }
            match app.marked.len() {
                0 => Overlay::None,
                left => Overlay::Marks { selected: selected.min(left - 1) },
            }
        }
        _ => Overlay::Marks { selected },
    };
}

fn suspects_key(app: &mut App, selected: usize, a: Action) {
    let n = app.model.as_ref().map_or(0, |m| super::detections::suspects(app, m).len());
    app.overlay = match a {
        Action::Down => Overlay::Suspects { selected: (selected + 1).min(n.saturating_sub(1)) },
        Action::Up => Overlay::Suspects { selected: selected.saturating_sub(1) },
        Action::Top => Overlay::Suspects { selected: 0 },
        Action::Bottom => Overlay::Suspects { selected: n.saturating_sub(1) },
        Action::Suspects | Action::Quit => Overlay::None,
        Action::SetRoot => {
            if let Some(m) = app.model.clone()
                && let Some(s) = super::detections::suspects(app, &m).get(selected).cloned()
            {
                app.overlay = Overlay::None;
                // A suspect is a temporary credential: its root is what anchors a case.
                super::case_root::set_root(app, &m, m.lin.root_of(s.node));
                if let Some(msg) = app.message.take() {
                    let key = tokentrail::text::sanitize(m.ix.str(m.lin.nodes[s.node].key)).into_owned();
                    app.message = Some(format!("suspect {key}'s root · {msg}"));
                }
                return;
            }
            Overlay::None
        }
        Action::Enter => {
            if let Some(m) = app.model.clone()
                && let Some(s) = super::detections::suspects(app, &m).get(selected).cloned()
            {
                app.history.push(app.snapshot());
                app.tree.select_node(s.node);
                app.focus = Pane::Tree;
            }
            Overlay::None
        }
        _ => Overlay::Suspects { selected },
    };
}
