//! State-update tests (key sequences → state, no terminal) and TestBackend render tests.

use super::action::{Action, Pane};
use super::app::{App, Overlay};
use super::keymap::Keymap;
use super::theme::Theme;
use super::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, OnceLock};
use tokentrail::model::Model;

fn model() -> Arc<Model> {
    static M: OnceLock<Arc<Model>> = OnceLock::new();
    M.get_or_init(|| {
        Arc::new(Model::new(tokentrail::loader::load_sources(tokentrail::loader::sample::sources(), &mut |_| {})))
    })
    .clone()
}

fn keys() -> tokentrail::synth::Incident {
    tokentrail::synth::incident(tokentrail::synth::incident::SAMPLE_SEED, tokentrail::synth::incident::SAMPLE_NOISE)
}

fn app() -> App {
    let dir =
        std::env::temp_dir().join(format!("tokentrail-test-{}-{:?}", std::process::id(), std::thread::current().id()));
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, dir.join("case.json"), None);
    update(&mut a, Action::Loaded(model()));
    a
}

/// The terminal is `w`×`h` (as a resize says), then one frame is drawn: its text.
fn draw(a: &mut App, w: u16, h: u16) -> String {
    if a.size != (w, h) {
        update(a, Action::Resize { width: w, height: h });
    }
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| super::ui::draw(f, a)).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Types keys as the terminal would send them.
fn press(a: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        if let Some(action) = super::input::key_to_action(a, &KeyEvent::new(code, KeyModifiers::NONE)) {
            update(a, action);
        }
    }
}

#[test]
fn finder_then_reveal_selects_the_root_key_a() {
    let k = keys();
    let mut a = app();
    draw(&mut a, 160, 45);
    press(&mut a, "f");
    assert!(matches!(a.overlay, Overlay::Finder(_)));
    press(&mut a, &k.key_c[4..10]);
    press(&mut a, "\n");
    assert_eq!(a.overlay, Overlay::None);
    let m = model();
    let sel = a.tree.selected_node().expect("a node");
    assert_eq!(m.ix.str(m.lin.nodes[sel].key), k.key_c);
    press(&mut a, "r");
    let root = a.tree.selected_node().expect("root");
    assert_eq!(m.ix.str(m.lin.nodes[root].key), k.key_a);
    assert_eq!(a.focus, Pane::Tree);
    let screen = draw(&mut a, 160, 45);
    assert!(screen.contains(&k.key_a) && screen.contains("support-user") && screen.contains(&k.key_c));
}

#[test]
fn enter_on_a_tree_node_filters_the_timeline_to_its_events_and_esc_goes_back() {
    let k = keys();
    let mut a = app();
    draw(&mut a, 160, 45);
    let m = model();
    let c = m.lin.nodes_with_key(&m.ix, &k.key_c)[0];
    a.tree.select_node(c);
    a.focus = Pane::Tree;
    press(&mut a, "\n");
    assert_eq!(a.focus, Pane::Timeline);
    let rows = a.timeline.rows.clone().expect("filtered");
    assert_eq!(rows.len(), m.lin.nodes[c].event_count + 1, "its uses plus its issuing event");
    assert!(a.timeline.filter_label().is_some_and(|f| f.contains(&k.key_c)));
    press(&mut a, "\x1b");
    assert!(a.timeline.rows.is_none(), "Esc restores the unfiltered timeline");
    assert_eq!(a.focus, Pane::Tree);
    press(&mut a, "\x1b\x1b");
    assert!(!a.quit, "Esc never quits");
}

#[test]
fn filter_lineage_shows_a_credential_and_everything_it_minted() {
    let k = keys();
    let mut a = app();
    draw(&mut a, 160, 45);
    let m = model();
    a.tree.select_node(m.lin.nodes_with_key(&m.ix, &k.key_b)[0]);
    a.focus = Pane::Tree;
    press(&mut a, "F");
    let rows = a.timeline.rows.clone().expect("filtered");
    let keys_seen: std::collections::BTreeSet<&str> =
        rows.iter().map(|&e| m.ix.field(&m.ix.events[e as usize], tokentrail::index::event::Field::Key)).collect();
    for want in [&k.key_b, &k.key_c, &k.new_role_keys[0], &k.new_role_keys[1]] {
        assert!(keys_seen.contains(want.as_str()), "{want}");
    }
}

#[test]
fn movement_search_and_errors_in_the_timeline() {
    let mut a = app();
    draw(&mut a, 160, 45);
    press(&mut a, "jjj");
    assert_eq!(a.timeline.selected, 3);
    press(&mut a, "G");
    assert_eq!(a.timeline.selected, model().ix.events.len() - 1);
    press(&mut a, "g");
    assert_eq!(a.timeline.selected, 0);
    press(&mut a, "e");
    let m = model();
    assert!(m.ix.events[a.timeline.selected_event(&m).expect("row")].is_error());
    // The policy name is only in PutRolePolicy's detail, which the timeline does not search.
    press(&mut a, "/AWSRevokeOlderSessions");
    press(&mut a, "\n");
    assert_eq!(a.search.as_ref().map(|s| s.matches.len()), Some(0), "no timeline column holds it");
    assert!(draw(&mut a, 160, 45).contains("match 0 of 0"));
    // PutRolePolicy's detail holds the policy name, but the timeline searches its columns:
    // the search says so rather than jumping anywhere.
    press(&mut a, "/PutRolePolicy\n");
    let s = a.search.clone().expect("search");
    assert_eq!(s.matches.len(), 1);
    let ev = a.timeline.selected_event(&m).expect("row");
    assert_eq!(m.ix.field(&m.ix.events[ev], tokentrail::index::event::Field::Name), "PutRolePolicy");
    assert!(draw(&mut a, 160, 45).contains("match 1 of 1"));
}

