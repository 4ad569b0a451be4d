//! Ranking temporary credentials by reasons an analyst can read and check.

use crate::cloudtrail::ids::{KeyClass, key_class};
use crate::index::Index;
use crate::index::addr::Addr;
use crate::index::event::Field;
use crate::index::intern::Sym;
use crate::lineage::all_used::AllUsed;
use crate::lineage::{Flag, Kind, Lineage};
use crate::time::{Millis, format_time};
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Clone)]
pub struct Suspect {
    pub node: usize,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// One reason a credential is a suspect: a stable machine code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
    /// The Sigma rule's id (`ReasonCode::Sigma` only).
    pub rule_id: Option<String>,
}

impl Reason {
    fn new(code: ReasonCode, text: String) -> Reason {
        Reason { code, text, rule_id: None }
    }

    /// The reason's stable code (`sigma:<rule id>` for a detection).
    pub fn code_text(&self) -> String {
        match &self.rule_id {
            Some(id) if self.code == ReasonCode::Sigma => format!("sigma:{id}"),
            _ => self.code.as_str().to_string(),
        }
    }
}

/// The reasons, each with its stable code (README: "suspects").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
    /// An `ASIA` key signing as `IAMUser` that no console sign-in explains.
    GstInUse,
    /// The session issued credentials itself: weighs only beside another reason.
    MintsCredentials,
    /// Events while its root's permanent key was deactivated or deleted.
    UsedAfterRootDisabled,
    /// A source IP its root never used.
    NewIp,
    /// A user agent its root never used.
    NewUserAgent,
    /// Data reads (GetObject, GetSecretValue, …): weighs only beside another reason.
    DataReads,
    /// A burst of AccessDenied (probing, or a stolen credential short of permissions).
    AccessDeniedBurst,
    /// Instance-profile credentials used from an address the instance never used, or that
    /// a person's credentials used.
    InstanceCredentialOutside,
    /// A Sigma rule matched its events (`detect::suspects`): the code names the rule.
    Sigma,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::GstInUse => "gst-in-use",
            ReasonCode::MintsCredentials => "mints-credentials",
            ReasonCode::UsedAfterRootDisabled => "used-after-root-disabled",
            ReasonCode::NewIp => "new-ip",
            ReasonCode::NewUserAgent => "new-user-agent",
            ReasonCode::DataReads => "data-reads",
            ReasonCode::AccessDeniedBurst => "access-denied-burst",
            ReasonCode::InstanceCredentialOutside => "instance-credential-outside",
            ReasonCode::Sigma => "sigma",
        }
    }

    /// Reasons that make what a suspect did weigh more, but make no suspect on their own:
    /// every account has sessions that read data, are denied, or chain roles (a CI job
    /// assuming its deploy role from its build role mints a credential every run).
    pub fn is_amplifier(self) -> bool {
        matches!(self, ReasonCode::DataReads | ReasonCode::MintsCredentials)
    }
}

/// Data-access calls whose volume matters in an exfiltration.
const DATA_READS: [&str; 6] =
    ["GetObject", "GetSecretValue", "GetParameter", "GetParameters", "GetPasswordData", "Decrypt"];
const DENIED_BURST: usize = 5;
const BURST_WINDOW_MS: Millis = 5 * 60 * 1000;

/// Each of `nodes` lineage nodes' score (0: not a suspect), for look-ups per node.
pub fn scores(nodes: usize, suspects: &[Suspect]) -> Vec<u32> {
    let mut scores = vec![0; nodes];
    for s in suspects {
        scores[s.node] = s.score;
    }
    scores
}

