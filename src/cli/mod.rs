//! Command line: the headless subcommands (their flags: `args`).

mod args;
pub use args::{Cli, Command};

use std::io::Write;
use std::path::PathBuf;
use tokentrail::answer;
use tokentrail::index::Query;
use tokentrail::lineage::Lineage;
use tokentrail::loader;
use tokentrail::loader::Loaded;
use tokentrail::loader::report::LoadReport;
use tokentrail::time::{parse_bound, unreadable_time};

/// Loads paths, or the embedded sample when there are none; only the events in `window`
/// count.
pub fn load(paths: &[PathBuf], window: loader::Window) -> Loaded {
    if paths.is_empty() {
        loader::load_sources_within(tokentrail::loader::sample::sources(), window)
    } else {
        loader::load_paths_within(paths, window)
    }
}

/// The names of the subcommands, for a message that lists them.
pub fn subcommand_names() -> Vec<String> {
    use clap::CommandFactory;
    Cli::command().get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_string()).collect()
}

fn bad_usage(msg: &str) -> i32 {
    eprintln!("tokentrail: {msg}");
    2
}

/// Runs a subcommand; returns the process exit code.
pub fn run(cmd: Command) -> i32 {
    let common = match &cmd {
        Command::Stats(c) | Command::Suspects { common: c, .. } => c.clone(),
        Command::BenchRender { .. } => return bad_usage("bench-render is run by `cargo bench --bench load`"),
        Command::Sql { root, key, engine, table, since, until } => {
            return sql(root.clone(), key.clone(), engine.clone(), table.clone(), since.clone(), until.clone());
        }
        Command::Lineage { common, .. }
        | Command::BlastRadius { common, .. }
        | Command::Detections { common, .. }
        | Command::Events { common, .. }
        | Command::Checklist { common, .. }
        | Command::Whatif { common, .. } => common.clone(),
    };
    let time = |s: &Option<String>| -> Result<Option<i64>, String> {
        s.as_deref().map(|v| parse_bound(v).ok_or_else(|| unreadable_time(v))).transpose()
    };
    let window = match (time(&common.since), time(&common.until)) {
        (Ok(since), Ok(until)) => loader::Window { since, until },
        (Err(e), _) | (_, Err(e)) => return bad_usage(&e),
    };
    // The moment asked about (what-if, the checklist's "still live").
    let at = match &cmd {
        Command::Whatif { at, .. } | Command::Checklist { at: Some(at), .. } => match parse_bound(at) {
            Some(t) => Some(t),
            None => return bad_usage(&unreadable_time(at)),
        },
        _ => None,
    };
    let ix = load(&common.paths, window);
    let mut out = String::new();
    match cmd {
        Command::Stats(_) => {
            let m = model(ix);
            let a = answer::stats::StatsAnswer::new(&m);
            out = if common.json { a.json() } else { a.text() };
            return finish(&out, &m.report, m.ix.events.len(), common.json);
        }
        Command::Lineage { key, .. } => {
            let lin = Lineage::build(&ix);
            out = if common.json {
                answer::lineage::json_text(&ix, &lin, &key)
            } else {
                answer::lineage::text(&ix, &lin, &key)
            };
            if lin.nodes_with_key(&ix, &key).is_empty() && !ix.events.is_empty() {
                // The (empty) answer is printed, for scripts that read it; the code says why.
                let _ = finish(&out, &ix.report, ix.events.len(), common.json);
                return not_in_logs(&key);
            }
        }
        Command::Events { key, principal, name, ip, full, .. } => {
            if full && !common.json {
                return bad_usage("--full adds JSON fields: give --json too");
            }
            if let Some(Err(why)) = ip.as_deref().and_then(tokentrail::index::cidr::Cidr::parse) {
                return bad_usage(&format!("--ip: {why}"));
            }
            let q = Query { key, principal, name, ip, since: None, until: None };
            let chosen: Vec<&tokentrail::index::event::Event> =
                ix.select(&q).into_iter().map(|i| &ix.events[i as usize]).collect();
            let raw = if full { loader::raw_texts(&ix.sources, &chosen) } else { Vec::new() };
            for (k, e) in chosen.iter().enumerate() {
                out.push_str(&if common.json {
                    let a = answer::events::EventAnswer::new(&ix, e);
                    let a = if full { a.with_full(raw.get(k).and_then(|r| r.as_deref().ok())) } else { a };
                    a.json_line()
                } else {
                    answer::events::text_line(&ix, e)
                });
                out.push('\n');
            }
        }
        Command::BlastRadius { key, rules, .. } => {
            let m = model(ix);
            let Some(node) = m.lin.node_for_key(&m.ix, &key) else {
                return no_root(&m, Some(&key), "");
            };
            let b = tokentrail::blast::of(&m, node);
            let det = detections(&m, &rules);
            let a = answer::blast::BlastAnswer::new(&m, node, &b, &det);
            out = if common.json { a.json() } else { a.text() };
            return finish(&out, &m.report, m.ix.events.len(), common.json);
        }
        Command::Detections { rules, .. } => {
            let m = model(ix);
            let det = tokentrail::detect::Detections::run(&m, tokentrail::detect::RuleSet::load(&rules));
            let a = answer::detections::DetectionsAnswer::new(&m, &det);
            out = if common.json { a.json() } else { a.text() };
            return finish(&out, &m.report, m.ix.events.len(), common.json);
        }
        Command::Suspects { min_score, limit, rules, .. } => {
            let m = model(ix);
            let det = detections(&m, &rules);
            let ranked = tokentrail::detect::suspects::with_detections(&m.ix, &m.lin, &m.suspects, &det);
            let chosen: Vec<_> = ranked
                .iter()
                .filter(|s| min_score.is_none_or(|n| s.score >= n))
                .take(limit.unwrap_or(usize::MAX))
                .cloned()
                .collect();
            let a = answer::suspects::SuspectsAnswer::new(&m.ix, &m.lin, &chosen);
            out = if common.json { a.json() } else { a.text() };
            return finish(&out, &m.report, m.ix.events.len(), common.json);
        }
        Command::Checklist { root, case, format, .. } => {
            let m = model(ix);
            let case_path = case.unwrap_or_else(|| tokentrail::checklist::case::default_path(&common.paths));
            let notes = match tokentrail::checklist::case::Case::load(&case_path) {
                Ok(c) => c,
                Err(e) => return fail(&e),
            };
            let asked = root.as_deref().or(notes.root.as_deref());
            let Some(r) = tokentrail::checklist::pick_root(&m, asked) else {
                return no_root(&m, asked, "no suspect to anchor the case on: give --root KEY");
            };
            if let Some(why) = notes.root_conflict(&r.access_key_id) {
                return bad_usage(&format!(
                    "case file {}: {why}; give --root {} or another --case (the file is left as it is)",
                    case_path.display(),
                    notes.root.as_deref().unwrap_or_default()
                ));
            }
            if let Some(why) = notes.sources.as_ref().and_then(|_| notes.sources_mismatch(&m.fingerprint())) {
                eprintln!("tokentrail: warning: case file {}: {why}", case_path.display());
            }
            if let Some(k) = &r.resolved_from {
                eprintln!("tokentrail: {k} is below root {}: the checklist is the root's", r.access_key_id);
            }
            let list = tokentrail::checklist::evaluate_at(&m, r, at.unwrap_or_else(|| m.end_time()));
            let format = format.unwrap_or_else(|| if common.json { "json".into() } else { "text".into() });
            out = match format.as_str() {
                "json" => answer::checklist::ChecklistAnswer::new(&m, &list, &notes).json(),
                "md" => answer::checklist::markdown(&m, &list, &notes),
                _ => answer::checklist::ChecklistAnswer::new(&m, &list, &notes).text(),
            };
            return finish(&out, &m.report, m.ix.events.len(), format == "json");
        }
        Command::Whatif { root, .. } => {
            let m = model(ix);
            let Some(r) = tokentrail::checklist::pick_root(&m, root.as_deref()) else {
                return no_root(&m, root.as_deref(), "no root: give --root KEY (a permanent key in the logs)");
            };
            let w = tokentrail::checklist::whatif::what_if(&m, &r, at.unwrap_or(0));
            let a = answer::whatif::WhatIfAnswer::new(&m, &r, &w);
            out = if common.json { a.json() } else { a.text() };
            return finish(&out, &m.report, m.ix.events.len(), common.json);
        }
        Command::BenchRender { .. } | Command::Sql { .. } => {}
    }
    let code = finish(&out, &ix.report, ix.events.len(), common.json);
    std::mem::forget(ix); // as in `model`
    code
}

