//! The timeline's filters: each keeps or hides events by one test, and they combine (an event
//! is shown when it passes them all): a lineage (`F`), a field's value (event name, source,
//! source IP, principal, key), errors (any, or one code), free text or a `*` pattern in or
//! out (`:filter-in`, `:filter-out`), and a time window (`t`, `:time`).

use std::sync::Arc;
use tokentrail::index::event::{Field, Slot};
use tokentrail::index::intern::Sym;
use tokentrail::model::Model;
use tokentrail::time::{Millis, format_short};

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// The events of these sessions, and the events that issued their credentials.
    Lineage { sessions: Arc<Vec<u32>>, issuing: Arc<Vec<u32>>, label: String },
    /// These events (a checklist step's evidence), by position.
    Events { events: Arc<Vec<u32>>, label: String },
    /// A field equal to a value (`exclude`: not equal).
    Field { field: Field, value: String, exclude: bool },
    /// Failed events: any error, or one code.
    Error { code: Option<String> },
    /// Text in any of the event's fields (case-insensitive); `*` matches any run of characters
    /// and anchors the pattern to a whole field.
    Text { pattern: String, exclude: bool },
    /// Events from `since` (inclusive) to `until` (exclusive).
    Time { since: Millis, until: Millis },
}

impl Filter {
    /// A short label for the status bar.
    pub fn label(&self) -> String {
        match self {
            Filter::Lineage { label, .. } | Filter::Events { label, .. } => label.clone(),
            Filter::Field { field, value, exclude } => {
                format!("{}{}={}", if *exclude { "-" } else { "" }, field_name(*field), value)
            }
            Filter::Error { code: None } => "errors".into(),
            Filter::Error { code: Some(c) } => format!("error={c}"),
            Filter::Text { pattern, exclude: false } => format!("+{pattern}"),
            Filter::Text { pattern, exclude: true } => format!("-{pattern}"),
            Filter::Time { since, until } => format!("{} .. {}", format_short(*since), format_short(*until)),
        }
    }

    /// Two filters of one kind replace each other (a new lineage or evidence list, a new
    /// window, the same field's new value); text filters stack.
    pub fn replaces(&self, other: &Filter) -> bool {
        match (self, other) {
            (Filter::Lineage { .. } | Filter::Events { .. }, Filter::Lineage { .. } | Filter::Events { .. })
            | (Filter::Time { .. }, Filter::Time { .. })
            | (Filter::Error { .. }, Filter::Error { .. }) => true,
            (Filter::Field { field: a, exclude: x, .. }, Filter::Field { field: b, exclude: y, .. }) => {
                a == b && x == y
            }
            _ => false,
        }
    }
}

pub fn field_name(f: Field) -> &'static str {
    FIELD_NAMES.iter().find(|(_, g)| *g == f).map_or("?", |(n, _)| n)
}

/// `name=value` keys for `:filter-in` / `:filter-out`.
pub const FIELD_NAMES: [(&str, Field); 5] = [
    ("name", Field::Name),
    ("source", Field::Source),
    ("ip", Field::Ip),
    ("principal", Field::Principal),
    ("key", Field::Key),
];

/// Whether the filter names events by their position in one model (a new model cannot take it).
pub fn is_positional(f: &Filter) -> bool {
    matches!(f, Filter::Lineage { .. } | Filter::Events { .. })
}

/// Reads a `:filter-in` / `:filter-out` argument: `name=…`, `source=…`, `ip=…`,
/// `principal=…`, `key=…`, `error` or `error=CODE` (filter-in only), or text.
pub fn parse(arg: &str, exclude: bool) -> Result<Filter, String> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Err("give text, a *pattern*, or field=value (name, source, ip, principal, key, error)".into());
    }
    if arg == "error" || arg == "errors" {
        return if exclude { Err(no_error_out()) } else { Ok(Filter::Error { code: None }) };
    }
    if let Some((k, v)) = arg.split_once('=') {
        if k == "error" {
            return if exclude { Err(no_error_out()) } else { Ok(Filter::Error { code: Some(v.to_string()) }) };
        }
        if let Some(&(_, field)) = FIELD_NAMES.iter().find(|(n, _)| *n == k) {
            return Ok(Filter::Field { field, value: v.to_string(), exclude });
        }
    }
    Ok(Filter::Text { pattern: arg.to_string(), exclude })
}

fn no_error_out() -> String {
    "hiding errors is not a filter: use :filter-in error to see only them".into()
}