pub fn rank(ix: &Index, lin: &Lineage) -> Vec<Suspect> {
    // Names as symbols: a session's events are then read once, comparing numbers.
    let data_reads: Vec<Sym> = DATA_READS.iter().filter_map(|n| ix.strings.get(n)).collect();
    let roots = lin.roots_of_all();
    let mut outside = InstanceAddresses::build(ix, lin);
    let people = UserAddresses::build(ix, lin);
    let mut used = AllUsed::new(ix, lin);
    let mut out = Vec::new();
    for (i, n) in lin.nodes.iter().enumerate() {
        if key_class(ix.str(n.key)) != KeyClass::Temporary {
            continue;
        }
        // Routine sessions (console, instance, service, S3 Express) are suspects only by the
        // instance rule: being what they are, and what they routinely do (console pages read
        // data and meet AccessDenied all day), is no reason.
        if n.kind.is_routine() {
            if let Some(text) = (n.kind == Kind::Instance).then(|| outside.why(ix, lin, &used, i)).flatten() {
                let code = ReasonCode::InstanceCredentialOutside;
                out.push(Suspect { node: i, score: 40, reasons: vec![Reason::new(code, text)] });
            }
            // A user agent is the caller's to write: a session that is "console" by its agents
            // alone, from an address none of its user's other sessions (or sign-ins) used, may
            // be a GetSessionToken token dressed as a browser.
            if n.flags.contains(&Flag::ConsoleByUserAgent)
                && let Some(new) = people.unfamiliar_addresses(ix, lin, &mut used, i)
            {
                let text = format!(
                    "ASIA key signing as IAMUser that only its user agents call a console session, from {} (its user's other sessions never used it)",
                    listed(ix, &new)
                );
                out.push(Suspect { node: i, score: 40, reasons: vec![Reason::new(ReasonCode::GstInUse, text)] });
            }
            continue;
        }
        let mut score = 0u32;
        let mut reasons = Vec::new();
        let mut add = |pts: u32, code: ReasonCode, text: String| {
            score += pts;
            reasons.push(Reason::new(code, text));
        };
        let evs: &[u32] = n.session.map_or(&[], |s| ix.session_events(s));
        if ix.str(n.identity_type) == "IAMUser" && n.event_count > 0 {
            add(40, ReasonCode::GstInUse, "GetSessionToken token in use (IAMUser signing with an ASIA key)".into());
        }
        // S3 Express sessions are bucket-scoped leaves a data client mints all day: not minting.
        let minted = n.children.iter().filter(|&&c| lin.nodes[c].kind != Kind::S3ExpressCreateSession).count();
        if minted > 0 {
            add(
                20 + 2 * minted.min(10) as u32,
                ReasonCode::MintsCredentials,
                format!("mints credentials itself: {minted} issued"),
            );
        }
        let root = roots[i];
        if root != i {
            let rn = &lin.nodes[root];
            // Most roots' status never changes in the logs: then none of its events is after.
            if rn.kind == Kind::Permanent && !lin.key_states.history(rn.key).is_empty() {
                let off = |e: &u32| lin.key_states.off_at(rn.key, ix.events[*e as usize].time);
                let after: Vec<&u32> = evs.iter().filter(|e| off(e)).collect();
                if let Some(&&first) = after.first() {
                    let at = lin.key_states.off_since(rn.key, ix.events[first as usize].time).unwrap_or(0);
                    add(
                        30,
                        ReasonCode::UsedAfterRootDisabled,
                        format!("{} events after its root key was disabled at {}", after.len(), format_time(at)),
                    );
                }
            }
            if !rn.ips.is_empty() {
                let new: Vec<Addr> = used.ips_of(i).iter().copied().filter(|&ip| !used.ip(root, ip)).collect();
                if !new.is_empty() {
                    add(15, ReasonCode::NewIp, format!("source IP its root never used: {}", listed(ix, &new)));
                }
            }
            if !rn.user_agents.is_empty() {
                // The first it used, and whether there was another: agents are long, and a
                // session may carry one an event.
                let new = used.agents_where(i, 2, |used, u| !used.agent(root, u));
                if let Some(&first) = new.first() {
                    let text = match new.len() {
                        1 => format!("user agent its root never used: \"{}\"", ix.agent(first)),
                        _ => format!("user agents its root never used: \"{}\" and others", ix.agent(first)),
                    };
                    add(10, ReasonCode::NewUserAgent, text);
                }
            }
        }
        let (mut reads, mut denied) = (0usize, Vec::new());
        for &p in evs {
            let e = &ix.events[p as usize];
            reads += usize::from(data_reads.contains(&ix.sym(e, Field::Name)));
            if e.is_error() && is_denial(ix.text(e, Field::Error)) {
                denied.push(e.time);
            }
        }
        if reads > 0 {
            add(
                (reads as u32).min(25),
                ReasonCode::DataReads,
                format!("{reads} data reads (GetObject, GetSecretValue, …)"),
            );
        }
        if let Some(burst) = denied_burst(&denied) {
            add(10, ReasonCode::AccessDeniedBurst, format!("burst of {burst} AccessDenied within 5 minutes"));
        }
        if reasons.iter().any(|r| !r.code.is_amplifier()) {
            out.push(Suspect { node: i, score, reasons });
        }
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.node.cmp(&b.node)));
    out
}

