//! A model arrives from the loader (partial while loading, then final): the views are
//! rebuilt around what the analyst was looking at.

use super::action::Pane;
use super::app::App;
use super::nav;
use super::tree::LineageTree;
use std::sync::Arc;
use tokentrail::checklist::{evaluate, pick_root};
use tokentrail::model::Model;

/// A (partial or final) model arrived: rebuild the views, keeping the focus, the event the
/// timeline had selected (found again by time and id: positions differ between models) and
/// the search (run again). Filters and history refer to the old model's event positions, so
/// they are dropped, and the analyst is told.
pub fn on_loaded(app: &mut App, m: Arc<Model>) {
    let first = app.model.is_none();
    let shown = app.model.as_ref().and_then(|old| {
        let e = &old.ix.events[app.timeline.selected_event(old)?];
        Some((e.time, old.ix.event_id(e)))
    });
    let screen_row = app.timeline.selected.saturating_sub(app.timeline.offset);
    // Filters by value are applied again to the new model; those naming positions in the
    // old one (a lineage's sessions, a step's evidence) cannot be, and the analyst is told.
    let (kept, dropped): (Vec<_>, Vec<_>) =
        std::mem::take(&mut app.timeline.filters).into_iter().partition(|f| !super::filter::is_positional(f));
    let search = app.search.take();
    app.history.clear();
    app.tree = LineageTree::build(&m, &app.theme);
    app.candidates = Arc::new(super::finder::candidates(&m));
    app.timeline.clear_filter(&m, None);
    // A case file belongs to one root: its root comes first; a --key with another root asks.
    let asked = app.start_key.as_deref().and_then(|k| pick_root(&m, Some(k)));
    let root = match &app.case.root {
        Some(r) => pick_root(&m, Some(r)),
        None => asked.clone().or_else(|| pick_root(&m, None)),
    };
    let keep_selected =
        app.checklist.as_ref().map(|c| c.root.access_key_id.clone()) == root.as_ref().map(|r| r.access_key_id.clone());
    app.checklist = root.map(|r| evaluate(&m, r));
    if !keep_selected {
        app.checklist_selected = 0;
    }
    app.step_what_if = None;
    let final_model = first || app.progress.done;
    // Only a case bound to its logs is compared with them (the fingerprint is worked out then).
    if app.progress.done && app.case.sources.is_some() {
        app.case_warning = app.case.sources_mismatch(&m.fingerprint());
    }
    if final_model
        && let (Some(a), Some(_)) = (&asked, &app.case.root)
        && app.case.root_conflict(&a.access_key_id).is_some()
        && app.overlay == super::app::Overlay::None
    {
        app.overlay = super::app::Overlay::CaseRoot { wanted: a.access_key_id.clone(), selected: 0 };
    }
    app.model = Some(m.clone());
    super::marks::resolve(app, &m);
    if let Some((time, id)) = shown {
        app.timeline.selected = position_of(&m, time, &id);
        app.timeline.offset = app.timeline.selected.saturating_sub(screen_row);
    }
    if let Some(s) = search {
        super::search::keep_search(app, &m, s.pane, s.query);
    }
    if !kept.is_empty() {
        app.timeline.filters = kept;
        super::filtering::refresh(app, &m);
    }
    if let Some(f) = dropped.first() {
        app.message =
            Some(format!("more events loaded: filter \"{}\" cleared (apply it again to include them)", f.label()));
    }
    if let Some(key) = app.start_key.clone().filter(|_| first || app.progress.done) {
        match m.lin.nodes_with_key(&m.ix, &key).first() {
            Some(&n) => {
                app.tree.select_node(n);
                app.focus = Pane::Tree;
                nav::filter_to(app, &m, vec![n], format!("key {key}"));
            }
            None => app.message = Some(format!("key {key} is not in the loaded logs")),
        }
    }
    if m.report.files_failed > 0 || m.report.rejected > 0 {
        app.message = Some(format!(
            "{} files failed, {} records rejected: `tokentrail stats` lists every reason",
            m.report.files_failed, m.report.rejected
        ));
    }
    // The shown event was named by its position in the old model: read it again.
    app.detail.event = None;
    nav::sync_detail(app, &m);
}

/// Where the event with this time and id is in `m`; if it is not there, the first event at
/// or after that time.
fn position_of(m: &Model, time: tokentrail::time::Millis, id: &str) -> usize {
    let at = m.ix.find_event(time, id).unwrap_or_else(|| m.ix.time_span(Some(time), None).start);
    at.min(m.ix.events.len().saturating_sub(1))
}