/// A filter made ready to test events: symbols looked up, text decided per distinct string.
enum Ready {
    Sessions { keep: Vec<bool>, issuing: Vec<u32> },
    Events(Vec<u32>),
    Field { field: Field, code: Option<u32>, exclude: bool },
    Error { code: Option<Option<Sym>> },
    Text { hits: TextHits, exclude: bool },
}

/// The shown rows for these filters, in time order.
pub fn rows(m: &Model, filters: &[Filter]) -> Vec<u32> {
    let ix = &m.ix;
    let (mut since, mut until) = (None::<Millis>, None::<Millis>);
    for f in filters {
        if let Filter::Time { since: a, until: b } = f {
            since = Some(since.map_or(*a, |s| s.max(*a)));
            until = Some(until.map_or(*b, |u| u.min(*b)));
        }
    }
    let span = ix.time_span(since, until);
    let ready: Vec<Ready> = filters.iter().filter_map(|f| prepare(m, f)).collect();
    let passes = |pos: usize| {
        let e = &ix.events[pos];
        ready.iter().all(|r| match r {
            Ready::Sessions { keep, issuing } => {
                e.session().is_some_and(|s| keep.get(s) == Some(&true)) || issuing.binary_search(&(pos as u32)).is_ok()
            }
            Ready::Events(events) => events.binary_search(&(pos as u32)).is_ok(),
            Ready::Field { field, code, exclude } => (code.is_some_and(|c| ix.code(e, *field) == c)) != *exclude,
            Ready::Error { code: None } => e.is_error(),
            Ready::Error { code: Some(c) } => c.is_some_and(|c| ix.sym(e, Field::Error) == c),
            Ready::Text { hits, exclude } => hits.event(e) != *exclude,
        })
    };
    span.filter(|&p| passes(p)).map(|p| p as u32).collect()
}

fn prepare(m: &Model, f: &Filter) -> Option<Ready> {
    let ix = &m.ix;
    Some(match f {
        Filter::Lineage { sessions, issuing, .. } => {
            let mut keep = vec![false; ix.sessions.len()];
            for &s in sessions.iter() {
                if let Some(k) = keep.get_mut(s as usize) {
                    *k = true;
                }
            }
            let mut issuing = issuing.to_vec();
            issuing.sort_unstable();
            Ready::Sessions { keep, issuing }
        }
        Filter::Events { events, .. } => {
            let mut events = events.to_vec();
            events.sort_unstable();
            Ready::Events(events)
        }
        Filter::Field { field, value, exclude } => {
            Ready::Field { field: *field, code: ix.code_of(*field, value), exclude: *exclude }
        }
        Filter::Error { code: None } => Ready::Error { code: None },
        Filter::Error { code: Some(c) } => Ready::Error { code: Some(ix.strings.get(c)) },
        Filter::Text { pattern, exclude } => {
            Ready::Text { hits: TextHits::new(m, &Pattern::new(pattern)), exclude: *exclude }
        }
        Filter::Time { .. } => return None,
    })
}

/// Whether `s` matches `pattern`, without case: a substring, or, with `*`, the whole of `s`
/// (`Describe*` matches `DescribeInstances`, `*Policy` matches `PutUserPolicy`).
#[cfg(test)]
fn text_matches(s: &str, pattern: &str) -> bool {
    Pattern::new(pattern).matches(s, &mut Vec::new())
}

/// Which events have a text field (name, source, principal, key, source IP, error, user
/// agent) that a pattern matches: each distinct string decided once, then each distinct call
/// (name, source) and signer (principal, key), so that an event costs five look-ups (a
/// million of them: tens of milliseconds; with a hash set a search took 82 ms). An IPv4
/// address has no string (`Addr`): it is written out and matched only for a pattern that
/// could match one (digits and dots).
pub struct TextHits {
    strings: Vec<bool>,
    calls: Vec<bool>,
    signers: Vec<bool>,
    addresses: Option<Box<Pattern>>,
}

/// A call field's place in the rows of `Index::calls`.
const fn call_at(f: Field) -> usize {
    match f.slot() {
        Slot::Call(i) => i,
        _ => panic!("not a call field"),
    }
}

/// The call's fields the text search looks in: the name, the source and the error code (not
/// the region).
const SEARCHED_CALL: [usize; 3] = [call_at(Field::Name), call_at(Field::Source), call_at(Field::Error)];

