//! The timeline: a sparkline of event counts over time, then only the visible rows.

use super::super::action::Pane;
use super::super::app::App;
use super::super::tree::key_style;
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tokentrail::cloudtrail::ids::short_arn;
use tokentrail::index::event::Field;
use tokentrail::text::sanitize;
use tokentrail::time::format_short;

const KEY_W: usize = 20;
/// Rows above the events: the histogram (two rows, one in a short pane), its axis, the header.
pub fn head_rows(inner_height: usize) -> usize {
    if inner_height >= 16 { 4 } else { 3 }
}
/// A key shortened to its class and its end: `ASIA…UQEQ`.
const SHORT_KEY_W: usize = 9;
const IP_W: usize = 15;
const ERROR_W: usize = 13;
/// Event names up to this long are kept whole when the pane allows it (the longest common
/// ones); at least `EVENT_MIN` whatever the width.
const EVENT_W: usize = 24;
const EVENT_MIN: usize = 16;
const PRINCIPAL_MIN: usize = 4;

/// Column widths for the space available, by priority: time, principal and event name keep
/// their room; then the key shortens (`ASIA…UQEQ`); the source IP and error move to a
/// detail line under the rows (for the selected event) when the pane is narrow.
pub struct Columns {
    time: usize,
    principal: usize,
    pub key: usize,
    pub event: usize,
    ip: usize,
    error: usize,
    /// The IP and error are shown on a line of their own, for the selected event.
    pub detail_line: bool,
}

impl Columns {
    /// `years`: the loaded events span more than one calendar year (the time shows it).
    pub fn fit(width: usize, years: bool) -> Columns {
        let time = if years { 19 } else { 14 };
        // A row: time, principal, key and event, a space after each but the last; then, when
        // there is room, the source IP and the error.
        let full = width.saturating_sub(time + KEY_W + IP_W + ERROR_W + 5);
        if full >= EVENT_W + 12 {
            let principal = full - EVENT_W.max(full * 55 / 100);
            return Columns {
                time,
                principal,
                key: KEY_W,
                event: full - principal,
                ip: IP_W,
                error: ERROR_W,
                detail_line: false,
            };
        }
        let (key, flex) = match width.saturating_sub(time + KEY_W + 3) {
            f if f >= EVENT_W + 12 => (KEY_W, f),
            _ => (SHORT_KEY_W, width.saturating_sub(time + SHORT_KEY_W + 3)),
        };
        let event = EVENT_W.min(flex.saturating_sub(PRINCIPAL_MIN)).max(EVENT_MIN);
        let principal = flex.saturating_sub(event).max(PRINCIPAL_MIN);
        Columns { time, principal, key, event, ip: 0, error: 0, detail_line: true }
    }

    fn header(&self) -> String {
        let mut h = format!(
            "{:<t$} {:<p$} {:<k$} {:<e$}",
            "time (UTC)",
            "principal",
            "key",
            "event",
            t = self.time,
            p = self.principal,
            k = self.key,
            e = self.event
        );
        if self.ip > 0 {
            h.push_str(&format!(" {:<w$} error", "source IP", w = self.ip));
        }
        h
    }

    /// The time as the column shows it: with the year when the logs span years.
    fn time(&self, t: tokentrail::time::Millis) -> String {
        let s = format_short(t);
        if self.time >= 19 { s } else { s.get(5..).unwrap_or("").to_string() }
    }

    /// The key as the column shows it.
    fn key(&self, key: &str) -> String {
        if self.key >= KEY_W || key.chars().count() <= SHORT_KEY_W {
            return cell(key, self.key);
        }
        let head: String = key.chars().take(4).collect();
        let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        cell(&format!("{head}…{tail}"), self.key)
    }
}

/// Whether the loaded events fall in more than one calendar year.
pub fn spans_years(m: &tokentrail::model::Model) -> bool {
    m.ix.time_range().is_some_and(|(a, b)| format_short(a).get(..4) != format_short(b).get(..4))
}

