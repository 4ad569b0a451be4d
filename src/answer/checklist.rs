//! `tokentrail checklist`: the six steps as JSON (the CLI contract), as text, and as a
//! Markdown report that pastes into a ticket. None ever holds a session token, SAML
//! assertion or credential id: they are built only from index fields, never from raw event text.

use super::lineage::node_line;
use crate::checklist::case::Case;
use crate::checklist::{Checklist, StepResult};
use crate::index::event::Field;
use crate::model::Model;
use crate::text::{markdown as md, markdown_code, sanitize};
use crate::time::format_time;
use serde_json::{Value, json};
use std::fmt::Write as _;

pub fn json(m: &Model, list: &Checklist, case: &Case) -> Value {
    let steps: Vec<Value> = list
        .steps
        .iter()
        .map(|s| {
            let notes = case.step(s.step);
            json!({
                "step": s.step,
                "title": s.title,
                "status": s.status.as_str(),
                "manual_status": notes.manual.as_str(),
                "summary": s.summary,
                "evidence": s.evidence.iter().map(|e| m.ix.event_id(&m.ix.events[e.event])).collect::<Vec<_>>(),
                "note": notes.note,
                "commands": s.commands,
            })
        })
        .collect();
    json!({
        "root": {"access_key_id": list.root.access_key_id, "user_arn": list.root.user_arn},
        "steps": steps,
    })
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

pub fn text(list: &Checklist, case: &Case) -> String {
    let mut s = format!("root {} ({})\n", sanitize(&list.root.access_key_id), sanitize(&list.root.user_arn));
    for step in &list.steps {
        let n = case.step(step.step);
        let manual = n.manual.as_str().map(|m| format!(" [analyst: {m}]")).unwrap_or_default();
        let _ = writeln!(s, "{}. {:<6} {}{manual}\n   {}", step.step, step.status.as_str(), step.title, step.summary);
        if !n.note.is_empty() {
            let _ = writeln!(s, "   note: {}", sanitize(&n.note));
        }
        for c in &step.commands {
            let _ = writeln!(s, "   $ {}", sanitize(c));
        }
    }
    s
}
