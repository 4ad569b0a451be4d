//! `b`: the blast radius of the selected credential — what it and all it reaches planted
//! (open or undone) and the data it touched — worked out on a worker thread (it reads the
//! events' text again), each persistence row going to its event.

use super::action::Action;
use super::app::{App, Overlay};
use std::sync::Arc;
use tokentrail::model::Model;

/// Opens the view for the selected credential.
pub fn open(app: &mut App, m: &Arc<Model>) {
    let Some(node) = super::nav::selected_node(app, m) else {
        app.message = Some("select a credential (tree) or one of its events (timeline) first".into());
        return;
    };
    match app.worker_tx.clone() {
        Some(tx) => {
            let m = m.clone();
            std::thread::spawn(move || {
                let radius = Arc::new(tokentrail::blast::of(&m, node));
                let _ = tx.send(Action::BlastResults { node, radius });
            });
            app.overlay = Overlay::Blast { node, radius: None, selected: 0 };
        }
        None => {
            let radius = Arc::new(tokentrail::blast::of(m, node));
            app.overlay = Overlay::Blast { node, radius: Some(radius), selected: 0 };
        }
    }
}

/// A worker's answer: shown if the view is still open on that credential.
pub fn results(app: &mut App, node: usize, radius: Arc<tokentrail::blast::BlastRadius>) {
    if let Overlay::Blast { node: open, radius: slot, .. } = &mut app.overlay
        && *open == node
    {
        *slot = Some(radius);
    }
}

/// Keys in the view: move, and Enter on a persistence row goes to its event.
pub fn key(
    app: &mut App,
    node: usize,
    radius: Option<Arc<tokentrail::blast::BlastRadius>>,
    selected: usize,
    a: Action,
) {
    let n = radius.as_ref().map_or(0, |r| r.persistence.len());
    app.overlay = match a {
        Action::Down => Overlay::Blast { node, radius, selected: (selected + 1).min(n.saturating_sub(1)) },
        Action::Up => Overlay::Blast { node, radius, selected: selected.saturating_sub(1) },
        Action::Blast | Action::Quit => Overlay::None,
        Action::Enter => {
            if let (Some(m), Some(item)) =
                (app.model.clone(), radius.as_ref().and_then(|r| r.persistence.get(selected)))
            {
                super::marks::go_to(app, &m, item.event);
                super::nav::sync_detail(app, &m);
            }
            Overlay::None
        }
        _ => Overlay::Blast { node, radius, selected },
    };
}
