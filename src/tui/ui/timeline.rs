//! The timeline: a sparkline of event counts over time, then only the visible rows.

use super::super::action::Pane;
use super::super::app::App;
use super::super::tree::key_style;
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use tokentrail::cloudtrail::ids::short_arn;
use tokentrail::index::event::Field;
use tokentrail::text::sanitize;
use tokentrail::time::format_short;

const KEY_W: usize = 20;
const TIME_W: usize = 14;

/// Column widths for the space available: principal and event share what is left; the
/// source IP column goes first when the pane is narrow (errors stay, coloured per row).
struct Columns {
    principal: usize,
    event: usize,
    ip: usize,
    error: usize,
}

impl Columns {
    fn fit(width: usize) -> Columns {
        let (mut ip, error) = (15, 13);
        let mut flex = width.saturating_sub(TIME_W + 1 + KEY_W + 2 + ip + 1 + error + 1);
        if flex < 36 {
            flex += ip + 1;
            ip = 0;
        }
        let principal = (flex * 45 / 100).max(4);
        Columns { principal, event: flex.saturating_sub(principal).max(4), ip, error }
    }

    fn header(&self) -> String {
        let mut h = format!(
            "{:<TIME_W$} {:<p$} {:<KEY_W$} {:<e$} ",
            "time (UTC)",
            "principal",
            "key",
            "event",
            p = self.principal,
            e = self.event
        );
        if self.ip > 0 {
            h.push_str(&format!("{:<w$} ", "source IP", w = self.ip));
        }
        h.push_str("error");
        h
    }
}

/// A value fitted to its column by display width (see `text::pad`).
fn cell(s: &str, w: usize) -> String {
    tokentrail::text::pad(s, w)
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let total = app.model.as_ref().map_or(0, |m| app.timeline.len(m));
    let extra = match &app.timeline.filter {
        Some(label) => format!("· {} ", sanitize(label)),
        None => format!("· {total} events "),
    };
    let block = pane_block(app, Pane::Timeline, &extra);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(m) = app.model.clone() else {
        let p = &app.progress;
        let msg = format!("Loading… {}/{} files, {} events", p.files_done, p.files_total, p.events);
        f.render_widget(Paragraph::new(msg), inner);
        return;
    };
    let [spark, header, rows] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    // Resample the cached histogram to the width available.
    let w = spark.width.max(1) as usize;
    let hist = &app.timeline.hist;
    let data: Vec<u64> =
        (0..w).map(|i| hist.iter().skip(i * hist.len() / w).take((hist.len() / w).max(1)).sum()).collect();
    f.render_widget(Sparkline::default().data(&data).style(app.theme.dim()), spark);

    let width = rows.width as usize;
    let cols = Columns::fit(width);
    f.render_widget(Paragraph::new(Line::styled(cols.header(), app.theme.dim())), header);

    let height = super::timeline_rows(area);
    let mut lines = Vec::with_capacity(height);
    for row in app.timeline.offset..(app.timeline.offset + height).min(total) {
        let Some(ei) = app.timeline.event_at(row) else { break };
        let e = &m.ix.events[ei];
        let key = m.ix.field(e, Field::Key);
        let err = m.ix.field(e, Field::Error);
        let selected = row == app.timeline.selected;
        let base = if selected { app.theme.selected() } else { ratatui::style::Style::new() };
        let pick = |style| if selected { base } else { style };
        let mut spans = vec![
            Span::raw(format!("{} ", format_short(e.time).get(5..).unwrap_or(""))),
            Span::raw(format!("{} ", cell(short_arn(m.ix.field(e, Field::Principal)), cols.principal))),
            Span::styled(cell(key, KEY_W), pick(key_style(&app.theme, key))),
            Span::styled(
                format!(" {} ", cell(m.ix.field(e, Field::Name), cols.event)),
                pick(if err.is_empty() { Style::new() } else { app.theme.error() }),
            ),
        ];
        if cols.ip > 0 {
            spans.push(Span::raw(format!("{} ", cell(m.ix.field(e, Field::Ip), cols.ip))));
        }
        spans.push(Span::styled(cell(err, cols.error), pick(app.theme.error())));
        lines.push(Line::from(spans).style(base));
    }
    f.render_widget(Paragraph::new(lines), rows);
}
