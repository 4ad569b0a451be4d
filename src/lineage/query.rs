//! Walking the lineage: chains to the root, descendants, and validity at a time.

use super::{Kind, Lineage, Node};
use crate::index::Index;
use crate::time::Millis;
use std::collections::HashMap;

/// Whether a credential could sign a request at a time, as far as issue/expiry say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsableAt {
    Yes,
    NotYetIssued,
    Expired,
    /// The expiry is not in the logs (no issuing event, or a permanent key).
    NoExpiryKnown,
}

impl Lineage {
    /// Root first, `node` last. Bounded, so a corrupt parent chain cannot hang.
    pub fn chain(&self, node: usize) -> Vec<usize> {
        let mut out = vec![node];
        let mut cur = node;
        while let Some(p) = self.nodes[cur].parent {
            // Parents never make a cycle (the build refuses one); the bound is a guard.
            if out.len() > self.nodes.len() {
                break;
            }
            out.push(p);
            cur = p;
        }
        out.reverse();
        out
    }

    pub fn root_of(&self, node: usize) -> usize {
        self.chain(node)[0]
    }

    /// Every node's root at once, in time linear in the nodes (`root_of` per node is
    /// quadratic on a long chain): each node's root is its parent's, found once.
    pub fn roots_of_all(&self) -> Vec<usize> {
        const UNKNOWN: usize = usize::MAX;
        let mut root = vec![UNKNOWN; self.nodes.len()];
        let mut path = Vec::new();
        for start in 0..self.nodes.len() {
            let mut cur = start;
            // Up to a node whose root is known, or a root.
            while root[cur] == UNKNOWN {
                path.push(cur);
                match self.nodes[cur].parent {
                    Some(p) if path.len() <= self.nodes.len() => cur = p,
                    _ => {
                        root[cur] = cur;
                        break;
                    }
                }
            }
            let r = root[cur];
            for n in path.drain(..) {
                root[n] = r;
            }
        }
        root
    }

    /// `node` and every node below it, depth first in child order, each once, with its
    /// depth below `node` (0 for `node` itself).
    pub fn subtree(&self, node: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![(node, 0)];
        while let Some((n, d)) = stack.pop() {
            if std::mem::replace(&mut seen[n], true) {
                continue;
            }
            out.push((n, d));
            stack.extend(self.nodes[n].children.iter().rev().map(|&c| (c, d + 1)));
        }
        out
    }

    /// `node` itself, then all it reaches (`reach`): the credentials whose doings are its.
    pub fn with_reach(&self, node: usize) -> Vec<usize> {
        let mut nodes = vec![node];
        nodes.extend(self.reach(node));
        nodes
    }

    /// Every node below `node` and every key a node of it created (`CreateAccessKey`), with
    /// what is below those, each once: what a compromise of `node` reaches. In time order of
    /// discovery, depth first.
    pub fn reach(&self, node: usize) -> Vec<usize> {
        let mut created: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(c) = n.created_by {
                created.entry(c).or_default().push(i);
            }
        }
        let mut seen = vec![false; self.nodes.len()];
        seen[node] = true;
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            let below = self.descendants(n).into_iter().chain(std::iter::once(n));
            let mut next = Vec::new();
            for d in below {
                if d != n && !std::mem::replace(&mut seen[d], true) {
                    out.push(d);
                }
                for &k in created.get(&d).into_iter().flatten() {
                    if !std::mem::replace(&mut seen[k], true) {
                        out.push(k);
                        next.push(k);
                    }
                }
            }
            stack.extend(next);
        }
        out
    }

    /// Every node below `node`, depth first, each once.
    pub fn descendants(&self, node: usize) -> Vec<usize> {
        self.subtree(node).into_iter().skip(1).map(|(n, _)| n).collect()
    }

    /// The permanent-key nodes of the IAM user named `name` (by the user name the events
    /// give, or the name in the user's ARN).
    pub fn permanent_nodes_of_user(&self, ix: &Index, name: &str) -> Vec<usize> {
        let suffix = format!(":user/{name}");
        (0..self.nodes.len())
            .filter(|&i| {
                let n = &self.nodes[i];
                n.kind == Kind::Permanent
                    && (ix.str(n.user_name) == name || ix.str(n.principal).ends_with(&suffix) && !name.is_empty())
            })
            .collect()
    }

    /// Nodes whose access key id is `key` (several when an id was recycled).
    pub fn nodes_with_key(&self, ix: &Index, key: &str) -> Vec<usize> {
        let Some(k) = ix.strings.get(key) else { return Vec::new() };
        (0..self.nodes.len()).filter(|&i| self.nodes[i].key == k || self.nodes[i].issued_key == k).collect()
    }

    /// The node a key names, preferring one that is a root (a recycled id can name several).
    pub fn node_for_key(&self, ix: &Index, key: &str) -> Option<usize> {
        let nodes = self.nodes_with_key(ix, key);
        nodes.iter().copied().find(|&n| self.nodes[n].is_root()).or(nodes.first().copied())
    }

    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].is_root())
    }

    /// The lineage node an event was signed by.
    pub fn node_of_event(&self, ix: &Index, event: usize) -> Option<usize> {
        ix.events.get(event)?.session().map(|s| self.node_of_session[s])
    }
}

impl Node {
    pub fn usable_at(&self, t: Millis) -> UsableAt {
        match (self.issued_at, self.expires_at) {
            (Some(i), _) if t < i => UsableAt::NotYetIssued,
            (_, Some(x)) if t >= x => UsableAt::Expired,
            (_, Some(_)) => UsableAt::Yes,
            _ => UsableAt::NoExpiryKnown,
        }
    }

    pub fn is_live(&self, t: Millis) -> bool {
        matches!(self.usable_at(t), UsableAt::Yes | UsableAt::NoExpiryKnown)
    }
}
