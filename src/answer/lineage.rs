//! `tokentrail lineage KEY`: for each credential session with that key id, its chain up to
//! the root and everything it minted below.

use super::holes::{HOLE, MAX_INDENT_LEVEL, indent, pretty_with_holes};
use super::non_empty;
use crate::index::Index;
use crate::lineage::sources::Sources;
use crate::lineage::{Lineage, Node};
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// One lineage node as JSON; fields in the order the JSON has always had them (alphabetical).
#[derive(Debug, Serialize)]
pub struct NodeAnswer {
    pub access_key_id: Option<String>,
    pub event_count: usize,
    pub expires_at: Option<String>,
    pub first_use: Option<String>,
    pub flags: Vec<&'static str>,
    /// The person behind the credential, resolved along the chain, and where it came from.
    pub human: Option<String>,
    pub human_source: Option<&'static str>,
    pub issued_at: Option<String>,
    pub issuing_event_id: Option<String>,
    pub kind: &'static str,
    pub last_use: Option<String>,
    /// How the node was linked to its issuing event.
    #[serde(rename = "match")]
    pub matched: Option<&'static str>,
    pub principal_arn: Option<String>,
    /// A permanent key's status changes, oldest first (permanent keys only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_history: Option<Vec<StatusAnswer>>,
}

/// One change of a permanent key's status: when, to what, by which event.
#[derive(Debug, Serialize)]
pub struct StatusAnswer {
    pub at: String,
    pub event_id: String,
    pub status: &'static str,
}

impl NodeAnswer {
    pub fn new(ix: &Index, lin: &Lineage, i: usize) -> NodeAnswer {
        let n = &lin.nodes[i];
        NodeAnswer {
            access_key_id: non_empty(ix.str(n.key)),
            event_count: n.event_count,
            expires_at: n.expires_at.map(format_time),
            first_use: n.first_use.map(format_time),
            flags: n.flags.iter().map(|f| f.as_str()).collect(),
            human: n.human.clone(),
            human_source: n.human_source.map(|h| h.as_str()),
            issued_at: n.issued_at.map(format_time),
            issuing_event_id: n.issuing_event.map(|e| ix.event_id(&ix.events[e])),
            kind: n.kind.as_str(),
            last_use: n.last_use.map(format_time),
            matched: n.matched.map(|m| m.as_str()),
            principal_arn: non_empty(ix.str(n.principal)),
            status_history: (n.kind == crate::lineage::Kind::Permanent).then(|| {
                lin.key_states
                    .history(n.key)
                    .iter()
                    .map(|c| StatusAnswer {
                        at: format_time(c.at),
                        event_id: ix.event_id(&ix.events[c.event]),
                        status: c.status.as_str(),
                    })
                    .collect()
            }),
        }
    }
}

fn node_json(ix: &Index, lin: &Lineage, i: usize) -> Value {
    serde_json::to_value(NodeAnswer::new(ix, lin, i)).unwrap_or(Value::Null)
}

/// Writes `nodes` as a pretty JSON array standing at `level`, each node with its
/// `children`, recursively — without recursion (a chain can be 100,000 deep) and with each
/// node written once (no cycle can loop).
fn write_tree(out: &mut String, ix: &Index, lin: &Lineage, nodes: &[usize], level: usize) {
    struct Frame<'a> {
        kids: &'a [usize],
        next: usize,
        /// Level of the `children` array being written.
        level: usize,
        /// What follows the array: the rest of the node's object.
        tail: String,
    }
    if nodes.is_empty() {
        out.push_str("[]");
        return;
    }
    let mut seen = vec![false; lin.nodes.len()];
    out.push_str("[\n");
    let mut stack = vec![Frame { kids: nodes, next: 0, level, tail: String::new() }];
    while let Some(top) = stack.last_mut() {
        if top.next == top.kids.len() {
            let done = stack.pop().expect("a frame");
            out.push('\n');
            out.push_str(&indent(done.level));
            out.push(']');
            out.push_str(&done.tail);
            continue;
        }
        let n = top.kids[top.next];
        if top.next > 0 {
            out.push_str(",\n");
        }
        top.next += 1;
        let item_level = top.level + 1;
        out.push_str(&indent(item_level));
        let mut v = node_json(ix, lin, n);
        v["children"] = Value::String(HOLE.into());
        let mut parts = pretty_with_holes(&v, item_level, &["children"]).into_iter();
        out.push_str(&parts.next().unwrap_or_default());
        let tail: String = parts.collect();
        let kids: &[usize] = if std::mem::replace(&mut seen[n], true) { &[] } else { &lin.nodes[n].children };
        if kids.is_empty() {
            out.push_str("[]");
            out.push_str(&tail);
        } else {
            out.push_str("[\n");
            stack.push(Frame { kids, next: 0, level: item_level + 1, tail });
        }
    }
}

