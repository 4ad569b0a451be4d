//! Where a credential's calls came from (`lineage::sources`), as the answers write it: as
//! text, the most used first, and as JSON, every one (`lineage --json`, `blast-radius --json`).

use super::holes::write_items;
use crate::index::Index;
use crate::lineage::sources::{Source, Sources};
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

/// One address or agent: its text, and the calls made with it.
#[derive(Debug, Serialize)]
struct SourceAnswer {
    error_count: usize,
    event_count: usize,
    first_use: String,
    last_use: String,
    value: String,
}

impl SourceAnswer {
    fn new<T>(s: &Source<T>, text: String) -> SourceAnswer {
        SourceAnswer {
            error_count: s.errors,
            event_count: s.events,
            first_use: format_time(s.first),
            last_use: format_time(s.last),
            value: text,
        }
    }
}

/// Every address of `used` as a JSON array whose `]` stands at `level`.
pub fn write_addresses(out: &mut String, ix: &Index, used: &Sources, level: usize) {
    write_items(out, used.addresses.iter().map(|a| SourceAnswer::new(a, ix.addr(a.value).to_string())), level);
}

/// Every agent of `used` as a JSON array whose `]` stands at `level`.
pub fn write_agents(out: &mut String, ix: &Index, used: &Sources, level: usize) {
    write_items(out, used.agents.iter().map(|a| SourceAnswer::new(a, ix.agent(a.value).to_string())), level);
}

/// Sources of each kind the text form lists (`--json` lists every one).
const SOURCES_SHOWN: usize = 10;

/// Where `who`'s calls came from, most calls first: `calls  failed  first – last  value`
/// (`who` is printed as given: sanitise what came from a log).
pub fn write_text(out: &mut String, ix: &Index, who: &str, used: &Sources) {
    fn list<T: Copy>(out: &mut String, head: String, all: &[Source<T>], without: usize, text: impl Fn(T) -> String) {
        if all.is_empty() && without == 0 {
            return;
        }
        let without = if without > 0 { format!(" ({without} calls without one)") } else { String::new() };
        let _ = writeln!(out, "  {head}{without}:");
        for s in all.iter().take(SOURCES_SHOWN) {
            let (first, last) = (format_time(s.first), format_time(s.last));
            let text = text(s.value);
            let _ = writeln!(out, "    {}  {first} – {last}  {}", s.calls_text(), sanitize(&text));
        }
        if all.len() > SOURCES_SHOWN {
            let _ = writeln!(out, "    … and {} more (--json lists every one)", all.len() - SOURCES_SHOWN);
        }
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let (addresses, agents) = (used.addresses.len(), used.agents.len());
    let head = format!("{who} called from {}", plural(addresses, "address", "addresses"));
    list(out, head, &used.addresses, used.without_address, |a| ix.addr(a).to_string());
    let head = format!("{who} called with {}", plural(agents, "user agent", "user agents"));
    list(out, head, &used.agents, used.without_agent, |a| ix.agent(a).to_string());
}
