//! What an event must hold for a rule to be able to match it, read from the rule's own
//! detection: `eventName: CreateAccessKey` in a selection the condition requires means only
//! events of that name need the engine. Only plain equality on a field the index holds as
//! CloudTrail wrote it (`index::event::AS_WRITTEN`) counts; anything else (modifiers,
//! wildcards, keywords, `not`, a condition this reader does not know) makes the rule need
//! every event. So this only ever
//! skips events the engine would not match (`tests::agrees_with_the_engine`).

use crate::index::event::{AS_WRITTEN, Field};
use std::collections::{BTreeMap, BTreeSet};

/// Necessary conditions, all of which hold for any event the rule matches: for each field,
/// what its value can be (one of these). Empty: the rule may match any event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs(pub BTreeMap<Field, BTreeSet<Want>>);

/// What a value can be, lower case as the engine lowers it (`lowered`): this value, or one
/// starting so (`|startswith`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    Is(String),
    StartsWith(String),
}

impl Want {
    pub fn admits(&self, v: &str) -> bool {
        // Lowered, an ASCII value is its ASCII lower case; a want holds no ASCII capital.
        match self {
            Want::Is(w) if v.is_ascii() => w.eq_ignore_ascii_case(v),
            Want::StartsWith(w) if v.is_ascii() => v.get(..w.len()).is_some_and(|p| w.eq_ignore_ascii_case(p)),
            Want::Is(w) => w.chars().eq(v.chars().flat_map(char::to_lowercase)),
            Want::StartsWith(w) => {
                let mut lowered = v.chars().flat_map(char::to_lowercase);
                w.chars().all(|c| lowered.next() == Some(c))
            }
        }
    }
}

