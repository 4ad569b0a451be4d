//! The one place state changes: `update(app, action)`.

use super::action::{Action, Pane};
use super::app::{App, Overlay, Search};
use super::{nav, overlay};

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Progress(p) => {
            app.progress = p;
            return;
        }
        Action::Loaded(m) => {
            app.progress.done = true;
            return nav::on_loaded(app, m);
        }
        Action::Partial(m) => return nav::on_loaded(app, m),
        Action::Resize => return,
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
            app.message =
                Some(format!("notes NOT SAVED to {}: press q again to quit anyway", app.case_file.path.display()))
        }
        Action::Quit => app.quit = true,
        Action::Help => app.overlay = Overlay::Help { scroll: 0 },
        Action::FocusNext | Action::FocusPrev | Action::Focus(_) => focus(app, action),
        Action::Finder => {
            let mut f = super::finder::Finder::default();
            f.refresh(&app.candidates);
            app.overlay = Overlay::Finder(f);
        }
        Action::Suspects => app.overlay = Overlay::Suspects { selected: 0 },
        Action::Reveal => nav::reveal(app, &m),
        Action::Back => nav::back(app),
        Action::Search => app.overlay = Overlay::SearchInput { pane: app.focus, query: String::new() },
        Action::NextMatch => step_match(app, true),
        Action::PrevMatch => step_match(app, false),
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
        Action::Copy => nav::copy(app, &m),
        Action::FilterLineage => nav::filter_lineage(app, &m),
        Action::ClearFilter => {
            app.history.push(app.snapshot());
            let keep = app.timeline.selected_event(&m);
            app.timeline.clear_filter(&m, keep);
        }
        Action::Export => nav::export(app, &m),
        Action::Enter => nav::enter(app, &m),
        Action::EditNote if app.focus == Pane::Checklist => {
            let text = app.case.step(app.checklist_selected as u8 + 1).note;
            app.overlay = Overlay::NoteInput { step: app.checklist_selected, text };
        }
        Action::CycleStatus if app.focus == Pane::Checklist => {
            let n = app.checklist_selected as u8 + 1;
            let mut s = app.case.step(n);
            s.manual = s.manual.cycle();
            let label = s.manual.as_str().unwrap_or("automatic");
            app.case.steps.insert(n, s);
            nav::save_case(app, format!("step {n}: analyst status {label}"));
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
    let i = Pane::ALL.iter().position(|p| *p == app.focus).unwrap_or(0);
    app.focus = match action {
        Action::FocusNext => Pane::ALL[(i + 1) % 4],
        Action::FocusPrev => Pane::ALL[(i + 3) % 4],
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
            app.checklist_selected =
                (app.checklist_selected as isize).saturating_add(delta).clamp(0, (n - 1).max(0)) as usize;
        }
    }
}

/// Runs a search in a pane; selects the first match at or after the selection.
pub fn apply_search(app: &mut App, m: &tokentrail::model::Model, pane: Pane, query: String) {
    keep_search(app, m, pane, query);
    go_to_match(app);
}

/// Runs a search in a pane without moving: its current match is the first at or after the
/// selection.
pub fn keep_search(app: &mut App, m: &tokentrail::model::Model, pane: Pane, query: String) {
    let matches = search_matches(app, m, pane, &query);
    let here = current_position(app, pane);
    let current = matches.iter().position(|&x| x >= here).unwrap_or(0);
    if matches.is_empty() {
        app.message = Some(format!("no match for {query:?}"));
    }
    app.search = Some(Search { pane, query, matches, current });
}

fn search_matches(app: &App, m: &tokentrail::model::Model, pane: Pane, query: &str) -> Vec<usize> {
    let q = query.to_lowercase();
    match pane {
        Pane::Timeline => app.timeline.search(m, query),
        Pane::Tree => app
            .tree
            .labels
            .iter()
            .enumerate()
            .filter(|(_, (_, l))| l.to_lowercase().contains(&q))
            .map(|(i, _)| i)
            .collect(),
        Pane::Detail => app
            .detail
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.to_string().to_lowercase().contains(&q))
            .map(|(i, _)| i)
            .collect(),
        Pane::Checklist => app
            .checklist
            .iter()
            .flat_map(|c| c.steps.iter())
            .enumerate()
            .filter(|(i, s)| {
                let note = app.case.step(*i as u8 + 1).note;
                format!("{} {} {note}", s.title, s.summary).to_lowercase().contains(&q)
            })
            .map(|(i, _)| i)
            .collect(),
    }
}

fn current_position(app: &App, pane: Pane) -> usize {
    match pane {
        Pane::Timeline => app.timeline.selected,
        Pane::Detail => app.detail.scroll,
        Pane::Checklist => app.checklist_selected,
        Pane::Tree => app.tree.labels.iter().position(|(p, _)| p.as_slice() == app.tree.state.selected()).unwrap_or(0),
    }
}

fn step_match(app: &mut App, forward: bool) {
    let Some(s) = app.search.as_mut() else {
        app.message = Some("no search: press / first".into());
        return;
    };
    if s.matches.is_empty() {
        return;
    }
    let n = s.matches.len();
    s.current = if forward { (s.current + 1) % n } else { (s.current + n - 1) % n };
    go_to_match(app);
}

fn go_to_match(app: &mut App) {
    let Some(s) = app.search.clone() else { return };
    let Some(&target) = s.matches.get(s.current) else { return };
    app.focus = s.pane;
    match s.pane {
        Pane::Timeline => app.timeline.selected = target,
        Pane::Detail => app.detail.scroll = target,
        Pane::Checklist => app.checklist_selected = target,
        Pane::Tree => {
            if let Some((path, _)) = app.tree.labels.get(target).cloned() {
                for k in 1..path.len() {
                    app.tree.state.open(path[..k].to_vec());
                }
                app.tree.state.select(path);
            }
        }
    }
}