/// `lineage --json` but for the trees below each session (written as text, see `json_text`).
#[derive(Debug, Serialize)]
struct LineageAnswer {
    query: String,
    sessions: Vec<SessionAnswer>,
}

/// One session with the key asked about; fields in the JSON's order (alphabetical).
#[derive(Debug, Serialize)]
struct SessionAnswer {
    access_key_id: String,
    /// The session and each issuer above it, up to the root.
    chain: Vec<NodeAnswer>,
    created_at: Option<String>,
    /// A placeholder where `write_tree` puts the tree of everything below.
    descendants: &'static str,
    principal_arn: Option<String>,
    /// Placeholders where `write_items` puts every address, and agent, the session's calls
    /// came from (`lineage::sources`).
    source_ips: &'static str,
    user_agents: &'static str,
}

/// `lineage --json`, pretty-printed: each session's chain up to its root, and the tree of
/// everything below it. Written as text, not built as one `Value`: a `Value` as deep as a
/// long chain overflows the stack when it is printed or dropped.
pub fn json_text(ix: &Index, lin: &Lineage, key: &str) -> String {
    let found = lin.nodes_with_key(ix, key);
    let sessions = found
        .iter()
        .map(|&i| {
            let n = &lin.nodes[i];
            SessionAnswer {
                access_key_id: key.to_string(),
                chain: lin.chain(i).into_iter().map(|c| NodeAnswer::new(ix, lin, c)).collect(),
                created_at: n.creation.or(n.issued_at).map(format_time),
                descendants: HOLE,
                principal_arn: non_empty(ix.str(n.principal)),
                source_ips: HOLE,
                user_agents: HOLE,
            }
        })
        .collect();
    let answer = serde_json::to_value(LineageAnswer { query: key.to_string(), sessions }).unwrap_or(Value::Null);
    let parts = pretty_with_holes(&answer, 0, &["descendants", "source_ips", "user_agents"]);
    debug_assert_eq!(parts.len(), 1 + 3 * found.len(), "three placeholders a session");
    let mut out = String::new();
    // Each session's three holes, in the JSON's order; each array's `]` at the session
    // object's fields' level, 3.
    let mut parts = parts.iter();
    out.push_str(parts.next().map_or("", String::as_str));
    for &i in &found {
        let used = Sources::of(ix, lin, i);
        write_tree(&mut out, ix, lin, &lin.nodes[i].children, 3);
        out.push_str(parts.next().map_or("", String::as_str));
        super::sources::write_addresses(&mut out, ix, &used, 3);
        out.push_str(parts.next().map_or("", String::as_str));
        super::sources::write_agents(&mut out, ix, &used, 3);
        out.push_str(parts.next().map_or("", String::as_str));
    }
    out.push('\n');
    out
}

