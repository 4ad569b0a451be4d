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

/// The bar, most pressing first, so that a narrow terminal cuts the least of it: what the
/// last action said (or why notes are not saved), the filters and search, the load's counts,
/// then the keys of the focused pane.
pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let mut parts: Vec<String> = Vec::new();
    let note = match (&app.message, &app.case_file.blocked, &app.case_warning) {
        (Some(msg), _, _) => Some(sanitize(msg).into_owned()),
        // Until the analyst chooses another case file, the bar says why notes are not kept.
        (None, Some(_), _) => Some("case file unreadable: notes are NOT saved (--case NEW.json)".into()),
        (None, None, Some(w)) => Some(format!("case file: {}", sanitize(w))),
        (None, None, None) => None,
    };
    parts.extend(note.clone());
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
    parts.push(counts(app));
    if note.is_none() {
        parts.push(hints(app));
    }
    f.render_widget(Paragraph::new(Line::raw(format!(" {}", parts.join("  │  ")))).style(app.theme.status_bar()), area);
}

/// The load's counts: while loading, its progress; then events and files, and each kind of
/// problem only when there is one.
fn counts(app: &App) -> String {
    let p = &app.progress;
    match &app.model {
        Some(m) if !p.done && p.files_total > 0 => {
            format!(
                "loading {}/{} files · browsing the {} events loaded so far",
                p.files_done,
                p.files_total,
                m.ix.events.len()
            )
        }
        None => {
            let mbs = if p.elapsed_secs > 0.0 { p.bytes_decoded as f64 / 1e6 / p.elapsed_secs } else { 0.0 };
            format!("loading {}/{} files · {} events · {mbs:.0} MB/s", p.files_done, p.files_total, p.events)
        }
        Some(m) => {
            let r = &m.report;
            let mut s = format!("{} events · {} files", r.indexed, r.files_read);
            for (n, what) in [
                (r.files_skipped, "skipped"),
                (r.files_failed, "failed"),
                (r.duplicates, "dup"),
                (r.rejected, "rejected"),
            ] {
                if n > 0 {
                    s.push_str(&format!(" · {n} {what}"));
                }
            }
            match (&app.detections, app.detecting) {
                (Some(d), _) => {
                    s.push_str(&format!(" · ⚡{} sigma hits", d.hits.len()));
                    if !d.rules.failed.is_empty() {
                        let n = d.rules.failed.len();
                        let rules = if n == 1 { "rule" } else { "rules" };
                        s.push_str(&format!(" ({n} {rules} unread: `tokentrail detections` names why)"));
                    }
                }
                (None, true) => s.push_str(" · Sigma rules running…"),
                (None, false) => {}
            }
            s
        }
    }
}
