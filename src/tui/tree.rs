//! The lineage as a tui-tree-widget tree: users → permanent keys → what they minted,
//! and groups for roots whose issuer is not in the logs, service-delivered keys and
//! identity providers. Items are built once per load.

use super::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::collections::BTreeMap;
use tokentrail::cloudtrail::ids::{KeyClass, key_class, short_arn};
use tokentrail::detect::found::{level_name, level_rank};
use tokentrail::lineage::{Kind, Node};
use tokentrail::model::Model;
use tokentrail::text::sanitize;
use tokentrail::time::format_short;
use tui_tree_widget::{TreeItem, TreeState};

/// Identifiers above this are group headers, not lineage nodes.
const HEADER: u64 = u64::MAX - 1_000_000;

#[derive(Default)]
pub struct LineageTree {
    pub items: Vec<TreeItem<'static, u64>>,
    pub state: TreeState<u64>,
    /// Identifier path of every lineage node.
    pub paths: Vec<Vec<u64>>,
    /// Label text of every node and header (for search), in display order.
    pub labels: Vec<(Vec<u64>, String)>,
    /// Per node: it made a persistence write (`blast::writers`), marked on its row.
    writers: Vec<bool>,
    /// Per node: how many Sigma hits its events have (`detect::Detections`), marked too.
    detected: Vec<(usize, &'static str)>,
    /// Per node: its suspect score with the detections' reasons (empty: the model's).
    scores: Vec<u32>,
}

impl std::fmt::Debug for LineageTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineageTree({} roots)", self.items.len())
    }
}

pub fn key_style(theme: &Theme, key: &str) -> Style {
    match key_class(key) {
        KeyClass::Permanent => theme.permanent_key(),
        KeyClass::Temporary => theme.temporary_key(),
        KeyClass::Other => theme.dim(),
    }
}

/// What the tree adds to a row once the Sigma rules are in: hits and scores per node.
#[derive(Default, Clone, Copy)]
pub struct Pins<'a> {
    pub writers: &'a [bool],
    /// Per node: its Sigma hits and the most severe level among them.
    pub detected: &'a [(usize, &'static str)],
    pub scores: &'a [u32],
}

pub fn node_label(m: &Model, i: usize, theme: &Theme, pins: Pins) -> Line<'static> {
    let Pins { writers, detected, scores } = pins;
    let n: &Node = &m.lin.nodes[i];
    let key = m.ix.str(n.key);
    let end = m.end_time();
    // The state first, so that it survives a narrow pane: at the end of the logs.
    let state = m.states.label_at(&m.lin, i, end);
    let state_style = if matches!(state, "live" | "active") { theme.open() } else { theme.dim() };
    let mut spans = vec![
        Span::styled(format!("{state} "), state_style),
        Span::styled(
            if key.is_empty() { "(no key)".to_string() } else { sanitize(key).into_owned() },
            key_style(theme, key),
        ),
    ];
    let score = if scores.is_empty() { m.score(i) } else { scores.get(i).copied().filter(|&s| s > 0) };
    if let Some(score) = score {
        spans.push(Span::styled(format!(" ⚠{score}"), theme.suspect()));
    }
    spans.push(Span::raw(format!(" {} ", n.kind.as_str())));
    let shown = short_arn(m.ix.str(n.principal));
    spans.push(Span::raw(sanitize(shown).into_owned()));
    // The person, where the principal does not already name them (role sessions, chains).
    if let Some(h) = n.human.as_deref().filter(|h| *h != shown) {
        spans.push(Span::styled(format!(" · {}", sanitize(h)), theme.dim()));
    }
    if let Some(t) = n.issued_at.filter(|_| n.kind != Kind::Permanent) {
        spans.push(Span::styled(format!(" · issued {}", format_short(t)), theme.dim()));
    }
    if let Some(t) = n.expires_at {
        spans.push(Span::styled(format!(" · exp {}", format_short(t)), theme.dim()));
    }
    spans.push(Span::raw(format!(" · {} ev", n.event_count)));
    if !n.flags.is_empty() {
        spans.push(Span::styled(" ⚑".to_string(), theme.dim()));
    }
    // Persistence: it wrote something that can outlive the remediation (`b` lists it); or it
    // is a key another credential of a lineage created.
    if writers.get(i) == Some(&true) {
        spans.push(Span::styled(" ✚ persistence".to_string(), theme.suspect()));
    }
    // Low and informational rules (SigmaHQ's "AssumeRole misuse" matches every role
    // session) are shown dim, so that the rows a severe rule matched stand out.
    if let Some(&(hits, level)) = detected.get(i).filter(|(h, _)| *h > 0) {
        let style = if tokentrail::detect::found::level_rank(level) >= 2 { theme.suspect() } else { theme.dim() };
        spans.push(Span::styled(format!(" ⚡{hits} sigma ({level})"), style));
    }
    if let Some(c) = n.created_by {
        spans.push(Span::styled(format!(" · created by {}", sanitize(m.ix.str(m.lin.nodes[c].key))), theme.suspect()));
    }
    Line::from(spans)
}

