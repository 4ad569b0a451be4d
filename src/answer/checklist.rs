//! `tokentrail checklist`: the six steps as a typed answer written as JSON (the CLI
//! contract) and as text, and the Markdown report that pastes into a ticket. None ever holds
//! a session token, SAML assertion or credential id: they are built only from index fields,
//! never from raw event text.

use super::lineage::node_line;
use crate::checklist::case::Case;
use crate::checklist::whatif::what_if;
use crate::checklist::{Checklist, Counts, Evidence, StepResult};
use crate::index::event::Field;
use crate::model::Model;
use crate::text::{markdown as md, markdown_code, sanitize};
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

/// Evidence rows the Markdown report shows per step; the JSON export holds them all.
const REPORT_ROWS: usize = 50;

/// `checklist --json`; fields in alphabetical order, as the JSON has always had them.
#[derive(Debug, Serialize)]
pub struct ChecklistAnswer {
    /// The moment "still live" is judged at.
    pub at: String,
    /// The events the analyst marked; `step` is the step whose evidence holds it, if any.
    pub marks: Vec<MarkAnswer>,
    /// What the lineage planted that nothing in the logs undid, with what undoes it.
    pub persistence: Vec<PersistenceItemAnswer>,
    pub root: RootAnswer,
    pub steps: Vec<StepAnswer>,
}

#[derive(Debug, Serialize)]
pub struct RootAnswer {
    pub access_key_id: String,
    pub resolved_from: Option<String>,
    pub user_arn: String,
}

#[derive(Debug, Serialize)]
pub struct StepAnswer {
    pub commands: Vec<String>,
    /// Steps 2 and 4: every call by the root's descendants after the step's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<CountsAnswer>,
    pub done_at: Option<String>,
    pub evidence: Vec<EvidenceAnswer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follow_up: Vec<FollowUpAnswer>,
    pub manual_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    pub note: String,
    pub status: &'static str,
    pub step: u8,
    pub summary: String,
    pub title: &'static str,
}

#[derive(Debug, Serialize)]
pub struct CountsAnswer {
    pub denied: usize,
    pub failed: usize,
    pub succeeded: usize,
}

/// One evidence event: who acted (`actor`, `actor_key`) and on what (`target`).
#[derive(Debug, Serialize)]
pub struct EvidenceAnswer {
    pub actor: String,
    pub actor_key: Option<String>,
    pub error_code: Option<String>,
    pub event_id: String,
    pub event_name: String,
    pub source_ip: String,
    pub target: Option<String>,
    pub time: String,
    pub user_agent: String,
}

#[derive(Debug, Serialize)]
pub struct PersistenceItemAnswer {
    pub actor_key: Option<String>,
    pub command: String,
    pub event_id: String,
    pub event_time: String,
    pub kind: &'static str,
    pub target: String,
}

impl PersistenceItemAnswer {
    fn new(m: &Model, p: &crate::checklist::persistence::OpenItem) -> PersistenceItemAnswer {
        let e = &m.ix.events[p.item.event];
        PersistenceItemAnswer {
            actor_key: some(m.ix.text(e, Field::Key)),
            command: p.command.clone(),
            event_id: m.ix.event_id(e),
            event_time: format_time(e.time),
            kind: p.item.kind,
            target: p.item.target.clone(),
        }
    }

    fn all(m: &Model, list: &Checklist) -> Vec<PersistenceItemAnswer> {
        list.persistence.iter().map(|p| PersistenceItemAnswer::new(m, p)).collect()
    }
}

#[derive(Debug, Serialize)]
pub struct MarkAnswer {
    pub comment: String,
    pub event_id: String,
    /// Null when the marked event is not in these logs.
    pub event_name: Option<String>,
    pub event_time: String,
    pub step: Option<u8>,
}

fn comment_md(c: &str) -> String {
    if c.is_empty() { String::new() } else { format!(" — {}", md(c)) }
}

impl MarkAnswer {
    /// Every mark, with its event's position (None: not in these logs); `step` chosen by `step`.
    fn each(
        m: &Model,
        case: &Case,
        step: impl Fn(usize) -> Option<u8>,
    ) -> impl Iterator<Item = (Option<usize>, MarkAnswer)> {
        case.resolve_marks(&m.ix).into_iter().map(move |(at, mark)| {
            let answer = MarkAnswer {
                comment: mark.comment.clone(),
                event_id: mark.event_id.clone(),
                event_name: at.map(|p| m.ix.text(&m.ix.events[p], Field::Name).to_string()),
                event_time: mark.event_time.clone(),
                step: at.and_then(&step),
            };
            (at, answer)
        })
    }

    /// The marks on this step's evidence.
    fn all_in_step(m: &Model, s: &StepResult, case: &Case) -> Vec<MarkAnswer> {
        let holds = |p: usize| s.evidence.iter().any(|e| e.event == p);
        Self::each(m, case, |_| Some(s.step)).filter(|(at, _)| at.is_some_and(holds)).map(|(_, k)| k).collect()
    }