/// The model an answer is read from. Never freed: the process exits right after answering,
/// and handing ~100 MB of index back to the allocator first costs ~10 ms at 1M events.
fn model(ix: Loaded) -> std::mem::ManuallyDrop<tokentrail::model::Model> {
    std::mem::ManuallyDrop::new(tokentrail::model::Model::new(ix))
}

fn sql(
    root: String,
    keys: Vec<String>,
    engine: String,
    table: String,
    since: Option<String>,
    until: Option<String>,
) -> i32 {
    use tokentrail::sql::{Closure, Engine, closure_sql};
    let time = |s: &Option<String>| s.as_deref().map(|v| parse_bound(v).ok_or_else(|| unreadable_time(v))).transpose();
    let (since, until) = match (time(&since), time(&until)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return bad_usage(&e),
    };
    let engine = if engine == "athena" { Engine::Athena } else { Engine::DuckDb };
    let mut roots = vec![root];
    roots.extend(keys);
    match closure_sql(engine, &Closure { roots: &roots, table: &table, since, until }) {
        Ok(s) => {
            println!("{s};");
            0
        }
        Err(e) => bad_usage(&e),
    }
}

/// No credential to answer about: nothing loaded (exit 1), the key or name asked for is not
/// in the logs (`not_in_logs`), or none was asked for and none could be chosen (`none`).
fn no_root(m: &tokentrail::model::Model, asked: Option<&str>, none: &str) -> i32 {
    match asked {
        _ if m.ix.events.is_empty() => finish("", &m.report, 0, false),
        Some(k) => not_in_logs(k),
        None => fail(none),
    }
}

