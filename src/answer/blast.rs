//! `tokentrail blast-radius KEY`: what a credential and everything below it did that can
//! outlive the remediation, the data it touched, and where their calls came from. JSON (the
//! CLI contract) and text.

use super::detections::HitAnswer;
use super::holes::{HOLE, pretty_with_holes};
use crate::blast::BlastRadius;
use crate::detect::Detections;
use crate::index::Index;
use crate::index::event::Field;
use crate::lineage::sources::Sources;
use crate::model::Model;
use crate::text::sanitize;
use crate::time::format_time;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Serialize)]
pub struct BlastAnswer<'a> {
    pub data: Vec<DataAnswer>,
    /// Sigma hits on the events of the credential and everything below it.
    pub detections: Vec<HitAnswer>,
    pub persistence: Vec<PersistenceAnswer>,
    pub root: BlastRoot,
    /// Placeholders where every address, and agent, of the credential and everything below
    /// it goes (one item at a time: there may be a million).
    source_ips: &'static str,
    /// Events whose text could not be read again: their items are missing.
    pub unreadable: usize,
    user_agents: &'static str,
    #[serde(skip)]
    sources: &'a Sources,
    #[serde(skip)]
    ix: &'a Index,
}

#[derive(Debug, Serialize)]
pub struct BlastRoot {
    pub access_key_id: String,
    pub principal_arn: String,
}

#[derive(Debug, Serialize)]
pub struct PersistenceAnswer {
    pub actor_key: Option<String>,
    pub event_id: String,
    pub event_name: String,
    pub event_time: String,
    pub kind: &'static str,
    /// `open`, or `undone` by the event `undone_by`.
    pub state: &'static str,
    pub target: String,
    pub undone_by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DataAnswer {
    pub action: &'static str,
    /// Calls with any errorCode.
    pub denied: usize,
    pub objects: Vec<String>,
    pub resource: String,
    pub service: String,
    pub succeeded: usize,
}

impl<'a> BlastAnswer<'a> {
    pub fn new(m: &'a Model, node: usize, b: &'a BlastRadius, det: &Detections) -> BlastAnswer<'a> {
        let ix = &m.ix;
        let n = &m.lin.nodes[node];
        let persistence = b
            .persistence
            .iter()
            .map(|i| {
                let e = &ix.events[i.event];
                let key = ix.text(e, Field::Key);
                PersistenceAnswer {
                    actor_key: (!key.is_empty()).then(|| key.to_string()),
                    event_id: ix.event_id(e),
                    event_name: ix.text(e, Field::Name).to_string(),
                    event_time: format_time(e.time),
                    kind: i.kind,
                    state: if i.undone_by.is_some() { "undone" } else { "open" },
                    target: i.target.clone(),
                    undone_by: i.undone_by.map(|u| ix.event_id(&ix.events[u])),
                }
            })
            .collect();
        let data = b
            .data
            .iter()
            .map(|d| DataAnswer {
                action: d.action,
                denied: d.denied,
                objects: d.objects.clone(),
                resource: d.resource.clone(),
                service: d.service.clone(),
                succeeded: d.succeeded,
            })
            .collect();
        let detections = det.on_nodes(&b.reach).into_iter().map(|h| HitAnswer::new(m, det, h)).collect();
        BlastAnswer {
            data,
            detections,
            persistence,
            root: BlastRoot {
                access_key_id: ix.str(n.key).to_string(),
                principal_arn: ix.str(n.principal).to_string(),
            },
            source_ips: HOLE,
            unreadable: b.unreadable,
            user_agents: HOLE,
            sources: &b.sources,
            ix,
        }
    }

    pub fn json(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or_default();
        let parts = pretty_with_holes(&v, 0, &["source_ips", "user_agents"]);
        let mut parts = parts.iter().map(String::as_str);
        let mut out = parts.next().unwrap_or_default().to_string();
        super::sources::write_addresses(&mut out, self.ix, self.sources, 1);
        out.push_str(parts.next().unwrap_or_default());
        super::sources::write_agents(&mut out, self.ix, self.sources, 1);
        out.push_str(parts.next().unwrap_or_default());
        out.push('\n');
        out
    }

    pub fn text(&self) -> String {
        let mut s = format!(
            "blast radius of {} ({}) and everything below it\n",
            sanitize(&self.root.access_key_id),
            sanitize(&self.root.principal_arn)
        );
        let open = self.persistence.iter().filter(|p| p.state == "open").count();
        let _ = writeln!(s, "\npersistence: {} writes, {open} open", self.persistence.len());
        for p in &self.persistence {
            let undone = p.undone_by.as_deref().map(|u| format!(" (undone by {})", sanitize(u))).unwrap_or_default();
            let _ = writeln!(
                s,
                "  {:<6} {:<16} {} {} by {}: {}{undone}",
                p.state,
                p.kind,
                p.event_time,
                sanitize(&p.event_name),
                sanitize(p.actor_key.as_deref().unwrap_or("-")),
                sanitize(&p.target)
            );
        }
        let _ = writeln!(s, "\ndata touched:");
        for d in &self.data {
            let _ = writeln!(
                s,
                "  {} {} {}: {} succeeded, {} denied{}",
                sanitize(&d.service),
                d.action,
                sanitize(if d.resource.is_empty() { "-" } else { &d.resource }),
                d.succeeded,
                d.denied,
                if d.objects.is_empty() { String::new() } else { format!(" ({})", sanitize(&d.objects.join(", "))) }
            );
        }
        let _ = writeln!(s, "\ndetections: {}", self.detections.len());
        for h in &self.detections {
            let _ = writeln!(s, "  {}", h.text_line());
        }
        let who = format!(
            "{} and everything below it ({})",
            sanitize(&self.root.access_key_id),
            self.sources.sessions_text()
        );
        let _ = writeln!(s, "\nsources:");
        super::sources::write_text(&mut s, self.ix, &who, self.sources);
        if self.unreadable > 0 {
            let _ = writeln!(s, "\n{} events could not be read again: what they did is not listed", self.unreadable);
        }
        s
    }
}