impl TextHits {
    pub fn new(m: &Model, pattern: &Pattern) -> TextHits {
        let ix = &m.ix;
        let strings = decide_strings(&ix.strings, pattern);
        let hit = |s: Sym| strings.get(s.0 as usize) == Some(&true);
        let calls = ix.calls.iter().map(|c| SEARCHED_CALL.iter().any(|&i| hit(c[i]))).collect();
        let signers = ix.signers.iter().map(|s| hit(s[0]) || hit(s[1])).collect();
        let addresses = pattern.could_match_an_address().then(|| Box::new(pattern.clone()));
        TextHits { strings, calls, signers, addresses }
    }

    pub fn event(&self, e: &tokentrail::index::event::Event) -> bool {
        let hit = |s: Sym| self.strings.get(s.0 as usize) == Some(&true);
        self.calls.get(e.call_id()) == Some(&true)
            || self.signers.get(e.signer as usize) == Some(&true)
            || hit(e.user_agent())
            || match (e.source_ip().sym(), &self.addresses) {
                (Some(s), _) => hit(s),
                (None, Some(p)) => e.source_ip().v4_text().is_some_and(|t| p.matches_address(t.as_bytes())),
                (None, None) => false,
            }
    }
}

/// Whether `pattern` matches each distinct string, by symbol: on every core past
/// `SPLIT_AT` strings (an agent per event: 850,000 strings took 60 ms on one).
fn decide_strings(strings: &tokentrail::index::intern::Interner, pattern: &Pattern) -> Vec<bool> {
    const SPLIT_AT: usize = 65_536;
    let decide = |range: std::ops::Range<usize>| -> Vec<bool> {
        let mut buf = Vec::new();
        range
            .map(|i| {
                let s = strings.resolve(Sym(i as u32));
                !s.is_empty() && pattern.matches(s, &mut buf)
            })
            .collect()
    };
    let n = strings.len();
    let parts = std::thread::available_parallelism().map_or(1, |p| p.get()).min(n / SPLIT_AT).max(1);
    if parts == 1 {
        return decide(0..n);
    }
    let chunk = n.div_ceil(parts);
    let range = |k: usize| k * chunk..((k + 1) * chunk).min(n);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts).map(|k| scope.spawn(move || decide(range(k)))).collect();
        let mut out = Vec::with_capacity(n);
        for (k, h) in handles.into_iter().enumerate() {
            // A part whose thread could not finish is decided here.
            out.extend(h.join().unwrap_or_else(|_| decide(range(k))));
        }
        out
    })
}

/// A text filter's pattern, split once: text anywhere in a field, or, with `*`, a whole
/// field — its first part a prefix, its last a suffix, the others in order between them.
/// Matched without case, with no allocation for ASCII text (a rejected prefix costs nothing).
#[derive(Clone)]
pub struct Pattern {
    parts: Vec<Vec<u8>>,
    star: bool,
    finder: memchr::memmem::Finder<'static>,
}

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        let lower = pattern.to_lowercase();
        let parts: Vec<Vec<u8>> = lower.split('*').map(|p| p.as_bytes().to_vec()).collect();
        Pattern { star: parts.len() > 1, finder: memchr::memmem::Finder::new(lower.as_bytes()).into_owned(), parts }
    }

    /// Text to find anywhere, `*` included (a search, not a filter).
    pub fn literal(text: &str) -> Pattern {
        let lower = text.to_lowercase();
        Pattern {
            star: false,
            finder: memchr::memmem::Finder::new(lower.as_bytes()).into_owned(),
            parts: vec![lower.into_bytes()],
        }
    }

    pub fn matches(&self, s: &str, buf: &mut Vec<u8>) -> bool {
        if !s.is_ascii() {
            return self.matches_folded(s.to_lowercase().as_bytes());
        }
        let b = s.as_bytes();
        if self.star {
            let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
            let fits = b.len() >= first.len() + last.len()
                && b[..first.len()].eq_ignore_ascii_case(first)
                && b[b.len() - last.len()..].eq_ignore_ascii_case(last);
            if !fits {
                return false;
            }
        }
        buf.clear();
        buf.extend(b.iter().map(u8::to_ascii_lowercase));
        self.matches_folded(buf)
    }

    /// Whether it could match an IPv4 address's text (it holds only digits, dots and `*`).
    fn could_match_an_address(&self) -> bool {
        self.parts.iter().flatten().all(|&b| b.is_ascii_digit() || b == b'.')
    }

    /// On an address's text (digits and dots, at most 15 of them): a plain search is cheaper
    /// there than the finder's.
    fn matches_address(&self, t: &[u8]) -> bool {
        match (self.star, self.parts.first()) {
            (false, Some(n)) => n.is_empty() || t.windows(n.len()).any(|w| w == n.as_slice()),
            _ => self.matches_folded(t),
        }
    }

    /// On text already lower-cased.
    fn matches_folded(&self, s: &[u8]) -> bool {
        if !self.star {
            return self.finder.find(s).is_some();
        }
        let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
        if s.len() < first.len() + last.len() || !s.starts_with(first) || !s.ends_with(last) {
            return false;
        }
        let mut rest = &s[first.len()..s.len() - last.len()];
        for mid in &self.parts[1..self.parts.len() - 1] {
            match memchr::memmem::find(rest, mid) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }
}

