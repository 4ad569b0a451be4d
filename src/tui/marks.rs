//! Marks: events the analyst keeps as evidence (`m`, with an optional one-line comment),
//! listed by `M`, removed by `d`, saved in the case file like notes, and reported under
//! their checklist step (or in an "Evidence" section).

use super::app::{App, Overlay};
use super::output::save_case;
use tokentrail::checklist::case::Mark;
use tokentrail::model::Model;
use tokentrail::time::format_time;

/// The event `m` and `d` act on: the timeline's selection (the detail pane shows it too).
fn selected(app: &App, m: &Model) -> Option<usize> {
    app.timeline.selected_event(m)
}

fn key_of(m: &Model, event: usize) -> (String, String) {
    let e = &m.ix.events[event];
    (format_time(e.time), m.ix.event_id(e))
}

/// Opens the comment prompt for the selected event (its comment, when it is marked already).
pub fn start(app: &mut App, m: &Model) {
    let Some(event) = selected(app, m) else {
        app.message = Some("select an event to mark".into());
        return;
    };
    let (t, id) = key_of(m, event);
    let text = app.case.mark(&t, &id).map(|k| k.comment.clone()).unwrap_or_default();
    app.overlay = Overlay::MarkInput { event, text };
}

/// Marks `event` with `comment` and saves the case.
pub fn save(app: &mut App, m: &Model, event: usize, comment: String) {
    let (event_time, event_id) = key_of(m, event);
    let comment = comment.trim().to_string();
    app.case
        .marks
        .insert((event_time.clone(), event_id.clone()), Mark { event_time, event_id: event_id.clone(), comment });
    resolve(app, m);
    save_case(app, format!("marked {event_id}"));
}

/// Removes the mark on `event` (the selected one when None) and saves the case.
pub fn remove(app: &mut App, m: &Model, event: Option<usize>) {
    let Some(event) = event.or_else(|| selected(app, m)) else { return };
    let key = key_of(m, event);
    if app.case.marks.remove(&key).is_none() {
        app.message = Some("this event is not marked".into());
        return;
    }
    resolve(app, m);
    save_case(app, format!("mark removed from {}", key.1));
}

/// The marked events' positions in the loaded model, in time order, for the timeline and the
/// list; the detail pane is drawn again (it shows the selected event's mark).
pub fn resolve(app: &mut App, m: &Model) {
    let mut at: Vec<usize> = app.case.resolve_marks(&m.ix).into_iter().filter_map(|(p, _)| p).collect();
    at.sort_unstable();
    app.marked = at;
    app.detail.event = None;
    super::nav::sync_detail(app, m);
}

/// Goes to a marked event in the timeline (dropping the filters that hide it).
pub fn go_to(app: &mut App, m: &Model, event: usize) {
    app.history.push(app.snapshot());
    let row = match &app.timeline.rows {
        Some(rows) => rows.binary_search(&(event as u32)).ok(),
        None => Some(event),
    };
    match row {
        Some(r) => app.timeline.selected = r,
        None => {
            app.timeline.clear_filter(m, Some(event));
            app.message = Some("the filters hid this event: they are dropped".into());
        }
    }
    app.focus = super::action::Pane::Timeline;
}
