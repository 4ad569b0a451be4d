//! Ranking temporary credentials by reasons an analyst can read and check.

use crate::cloudtrail::ids::{KeyClass, key_class};
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::{Event, Field};
use crate::index::intern::Sym;
use crate::lineage::{Kind, Lineage};
use crate::time::{Millis, format_time};

#[derive(Debug, Clone)]
pub struct Suspect {
    pub node: usize,
    pub score: u32,
    pub reasons: Vec<String>,
}

/// Data-access calls whose volume matters in an exfiltration.
const DATA_READS: [&str; 6] =
    ["GetObject", "GetSecretValue", "GetParameter", "GetParameters", "GetPasswordData", "Decrypt"];
const DENIED_BURST: usize = 5;
const BURST_WINDOW_MS: Millis = 5 * 60 * 1000;

/// The key an event deactivates or deletes: a successful `UpdateAccessKey` to Inactive,
/// or `DeleteAccessKey`.
pub fn disabled_key(ix: &Index, e: &Event) -> Option<Sym> {
    let Some(Detail::Iam(c)) = ix.detail(e) else { return None };
    let name = ix.field(e, Field::Name);
    let disables = name == "DeleteAccessKey" || (name == "UpdateAccessKey" && ix.str(c.status) == "Inactive");
    (disables && !e.is_error() && !c.access_key_id.is_none()).then_some(c.access_key_id)
}

/// When each permanent key was first deactivated or deleted, by key id.
pub fn key_disabled_at(ix: &Index) -> std::collections::HashMap<Sym, Millis> {
    let mut out = std::collections::HashMap::new();
    for (_, e, _) in ix.events_with_detail() {
        if let Some(k) = disabled_key(ix, e) {
            out.entry(k).or_insert(e.time);
        }
    }
    out
}

pub fn rank(ix: &Index, lin: &Lineage) -> Vec<Suspect> {
    let disabled = key_disabled_at(ix);
    // Names as symbols: a session's events are then read once, comparing numbers.
    let data_reads: Vec<Sym> = DATA_READS.iter().filter_map(|n| ix.strings.get(n)).collect();
    let roots = lin.roots_of_all();
    let mut out = Vec::new();
    for (i, n) in lin.nodes.iter().enumerate() {
        if key_class(ix.str(n.key)) != KeyClass::Temporary || n.kind == Kind::Service {
            continue;
        }
        let mut score = 0u32;
        let mut reasons = Vec::new();
        let mut add = |pts: u32, why: String| {
            score += pts;
            reasons.push(why);
        };
        let evs: &[u32] = n.session.map_or(&[], |s| ix.session_events(s));
        if ix.str(n.identity_type) == "IAMUser" && n.event_count > 0 {
            add(40, "GetSessionToken token in use (IAMUser signing with an ASIA key)".into());
        }
        let minted = n.children.len();
        if minted > 0 {
            add(20 + 2 * minted.min(10) as u32, format!("mints credentials itself: {minted} issued"));
        }
        let root = roots[i];
        if root != i {
            if let Some(&off) = disabled.get(&lin.nodes[root].key) {
                // The session's events are in time order.
                let after = evs.len() - evs.partition_point(|&e| ix.events[e as usize].time <= off);
                if after > 0 {
                    add(30, format!("{after} events after its root key was disabled at {}", format_time(off)));
                }
            }
            let rn = &lin.nodes[root];
            if !rn.ips.is_empty() {
                let new: Vec<&str> = n.ips.iter().filter(|ip| !rn.ips.contains(ip)).map(|&s| ix.str(s)).collect();
                if !new.is_empty() {
                    add(15, format!("source IP its root never used: {}", new.join(", ")));
                }
            }
            if !rn.user_agents.is_empty() && n.user_agents.iter().any(|u| !rn.user_agents.contains(u)) {
                add(10, "user agent its root never used".into());
            }
        }
        let (mut reads, mut denied) = (0usize, Vec::new());
        for &p in evs {
            let e = &ix.events[p as usize];
            reads += usize::from(data_reads.contains(&e.get(Field::Name)));
            if e.is_error() && is_denial(ix.field(e, Field::Error)) {
                denied.push(e.time);
            }
        }
        if reads > 0 {
            add((reads as u32).min(25), format!("{reads} data reads (GetObject, GetSecretValue, …)"));
        }
        if let Some(burst) = denied_burst(&denied) {
            add(10, format!("burst of {burst} AccessDenied within 5 minutes"));
        }
        if score > 0 {
            out.push(Suspect { node: i, score, reasons });
        }
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.node.cmp(&b.node)));
    out
}

fn is_denial(error: &str) -> bool {
    error.contains("AccessDenied") || error.contains("UnauthorizedOperation")
}

/// The most denials within one window, if a burst: `times` in time order.
fn denied_burst(times: &[Millis]) -> Option<usize> {
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] > BURST_WINDOW_MS {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    (best >= DENIED_BURST).then_some(best)
}
