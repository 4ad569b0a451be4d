//! The checklist pane: six steps, automatic status, the analyst's status and note.

use super::super::action::Pane;
use super::super::app::{App, StepWhatIf};
use super::pane_block;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use tokentrail::checklist::{SHORT_TITLES, Status};
use tokentrail::text::{display_width, sanitize};
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
    let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    // Past the last step, moving down scrolls on through what follows it (its commands, the
    // persistence block); the what-if line then stays on top, if it takes at most a third
    // of the pane (its rows and one spare, as `scroll_to` keeps).
    let last = app.checklist_selected + 1 >= list.steps.len() && app.focus == Pane::Checklist;
    let below = if last { app.checklist_below } else { 0 };
    // Each line's rows, counted once for every scroll worked out below.
    let rows: Vec<usize> = lines.iter().map(|l| wrapped_rows(l, width)).collect();
    let head_rows = rows.first().filter(|_| app.step_what_if.is_some() && last).map(|r| r + 1);
    let pin = head_rows.filter(|&r| r <= usize::from(height) / 3).and_then(|r| u16::try_from(r).ok());
    let (body, body_rows, at, body_height) = match pin {
        Some(r) => (&lines[1..], &rows[1..], selected_at.saturating_sub(1), height - r),
        None => (&lines[..], &rows[..], selected_at, height),
    };
    let start = scroll_to(body_rows, at, 0, body_height);
    let end = scroll_to(body_rows, at, usize::MAX, body_height);
    app.checklist_room.set(usize::from(end - start));
    let more = last && usize::from(start) + below < usize::from(end);
    let extra = format!("· root {} {}", sanitize(&list.root.access_key_id), if more { "· ↓ more " } else { "" });
    let block = pane_block(app, Pane::Checklist, &extra);
    if let (Some(r), true) = (pin, below > 0) {
        let scroll = scroll_to(body_rows, at, below, body_height);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [top, rest] = Layout::vertical([Constraint::Length(r), Constraint::Min(0)]).areas(inner);
        f.render_widget(Paragraph::new(lines[0].clone()).wrap(Wrap { trim: false }), top);
        f.render_widget(Paragraph::new(body.to_vec()).wrap(Wrap { trim: false }).scroll((scroll, 0)), rest);
        return;
    }
    let scroll = scroll_to(&rows, selected_at, below, height);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)).block(block), area);
}

/// The first row to show so that the selected line (a step) and the one after it (its
/// summary) are on screen in a short pane, then `below` rows further, no further than the
/// last row: `rows` are the rows each line takes (`wrapped_rows`; one row is kept spare).
fn scroll_to(rows: &[usize], selected: usize, below: usize, height: u16) -> u16 {
    let before: usize = rows[..selected.min(rows.len())].iter().sum();
    let own: usize = rows.iter().skip(selected).take(2).sum::<usize>() + 1;
    let all: usize = rows.iter().sum::<usize>() + 1;
    let height = usize::from(height);
    let shown = (before + own).saturating_sub(height).min(before);
    let end = all.saturating_sub(height).max(shown);
    u16::try_from(shown.saturating_add(below).min(end)).unwrap_or(u16::MAX)
}

/// The rows a line takes wrapped by words at `width`, as the pane wraps it (a word wider
/// than a row is broken): long commands in a narrow pane take many more rows than their
/// width alone says.
fn wrapped_rows(l: &Line, width: u16) -> usize {
    let width = usize::from(width.max(1));
    let (mut rows, mut used) = (1, 0);
    for piece in l.spans.iter().flat_map(|s| s.content.split_inclusive(' ')) {
        let word = display_width(piece.trim_end_matches(' '));
        if used > 0 && used + word > width {
            rows += 1;
            used = 0;
        }
        if word > width {
            rows += (word - 1) / width;
            used = (word - 1) % width + 1;
        } else {
            used += word;
        }
        used += display_width(piece) - word;
    }
    rows
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_last_step_the_pane_scrolls_on_to_its_end_and_no_further() {
        let lines: Vec<Line> = (0..30).map(|i| Line::raw(format!("line {i}"))).collect();
        let rows: Vec<usize> = lines.iter().map(|l| wrapped_rows(l, 40)).collect();
        // Step at line 12 of 30, a pane of 10 rows: its line and summary (and one spare).
        assert_eq!(scroll_to(&rows, 12, 0, 10), 5);
        // Scrolled on: row by row, up to the end (30 rows + 1 spare - 10), then no further.
        assert_eq!(scroll_to(&rows, 12, 3, 10), 8);
        assert_eq!(scroll_to(&rows, 12, 100, 10), 21);
        // Everything fits: no scroll, however far asked.
        assert_eq!(scroll_to(&rows[..8], 6, 5, 10), 0);
    }

    #[test]
    fn rows_are_counted_as_words_wrap() {
        assert_eq!(wrapped_rows(&Line::raw(""), 10), 1);
        assert_eq!(wrapped_rows(&Line::raw("aaaa bbbb"), 10), 1);
        // The second word does not fit after the first: a row of its own.
        assert_eq!(wrapped_rows(&Line::raw("aaaaaa bbbbbb"), 10), 2);
        // A word wider than the row is broken across rows.
        assert_eq!(wrapped_rows(&Line::raw("a bbbbbbbbbbbbbbbbbbbbbbbbb"), 10), 4);
    }
}
