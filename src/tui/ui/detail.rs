//! The event detail pane: the original record, pretty and coloured, secrets redacted.

use super::super::action::Pane;
use super::super::app::App;
use super::{inner_height, pane_block};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let extra = match (&app.model, app.detail.event) {
        (Some(m), Some(e)) => format!("· {} ", m.ix.event_id(&m.ix.events[e])),
        _ => String::new(),
    };
    let block = pane_block(app, Pane::Detail, &extra);
    let h = inner_height(area);
    let lines: Vec<_> = app.detail.lines.iter().skip(app.detail.scroll).take(h).cloned().collect();
    let body = if lines.is_empty() { Paragraph::new("no event selected") } else { Paragraph::new(lines) };
    let body = if app.detail.wrap { body.wrap(Wrap { trim: false }) } else { body.scroll((0, app.detail.hscroll)) };
    f.render_widget(body.block(block), area);
}
