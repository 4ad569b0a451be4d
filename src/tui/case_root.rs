//! Choosing the checklist's root in the workbench, and the rule that a case file belongs to
//! one root: a root other than the case's is a choice (keep the case's root, or start a new
//! case file beside it), never a rewrite of the case.

use super::app::{App, Overlay};
use std::path::{Path, PathBuf};
use tokentrail::checklist::case::CaseFile;
use tokentrail::checklist::{Root, evaluate, pick_root};
use tokentrail::lineage::Kind;
use tokentrail::model::Model;
use tokentrail::text::sanitize;

/// The two answers to "this case belongs to another root".
pub const CHOICES: [&str; 2] = ["keep the case's root", "start a new case file beside it"];

/// `R` on a credential (the tree's, or a suspect's): it becomes the checklist's root, unless
/// it has a root above it (an `ASIA` key minted by a credential in the logs: its root is
/// named), or the case belongs to another root (then the analyst chooses).
pub fn set_root(app: &mut App, m: &Model, node: usize) {
    let n = &m.lin.nodes[node];
    let key = m.ix.str(n.key).to_string();
    if !n.is_root() {
        let top = m.lin.root_of(node);
        let t = &m.lin.nodes[top];
        let what = if t.kind == Kind::Permanent { "its root is the permanent key" } else { "its chain starts at" };
        app.message = Some(format!(
            "{} is a temporary credential: {what} {} ({}): set that as the root",
            sanitize(&key),
            sanitize(m.ix.str(t.key)),
            sanitize(tokentrail::cloudtrail::ids::short_arn(m.ix.str(t.principal)))
        ));
        return;
    }
    let Some(root) = pick_root(m, Some(&key)) else {
        app.message = Some(format!("{} cannot anchor a case", sanitize(&key)));
        return;
    };
    match app.case.root_conflict(&root.access_key_id) {
        Some(_) => app.overlay = Overlay::CaseRoot { wanted: root.access_key_id, selected: 0 },
        None => show_root(app, m, root),
    }
}

/// The checklist on `root`; the case is bound to it at its next save.
pub fn show_root(app: &mut App, m: &Model, root: Root) {
    app.message = Some(format!("checklist root: {} ({})", sanitize(&root.access_key_id), sanitize(&root.user_arn)));
    app.checklist = Some(evaluate(m, root));
    app.step_what_if = None;
    app.checklist_selected = 0;
}

/// The analyst's answer to the case-root question.
pub fn choose(app: &mut App, m: &Model, wanted: &str, choice: usize) {
    if choice == 0 {
        app.message = Some(format!(
            "kept the case's root {} (its notes stay with it)",
            sanitize(app.case.root.as_deref().unwrap_or_default())
        ));
        return;
    }
    let path = new_case_path(&app.case_file.path, wanted);
    let (file, case) = CaseFile::open(&path);
    if let Some(why) = &file.blocked {
        app.message = Some(format!("{why}: kept the case's root"));
        return;
    }
    if let Some(why) = case.root_conflict(wanted) {
        app.message = Some(format!("{}: {why}: kept the current case", path.display()));
        return;
    }
    let Some(root) = pick_root(m, Some(wanted)) else { return };
    app.case_file = file;
    app.case = case;
    app.case_warning = app.case.sources.is_some().then(|| app.case.sources_mismatch(&m.fingerprint())).flatten();
    show_root(app, m, root);
    app.message = Some(format!("new case file {} for root {}", path.display(), sanitize(wanted)));
}

/// The case file for another root, beside the current one: `tokentrail-case-<KEY>.json`.
pub fn new_case_path(current: &Path, key: &str) -> PathBuf {
    let safe: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    current.with_file_name(format!("tokentrail-case-{safe}.json"))
}
