//! Support for the project's own tests: a test that cannot run here (no `../shared`, no
//! tmux, no DuckDB) says so and passes. Each skip is printed to stderr (`cargo test --
//! --nocapture` shows it) and, when `TOKENTRAIL_SKIP_LOG` names a file, appended to it as
//! one line, so that `.ci/run` can count them ("N skipped: …").

use std::io::Write;

/// Records that a test did not run, and why.
pub fn skip(why: &str) {
    eprintln!("SKIP: {why}");
    if let Some(log) = std::env::var_os("TOKENTRAIL_SKIP_LOG") {
        // One short `write` on an append-only file: lines of parallel tests do not interleave.
        let line = format!("{}\n", why.replace('\n', " "));
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
            let _ = f.write_all(line.as_bytes());
        }
    }
}

/// The checkout under test: `CARGO_MANIFEST_DIR` as cargo sets it when a test runs (a build
/// shared between checkouts through one target directory must read the one being tested),
/// else as it was at compile time.
pub fn checkout() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), std::path::PathBuf::from)
}

/// `../shared/corpus/<name>` beside the project, or None after recording the skip.
pub fn shared_corpus(name: &str, test: &str) -> Option<std::path::PathBuf> {
    let p = checkout().join("../shared/corpus").join(name);
    if p.is_dir() {
        Some(p)
    } else {
        skip(&format!("{test}: {} not present", p.display()));
        None
    }
}

/// The properties the fuzz targets check (`fuzz/`), here so that stable `cargo test` replays
/// every input kept in `fuzz/regressions/<target>/` against exactly the same checks.
pub mod fuzz {
    use crate::loader::record::{Record, scan_only};
    use crate::time::{format_time, parse_bound, parse_time};

