//! Key-replay and render tests for the analyst's everyday moves (issue 19): filters, time windows, the command prompt, marks, copy, notes, the laptop-sized screen.

use super::action::Action;
use super::app::{App, Overlay};
use super::keymap::Keymap;
use super::tests::{app, app_with_case, draw, keys, model, press};
use super::theme::Theme;
use super::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use tokentrail::model::Model;

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
            && m.ix.text(&m.ix.events[e], tokentrail::index::event::Field::Name) != "GetObject")
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
            .all(|&e| !m.ix.text(&m.ix.events[e], tokentrail::index::event::Field::Name).starts_with("Describe"))
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
        .find(|&i| m.ix.text(&m.ix.events[i], tokentrail::index::event::Field::Name) == "GetSessionToken")
        .expect("gst");
    a.timeline.selected = gst;
    press(&mut a, "m");
    for c in "B is minted here? q".chars() {
        update(&mut a, Action::Input(c));
    }
    press(&mut a, "\n");
    let first = a.detail.lines.first().map(|l| l.to_string()).unwrap_or_default();
    assert_eq!(first, "● marked as evidence: B is minted here? q", "the detail pane shows the mark");
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
        .find(|&i| m.ix.text(&m.ix.events[i], tokentrail::index::event::Field::Name) == "GetSessionToken")
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
        m.ix.text(&m.ix.events[e], tokentrail::index::event::Field::Name).contains("AssumeRole"),
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

/// Issue 20 (begun): `b` shows what the selected credential and all it reaches planted, and
/// the data it touched; the tree marks the credential that wrote it and the key it planted.
#[test]
fn b_shows_the_blast_radius_and_the_tree_marks_persistence() {
    let k = keys();
    let m = model();
    let mut a = app();
    a.tree.select_node(m.lin.nodes_with_key(&m.ix, &k.key_a)[0]);
    press(&mut a, "2b");
    let screen = draw(&mut a, 200, 50);
    assert!(
        screen.contains("blast radius of") && screen.contains("access-key") && screen.contains("trust-policy"),
        "{screen}"
    );
    assert!(screen.contains("acme-customer-exports"), "the data touched");
    // And where key A's own calls came from: the address its first call was made from.
    let a_node = &m.lin.nodes[m.lin.nodes_with_key(&m.ix, &k.key_a)[0]];
    let first = m.ix.session_events(a_node.session.expect("A made calls"))[0];
    let address = m.ix.addr(m.ix.events[first as usize].source_ip()).to_string();
    assert!(screen.contains(&format!("{}'s own calls, by source address: ", k.key_a)), "{screen}");
    assert!(screen.lines().any(|l| l.contains(" failed  ") && l.contains(&address)), "{address} in {screen}");
    // Then where the calls of A and all below it came from: B's address too, which A never
    // called from, with as many sessions as the blast radius's own count.
    let b_node = &m.lin.nodes[m.lin.nodes_with_key(&m.ix, &k.key_b)[0]];
    let b_first = m.ix.session_events(b_node.session.expect("B made calls"))[0];
    let b_address = m.ix.addr(m.ix.events[b_first as usize].source_ip()).to_string();
    assert_ne!(b_address, address, "the sample's attacker calls from elsewhere");
    let reach = tokentrail::blast::of(&m, m.lin.nodes_with_key(&m.ix, &k.key_a)[0]).sources;
    let tall = draw(&mut a, 200, 90);
    let head =
        format!("The calls of {} and everything below it ({} sessions), by source address: ", k.key_a, reach.sessions);
    let at = tall.find(&head).unwrap_or_else(|| panic!("{head} in {tall}"));
    assert!(tall[at..].lines().any(|l| l.contains(" failed  ") && l.contains(&b_address)), "{b_address} in {tall}");
    press(&mut a, "\n");
    let e = a.timeline.selected_event(&m).expect("went to the write");
    assert_eq!(m.ix.text(&m.ix.events[e], tokentrail::index::event::Field::Name), "CreateAccessKey");
    let b = m.lin.nodes_with_key(&m.ix, &k.key_b)[0];
    let planted = m.lin.nodes_with_key(&m.ix, &k.key_planted)[0];
    assert!(a.tree.labels.iter().any(|(_, l)| l.contains(&k.key_b) && l.contains("✚ persistence")), "B wrote it");
    assert!(
        a.tree.labels.iter().any(|(_, l)| l.contains(&k.key_planted) && l.contains(&format!("created by {}", k.key_b)))
    );
    assert_eq!(m.lin.nodes[planted].created_by, Some(b));
    // Off the UI thread when the workbench has a worker.
    let (tx, rx) = std::sync::mpsc::channel();
    a.worker_tx = Some(tx);
    press(&mut a, "2b");
    assert!(draw(&mut a, 200, 50).contains("reading the lineage's events again"));
    let answer = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("radius");
    update(&mut a, answer);
    assert!(draw(&mut a, 200, 50).contains("trust-policy"));
}

