//! Round trip through a real engine: build the Athena-schema table from `sample-logs/` in
//! DuckDB, run `tokentrail sql`, export one JSON event per row, load it back.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::process::Command;
use tokentrail::lineage::Lineage;

fn duckdb_available() -> bool {
    Command::new("python3").args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success())
}

/// Runs the query in DuckDB over the sample; returns the exported JSON Lines file.
fn export(root: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = run(&["sql", "--root", root, "--engine", "duckdb"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sql = dir.join("q.sql");
    std::fs::write(&sql, &out.stdout).expect("write sql");
    let result = dir.join("incident.json");
    let script = format!(
        r#"
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
setup = open({setup:?}).read().replace("{{{{GLOB}}}}", "'{glob}'")
con.execute(setup)
q = open({sql:?}).read().strip().rstrip(";")
con.execute("COPY (" + q + ") TO '{result}' (FORMAT JSON)")
"#,
        setup = tokentrail::testing::checkout().join("assets/duckdb-table.sql").display().to_string(),
        glob = sample().join("AWSLogs/**/*.json.gz").display(),
        sql = sql.display().to_string(),
        result = result.display(),
    );
    let py = Command::new("python3").arg("-c").arg(script).output().expect("python3");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    result
}

/// Event ids signed by a node or anything below it, in the full load of the sample.
fn expected(ix: &tokentrail::index::Index, lin: &Lineage, root: usize) -> BTreeSet<String> {
    std::iter::once(root)
        .chain(lin.descendants(root))
        .filter_map(|n| lin.nodes[n].session)
        .flat_map(|s| ix.session_events(s).iter().map(|&e| ix.event_id(&ix.events[e as usize])))
        .collect()
}

/// Asserts two id sets are equal, printing only what differs.
fn same(got: &BTreeSet<String>, want: &BTreeSet<String>) {
    let missing: Vec<_> = want.difference(got).take(5).collect();
    let extra: Vec<_> = got.difference(want).take(5).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?} extra {extra:?} (of {} expected)", want.len());
}

fn loaded_ids(path: &std::path::Path) -> BTreeSet<String> {
    let ix = tokentrail::loader::load_paths(&[path.to_path_buf()], &mut |_| {});
    assert_eq!(ix.report.rejected, 0, "{:?}", ix.report.problems);
    ix.events.iter().map(|e| ix.event_id(e)).collect()
}

#[test]
fn duckdb_closure_of_key_a_loads_back_as_the_same_lineage() {
    if !duckdb_available() {
        common::skip("python3 duckdb not installed; the DuckDB round trip did not run");
        return;
    }
    let k = sample_keys();
    let dir = tempfile::tempdir().expect("tmp");
    let result = export(&k.key_a, dir.path());
    let full = tokentrail::loader::load_paths(&[sample()], &mut |_| {});
    let lin = Lineage::build(&full);
    let root = lin.nodes_with_key(&full, &k.key_a)[0];
    same(&loaded_ids(&result), &expected(&full, &lin, root));
    // The lineage rebuilt from the query result is the same tree.
    let v = json(&["lineage", &k.key_c, result.to_str().expect("utf8"), "--json"]);
    let chain: Vec<&str> = v["sessions"][0]["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .filter_map(|n| n["access_key_id"].as_str())
        .collect();
    assert_eq!(chain, [k.key_a.as_str(), k.key_b.as_str(), k.key_c.as_str()]);
}

#[test]
fn a_recycled_key_id_in_another_session_is_not_pulled_in() {
    if !duckdb_available() {
        common::skip("python3 duckdb not installed; the DuckDB round trip did not run");
        return;
    }
    let full = tokentrail::loader::load_paths(&[sample()], &mut |_| {});
    let lin = Lineage::build(&full);
    // ci-deployer's chain: one of its ProdReadOnly key ids is later reused by an instance profile.
    let root =
        lin.roots().find(|&r| full.str(lin.nodes[r].principal).ends_with(":user/ci-deployer")).expect("ci-deployer");
    let recycled = lin
        .descendants(root)
        .into_iter()
        .find(|&n| lin.nodes_with_key(&full, full.str(lin.nodes[n].key)).len() > 1)
        .expect("the sample recycles a CI key id");
    let key = full.str(lin.nodes[recycled].key).to_string();
    let dir = tempfile::tempdir().expect("tmp");
    let got = loaded_ids(&export(full.str(lin.nodes[root].key), dir.path()));
    same(&got, &expected(&full, &lin, root));
    let other = lin.nodes_with_key(&full, &key).into_iter().find(|&n| n != recycled).expect("other session");
    let other_events = expected(&full, &lin, other);
    assert!(
        !other_events.is_empty() && got.is_disjoint(&other_events),
        "the instance profile's use of {key} leaked in"
    );
}
