//! The lineage tree pane (tui-tree-widget).

use super::super::action::Pane;
use super::super::app::App;
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use tui_tree_widget::Tree;

/// The tree pane as `view::settle` rendered it after the last update: the widget writes its
/// scroll state as it renders, so it renders there, never here.
pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    if app.tree_view.area == area {
        f.buffer_mut().merge(&app.tree_view);
    } else {
        f.render_widget(pane_block(app, Pane::Tree, ""), area); // a size not yet settled
    }
}

/// The tree pane into `buf`, scrolling `state` as the widget does (called by `view::settle`).
pub fn render(buf: &mut ratatui::buffer::Buffer, app: &App, area: Rect, state: &mut tui_tree_widget::TreeState<u64>) {
    let count = app.model.as_ref().map_or(0, |m| m.lin.nodes.len());
    let block = pane_block(app, Pane::Tree, &format!("· {count} credentials "));
    use ratatui::widgets::{StatefulWidget, Widget};
    if app.model.is_none() {
        Paragraph::new("waiting for the load…").block(block).render(area, buf);
        return;
    }
    match Tree::new(&app.tree.items) {
        Ok(tree) => {
            let tree = tree.block(block).highlight_style(app.theme.selected()).highlight_symbol("");
            StatefulWidget::render(tree, area, buf, state);
        }
        Err(e) => Paragraph::new(format!("tree error: {e}")).block(block).render(area, buf),
    }
}