#[test]
fn the_detail_pane_follows_the_selection_and_redacts_tokens() {
    let k = keys();
    let mut a = app();
    let m = model();
    // Select the GetSessionToken event that minted B.
    let pos =
        m.ix.events
            .iter()
            .position(|e| m.ix.field(e, tokentrail::index::event::Field::Name) == "GetSessionToken")
            .expect("GetSessionToken");
    a.timeline.selected = pos;
    press(&mut a, "\n");
    assert_eq!(a.focus, Pane::Detail);
    let text: String = a.detail.lines.iter().map(|l| l.to_string() + "\n").collect();
    assert!(text.contains(&k.key_b), "the issued key is shown");
    assert!(text.contains("<redacted>") && !text.contains("IQoJb3JpZ2luX2Vj"), "the token is not");
}

#[test]
fn checklist_note_and_status_are_saved_to_the_case_file() {
    let mut a = app();
    let dir = tempfile::tempdir().expect("tmp");
    let case_path = dir.path().join("case.json");
    a.case_file = tokentrail::checklist::case::CaseFile::open(&case_path).0;
    press(&mut a, "4");
    assert_eq!(a.focus, Pane::Checklist);
    press(&mut a, "jj");
    press(&mut a, "i");
    press(&mut a, "revoked by sec-admin\n");
    press(&mut a, " ");
    let saved = tokentrail::checklist::case::Case::load(&case_path).expect("saved");
    let s3 = saved.step(3);
    assert_eq!(s3.note, "revoked by sec-admin");
    assert_eq!(s3.manual, tokentrail::checklist::Manual::InProgress);
    // Esc cancels an edit without saving.
    press(&mut a, "iXYZ\x1b");
    assert_eq!(tokentrail::checklist::case::Case::load(&case_path).expect("load").step(3).note, "revoked by sec-admin");
}

#[test]
fn q_in_a_prompt_is_text_and_q_outside_quits() {
    let mut a = app();
    press(&mut a, "fq");
    assert!(!a.quit);
    press(&mut a, "\x1bq");
    assert!(a.quit);
}

#[test]
fn a_tiny_terminal_gets_a_message_not_a_panic() {
    let mut a = app();
    let s = draw(&mut a, 30, 8);
    assert!(s.contains("needs at least"));
}

#[test]
fn every_key_on_every_pane_never_panics() {
    let mut a = app();
    for pane in "1234".chars() {
        for c in "jkgGhlnNeEyFcrs\n\x1b\t?".chars() {
            press(&mut a, &pane.to_string());
            press(&mut a, &c.to_string());
            press(&mut a, "\x1b");
            draw(&mut a, 120, 30);
        }
    }
}

#[test]
fn screens_match_snapshots() {
    let k = keys();
    let mut a = app();
    insta::assert_snapshot!("start", draw(&mut a, 140, 40));
    press(&mut a, "f");
    press(&mut a, &k.key_c[4..10]);
    insta::assert_snapshot!("finder", draw(&mut a, 140, 40));
    press(&mut a, "\nr");
    insta::assert_snapshot!("revealed", draw(&mut a, 140, 40));
    press(&mut a, "s");
    insta::assert_snapshot!("suspects", draw(&mut a, 140, 40));
    press(&mut a, "\x1b?");
    insta::assert_snapshot!("help", draw(&mut a, 140, 40));
}

#[test]
fn loading_screen_shows_progress_before_any_data() {
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("x.json"), None);
    update(
        &mut a,
        Action::Progress(tokentrail::loader::Progress {
            files_done: 3,
            files_total: 10,
            events: 42,
            ..Default::default()
        }),
    );
    let s = draw(&mut a, 120, 30);
    assert!(s.contains("loading 3/10 files") && s.contains("42 events"));
    press(&mut a, "j");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("loading")));
}

#[test]
fn escape_sequences_in_any_field_never_reach_the_screen() {
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    let e = serde_json::json!({
        "eventVersion": "1.08", "eventID": format!("id{evil}"), "eventTime": "2024-01-01T00:00:00Z",
        "eventSource": format!("s3{evil}"), "eventName": format!("GetObject{evil}"), "awsRegion": evil,
        "sourceIPAddress": evil, "userAgent": evil, "errorCode": evil,
        "userIdentity": {"type": "AssumedRole", "arn": format!("arn:aws:sts::1:assumed-role/R{evil}/s"),
                         "accessKeyId": format!("ASIA{evil}"), "userName": evil,
                         "sessionContext": {"attributes": {"creationDate": "2024-01-01T00:00:00Z"}}}
    });
    let mut iss = e.clone();
    iss["eventName"] = serde_json::json!("AssumeRole");
    iss["eventID"] = serde_json::json!("issuer");
    iss["userIdentity"] = serde_json::json!({"type": "IAMUser", "arn": format!("arn:aws:iam::1:user/u{evil}"), "accessKeyId": format!("AKIA{evil}"), "userName": evil});
    iss["responseElements"] = serde_json::json!({"credentials": {"accessKeyId": format!("ASIA{evil}")}, "assumedRoleUser": {"arn": format!("arn:aws:sts::1:assumed-role/R{evil}/s")}});
    let doc = serde_json::json!({"Records": [e, iss]}).to_string();
    let m = Arc::new(Model::new(tokentrail::loader::load_docs(&[&doc])));
    assert_eq!(m.ix.events.len(), 2);
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("evil.json"), None);
    update(&mut a, Action::Loaded(m));
    let clean = |s: &str| !s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\u{9b}');
    for keys in
        ["", "2", "2\n", "4", "s", "fASIA", "1\n", "?", "2r", "2y\n", "1y\n", "1yj\n", "1yjjj\n", "1yjjjj\n", "2yjj\n"]
    {
        press(&mut a, "\x1b\x1b");
        a.clipboard = None;
        press(&mut a, keys);
        let screen = draw(&mut a, 150, 40);
        assert!(clean(&screen), "after {keys:?}:\n{screen}");
        assert!(a.clipboard.as_deref().is_none_or(clean), "after {keys:?}: {:?}", a.clipboard);
    }
}

