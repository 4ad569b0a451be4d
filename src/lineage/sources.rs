//! Where a credential session's calls came from: every source address and user agent its
//! events carry, each with how many calls it made, how many failed, and when it was first
//! and last used. What an analyst blocks, and looks for under other keys. Read from all the
//! session's events, none left out (a log may carry an address or an agent per call), not
//! from its usage's first `MAX_DISTINCT`.

use super::Lineage;
use crate::index::Index;
use crate::index::addr::Addr;
use crate::index::intern::Sym;
use crate::time::Millis;
use rustc_hash::FxHashMap;

/// One address, or agent, and the calls the session made with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source<T> {
    pub value: T,
    pub events: usize,
    /// Calls that failed (an error code: denied, throttled, …): made, not granted.
    pub errors: usize,
    pub first: Millis,
    pub last: Millis,
}

impl<T> Source<T> {
    /// Its calls and failures as columns, for the text forms: `      8 calls      1 failed`.
    pub fn calls_text(&self) -> String {
        let (calls, failed) = (self.events, self.errors);
        let plural = if calls == 1 { " " } else { "s" };
        format!("{calls:>7} call{plural} {failed:>6} failed")
    }
}

/// A session's addresses and agents, most calls first (then the earliest first).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sources {
    pub addresses: Vec<Source<Addr>>,
    pub agents: Vec<Source<Sym>>,
    /// Calls without an address, and without an agent (absent or empty in the record).
    pub without_address: usize,
    pub without_agent: usize,
    /// The credential sessions whose calls these are (with at least one call).
    pub sessions: usize,
}

impl Sources {
    /// Node `node`'s sources: none for a key minted and never used in the logs.
    pub fn of(ix: &Index, lin: &Lineage, node: usize) -> Sources {
        Sources::of_nodes(ix, lin, &[node])
    }

    /// The sources of all the calls of `nodes` together (each session counted once, however
    /// often it is listed): where a credential and everything it reaches called from.
    pub fn of_nodes(ix: &Index, lin: &Lineage, nodes: &[usize]) -> Sources {
        let mut sessions: Vec<usize> = nodes.iter().filter_map(|&n| lin.nodes.get(n).and_then(|n| n.session)).collect();
        sessions.sort_unstable();
        sessions.dedup();
        let mut addresses = Tally::default();
        let mut agents = Tally::default();
        let called = sessions.iter().filter(|&&s| !ix.session_events(s).is_empty()).count();
        let mut sources = Sources { sessions: called, ..Sources::default() };
        let events = sessions.iter().flat_map(|&s| ix.session_events(s).iter());
        for e in events.filter_map(|&p| ix.events.get(p as usize)) {
            let (ip, agent) = (e.source_ip(), e.user_agent());
            if ip.is_none() {
                sources.without_address += 1;
            } else {
                addresses.add(ip.code(), ip, e.time, e.is_error());
            }
            if agent.is_none() {
                sources.without_agent += 1;
            } else {
                agents.add(agent.0, agent, e.time, e.is_error());
            }
        }
        sources.addresses = addresses.ranked();
        sources.agents = agents.ranked();
        sources
    }

    /// The sessions whose calls these are, as the text forms name them: `5 sessions`.
    pub fn sessions_text(&self) -> String {
        let n = self.sessions;
        format!("{n} session{}", if n == 1 { "" } else { "s" })
    }

    /// How many calls they are the sources of.
    pub fn calls(&self) -> usize {
        self.addresses.iter().map(|s| s.events).sum::<usize>() + self.without_address
    }
}

/// Sources by code (equal codes are equal texts), in order of first use.
struct Tally<T> {
    at: FxHashMap<u32, usize>,
    seen: Vec<Source<T>>,
}

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Tally { at: FxHashMap::default(), seen: Vec::new() }
    }
}

impl<T: Copy> Tally<T> {
    fn add(&mut self, code: u32, value: T, time: Millis, error: bool) {
        let next = self.seen.len();
        let i = *self.at.entry(code).or_insert(next);
        if i == next {
            self.seen.push(Source { value, events: 0, errors: 0, first: time, last: time });
        }
        let s = &mut self.seen[i];
        s.events += 1;
        s.errors += usize::from(error);
        s.first = s.first.min(time);
        s.last = s.last.max(time);
    }

