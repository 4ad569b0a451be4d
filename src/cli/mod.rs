//! Command line: clap definitions and the headless subcommands.

use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use tokentrail::answer;
use tokentrail::index::{Index, Query};
use tokentrail::lineage::Lineage;
use tokentrail::loader;
use tokentrail::time::parse_bound;

#[derive(Parser, Debug)]
#[command(name = "tokentrail", version, about = "Trace AWS credential lineage through CloudTrail logs")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Logs to open in the workbench (files or directories); the bundled sample when none.
    pub paths: Vec<PathBuf>,
    /// Case file for checklist notes (default: beside the logs).
    #[arg(long)]
    pub case: Option<PathBuf>,
    /// Open focused on this access key id.
    #[arg(long)]
    pub key: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// What was loaded: files, events, time range, and every problem.
    Stats(Common),
    /// A key's credential sessions: chain up to the root and all they minted.
    Lineage {
        /// Access key id (AKIA…/ASIA…).
        key: String,
        #[command(flatten)]
        common: Common,
    },
    /// Normalised events, filtered; JSON Lines with --json.
    Events {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        key: Option<String>,
        #[arg(long)]
        principal: Option<String>,
        /// Event name, e.g. AssumeRole.
        #[arg(long)]
        name: Option<String>,
        /// Start time (inclusive), RFC 3339 or YYYY-MM-DD.
        #[arg(long)]
        since: Option<String>,
        /// End time (exclusive).
        #[arg(long)]
        until: Option<String>,
    },
    /// Temporary credentials ranked by suspicion, with reasons.
    Suspects(Common),
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Files or directories (recursive); the bundled sample when none.
    pub paths: Vec<PathBuf>,
    /// Machine-readable output (documented in README).
    #[arg(long)]
    pub json: bool,
}

/// Loads paths, or the embedded sample when there are none.
pub fn load(paths: &[PathBuf]) -> Index {
    if paths.is_empty() {
        loader::load_sources(tokentrail::sample::sources(), &mut |_| {})
    } else {
        loader::load_paths(paths, &mut |_| {})
    }
}

fn bad_usage(msg: &str) -> i32 {
    eprintln!("tokentrail: {msg}");
    2
}

/// Runs a subcommand; returns the process exit code.
pub fn run(cmd: Command) -> i32 {
    let common = match &cmd {
        Command::Stats(c) | Command::Suspects(c) => c.clone(),
        Command::Lineage { common, .. } | Command::Events { common, .. } => common.clone(),
    };
    let (since, until) = match &cmd {
        Command::Events { since, until, .. } => {
            let parse = |s: &Option<String>| -> Result<Option<i64>, String> {
                s.as_deref().map(|v| parse_bound(v).ok_or(format!("cannot read time {v:?}"))).transpose()
            };
            match (parse(since), parse(until)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return bad_usage(&e),
            }
        }
        _ => (None, None),
    };
    let ix = load(&common.paths);
    let nothing = ix.events.is_empty() && ix.report.files_read == 0 && ix.report.files_skipped == 0;
    let mut out = String::new();
    match cmd {
        Command::Stats(_) => {
            out = if common.json { pretty(&answer::stats::json(&ix)) } else { answer::stats::text(&ix) };
        }
        Command::Lineage { key, .. } => {
            let lin = Lineage::build(&ix);
            out = if common.json {
                pretty(&answer::lineage::json(&ix, &lin, &key))
            } else {
                answer::lineage::text(&ix, &lin, &key)
            };
        }
        Command::Events { key, principal, name, .. } => {
            let q = Query { key, principal, name, since, until };
            for i in ix.select(&q) {
                let e = &ix.events[i as usize];
                out.push_str(&if common.json {
                    answer::events::json(&ix, e).to_string()
                } else {
                    answer::events::text_line(&ix, e)
                });
                out.push('\n');
            }
        }
        Command::Suspects(_) => {
            let lin = Lineage::build(&ix);
            let list = tokentrail::suspects::rank(&ix, &lin);
            out = if common.json {
                pretty(&answer::suspects::json(&ix, &lin, &list))
            } else {
                answer::suspects::text(&ix, &lin, &list)
            };
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if nothing {
        eprintln!("tokentrail: nothing could be loaded");
        for p in &ix.report.problems {
            eprintln!("  {}: {}", tokentrail::text::sanitize(&p.path), tokentrail::text::sanitize(&p.reason));
        }
        return 1;
    }
    0
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
