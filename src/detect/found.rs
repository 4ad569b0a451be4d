//! What the rules found, pinned on the lineage: every hit with the node whose event matched,
//! for the tree, the suspects, the detail pane and the blast radius to ask about.

use super::{Hit, LoadedRule, RuleSet};
use crate::model::Model;
use std::collections::HashMap;

pub struct Detections {
    pub rules: RuleSet,
    /// In event order.
    pub hits: Vec<Hit>,
    /// Events whose text could not be read again: no rule saw them.
    pub unreadable: usize,
    /// Per lineage node: its hits (positions in `hits`).
    by_node: HashMap<usize, Vec<usize>>,
}

impl Detections {
    /// Evaluates `rules` over the model's events.
    pub fn run(m: &Model, rules: RuleSet) -> Detections {
        let super::evaluate::Evaluation { hits, unreadable } = rules.evaluate(m);
        let mut by_node: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, h) in hits.iter().enumerate() {
            if let Some(n) = m.lin.node_of_event(&m.ix, h.event) {
                by_node.entry(n).or_default().push(i);
            }
        }
        Detections { rules, hits, unreadable, by_node }
    }

    pub fn rule(&self, h: &Hit) -> &LoadedRule {
        &self.rules.rules[h.rule]
    }

    /// The hits on one event.
    pub fn on_event(&self, event: usize) -> &[Hit] {
        let from = self.hits.partition_point(|h| h.event < event);
        let to = self.hits.partition_point(|h| h.event <= event);
        &self.hits[from..to]
    }

    /// The hits on one node's events.
    pub fn on_node(&self, node: usize) -> impl Iterator<Item = &Hit> {
        self.by_node.get(&node).into_iter().flatten().map(|&i| &self.hits[i])
    }

    /// The lineage nodes with hits, in node order.
    pub fn nodes(&self) -> Vec<usize> {
        let mut nodes: Vec<usize> = self.by_node.keys().copied().collect();
        nodes.sort_unstable();
        nodes
    }

    /// The hits on these nodes' events, in event order.
    pub fn on_nodes(&self, nodes: &[usize]) -> Vec<&Hit> {
        let mut out: Vec<&Hit> = nodes.iter().flat_map(|&n| self.on_node(n)).collect();
        out.sort_by_key(|h| (h.event, h.rule));
        out
    }

    /// Per rule that fired on the node: the rule and how many of its events it matched, the
    /// most severe first.
    pub fn rules_on_node(&self, node: usize) -> Vec<(&LoadedRule, usize)> {
        let mut count: HashMap<usize, usize> = HashMap::new();
        for h in self.on_node(node) {
            *count.entry(h.rule).or_default() += 1;
        }
        let mut out: Vec<(usize, usize)> = count.into_iter().collect();
        out.sort_by_key(|&(r, _)| (std::cmp::Reverse(level_rank(&self.rules.rules[r].level)), r));
        out.into_iter().map(|(r, n)| (&self.rules.rules[r], n)).collect()
    }
}

/// A level as Sigma names it (a rule's own text for an unknown one is not kept: "other").
pub fn level_name(level: &str) -> &'static str {
    match level {
        "critical" => "critical",
        "high" => "high",
        "medium" => "medium",
        "low" => "low",
        "informational" => "informational",
        _ => "other",
    }
}

/// Sigma's levels, least to most severe (an unknown level ranks lowest).
pub fn level_rank(level: &str) -> u8 {
    match level {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    }
}