    /// Most calls first; among equals, the first used first (a stable sort of first uses).
    fn ranked(self) -> Vec<Source<T>> {
        let mut seen = self.seen;
        seen.sort_by_key(|s| (std::cmp::Reverse(s.events), s.first));
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::load_docs;
    use crate::time::parse_time;
    use serde_json::{Value, json};

    const KEY: &str = "ASIACCCCCCCCCCCCCCCC";

    fn call(n: usize, ip: &str, agent: Option<&str>, error: bool) -> Value {
        let mut e = json!({"eventVersion": "1.08", "eventID": format!("e{n}"),
            "eventTime": format!("2024-01-01T12:{:02}:{:02}Z", n / 60, n % 60),
            "eventSource": "s3.amazonaws.com", "eventName": "GetObject", "sourceIPAddress": ip,
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111:assumed-role/R/s", "accountId": "111",
                "accessKeyId": KEY, "sessionContext": {"attributes": {"creationDate": "2024-01-01T11:59:00Z"},
                "sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111:role/R"}}}});
        if let Some(a) = agent {
            e["userAgent"] = json!(a);
        }
        if error {
            e["errorCode"] = json!("AccessDenied");
        }
        e
    }

    fn sources(events: Vec<Value>) -> (crate::loader::Loaded, Sources) {
        let doc = json!({"Records": events}).to_string();
        let ix = load_docs(&[&doc]);
        let lin = Lineage::build(&ix);
        let node = lin.nodes_with_key(&ix, KEY);
        assert_eq!(node.len(), 1);
        let sources = Sources::of(&ix, &lin, node[0]);
        (ix, sources)
    }

    #[test]
    fn every_address_and_agent_is_counted_with_its_failures_and_times_most_calls_first() {
        let (curl, cli) = ("curl/8.5.0", "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64");
        // 40 addresses once each (more than a session's usage keeps), then 203.0.113.7 three
        // times (one denied), a host name twice, and calls without an agent.
        let mut events: Vec<Value> = (0..40).map(|n| call(n, &format!("198.51.100.{n}"), Some(cli), false)).collect();
        events.extend([
            call(40, "203.0.113.7", Some(curl), false),
            call(41, "203.0.113.7", Some(curl), true),
            call(42, "cloudtrail.amazonaws.com", None, false),
            call(43, "203.0.113.7", Some(curl), false),
            call(44, "cloudtrail.amazonaws.com", None, true),
        ]);
        let (ix, s) = sources(events);
        assert_eq!(s.addresses.len(), 42, "every address, past the first 32");
        let text = |a: &Source<Addr>| ix.ix.addr(a.value).to_string();
        assert_eq!(text(&s.addresses[0]), "203.0.113.7");
        let at = |t: &str| parse_time(t).expect("a time");
        assert_eq!(
            (s.addresses[0].events, s.addresses[0].errors, s.addresses[0].first, s.addresses[0].last),
            (3, 1, at("2024-01-01T12:00:40Z"), at("2024-01-01T12:00:43Z"))
        );
        assert_eq!(text(&s.addresses[1]), "cloudtrail.amazonaws.com");
        assert_eq!((s.addresses[1].events, s.addresses[1].errors), (2, 1));
        // Those used once, in order of first use.
        let once: Vec<String> = s.addresses[2..].iter().map(text).collect();
        assert_eq!(once, (0..40).map(|n| format!("198.51.100.{n}")).collect::<Vec<_>>());
        assert_eq!(s.without_address, 0);
        let agents: Vec<(String, usize, usize)> =
            s.agents.iter().map(|a| (ix.ix.agent(a.value).to_string(), a.events, a.errors)).collect();
        assert_eq!(agents, [(cli.to_string(), 40, 0), (curl.to_string(), 3, 1)]);
        assert_eq!(s.without_agent, 2);
        assert_eq!(s.addresses[0].calls_text(), "      3 calls      1 failed");
        assert_eq!(s.addresses[2].calls_text(), "      1 call       0 failed", "aligned with the plural");
    }

    #[test]
    fn a_key_minted_and_never_used_came_from_nowhere() {
        let (ix, lin) = {
            let assume = json!({"eventVersion": "1.08", "eventID": "i", "eventTime": "2024-01-01T12:00:00Z",
                "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "sourceIPAddress": "1.2.3.4",
                "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111:user/u", "accountId": "111",
                    "accessKeyId": "AKIAAAAAAAAAAAAAAAAA", "userName": "u"},
                "requestParameters": {"roleArn": "arn:aws:iam::111:role/R", "roleSessionName": "s"},
                "responseElements": {"credentials": {"accessKeyId": KEY, "expiration": "Jan 1, 2024, 1:00:00 PM"},
                    "assumedRoleUser": {"arn": "arn:aws:sts::111:assumed-role/R/s"}}});
            let ix = load_docs(&[&json!({"Records": [assume]}).to_string()]);
            let lin = Lineage::build(&ix);
            (ix, lin)
        };
        let minted = lin.nodes_with_key(&ix, KEY);
        assert_eq!(minted.len(), 1);
        assert_eq!(Sources::of(&ix, &lin, minted[0]), Sources::default());
        let caller = lin.nodes_with_key(&ix, "AKIAAAAAAAAAAAAAAAAA")[0];
        assert_eq!(Sources::of(&ix, &lin, caller).addresses.len(), 1);
        assert_eq!(Sources::of(&ix, &lin, usize::MAX), Sources::default(), "no such node");
    }

    /// A credential and what it reaches, together: each session's calls counted once, however
    /// often its node is listed, with how many sessions made them.
    #[test]
    fn the_sources_of_many_nodes_count_each_session_once() {
        let assume = json!({"eventVersion": "1.08", "eventID": "i", "eventTime": "2024-01-01T11:59:00Z",
            "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "sourceIPAddress": "1.2.3.4",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111:user/u", "accountId": "111",
                "accessKeyId": "AKIAAAAAAAAAAAAAAAAA", "userName": "u"}});
        let events = vec![assume, call(1, "203.0.113.7", Some("curl/8"), false), call(2, "203.0.113.7", None, true)];
        let ix = load_docs(&[&json!({"Records": events}).to_string()]);
        let lin = Lineage::build(&ix);
        let (root, used) = (lin.nodes_with_key(&ix, "AKIAAAAAAAAAAAAAAAAA")[0], lin.nodes_with_key(&ix, KEY)[0]);
        let s = Sources::of_nodes(&ix, &lin, &[used, root, used]);
        let addresses: Vec<(String, usize, usize)> =
            s.addresses.iter().map(|a| (ix.ix.addr(a.value).to_string(), a.events, a.errors)).collect();
        assert_eq!(addresses, [("203.0.113.7".to_string(), 2, 1), ("1.2.3.4".to_string(), 1, 0)]);
        assert_eq!((s.sessions, s.calls(), s.without_agent), (2, 3, 2));
        assert_eq!(s.sessions_text(), "2 sessions");
        assert_eq!(Sources::of(&ix, &lin, used).calls(), 2);
    }
}
