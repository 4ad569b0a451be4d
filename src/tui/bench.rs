//! `tokentrail bench-render PATH…` (hidden): frame and keystroke times on a loaded corpus,
//! drawn to a `TestBackend`, as rows of the benchmark's table.

use super::action::Action;
use super::app::App;
use super::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub fn run(paths: Vec<std::path::PathBuf>) -> i32 {
    let keymap = super::keymap::Keymap::load(None).unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let mut app =
        App::new(keymap, super::theme::Theme { color: true }, std::env::temp_dir().join("bench-case.json"), None);
    let Ok(mut term) = Terminal::new(TestBackend::new(200, 60));
    update(&mut app, Action::Resize { width: 200, height: 60 });
    let _ = term.draw(|f| super::ui::draw(f, &app));
    let first_frame = ms(start);
    let mut ix = tokentrail::loader::load_paths(&paths, &mut |_| {});
    let (before, t) = (ix.heap_bytes(), Instant::now());
    ix.ix.compact_agents();
    let compact = (ms(t), before, ix.heap_bytes());
    let model = Arc::new(tokentrail::model::Model::new(ix));
    let t = Instant::now();
    update(&mut app, Action::Loaded(model));
    let loaded = ms(t);
    let mut step = |app: &mut App, a: Action| -> f64 {
        let t = Instant::now();
        update(app, a);
        let _ = term.draw(|f| super::ui::draw(f, app));
        ms(t)
    };
    let mut frames: Vec<f64> = (0..200).map(|_| step(&mut app, Action::Down)).collect();
    frames.extend(
        [Action::Bottom, Action::Top, Action::PageDown, Action::PageDown, Action::HalfUp].map(|a| step(&mut app, a)),
    );
    frames.sort_by(|a, b| a.total_cmp(b));
    let p50 = frames[frames.len() / 2];
    let max = frames.last().copied().unwrap_or(0.0);
    let mut search_for = |app: &mut App, text: &str| {
        step(app, Action::Search);
        for c in text.chars() {
            step(app, Action::Input(c));
        }
        let t = step(app, Action::Enter);
        let found = app.search.as_ref().map_or(0, |s| s.matches.len());
        step(app, Action::Back);
        (t, found)
    };
    let (search, _) = search_for(&mut app, "GetObject");
    // Digits and dots: every IPv4 address (kept as a number, `index::addr`) is written out.
    let (address_search, _) = search_for(&mut app, "10.1");
    // Part of a user agent: agents seen once are deflated (`index::agents`), and every block
    // whose three-byte runs allow the text is inflated and read.
    let (agent_search, agent_found) = search_for(&mut app, "python#3.9");
    // Three filters at once, worked out on the UI thread (no worker yet): what a worker does
    // past 200,000 events, and how long its answer takes.
    app.filter_inline = usize::MAX;
    let mut typed = |app: &mut App, line: &str| {
        step(app, Action::Command);
        for c in line.chars() {
            step(app, Action::Input(c));
        }
        step(app, Action::Enter)
    };
    typed(&mut app, "filter-out Describe*");
    typed(&mut app, "filter-in error");
    let filters = typed(&mut app, "time last 24h");
    let filtered = app.model.as_ref().map_or(0, |m| app.timeline.len(m));
    app.filter_inline = super::app::FILTER_INLINE;
    step(&mut app, Action::ClearFilter);
    // The finder as the workbench runs it: matching on a worker, results as an action.
    let (tx, rx) = std::sync::mpsc::channel();
    app.worker_tx = Some(tx);
    step(&mut app, Action::Finder);
    let answer = |app: &mut App| -> f64 {
        let t = Instant::now();
        // Every answer sent so far; the last one is the query on screen.
        while app_pending(app) {
            match rx.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok(a) => update(app, a),
                Err(_) => break,
            }
        }
        ms(t)
    };
    answer(&mut app);
    let (mut keys, mut results) = (Vec::new(), Vec::new());
    for c in "ASIAX".chars() {
        keys.push(step(&mut app, Action::Input(c)));
        results.push(answer(&mut app));
    }
    let finder_max = keys.iter().copied().fold(0.0, f64::max);
    let results_max = results.iter().copied().fold(0.0, f64::max);
    println!("| first frame (before any data) | {first_frame:.1} ms |");
    let (compact_ms, before, after) = compact;
    let n = app.model.as_ref().map_or(1, |m| m.ix.events.len().max(1));
    println!(
        "| agents seen once deflated after load (`Index::compact_agents`) | {compact_ms:.0} ms: index {} → {} B/event |",
        before / n,
        after / n
    );
    println!("| workbench ready after load (tree, finder index, checklist) | {loaded:.0} ms |");
    println!("| keystroke → frame, 205 moves at 200×60 | p50 {p50:.2} ms, max {max:.2} ms |");
    println!("| timeline search over all events (`/GetObject`) | {search:.0} ms |");
    println!("| timeline search for part of an address (`/10.1`) | {address_search:.0} ms |");
    println!(
        "| timeline search for part of a user agent (`/python#3.9`) | {agent_search:.0} ms ({agent_found} events) |"
    );
    println!(
        "| three filters at once (`-Describe*`, errors, last 24 h; the third's keystroke, on the UI thread) | {filters:.0} ms ({filtered} events) |"
    );
    println!(
        "| fuzzy finder, per typed character: keystroke → frame; results ({} candidates) | max {finder_max:.1} ms; max {results_max:.0} ms |",
        app.candidates.len()
    );
    0
}

fn app_pending(app: &App) -> bool {
    matches!(&app.overlay, super::app::Overlay::Finder(f) if f.pending)
}
