//! Sigma detections in the workbench: the project's rules and those of `--rules` folders,
//! evaluated on a worker once the logs are loaded (they read events' text again), then
//! pinned on the tree (`⚡N` on a credential's row), the detail pane (the rules an event
//! matched), the suspects (`sigma:<rule id>` reasons) and the blast radius.

use super::action::Action;
use super::app::App;
use std::sync::Arc;
use tokentrail::detect::{Detections, RuleSet};
use tokentrail::model::Model;

/// The final model is in: evaluate the rules over it (on a worker when there is one).
pub fn start(app: &mut App, m: &Arc<Model>) {
    app.detections = None;
    app.ranked = None;
    let dirs = app.rules.clone();
    match app.worker_tx.clone() {
        Some(tx) => {
            let m = m.clone();
            app.detecting = true;
            std::thread::spawn(move || {
                let det = Arc::new(Detections::run(&m, RuleSet::load(&dirs)));
                let _ = tx.send(Action::DetectionResults { model: m, detections: det });
            });
        }
        None => arrived(app, m.clone(), Arc::new(Detections::run(m, RuleSet::load(&dirs)))),
    }
}

/// A worker's answer: kept if it is about the model shown.
pub fn arrived(app: &mut App, model: Arc<Model>, det: Arc<Detections>) {
    let Some(m) = app.model.clone().filter(|m| Arc::ptr_eq(m, &model)) else { return };
    app.detecting = false;
    let ranked = tokentrail::detect::suspects::with_detections(&m.ix, &m.lin, &m.suspects, &det);
    let state = std::mem::take(&mut app.tree.state);
    app.tree = app.tree.with_detections(&m, &app.theme, &det, &ranked);
    app.ranked = Some(ranked);
    app.tree.state = state;
    app.detections = Some(det);
    super::blast_view::detections_arrived(app, &m);
    // The detail pane shows the rules its event matched: draw it again.
    app.detail.event = None;
    super::nav::sync_detail(app, &m);
}

/// The suspects as ranked with the detections' reasons, once they are in.
pub fn suspects<'a>(app: &'a App, m: &'a Model) -> &'a [tokentrail::lineage::suspects::Suspect] {
    app.ranked.as_deref().unwrap_or(&m.suspects)
}