impl LineageTree {
    pub fn build(m: &Model, theme: &Theme) -> LineageTree {
        LineageTree::assemble(m, theme, tokentrail::blast::writers(&m.ix, &m.lin), None)
    }

    /// This tree (of `m`) again, with each credential's Sigma hits marked and its score with
    /// their reasons; what each credential wrote is this tree's, not worked out again.
    pub fn with_detections(
        &self,
        m: &Model,
        theme: &Theme,
        det: &tokentrail::detect::Detections,
        ranked: &[tokentrail::lineage::suspects::Suspect],
    ) -> LineageTree {
        LineageTree::assemble(m, theme, self.writers.clone(), Some((det, ranked)))
    }

    fn assemble(
        m: &Model,
        theme: &Theme,
        writers: Vec<bool>,
        found: Option<(&tokentrail::detect::Detections, &[tokentrail::lineage::suspects::Suspect])>,
    ) -> LineageTree {
        let n = m.lin.nodes.len();
        let (mut detected, mut scores) = (Vec::new(), Vec::new());
        if let Some((det, ranked)) = found {
            detected = vec![(0, ""); n];
            for i in det.nodes() {
                let levels: Vec<&str> = det.on_node(i).map(|h| det.rule(h).level.as_str()).collect();
                let most = levels.iter().copied().max_by_key(|l| level_rank(l));
                detected[i] = (levels.len(), most.map_or("", level_name));
            }
            scores = tokentrail::lineage::suspects::scores(n, ranked);
        }
        let mut t = LineageTree { paths: vec![Vec::new(); n], writers, detected, scores, ..LineageTree::default() };
        // Group roots: permanent keys by user; the rest by why they are roots.
        // By ARN; a key that signed nothing (one created in the logs) by its user's name.
        let mut users: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        let mut groups: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for r in m.lin.roots() {
            let n = &m.lin.nodes[r];
            match n.kind {
                // A user's console sessions stand beside the user's keys.
                Kind::Permanent | Kind::ConsoleLogin => {
                    let arn = m.ix.str(n.principal).to_string();
                    let name = if arn.is_empty() { n.human.clone().unwrap_or_default() } else { String::new() };
                    users.entry((arn, name)).or_default().push(r)
                }
                Kind::Service | Kind::Instance => {
                    groups.entry("service-delivered credentials (no issuing event expected)").or_default().push(r)
                }
                Kind::Unknown => groups.entry("issuer not in the loaded logs").or_default().push(r),
                _ => groups.entry("issued to identity providers / services").or_default().push(r),
            }
        }
        let rank = |roots: &[usize]| -> u32 {
            let mut best = 0;
            for &r in roots {
                for d in std::iter::once(r).chain(m.lin.descendants(r)) {
                    best = best.max(m.score(d).unwrap_or(0));
                }
            }
            best
        };
        let mut user_list: Vec<((String, String), Vec<usize>)> = users.into_iter().collect();
        user_list.sort_by_key(|(who, roots)| (std::cmp::Reverse(rank(roots)), who.clone()));
        let mut header = HEADER;
        for ((arn, name), roots) in user_list {
            header += 1;
            let label = if arn.is_empty() {
                let name = if name.is_empty() { "(user unknown)".to_string() } else { sanitize(&name).into_owned() };
                Line::from(vec![
                    Span::styled(format!("{name} "), theme.permanent_key()),
                    Span::styled("(no event signed by its keys in the logs)", theme.dim()),
                ])
            } else {
                Line::from(vec![
                    Span::styled(format!("{} ", sanitize(short_arn(&arn))), theme.permanent_key()),
                    Span::styled(sanitize(&arn).into_owned(), theme.dim()),
                ])
            };
            let item = t.group(m, theme, header, label, &roots);
            t.items.push(item);
        }
        for (name, roots) in groups {
            header += 1;
            let label = Line::from(Span::styled(format!("{name} ({})", roots.len()), theme.dim()));
            let item = t.group(m, theme, header, label, &roots);
            t.items.push(item);
        }
        if let Some(first) = t.items.first() {
            t.state.select(vec![first.identifier().to_owned()]);
        }
        t
    }

