//! The one place state changes: `update(app, action)`.

use super::action::{Action, Pane};
use super::app::{App, Overlay};
use super::{arrival, case_root, nav, output, overlay, search};

pub fn update(app: &mut App, action: Action) {
    apply(app, action);
    super::view::settle(app);
}

fn apply(app: &mut App, action: Action) {
    match action {
        Action::Progress(p) => {
            app.progress = p;
            return;
        }
        Action::Loaded(m) => {
            app.progress.done = true;
            arrival::on_loaded(app, m.clone());
            return super::detections::start(app, &m);
        }
        Action::Partial(m) => return arrival::on_loaded(app, m),
        Action::FinderResults { generation, results } => return overlay::finder_results(app, generation, results),
        Action::FilterResults { generation, rows } => return super::filtering::results(app, generation, rows),
        Action::SearchResults { generation, matches } => return search::results(app, generation, matches),
        Action::BlastResults { node, radius, sources } => {
            return super::blast_view::results(app, node, radius, sources);
        }
        Action::DetectionResults { model, detections } => return super::detections::arrived(app, model, detections),
        Action::Resize { width, height } => {
            app.size = (width, height);
            return;
        }
        _ => {}
    }
    if app.overlay != Overlay::None {
        return overlay::handle(app, action);
    }
    let Some(m) = app.model.clone() else {
        // While loading, only leaving, help and focus make sense.
        match action {
            Action::Quit => app.quit = true,
            Action::Help => app.overlay = Overlay::Help { scroll: 0 },
            Action::FocusNext | Action::FocusPrev | Action::Focus(_) => focus(app, action),
            Action::Zoom => app.zoomed = !app.zoomed,
            _ => app.message = Some("still loading…".into()),
        }
        return;
    };
    // A `q` right after the unsaved-notes warning quits; any other key disarms it.
    let quit_armed = std::mem::take(&mut app.quit_armed);
    app.message = None;
    match action {
        Action::Quit if app.unsaved && !quit_armed => {
            app.quit_armed = true;
            app.message = Some(format!(
                "notes NOT SAVED to {}: press {} again to quit anyway",
                app.case_file.path.display(),
                app.keymap.key_hint("quit")
            ))
        }
        Action::Quit => app.quit = true,
        Action::Help => app.overlay = Overlay::Help { scroll: 0 },
        Action::FocusNext | Action::FocusPrev | Action::Focus(_) => focus(app, action),
        Action::Finder => {
            let mut f = super::finder::Finder::default();
            overlay::match_query(app, &mut f);
            app.overlay = Overlay::Finder(f);
        }
        Action::Suspects => app.overlay = Overlay::Suspects { selected: 0 },
        Action::Reveal => nav::reveal(app, &m),
        Action::Back => nav::back(app),
        Action::Search => app.overlay = Overlay::SearchInput { pane: app.focus, query: String::new() },
        Action::NextMatch => search::step_match(app, true),
        Action::PrevMatch => search::step_match(app, false),
        Action::NextError | Action::PrevError => {
            let fwd = matches!(action, Action::NextError);
            match app.timeline.find_error(&m, app.timeline.selected, fwd) {
                Some(r) => {
                    app.focus = Pane::Timeline;
                    app.timeline.selected = r;
                }
                None => app.message = Some("no more error events".into()),
            }
        }
        Action::Copy => app.overlay = Overlay::Copy { selected: 0 },
        Action::FilterLineage => nav::filter_lineage(app, &m),
        Action::ClearFilter => {
            app.history.push(app.snapshot());
            let keep = app.timeline.selected_event(&m);
            app.timeline.clear_filter(&m, keep);
            app.message = Some("every filter dropped".into());
        }
        Action::Export => output::export(app, &m),
        Action::Zoom => app.zoomed = !app.zoomed,
        Action::Command => app.overlay = Overlay::Command { text: String::new(), back: 0 },
        Action::Mark => super::marks::start(app, &m),
        Action::Blast => super::blast_view::open(app, &m),
        Action::Marks if app.marked.is_empty() && app.case.marks.is_empty() => {
            app.message = Some(format!("no marks yet: {} marks the selected event", app.keymap.key_hint("mark")))
        }
        Action::Marks => app.overlay = Overlay::Marks { selected: 0 },
        Action::Unmark => super::marks::remove(app, &m, None),
        Action::TimeWindow => match app.timeline.selected_event(&m) {
            Some(e) => {
                app.history.push(app.snapshot());
                let w = super::command::DEFAULT_WINDOW;
                super::filtering::add(app, &m, super::filter::around(&m, e, w, w));
                app.focus = Pane::Timeline;
            }
            None => app.message = Some("select an event first".into()),
        },
        Action::DropTime => super::filtering::drop_time(app, &m),
        Action::HistogramZoom => app.hist_zoom = !app.hist_zoom,
        Action::Wrap => {
            app.detail.wrap = !app.detail.wrap;
            app.detail.hscroll = 0;
            app.message = Some(if app.detail.wrap {
                "detail: long values wrap".to_string()
            } else {
                let (left, right) = (app.keymap.key_hint("collapse"), app.keymap.key_hint("expand"));
                format!("detail: a value a line; {left}/{right} scroll sideways")
            });
        }
        Action::Collapse if app.focus == Pane::Detail => app.detail.hscroll = app.detail.hscroll.saturating_sub(8),
        Action::Expand if app.focus == Pane::Detail && !app.detail.wrap => {
            app.detail.hscroll = app.detail.hscroll.saturating_add(8).min(4000)
        }
        Action::SetRoot => match app.tree.selected_node().filter(|_| app.focus == Pane::Tree) {
            Some(n) => case_root::set_root(app, &m, n),
            None if app.focus == Pane::Tree => {
                app.message = Some(format!(
                    "select a key to make it the checklist root ({} opens a user's keys)",
                    app.keymap.key_hint("expand")
                ))
            }
            None => {
                app.message = Some(format!(
                    "{} sets the checklist root from the tree ({}) or the suspects list ({})",
                    app.keymap.key_hint("set_root"),
                    app.keymap.key_hint("focus_tree"),
                    app.keymap.key_hint("suspects")
                ))
            }
        },
        Action::Enter => nav::enter(app, &m),
        Action::EditNote if app.focus == Pane::Checklist => {
            let text = app.case.step(app.checklist_selected as u8 + 1).note;
            let cursor = text.len();
            app.overlay = Overlay::NoteInput { step: app.checklist_selected, text, cursor };
        }
        Action::CycleStatus if app.focus == Pane::Checklist => {
            let n = app.checklist_selected as u8 + 1;
            let mut s = app.case.step(n);
            s.manual = s.manual.cycle();
            let label = s.manual.as_str().unwrap_or("automatic");
            app.case.steps.insert(n, s);
            output::save_case(app, format!("step {n}: analyst status {label}"));
        }
        Action::Collapse if app.focus == Pane::Tree => {
            app.tree.state.key_left();
        }
        Action::Expand if app.focus == Pane::Tree => {
            app.tree.state.key_right();
        }
        other => move_selection(app, &m, &other),
    }
    nav::sync_detail(app, &m);
}

