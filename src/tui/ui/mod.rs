//! Drawing the workbench from state: every function here reads `App` and changes nothing.
//! Where the next frame scrolls to is worked out by `update` (see `view::settle`), from
//! the same `layout`.

mod checklist;
mod detail;
mod overlays;
mod status;
pub mod timeline;
pub mod tree;

use super::action::Pane;
use super::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 20;

/// Where each pane goes on a terminal of this size.
pub struct Areas {
    pub timeline: Rect,
    pub tree: Rect,
    pub detail: Rect,
    pub checklist: Rect,
    pub bar: Rect,
}

/// `zoomed`: the pane that takes the whole screen (the others get an empty area).
pub fn layout(area: Rect, zoomed: Option<Pane>) -> Areas {
    let [main, bar] = Layout::vertical([Constraint::Min(10), Constraint::Length(1)]).areas(area);
    if let Some(p) = zoomed {
        let none = Rect::new(main.x, main.y, 0, 0);
        let pick = |q: Pane| if q == p { main } else { none };
        return Areas {
            timeline: pick(Pane::Timeline),
            tree: pick(Pane::Tree),
            detail: pick(Pane::Detail),
            checklist: pick(Pane::Checklist),
            bar,
        };
    }
    let [left, right] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(main);
    let [timeline, tree] = Layout::vertical([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(left);
    let [detail, checklist] = Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
    Areas { timeline, tree, detail, checklist, bar }
}

/// A pane's drawing function.
type DrawPane = fn(&mut Frame, &App, Rect);

/// True when the terminal is too small for the workbench (a message is shown instead).
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if too_small(area) {
        let msg = format!(
            "tokentrail needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {}×{}. Enlarge it, or press {} to quit.",
            area.width,
            area.height,
            app.keymap.key_hint("quit")
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let a = layout(area, app.zoomed.then_some(app.focus));
    let panes: [(Rect, DrawPane); 4] =
        [(a.timeline, timeline::draw), (a.tree, tree::draw), (a.detail, detail::draw), (a.checklist, checklist::draw)];
    for (r, draw_pane) in panes {
        if !r.is_empty() {
            draw_pane(f, app, r);
        }
    }
    status::draw(f, app, a.bar);
    overlays::draw(f, app, area);
}

/// A pane's frame: its number, title, and a highlighted border when focused.
pub fn pane_block(app: &App, pane: Pane, extra: &str) -> Block<'static> {
    let n = pane.number();
    let focused = app.focus == pane;
    let style = if focused { app.theme.focused_border() } else { Style::new() };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(style)
        .title(Line::styled(format!(" {n} {} {extra}", pane.title()), style))
}

/// Rows of events the timeline pane shows (below its border, histogram, axis and header,
/// and above the detail line a narrow pane has).
pub fn timeline_rows(pane: Rect, years: bool) -> usize {
    let detail = timeline::Columns::fit(pane.width.saturating_sub(2) as usize, years).detail_line;
    let inner = inner_height(pane);
    inner.saturating_sub(timeline::head_rows(inner) + usize::from(detail)).max(1)
}

/// Inner height of a bordered area.
pub fn inner_height(r: Rect) -> usize {
    r.height.saturating_sub(2) as usize
}
