//! Search within a pane: its matches, the current one, stepping through them. Called by
//! `update` (n/N), the search prompt (`overlay`) and a model's arrival (run again).

use super::action::Pane;
use super::app::{App, Search};
use std::sync::Arc;
use tokentrail::model::Model;

/// Runs a search in a pane; selects the first match at or after the selection.
pub fn apply_search(app: &mut App, m: &Arc<Model>, pane: Pane, query: String) {
    if start(app, m, pane, &query, true) {
        return;
    }
    keep_search(app, m, pane, query);
    go_to_match(app);
}

/// Runs a search in a pane without moving: its current match is the first at or after the
/// selection.
pub fn keep_search(app: &mut App, m: &Arc<Model>, pane: Pane, query: String) {
    if start(app, m, pane, &query, false) {
        return;
    }
    let matches = search_matches(app, m, pane, &query);
    found(app, pane, query, matches);
}

fn found(app: &mut App, pane: Pane, query: String, matches: Vec<usize>) {
    let here = current_position(app, pane);
    let current = matches.iter().position(|&x| x >= here).unwrap_or(0);
    if matches.is_empty() {
        app.message = Some(format!("no match for {query:?}"));
    }
    app.search = Some(Search { pane, query, matches, current, pending: None });
}

/// A timeline search over a large index goes to a worker thread: true when it went. The
/// search is on screen at once, "searching…", and its matches arrive as an action.
fn start(app: &mut App, m: &Arc<Model>, pane: Pane, query: &str, go: bool) -> bool {
    let Some(tx) = app.worker_tx.clone() else { return false };
    if pane != Pane::Timeline || m.ix.events.len() <= app.filter_inline {
        return false;
    }
    app.search_generation += 1;
    let generation = app.search_generation;
    let view = super::timeline::Timeline { rows: app.timeline.rows.clone(), ..Default::default() };
    let (m, q) = (m.clone(), query.to_string());
    std::thread::spawn(move || {
        let matches = view.search(&m, &q);
        let _ = tx.send(super::action::Action::SearchResults { generation, matches });
    });
    let pending = Some((generation, go));
    app.search = Some(Search { pane, query: query.to_string(), matches: Vec::new(), current: 0, pending });
    true
}

/// A worker's matches: kept if they answer the search on screen (and the rows it searched).
pub fn results(app: &mut App, generation: u64, matches: Vec<usize>) {
    let Some(s) = app.search.clone() else { return };
    let Some((g, go)) = s.pending else { return };
    if g != generation {
        return;
    }
    found(app, s.pane, s.query, matches);
    if go {
        go_to_match(app);
    }
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

pub fn step_match(app: &mut App, forward: bool) {
    let Some(s) = app.search.as_mut() else {
        app.message = Some(format!("no search: press {} first", app.keymap.key_hint("search")));
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