/// Where each EC2 instance's credentials were used from, and which addresses people's
/// credentials (IAM users, console and role sessions that are not instances or services)
/// used: the offline counterpart of GuardDuty's InstanceCredentialExfiltration. Every call
/// is read on each side (`AllUsed`), once.
struct InstanceAddresses {
    /// Instance id → its sessions' nodes.
    by_instance: FxHashMap<Sym, Vec<usize>>,
    /// Of the addresses instances' sessions used, those a person's session used too, each
    /// with the first such person (in time order); gathered when an instance first asks.
    people: Option<FxHashMap<Addr, Sym>>,
    /// Per instance session's node, the addresses none of its instance's other sessions
    /// used, in order of first use: worked out for all of an instance's sessions when the
    /// first asks (its table of addresses is then let go).
    foreign: FxHashMap<usize, Vec<Addr>>,
}

/// An address more than one of an instance's sessions used (`InstanceAddresses::foreign`).
const SHARED: u32 = u32::MAX;

impl InstanceAddresses {
    fn build(ix: &Index, lin: &Lineage) -> InstanceAddresses {
        let mut by_instance: FxHashMap<Sym, Vec<usize>> = Default::default();
        for (i, n) in lin.nodes.iter().enumerate() {
            if n.kind == Kind::Instance {
                by_instance.entry(instance_of(ix, n.principal)).or_default().push(i);
            }
        }
        InstanceAddresses { by_instance, people: None, foreign: Default::default() }
    }

    /// Why instance session `node` is a suspect: it called from an address a person's
    /// credentials used, or (when its instance's other sessions called from somewhere) from
    /// one none of them used.
    fn why(&mut self, ix: &Index, lin: &Lineage, used: &AllUsed, node: usize) -> Option<String> {
        let by_instance = &self.by_instance;
        let people = self.people.get_or_insert_with(|| people_at(ix, lin, used, by_instance));
        let ips = used.ips_of(node);
        if let Some((ip, who)) = ips.iter().find_map(|ip| Some((ip, people.get(ip)?))) {
            return Some(format!(
                "instance credentials used from {}, an address {} also used",
                ix.addr(*ip),
                ix.str(*who)
            ));
        }
        let sessions = by_instance.get(&instance_of(ix, lin.nodes[node].principal))?;
        if !sessions.iter().any(|&s| s != node && !lin.nodes[s].ips.is_empty()) {
            return None;
        }
        if !self.foreign.contains_key(&node) {
            // Each address its sessions used, with the one session's node that used it.
            let mut by: FxHashMap<Addr, u32> = FxHashMap::default();
            for &s in sessions {
                for ip in used.each_ip(s) {
                    by.entry(ip).and_modify(|o| *o = if *o == s as u32 { *o } else { SHARED }).or_insert(s as u32);
                }
            }
            for &s in sessions {
                let own = used.ips_of(s).iter().copied().filter(|ip| by.get(ip) == Some(&(s as u32))).collect();
                self.foreign.insert(s, own);
            }
        }
        let foreign = self.foreign.get(&node).filter(|f| !f.is_empty())?;
        Some(format!("instance credentials used from an address the instance never used: {}", listed(ix, foreign)))
    }
}