#[test]
fn a_partial_model_is_browsable_until_the_final_one_arrives() {
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("p.json"), None);
    update(
        &mut a,
        Action::Progress(tokentrail::loader::Progress { files_done: 3, files_total: 10, ..Default::default() }),
    );
    let evs: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"eventID":"e{i}","eventTime":"2024-01-01T00:00:0{i}Z","eventName":"X","userIdentity":{{"accessKeyId":"AKIAAAAAAAAAAAAAAAAA","arn":"arn:aws:iam::1:user/u"}}}}"#))
        .collect();
    let partial = Arc::new(Model::new(tokentrail::loader::load_docs(&[&evs[0], &evs[1]])));
    update(&mut a, Action::Partial(partial));
    press(&mut a, "j");
    assert_eq!(a.timeline.selected, 1, "browsable while loading");
    assert!(draw(&mut a, 140, 40).contains("loading 3/10 files · browsing the 2 events loaded so far"));
    assert!(draw(&mut a, 140, 40).contains(r#""eventID": "e1""#));
    // The final model has an earlier event, so e1 moves to position 2: the selection follows
    // it, and the detail pane shows it (not the event now at position 1).
    let earlier = evs[2]
        .replace("e2", "e9")
        .replace("2024-01-01T00:00:02Z", "2023-12-31T23:59:59Z")
        .replace(r#"":"X""#, r#"":"Y""#);
    let all = Arc::new(Model::new(tokentrail::loader::load_docs(&[&evs[0], &evs[1], &earlier])));
    update(&mut a, Action::Loaded(all));
    assert_eq!(a.timeline.selected, 2, "the selected event survives the final model");
    let screen = draw(&mut a, 140, 40);
    assert!(screen.contains("3 events · 3 files"));
    let at_one = a.model.as_ref().map(|m| m.ix.event_id(&m.ix.events[1]));
    assert_eq!(at_one.as_deref(), Some("e0"), "e9 sorts first, so e0 is now second");
    assert!(screen.contains(r#""eventID": "e1""#) && !screen.contains(r#""eventID": "e0""#), "{screen}");
}

#[test]
fn a_search_is_run_again_and_a_dropped_filter_is_told_when_more_events_arrive() {
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("q.json"), None);
    let ev = |i: u32, name: &str| {
        format!(
            r#"{{"eventID":"e{i}","eventTime":"2024-01-01T00:00:0{i}Z","eventName":"{name}","userIdentity":{{"accessKeyId":"AKIAAAAAAAAAAAAAAAAA","arn":"arn:aws:iam::1:user/u"}}}}"#
        )
    };
    let (e0, e1, e2) = (ev(0, "GetObject"), ev(1, "ListBuckets"), ev(2, "GetObject"));
    let partial = Arc::new(Model::new(tokentrail::loader::load_docs(&[&e0, &e1])));
    update(&mut a, Action::Partial(partial.clone()));
    press(&mut a, "/GetObject\n");
    assert_eq!(a.search.as_ref().map(|s| s.matches.clone()), Some(vec![0]));
    let events = Arc::new(vec![0]);
    a.timeline.filters.push(super::filter::Filter::Events { events, label: "test rows".into() });
    a.timeline.filters.push(super::filter::Filter::Text { pattern: "Object".into(), exclude: false });
    update(&mut a, Action::Loaded(Arc::new(Model::new(tokentrail::loader::load_docs(&[&e0, &e1, &e2])))));
    assert_eq!(a.timeline.filters.len(), 1, "a filter by value is applied again; one by position is not");
    assert_eq!(
        a.search.as_ref().map(|s| s.matches.clone()),
        Some(vec![0, 1]),
        "the search covers the new events (rows of events 0 and 2)"
    );
    assert_eq!(a.timeline.rows, Some(vec![0, 2]), "the kept filter covers the new events");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("filter \"test rows\" cleared")), "{:?}", a.message);
}

#[test]
fn the_checklist_shows_what_still_works_after_each_step() {
    let k = keys();
    let mut a = app();
    press(&mut a, "4");
    let after_key = draw(&mut a, 400, 50);
    let line = after_key.lines().find(|l| l.contains("still usable just after step 1")).expect("what-if line");
    assert!(line.contains(&k.key_b) && line.contains(&k.key_c) && !line.contains(&k.key_a), "{line}");
    press(&mut a, "jjjjj");
    let after_strip = draw(&mut a, 400, 50);
    let line = after_strip.lines().find(|l| l.contains("still usable just after step 6")).expect("what-if line");
    assert!(!line.contains(&k.key_b), "stripping the user stops token B: {line}");
}

/// A workbench whose case file is `path` (opened as `App::new` does).
fn app_with_case(path: &std::path::Path) -> App {
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, path.to_path_buf(), None);
    update(&mut a, Action::Loaded(model()));
    a
}

#[test]
fn a_damaged_case_file_is_kept_and_the_bar_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    let damaged = b"{\"version\": 1, \"steps\": {\"3\": {\"note\": \"revoked at 12:0";
    std::fs::write(&path, damaged).expect("write");
    let mut a = app_with_case(&path);
    press(&mut a, "4 ");
    assert_eq!(std::fs::read(&path).expect("read"), damaged, "Space did not write over the damaged file");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("NOT SAVED")), "{:?}", a.message);
    press(&mut a, "j");
    assert!(draw(&mut a, 200, 50).contains("case file unreadable: notes are NOT saved"), "the bar keeps saying it");
}

#[test]
fn quitting_with_unsaved_notes_asks_once_more() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    std::fs::write(&path, "garbage").expect("write");
    let mut a = app_with_case(&path);
    press(&mut a, "4 ");
    press(&mut a, "qj");
    assert!(!a.quit, "a warned q followed by another key disarms");
    press(&mut a, "q");
    assert!(!a.quit, "the first q warns");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("press q again")), "{:?}", a.message);
    press(&mut a, "q");
    assert!(a.quit, "the second quits");
}