fn focus(app: &mut App, action: Action) {
    app.focus = match action {
        Action::FocusNext => app.focus.next(),
        Action::FocusPrev => app.focus.prev(),
        Action::Focus(p) => p,
        _ => app.focus,
    };
}

/// Movement keys act on the focused pane.
fn move_selection(app: &mut App, m: &tokentrail::model::Model, action: &Action) {
    let page = app.page.max(1) as isize;
    let delta: isize = match action {
        Action::Down => 1,
        Action::Up => -1,
        Action::HalfDown => page / 2,
        Action::HalfUp => -page / 2,
        Action::PageDown => page,
        Action::PageUp => -page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return,
    };
    match app.focus {
        Pane::Timeline => app.timeline.move_by(m, delta),
        Pane::Tree => app.tree.move_by(delta),
        Pane::Detail => {
            let max = app.detail.lines.len().saturating_sub(1) as isize;
            app.detail.scroll = (app.detail.scroll as isize).saturating_add(delta).clamp(0, max.max(0)) as usize;
        }
        Pane::Checklist => {
            let n = app.checklist.as_ref().map_or(0, |c| c.steps.len()) as isize;
            let last = (n - 1).max(0) as usize;
            // One row at a time past the last step: through its commands and what follows.
            if delta == 1 && app.checklist_selected == last {
                app.checklist_below = (app.checklist_below + 1).min(app.checklist_room.get());
            } else if delta == -1 && app.checklist_below > 0 {
                app.checklist_below -= 1;
            } else {
                app.checklist_below = 0;
                app.checklist_selected =
                    (app.checklist_selected as isize).saturating_add(delta).clamp(0, last as isize) as usize;
            }
        }
    }
}
