//! `tokentrail checklist`: the six steps as a typed answer written as JSON (the CLI
//! contract) and as text, and the Markdown report that pastes into a ticket. None ever holds a session token, SAML
//! assertion or credential id: they are built only from index fields, never from raw event text.

use super::lineage::node_line;
use crate::checklist::case::Case;
use crate::checklist::{Checklist, StepResult};
use crate::index::event::Field;
use crate::model::Model;
use crate::text::{markdown as md, markdown_code, sanitize};
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

/// `checklist --json`; fields in the order the JSON has always had them (alphabetical).
#[derive(Debug, Serialize)]
pub struct ChecklistAnswer {
    pub root: RootAnswer,
    pub steps: Vec<StepAnswer>,
}

#[derive(Debug, Serialize)]
pub struct RootAnswer {
    pub access_key_id: String,
    pub user_arn: String,
}

#[derive(Debug, Serialize)]
pub struct StepAnswer {
    pub commands: Vec<String>,
    /// The evidence's event ids.
    pub evidence: Vec<String>,
    pub manual_status: Option<&'static str>,
    pub note: String,
    pub status: &'static str,
    pub step: u8,
    pub summary: String,
    pub title: &'static str,
}

impl ChecklistAnswer {
    pub fn new(m: &Model, list: &Checklist, case: &Case) -> ChecklistAnswer {
        let steps = list
            .steps
            .iter()
            .map(|s| {
                let notes = case.step(s.step);
                StepAnswer {
                    commands: s.commands.clone(),
                    evidence: s.evidence.iter().map(|e| m.ix.event_id(&m.ix.events[e.event])).collect(),
                    manual_status: notes.manual.as_str(),
                    note: notes.note,
                    status: s.status.as_str(),
                    step: s.step,
                    summary: s.summary.clone(),
                    title: s.title,
                }
            })
            .collect();
        let r = &list.root;
        ChecklistAnswer {
            root: RootAnswer { access_key_id: r.access_key_id.clone(), user_arn: r.user_arn.clone() },
            steps,
        }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let r = &self.root;
        let mut s = format!("root {} ({})\n", sanitize(&r.access_key_id), sanitize(&r.user_arn));
        for step in &self.steps {
            let manual = step.manual_status.map(|m| format!(" [analyst: {m}]")).unwrap_or_default();
            let _ = writeln!(s, "{}. {:<6} {}{manual}\n   {}", step.step, step.status, step.title, step.summary);
            if !step.note.is_empty() {
                let _ = writeln!(s, "   note: {}", sanitize(&step.note));
            }
            for c in &step.commands {
                let _ = writeln!(s, "   $ {}", sanitize(c));
            }
        }
        s
    }
}

fn step_md(m: &Model, s: &StepResult, case: &Case, out: &mut String) {
    let notes = case.step(s.step);
    let manual = notes.manual.as_str().map(|x| format!(" · analyst: **{x}**")).unwrap_or_default();
    let _ = writeln!(out, "### {}. {} — **{}**{manual}\n", s.step, s.title, s.status.as_str());
    let _ = writeln!(out, "{}\n", md(&s.summary));
    if !s.evidence.is_empty() {
        let _ = writeln!(out, "| time | event | key | source IP | event id |\n|---|---|---|---|---|");
        for e in s.evidence.iter().take(50) {
            let ev = &m.ix.events[e.event];
            let f = |x: Field| md(m.ix.field(ev, x));
            let code = |x: &str| if x.is_empty() { String::new() } else { markdown_code(x) };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                format_time(e.time),
                f(Field::Name),
                code(m.ix.field(ev, Field::Key)),
                f(Field::Ip),
                code(&m.ix.event_id(ev))
            );
        }
        if s.evidence.len() > 50 {
            let _ = writeln!(out, "\n… and {} more (see the JSON export).", s.evidence.len() - 50);
        }
        out.push('\n');
    }
    if !notes.note.is_empty() {
        let _ = writeln!(out, "> {}\n", crate::text::sanitize_lines(&notes.note).replace('\n', "\n> "));
    }
    if !s.commands.is_empty() {
        let _ = writeln!(out, "```sh\n{}\n```\n", s.commands.join("\n"));
    }
}

pub fn markdown(m: &Model, list: &Checklist, case: &Case) -> String {
    let mut s = String::new();
    let r = &list.root;
    let _ = writeln!(s, "# Credential compromise: {} ({})\n", markdown_code(&r.access_key_id), md(&r.user_arn));
    if let Some((a, b)) = m.ix.time_range() {
        let _ = writeln!(s, "Logs: {} events, {} .. {}.\n", m.ix.events.len(), format_time(a), format_time(b));
    }
    let _ = writeln!(s, "## Lineage\n\n```");
    for (shown, (n, d)) in m.lin.subtree(r.node).into_iter().enumerate() {
        if shown == 500 {
            let _ = writeln!(s, "… (truncated)");
            break;
        }
        // Inside the fence nothing is markup, but a backtick run could end it.
        let line = sanitize(&node_line(&m.ix, &m.lin.nodes[n])).replace('`', "'");
        let _ = writeln!(s, "{}{line}", "  ".repeat(d));
    }
    let _ = writeln!(s, "```\n\n## Response steps\n");
    for step in &list.steps {
        step_md(m, step, case, &mut s);
    }
    s
}