#[test]
fn the_report_never_overwrites_the_case_file() {
    assert_eq!(
        super::output::report_path(std::path::Path::new("/c/case.json")),
        std::path::Path::new("/c/case.report.md")
    );
    assert_eq!(
        super::output::report_path(std::path::Path::new("/c/notes.md")),
        std::path::Path::new("/c/notes.report.md")
    );
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("notes.md");
    let mut a = app_with_case(&path);
    press(&mut a, "4 ");
    let saved = std::fs::read(&path).expect("case saved");
    press(&mut a, "x");
    assert_eq!(std::fs::read(&path).expect("case"), saved, "the case file is untouched by the report");
    assert!(dir.path().join("notes.report.md").exists());
    // `x` writes the JSON export the report points to, beside it.
    let js: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("notes.report.json")).expect("json export"))
            .expect("json");
    assert_eq!(js["root"]["access_key_id"], keys().key_a.as_str());
    assert!(a.message.as_deref().is_some_and(|m| m.contains("notes.report.json")), "{:?}", a.message);
}

/// A case file saved for root A, with a note.
fn case_of_a(dir: &std::path::Path) -> (std::path::PathBuf, Vec<u8>) {
    let path = dir.join("case.json");
    let mut case = tokentrail::checklist::case::Case { root: Some(keys().key_a), ..Default::default() };
    case.steps.insert(1, tokentrail::checklist::case::StepNotes { note: "A's note".into(), ..Default::default() });
    case.save(&path).expect("save");
    let bytes = std::fs::read(&path).expect("read");
    (path, bytes)
}

fn case_root_of(path: &std::path::Path) -> Option<String> {
    tokentrail::checklist::case::Case::load(path).expect("case").root
}

#[test]
fn a_case_file_keeps_its_root_when_the_workbench_opens_on_another_key() {
    let k = keys();
    let dir = tempfile::tempdir().expect("tmp");
    let (path, _) = case_of_a(dir.path());
    let open = || {
        let mut a = App::new(Keymap::defaults(), Theme { color: false }, path.clone(), Some(k.admin_key.clone()));
        update(&mut a, Action::Loaded(model()));
        a
    };
    // Keep the case's root: the checklist stays on A, and a save keeps A.
    let mut a = open();
    assert!(matches!(&a.overlay, Overlay::CaseRoot { wanted, .. } if *wanted == k.admin_key), "asked");
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.clone()), Some(k.key_a.clone()));
    assert!(draw(&mut a, 120, 35).contains("this case file belongs to another root"));
    press(&mut a, "\x1b4 ");
    assert_eq!(case_root_of(&path), Some(k.key_a.clone()), "Space kept the case's root");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("saved")), "{:?}", a.message);
    // A new case file beside it: the original is left as it is.
    let before = std::fs::read(&path).expect("read");
    let mut a = open();
    press(&mut a, "j\n");
    let beside = dir.path().join(format!("tokentrail-case-{}.json", k.admin_key));
    assert_eq!(a.case_file.path, beside);
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.clone()), Some(k.admin_key.clone()));
    press(&mut a, "4 ");
    assert_eq!(case_root_of(&beside), Some(k.admin_key.clone()));
    assert_eq!(std::fs::read(&path).expect("read"), before, "A's case file untouched");
}

#[test]
fn the_root_is_chosen_from_the_tree_or_the_suspects_list() {
    let k = keys();
    let m = model();
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app_with_case(&dir.path().join("case.json"));
    // A temporary key is refused, its root named.
    let c = m.lin.nodes_with_key(&m.ix, &k.key_c)[0];
    a.tree.select_node(c);
    press(&mut a, "2R");
    let msg = a.message.clone().unwrap_or_default();
    assert!(msg.contains("temporary credential") && msg.contains(&k.key_a), "{msg}");
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.clone()), Some(k.key_a.clone()));
    // A permanent key becomes the root (the case is not bound yet).
    let admin = m.lin.nodes_with_key(&m.ix, &k.admin_key)[0];
    a.tree.select_node(admin);
    press(&mut a, "R");
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.clone()), Some(k.admin_key.clone()));
    // From the suspects list: the suspect's root.
    press(&mut a, "sR");
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.clone()), Some(k.key_a.clone()));
    assert!(a.message.as_deref().is_some_and(|m| m.contains("root")), "{:?}", a.message);
    // Once bound to A (a note saved), another root asks instead of rewriting.
    press(&mut a, "4 ");
    a.tree.select_node(admin);
    press(&mut a, "2R");
    assert!(matches!(a.overlay, Overlay::CaseRoot { .. }));
    press(&mut a, "\x1b");
    assert_eq!(case_root_of(&dir.path().join("case.json")), Some(k.key_a.clone()));
}