/// A key or name the logs do not hold: exit 3 when it is well-formed (an access key id, or
/// an IAM user name that does not look like a mistyped key), else bad usage (exit 2).
fn not_in_logs(what: &str) -> i32 {
    use tokentrail::cloudtrail::ids::{is_iam_name, is_well_formed_key};
    let key_like = what.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let shown = tokentrail::text::sanitize(what);
    if is_well_formed_key(what) || (is_iam_name(what) && !key_like) {
        eprintln!("tokentrail: {shown} is not in the loaded logs");
        3
    } else {
        bad_usage(&format!(
            "{shown:?} is not an access key id (AKIA…/ASIA… and 16 more characters) nor an IAM user name"
        ))
    }
}

fn fail(msg: &str) -> i32 {
    eprintln!("tokentrail: {msg}");
    1
}

/// Writes an answer. Whatever a log held, nothing in it acts on the terminal: text goes
/// through the sanitiser (values were sanitised where they were written; this is the net),
/// and JSON, whose strings serde escapes only below U+0020, has DEL, C1 controls and
/// invisible characters escaped too (`\u009b`): the same JSON value, safe to print.
fn finish(out: &str, report: &LoadReport, events: usize, json: bool) -> i32 {
    let safe = if json { tokentrail::text::json_for_terminal(out) } else { tokentrail::text::sanitize_lines(out) };
    let _ = std::io::stdout().lock().write_all(safe.as_bytes());
    let nothing = events == 0 && report.files_read == 0 && report.files_skipped == 0;
    if nothing {
        eprintln!("tokentrail: nothing could be loaded");
        for p in &report.problems {
            eprintln!("  {}: {}", tokentrail::text::sanitize(&p.path), tokentrail::text::sanitize(&p.reason));
        }
        return 1;
    }
    0
}

/// The project's rules and those of `dirs` over the model; each rule that could not be read
/// is named on stderr (`detections --json` lists them).
fn detections(m: &tokentrail::model::Model, dirs: &[PathBuf]) -> tokentrail::detect::Detections {
    let det = tokentrail::detect::Detections::run(m, tokentrail::detect::RuleSet::load(dirs));
    for (path, why) in &det.rules.failed {
        eprintln!(
            "warning: Sigma rule {} not used: {}",
            tokentrail::text::sanitize(path),
            tokentrail::text::sanitize(why)
        );
    }
    det
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand's `--help` explains every flag and argument.
    #[test]
    fn every_flag_is_explained() {
        let cli = Cli::command();
        let mut missing = Vec::new();
        for cmd in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in cmd.get_arguments().filter(|a| !matches!(a.get_id().as_str(), "help" | "version")) {
                if arg.get_help().is_none() {
                    missing.push(format!("{} {}", cmd.get_name(), arg.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "flags without help: {missing:?}");
    }
}
