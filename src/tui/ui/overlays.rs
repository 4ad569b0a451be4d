//! Overlays: help (generated from the live keymap), fuzzy finder, suspects, prompts.

use super::super::action::ACTIONS;
use super::super::app::{App, Overlay};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use tokentrail::lineage::sources::{Source, Sources};
use tokentrail::model::Model;
use tokentrail::text::{display_width, sanitize};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center).areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center).areas(v);
    r
}

fn frame(f: &mut Frame, r: Rect, title: &str) -> Rect {
    f.render_widget(Clear, r);
    let b = Block::default().borders(Borders::ALL).title(format!(" {title} "));
    let inner = b.inner(r);
    f.render_widget(b, r);
    inner
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => {
            let r = centered(area, 70, area.height.saturating_sub(4));
            let title = format!("keys ({} closes) — generated from your keymap", app.keymap.key_hint("back"));
            let inner = frame(f, r, &title);
            let row = |keys: String, help: &'static str| {
                Line::from(vec![Span::styled(format!("{keys:<22}"), app.theme.json_key()), Span::raw(help)])
            };
            let normal = ACTIONS
                .iter()
                .filter(|(name, _, _)| app.keymap.keys_of.contains_key(name))
                .map(|(name, help, _)| row(app.keymap.keys_label(name), help));
            let prompt = ACTIONS
                .iter()
                .filter_map(|(name, help, _)| Some((app.keymap.prompt_keys_of.get(name)?, help)))
                .map(|(keys, help)| {
                    let keys = keys.iter().map(|k| k.label()).collect::<Vec<_>>().join("/");
                    row(keys, help)
                });
            let heading = Line::styled("in a prompt (finder, search, note)", app.theme.dim());
            let lines: Vec<Line> = normal.chain([Line::raw(""), heading]).chain(prompt).skip(*scroll).collect();
            f.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::Finder(fd) => {
            let r = centered(area, 90, area.height.saturating_sub(6));
            let (enter, back) = (app.keymap.prompt_hint("enter"), app.keymap.prompt_hint("back"));
            let inner = frame(f, r, &format!("find a key, principal, event name or IP ({enter} jumps, {back} closes)"));
            let matching = if fd.pending { "  (matching…)" } else { "" };
            let mut lines = vec![Line::raw(format!("> {}▏{matching}", sanitize(&fd.query))), Line::raw("")];
            let h = inner.height.saturating_sub(2) as usize;
            let start = fd.selected.saturating_sub(h.saturating_sub(1));
            for (row, &ci) in fd.results.iter().enumerate().skip(start).take(h) {
                let Some(c) = app.candidates.get(ci) else { continue };
                let line = Line::from(vec![
                    Span::styled(format!("{:<10}", c.what.label()), app.theme.dim()),
                    Span::raw(sanitize(&c.text).into_owned()),
                ]);
                lines.push(if row == fd.selected { line.style(app.theme.selected()) } else { line });
            }
            f.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::Suspects { selected } => {
            let r = centered(area, 110, area.height.saturating_sub(4));
            let title = format!("suspects, highest score first ({} selects in the tree)", app.keymap.key_hint("enter"));
            let inner = frame(f, r, &title);
            let Some(m) = &app.model else { return };
            let mut lines = Vec::new();
            let suspects = super::super::detections::suspects(app, m);
            // The selected suspect's first line, to scroll to.
            let mut selected_at = 0;
            for (i, s) in suspects.iter().enumerate() {
                let n = &m.lin.nodes[s.node];
                if i == *selected {
                    selected_at = lines.len();
                }
                let head = Line::from(vec![
                    Span::styled(format!("{:>4} ", s.score), app.theme.suspect()),
                    Span::styled(sanitize(m.ix.str(n.key)).into_owned(), app.theme.temporary_key()),
                    Span::raw(format!(" {} {}", n.kind.as_str(), sanitize(m.ix.str(n.principal)))),
                ]);
                lines.push(if i == *selected { head.style(app.theme.selected()) } else { head });
                // Wrapped under its dash: a reason that lists addresses is wider than the
                // overlay, and its code (and how many more it found) come last.
                for reason in &s.reasons {
                    let text = format!("{REASON_DASH}{} [{}]", sanitize(&reason.text), sanitize(&reason.code_text()));
                    let rows = hanging(&text, usize::from(inner.width), REASON_DASH.len());
                    lines.extend(rows.into_iter().map(|row| Line::styled(row, app.theme.dim())));
                }
            }
            let skip = u16::try_from(selected_at.saturating_sub(inner.height as usize / 2)).unwrap_or(u16::MAX);
            f.render_widget(Paragraph::new(lines).scroll((skip, 0)), inner);
        }
        Overlay::Blast { node, radius, selected } => {
            let r = centered(area, 120, area.height.saturating_sub(4));
            let Some(m) = &app.model else { return };
            let key = sanitize(m.ix.str(m.lin.nodes[*node].key)).into_owned();
            let title = format!(
                "blast radius of {key} ({} goes to a row's event, {} closes)",
                app.keymap.key_hint("enter"),
                app.keymap.key_hint("back")
            );
            let inner = frame(f, r, &title);
            let Some(b) = radius else {
                f.render_widget(Paragraph::new("reading the lineage's events again…"), inner);
                return;
            };
            let mut lines = vec![Line::styled(
                format!(
                    "persistence: {} writes, {} open",
                    b.persistence.len(),
                    b.persistence.iter().filter(|i| i.undone_by.is_none()).count()
                ),
                app.theme.json_key(),
            )];
            for (i, item) in b.persistence.iter().enumerate() {
                let e = &m.ix.events[item.event];
                let state = if item.undone_by.is_some() { "undone" } else { "open" };
                let style = if item.undone_by.is_some() { app.theme.dim() } else { app.theme.error() };
                let line = Line::from(vec![
                    Span::styled(format!("{state:<7}"), style),
                    Span::raw(format!("{:<16} {} ", item.kind, tokentrail::time::format_short(e.time))),
                    Span::raw(format!("{} ", sanitize(m.ix.text(e, tokentrail::index::event::Field::Name)))),
                    Span::styled(sanitize(&item.target).into_owned(), app.theme.dim()),
                ]);
                lines.push(if i == *selected { line.style(app.theme.selected()) } else { line });
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("data touched:", app.theme.json_key()));
            for d in &b.data {
                lines.push(Line::raw(format!(
                    "  {} {} {}: {} succeeded, {} denied",
                    sanitize(&d.service),
                    d.action,
                    sanitize(if d.resource.is_empty() { "-" } else { &d.resource }),
                    d.succeeded,
                    d.denied
                )));
            }
            if b.unreadable > 0 {
                lines.push(Line::styled(format!("{} events could not be read again", b.unreadable), app.theme.dim()));
            }
            lines.push(Line::raw(""));
            let hits = &app.blast_hits;
            lines.push(Line::styled(
                match (&app.detections, app.detecting) {
                    (Some(_), _) => format!("detections: {}", hits.len()),
                    (None, true) => "detections: the Sigma rules are still being evaluated…".into(),
                    (None, false) => "detections: none evaluated".into(),
                },
                app.theme.json_key(),
            ));
            let first = b.persistence.len();
            for (i, h) in hits.iter().enumerate() {
                let Some(det) = &app.detections else { break };
                let e = &m.ix.events[h.event];
                let r = det.rule(h);
                let line = Line::from(vec![
                    Span::styled(format!("{:<9}", sanitize(&r.level)), app.theme.suspect()),
                    Span::raw(format!("{} {} ", tokentrail::time::format_short(e.time), sanitize(&r.title))),
                    Span::styled(
                        sanitize(m.ix.text(e, tokentrail::index::event::Field::Key)).into_owned(),
                        app.theme.dim(),
                    ),
                ]);
                lines.push(if first + i == *selected { line.style(app.theme.selected()) } else { line });
            }
            sources_lines(&mut lines, app, m, &key, &b.sources);
            // Keep the selected row on screen.
            let at = if *selected < first { 1 + *selected } else { b.data.len() + 5 + *selected };
            let scroll = at.saturating_sub(inner.height as usize * 2 / 3);
            f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
        }
        Overlay::Copy { selected } => {
            let choices = super::super::copy::choices(app);
            let r = centered(area, 60, choices.len() as u16 + 2);
            let inner = frame(
                f,
                r,
                &format!("copy ({} copies, {} closes)", app.keymap.key_hint("enter"), app.keymap.key_hint("back")),
            );
            let lines: Vec<Line> = choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let l = Line::raw(format!("{} {}", if i == *selected { "▶" } else { " " }, c.label()));
                    if i == *selected { l.style(app.theme.selected()) } else { l }
                })
                .collect();
            f.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::Marks { selected } => {
            let r = centered(area, 110, area.height.saturating_sub(6));
            let (enter, unmark) = (app.keymap.key_hint("enter"), app.keymap.key_hint("unmark"));
            let inner = frame(f, r, &format!("marks ({enter} goes to one, {unmark} removes it)"));
            let Some(m) = &app.model else { return };
            let mut lines = Vec::new();
            for (i, &e) in app.marked.iter().enumerate() {
                let ev = &m.ix.events[e];
                let (t, id) = (tokentrail::time::format_time(ev.time), m.ix.event_id(ev));
                let comment = app.case.mark(&t, &id).map(|k| k.comment.as_str()).unwrap_or_default();
                let f = |x| sanitize(&m.ix.field(ev, x)).into_owned();
                use tokentrail::index::event::Field;
                let line = Line::from(vec![
                    Span::raw(format!("{t} ")),
                    Span::styled(format!("{} ", f(Field::Name)), app.theme.json_key()),
                    Span::raw(format!("{} ", f(Field::Key))),
                    Span::styled(sanitize(comment).into_owned(), app.theme.dim()),
                ]);
                lines.push(if i == *selected { line.style(app.theme.selected()) } else { line });
            }
            let missing = app.case.marks.len().saturating_sub(app.marked.len());
            if missing > 0 {
                lines.push(Line::styled(format!("{missing} marks name events not in these logs"), app.theme.dim()));
            }
            let skip = selected.saturating_sub(inner.height as usize / 2);
            f.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), inner);
        }
        Overlay::MarkInput { text, .. } => {
            let r = centered(area, 80, 5);
            let (enter, back) = (app.keymap.prompt_hint("enter"), app.keymap.prompt_hint("back"));
            let inner = frame(f, r, &format!("mark this event: a comment, optional ({enter} saves, {back} cancels)"));
            f.render_widget(Paragraph::new(format!("{}▏", sanitize(text))), inner);
        }
        Overlay::SearchInput { pane, query } => {
            let r = Rect { x: area.x, y: area.bottom().saturating_sub(3), width: area.width.min(80), height: 3 };
            let k = &app.keymap;
            let title = format!(
                "search in {} ({} applies, {}/{} step)",
                pane.title(),
                k.prompt_hint("enter"),
                k.key_hint("next_match"),
                k.key_hint("prev_match")
            );
            let inner = frame(f, r, &title);
            f.render_widget(Paragraph::new(format!("/{}▏", sanitize(query))), inner);
        }
        Overlay::Command { text, .. } => {
            let r = Rect::new(area.x, area.bottom().saturating_sub(4), area.width, 3.min(area.height));
            let k = &app.keymap;
            let title = format!(
                "command ({} runs, {} completes, {}/{} history, {} closes; :help lists them)",
                k.prompt_hint("enter"),
                k.prompt_hint("complete"),
                k.prompt_hint("up"),
                k.prompt_hint("down"),
                k.prompt_hint("back")
            );
            let inner = frame(f, r, &title);
            f.render_widget(Paragraph::new(format!(":{}▏", sanitize(text))), inner);
        }
        Overlay::CaseRoot { wanted, selected } => {
            let r = centered(area, 84, 9);
            let (enter, back) = (app.keymap.key_hint("enter"), app.keymap.key_hint("back"));
            let inner =
                frame(f, r, &format!("this case file belongs to another root ({enter} chooses, {back} keeps it)"));
            let case_root = app.case.root.as_deref().unwrap_or_default();
            let mut lines = vec![
                Line::raw(format!(
                    "{} holds notes for root {}.",
                    sanitize(&app.case_file.path.display().to_string()),
                    sanitize(case_root)
                )),
                Line::raw(format!("You asked for root {}. A case file belongs to one root:", sanitize(wanted))),
                Line::raw(""),
            ];
            for (i, c) in super::super::case_root::CHOICES.iter().enumerate() {
                let label = if i == 1 {
                    let p = super::super::case_root::new_case_path(&app.case_file.path, wanted);
                    format!("{c} ({})", sanitize(&p.display().to_string()))
                } else {
                    format!("{c} ({})", sanitize(case_root))
                };
                let line = Line::raw(format!("{} {label}", if i == *selected { "▶" } else { " " }));
                lines.push(if i == *selected { line.style(app.theme.selected()) } else { line });
            }
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Overlay::NoteInput { step, text, cursor } => {
            let lines_in = text.lines().count().max(1) as u16;
            let r = centered(area, 80, (lines_in + 4).min(area.height.saturating_sub(2)));
            let k = &app.keymap;
            let (enter, back, newline) = (k.prompt_hint("enter"), k.prompt_hint("back"), k.prompt_hint("newline"));
            let title =
                format!("note, step {} ({enter} saves, Alt-Enter/{newline} new line, {back} cancels)", step + 1);
            let inner = frame(f, r, &title);
            let at = (*cursor).min(text.len());
            let shown = format!("{}▏{}", &text[..at], &text[at..]);
            let lines: Vec<Line> = shown.split('\n').map(|l| Line::raw(sanitize(l).into_owned())).collect();
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }
}