#[test]
fn the_empty_checklist_says_how_to_choose_a_root() {
    let doc = serde_json::json!({"Records": [{"eventTime": "2024-01-01T00:00:00Z", "eventID": "e1", "eventName": "ListBuckets",
        "eventSource": "s3.amazonaws.com", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/x", "accessKeyId": "AKIAQUIETUSER0000001"}}]})
    .to_string();
    let m = Arc::new(tokentrail::model::Model::new(tokentrail::loader::load_docs(&[&doc])));
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, dir.path().join("case.json"), None);
    update(&mut a, Action::Loaded(m.clone()));
    assert!(a.checklist.is_none(), "no suspect: no root");
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("press R"), "{screen}");
    a.tree.select_node(m.lin.nodes_with_key(&m.ix, "AKIAQUIETUSER0000001")[0]);
    press(&mut a, "2R");
    assert_eq!(a.checklist.as_ref().map(|c| c.root.access_key_id.as_str()), Some("AKIAQUIETUSER0000001"));
}

#[test]
fn copied_text_is_sanitised_like_shown_text() {
    let doc = serde_json::json!({"Records": [{"eventTime": "2024-01-01T00:00:00Z", "eventID": "e1", "eventName": "GetObject",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/x", "accessKeyId": "AKIA\u{1b}]52;c;cm0gLXJmIC8=\u{7}X"}}]})
    .to_string();
    let m = Arc::new(tokentrail::model::Model::new(tokentrail::loader::load_docs(&[&doc])));
    let mut a =
        App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("tt-copy-case.json"), None);
    update(&mut a, Action::Loaded(m));
    press(&mut a, "1y\n");
    let clip = a.clipboard.clone().expect("copied");
    assert!(!clip.contains('\u{1b}') && !clip.contains('\u{7}'), "{clip:?}");
    assert!(clip.starts_with("AKIA"), "{clip:?}");
}

/// The timeline's columns line up whatever a principal holds: CJK and emoji take two cells,
/// combining and zero-width characters none (the zero-width one is shown escaped).
#[test]
fn timeline_columns_align_by_display_width() {
    let ev = |i: u32, user: &str, key: &str| {
        serde_json::json!({"eventTime": format!("2024-01-01T00:0{i}:00Z"), "eventID": format!("e{i}"), "eventName": "GetObject",
            "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::1:user/{user}"), "accessKeyId": key}})
    };
    let doc = serde_json::json!({"Records": [
        ev(1, "plain", "AKIAPLAINPLAINPLAIN1"),
        ev(2, "日本語の利用者", "AKIACJKCJKCJKCJKCJK2"),
        ev(3, "e\u{301}moji👩‍💻", "AKIAEMOJIEMOJIEMOJ3"),
        ev(4, "ad\u{200b}min", "AKIAZEROWIDTHZEROW4"),
    ]})
    .to_string();
    let m = Arc::new(tokentrail::model::Model::new(tokentrail::loader::load_docs(&[&doc])));
    let mut a =
        App::new(Keymap::defaults(), Theme { color: false }, std::env::temp_dir().join("tt-width-case.json"), None);
    update(&mut a, Action::Loaded(m));
    let mut t = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
    t.draw(|f| super::ui::draw(f, &a)).expect("draw");
    let buf = t.backend().buffer().clone();
    // Where each row's key starts, in cells.
    let mut starts = Vec::new();
    for y in 0..buf.area.height {
        let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        if !row.contains("GetObject") {
            continue; // not a timeline row
        }
        for x in 0..buf.area.width.saturating_sub(4) {
            let word: String = (x..x + 4).map(|x| buf[(x, y)].symbol()).collect();
            if word == "AKIA" {
                starts.push(x);
                break;
            }
        }
    }
    assert_eq!(starts.len(), 4, "every row's key is on screen");
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "key column at {starts:?}");
    assert!(draw(&mut a, 120, 35).contains("ad\\u{200b}min"), "the zero-width space is shown");
}

/// Rebinding a key changes every hint that names it: prompts, messages and titles are
/// written from the keymap.
#[test]
fn hints_name_the_keys_of_the_keymap_in_use() {
    let keymap = Keymap::from_tables(
        super::keymap::DEFAULT_KEYMAP,
        Some("[global]\nquit = [\"Q\"]\n[prompt]\nenter = [\"ctrl-s\"]\n"),
    )
    .expect("valid keymap");
    let mut a = App::new(keymap, Theme { color: false }, std::env::temp_dir().join("tt-hints-case.json"), None);
    update(&mut a, Action::Loaded(model()));
    update(&mut a, Action::Back);
    assert!(draw(&mut a, 160, 45).contains("nothing to go back to (Q quits)"));
    update(&mut a, Action::Focus(Pane::Checklist));
    update(&mut a, Action::EditNote);
    let screen = draw(&mut a, 160, 45);
    assert!(screen.contains("(Ctrl-s saves, Alt-Enter/Ctrl-j new line, Esc cancels)"), "{screen}");
}

/// With many candidates (an address per event), the finder matches on a worker: the
/// keystroke returns at once, the results arrive as an action, and an answer to a query
/// no longer on screen is dropped.
#[test]
fn the_finder_matches_many_candidates_off_the_ui_thread() {
    use super::finder::{Candidate, MATCH_INLINE, What};
    let mut a = app();
    let mut many: Vec<Candidate> = (0..MATCH_INLINE + 5_000)
        .map(|n| Candidate { what: What::Ip, text: format!("10.{}.{}.{}", n / 65536, n / 256 % 256, n % 256) })
        .collect();
    many.push(Candidate { what: What::Key, text: "ASIAUNIQUEKEYFORTEST".into() });
    a.candidates = Arc::new(many);
    let (tx, rx) = std::sync::mpsc::channel();
    a.worker_tx = Some(tx);
    update(&mut a, Action::Finder);
    let first = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the empty query's results");
    update(&mut a, first);
    for c in "UNIQ".chars() {
        update(&mut a, Action::Input(c));
    }
    let Overlay::Finder(f) = &a.overlay else { panic!("finder open") };
    assert!(f.pending, "the keystroke did not wait for the match");
    // Four answers come; only the last one's generation is on screen.
    let answers: Vec<Action> =
        (0..4).map(|_| rx.recv_timeout(std::time::Duration::from_secs(10)).expect("answer")).collect();
    for answer in answers {
        update(&mut a, answer);
    }
    let Overlay::Finder(f) = &a.overlay else { panic!("finder open") };
    assert!(!f.pending);
    assert_eq!(f.results.first().map(|&i| a.candidates[i].text.as_str()), Some("ASIAUNIQUEKEYFORTEST"));
}

#[test]
fn a_case_file_saved_over_other_logs_is_said_and_its_binding_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    let other = "3 files, 10 bytes, fnv1a64 0000000000000000";
    let case = tokentrail::checklist::case::Case {
        root: Some(keys().key_a),
        sources: Some(other.into()),
        ..Default::default()
    };
    case.save(&path).expect("save");
    let mut a = app_with_case(&path);
    assert!(draw(&mut a, 200, 50).contains("case file: the case was saved over other logs"));
    press(&mut a, "4 ");
    let saved = tokentrail::checklist::case::Case::load(&path).expect("case");
    assert_eq!(saved.sources.as_deref(), Some(other), "the binding is not rewritten");
    assert_eq!(saved.step(1).manual, tokentrail::checklist::Manual::InProgress, "the note is saved");
}

