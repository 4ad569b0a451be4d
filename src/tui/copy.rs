//! `y`: copy what is selected — a key, an ARN, an event id, the whole event (redacted), the
//! timeline as shown (Markdown or TSV), a lineage, a checklist step with its evidence — as
//! text for a ticket or a chat. The run loop writes it to the terminal's clipboard (OSC 52);
//! since a terminal may refuse that silently, it is written to a file beside the case file
//! too, and the message names it.

use super::action::Pane;
use super::app::App;
use tokentrail::index::event::Field;
use tokentrail::model::Model;
use tokentrail::text::{sanitize, sanitize_lines};
use tokentrail::time::format_time;

/// Rows of the timeline copied at most (the message says when there were more).
pub const MAX_ROWS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Key,
    Arn,
    EventId,
    EventJson,
    ViewMarkdown,
    ViewTsv,
    Lineage,
    RootKey,
    Step,
}

impl What {
    pub fn label(self) -> &'static str {
        match self {
            What::Key => "the key",
            What::Arn => "the principal's ARN",
            What::EventId => "the event id",
            What::EventJson => "the whole event, as JSON (secrets redacted)",
            What::ViewMarkdown => "the timeline as shown, as a Markdown table",
            What::ViewTsv => "the timeline as shown, as TSV",
            What::Lineage => "the lineage below this credential, as text",
            What::RootKey => "the checklist's root key",
            What::Step => "this step with its evidence, as Markdown",
        }
    }
}

/// What can be copied from the focused pane.
pub fn choices(app: &App) -> &'static [What] {
    match app.focus {
        Pane::Tree => &[What::Key, What::Arn, What::Lineage],
        Pane::Checklist => &[What::Step, What::RootKey],
        Pane::Timeline | Pane::Detail => {
            &[What::Key, What::Arn, What::EventId, What::EventJson, What::ViewMarkdown, What::ViewTsv]
        }
    }
}

/// The text for a choice (None: nothing selected to copy), and what the message calls it.
pub fn text(app: &App, m: &Model, what: What) -> Option<String> {
    let event = app.timeline.selected_event(m).map(|e| &m.ix.events[e]);
    let node = match app.focus {
        Pane::Tree => app.tree.selected_node(),
        _ => app.timeline.selected_event(m).and_then(|e| m.lin.node_of_event(&m.ix, e)),
    };
    let text = match what {
        What::Key => match app.focus {
            Pane::Tree => node.map(|n| m.ix.str(m.lin.nodes[n].key).to_string()),
            _ => event.map(|e| m.ix.text(e, Field::Key).to_string()),
        },
        What::Arn => match app.focus {
            Pane::Tree => node.map(|n| m.ix.str(m.lin.nodes[n].principal).to_string()),
            _ => event.map(|e| m.ix.text(e, Field::Principal).to_string()),
        },
        What::EventId => event.map(|e| m.ix.event_id(e)),
        What::EventJson => event.map(|e| match m.raw_text(e) {
            Ok(raw) => serde_json::to_string_pretty(&tokentrail::redact::display_value(&raw)).unwrap_or_default(),
            Err(why) => format!("(cannot re-read this event: {why})"),
        }),
        What::ViewMarkdown | What::ViewTsv => Some(view(app, m, what == What::ViewMarkdown)),
        What::Lineage => node.map(|n| {
            let key = m.ix.str(m.lin.nodes[n].key).to_string();
            tokentrail::answer::lineage::text(&m.ix, &m.lin, &key)
        }),
        What::RootKey => app.checklist.as_ref().map(|c| c.root.access_key_id.clone()),
        What::Step => app.checklist.as_ref().and_then(|c| {
            let step = c.steps.get(app.checklist_selected)?;
            Some(tokentrail::answer::checklist::step_markdown(m, step, &app.case))
        }),
    };
    // What is pasted is as safe as what is shown: no escape reaches the clipboard (a TSV's
    // cells were cleaned one by one, so that its tabs stay).
    let clean = |t: String| if what == What::ViewTsv { t } else { sanitize_lines(&t).into_owned() };
    text.filter(|t| !t.is_empty()).map(clean)
}

/// The timeline's shown rows (the first `MAX_ROWS`), as a table.
fn view(app: &App, m: &Model, markdown: bool) -> String {
    let cols = [Field::Name, Field::Principal, Field::Key, Field::Ip, Field::Error];
    let head = ["time", "event", "principal", "key", "source IP", "error", "event id"];
    let cell = |s: &str| {
        let s = sanitize(s).into_owned();
        if markdown { tokentrail::text::markdown(&s) } else { s.replace('\t', " ") }
    };
    let mut out = String::new();
    let line = |cells: Vec<String>| {
        if markdown { format!("| {} |\n", cells.join(" | ")) } else { format!("{}\n", cells.join("\t")) }
    };
    out.push_str(&line(head.iter().map(|h| h.to_string()).collect()));
    if markdown {
        out.push_str(&line(head.iter().map(|_| "---".to_string()).collect()));
    }
    let n = app.timeline.len(m);
    for e in (0..n.min(MAX_ROWS)).filter_map(|r| app.timeline.event_at(r)).map(|e| &m.ix.events[e]) {
        let mut cells = vec![format_time(e.time)];
        cells.extend(cols.iter().map(|&f| cell(&m.ix.field(e, f))));
        cells.push(cell(&m.ix.event_id(e)));
        out.push_str(&line(cells));
    }
    if n > MAX_ROWS {
        out.push_str(&format!("(the first {MAX_ROWS} of {n} events)\n"));
    }
    out
}

/// Copies a choice: to the clipboard (OSC 52, by the run loop) and to the file beside the
/// case file, which the message names.
pub fn copy(app: &mut App, m: &Model, what: What) {
    let Some(text) = text(app, m, what) else {
        app.message = Some(format!("nothing to copy: {}", what.label()));
        return;
    };
    let file = app.case_file.path.with_file_name("tokentrail-clipboard.txt");
    let saved = std::fs::write(&file, &text);
    let short = if text.contains('\n') || text.chars().count() > 60 {
        format!("{} ({} lines)", what.label(), text.lines().count())
    } else {
        text.clone()
    };
    app.message = Some(match saved {
        Ok(()) => format!("copied {short}; also in {} if the terminal refuses the clipboard", file.display()),
        Err(e) => format!("copied {short} (OSC 52); {} could not be written: {e}", file.display()),
    });
    app.clipboard = Some(text);
}
