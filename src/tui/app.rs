//! The workbench's whole state. Rendering reads it; only `update` changes it (and, after
//! each update, `view::settle` works out where the next frame scrolls to).

use super::action::Pane;
use super::finder::Finder;
use super::keymap::Keymap;
use super::theme::Theme;
use super::timeline::Timeline;
use super::tree::LineageTree;
use ratatui::text::Line;
use std::path::PathBuf;
use std::sync::Arc;
use tokentrail::checklist::Checklist;
use tokentrail::checklist::case::{Case, CaseFile};
use tokentrail::loader::Progress;
use tokentrail::model::Model;

/// Up to this many events, the timeline's filters are applied on the UI thread; past it, on a
/// worker (`filtering`).
pub const FILTER_INLINE: usize = 200_000;

/// Modal layers drawn over the panes; they take keys first.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Finder(Finder),
    Suspects {
        selected: usize,
    },
    /// Typing a search query for the pane that was focused.
    SearchInput {
        pane: Pane,
        query: String,
    },
    /// Editing a checklist step's note (lines allowed), with the cursor's byte offset.
    NoteInput {
        step: usize,
        text: String,
        cursor: usize,
    },
    /// Typing the comment of a mark on `event`.
    MarkInput {
        event: usize,
        text: String,
    },
    /// What `y` can copy from the focused pane (`copy::choices`).
    Copy {
        selected: usize,
    },
    /// The blast radius of a credential (`radius` None while a worker reads it).
    Blast {
        node: usize,
        radius: Option<std::sync::Arc<tokentrail::blast::BlastRadius>>,
        selected: usize,
    },
    /// The list of marks.
    Marks {
        selected: usize,
    },
    /// The `:` prompt; `back` is how far up its history the analyst went (0: the text typed).
    Command {
        text: String,
        back: usize,
    },
    /// The case file belongs to another root than the one wanted: keep it, or start a new
    /// case file beside it (`case_root::CHOICES`).
    CaseRoot {
        wanted: String,
        selected: usize,
    },
}

/// An applied search: its matches in one pane, and which one is current.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub pane: Pane,
    pub query: String,
    pub matches: Vec<usize>,
    pub current: usize,
    /// The matches are being found on a worker thread (request `generation`); `go`: move to
    /// the first when they arrive.
    pub pending: Option<(u64, bool)>,
}

/// What `Esc` returns to.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub focus: Pane,
    pub timeline: Timeline,
    pub tree_selected: Vec<u64>,
}

#[derive(Debug, Default, Clone)]
pub struct DetailView {
    pub event: Option<usize>,
    pub lines: Vec<Line<'static>>,
    pub scroll: usize,
    /// Long values wrap (`w` toggles); else the pane scrolls sideways (`h`/`l`) by `hscroll`.
    pub wrap: bool,
    pub hscroll: u16,
}

/// What-if for the selected checklist step: which of the root's credentials still work
/// just after that step's remediation (its first evidence), or at the end of the logs.
#[derive(Debug, Clone)]
pub struct StepWhatIf {
    pub step: usize,
    pub at: tokentrail::time::Millis,
    pub when: String,
    /// The usable credentials, as `KEY (kind)`.
    pub usable: Vec<String>,
    pub blocked: usize,
}