#[test]
fn a_case_whose_root_is_not_in_the_logs_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    let case = tokentrail::checklist::case::Case { root: Some("AKIANOTINTHESELOGS01".into()), ..Default::default() };
    case.save(&path).expect("save");
    let mut a = app_with_case(&path);
    assert!(a.checklist.is_none(), "no other root is put in its place");
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("AKIANOTINTHESELOGS01 is not in the loaded logs"), "{screen}");
}

#[test]
fn a_laptop_screen_keeps_time_principal_and_event_and_moves_the_rest() {
    use super::ui::timeline::Columns;
    // The timeline's inner width at 80×24 and 120×35.
    let laptop = draw(&mut app(), 80, 24);
    let row = laptop.lines().find(|l| l.contains("DescribeAlarms ")).expect("a 14-character name, whole");
    assert!(row.contains("…") && !row.contains("ASIA7U52QEN3TGK64IU5"), "the key shortens: {row}");
    assert!(laptop.contains("from 198.51.100."), "the IP moved to the detail line:\n{laptop}");
    let narrow = Columns::fit(46, false);
    assert!(narrow.detail_line && (narrow.event, narrow.key) == (16, 9), "event names of 16 whole at 80×24");
    let split = draw(&mut app(), 120, 35);
    let split_cols = Columns::fit(68, false);
    assert_eq!(split_cols.event, 24, "event names of 24 whole at 120×35:\n{split}");
    assert!(!Columns::fit(118, false).detail_line, "a wide pane has every column");
}

#[test]
fn the_time_column_shows_the_year_when_the_logs_span_two() {
    let ev = |id: &str, t: &str| {
        serde_json::json!({"eventTime": t, "eventID": id, "eventName": "ListBuckets", "eventSource": "s3.amazonaws.com",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/x", "accessKeyId": "AKIAQUIETUSER0000001"}})
    };
    let doc =
        serde_json::json!({"Records": [ev("a", "2023-12-31T23:59:00Z"), ev("b", "2024-01-01T00:01:00Z")]}).to_string();
    let m = Arc::new(tokentrail::model::Model::new(tokentrail::loader::load_docs(&[&doc])));
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, dir.path().join("case.json"), None);
    update(&mut a, Action::Loaded(m));
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("2023-12-31 23:59:00") && screen.contains("2024-01-01 00:01:00"), "{screen}");
    let one_year = draw(&mut app(), 200, 50);
    assert!(
        one_year.contains("11-28 08:02:23 finance") && !one_year.contains("2024-11-28 08:02:23 finance"),
        "one year: no year in the column"
    );
}

#[test]
fn z_zooms_the_focused_pane_and_back() {
    let mut a = app();
    press(&mut a, "2z");
    let zoomed = draw(&mut a, 120, 35);
    assert!(
        zoomed.contains("2 Lineage") && !zoomed.contains("1 Timeline") && !zoomed.contains("4 Checklist"),
        "{zoomed}"
    );
    press(&mut a, "4");
    let checklist = draw(&mut a, 120, 35);
    assert!(checklist.contains("4 Checklist") && !checklist.contains("2 Lineage"), "the zoom follows the focus");
    press(&mut a, "z");
    let all = draw(&mut a, 120, 35);
    assert!(
        all.contains("1 Timeline")
            && all.contains("2 Lineage")
            && all.contains("3 Event")
            && all.contains("4 Checklist")
    );
}

#[test]
fn the_detail_pane_scrolls_sideways_or_wraps() {
    let mut a = app();
    press(&mut a, "3ll");
    assert_eq!(a.detail.hscroll, 16);
    let shifted = draw(&mut a, 120, 35);
    assert!(!shifted.contains("\"eventVersion\""), "scrolled 16 columns right");
    press(&mut a, "h");
    assert_eq!(a.detail.hscroll, 8);
    press(&mut a, "w");
    assert!(a.detail.wrap && a.detail.hscroll == 0);
    let wrapped = draw(&mut a, 120, 35);
    assert!(wrapped.contains("\"eventVersion\""), "{wrapped}");
}

/// Types a `:` command and runs it.
fn command(a: &mut App, line: &str) {
    press(a, ":");
    for c in line.chars() {
        update(a, Action::Input(c));
    }
    press(a, "\n");
}

fn shown(a: &App, m: &Model) -> Vec<usize> {
    (0..a.timeline.len(m)).filter_map(|r| a.timeline.event_at(r)).collect()
}

#[test]
fn filters_combine_and_each_drops_alone() {
    let k = keys();
    let m = model();
    let mut a = app();
    let c = m.lin.nodes_with_key(&m.ix, &k.key_c)[0];
    a.tree.select_node(c);
    press(&mut a, "2F");
    let lineage = shown(&a, &m);
    command(&mut a, "filter-out GetObject");
    let both = shown(&a, &m);
    assert!(!both.is_empty() && both.len() < lineage.len());
    assert!(
        both.iter().all(|&e| lineage.contains(&e)
            && m.ix.field(&m.ix.events[e], tokentrail::index::event::Field::Name) != "GetObject")
    );
    let bar = draw(&mut a, 200, 50);
    assert!(bar.contains("filters: 1 ") && bar.contains("· 2 -GetObject"), "the bar lists every filter");
    command(&mut a, "filter-in error");
    assert!(shown(&a, &m).iter().all(|&e| m.ix.events[e].is_error()));
    command(&mut a, "drop 1");
    let without_lineage = shown(&a, &m);
    assert!(without_lineage.len() > both.len(), "errors of every credential now, GetObject still hidden");
    assert!(without_lineage.iter().all(|&e| m.ix.events[e].is_error()));
    press(&mut a, "c");
    assert!(a.timeline.filters.is_empty() && a.timeline.rows.is_none());
    command(&mut a, "filter-out Describe*");
    assert!(
        shown(&a, &m)
            .iter()
            .all(|&e| !m.ix.field(&m.ix.events[e], tokentrail::index::event::Field::Name).starts_with("Describe"))
    );
    command(&mut a, "nonsense");
    assert!(a.message.as_deref().is_some_and(|s| s.contains("no command")), "{:?}", a.message);
}