/// A value fitted to its column by display width (see `text::pad`).
fn cell(s: &str, w: usize) -> String {
    tokentrail::text::pad(s, w)
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let total = app.model.as_ref().map_or(0, |m| app.timeline.len(m));
    let extra = match app.timeline.filters.len() {
        0 => format!("· {total} events "),
        n => format!("· {total} events · {n} filter{} ", if n == 1 { "" } else { "s" }),
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
    let width = inner.width as usize;
    let cols = Columns::fit(width, spans_years(&m));
    let bars = head_rows(inner.height as usize) as u16 - 2;
    let [spark, axis, header, rows, detail] = Layout::vertical([
        Constraint::Length(bars),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(cols.detail_line)),
    ])
    .areas(inner);
    draw_histogram(f, app, spark, axis);
    f.render_widget(Paragraph::new(Line::styled(cols.header(), app.theme.dim())), header);

    let height = super::timeline_rows(area, spans_years(&m));
    let mut lines = Vec::with_capacity(height);
    for row in app.timeline.offset..(app.timeline.offset + height).min(total) {
        let Some(ei) = app.timeline.event_at(row) else { break };
        let e = &m.ix.events[ei];
        let key = m.ix.text(e, Field::Key);
        let err = m.ix.text(e, Field::Error);
        let selected = row == app.timeline.selected;
        let base = if selected { app.theme.selected() } else { ratatui::style::Style::new() };
        let pick = |style| if selected { base } else { style };
        let mut spans = vec![
            Span::raw(cols.time(e.time)),
            // A marked event: the mark sits where the time's separator is (no column taken).
            if app.marked.binary_search(&ei).is_ok() {
                Span::styled("●", pick(app.theme.suspect()))
            } else {
                Span::raw(" ")
            },
            Span::raw(format!("{} ", cell(short_arn(m.ix.text(e, Field::Principal)), cols.principal))),
            Span::styled(cols.key(key), pick(key_style(&app.theme, key))),
            Span::styled(
                format!(" {}", cell(m.ix.text(e, Field::Name), cols.event)),
                pick(if err.is_empty() { Style::new() } else { app.theme.error() }),
            ),
        ];
        if cols.ip > 0 {
            spans.push(Span::raw(format!(" {} ", cell(&m.ix.field(e, Field::Ip), cols.ip))));
            spans.push(Span::styled(cell(err, cols.error), pick(app.theme.error())));
        }
        lines.push(Line::from(spans).style(base));
    }
    f.render_widget(Paragraph::new(lines), rows);
    // Narrow: what the columns left out, for the selected event.
    if let Some(e) = cols.detail_line.then(|| app.timeline.selected_event(&m)).flatten().map(|i| &m.ix.events[i]) {
        let err = m.ix.text(e, Field::Error);
        let mut spans = vec![Span::styled(format!("from {} ", sanitize(&m.ix.field(e, Field::Ip))), app.theme.dim())];
        if !err.is_empty() {
            spans.push(Span::styled(format!("· {} ", sanitize(err)), app.theme.error()));
        }
        spans.push(Span::styled(format!("· {}", sanitize(m.ix.text(e, Field::Key))), app.theme.dim()));
        f.render_widget(Paragraph::new(Line::from(spans)), detail);
    }
}

/// The histogram: every event dim, the shown ones bright over them, the selected event's bin
/// marked; under it, the axis: start, bin width, end (and "zoomed" when it spans the screen).
fn draw_histogram(f: &mut Frame, app: &App, bars: Rect, axis: Rect) {
    const LEVELS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    let h = &app.histogram;
    let top = h.all.iter().copied().max().unwrap_or(0).max(1);
    // Eighths of the rows (16 for two), rounded up so that one event shows.
    let most = 8 * u64::from(bars.height.clamp(1, 2));
    let eighths = |n: u64| if n == 0 { 0 } else { ((n * most).div_ceil(top)).clamp(1, most) as usize };
    let buf = f.buffer_mut();
    for (x, (&all, &shown)) in h.all.iter().zip(&h.shown).enumerate().take(bars.width as usize) {
        let (a, s) = (eighths(all), eighths(shown));
        let cursor = h.cursor == Some(x);
        let rows = bars.height.min(2);
        for row in 0..rows {
            // The lowest row holds eighths 0..8, the one above (if any) eighths 8..16.
            let floor = if row + 1 == rows { 0 } else { 8 };
            let level = |e: usize| e.saturating_sub(floor).min(8);
            let (glyph, style) =
                if level(s) > 0 { (LEVELS[level(s)], app.theme.open()) } else { (LEVELS[level(a)], app.theme.dim()) };
            let style = if cursor { app.theme.selected() } else { style };
            if let Some(cell) = buf.cell_mut((bars.x + x as u16, bars.y + row)) {
                cell.set_symbol(glyph).set_style(style);
            }
        }
    }
    if h.all.is_empty() {
        return;
    }
    let zoom = if app.hist_zoom { " · zoomed to the screen" } else { "" };
    let mid = format!("bin {}{zoom}", super::super::histogram::width_text(h.bin_ms));
    let width = axis.width as usize;
    // The times whole when they fit, else without the year and seconds (`11-28 08:02`).
    let fit = |a: String, b: String| {
        let gap = width.checked_sub(a.chars().count() + b.chars().count() + mid.chars().count())?;
        (gap >= 2).then(|| format!("{a}{}{mid}{}{b}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2)))
    };
    let short = |t| format_short(t).get(5..16).unwrap_or("").to_string();
    let line = fit(format_short(h.start), format_short(h.end))
        .or_else(|| fit(short(h.start), short(h.end)))
        .unwrap_or_else(|| format!("{} · {mid}", short(h.start)));
    f.render_widget(Paragraph::new(Line::styled(line, app.theme.dim())), axis);
}
