//! Building the lineage from an index.

use super::{Flag, HumanSource, Kind, Lineage, Match, Node};
use crate::cloudtrail::ids::{KeyClass, is_well_formed_key, key_class};
use crate::index::Index;
use crate::index::detail::Detail;
use crate::index::event::{Event, Field};
use crate::index::intern::Sym;
use crate::index::session::{Marks, SessionInfo, SessionKey};
use crate::index::usage::SessionUsage;
use crate::time::Millis;
use std::collections::HashMap;

/// Issuance time and a session's creationDate agree to the second; allow for rounding.
const CREATION_SLACK_MS: Millis = 2_000;

impl Lineage {
    pub fn build(ix: &Index) -> Lineage {
        let mut nodes: Vec<Node> = ix
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| Node { session: Some(i), ..Node::from_session(ix, s) })
            .collect();
        let node_of_session: Vec<usize> = (0..nodes.len()).collect();
        for (node, usage) in nodes.iter_mut().zip(&ix.usage) {
            node.add_usage(usage);
        }
        let mut b = Builder { ix, nodes, by_key: HashMap::new(), by_principal: HashMap::new() };
        for (i, n) in b.nodes.iter().enumerate() {
            b.by_key.entry(n.key).or_default().push(i);
            b.by_principal.entry(n.principal).or_default().push(i);
        }
        b.link_issuances();
        let key_states = super::key_state::KeyStates::build(ix);
        b.add_iam_targets(&key_states);
        let mut nodes = b.nodes;
        link_created_keys(ix, &mut nodes, &node_of_session);
        resolve_humans(ix, &mut nodes);
        for n in &mut nodes {
            n.settle_kind(ix);
            if n.kind == Kind::ConsoleLogin {
                n.flags.retain(|f| *f != Flag::SessionTokenShape); // explained: a console session
            }
            n.flags.sort();
            n.flags.dedup();
        }
        Lineage { nodes, key_states, node_of_session }
    }
}

/// Each key `CreateAccessKey` created, linked to the credential that signed the call (the
/// first creation, when an id was recycled).
fn link_created_keys(ix: &Index, nodes: &mut [Node], node_of_session: &[usize]) {
    let mut by_key: HashMap<Sym, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate().filter(|(_, n)| n.kind == Kind::Permanent) {
        by_key.entry(n.key).or_default().push(i);
    }
    for (_, e, detail) in ix.events_with_detail() {
        let Detail::Iam(c) = detail else { continue };
        if e.is_error() || c.access_key_id.is_none() || ix.text(e, Field::Name) != "CreateAccessKey" {
            continue;
        }
        let Some(creator) = e.session().and_then(|s| node_of_session.get(s).copied()) else { continue };
        for &n in by_key.get(&c.access_key_id).into_iter().flatten() {
            if n != creator && nodes[n].created_by.is_none() {
                nodes[n].created_by = Some(creator);
            }
        }
    }
}

impl Node {
    fn from_session(ix: &Index, s: &SessionInfo) -> Node {
        let key = ix.str(s.id.key);
        let mut flags = Vec::new();
        if !key.is_empty() && !is_well_formed_key(key) {
            flags.push(Flag::PlaceholderKey);
        }
        if key_class(key) == KeyClass::Temporary && ix.str(s.identity_type) == "IAMUser" {
            flags.push(Flag::SessionTokenShape);
        }
        Node {
            key: s.id.key,
            principal: s.id.principal,
            creation: s.id.creation,
            kind: Kind::Unknown,
            identity_type: s.identity_type,
            user_name: s.user_name,
            role_arn: s.issuer_arn,
            account: s.account,
            parent: None,
            children: Vec::new(),
            issuing_event: None,
            matched: None,
            issued_at: s.id.creation,
            expires_at: None,
            first_use: None,
            last_use: None,
            event_count: 0,
            error_count: 0,
            ips: Vec::new(),
            user_agents: Vec::new(),
            attempts: Vec::new(),
            flags,
            session: None,
            issued_key: Sym::NONE,
            issued_person: Sym::NONE,
            human: None,
            human_source: None,
            created_by: None,
        }
    }