#[test]
fn time_windows_around_an_event_absolute_and_of_the_last_hours() {
    let m = model();
    let t = |s: &str| tokentrail::time::parse_time(s).expect("t");
    let mut a = app();
    command(&mut a, "goto 2024-11-30T12:00:07Z");
    press(&mut a, "t");
    let at = t("2024-11-30T12:00:07Z");
    let rows = shown(&a, &m);
    assert!(!rows.is_empty() && rows.iter().all(|&e| (m.ix.events[e].time - at).abs() <= 15 * 60_000), "±15 minutes");
    press(&mut a, "T");
    assert!(a.timeline.filters.is_empty());
    command(&mut a, "time 2024-11-30T09:00 2024-11-30T12:00");
    let rows = shown(&a, &m);
    assert!(
        rows.iter().all(|&e| (t("2024-11-30T09:00:00Z")..t("2024-11-30T12:00:00Z")).contains(&m.ix.events[e].time))
    );
    command(&mut a, "time 2024-11-30 09:12 2024-11-30 09:13");
    assert_eq!(shown(&a, &m).len(), 2, "minute precision, end exclusive; the window replaced the last");
    command(&mut a, "time last 1h");
    let end = m.end_time();
    assert!(shown(&a, &m).iter().all(|&e| m.ix.events[e].time > end - 3_600_000));
    command(&mut a, "time +-5m");
    assert!(a.timeline.filters.len() == 1 && a.message.as_deref().is_some_and(|s| s.contains("time window")));
    command(&mut a, "time yesterday");
    assert!(a.message.as_deref().is_some_and(|s| s.contains("time takes")), "{:?}", a.message);
}

#[test]
fn the_command_prompt_completes_and_remembers() {
    let mut a = app();
    press(&mut a, ":");
    for c in "filter-o".chars() {
        update(&mut a, Action::Input(c));
    }
    press(&mut a, "\t");
    assert!(matches!(&a.overlay, Overlay::Command { text, .. } if text == "filter-out "));
    for c in "Describe*".chars() {
        update(&mut a, Action::Input(c));
    }
    press(&mut a, "\n");
    press(&mut a, ":");
    update(&mut a, Action::Up);
    assert!(matches!(&a.overlay, Overlay::Command { text, .. } if text == "filter-out Describe*"), "history");
    update(&mut a, Action::Down);
    assert!(matches!(&a.overlay, Overlay::Command { text, .. } if text.is_empty()));
    press(&mut a, "\x1b");
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn filters_on_a_large_index_are_worked_out_off_the_ui_thread() {
    let mut a = app();
    a.filter_inline = 0;
    let (tx, rx) = std::sync::mpsc::channel();
    a.worker_tx = Some(tx);
    command(&mut a, "filter-in GetObject");
    assert!(a.timeline.pending, "the keystroke did not wait");
    assert!(draw(&mut a, 200, 50).contains("(filtering…)"));
    command(&mut a, "filter-out part-0001");
    let answers: Vec<Action> =
        (0..2).map(|_| rx.recv_timeout(std::time::Duration::from_secs(10)).expect("rows")).collect();
    for answer in answers {
        update(&mut a, answer);
    }
    assert!(!a.timeline.pending);
    let m = model();
    let direct = super::filter::rows(&m, &a.timeline.filters);
    assert_eq!(a.timeline.rows.as_ref(), Some(&direct), "the latest answer is the one shown");
}

#[test]
fn marks_are_saved_listed_reported_and_removed() {
    let m = model();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    let mut a = app_with_case(&path);
    // Mark the GetSessionToken that minted B (step 5's evidence) and one event outside the steps.
    let gst = (0..m.ix.events.len())
        .find(|&i| m.ix.field(&m.ix.events[i], tokentrail::index::event::Field::Name) == "GetSessionToken")
        .expect("gst");
    a.timeline.selected = gst;
    press(&mut a, "m");
    for c in "B is minted here? q".chars() {
        update(&mut a, Action::Input(c));
    }
    press(&mut a, "\n");
    a.timeline.selected = 3;
    press(&mut a, "m\n");
    let case = tokentrail::checklist::case::Case::load(&path).expect("case");
    assert_eq!(case.marks.len(), 2, "both saved");
    assert!(case.marks.values().any(|k| k.comment == "B is minted here? q"), "q and ? are text in the comment");
    assert!(draw(&mut a, 120, 35).contains("●"), "the timeline shows the mark");
    press(&mut a, "M");
    let list = draw(&mut a, 120, 35);
    assert!(list.contains("GetSessionToken") && list.contains("B is minted here?"), "{list}");
    press(&mut a, "\x1b4x");
    let report = std::fs::read_to_string(dir.path().join("case.report.md")).expect("report");
    let step5 = &report[report.find("### 5.").expect("step 5")..report.find("### 6.").expect("step 6")];
    assert!(step5.contains("Marked by the analyst") && step5.contains("B is minted here?"), "{step5}");
    assert!(report.contains("## Evidence"), "the other mark is in the Evidence section");
    let js: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("case.report.json")).expect("json"))
            .expect("json");
    assert_eq!(js["marks"].as_array().map(Vec::len), Some(2));
    assert!(js["marks"].as_array().expect("marks").iter().any(|k| k["step"] == 5));
    command(&mut a, "mark by command");
    assert!(
        tokentrail::checklist::case::Case::load(&path).expect("case").marks.values().any(|k| k.comment == "by command")
    );
    // d removes the selected event's mark.
    a.timeline.selected = gst;
    press(&mut a, "1d");
    let case = tokentrail::checklist::case::Case::load(&path).expect("case");
    assert_eq!(case.marks.len(), 1, "the GetSessionToken's mark removed; :mark rewrote the other one's comment");
}

