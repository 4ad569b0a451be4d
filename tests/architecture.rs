//! The layering README's architecture section draws, checked on the source: the model's
//! layers import only those below them, and no two files import each other (directly or
//! round a circle), a `mod.rs` and its own children aside. Test code is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, by module path (`loader::extract`), with its non-test text.
fn sources() -> BTreeMap<Vec<String>, (PathBuf, String)> {
    fn visit(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                visit(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    // The checkout being tested (cargo sets it when the test runs): a test binary reused from
    // another checkout sharing the target directory must read this one's sources.
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let src = root.join("src");
    let mut files = Vec::new();
    visit(&src, &mut files);
    let mut out = BTreeMap::new();
    for p in files {
        let rel = p.strip_prefix(&src).expect("below src").with_extension("");
        let mut module: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
        if module.last().is_some_and(|m| m == "mod" || m == "lib" || m == "main") {
            module.pop();
        }
        if module.iter().any(|m| m == "tests" || m.starts_with("tests_") || m == "snapshots") {
            continue; // test modules
        }
        let text = std::fs::read_to_string(&p).expect("readable");
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        out.insert(module, (p, code));
    }
    out
}

/// The module paths a file names: `crate::a::b::{c, d::e}` and `super::x`, as written.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (start, prefix) in [("crate::", None), ("super::", Some(()))] {
        let mut rest = code;
        while let Some(i) = rest.find(start) {
            let before = rest[..i].chars().last();
            rest = &rest[i + start.len()..];
            if before.is_some_and(ident) {
                continue; // `my_crate::` or `xsuper::`
            }
            let path: String = rest.chars().take_while(|&c| ident(c) || c == ':').collect();
            let mut base: Vec<String> = match prefix {
                None => Vec::new(),
                // `super` of `a/b.rs` is `a`; of `a/b/mod.rs` it is `a` as well.
                Some(()) => module[..module.len().saturating_sub(1)].to_vec(),
            };
            base.extend(path.split("::").filter(|s| !s.is_empty() && *s != "super").map(String::from));
            // A group: `crate::a::{b, c::d}`.
            let after = &rest[path.len()..];
            if (path.is_empty() || path.ends_with("::")) && after.starts_with('{') {
                let group: String = after[1..].chars().take_while(|&c| c != '}').collect();
                for item in group.split(',') {
                    let item = item.trim().split(' ').next().unwrap_or("").trim_start_matches('{');
                    let mut p = base.clone();
                    p.extend(item.split("::").filter(|s| !s.is_empty()).map(String::from));
                    out.push(p);
                }
            }
            out.push(base);
        }
    }
    out
}

/// The file a path lands in: the longest prefix that is a module.
fn resolve<'a>(files: &'a BTreeMap<Vec<String>, (PathBuf, String)>, path: &[String]) -> Option<&'a Vec<String>> {
    (1..=path.len()).rev().find_map(|n| files.get_key_value(&path[..n]).map(|(k, _)| k))
}

type Graph = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

/// File → files it imports, for the library (`src/lib.rs` below) or the binary (`main.rs`
/// below: `cli`, `tui`), whose `crate::` paths mean different roots.
fn graph() -> Graph {
    let files = sources();
    let binary = |m: &[String]| m.first().is_some_and(|f| f == "cli" || f == "tui");
    let mut g = Graph::new();
    for (module, (_, code)) in &files {
        let edges = g.entry(module.clone()).or_default();
        for r in references(module, code) {
            if let Some(target) = resolve(&files, &r)
                && target != module
                && binary(target) == binary(module)
            {
                edges.insert(target.clone());
            }
        }
    }
    g
}

/// A module's own file and its children (`a` and `a::b`) may import each other.
fn parent_and_child(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[test]
fn no_two_files_import_each_other_round_a_circle() {
    let g = graph();
    // Each edge a → b that is not parent/child: is there a path b → … → a?
    let mut circles = Vec::new();
    for (a, targets) in &g {
        for b in targets.iter().filter(|b| !parent_and_child(a, b)) {
            let mut seen = BTreeSet::new();
            let mut stack = vec![b.clone()];
            while let Some(n) = stack.pop() {
                if &n == a {
                    circles.push(format!("{} → {} → … → {}", a.join("::"), b.join("::"), a.join("::")));
                    break;
                }
                if seen.insert(n.clone()) {
                    stack.extend(g.get(&n).into_iter().flatten().filter(|m| !parent_and_child(&n, m)).cloned());
                }
            }
        }
    }
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

#[test]
fn each_layer_imports_only_those_below_it() {
    // Layer → the top-level modules it must not import (README, "Architecture").
    let rules: [(&str, &[&str]); 9] = [
        ("cloudtrail", &["loader", "index", "lineage", "state", "checklist", "answer", "model", "redact", "text"]),
        ("index", &["loader", "lineage", "state", "checklist", "answer", "model"]),
        ("loader", &["lineage", "state", "checklist", "answer", "model", "redact"]),
        ("lineage", &["loader", "state", "checklist", "answer", "model"]),
        ("state", &["loader", "checklist", "answer", "model"]),
        ("checklist", &["loader", "answer"]),
        ("blast", &["answer", "checklist"]),
        ("detect", &["answer", "checklist"]),
        ("redact", &["loader", "index", "answer"]),
    ];
    let g = graph();
    let mut broken = Vec::new();
    for (module, targets) in &g {
        for (layer, banned) in rules {
            if module.first().is_some_and(|m| m == layer) {
                for t in targets.iter().filter(|t| t.first().is_some_and(|f| banned.contains(&f.as_str()))) {
                    broken.push(format!("{} imports {}", module.join("::"), t.join("::")));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_sees_imports_and_circles() {
    // The checks above cannot pass by reading nothing.
    let g = graph();
    let m = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    assert!(g[&m("loader::extract")].contains(&m("loader::record")), "{:?}", g[&m("loader::extract")]);
    assert!(g[&m("answer::checklist")].contains(&m("answer::lineage")));
    assert!(g[&m("tui::update")].contains(&m("tui::search")));
    let refs = references(&m("a::b"), "use super::c::{d, e::f};\nuse crate::x::y;");
    assert!(refs.contains(&m("a::c::d")) && refs.contains(&m("a::c::e::f")) && refs.contains(&m("x::y")), "{refs:?}");
}
