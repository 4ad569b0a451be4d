//! Applying the timeline's filters: adding one (replacing one of its kind), dropping one,
//! and working the rows out — at once for a small index, else on a worker thread whose answer
//! arrives as `Action::FilterResults` (the rows shown until then are the last ones, and the
//! status bar says "filtering…"), so that a keystroke never waits for a million events.

use super::action::Action;
use super::app::App;
use super::filter::{Filter, rows};
use std::sync::Arc;
use tokentrail::model::Model;

/// Adds `f` (in place of a filter of its kind) and works the rows out again (the caller
/// saves the history first, to come back with `Esc`).
pub fn add(app: &mut App, m: &Arc<Model>, f: Filter) {
    app.timeline.filters.retain(|g| !f.replaces(g));
    app.timeline.filters.push(f);
    refresh(app, m);
}

/// Drops filter `n` (1-based, as the status bar numbers them), or the last one.
pub fn drop(app: &mut App, m: &Arc<Model>, n: Option<usize>) {
    let len = app.timeline.filters.len();
    let i = match n {
        Some(k) if (1..=len).contains(&k) => k - 1,
        Some(k) => {
            app.message = Some(format!("no filter {k}: {len} are active"));
            return;
        }
        None if len > 0 => len - 1,
        None => {
            app.message = Some("no filter to drop".into());
            return;
        }
    };
    app.history.push(app.snapshot());
    let gone = app.timeline.filters.remove(i);
    app.message = Some(format!("dropped filter {}", gone.label()));
    refresh(app, m);
}

/// Drops the time window, if there is one.
pub fn drop_time(app: &mut App, m: &Arc<Model>) {
    match app.timeline.filters.iter().position(|f| matches!(f, Filter::Time { .. })) {
        Some(i) => drop(app, m, Some(i + 1)),
        None => app.message = Some("no time window to drop".into()),
    }
}

/// Works the rows out for the current filters.
pub fn refresh(app: &mut App, m: &Arc<Model>) {
    app.timeline.generation += 1;
    if app.timeline.filters.is_empty() {
        app.timeline.set_rows(m, None);
        search_again(app, m);
        return;
    }
    match &app.worker_tx {
        Some(tx) if m.ix.events.len() > app.filter_inline => {
            app.timeline.pending = true;
            let (tx, m, filters, generation) =
                (tx.clone(), m.clone(), app.timeline.filters.clone(), app.timeline.generation);
            std::thread::spawn(move || {
                let rows = rows(&m, &filters);
                let _ = tx.send(Action::FilterResults { generation, rows });
            });
        }
        _ => {
            let r = rows(m, &app.timeline.filters);
            app.timeline.set_rows(m, Some(r));
            search_again(app, m);
        }
    }
}

/// A timeline search's matches are rows: when the rows change, it is run again.
fn search_again(app: &mut App, m: &Arc<Model>) {
    if let Some(s) = app.search.clone().filter(|s| s.pane == super::action::Pane::Timeline) {
        super::search::keep_search(app, m, s.pane, s.query);
    }
}

/// A worker's rows: shown if they answer the filters on screen now.
pub fn results(app: &mut App, generation: u64, rows: Vec<u32>) {
    if app.timeline.generation != generation {
        return;
    }
    if let Some(m) = app.model.clone() {
        app.timeline.set_rows(&m, Some(rows));
        search_again(app, &m);
    }
}

/// The lineage filter for some nodes: their sessions' events and their issuing events.
pub fn lineage(m: &Model, nodes: &[usize], label: String) -> Filter {
    let sessions = nodes.iter().filter_map(|&n| m.lin.nodes[n].session).map(|s| s as u32).collect();
    let issuing = nodes.iter().filter_map(|&n| m.lin.nodes[n].issuing_event).map(|e| e as u32).collect();
    Filter::Lineage { sessions: Arc::new(sessions), issuing: Arc::new(issuing), label }
}
