//! The checklist pane: six steps, automatic status, the analyst's status and note.

use super::super::action::Pane;
use super::super::app::{App, StepWhatIf};
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tokentrail::checklist::{SHORT_TITLES, Status};
use tokentrail::text::sanitize;
use tokentrail::time::format_short;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(list) = &app.checklist else {
        let hint = format!(
            "no case root: select a permanent key in the tree ({}) or a suspect ({}) and press {}",
            app.keymap.key_hint("focus_tree"),
            app.keymap.key_hint("suspects"),
            app.keymap.key_hint("set_root")
        );
        let msg = match (&app.model, &app.case.root) {
            (None, _) => String::new(),
            // A case bound to a root these logs do not hold: its notes are not for them.
            (Some(_), Some(r)) if app.progress.done => format!(
                "the case file's root {} is not in the loaded logs: open its logs, or start with --case NEW.json",
                sanitize(r)
            ),
            (Some(_), _) => hint,
        };
        f.render_widget(
            Paragraph::new(msg).wrap(Wrap { trim: false }).block(pane_block(app, Pane::Checklist, "")),
            area,
        );
        return;
    };
    let extra = format!("· root {} ", sanitize(&list.root.access_key_id));
    let block = pane_block(app, Pane::Checklist, &extra);
    let mut lines = Vec::new();
    if let Some(w) = &app.step_what_if {
        lines.push(what_if_line(app, w));
    }
    let mut selected_at = 0;
    for (i, s) in list.steps.iter().enumerate() {
        let notes = app.case.step(s.step);
        let st = match s.status {
            Status::Done | Status::Clear => app.theme.done(),
            Status::Open | Status::Partial => app.theme.open(),
            Status::Found => app.theme.error(),
            Status::NotApplicable => app.theme.dim(),
        };
        let selected = i == app.checklist_selected && app.focus == Pane::Checklist;
        let mut spans = vec![
            Span::raw(if selected { "▶ " } else { "  " }),
            Span::raw(format!("{}. ", s.step)),
            Span::styled(format!("{:<7}", s.status.as_str()), st),
        ];
        if let Some(m) = notes.manual.as_str() {
            spans.push(Span::styled(format!(" [{m}]"), app.theme.temporary_key()));
        }
        spans.push(Span::raw(format!(" {}", SHORT_TITLES.get(i).unwrap_or(&s.title))));
        let line = Line::from(spans);
        if selected {
            selected_at = lines.len();
        }
        lines.push(if selected { line.style(app.theme.selected()) } else { line });
        // Focused, the pane shows every step's status and the selected one's summary, so
        // that the selection stays on screen; unfocused, every summary.
        if selected || app.focus != Pane::Checklist {
            lines.push(Line::styled(format!("      {}", sanitize(&s.summary)), app.theme.dim()));
        }
        if !notes.note.is_empty() {
            let note: Vec<String> = notes.note.lines().map(|l| sanitize(l).into_owned()).collect();
            lines.push(Line::raw(format!("      ✎ {}", note.join(" ⏎ "))));
        }
    }
    if let Some(s) = list.steps.get(app.checklist_selected).filter(|_| app.focus == Pane::Checklist) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("next:", app.theme.dim()));
        for c in s.commands.iter().take(4) {
            lines.push(Line::raw(format!("  $ {}", sanitize(c))));
        }
    }
    // Below the steps: what the lineage planted that no later event undid, each with what
    // undoes it (the commands when the pane is focused).
    if !list.persistence.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("persistence: {} open (planted by the lineage, undone by no later event)", list.persistence.len()),
            app.theme.error(),
        ));
        for p in &list.persistence {
            lines.push(Line::raw(format!("  ✚ {:<16} {}", p.item.kind, sanitize(&p.item.target))));
            if app.focus == Pane::Checklist {
                lines.push(Line::styled(format!("    $ {}", sanitize(&p.command)), app.theme.dim()));
            }
        }
    }
    let scroll = scroll_to(&lines, selected_at, area.width.saturating_sub(2), area.height.saturating_sub(2));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)).block(block), area);
}

/// The first row to show so that the selected step and its summary are on screen in a short
/// pane: rows are counted as the lines wrap at `width` (by display width; word wrapping can
/// take a row more, so one row is kept spare).
fn scroll_to(lines: &[Line], selected: usize, width: u16, height: u16) -> u16 {
    let rows = |l: &Line| (l.width().max(1)).div_ceil(usize::from(width.max(1)));
    let before: usize = lines[..selected.min(lines.len())].iter().map(rows).sum();
    let own: usize = lines.iter().skip(selected).take(2).map(rows).sum::<usize>() + 1;
    let height = usize::from(height);
    u16::try_from((before + own).saturating_sub(height).min(before)).unwrap_or(u16::MAX)
}

/// What-if for the selected step (worked out by `view::settle`).
fn what_if_line(app: &App, w: &StepWhatIf) -> Line<'static> {
    let mut keys: Vec<String> = w.usable.iter().take(4).map(|k| sanitize(k).into_owned()).collect();
    let more = w.usable.len().saturating_sub(4);
    if more > 0 {
        keys.push(format!("+{more} more"));
    }
    let head = format!("still usable {} ({}): ", w.when, format_short(w.at));
    let body = if keys.is_empty() { "nothing".to_string() } else { keys.join(", ") };
    let style = if w.usable.is_empty() { app.theme.done() } else { app.theme.error() };
    Line::from(vec![
        Span::styled(head, app.theme.dim()),
        Span::styled(body, style),
        Span::styled(format!(" · {} blocked", w.blocked), app.theme.dim()),
    ])
}