/// Of the addresses instances' sessions (`by_instance`) used, those a person's session used
/// too, each with the first such person: one pass over the events, in time order.
fn people_at(
    ix: &Index,
    lin: &Lineage,
    used: &AllUsed,
    by_instance: &FxHashMap<Sym, Vec<usize>>,
) -> FxHashMap<Addr, Sym> {
    let wanted: FxHashSet<Addr> = by_instance.values().flatten().flat_map(|&i| used.each_ip(i)).collect();
    let mut person = vec![Sym::NONE; ix.usage.len()];
    for n in &lin.nodes {
        if let Some(s) =
            n.session.filter(|_| !matches!(n.kind, Kind::Instance | Kind::Service | Kind::S3ExpressCreateSession))
        {
            person[s] = n.principal;
        }
    }
    let mut people = FxHashMap::default();
    for e in &ix.events {
        if let Some(&who) = person.get(e.session as usize).filter(|who| !who.is_none())
            && wanted.contains(&e.addr)
        {
            people.entry(e.addr).or_insert(who);
        }
    }
    people
}

/// Each IAM user's sessions (its keys, its sign-ins and their console sessions, its tokens),
/// by the user's principal ARN: the addresses they used, and each sign-in's own.
struct UserAddresses {
    by_user: std::collections::HashMap<Sym, Vec<usize>>,
}

impl UserAddresses {
    fn build(ix: &Index, lin: &Lineage) -> UserAddresses {
        let mut by_user: std::collections::HashMap<Sym, Vec<usize>> = Default::default();
        for (i, n) in lin.nodes.iter().enumerate() {
            if ix.str(n.principal).contains(":user/") {
                by_user.entry(n.principal).or_default().push(i);
            }
        }
        UserAddresses { by_user }
    }

    /// The node's addresses that no other session of its user used; None when all were
    /// used, or when the user has no other session to compare with (nothing to go on).
    fn unfamiliar_addresses(&self, ix: &Index, lin: &Lineage, used: &mut AllUsed, node: usize) -> Option<Vec<Addr>> {
        let n = &lin.nodes[node];
        let others: Vec<usize> = self.by_user.get(&n.principal)?.iter().copied().filter(|&i| i != node).collect();
        // A sign-in's own address (the console session it opened may have called from another).
        let signed_in_from = |i: usize| lin.nodes[i].issuing_event.map(|e| ix.events[e].source_ip());
        if others.iter().all(|&i| lin.nodes[i].ips.is_empty() && signed_in_from(i).is_none()) {
            return None;
        }
        let familiar =
            |used: &mut AllUsed, ip: Addr| others.iter().any(|&i| signed_in_from(i) == Some(ip) || used.ip(i, ip));
        let new: Vec<Addr> = used.ips_of(node).iter().copied().filter(|&ip| !familiar(used, ip)).collect();
        (!new.is_empty()).then_some(new)
    }
}

/// Addresses a reason names: the first `LISTED`, then how many more.
fn listed(ix: &Index, addrs: &[Addr]) -> String {
    const LISTED: usize = 32;
    let names: Vec<String> = addrs.iter().take(LISTED).map(|&a| ix.addr(a).to_string()).collect();
    match addrs.len() - names.len() {
        0 => names.join(", "),
        more => format!("{} and {more} more", names.join(", ")),
    }
}

/// The instance id a session's ARN names (`…:assumed-role/Role/i-0abc…` → `i-0abc…`), as a symbol.
fn instance_of(ix: &Index, principal: Sym) -> Sym {
    let name = ix.str(principal).rsplit('/').next().unwrap_or("");
    ix.strings.get(name).unwrap_or(principal)
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
