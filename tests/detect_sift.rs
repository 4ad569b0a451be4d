//! Detections give each event only to the rules that can match it (`detect::needs`), decide
//! from the index the rules that read only what it holds as written, and cut the rest down
//! to the fields they read (`detect::projection`): on every log we hold, that must find
//! exactly the hits of every rule on every whole event.

mod common;
use common::*;
use tokentrail::detect::RuleSet;
use tokentrail::loader::load_paths;
use tokentrail::model::Model;

fn agree(path: std::path::PathBuf, rules: &RuleSet) -> usize {
    let m = Model::new(load_paths(std::slice::from_ref(&path), &mut |_| {}));
    let (sifted, all) = (rules.evaluate(&m), rules.evaluate_all(&m));
    assert_eq!(sifted, all, "{}", path.display());
    assert_eq!(all.unreadable, 0, "{}", path.display());
    all.hits.len()
}

#[test]
fn sifted_evaluation_finds_what_every_rule_on_every_event_finds() {
    let sigma = tokentrail::testing::checkout().join("../shared/sigma/cloudtrail");
    let with_sigma = sigma.is_dir();
    if !with_sigma {
        skip("detect_sift: ../shared/sigma/cloudtrail not present (built-in rules only)");
    }
    let rules = RuleSet::load(&if with_sigma { vec![sigma] } else { Vec::new() });
    assert!(rules.rules.len() >= 4);
    let mut hits = agree(sample(), &rules);
    let Some(corpus) = corpus("stratus-red-team") else { return };
    let all = corpus.parent().expect("corpus dir").to_path_buf();
    for entry in std::fs::read_dir(&all).expect("corpus").filter_map(Result::ok) {
        if entry.path().is_dir() {
            hits += agree(entry.path(), &rules);
        }
    }
    eprintln!("{hits} hits agree");
    assert!(hits > 100, "the rules fire: {hits}");
}

/// An event whose text cannot be read again is counted, not silently left out.
#[test]
fn events_that_cannot_be_read_again_are_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("logs");
    let mut files = Vec::new();
    let mut stack = vec![sample()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "gz") {
                let to = copy.join(p.strip_prefix(sample()).expect("below"));
                std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
                std::fs::copy(&p, &to).expect("copy");
                files.push(to);
            }
        }
    }
    let m = Model::new(load_paths(std::slice::from_ref(&copy), &mut |_| {}));
    let before = RuleSet::load(&[]).evaluate(&m);
    assert!(!before.hits.is_empty() && before.unreadable == 0);
    for f in &files {
        std::fs::remove_file(f).expect("rm");
    }
    // A rule that reads only what the index holds as written is still decided; the events
    // the others need are counted.
    let after = RuleSet::load(&[]).evaluate(&m);
    assert!(after.hits.iter().all(|h| before.hits.contains(h)), "{after:?}");
    assert!(after.hits.len() < before.hits.len() && after.unreadable > 0, "{after:?}");
    assert!(after.hits.len() + after.unreadable >= before.hits.len(), "{after:?}");
}
