//! What leaves the workbench: the exported report and the saved case file (the clipboard: `copy`).

use super::app::App;
use tokentrail::model::Model;

pub fn export(app: &mut App, m: &Model) {
    let Some(list) = app.checklist.as_ref() else {
        app.message = Some("no case root: nothing to export".into());
        return;
    };
    let md = tokentrail::answer::checklist::markdown(m, list, &app.case);
    let json = tokentrail::answer::checklist::ChecklistAnswer::new(m, list, &app.case).json();
    let path = report_path(&app.case_file.path);
    let json_path = path.with_extension("json");
    let written = std::fs::write(&path, md).and_then(|()| std::fs::write(&json_path, json));
    app.message = Some(match written {
        Ok(()) => format!("report written to {} and {}", path.display(), json_path.display()),
        Err(e) => format!("cannot write {} / {}: {e}", path.display(), json_path.display()),
    });
}

/// The report beside the case file, `case.report.md` for `case.json` (its JSON export is
/// `case.report.json`): never the case file itself.
pub fn report_path(case: &std::path::Path) -> std::path::PathBuf {
    case.with_extension("report.md")
}

/// Saves the case file now; failures are shown, never silent, and remembered until a save
/// succeeds (quitting asks once more).
pub fn save_case(app: &mut App, done: String) {
    // A case is bound to its root and logs at its first save; a bound one keeps its binding.
    if let Some(c) = &app.checklist {
        if let Some(why) = app.case.root_conflict(&c.root.access_key_id) {
            app.message = Some(format!("NOT SAVED: {why} ({})", app.case_file.path.display()));
            app.unsaved = true;
            return;
        }
        let unbound = app.case.sources.is_none();
        let sources = app.model.as_ref().filter(|_| app.progress.done && unbound).map(|m| m.fingerprint());
        app.case.bind(&c.root.access_key_id, sources.as_deref());
    }
    let result = app.case_file.save(&mut app.case);
    app.unsaved = result.is_err();
    app.message = Some(match result {
        Ok(tokentrail::checklist::case::Saved::Written) => format!("{done} · saved"),
        Ok(tokentrail::checklist::case::Saved::Merged) => {
            format!("{done} · saved, merged with notes another workbench saved to this case file")
        }
        Err(e) => format!("NOT SAVED to {}: {e}", app.case_file.path.display()),
    });
}