    fn group(
        &mut self,
        m: &Model,
        theme: &Theme,
        id: u64,
        label: Line<'static>,
        roots: &[usize],
    ) -> TreeItem<'static, u64> {
        self.labels.push((vec![id], label.to_string()));
        let kids: Vec<TreeItem<'static, u64>> = roots.iter().map(|&r| self.node(m, theme, r, vec![id], 0)).collect();
        TreeItem::new(id, label.clone(), kids).unwrap_or_else(|_| TreeItem::new_leaf(id, label))
    }

    fn node(&mut self, m: &Model, theme: &Theme, i: usize, mut path: Vec<u64>, depth: usize) -> TreeItem<'static, u64> {
        path.push(i as u64);
        self.paths[i] = path.clone();
        let pins = Pins { writers: &self.writers, detected: &self.detected, scores: &self.scores };
        let label = node_label(m, i, theme, pins);
        self.labels.push((path.clone(), label.to_string()));
        let mut children: Vec<usize> = if depth > 64 { Vec::new() } else { m.lin.nodes[i].children.clone() };
        children.sort_by_key(|&c| (m.lin.nodes[c].issued_at, c));
        let kids: Vec<TreeItem<'static, u64>> =
            children.into_iter().map(|c| self.node(m, theme, c, path.clone(), depth + 1)).collect();
        TreeItem::new(i as u64, label.clone(), kids).unwrap_or_else(|_| TreeItem::new_leaf(i as u64, label))
    }

    /// The lineage node selected, if a node (not a header) is selected.
    pub fn selected_node(&self) -> Option<usize> {
        self.state.selected().last().copied().filter(|&id| id < HEADER).map(|id| id as usize)
    }

    /// Selects a node, opening every ancestor so that it is visible.
    pub fn select_node(&mut self, node: usize) {
        let Some(path) = self.paths.get(node).filter(|p| !p.is_empty()).cloned() else { return };
        for k in 1..path.len() {
            self.state.open(path[..k].to_vec());
        }
        self.state.select(path);
    }

    /// The visible rows (identifier paths) in order, from the open state: independent of rendering.
    pub fn visible(&self) -> Vec<Vec<u64>> {
        self.state.flatten(&self.items).into_iter().map(|f| f.identifier).collect()
    }

    /// Moves the selection by `delta` visible rows.
    pub fn move_by(&mut self, delta: isize) {
        let rows = self.visible();
        if rows.is_empty() {
            return;
        }
        let cur = rows.iter().position(|r| r.as_slice() == self.state.selected()).unwrap_or(0);
        let next = (cur as isize + delta).clamp(0, rows.len() as isize - 1) as usize;
        self.state.select(rows[next].clone());
    }
}
