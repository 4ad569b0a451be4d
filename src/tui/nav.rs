//! Navigation: drilling in, revealing a path, filtering, going back, and the detail pane
//! following the selection.

use super::action::Pane;
use super::app::App;
use std::sync::Arc;
use tokentrail::model::Model;

/// The lineage node of whatever is selected: a tree node, or the timeline event's signer.
pub fn selected_node(app: &App, m: &Model) -> Option<usize> {
    match app.focus {
        Pane::Tree => app.tree.selected_node(),
        _ => app.timeline.selected_event(m).and_then(|e| m.lin.node_of_event(&m.ix, e)).or(app.tree.selected_node()),
    }
}

/// Filters the timeline to some nodes' events (their uses and their issuing events), in place
/// of any lineage filter; the other filters stay.
pub fn filter_to(app: &mut App, m: &Arc<Model>, nodes: Vec<usize>, label: String) {
    let f = super::filtering::lineage(m, &nodes, label);
    super::filtering::add(app, m, f);
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

pub fn filter_lineage(app: &mut App, m: &Arc<Model>) {
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

pub fn enter(app: &mut App, m: &Arc<Model>) {
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
            let events = Arc::new(step.evidence.iter().map(|e| e.event as u32).collect());
            let label = format!("step {} evidence", step.step);
            app.history.push(app.snapshot());
            super::filtering::add(app, m, super::filter::Filter::Events { events, label });
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
        None => app.message = Some(format!("nothing to go back to ({} quits)", app.keymap.key_hint("quit"))),
    }
}

/// The detail pane follows the timeline's selection.
pub fn sync_detail(app: &mut App, m: &Model) {
    let want = app.timeline.selected_event(m);
    if want != app.detail.event {
        app.detail.event = want;
        app.detail.scroll = 0;
        app.detail.lines = want
            .map(|e| {
                let mut lines: Vec<ratatui::text::Line<'static>> =
                    super::detail::mark_line(&app.case, &app.marked, m, e, &app.theme).into_iter().collect();
                lines.extend(super::detail::detection_lines(app.detections.as_deref(), e, &app.theme));
                lines.extend(super::detail::event_lines(m, e, &app.theme));
                lines
            })
            .unwrap_or_default();
    }
}
