//! Everything that can change the workbench's state. Keys map to these through the keymap;
//! the loader's messages arrive as these too; `update` is the only place state changes.

use std::sync::Arc;
use tokentrail::model::Model;

#[derive(Clone)]
pub enum Action {
    /// Leave the workbench.
    Quit,
    /// Show or hide the help overlay (built from the live keymap).
    Help,
    /// Focus the next / previous pane.
    FocusNext,
    FocusPrev,
    /// Focus a pane directly.
    Focus(Pane),
    /// Open the fuzzy finder over keys, principals, event names and IPs.
    Finder,
    /// Open the ranked suspects list.
    Suspects,
    /// Reveal the selected credential's path to its root in the tree, root selected.
    Reveal,
    /// Go back through the navigation history (never quits).
    Back,
    /// Search within the focused pane.
    Search,
    NextMatch,
    PrevMatch,
    /// Jump to the next / previous event with an errorCode.
    NextError,
    PrevError,
    /// Copy what is selected (a menu of what the pane offers) to the clipboard (OSC 52).
    Copy,
    /// Filter the timeline to the selected credential and its descendants.
    FilterLineage,
    /// Show every event again.
    ClearFilter,
    /// Write the checklist report (Markdown and JSON) beside the case file.
    Export,
    /// Make the selected credential (tree or suspects list) the checklist's root.
    SetRoot,
    /// The focused pane fills the screen, or the four panes come back.
    Zoom,
    /// The detail pane: wrap long values, or scroll sideways.
    Wrap,
    /// The histogram spans the events on screen, or the whole logs again.
    HistogramZoom,
    /// Open the `:` command prompt.
    Command,
    /// The blast radius of the selected credential.
    Blast,
    /// Mark the selected event (a comment is asked); list the marks; remove a mark.
    Mark,
    Marks,
    Unmark,
    /// A prompt's completion (the command prompt's; elsewhere, the next item).
    Complete,
    /// A time window of ±15 minutes around the selected event / drop the window.
    TimeWindow,
    DropTime,
    Down,
    Up,
    Top,
    Bottom,
    HalfDown,
    HalfUp,
    PageDown,
    PageUp,
    /// Drill in: tree node → its events; timeline row → detail; finder choice → jump.
    Enter,
    Collapse,
    Expand,
    /// Edit the selected checklist step's note.
    EditNote,
    /// Cycle the selected checklist step's manual status.
    CycleStatus,
    /// Text typed into a prompt (finder, search, note).
    Input(char),
    InputBackspace,
    /// A prompt's cursor and line editing (`editor`).
    DeleteForward,
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    Newline,
    /// The loader's progress and result.
    Progress(tokentrail::loader::Progress),
    Loaded(Arc<Model>),
    /// What is loaded so far, browsable while the load goes on.
    Partial(Arc<Model>),
    /// A finder query's results, matched off the UI thread (for `generation`).
    FinderResults {
        generation: u64,
        results: Vec<usize>,
    },
    /// A blast radius, and where the credential's own calls came from, worked out off the UI
    /// thread.
    BlastResults {
        node: usize,
        radius: Arc<tokentrail::blast::BlastRadius>,
        sources: Arc<tokentrail::lineage::sources::Sources>,
    },
    /// The Sigma rules' hits over `model`, found off the UI thread.
    DetectionResults {
        model: Arc<tokentrail::model::Model>,
        detections: Arc<tokentrail::detect::Detections>,
    },
    /// A timeline search's matches (rows), found off the UI thread (for `generation`).
    SearchResults {
        generation: u64,
        matches: Vec<usize>,
    },
    /// The timeline's rows for its filters, worked out off the UI thread (for `generation`).
    FilterResults {
        generation: u64,
        rows: Vec<u32>,
    },
    /// The terminal's new size.
    Resize {
        width: u16,
        height: u16,
    },
}

/// The four panes, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Timeline,
    Tree,
    Detail,
    Checklist,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Timeline, Pane::Tree, Pane::Detail, Pane::Checklist];

    fn position(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The pane after this one in focus order (the last wraps to the first).
    pub fn next(self) -> Pane {
        Pane::ALL[(self.position() + 1) % Pane::ALL.len()]
    }

    /// The pane before this one in focus order.
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.position() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }

    /// Its number on screen (1-based), as `focus_<pane>` keys default to.
    pub fn number(self) -> usize {
        self.position() + 1
    }
    pub fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "Timeline",
            Pane::Tree => "Lineage",
            Pane::Detail => "Event",
            Pane::Checklist => "Checklist",
        }
    }
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Loaded(_) => f.write_str("Loaded"),
            Action::Partial(_) => f.write_str("Partial"),
            Action::FilterResults { generation, rows } => write!(f, "FilterResults({generation}, {} rows)", rows.len()),
            Action::BlastResults { node, .. } => write!(f, "BlastResults({node})"),
            Action::DetectionResults { detections, .. } => {
                write!(f, "DetectionResults({} hits)", detections.hits.len())
            }
            Action::SearchResults { generation, matches } => {
                write!(f, "SearchResults({generation}, {} matches)", matches.len())
            }
            Action::FinderResults { generation, results } => {
                write!(f, "FinderResults({generation}, {} results)", results.len())
            }
            Action::Progress(p) => write!(f, "Progress({}/{})", p.files_done, p.files_total),
            Action::Input(c) => write!(f, "Input({c:?})"),
            other => write!(f, "{}", action_name(other)),
        }
    }
}