    fn add_usage(&mut self, u: &SessionUsage) {
        self.event_count = u.events.len();
        (self.first_use, self.last_use) = (u.first, u.last);
        self.error_count = u.errors;
        self.ips.clone_from(&u.ips);
        self.user_agents.clone_from(&u.user_agents);
    }

    /// Kinds for sessions no issuing event claimed.
    fn settle_kind(&mut self, ix: &Index) {
        if self.issuing_event.is_some() {
            return;
        }
        let itype = ix.str(self.identity_type);
        let session_name = ix.str(self.principal).rsplit('/').next().unwrap_or("");
        let marks = ix.sessions.get(self.session.unwrap_or(usize::MAX)).map(|s| s.marks).unwrap_or_default();
        let temporary = key_class(ix.str(self.key)) == KeyClass::Temporary;
        // Every call the session made came from the console (its user agents say so: the
        // distinct ones kept, and each event's when it used more).
        let console = |u: Sym| crate::cloudtrail::console::is_console_user_agent(&ix.agent(u));
        let usage = self.session.and_then(|s| ix.usage.get(s));
        let console_agents = !self.user_agents.is_empty()
            && self.user_agents.iter().all(|&u| console(u))
            && (usage.is_none_or(|u| !u.more_user_agents)
                || self.session.is_some_and(|s| {
                    super::all_used::every(ix, s, Event::user_agent).into_iter().all(|a| a.is_none() || console(a))
                }));
        self.kind = match key_class(ix.str(self.key)) {
            KeyClass::Permanent => Kind::Permanent,
            _ if marks.has(Marks::INSTANCE) || (is_instance_id(session_name) && itype == "AssumedRole") => {
                Kind::Instance
            }
            _ if itype == "AWSService" || marks.has(Marks::SERVICE) => Kind::Service,
            _ if marks.has(Marks::CONSOLE) => Kind::ConsoleLogin,
            _ if temporary && matches!(itype, "IAMUser" | "Root") && console_agents => {
                self.flags.push(Flag::ConsoleByUserAgent);
                Kind::ConsoleLogin
            }
            KeyClass::Other if matches!(itype, "IAMUser" | "Root") => Kind::Permanent,
            _ => {
                self.flags.push(Flag::IssuerNotInLogs);
                Kind::Unknown
            }
        };
    }
}

/// Each node's person: its own label when its events or issuance give one (see `own_human`),
/// else its issuer's, nearest first (parents are resolved before their children).
fn resolve_humans(ix: &Index, nodes: &mut [Node]) {
    let mut order: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut stack: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].parent.is_none()).rev().collect();
    let mut seen = vec![false; nodes.len()];
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n], true) {
            continue;
        }
        order.push(n);
        stack.extend(nodes[n].children.iter().rev());
    }
    for n in order {
        let own = own_human(ix, &nodes[n]);
        let inherited = || {
            let p = nodes[n].parent?;
            Some((nodes[p].human.clone()?, nodes[p].human_source?))
        };
        if let Some((h, src)) = own.or_else(inherited) {
            nodes[n].human = Some(h);
            nodes[n].human_source = Some(src);
        }
    }
}

