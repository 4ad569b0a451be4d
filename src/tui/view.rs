//! Where the next frame scrolls to, worked out after every update from the terminal's size
//! (`ui::layout`) and the state: the timeline's page and offset, the tree's offset, and the
//! checklist's what-if line. Rendering then only reads.

use super::app::{App, StepWhatIf};
use super::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use tokentrail::checklist::Status;
use tokentrail::checklist::whatif::what_if;

pub fn settle(app: &mut App) {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if area.is_empty() || ui::too_small(area) {
        return;
    }
    let a = ui::layout(area, app.zoomed.then_some(app.focus));
    let years = app.model.as_deref().is_some_and(ui::timeline::spans_years);
    app.page = ui::timeline_rows(a.timeline, years);
    app.timeline.scroll_into_view(app.page);
    settle_histogram(app, a.timeline);
    // The tree widget scrolls as it renders (and learns which rows are visible, which its
    // key moves need): rendered here, with the real state, into the image the frame shows.
    let mut image = Buffer::empty(a.tree);
    let mut state = std::mem::take(&mut app.tree.state);
    ui::tree::render(&mut image, app, a.tree, &mut state);
    app.tree.state = state;
    app.tree_view = image;
    settle_what_if(app);
}

/// The histogram for the timeline's width: over the whole logs, or zoomed to the events on
/// screen.
fn settle_histogram(app: &mut App, pane: Rect) {
    let Some(m) = app.model.clone() else { return };
    let bins = pane.width.saturating_sub(2) as usize;
    let t = &app.timeline;
    let time = |row: usize| t.event_at(row).map(|e| m.ix.events[e].time);
    let range = if app.hist_zoom {
        let last = (t.offset + app.page).min(t.len(&m)).saturating_sub(1);
        time(t.offset).zip(time(last))
    } else {
        m.ix.time_range()
    };
    let Some(range) = range else { return };
    app.histogram = super::histogram::Histogram::build(&app.histogram, &m, &app.timeline, bins, range);
}

fn settle_what_if(app: &mut App) {
    let (Some(m), Some(list)) = (&app.model, &app.checklist) else {
        app.step_what_if = None;
        return;
    };
    let Some(s) = list.steps.get(app.checklist_selected) else {
        app.step_what_if = None;
        return;
    };
    if app.step_what_if.as_ref().is_some_and(|w| w.step == app.checklist_selected) {
        return; // worked out already for this step (a new model or root clears it)
    }
    let (at, when) = match (s.status, s.done_at) {
        (Status::Done, Some(t)) => (t + 1, format!("just after step {}", s.step)),
        _ => (m.end_time(), "at the end of the logs".to_string()),
    };
    let w = what_if(m, &list.root, at);
    let usable = w
        .usable
        .iter()
        .map(|&n| format!("{} ({})", m.ix.str(m.lin.nodes[n].key), m.lin.nodes[n].kind.as_str()))
        .collect();
    app.step_what_if = Some(StepWhatIf { step: app.checklist_selected, at, when, usable, blocked: w.blocked.len() });
}
