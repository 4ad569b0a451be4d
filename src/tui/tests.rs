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

pub(super) fn model() -> Arc<Model> {
    static M: OnceLock<Arc<Model>> = OnceLock::new();
    M.get_or_init(|| {
        Arc::new(Model::new(tokentrail::loader::load_sources(tokentrail::loader::sample::sources(), &mut |_| {})))
    })
    .clone()
}

pub(super) fn keys() -> tokentrail::synth::Incident {
    tokentrail::synth::incident(tokentrail::synth::incident::SAMPLE_SEED, tokentrail::synth::incident::SAMPLE_NOISE)
}

pub(super) fn app() -> App {
    let dir =
        std::env::temp_dir().join(format!("tokentrail-test-{}-{:?}", std::process::id(), std::thread::current().id()));
    let mut a = App::new(Keymap::defaults(), Theme { color: false }, dir.join("case.json"), None);
    update(&mut a, Action::Loaded(model()));
    a
}

/// The terminal is `w`×`h` (as a resize says), then one frame is drawn: its text.
pub(super) fn draw(a: &mut App, w: u16, h: u16) -> String {
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
pub(super) fn press(a: &mut App, keys: &str) {
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
        rows.iter().map(|&e| m.ix.text(&m.ix.events[e as usize], tokentrail::index::event::Field::Key)).collect();
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
    assert_eq!(m.ix.text(&m.ix.events[ev], tokentrail::index::event::Field::Name), "PutRolePolicy");
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
            .position(|e| m.ix.text(e, tokentrail::index::event::Field::Name) == "GetSessionToken")
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
pub(super) fn app_with_case(path: &std::path::Path) -> App {
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

/// Past the last step, the checklist pane scrolls on row by row through what follows it
/// (its commands, then the persistence block), no further than its end, and back up before
/// the selection moves.
#[test]
fn past_the_last_step_the_checklist_scrolls_on_and_back() {
    let mut a = app();
    press(&mut a, "4jjjjj");
    let at_last = draw(&mut a, 120, 35);
    assert!(at_last.contains("▶ 6."), "{at_last}");
    assert!(!at_last.contains("✚ trust-policy"), "the persistence block is below the pane: {at_last}");
    let mut met = false;
    for _ in 0..60 {
        press(&mut a, "j");
        met |= draw(&mut a, 120, 35).contains("✚ trust-policy");
    }
    let scrolled = draw(&mut a, 120, 35);
    assert!(met, "the persistence block came on screen on the way");
    // The end: the last persistence item's last command.
    assert!(scrolled.contains("# the trust it had before:"), "{scrolled}");
    assert!(scrolled.contains("still usable just after step 6"), "the what-if stays on top: {scrolled}");
    assert_eq!(a.checklist_selected, 5);
    assert!(a.checklist_below < 60, "no further than the end: {}", a.checklist_below);
    let room = a.checklist_below;
    press(&mut a, &"k".repeat(room));
    assert_eq!((a.checklist_selected, a.checklist_below), (5, 0));
    press(&mut a, "k");
    assert_eq!(a.checklist_selected, 4);
}
