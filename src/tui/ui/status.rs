//! The status bar: load progress, then counts; filters; match n of N; the keys that
//! matter in the focused pane; and the latest message.

use super::super::action::Pane;
use super::super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use tokentrail::text::sanitize;

fn hints(app: &App) -> String {
    let k = |a: &str| app.keymap.keys_label(a);
    let pane = match app.focus {
        Pane::Timeline => {
            format!("{} detail · {} errors · {} lineage filter", k("enter"), k("next_error"), k("filter_lineage"))
        }
        Pane::Tree => format!("{} events · {} reveal root · {} copy", k("enter"), k("reveal"), k("copy")),
        Pane::Detail => format!(
            "{} scroll · {}/{} sideways · {} wrap · {} search",
            k("down"),
            k("collapse"),
            k("expand"),
            k("wrap"),
            k("search")
        ),
        Pane::Checklist => format!(
            "{} note · {} status · {} evidence · {} export",
            k("edit_note"),
            k("cycle_status"),
            k("enter"),
            k("export")
        ),
    };
    format!("{pane} · {} find · {} suspects · {} help", k("finder"), k("suspects"), k("help"))
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let mut parts: Vec<String> = Vec::new();
    match &app.model {
        Some(m) if !app.progress.done && app.progress.files_total > 0 => {
            let p = &app.progress;
            parts.push(format!(
                "loading {}/{} files · browsing the {} events loaded so far",
                p.files_done,
                p.files_total,
                m.ix.events.len()
            ));
        }
        None => {
            let p = &app.progress;
            let mbs = if p.elapsed_secs > 0.0 { p.bytes_decoded as f64 / 1e6 / p.elapsed_secs } else { 0.0 };
            parts.push(format!(
                "loading {}/{} files · {} events · {mbs:.0} MB/s",
                p.files_done, p.files_total, p.events
            ));
        }
        Some(m) => {
            let r = &m.report;
            parts.push(format!(
                "{} events · {} files ({} skipped, {} failed) · {} dup · {} rejected",
                r.indexed, r.files_read, r.files_skipped, r.files_failed, r.duplicates, r.rejected
            ));
        }
    }
    if let Some(filters) = app.timeline.filter_label() {
        parts.push(format!("filters: {}", sanitize(&filters)));
    }
    if let Some(s) = &app.search {
        let n = s.matches.len();
        let cur = if n == 0 { 0 } else { s.current + 1 };
        match s.pending {
            Some(_) => parts.push(format!("/{}: searching…", sanitize(&s.query))),
            None => parts.push(format!("/{}: match {cur} of {n}", sanitize(&s.query))),
        }
    }
    match (&app.message, &app.case_file.blocked, &app.case_warning) {
        (Some(msg), _, _) => parts.push(sanitize(msg).into_owned()),
        // Until the analyst chooses another case file, the bar says why notes are not kept.
        (None, Some(_), _) => parts.push("case file unreadable: notes are NOT saved (--case NEW.json)".into()),
        (None, None, Some(w)) => parts.push(format!("case file: {}", sanitize(w))),
        (None, None, None) => parts.push(hints(app)),
    }
    f.render_widget(Paragraph::new(Line::raw(format!(" {}", parts.join("  │  ")))).style(app.theme.status_bar()), area);
}