/// One line describing a node, as the text tree shows it.
pub fn node_line(ix: &Index, n: &Node) -> String {
    let mut s = format!("{} {} {}", sanitize(or_dash(ix.str(n.key))), n.kind.as_str(), sanitize(ix.str(n.principal)));
    if let Some(t) = n.issued_at {
        let _ = write!(s, " issued {}", format_time(t));
    }
    if let Some(t) = n.expires_at {
        let _ = write!(s, " expires {}", format_time(t));
    }
    let _ = write!(s, " · {} events", n.event_count);
    if let (Some(h), Some(src)) = (&n.human, n.human_source) {
        let _ = write!(s, " · human {} ({})", sanitize(h), src.as_str());
    }
    if let Some(m) = n.matched {
        let _ = write!(s, " · matched by {}", m.as_str());
    }
    for f in &n.flags {
        let _ = write!(s, " [{}]", f.as_str());
    }
    s
}

/// A text tree's indentation: two spaces a level, then the level as a number past
/// `MAX_INDENT_LEVEL` (so a 100,000-deep chain prints in linear size).
pub fn text_indent(depth: usize) -> String {
    if depth <= MAX_INDENT_LEVEL { "  ".repeat(depth) } else { format!("{}[{depth}] ", indent(MAX_INDENT_LEVEL)) }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

pub fn text(ix: &Index, lin: &Lineage, key: &str) -> String {
    let found = lin.nodes_with_key(ix, key);
    if found.is_empty() {
        return format!("no credential session uses or was issued key {}\n", sanitize(key));
    }
    let mut s = String::new();
    for (k, i) in found.into_iter().enumerate() {
        if k > 0 {
            s.push('\n');
        }
        let chain = lin.chain(i);
        let _ = writeln!(s, "session {} of {}:", k + 1, sanitize(key));
        for (depth, &c) in chain.iter().enumerate() {
            let mark = if c == i { "▶ " } else { "" };
            let _ = writeln!(s, "{}{mark}{}", text_indent(depth), node_line(ix, &lin.nodes[c]));
        }
        // Below the session, one level deeper than the chain's last line per generation.
        for (c, d) in lin.subtree(i).into_iter().skip(1) {
            let _ = writeln!(s, "{}{}", text_indent(chain.len() + d - 1), node_line(ix, &lin.nodes[c]));
        }
        super::sources::write_text(&mut s, ix, &sanitize(key), &Sources::of(ix, lin, i));
    }
    s
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// An agent and an address are the caller's text: the text form strips what a terminal
    /// would act on, and the JSON escapes it.
    #[test]
    fn a_hostile_agent_or_address_reaches_neither_form_as_control_characters() {
        let key = "ASIACCCCCCCCCCCCCCCC";
        let call = json!({"eventVersion": "1.08", "eventID": "e1", "eventTime": "2024-01-01T12:00:00Z",
            "eventSource": "s3.amazonaws.com", "eventName": "GetObject",
            "sourceIPAddress": "evil\u{1b}[2J.example", "userAgent": "curl\u{1b}]52;c;aGk=\u{7}/8\r\n",
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111:assumed-role/R/s", "accountId": "111",
                "accessKeyId": key, "sessionContext": {"attributes": {"creationDate": "2024-01-01T11:59:00Z"}}}});
        let ix = crate::loader::load_docs(&[&json!({"Records": [call]}).to_string()]);
        let lin = crate::lineage::Lineage::build(&ix);
        let text = super::text(&ix, &lin, key);
        assert!(text.contains("called from 1 address:") && text.contains("called with 1 user agent:"), "{text}");
        let body: String = text.lines().collect();
        assert!(!body.chars().any(|c| c.is_control()), "{text:?}");
        let v: serde_json::Value = serde_json::from_str(&super::json_text(&ix, &lin, key)).expect("JSON");
        assert_eq!(v["sessions"][0]["user_agents"][0]["value"], "curl\u{1b}]52;c;aGk=\u{7}/8\r\n", "as logged");
        assert_eq!(v["sessions"][0]["source_ips"][0]["value"], "evil\u{1b}[2J.example");
    }
}