pub struct App {
    pub model: Option<Arc<Model>>,
    pub progress: Progress,
    pub focus: Pane,
    pub timeline: Timeline,
    pub tree: LineageTree,
    pub detail: DetailView,
    pub checklist: Option<Checklist>,
    pub checklist_selected: usize,
    /// Rows the checklist pane is scrolled on past its last step.
    pub checklist_below: usize,
    /// How far that can go: the rows below, as the pane last drew them (written by the
    /// render, as ratatui's stateful widgets note their offsets; read by `update`).
    pub checklist_room: std::cell::Cell<usize>,
    pub case: Case,
    /// The case file on disk: where notes are saved, and whether they may be.
    pub case_file: CaseFile,
    /// Why the case file may not be these logs' (saved over other sources): shown in the
    /// status bar until another case file is chosen.
    pub case_warning: Option<String>,
    /// The last save failed: quitting asks once more.
    pub unsaved: bool,
    /// The last key was a `q` that was warned about unsaved notes: the next `q` quits.
    pub quit_armed: bool,
    pub overlay: Overlay,
    pub search: Option<Search>,
    pub history: Vec<Snapshot>,
    pub candidates: Arc<Vec<super::finder::Candidate>>,
    /// Where long work done off the UI thread sends its result (the event loop's channel);
    /// None in tests and benches, where that work is done at once.
    pub worker_tx: Option<std::sync::mpsc::Sender<super::action::Action>>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// A one-line message for the status bar (errors, confirmations).
    pub message: Option<String>,
    /// Text to put on the clipboard (the run loop writes it as OSC 52).
    pub clipboard: Option<String>,
    /// Rows the timeline shows, for page moves (from the terminal's size).
    pub page: usize,
    /// The terminal's size, as the last resize said.
    pub size: (u16, u16),
    pub step_what_if: Option<StepWhatIf>,
    /// The focused pane fills the screen (`z` toggles).
    pub zoomed: bool,
    /// The timeline's histogram (`view::settle`), over the events on screen when zoomed (`H`).
    pub histogram: super::histogram::Histogram,
    pub hist_zoom: bool,
    /// Numbers the searches sent to a worker, so that an older answer is dropped.
    pub search_generation: u64,
    /// The marked events' positions, in order (`marks::resolve`).
    pub marked: Vec<usize>,
    /// Command lines run, oldest first.
    pub command_history: Vec<String>,
    /// Up to this many events, filters are applied on the UI thread (`FILTER_INLINE`).
    pub filter_inline: usize,
    /// The tree pane as rendered after the last update (see `view::settle`).
    pub tree_view: ratatui::buffer::Buffer,
    pub start_key: Option<String>,
    /// Folders of Sigma rules (`--rules`), evaluated with the project's own once loaded.
    pub rules: Vec<PathBuf>,
    /// What the rules found over the shown model (`detections`), and whether a worker is
    /// still at it.
    pub detections: Option<Arc<tokentrail::detect::Detections>>,
    pub detecting: bool,
    /// The suspects ranked again with the detections' reasons.
    pub ranked: Option<Vec<tokentrail::lineage::suspects::Suspect>>,
    /// The Sigma hits the open blast radius lists (`blast_view::hits`), worked out when it
    /// opens and when the detections arrive, not at every frame.
    pub blast_hits: Arc<Vec<tokentrail::detect::Hit>>,
    /// Where the blast view's credential's own calls came from (`lineage::sources`).
    pub blast_sources: Arc<tokentrail::lineage::sources::Sources>,
    pub quit: bool,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme, case_path: PathBuf, start_key: Option<String>) -> App {
        let (case_file, case) = CaseFile::open(&case_path);
        let message = match &case_file.blocked {
            Some(why) => Some(format!("{why}: kept as it is, notes will NOT be saved (start with --case NEW.json)")),
            None => case.unread_summary(),
        };
        App {
            model: None,
            progress: Progress::default(),
            focus: Pane::Timeline,
            timeline: Timeline::default(),
            tree: LineageTree::default(),
            detail: DetailView::default(),
            checklist: None,
            checklist_selected: 0,
            checklist_below: 0,
            checklist_room: std::cell::Cell::new(0),
            case,
            case_file,
            case_warning: None,
            unsaved: false,
            quit_armed: false,
            overlay: Overlay::None,
            search: None,
            history: Vec::new(),
            candidates: Arc::new(Vec::new()),
            worker_tx: None,
            keymap,
            theme,
            message,
            clipboard: None,
            page: 10,
            size: (0, 0),
            step_what_if: None,
            zoomed: false,
            histogram: Default::default(),
            hist_zoom: false,
            command_history: Vec::new(),
            marked: Vec::new(),
            search_generation: 0,
            filter_inline: FILTER_INLINE,
            tree_view: ratatui::buffer::Buffer::default(),
            rules: Vec::new(),
            detections: None,
            detecting: false,
            ranked: None,
            blast_hits: Arc::new(Vec::new()),
            blast_sources: Arc::default(),
            start_key,
            quit: false,
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            focus: self.focus,
            timeline: self.timeline.clone(),
            tree_selected: self.tree.state.selected().to_vec(),
        }
    }
}
