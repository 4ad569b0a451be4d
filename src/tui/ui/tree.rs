//! The lineage tree pane (tui-tree-widget).

use super::super::action::Pane;
use super::super::app::App;
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use tui_tree_widget::Tree;

pub fn draw(f: &mut Frame, app: &mut App, area: Rect) {
    let count = app.model.as_ref().map_or(0, |m| m.lin.nodes.len());
    let block = pane_block(app, Pane::Tree, &format!("· {count} credentials "));
    if app.model.is_none() {
        f.render_widget(Paragraph::new("waiting for the load…").block(block), area);
        return;
    }
    match Tree::new(&app.tree.items) {
        Ok(tree) => {
            let tree = tree.block(block).highlight_style(app.theme.selected()).highlight_symbol("");
            f.render_stateful_widget(tree, area, &mut app.tree.state);
        }
        Err(e) => f.render_widget(Paragraph::new(format!("tree error: {e}")).block(block), area),
    }
}