/// Issue 20: the Sigma hits are pinned where the analyst looks — the tree row of the
/// credential whose events matched, the detail pane of the event, the suspects, the blast
/// radius (a row that goes to its event) — and, with a worker, arrive after the load.
#[test]
fn sigma_hits_show_on_the_tree_the_detail_the_suspects_and_the_blast_radius() {
    let k = keys();
    let m = model();
    let mut a = app();
    assert!(a.tree.labels.iter().any(|(_, l)| l.contains(&k.key_b) && l.contains("⚡2 sigma (high)")), "B's row");
    // The defender set the role's trust before the incident: the rule as written flags it too.
    assert!(a.tree.labels.iter().any(|(_, l)| l.contains(&k.admin_key) && l.contains("⚡1 sigma (medium)")));
    press(&mut a, "s");
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("Sigma rule \"tokentrail - Access key created for another user\" (high)"), "{screen}");
    press(&mut a, "\x1b");
    a.tree.select_node(m.lin.nodes_with_key(&m.ix, &k.key_a)[0]);
    press(&mut a, "2b");
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("detections: 2"), "{screen}");
    let writes = match &a.overlay {
        Overlay::Blast { radius: Some(r), .. } => r.persistence.len(),
        other => panic!("{other:?}"),
    };
    // The first detection row, below the writes: Enter goes to the event it matched.
    for _ in 0..writes {
        press(&mut a, "j");
    }
    press(&mut a, "\n");
    let e = a.timeline.selected_event(&m).expect("went to the hit");
    assert_eq!(m.ix.text(&m.ix.events[e], tokentrail::index::event::Field::Name), "CreateAccessKey");
    a.focus = super::action::Pane::Detail;
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("Sigma (high): tokentrail - Access key created for another user"), "{screen}");
    // With a worker, the hits come after the load, and only for the model they were found on.
    let (tx, rx) = std::sync::mpsc::channel();
    a.worker_tx = Some(tx);
    update(&mut a, Action::Loaded(m.clone()));
    assert!(a.detecting && a.detections.is_none());
    assert!(draw(&mut a, 200, 50).contains("Sigma rules running"));
    let answer = rx.recv_timeout(std::time::Duration::from_secs(20)).expect("detections");
    update(&mut a, answer);
    assert!(a.detections.is_some() && !a.detecting);
    assert!(draw(&mut a, 200, 50).contains("sigma hits"));
}

/// Issue 20: below the six steps the checklist pane lists what the lineage planted and no
/// later event undid, and (focused) the command that undoes each — the trust put back as it was.
#[test]
fn the_checklist_pane_lists_open_persistence_with_what_undoes_it() {
    let k = keys();
    let mut a = app();
    press(&mut a, "4z");
    let screen = draw(&mut a, 200, 50);
    assert!(screen.contains("persistence: 2 open"), "{screen}");
    assert!(
        screen.contains(&format!("aws iam delete-access-key --user-name backup-svc --access-key-id {}", k.key_planted))
    );
    assert!(screen.contains("aws iam update-assume-role-policy --role-name MyBucketRole"), "{screen}");
}