/// The keymap's name for an action, and its help text.
pub fn action_name(a: &Action) -> &'static str {
    ACTIONS
        .iter()
        .find(|(_, _, make)| std::mem::discriminant(&make()) == std::mem::discriminant(a))
        .map_or("?", |x| x.0)
}

type Make = fn() -> Action;

/// Every bindable action: (name in keymap.toml, help text, constructor).
pub const ACTIONS: &[(&str, &str, Make)] = &[
    ("quit", "quit", || Action::Quit),
    ("help", "this help", || Action::Help),
    ("focus_next", "next pane", || Action::FocusNext),
    ("focus_prev", "previous pane", || Action::FocusPrev),
    ("focus_timeline", "focus timeline", || Action::Focus(Pane::Timeline)),
    ("focus_tree", "focus lineage tree", || Action::Focus(Pane::Tree)),
    ("focus_detail", "focus event detail", || Action::Focus(Pane::Detail)),
    ("focus_checklist", "focus checklist", || Action::Focus(Pane::Checklist)),
    ("finder", "fuzzy-find a key, principal, event name or IP", || Action::Finder),
    ("suspects", "ranked suspects", || Action::Suspects),
    ("reveal", "reveal the credential's path to its root", || Action::Reveal),
    ("back", "go back (never quits)", || Action::Back),
    ("search", "search in the focused pane", || Action::Search),
    ("next_match", "next match", || Action::NextMatch),
    ("prev_match", "previous match", || Action::PrevMatch),
    ("next_error", "next error event", || Action::NextError),
    ("prev_error", "previous error event", || Action::PrevError),
    ("copy", "copy: key, ARN, event, the timeline as a table, a step (OSC 52)", || Action::Copy),
    ("filter_lineage", "timeline: this credential and all it minted", || Action::FilterLineage),
    ("clear_filter", "timeline: drop every filter", || Action::ClearFilter),
    ("export", "export checklist report (Markdown and JSON)", || Action::Export),
    ("set_root", "checklist root: the selected permanent key", || Action::SetRoot),
    ("zoom", "zoom the focused pane to full screen (again: back)", || Action::Zoom),
    ("wrap", "detail: wrap long values / scroll sideways (h/l)", || Action::Wrap),
    ("blast", "blast radius: what the credential planted, the data it touched, its detections", || Action::Blast),
    ("mark", "mark the selected event as evidence (with a comment)", || Action::Mark),
    ("marks", "list the marks (Enter goes to one, d removes it)", || Action::Marks),
    ("unmark", "remove the mark on the selected event", || Action::Unmark),
    ("command", "command prompt (:filter-in, :filter-out, :time, :drop, :mark, :root, :export, :goto)", || {
        Action::Command
    }),
    ("histogram_zoom", "timeline: histogram over the events on screen / all logs", || Action::HistogramZoom),
    ("time_window", "timeline: ±15 minutes around the selected event", || Action::TimeWindow),
    ("drop_time", "timeline: drop the time window", || Action::DropTime),
    ("complete", "prompt: complete the command", || Action::Complete),
    ("down", "down", || Action::Down),
    ("up", "up", || Action::Up),
    ("top", "first", || Action::Top),
    ("bottom", "last", || Action::Bottom),
    ("half_down", "half page down", || Action::HalfDown),
    ("half_up", "half page up", || Action::HalfUp),
    ("page_down", "page down", || Action::PageDown),
    ("page_up", "page up", || Action::PageUp),
    ("enter", "drill in / choose", || Action::Enter),
    ("collapse", "tree: collapse; detail: scroll left", || Action::Collapse),
    ("expand", "tree: expand; detail: scroll right", || Action::Expand),
    ("edit_note", "checklist: edit note", || Action::EditNote),
    ("cycle_status", "checklist: cycle manual status", || Action::CycleStatus),
    ("delete_back", "prompt: delete the character before the cursor", || Action::InputBackspace),
    ("delete_forward", "prompt: delete the character at the cursor", || Action::DeleteForward),
    ("cursor_left", "prompt: cursor left", || Action::CursorLeft),
    ("cursor_right", "prompt: cursor right", || Action::CursorRight),
    ("line_start", "prompt: start of the line", || Action::LineStart),
    ("line_end", "prompt: end of the line", || Action::LineEnd),
    ("word_left", "prompt: a word left", || Action::WordLeft),
    ("word_right", "prompt: a word right", || Action::WordRight),
    ("newline", "note: a line break (Alt-Enter too)", || Action::Newline),
];
