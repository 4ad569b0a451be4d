//! The timeline's filters: each keeps or hides events by one test, and they combine (an event
//! is shown when it passes them all): a lineage (`F`), a field's value (event name, source,
//! source IP, principal, key; for the source IP also a block, `ip=203.0.113.0/24`), errors
//! (any, or one code), free text or a `*` pattern in or out (`:filter-in`, `:filter-out`),
//! and a time window (`t`, `:time`).

pub use super::pattern::Pattern;
pub use super::text_hits::TextHits;
use std::sync::Arc;
use tokentrail::index::cidr::{BlockTest, Cidr};
use tokentrail::index::event::Field;
use tokentrail::index::intern::Sym;
use tokentrail::model::Model;
use tokentrail::time::{Millis, format_short};

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// The events of these sessions, and the events that issued their credentials.
    Lineage { sessions: Arc<Vec<u32>>, issuing: Arc<Vec<u32>>, label: String },
    /// These events (a checklist step's evidence), by position.
    Events { events: Arc<Vec<u32>>, label: String },
    /// A field equal to a value (`exclude`: not equal); for `Field::Ip`, a value with a `/`
    /// is a block (`Cidr`) the address is in.
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

/// Reads a `:filter-in` / `:filter-out` argument: `name=…`, `source=…`, `ip=…` (an address
/// or a block), `principal=…`, `key=…`, `error` or `error=CODE` (filter-in only), or text.
pub fn parse(arg: &str, exclude: bool) -> Result<Filter, String> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(
            "give text, a *pattern*, or field=value (name, source, ip, principal, key, error; ip=203.0.113.0/24 for a block)"
                .into(),
        );
    }
    if arg == "error" || arg == "errors" {
        return if exclude { Err(no_error_out()) } else { Ok(Filter::Error { code: None }) };
    }
    if let Some((k, v)) = arg.split_once('=') {
        if k == "error" {
            return if exclude { Err(no_error_out()) } else { Ok(Filter::Error { code: Some(v.to_string()) }) };
        }
        if let Some(&(_, field)) = FIELD_NAMES.iter().find(|(n, _)| *n == k) {
            if field == Field::Ip
                && let Some(Err(why)) = Cidr::parse(v)
            {
                return Err(why);
            }
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
    Block { block: BlockTest, exclude: bool },
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
            Ready::Block { block, exclude } => block.holds(e.source_ip()) != *exclude,
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
        Filter::Field { field: Field::Ip, value, exclude } if let Some(Ok(block)) = Cidr::parse(value) => {
            Ready::Block { block: BlockTest::new(block, &ix.strings), exclude: *exclude }
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
            // Blocks: every event whose address, as written, is in the block, and the rest out.
            for block in ["198.51.100.0/24", "2001:db8::/32", "240.0.0.0/4", "0.0.0.0/0", "192.0.2.0/24", "10.0.0.0/8"]
            {
                let cidr = Cidr::parse(block).expect("a slash").expect(block);
                let want: Vec<u32> =
                    (0..texts.len() as u32).filter(|&i| cidr.contains_text(&texts[i as usize])).collect();
                let filter = parse(&format!("ip={block}"), false).expect(block);
                assert_eq!(rows(&m, &[filter]), want, "ip={block}");
                let out: Vec<u32> = (0..texts.len() as u32).filter(|i| !want.contains(i)).collect();
                assert_eq!(rows(&m, &[parse(&format!("ip={block}"), true).expect(block)]), out, "-ip={block}");
            }
        }
        // The odd records: the block finds the addresses kept as text as well as the numbers.
        let m = Arc::new(Model::new(tokentrail::loader::load_docs(&docs)));
        let count = |block: &str| rows(&m, &[parse(&format!("ip={block}"), false).expect(block)]).len();
        assert_eq!(
            (count("198.51.100.0/24"), count("2001:db8::/32"), count("240.0.0.0/4"), count("0.0.0.0/0")),
            (1, 1, 1, 2)
        );
        assert!(parse("ip=198.51.100.0/33", false).is_err() && parse("ip=nowhere/8", true).is_err());
    }
}