/// What a node's own events or issuance say of its person, most trustworthy first:
/// `sourceIdentity` (set once, kept through chaining), Identity Center's `onBehalfOf.userId`,
/// the pod's service account, the IAM user (or root), a role session named by an e-mail.
fn own_human(ix: &Index, n: &Node) -> Option<(String, HumanSource)> {
    let session = n.session.and_then(|s| ix.sessions.get(s));
    let non_empty = |s: Sym| (!s.is_none()).then(|| ix.str(s).to_string()).filter(|s| !s.is_empty());
    if let Some(h) = session.and_then(|s| non_empty(s.source_identity)) {
        return Some((h, HumanSource::SourceIdentity));
    }
    if let Some(h) = session.and_then(|s| non_empty(s.on_behalf_of)) {
        return Some((h, HumanSource::IdentityCenter));
    }
    if let Some(h) = non_empty(n.issued_person) {
        let source = if n.kind == Kind::AssumeRoleForPodIdentity {
            HumanSource::PodServiceAccount
        } else {
            HumanSource::IdentityCenter
        };
        return Some((h, source));
    }
    let arn = ix.str(n.principal);
    let resource = arn.rsplit(':').next().unwrap_or("");
    if let Some(user) = resource.strip_prefix("user/") {
        let name = non_empty(n.user_name).unwrap_or_else(|| user.rsplit('/').next().unwrap_or(user).to_string());
        return Some((name, HumanSource::IamUser));
    }
    if resource == "root" && arn.starts_with("arn:") {
        return Some(("root".to_string(), HumanSource::Root));
    }
    let session_name = resource.strip_prefix("assumed-role/").and_then(|r| r.split_once('/')).map(|(_, s)| s);
    if let Some(email) = session_name.filter(|s| s.contains('@')) {
        return Some((email.to_string(), HumanSource::SessionName));
    }
    if n.kind == Kind::Permanent
        && let Some(name) = non_empty(n.user_name)
    {
        return Some((name, HumanSource::IamUser));
    }
    None
}

/// How long a sign-in token from `GetSigninToken` is good for (AWS: 15 minutes).
const SIGNIN_TOKEN_MS: Millis = 15 * 60_000;

/// How far apart Identity Center's GetRoleCredentials and its role session's issuance may be.
const SSO_BRIDGE_MS: Millis = 60_000;

/// The permission set of an Identity Center role: `…/AWSReservedSSO_<PermissionSet>_<hex>`.
fn permission_set(role_arn: &str) -> Option<&str> {
    let name = role_arn.rsplit('/').next()?.strip_prefix("AWSReservedSSO_")?;
    let (set, hex) = name.rsplit_once('_')?;
    (!set.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(set)
}

fn is_instance_id(s: &str) -> bool {
    s.strip_prefix("i-").is_some_and(|h| (8..=17).contains(&h.len()) && h.bytes().all(|c| c.is_ascii_hexdigit()))
}

struct Builder<'a> {
    ix: &'a Index,
    nodes: Vec<Node>,
    by_key: HashMap<Sym, Vec<usize>>,
    by_principal: HashMap<Sym, Vec<usize>>,
}