#[test]
fn y_copies_a_key_an_event_a_table_or_a_step_and_names_a_file_too() {
    let k = keys();
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app_with_case(&dir.path().join("case.json"));
    let m = model();
    let gst = (0..m.ix.events.len())
        .find(|&i| m.ix.field(&m.ix.events[i], tokentrail::index::event::Field::Name) == "GetSessionToken")
        .expect("gst");
    a.timeline.selected = gst;
    let pick = |a: &mut App, n: usize| {
        press(a, "y");
        for _ in 0..n {
            press(a, "j");
        }
        press(a, "\n");
        a.clipboard.take().expect("copied")
    };
    press(&mut a, "1");
    assert_eq!(pick(&mut a, 0), k.key_a, "the key");
    let json = pick(&mut a, 3);
    assert!(
        json.contains("\"GetSessionToken\"") && json.contains("<redacted>") && !json.contains("IQoJb3JpZ2lu"),
        "{json}"
    );
    let file = std::fs::read_to_string(dir.path().join("tokentrail-clipboard.txt")).expect("the file beside the case");
    assert_eq!(file, json);
    assert!(a.message.as_deref().is_some_and(|s| s.contains("tokentrail-clipboard.txt")), "{:?}", a.message);
    command(&mut a, "filter-in name=AssumeRole");
    let table = pick(&mut a, 4);
    assert!(
        table.starts_with("| time | event |") && table.lines().skip(2).all(|l| l.contains("AssumeRole")),
        "{table}"
    );
    let tsv = pick(&mut a, 5);
    assert!(tsv.lines().next().is_some_and(|l| l.split('\t').count() == 7));
    press(&mut a, "4jjjj");
    let step = pick(&mut a, 0);
    assert!(step.starts_with("### 5.") && step.contains(&k.key_b), "{step}");
}

#[test]
fn a_note_has_lines_a_cursor_and_takes_q_and_question_marks_as_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("case.json");
    let mut a = app_with_case(&path);
    press(&mut a, "4i");
    for c in "line two? q".chars() {
        update(&mut a, Action::Input(c));
    }
    // Home, then "line one" and a break before it (Alt-Enter, as the terminal sends it).
    update(&mut a, Action::LineStart);
    for c in "line one".chars() {
        update(&mut a, Action::Input(c));
    }
    let alt_enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT);
    let action = super::input::key_to_action(&a, &alt_enter).expect("an action");
    update(&mut a, action);
    update(&mut a, Action::WordRight);
    update(&mut a, Action::Newline);
    update(&mut a, Action::Up);
    assert!(draw(&mut a, 120, 35).contains("new line"));
    press(&mut a, "\n");
    let note = tokentrail::checklist::case::Case::load(&path).expect("case").step(1).note;
    assert_eq!(note, "line one\nline\n two? q");
    assert!(!a.quit, "q in a note is text");
}

#[test]
fn a_search_on_a_large_index_runs_off_the_ui_thread() {
    let mut a = app();
    a.filter_inline = 0;
    let (tx, rx) = std::sync::mpsc::channel();
    a.worker_tx = Some(tx);
    press(&mut a, "1/AssumeRole\n");
    assert!(a.search.as_ref().is_some_and(|s| s.pending.is_some()), "the keystroke did not wait");
    assert!(draw(&mut a, 200, 50).contains("/AssumeRole: searching…"));
    let answer = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("matches");
    update(&mut a, answer);
    let s = a.search.clone().expect("search");
    assert!(s.pending.is_none() && !s.matches.is_empty());
    let m = model();
    let e = a.timeline.selected_event(&m).expect("selected");
    assert!(
        m.ix.field(&m.ix.events[e], tokentrail::index::event::Field::Name).starts_with("AssumeRole"),
        "moved to the first match"
    );
}

#[test]
fn the_histogram_has_an_axis_a_cursor_and_the_filtered_events_against_all() {
    let mut a = app();
    draw(&mut a, 120, 35);
    let h = a.histogram.clone();
    assert_eq!(h.all.len(), 70, "a bin a column of the pane");
    assert_eq!(h.all, h.shown, "no filter: every event is shown");
    assert_eq!(h.cursor, Some(0), "the first event is selected");
    command(&mut a, "filter-in name=GetObject");
    draw(&mut a, 120, 35);
    let h = a.histogram.clone();
    assert!(h.shown.iter().zip(&h.all).all(|(s, t)| s <= t) && h.shown.iter().sum::<u64>() < h.all.iter().sum::<u64>());
    assert_eq!(h.shown.iter().sum::<u64>() as usize, a.timeline.len(&model()));
    let screen = draw(&mut a, 120, 35);
    assert!(screen.contains("2024-11-28 08:02:23") && screen.contains("bin 54 min"), "{screen}");
    press(&mut a, "H");
    let zoomed = draw(&mut a, 120, 35);
    assert!(zoomed.contains("zoomed to the screen") && a.histogram.bin_ms < h.bin_ms, "{zoomed}");
}

/// The timeline, tree and detail at a laptop's split screen, a laptop's and a desktop's.
#[test]
fn screens_at_three_sizes_match_snapshots() {
    let k = keys();
    let m = model();
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let mut a = app();
        a.tree.select_node(m.lin.nodes_with_key(&m.ix, &k.key_c)[0]);
        press(&mut a, "2r1");
        command(&mut a, "goto 2024-11-30T12:04:10Z");
        insta::assert_snapshot!(format!("screen_{w}x{h}"), draw(&mut a, w, h));
    }
}
