//! Navigation: loading finished, drilling in, revealing a path, filtering, going back,
//! copying and exporting.

use super::action::Pane;
use super::app::App;
use super::tree::LineageTree;
use std::sync::Arc;
use tokentrail::checklist::{evaluate, pick_root};
use tokentrail::index::event::Field;
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
    let dropped_filter = app.timeline.filter.take();
    let search = app.search.take();
    app.history.clear();
    app.tree = LineageTree::build(&m, &app.theme);
    app.candidates = super::finder::candidates(&m);
    app.timeline.clear_filter(&m, None);
    let wanted = app.start_key.clone().or_else(|| app.case.root.clone());
    app.checklist = pick_root(&m, wanted.as_deref()).map(|r| evaluate(&m, r));
    app.model = Some(m.clone());
    if let Some((time, id)) = shown {
        app.timeline.selected = position_of(&m, time, &id);
        app.timeline.offset = app.timeline.selected.saturating_sub(screen_row);
    }
    if let Some(s) = search {
        super::update::keep_search(app, &m, s.pane, s.query);
    }
    if let Some(f) = dropped_filter {
        app.message = Some(format!("more events loaded: filter \"{f}\" cleared (apply it again to include them)"));
    }
    if let Some(key) = app.start_key.clone().filter(|_| first || app.progress.done) {
        match m.lin.nodes_with_key(&m.ix, &key).first() {
            Some(&n) => {
                app.tree.select_node(n);
                app.focus = Pane::Tree;
                filter_to(app, &m, vec![n], format!("key {key}"));
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
    sync_detail(app, &m);
}

/// Where the event with this time and id is in `m`; if it is not there, the first event at
/// or after that time.
fn position_of(m: &Model, time: tokentrail::time::Millis, id: &str) -> usize {
    let span = m.ix.time_span(Some(time), Some(time.saturating_add(1)));
    let at = span.clone().find(|&i| m.ix.event_id(&m.ix.events[i]) == id).unwrap_or(span.start);
    at.min(m.ix.events.len().saturating_sub(1))
}

/// The lineage node of whatever is selected: a tree node, or the timeline event's signer.
pub fn selected_node(app: &App, m: &Model) -> Option<usize> {
    match app.focus {
        Pane::Tree => app.tree.selected_node(),
        _ => app.timeline.selected_event(m).and_then(|e| m.lin.node_of_event(&m.ix, e)).or(app.tree.selected_node()),
    }
}

/// Shows the timeline for some nodes' events (their uses and their issuing events).
fn filter_to(app: &mut App, m: &Model, nodes: Vec<usize>, label: String) {
    let rows = nodes
        .iter()
        .filter_map(|&n| m.lin.nodes[n].session)
        .flat_map(|s| m.ix.session_events(s).iter().copied())
        .chain(nodes.iter().filter_map(|&n| m.lin.nodes[n].issuing_event.map(|e| e as u32)))
        .collect();
    show_events(app, m, rows, &label);
}

/// Shows the timeline for some events, in time order, each once.
fn show_events(app: &mut App, m: &Model, mut rows: Vec<u32>, label: &str) {
    rows.sort_unstable();
    rows.dedup();
    let n = rows.len();
    app.timeline.set_filter(m, rows, format!("{label} ({n} events)"));
}

pub fn reveal(app: &mut App, m: &Model) {
    let Some(node) = selected_node(app, m) else {
        app.message = Some("select a credential first".into());
        return;
    };
    app.history.push(app.snapshot());
    let chain = m.lin.chain(node);
    // Open the whole path so the way down stays visible; select the root.
    app.tree.select_node(node);
    app.tree.select_node(chain[0]);
    app.focus = Pane::Tree;
    let path: Vec<&str> = chain.iter().map(|&n| m.ix.str(m.lin.nodes[n].key)).collect();
    app.message = Some(format!("path from root: {}", path.join(" → ")));
}

pub fn filter_lineage(app: &mut App, m: &Model) {
    let Some(node) = selected_node(app, m) else {
        app.message = Some("select a credential first".into());
        return;
    };
    app.history.push(app.snapshot());
    let mut nodes = vec![node];
    nodes.extend(m.lin.descendants(node));
    let key = m.ix.str(m.lin.nodes[node].key).to_string();
    filter_to(app, m, nodes, format!("{key} + descendants"));
    app.focus = Pane::Timeline;
}

pub fn enter(app: &mut App, m: &Model) {
    match app.focus {
        Pane::Tree => match app.tree.selected_node() {
            Some(n) => {
                app.history.push(app.snapshot());
                let key = m.ix.str(m.lin.nodes[n].key).to_string();
                filter_to(app, m, vec![n], format!("key {key}"));
                app.focus = Pane::Timeline;
            }
            None => {
                app.tree.state.toggle_selected();
            }
        },
        Pane::Timeline => {
            app.history.push(app.snapshot());
            app.focus = Pane::Detail;
        }
        Pane::Checklist => {
            let Some(step) = app.checklist.as_ref().and_then(|c| c.steps.get(app.checklist_selected)) else { return };
            let rows = step.evidence.iter().map(|e| e.event as u32).collect();
            let label = format!("step {} evidence", step.step);
            app.history.push(app.snapshot());
            show_events(app, m, rows, &label);
            app.focus = Pane::Timeline;
        }
        Pane::Detail => {}
    }
}

pub fn back(app: &mut App) {
    match app.history.pop() {
        Some(s) => {
            app.focus = s.focus;
            app.timeline = s.timeline;
            if !s.tree_selected.is_empty() {
                app.tree.state.select(s.tree_selected);
            }
        }
        None if app.search.is_some() => app.search = None,
        None => app.message = Some("nothing to go back to (q quits)".into()),
    }
}

pub fn copy(app: &mut App, m: &Model) {
    let text = match app.focus {
        Pane::Tree => app.tree.selected_node().map(|n| m.ix.str(m.lin.nodes[n].key).to_string()),
        Pane::Checklist => app.checklist.as_ref().map(|c| c.root.access_key_id.clone()),
        _ => app.timeline.selected_event(m).map(|e| {
            let ev = &m.ix.events[e];
            let key = m.ix.field(ev, Field::Key);
            if key.is_empty() { m.ix.field(ev, Field::Principal).to_string() } else { key.to_string() }
        }),
    };
    match text.filter(|t| !t.is_empty()) {
        Some(t) => {
            // What is pasted is as safe as what is shown: no escape reaches the clipboard.
            let t = tokentrail::text::sanitize(&t).into_owned();
            app.message = Some(format!("copied {t}"));
            app.clipboard = Some(t);
        }
        None => app.message = Some("nothing to copy here".into()),
    }
}

pub fn export(app: &mut App, m: &Model) {
    let Some(list) = app.checklist.as_ref() else {
        app.message = Some("no case root: nothing to export".into());
        return;
    };
    let md = tokentrail::answer::checklist::markdown(m, list, &app.case);
    let path = report_path(&app.case_file.path);
    app.message = Some(match std::fs::write(&path, md) {
        Ok(()) => format!("report written to {}", path.display()),
        Err(e) => format!("cannot write {}: {e}", path.display()),
    });
}

/// The report beside the case file: `case.md` for `case.json`, never the case file itself
/// (a case file named `notes.md` gets `notes.report.md`).
pub fn report_path(case: &std::path::Path) -> std::path::PathBuf {
    let beside = case.with_extension("md");
    if beside == case { case.with_extension("report.md") } else { beside }
}

/// Saves the case file now; failures are shown, never silent, and remembered until a save
/// succeeds (quitting asks once more).
pub fn save_case(app: &mut App, done: String) {
    if let Some(c) = &app.checklist {
        app.case.root = Some(c.root.access_key_id.clone());
    }
    let result = app.case_file.save(&mut app.case);
    app.unsaved = result.is_err();
    app.message = Some(match result {
        Ok(tokentrail::checklist::case::Saved::Written) => format!("{done} · saved"),
        Ok(tokentrail::checklist::case::Saved::Merged) => {
            format!("{done} · saved, merged with notes another workbench saved to this case file")
        }
        Err(e) => format!("NOT SAVED to {}: {e}", app.case_file.path.display()),
    });
}

/// The detail pane follows the timeline's selection.
pub fn sync_detail(app: &mut App, m: &Model) {
    let want = app.timeline.selected_event(m);
    if want != app.detail.event {
        app.detail.event = want;
        app.detail.scroll = 0;
        app.detail.lines = want.map(|e| super::detail::event_lines(m, e, &app.theme)).unwrap_or_default();
    }
}