/// What a suspect's reason starts with; its text's further rows start past it too.
const REASON_DASH: &str = "       - ";

/// `text` in rows of at most `width` columns, broken between words where a word fits a row
/// (else inside it), each row after the first starting `indent` columns in.
fn hanging(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 1);
    let (mut rows, mut used, mut start) = (vec![String::new()], 0, 0);
    for word in text.split_inclusive(' ') {
        if used > start && used + display_width(word.trim_end_matches(' ')) > width {
            (used, start) = (indent, indent);
            rows.push(" ".repeat(indent));
        }
        for c in word.chars() {
            let w = display_width(c.encode_utf8(&mut [0; 4]));
            if used + w > width && c != ' ' {
                (used, start) = (indent, indent);
                rows.push(" ".repeat(indent));
            }
            rows.last_mut().expect("a row").push(c);
            used += w;
        }
    }
    rows
}

/// Addresses and agents the blast view lists (the CLI's `lineage KEY --json` lists all).
const SOURCES_SHOWN: usize = 5;

/// The blast view's last sections: where the credential's own calls came from, most first,
/// then (when calls were made below it) those of it and everything below it (only the rows
/// shown are read as text: an agent may be deflated).
fn sources_lines(lines: &mut Vec<Line<'static>>, app: &App, m: &Model, key: &str, reach: &Sources) {
    let rows = |lines: &mut Vec<Line<'static>>, head: String, all: Vec<(String, String)>, total: usize, json: &str| {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("{head}: {total}"), app.theme.json_key()));
        for (calls, text) in all {
            lines.push(Line::from(vec![
                Span::raw(format!("  {calls}  ")),
                Span::styled(sanitize(&text).into_owned(), app.theme.dim()),
            ]));
        }
        if total > SOURCES_SHOWN {
            let more = total - SOURCES_SHOWN;
            lines.push(Line::styled(format!("  … and {more} more ({json} {key} --json lists them)"), app.theme.dim()));
        }
    };
    let both = |lines: &mut Vec<Line<'static>>, who: &str, s: &Sources, json: &str| {
        fn shown<T: Copy>(all: &[Source<T>], text: impl Fn(T) -> String) -> Vec<(String, String)> {
            all.iter().take(SOURCES_SHOWN).map(|s| (s.calls_text(), text(s.value))).collect()
        }
        let addresses = shown(&s.addresses, |a| m.ix.addr(a).to_string());
        rows(lines, format!("{who}, by source address"), addresses, s.addresses.len(), json);
        let agents = shown(&s.agents, |a| m.ix.agent(a).to_string());
        rows(lines, format!("{who}, by user agent"), agents, s.agents.len(), json);
    };
    let own = &app.blast_sources;
    both(lines, &format!("{key}'s own calls"), own, "lineage");
    if reach.calls() > own.calls() {
        let who = format!("The calls of {key} and everything below it ({})", reach.sessions_text());
        both(lines, &who, reach, "blast-radius");
    }
}

#[cfg(test)]
mod tests {
    use super::hanging;

    #[test]
    fn a_long_reason_wraps_under_its_text_between_words_and_inside_a_word_too_long() {
        assert_eq!(hanging("  - ab cd", 20, 4), ["  - ab cd"]);
        assert_eq!(hanging("  - aaa bbb ccc", 10, 4), ["  - aaa ", "    bbb ", "    ccc"]);
        assert_eq!(hanging("  - 0123456789", 10, 4), ["  - ", "    012345", "    6789"]);
        // Wide characters count two columns; no row is wider than asked.
        let rows = hanging("  - 日本語のテキスト です", 10, 4);
        assert!(rows.iter().all(|r| tokentrail::text::display_width(r.trim_end()) <= 10), "{rows:?}");
        assert_eq!(rows.concat().replace(' ', ""), "-日本語のテキストです");
    }
}