impl Builder<'_> {
    fn link_issuances(&mut self) {
        let ix = self.ix;
        // Cross-account copies of one call share sharedEventID: keep one, preferring the
        // copy that names the caller's credentials (the role owner's copy is AWSAccount).
        let mut best_copy: HashMap<Sym, usize> = HashMap::new();
        for (pos, e, detail) in ix.events_with_detail() {
            if let Detail::Issue(iss) = detail
                && !iss.shared_event_id.is_none()
                && !e.is_error()
            {
                let slot = best_copy.entry(iss.shared_event_id).or_insert(pos);
                if ix.events[*slot].session().is_none() && e.session().is_some() {
                    *slot = pos;
                }
            }
        }
        let mut sso = Vec::new();
        let mut signin_tokens = Vec::new();
        for (pos, e, detail) in ix.events_with_detail() {
            let Detail::Issue(iss) = detail else { continue };
            let Some(kind) = Kind::issued_by(ix.text(e, Field::Source), ix.text(e, Field::Name)) else { continue };
            let caller = e.session();
            if e.is_error() {
                if let Some(c) = caller {
                    self.nodes[c].attempts.push(pos);
                }
                continue;
            }
            if !iss.shared_event_id.is_none() && best_copy.get(&iss.shared_event_id) != Some(&pos) {
                continue;
            }
            if kind == Kind::GetRoleCredentials {
                sso.push(pos); // no key, no session: joined to its role session below
                continue;
            }
            if kind == Kind::GetSigninToken {
                if let Some(c) = caller {
                    signin_tokens.push((pos, c)); // joined to the console sign-in it enables, below
                }
                continue;
            }
            if iss.child_key.is_none() && iss.child_arn.is_none() {
                continue;
            }
            let linked = self.link(pos, caller, kind, iss.child_key, iss.child_arn, iss.expires, iss.role_arn);
            if let Some(child) = linked.filter(|_| !iss.person.is_none()) {
                self.nodes[child].issued_person = iss.person;
            }
        }
        self.bridge_identity_center(&sso);
        self.link_signin_tokens(&signin_tokens);
    }

    /// `GetSigninToken` (the CLI → console pivot, `aws_consoler`) turns the calling session's
    /// credentials into a console sign-in: the console session of the same principal signed
    /// in within `SIGNIN_TOKEN_MS` after it is issued by the calling session.
    fn link_signin_tokens(&mut self, tokens: &[(usize, usize)]) {
        let ix = self.ix;
        for child in 0..self.nodes.len() {
            let n = &self.nodes[child];
            if n.matched != Some(Match::ConsoleLogin) || n.parent.is_some() {
                continue;
            }
            let Some(at) = n.issued_at else { continue };
            let best = tokens
                .iter()
                .filter(|&&(pos, caller)| {
                    let t = ix.events[pos].time;
                    self.nodes[caller].principal == n.principal
                        && t <= at + CREATION_SLACK_MS
                        && at - t <= SIGNIN_TOKEN_MS
                })
                .max_by_key(|&&(pos, _)| ix.events[pos].time);
            let Some(&(pos, caller)) = best else { continue };
            if caller == child || self.is_ancestor(child, caller) {
                continue;
            }
            let n = &mut self.nodes[child];
            n.kind = Kind::GetSigninToken;
            n.issuing_event = Some(pos);
            n.parent = Some(caller);
            self.nodes[caller].children.push(child);
        }
    }

    /// IAM Identity Center: `GetRoleCredentials` (in Identity Center's account) and the role
    /// session it stands for (an `AssumeRoleWithSAML` on `AWSReservedSSO_<PermissionSet>_<hex>`
    /// in the member account) share no key. Joined on the member account, the permission set
    /// and the time (the same second in practice; the closest within `SSO_BRIDGE_MS`), each
    /// such session gets a `GetRoleCredentials` parent that carries the user.
    fn bridge_identity_center(&mut self, sso: &[usize]) {
        let ix = self.ix;
        let facts = |pos: usize| match ix.detail(&ix.events[pos]) {
            Some(Detail::Issue(i)) => Some((ix.str(i.role_arn), i.target_account, i.person, ix.events[pos].time)),
            _ => None,
        };
        let mut parent_of: HashMap<usize, usize> = HashMap::new();
        for child in 0..self.nodes.len() {
            let n = &self.nodes[child];
            if n.kind != Kind::AssumeRoleWithSaml || n.parent.is_some() {
                continue;
            }
            let Some(set) = permission_set(ix.str(n.role_arn)) else { continue };
            let Some(at) = n.issued_at else { continue };
            let best = sso
                .iter()
                .filter_map(|&p| Some((p, facts(p)?)))
                .filter(|(_, (ps, acct, _, t))| *ps == set && *acct == n.account && (t - at).abs() <= SSO_BRIDGE_MS)
                .min_by_key(|(p, (_, _, _, t))| ((t - at).abs(), *p));
            let Some((pos, (_, _, person, t))) = best else { continue };
            let parent = match parent_of.get(&pos) {
                Some(&p) => p,
                None => {
                    let e = &ix.events[pos];
                    let id = SessionKey { key: Sym::NONE, creation: Some(t), principal: Sym::NONE };
                    let info = SessionInfo {
                        identity_type: ix.sym(e, Field::IdentityType),
                        ..SessionInfo::unseen(id, ix.sym(e, Field::Account))
                    };
                    let mut g = Node::from_session(ix, &info);
                    g.kind = Kind::GetRoleCredentials;
                    g.issuing_event = Some(pos);
                    g.issued_person = person;
                    self.nodes.push(g);
                    parent_of.insert(pos, self.nodes.len() - 1);
                    self.nodes.len() - 1
                }
            };
            self.nodes[child].parent = Some(parent);
            self.nodes[child].matched = Some(Match::SsoBridge);
            self.nodes[child].flags.push(Flag::SsoBridge);
            self.nodes[parent].children.push(child);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn link(
        &mut self,
        pos: usize,
        caller: Option<usize>,
        kind: Kind,
        child_key: Sym,
        child_arn: Sym,
        expires: Option<Millis>,
        role_arn: Sym,
    ) -> Option<usize> {
        let ix = self.ix;
        let t = ix.events[pos].time;
        if let Some(c) = caller
            && !child_key.is_none()
            && self.nodes[c].key == child_key
        {
            self.nodes[c].flags.push(Flag::SelfIssued);
            return None;
        }
        if key_class(ix.str(child_key)) == KeyClass::Permanent {
            if let Some(c) = caller {
                self.nodes[c].flags.push(Flag::PermanentKeyFromSts);
            }
            return None;
        }
        let (child, matched) = match self.find_child(t, expires, child_key, child_arn) {
            Some((child, _)) if kind == Kind::ConsoleLogin => (child, Match::ConsoleLogin),
            Some(found) => found,
            // A sign-in whose session made no logged call: no credential to show.
            None if kind == Kind::ConsoleLogin => return None,
            None => {
                // Minted but never used in these logs: still a node, so the tree shows it.
                let principal =
                    if child_arn.is_none() { caller.map_or(Sym::NONE, |c| self.nodes[c].principal) } else { child_arn };
                let mut n = Node::from_session(
                    ix,
                    &SessionInfo {
                        user_name: caller.map_or(Sym::NONE, |c| self.nodes[c].user_name),
                        issuer_arn: role_arn,
                        ..SessionInfo::unseen(
                            SessionKey { key: child_key, creation: Some(t), principal },
                            ix.sym(&ix.events[pos], Field::Account),
                        )
                    },
                );
                n.session = None;
                self.nodes.push(n);
                let i = self.nodes.len() - 1;
                self.by_key.entry(child_key).or_default().push(i);
                (i, Match::Key)
            }
        };
        if Some(child) == caller {
            self.nodes[child].flags.push(Flag::SelfIssued);
            return None;
        }
        if let Some(prev) = self.nodes[child].issuing_event {
            let closer = (ix.events[prev].time - self.nodes[child].creation.unwrap_or(t)).abs()
                <= (t - self.nodes[child].creation.unwrap_or(t)).abs();
            self.nodes[child].flags.push(Flag::ContestedIssuer);
            if closer {
                return None;
            }
            if let Some(old) = self.nodes[child].parent.take() {
                self.nodes[old].children.retain(|&c| c != child);
            }
        }
        if let Some(c) = caller {
            // A child with no children of its own cannot be the caller's ancestor: that is
            // every issuance logged in order, and the walk up (the depth of the chain, for
            // each link of a long chain) is needed only for the rest.
            if !self.nodes[child].children.is_empty() && self.is_ancestor(child, c) {
                self.nodes[child].flags.push(Flag::CycleRefused);
                return None;
            }
            self.nodes[child].parent = Some(c);
            self.nodes[c].children.push(child);
        }
        // The key an issuing event names stays with the session, whatever matched it: a
        // session whose events carry no key id (a service's) is found by that key.
        if !child_key.is_none() && self.nodes[child].key != child_key {
            if self.nodes[child].key.is_none() {
                self.nodes[child].key = child_key;
            }
            self.nodes[child].issued_key = child_key;
            self.by_key.entry(child_key).or_default().push(child);
        }
        let n = &mut self.nodes[child];
        n.kind = kind;
        n.issuing_event = Some(pos);
        n.matched = Some(matched);
        n.issued_at = Some(t);
        n.expires_at = expires;
        n.flags.retain(|f| *f != Flag::IssuerNotInLogs);
        if n.role_arn.is_none() {
            n.role_arn = role_arn;
        }
        Some(child)
    }

    /// The session an issuance produced: by key (creation near the event time, or unknown
    /// creation with first use inside the validity window), else by ARN + creationDate.
    fn find_child(&self, t: Millis, expires: Option<Millis>, key: Sym, arn: Sym) -> Option<(usize, Match)> {
        let near = |n: &Node| n.creation.is_some_and(|c| (c - t).abs() <= CREATION_SLACK_MS);
        let arn_ok = |n: &Node| arn.is_none() || n.principal == arn;
        if !key.is_none() {
            let cands = self.by_key.get(&key).map_or(&[][..], |v| v.as_slice());
            let mut exact = cands.iter().copied().filter(|&i| near(&self.nodes[i]));
            // A different principal under the same id is a recycled id, not this session.
            if let Some(i) = exact.find(|&i| arn_ok(&self.nodes[i])) {
                return Some((i, Match::Key));
            }
            let in_window = |n: &Node| {
                n.creation.is_none()
                    && n.issuing_event.is_none()
                    && n.first_use.is_some_and(|f| f >= t - CREATION_SLACK_MS && expires.is_none_or(|x| f <= x))
            };
            if let Some(i) = cands.iter().copied().find(|&i| in_window(&self.nodes[i]) && arn_ok(&self.nodes[i])) {
                return Some((i, Match::Key));
            }
        }
        if !arn.is_none() {
            let cands = self.by_principal.get(&arn).map_or(&[][..], |v| v.as_slice());
            if let Some(&i) = cands.iter().find(|&&i| near(&self.nodes[i]) && self.nodes[i].key != key) {
                return Some((i, Match::ArnCreationDate));
            }
        }
        None
    }

    /// A permanent key the logs name only as the target of IAM calls (created, deactivated
    /// or deleted, never used: its user may be gone) is a node too, so that it can be asked
    /// about and chosen as a case root. Its principal is unknown; its user name is the call's.
    fn add_iam_targets(&mut self, states: &super::key_state::KeyStates) {
        let ix = self.ix;
        let mut keys: Vec<Sym> = states.keys().filter(|k| !self.by_key.contains_key(k)).collect();
        keys.sort_by_key(|k| states.history(*k).first().map(|c| (c.at, c.event)));
        for key in keys {
            let Some(first) = states.history(key).first() else { continue };
            let e = &ix.events[first.event];
            let user = match ix.detail(e) {
                Some(Detail::Iam(c)) => c.user_name,
                _ => Sym::NONE,
            };
            let id = SessionKey { key, creation: None, principal: Sym::NONE };
            let info = SessionInfo { user_name: user, ..SessionInfo::unseen(id, ix.sym(e, Field::Account)) };
            let mut n = Node::from_session(ix, &info);
            n.kind = Kind::Permanent;
            self.nodes.push(n);
            self.by_key.entry(key).or_default().push(self.nodes.len() - 1);
        }
    }

    fn is_ancestor(&self, candidate: usize, mut of: usize) -> bool {
        for _ in 0..=self.nodes.len() {
            if of == candidate {
                return true;
            }
            match self.nodes[of].parent {
                Some(p) => of = p,
                None => return false,
            }
        }
        true // a loop already exists: refuse
    }
}
