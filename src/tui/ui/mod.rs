//! Drawing the workbench from state. Nothing here changes what the analyst sees next
//! except the tree widget's scroll state and the page size used by page moves.

mod checklist;
mod detail;
mod overlays;
mod status;
mod timeline;
mod tree;

use super::action::Pane;
use super::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 20;

pub fn draw(f: &mut Frame, app: &mut App) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "tokentrail needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {}×{}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let [main, bar] = Layout::vertical([Constraint::Min(10), Constraint::Length(1)]).areas(area);
    let [left, right] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(main);
    let [tl, tr] = Layout::vertical([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(left);
    let [rt, rb] = Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
    timeline::draw(f, app, tl);
    tree::draw(f, app, tr);
    detail::draw(f, app, rt);
    checklist::draw(f, app, rb);
    status::draw(f, app, bar);
    overlays::draw(f, app, area);
}

/// A pane's frame: its number, title, and a highlighted border when focused.
pub fn pane_block(app: &App, pane: Pane, extra: &str) -> Block<'static> {
    let n = Pane::ALL.iter().position(|p| *p == pane).map_or(0, |i| i + 1);
    let focused = app.focus == pane;
    let style = if focused { app.theme.focused_border() } else { Style::new() };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(style)
        .title(Line::styled(format!(" {n} {} {extra}", pane.title()), style))
}

/// Inner height of a bordered area.
pub fn inner_height(r: Rect) -> usize {
    r.height.saturating_sub(2) as usize
}