/// A value lower case as the engine lowers it: each char on its own (`sigma_rust`'s
/// wildcard matcher), not as `str::to_lowercase` (which lowers a final sigma differently).
pub fn lowered(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

impl Needs {
    pub fn any() -> Needs {
        Needs::default()
    }

    pub fn is_any(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether an event whose fields have these values (`value(field)`) can match.
    pub fn admit<T: AsRef<str>>(&self, mut value: impl FnMut(Field) -> T) -> bool {
        self.0.iter().all(|(f, allowed)| {
            let v = value(*f);
            allowed.iter().any(|a| a.admits(v.as_ref()))
        })
    }

    /// These needs as two: those on the fields `which` holds, and the rest.
    pub fn split(mut self, which: &[Field]) -> (Needs, Needs) {
        let (mine, rest) = std::mem::take(&mut self.0).into_iter().partition(|(f, _)| which.contains(f));
        (Needs(mine), Needs(rest))
    }

    /// Both hold: every condition of each. On a shared field, values are intersected; where
    /// either side has a prefix, one side is kept (either alone is a necessary condition),
    /// the one of values only if there is one.
    fn and(mut self, other: Needs) -> Needs {
        let exact = |w: &BTreeSet<Want>| w.iter().all(|w| matches!(w, Want::Is(_)));
        for (f, vals) in other.0 {
            match self.0.get_mut(&f) {
                Some(mine) if exact(mine) && exact(&vals) => mine.retain(|v| vals.contains(v)),
                Some(mine) if !exact(mine) && exact(&vals) => *mine = vals,
                Some(_) => {}
                None => {
                    self.0.insert(f, vals);
                }
            }
        }
        self
    }

    /// One of them holds: on each field both constrain, the value is one of either's.
    fn or(self, other: Needs) -> Needs {
        let mut out = BTreeMap::new();
        for (f, mut vals) in self.0 {
            if let Some(theirs) = other.0.get(&f) {
                vals.extend(theirs.iter().cloned());
                out.insert(f, vals);
            }
        }
        Needs(out)
    }
}

/// The needs of a rule given its detection block and its condition (as the engine read it).
pub fn of_detection(detection: &serde_norway::Mapping, condition: &str) -> Needs {
    let selections: Vec<(String, Needs)> =
        super::selections(detection).map(|(k, v)| (k.to_string(), of_selection(v))).collect();
    let tokens = tokens(condition);
    let mut p = Parser { tokens: &tokens, at: 0, selections: &selections, depth: 0 };
    match p.or() {
        Some(n) if p.at == tokens.len() => n,
        _ => Needs::any(),
    }
}

/// A selection: a map (all its fields) or a list of maps (any one of them).
fn of_selection(v: &serde_norway::Value) -> Needs {
    if let Some(map) = v.as_mapping() {
        return map.iter().map(|(k, v)| of_field(k.as_str(), v)).fold(Needs::any(), Needs::and);
    }
    match v.as_sequence() {
        Some(seq) if !seq.is_empty() && seq.iter().all(|m| m.is_mapping()) => {
            let mut each = seq.iter().map(of_selection);
            let first = each.next().unwrap_or_default();
            each.fold(first, Needs::or)
        }
        _ => Needs::any(),
    }
}

/// `field: value` or `field: [values]` (plain equality), or `field|startswith: …`, on an
/// indexed field only.
fn of_field(key: Option<&str>, v: &serde_norway::Value) -> Needs {
    let (name, want): (Option<&str>, fn(String) -> Want) = match key.and_then(|k| k.strip_suffix("|startswith")) {
        Some(name) => (Some(name), Want::StartsWith),
        None => (key, Want::Is),
    };
    let Some(&(_, field)) = AS_WRITTEN.iter().find(|(n, _)| Some(*n) == name) else { return Needs::any() };
    let plain =
        |v: &serde_norway::Value| v.as_str().filter(|s| !s.contains(['*', '?', '\\'])).map(|s| want(lowered(s)));
    let values: Option<BTreeSet<Want>> = match v.as_sequence() {
        Some(seq) if !seq.is_empty() => seq.iter().map(plain).collect(),
        Some(_) => None,
        None => plain(v).map(|s| BTreeSet::from([s])),
    };
    values.map_or_else(Needs::any, |vals| Needs(BTreeMap::from([(field, vals)])))
}

fn tokens(condition: &str) -> Vec<String> {
    condition.replace('(', " ( ").replace(')', " ) ").split_whitespace().map(str::to_string).collect()
}

/// A reader of Sigma conditions (`or` < `and` < `not`; `1 of`, `all of`, `them`), giving
/// `None` for what it does not know.
struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
    selections: &'a [(String, Needs)],
    /// Parentheses and `not`s open: past `MAX_DEPTH` the reader gives up (a rule file is
    /// another's text).
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn eat(&mut self, word: &str) -> bool {
        let hit = self.peek().is_some_and(|t| t.eq_ignore_ascii_case(word));
        self.at += usize::from(hit);
        hit
    }

    fn or(&mut self) -> Option<Needs> {
        let mut n = self.and()?;
        while self.eat("or") {
            n = n.or(self.and()?);
        }
        Some(n)
    }

    fn and(&mut self) -> Option<Needs> {
        let mut n = self.not()?;
        while self.eat("and") {
            n = n.and(self.not()?);
        }
        Some(n)
    }

    fn not(&mut self) -> Option<Needs> {
        if self.eat("not") {
            self.deeper()?;
            self.not()?;
            self.depth -= 1;
            return Some(Needs::any());
        }
        self.primary()
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn primary(&mut self) -> Option<Needs> {
        if self.eat("(") {
            self.deeper()?;
            let n = self.or()?;
            self.depth -= 1;
            return self.eat(")").then_some(n);
        }
        let word = self.peek()?.to_string();
        self.at += 1;
        let all = word.eq_ignore_ascii_case("all");
        if (all || word == "1") && self.eat("of") {
            let pattern = self.peek()?.to_string();
            self.at += 1;
            let named: Vec<Needs> = self
                .selections
                .iter()
                .filter(|(name, _)| pattern == "them" || glob(&pattern, name))
                .map(|(_, n)| n.clone())
                .collect();
            let mut each = named.into_iter();
            let first = each.next()?;
            return Some(if all { each.fold(first, Needs::and) } else { each.fold(first, Needs::or) });
        }
        if word.contains(['(', ')', '|']) || ["and", "or", "of"].iter().any(|k| word.eq_ignore_ascii_case(k)) {
            return None;
        }
        self.selections.iter().find(|(name, _)| *name == word).map(|(_, n)| n.clone())
    }
}

/// `*` (any run) and `?` (one character) in a selection-name pattern: the usual greedy match
/// that goes back only to the last `*`, so a pattern of many stars stays linear-ish (a rule
/// file is another's text).
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        match p.get(i) {
            Some('*') => {
                star = Some((i, j));
                i += 1;
            }
            Some(&c) if c == '?' || c == n[j] => {
                i += 1;
                j += 1;
            }
            _ => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(detection: &str) -> Needs {
        let yaml = format!("title: t\ndetection:\n{detection}");
        let doc: serde_norway::Value = serde_norway::from_str(&yaml).expect("yaml");
        let cond = doc["detection"]["condition"].as_str().expect("condition").to_string();
        of_detection(&super::super::detection_of(&yaml).expect("detection"), &cond)
    }

    fn names(n: &Needs) -> Vec<&str> {
        n.0.get(&Field::Name)
            .map(|s| {
                s.iter()
                    .map(|w| match w {
                        Want::Is(v) | Want::StartsWith(v) => v.as_str(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn plain_names_in_a_required_selection() {
        let n = needs(
            "  selection:\n    eventSource: iam.amazonaws.com\n    eventName:\n      - CreateAccessKey\n      - DeleteUser\n  filter:\n    userIdentity.type: Root\n  condition: selection and not filter\n",
        );
        assert_eq!(names(&n), ["createaccesskey", "deleteuser"]);
        assert!(n.0.contains_key(&Field::Source));
        assert!(!n.0.contains_key(&Field::IdentityType), "a `not` requires nothing");
    }

    #[test]
    fn modifiers_wildcards_and_keywords_need_every_event() {
        for d in [
            "  selection:\n    eventName|endswith: Create\n  condition: selection\n",
            "  selection:\n    eventName: Create*\n  condition: selection\n",
            "  keywords:\n    - CreateAccessKey\n  condition: keywords\n",
            "  selection:\n    eventName: CreateAccessKey\n  condition: not selection\n",
            "  selection:\n    eventName: CreateAccessKey\n  other:\n    userAgent: x\n  condition: selection or other\n",
            "  selection:\n    eventName: CreateAccessKey\n  condition: selection | count() > 5\n",
            "  selection:\n    requestParameters.userName: bob\n  condition: selection\n",
        ] {
            assert!(needs(d).is_any(), "{d}");
        }
    }

    #[test]
    fn one_of_and_all_of_patterns() {
        let d = "  sel_a:\n    eventName: A\n  sel_b:\n    eventName: B\n  status:\n    errorCode: X\n";
        assert_eq!(names(&needs(&format!("{d}  condition: 1 of sel_*\n"))), ["a", "b"]);
        assert!(names(&needs(&format!("{d}  condition: all of sel_*\n"))).is_empty(), "A and B: none");
        let n = needs(&format!("{d}  condition: (sel_a or sel_b) and status\n"));
        assert_eq!(names(&n), ["a", "b"]);
        assert!(n.0.contains_key(&Field::Error));
        assert!(needs(&format!("{d}  condition: 1 of them\n")).is_any(), "status has no name");
        assert!(needs(&format!("{d}  condition: 1 of nothing_*\n")).is_any());
    }

    #[test]
    fn a_list_of_maps_is_any_one_of_them() {
        let n = needs(
            "  selection:\n    - eventName: A\n      eventSource: s\n    - eventName: B\n  condition: selection\n",
        );
        assert_eq!(names(&n), ["a", "b"]);
        assert!(!n.0.contains_key(&Field::Source), "only the first map names a source");
    }

    #[test]
    fn selection_name_patterns() {
        assert!(glob("sel_*", "sel_a") && glob("*", "") && glob("a?c", "abc") && glob("*b*", "abc"));
        assert!(!glob("sel_*", "filter") && !glob("a?c", "ac") && !glob("b*", "abc"));
        let deep = format!("{}sel_a{}", "( ".repeat(10_000), " )".repeat(10_000));
        let yaml = "detection:\n  sel_a:\n    eventName: A\n  condition: x\n";
        let detection = super::super::detection_of(yaml).expect("detection");
        assert!(of_detection(&detection, &deep).is_any(), "too deep: every event, no overflow");
        let many = format!("{}x", "*".repeat(40));
        assert!(!glob(&many, &"a".repeat(60)), "many stars, quickly");
    }

    #[test]
    fn a_prefix_is_a_need() {
        let n = needs(
            "  selection:\n    eventName|startswith: UpdateFunction\n    eventSource: s\n  condition: selection\n",
        );
        assert!(n.admit(|f| if f == Field::Name { "updatefunctionCODE20150331" } else { "S" }));
        assert!(!n.admit(|f| if f == Field::Name { "GetFunction" } else { "s" }));
        assert!(!n.admit(|f| if f == Field::Name { "Update" } else { "s" }), "shorter than the prefix");
        let both = needs("  a:\n    eventName|startswith: Up\n  b:\n    eventName: UpdateX\n  condition: a and b\n");
        assert_eq!(both.0[&Field::Name], BTreeSet::from([Want::Is("updatex".into())]), "the exact side is kept");
        assert!(
            Want::StartsWith("σ".into()).admits("Σx") && Want::Is("aσ".into()).admits("AΣ"),
            "lowered char by char"
        );
    }

    #[test]
    fn admit_is_case_insensitive() {
        let n = needs("  selection:\n    eventName: CreateAccessKey\n  condition: selection\n");
        assert!(n.admit(|_| "createACCESSkey"));
        assert!(!n.admit(|_| "ListUsers"));
        assert!(Needs::any().admit(|_| ""));
    }
}