    /// Every mark, each with the first step whose evidence holds it.
    fn all(m: &Model, list: &Checklist, case: &Case) -> Vec<MarkAnswer> {
        Self::each(m, case, |p| step_of(list, p)).map(|(_, k)| k).collect()
    }
}

/// The first step whose evidence holds the event.
fn step_of(list: &Checklist, event: usize) -> Option<u8> {
    list.steps.iter().find(|s| s.evidence.iter().any(|e| e.event == event)).map(|s| s.step)
}

#[derive(Debug, Serialize)]
pub struct FollowUpAnswer {
    pub command: String,
    pub cutoff: String,
    pub kind: &'static str,
    pub role: String,
    /// The live sessions it ends.
    pub sessions: Vec<String>,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl EvidenceAnswer {
    pub fn new(m: &Model, e: &Evidence) -> EvidenceAnswer {
        let ev = &m.ix.events[e.event];
        let f = |x: Field| m.ix.field(ev, x);
        EvidenceAnswer {
            actor: f(Field::Principal).to_string(),
            actor_key: some(&f(Field::Key)),
            error_code: some(&f(Field::Error)),
            event_id: m.ix.event_id(ev),
            event_name: f(Field::Name).to_string(),
            source_ip: f(Field::Ip).to_string(),
            target: some(&e.target),
            time: format_time(e.time),
            user_agent: f(Field::UserAgent).to_string(),
        }
    }
}

impl From<Counts> for CountsAnswer {
    fn from(c: Counts) -> CountsAnswer {
        CountsAnswer { denied: c.denied, failed: c.failed, succeeded: c.succeeded }
    }
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
                    counts: s.counts.map(CountsAnswer::from),
                    done_at: s.done_at.map(format_time),
                    evidence: s.evidence.iter().map(|e| EvidenceAnswer::new(m, e)).collect(),
                    follow_up: s
                        .follow_up
                        .iter()
                        .map(|f| FollowUpAnswer {
                            command: f.command.clone(),
                            cutoff: format_time(f.cutoff),
                            kind: f.kind,
                            role: f.role.clone(),
                            sessions: f.sessions.iter().map(|&n| m.ix.str(m.lin.nodes[n].key).to_string()).collect(),
                        })
                        .collect(),
                    manual_status: notes.manual.as_str(),
                    missing: s.missing.clone(),
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
            at: format_time(list.at),
            marks: MarkAnswer::all(m, list, case),
            persistence: PersistenceItemAnswer::all(m, list),
            root: RootAnswer {
                access_key_id: r.access_key_id.clone(),
                resolved_from: r.resolved_from.clone(),
                user_arn: r.user_arn.clone(),
            },
            steps,
        }
    }

    pub fn json(&self) -> String {
        super::pretty(self)
    }

    pub fn text(&self) -> String {
        let r = &self.root;
        let mut s = format!("root {} ({})\n", sanitize(&r.access_key_id), sanitize(&r.user_arn));
        if let Some(k) = &r.resolved_from {
            let _ = writeln!(s, "  (asked for {}, a credential below this root)", sanitize(k));
        }
        for step in &self.steps {
            let manual = step.manual_status.map(|m| format!(" [analyst: {m}]")).unwrap_or_default();
            let _ =
                writeln!(s, "{}. {:<7} {}{manual}\n   {}", step.step, step.status, step.title, sanitize(&step.summary));
            if !step.note.is_empty() {
                let _ = writeln!(s, "   note: {}", sanitize(&step.note));
            }
            for c in &step.commands {
                let _ = writeln!(s, "   $ {}", sanitize(c));
            }
            for f in &step.follow_up {
                let _ = writeln!(
                    s,
                    "   follow-up: {} still live under role {}; revoke sessions issued before {}:\n   $ {}",
                    f.sessions.join(", "),
                    sanitize(&f.role),
                    f.cutoff,
                    sanitize(&f.command)
                );
            }
        }
        s
    }
}

/// One step of the report, on its own (the workbench copies it).
pub fn step_markdown(m: &Model, s: &StepResult, case: &Case) -> String {
    let mut out = String::new();
    step_md(m, s, case, &mut out);
    out
}

