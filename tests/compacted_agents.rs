//! The workbench deflates the agents seen once (`Index::compact_agents`): every answer worked
//! out from the index must be the same after as before, on a load whose agents are nearly
//! all unique, some past ASCII, one key's all console agents.

use std::collections::HashMap;
use tokentrail::answer::events::EventAnswer;
use tokentrail::answer::suspects::SuspectsAnswer;
use tokentrail::index::event::Field;
use tokentrail::model::Model;

fn load() -> tokentrail::loader::Loaded {
    let docs = tokentrail::synth::unique_agents::docs(16, 1_200);
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    tokentrail::loader::load_docs(&docs)
}

#[test]
fn answers_are_the_same_with_agents_deflated() {
    let plain = load();
    let mut compact = load();
    let before = compact.ix.heap_bytes();
    compact.ix.compact_agents();
    let (a, b) = (&plain.ix, &compact.ix);
    assert!(b.agents.cold_len() > 12_000, "{} agents deflated", b.agents.cold_len());
    assert!(b.heap_bytes() * 3 < before * 2, "index {} → {} bytes", before, b.heap_bytes());
    assert_eq!(a.events.len(), b.events.len());

    // Each event's agent reads the same, and equal codes are equal texts (both ways).
    let mut code_of_text: HashMap<String, u32> = HashMap::new();
    let mut text_of_code: HashMap<u32, String> = HashMap::new();
    for (ea, eb) in a.events.iter().zip(&b.events) {
        let text = a.field(ea, Field::UserAgent).to_string();
        assert_eq!(b.field(eb, Field::UserAgent), text.as_str());
        let code = b.code(eb, Field::UserAgent);
        assert_eq!(*code_of_text.entry(text.clone()).or_insert(code), code, "{text:?}");
        assert_eq!(*text_of_code.entry(code).or_insert(text.clone()), text);
        assert_eq!(b.is_empty(eb, Field::UserAgent), text.is_empty());
        assert_eq!(EventAnswer::new(a, ea).json_line(), EventAnswer::new(b, eb).json_line());
    }
    // A filter's value finds a deflated agent, and only its event.
    for e in b.events.iter().step_by(997) {
        let text = b.field(e, Field::UserAgent).to_string();
        assert_eq!(b.code_of(Field::UserAgent, &text), Some(b.code(e, Field::UserAgent)), "{text:?}");
    }
    assert_eq!(b.code_of(Field::UserAgent, "aws-sdk-go-v2/1.0.0 os/linux#6.0 never logged at all"), None);

    // What the lineage makes of agents (console sessions, new agents) and the suspects.
    let (ma, mb) = (Model::new(plain), Model::new(compact));
    let flags =
        |m: &Model| m.lin.nodes.iter().map(|n| (m.ix.str(n.key).to_string(), n.flags.clone())).collect::<Vec<_>>();
    assert_eq!(flags(&ma), flags(&mb));
    assert!(
        mb.lin.nodes.iter().any(|n| n.flags.contains(&tokentrail::lineage::Flag::ConsoleByUserAgent)),
        "the key whose every call carries a console agent is a console session"
    );
    let suspects = |m: &Model| SuspectsAnswer::new(&m.ix, &m.lin, &m.suspects).json();
    assert_eq!(suspects(&ma), suspects(&mb));
}