    /// The whole load from bytes, then every answer: no panic; no output holds a control
    /// character a terminal would act on; no session token reaches the detail view; the
    /// project's Sigma rules find, sifted and cut down, what they find on every whole event.
    pub fn load(data: &[u8]) {
        let src = crate::loader::source::Source::Memory { name: "fuzz".into(), bytes: data.into() };
        let loaded = crate::loader::load_sources(vec![src], &mut |_| {});
        for e in loaded.ix.events.iter().take(64) {
            if let Ok(raw) = loaded.raw_text(e) {
                let shown = crate::redact::display_value(&raw).to_string();
                assert!(!shown.contains("IQoJb3JpZ2lu"), "a session token in the detail view: {shown}");
            }
        }
        let m = crate::model::Model::new(loaded);
        let stats = crate::answer::stats::StatsAnswer::new(&m);
        let _ = stats.json();
        let mut texts =
            vec![stats.text(), crate::answer::suspects::SuspectsAnswer::new(&m.ix, &m.lin, &m.suspects).text()];
        let keys: Vec<String> = m.lin.nodes.iter().take(8).map(|n| m.ix.str(n.key).to_string()).collect();
        for k in &keys {
            let j = crate::answer::lineage::json_text(&m.ix, &m.lin, k);
            assert!(j.starts_with('{') && j.ends_with("}\n"), "{j}");
            // serde reads 128 levels deep: a small lineage's JSON must parse back.
            if m.lin.nodes.len() < 30 {
                serde_json::from_str::<serde_json::Value>(&j).unwrap_or_else(|e| panic!("invalid JSON ({e}): {j}"));
            }
            texts.push(crate::answer::lineage::text(&m.ix, &m.lin, k));
        }
        let rules = crate::detect::RuleSet::load(&[]);
        let all = rules.evaluate_all(&m);
        let det = crate::detect::Detections::run(&m, rules);
        assert_eq!(det.hits, all.hits, "sifted detections differ from every rule on every event");
        texts.push(crate::answer::detections::DetectionsAnswer::new(&m, &det).text());
        if let Some(node) = m.lin.roots().next() {
            let b = crate::blast::of(&m, node);
            texts.push(crate::answer::blast::BlastAnswer::new(&m, node, &b, &det).text());
        }
        if let Some(root) = crate::checklist::pick_root(&m, None) {
            let list = crate::checklist::evaluate(&m, root);
            let case = crate::checklist::case::Case::default();
            texts.push(crate::answer::checklist::markdown(&m, &list, &case));
            let w = crate::checklist::whatif::what_if(&m, &list.root, m.end_time());
            let answer = crate::answer::whatif::WhatIfAnswer::new(&m, &list.root, &w);
            let _ = answer.json();
            texts.push(answer.text());
            for s in &list.steps {
                texts.extend(s.commands.iter().cloned());
            }
        }
        for t in texts {
            assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "a control character in {t:?}");
        }
    }

    /// Our inflater against flate2's multi-member reader: where both read the input, the same
    /// bytes; where ours reads it, flate2 does too (ours may refuse more: its limits).
    pub fn gzip(data: &[u8]) {
        use std::io::Read;
        let mut ours = Vec::new();
        let got = crate::loader::gzip::Gunzip::default().inflate(data, &mut ours).map(<[u8]>::to_vec);
        let mut theirs = Vec::new();
        let reference = flate2::read::MultiGzDecoder::new(data).read_to_end(&mut theirs).map(|_| theirs);
        if let Ok(got) = got {
            match reference {
                Ok(want) => assert!(got == want, "inflated {} bytes, flate2 {}", got.len(), want.len()),
                // flate2 stops at trailing zero padding with an error; we accept padding.
                Err(e) => assert!(data.ends_with(&[0]), "we read what flate2 rejects: {e}"),
            }
        }
    }

    /// What is accepted as a time prints in a form that is accepted again, as the same time.
    pub fn time(data: &[u8]) {
        let s = String::from_utf8_lossy(data);
        if let Some(t) = parse_time(&s) {
            let printed = format_time(t);
            assert_eq!(parse_time(&printed), Some(t), "{s:?} → {printed}");
            assert_eq!(parse_bound(&printed), Some(t), "{s:?} → {printed} as --since");
        }
        if let Some(t) = parse_bound(&s) {
            assert_eq!(parse_bound(&format_time(t)), Some(t), "{s:?}");
        }
    }

    /// A source address reads back byte for byte, whatever it holds; it is kept as a number
    /// exactly when the standard library parses it and writes it back unchanged (outside
    /// 240.0.0.0/4, where text's symbols are numbered).
    pub fn addr(data: &[u8]) {
        use crate::index::addr::{Addr, parse_v4};
        let text = String::from_utf8_lossy(data);
        let mut strings = crate::index::intern::Interner::default();
        let a = Addr::of(&text, |t| strings.intern(t));
        assert_eq!(&*a.text_in(&strings), &*text);
        let std = text.parse::<std::net::Ipv4Addr>().ok().filter(|v| v.to_string() == text).map(u32::from);
        assert_eq!(parse_v4(data), std, "{text:?}");
        assert_eq!(a.v4().is_some(), std.is_some_and(|v| v >> 28 != 0xF), "{text:?}");
        assert_eq!(Addr::find(&text, &strings), Some(a));
    }

    /// Agents deflated read back as they were (each line of the input an agent, used in
    /// order; the first line is also searched for): found by their text, and a search for
    /// the first line's text is given every agent that holds it, without case (ASCII).
    pub fn agents(data: &[u8]) {
        use crate::index::agents::{Agents, Run};
        use crate::index::intern::Interner;
        let text = String::from_utf8_lossy(data);
        let lines: Vec<&str> = text.split('\n').collect();
        let mut hot = Interner::default();
        let uses: Vec<_> = lines.iter().map(|l| hot.intern(l)).collect();
        let plain = Agents::new(hot.clone());
        let mut agents = Agents::new(hot);
        let Some(remap) = agents.freeze_all(uses.iter().copied()) else { return };
        let needle = lines[0].to_ascii_lowercase();
        let mut given = vec![false; agents.len()];
        agents.for_each_holding(0..agents.len() as u32, &[needle.as_bytes()], |s, _| given[s.0 as usize] = true);
        let mut found = vec![false; agents.len()];
        agents.for_each_run(0..agents.len() as u32, &[needle.as_bytes()], |run| match run {
            Run::One(s, t) => found[s.0 as usize] |= t.to_ascii_lowercase().contains(&needle),
            Run::Block(b) => {
                let lower = b.text.to_ascii_lowercase();
                for at in (0..lower.len()).filter(|&i| lower[i..].starts_with(needle.as_bytes())) {
                    if let Some((s, _)) = b.agent_holding(at..at + needle.len()) {
                        found[s.0 as usize] = true;
                    }
                }
            }
        });
        for (old, line) in uses.iter().zip(&lines) {
            let new = remap[old.0 as usize];
            assert_eq!(&*agents.text(new), &*plain.text(*old));
            assert_eq!(&*agents.text(new), *line);
            assert_eq!(agents.get(line), Some(new), "{line:?}");
            let holds = line.to_ascii_lowercase().contains(&needle);
            assert!(!holds || given[new.0 as usize], "{line:?} holds {needle:?} and was not given");
            assert_eq!(found[new.0 as usize], holds, "{line:?} and {needle:?}");
        }
    }

    /// The scanner and serde agree on every input serde reads as a record; the scanner never
    /// reads what serde rejects.
    pub fn scanner(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let fast = scan_only(text);
        match serde_json::from_str::<Record>(text) {
            Ok(reference) => {
                if let Some(fast) = fast {
                    assert_eq!(format!("{fast:?}"), format!("{reference:?}"), "{text}");
                }
            }
            Err(e) => assert!(fast.is_none(), "the scanner read what serde rejects ({e}): {text}"),
        }
    }

    /// Replays every kept input of `target` (files in `fuzz/regressions/<target>/`).
    pub fn replay(target: &str, check: fn(&[u8])) -> usize {
        let dir = super::checkout().join("fuzz/regressions").join(target);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if let Ok(bytes) = std::fs::read(entry.path()) {
                check(&bytes);
                n += 1;
            }
        }
        n
    }
}