fn step_md(m: &Model, s: &StepResult, case: &Case, out: &mut String) {
    let notes = case.step(s.step);
    let manual = notes.manual.as_str().map(|x| format!(" · analyst: **{x}**")).unwrap_or_default();
    let _ = writeln!(out, "### {}. {} — **{}**{manual}\n", s.step, s.title, s.status.as_str());
    let _ = writeln!(out, "{}\n", md(&s.summary));
    if let Some(c) = s.counts {
        let _ = writeln!(
            out,
            "Calls counted: **{}** succeeded, **{}** denied, **{}** failed otherwise.\n",
            c.succeeded, c.denied, c.failed
        );
    }
    if !s.missing.is_empty() {
        let _ = writeln!(out, "May remain:\n");
        for x in &s.missing {
            let _ = writeln!(out, "- {}", md(x));
        }
        out.push('\n');
    }
    if !s.evidence.is_empty() {
        let _ = writeln!(
            out,
            "| time | actor | key | target | event | error | source IP | user agent | event id |\n|---|---|---|---|---|---|---|---|---|"
        );
        for e in s.evidence.iter().take(REPORT_ROWS) {
            let a = EvidenceAnswer::new(m, e);
            let code = |x: &str| if x.is_empty() { String::new() } else { markdown_code(x) };
            let opt = |x: &Option<String>| x.as_deref().map(md).unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                a.time,
                md(crate::cloudtrail::ids::short_arn(&a.actor)),
                code(a.actor_key.as_deref().unwrap_or("")),
                opt(&a.target),
                md(&a.event_name),
                opt(&a.error_code),
                md(&a.source_ip),
                md(&a.user_agent),
                code(&a.event_id)
            );
        }
        if s.evidence.len() > REPORT_ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more: `tokentrail checklist --json` (or the `.json` beside this report) lists them all.",
                s.evidence.len() - REPORT_ROWS
            );
        }
        out.push('\n');
    }
    let marked: Vec<MarkAnswer> = MarkAnswer::all_in_step(m, s, case);
    if !marked.is_empty() {
        let _ = writeln!(out, "Marked by the analyst:\n");
        for k in &marked {
            let _ = writeln!(
                out,
                "- {} {} {}{}",
                k.event_time,
                md(k.event_name.as_deref().unwrap_or("")),
                markdown_code(&k.event_id),
                comment_md(&k.comment)
            );
        }
        out.push('\n');
    }
    for f in &s.follow_up {
        let keys: Vec<String> = f.sessions.iter().map(|&n| markdown_code(m.ix.str(m.lin.nodes[n].key))).collect();
        let _ = writeln!(
            out,
            "**Follow-up:** {} still live under role {}: revoke its sessions issued before {}.\n",
            keys.join(", "),
            md(&f.role),
            format_time(f.cutoff)
        );
        let _ = writeln!(out, "```sh\n{}\n```\n", f.command);
    }
    if !notes.note.is_empty() {
        let _ = writeln!(out, "> {}\n", crate::text::sanitize_lines(&notes.note).replace('\n', "\n> "));
    }
    if !s.commands.is_empty() {
        let _ = writeln!(out, "```sh\n{}\n```\n", s.commands.join("\n"));
    }
}

/// What still works under the root at the checklist's moment, from what-if.
fn still_live_md(m: &Model, list: &Checklist, out: &mut String) {
    let w = what_if(m, &list.root, list.at);
    let _ = writeln!(out, "## Still live at {}\n", format_time(list.at));
    if w.usable.is_empty() {
        let _ = writeln!(out, "Nothing under the root is usable at that moment, as far as the logs show.\n");
        return;
    }
    let _ = writeln!(out, "| key | kind | principal | issued | expires |\n|---|---|---|---|---|");
    for &n in &w.usable {
        let node = &m.lin.nodes[n];
        let t = |x: Option<i64>| x.map(format_time).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            markdown_code(m.ix.str(node.key)),
            node.kind.as_str(),
            md(crate::cloudtrail::ids::short_arn(m.ix.str(node.principal))),
            t(node.issued_at),
            t(node.expires_at)
        );
    }
    out.push('\n');
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
    persistence_md(m, list, &mut s);
    evidence_md(m, list, case, &mut s);
    still_live_md(m, list, &mut s);
    s
}

/// What the lineage planted that nothing undid: a table, then the commands that undo it.
fn persistence_md(m: &Model, list: &Checklist, out: &mut String) {
    let _ = writeln!(out, "## Persistence\n");
    if list.persistence.is_empty() {
        let _ = writeln!(out, "Nothing the lineage wrote is still in place, as far as the logs show.\n");
        return;
    }
    let _ = writeln!(out, "Writes of the lineage that outlive the steps above, none undone in the logs:\n");
    let _ = writeln!(out, "| time | kind | actor key | target | event | event id |\n|---|---|---|---|---|---|");
    for item in &list.persistence {
        let (p, ev) = (PersistenceItemAnswer::new(m, item), &m.ix.events[item.item.event]);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            p.event_time,
            p.kind,
            p.actor_key.as_deref().map(markdown_code).unwrap_or_default(),
            md(&p.target),
            md(m.ix.text(ev, Field::Name)),
            markdown_code(&p.event_id)
        );
    }
    let commands: Vec<&str> = list.persistence.iter().map(|p| p.command.as_str()).collect();
    let _ = writeln!(out, "\n```sh\n{}\n```\n", commands.join("\n"));
}

/// The marked events that are not a step's evidence.
fn evidence_md(m: &Model, list: &Checklist, case: &Case, out: &mut String) {
    let rest: Vec<MarkAnswer> = MarkAnswer::all(m, list, case).into_iter().filter(|k| k.step.is_none()).collect();
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Evidence\n\nEvents the analyst marked outside the steps' evidence:\n");
    for k in &rest {
        let name = k.event_name.as_deref().map_or_else(|| "(not in these logs)".to_string(), md);
        let _ = writeln!(out, "- {} {name} {}{}", k.event_time, markdown_code(&k.event_id), comment_md(&k.comment));
    }
    out.push('\n');
}
