//! Key-replay and render tests for the checklist's root and the case file's owner (issue 17).

use super::action::Action;
use super::app::{App, Overlay};
use super::keymap::Keymap;
use super::tests::{app_with_case, draw, keys, model, press};
use super::theme::Theme;
use super::update::update;
use std::sync::Arc;

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
