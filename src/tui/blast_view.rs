//! `b`: the blast radius of the selected credential — what it and all it reaches planted
//! (open or undone), the data it touched and the Sigma rules its events matched — worked out
//! on a worker thread (it reads the events' text again), each write and detection row going
//! to its event; and where the credential's own calls came from.

use super::action::Action;
use super::app::{App, Overlay};
use std::sync::Arc;
use tokentrail::blast::BlastRadius;
use tokentrail::lineage::sources::Sources;
use tokentrail::model::Model;

/// Opens the view for the selected credential.
pub fn open(app: &mut App, m: &Arc<Model>) {
    let Some(node) = super::nav::selected_node(app, m) else {
        app.message = Some("select a credential (tree) or one of its events (timeline) first".into());
        return;
    };
    app.blast_hits = Arc::new(hits(app, m, node));
    match app.worker_tx.clone() {
        Some(tx) => {
            let m = m.clone();
            std::thread::spawn(move || {
                let (radius, sources) = work(&m, node);
                let _ = tx.send(Action::BlastResults { node, radius, sources });
            });
            app.overlay = Overlay::Blast { node, radius: None, selected: 0 };
        }
        None => {
            let (radius, sources) = work(m, node);
            app.blast_sources = sources;
            app.overlay = Overlay::Blast { node, radius: Some(radius), selected: 0 };
        }
    }
}

/// What the view shows of a credential, off the UI thread when it can be: its blast radius
/// (the events' text read again) and where its own calls came from (a pass over its events).
fn work(m: &Model, node: usize) -> (Arc<BlastRadius>, Arc<Sources>) {
    (Arc::new(tokentrail::blast::of(m, node)), Arc::new(Sources::of(&m.ix, &m.lin, node)))
}

/// A worker's answer: shown if the view is still open on that credential.
pub fn results(app: &mut App, node: usize, radius: Arc<BlastRadius>, sources: Arc<Sources>) {
    if let Overlay::Blast { node: open, radius: slot, .. } = &mut app.overlay
        && *open == node
    {
        *slot = Some(radius);
        app.blast_sources = sources;
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
    let writes = radius.as_ref().map_or(0, |r| r.persistence.len());
    let hits = app.blast_hits.clone();
    let n = writes + hits.len();
    app.overlay = match a {
        Action::Down => Overlay::Blast { node, radius, selected: (selected + 1).min(n.saturating_sub(1)) },
        Action::Up => Overlay::Blast { node, radius, selected: selected.saturating_sub(1) },
        Action::Blast | Action::Quit => Overlay::None,
        Action::Enter => {
            let event = match radius.as_ref().and_then(|r| r.persistence.get(selected)) {
                Some(item) => Some(item.event),
                None => hits.get(selected.wrapping_sub(writes)).map(|h| h.event),
            };
            if let (Some(m), Some(event)) = (app.model.clone(), event) {
                super::marks::go_to(app, &m, event);
                super::nav::sync_detail(app, &m);
            }
            Overlay::None
        }
        _ => Overlay::Blast { node, radius, selected },
    };
}

/// The Sigma hits on the events of the credential and everything it reaches, the most
/// severe first, then in event order (rows after the persistence items).
fn hits(app: &App, m: &Model, node: usize) -> Vec<tokentrail::detect::Hit> {
    let Some(d) = &app.detections else { return Vec::new() };
    let mut hits: Vec<tokentrail::detect::Hit> = d.on_nodes(&m.lin.with_reach(node)).into_iter().copied().collect();
    hits.sort_by_key(|h| (std::cmp::Reverse(tokentrail::detect::found::level_rank(&d.rule(h).level)), h.event));
    hits
}

/// The detections arrived: the open view lists them.
pub fn detections_arrived(app: &mut App, m: &Model) {
    if let Overlay::Blast { node, .. } = app.overlay {
        app.blast_hits = Arc::new(hits(app, m, node));
    }
}