/// A window `before`..`after` around an event's time.
pub fn around(m: &Model, event: usize, before: Millis, after: Millis) -> Filter {
    let t = m.ix.events[event].time;
    Filter::Time { since: t.saturating_sub(before), until: t.saturating_add(after).saturating_add(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_an_analyst_expects() {
        assert!(text_matches("describeinstances", "describe*"));
        assert!(!text_matches("getdescribe", "describe*"));
        assert!(text_matches("putuserpolicy", "*policy"));
        assert!(text_matches("putuserpolicy", "put*policy"));
        assert!(text_matches("putuserpolicy", "user"));
        assert!(!text_matches("ab", "a*b*b"));
        assert!(text_matches("abb", "a*b*b"));
        assert!(text_matches("anything", "*"));
    }

    #[test]
    fn arguments_name_fields_or_text() {
        assert_eq!(
            parse("name=AssumeRole", false),
            Ok(Filter::Field { field: Field::Name, value: "AssumeRole".into(), exclude: false })
        );
        assert_eq!(parse("error", false), Ok(Filter::Error { code: None }));
        assert_eq!(parse("error=AccessDenied", false), Ok(Filter::Error { code: Some("AccessDenied".into()) }));
        assert!(parse("error", true).is_err());
        assert_eq!(parse("Describe*", true), Ok(Filter::Text { pattern: "Describe*".into(), exclude: true }));
        assert!(parse("  ", false).is_err());
    }

    #[test]
    fn addresses_are_found_by_their_text_whether_kept_as_numbers_or_as_text() {
        // The sample's addresses, and records written with an address in another form.
        let odd = ["01.2.3.4", "AWS Internal", "2001:db8::7", "240.0.0.9", "198.51.100.23"];
        let docs: Vec<String> = odd
            .iter()
            .enumerate()
            .map(|(n, ip)| {
                format!(
                    r#"{{"Records":[{{"eventTime":"2024-11-30T10:00:0{n}Z","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"00000000-0000-4000-8000-00000000000{n}","sourceIPAddress":"{ip}","userIdentity":{{"type":"IAMUser","accessKeyId":"AKIAODD","arn":"arn:aws:iam::1:user/u"}}}}]}}"#
                )
            })
            .collect();
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        for m in [crate::tui::tests::model(), Arc::new(Model::new(tokentrail::loader::load_docs(&docs)))] {
            let ix = &m.ix;
            let texts: Vec<String> = ix.events.iter().map(|e| ix.field(e, Field::Ip).to_string()).collect();
            let mut distinct = texts.clone();
            distinct.sort();
            distinct.dedup();
            assert!(distinct.len() > 1);
            for ip in distinct.iter().filter(|t| !t.is_empty()) {
                let want: Vec<u32> = (0..texts.len() as u32).filter(|&i| texts[i as usize] == *ip).collect();
                let field = Filter::Field { field: Field::Ip, value: ip.clone(), exclude: false };
                assert_eq!(rows(&m, &[field]), want, "ip={ip}");
                // Any part of it, and a pattern of its start and end.
                let part = &ip[1..ip.len() - 1];
                let star = format!("{}*{}", &ip[..2], &ip[ip.len() - 1..]);
                for pattern in [part.to_string(), star] {
                    let p = Pattern::new(&pattern);
                    let hits = TextHits::new(&m, &p);
                    for (i, e) in ix.events.iter().enumerate() {
                        if p.matches(&texts[i], &mut Vec::new()) {
                            assert!(hits.event(e), "{pattern:?} finds {ip:?}");
                        }
                    }
                }
            }
            let none = Filter::Field { field: Field::Ip, value: "192.0.2.254".into(), exclude: false };
            assert!(rows(&m, &[none]).is_empty());
        }
    }
}
