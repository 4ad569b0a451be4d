//! An event cut down to the fields the rules read. The engine looks fields up by name in a
//! map it builds of the whole event; building that map for every event costs more than the
//! rules. A rule's fields are its selections' keys (and the fields a `fieldref` names); a
//! rule with keywords, which search every value, reads the whole event.

use crate::redact;
use serde_json::Value;

/// The fields a rule reads (given its detection block), by their Sigma names; `None` when it
/// reads the whole event.
pub fn reads(detection: &serde_norway::Mapping) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for (key, values) in super::selection_fields(detection)? {
        let mut parts = key.split('|');
        out.push(parts.next()?.to_string());
        if parts.any(|m| m == "fieldref") {
            out.extend(values.into_iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<_>>>()?);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The event as the engine sees it (`redact::event_value`, secrets redacted), holding only
/// `fields` (each under its own name, found as the engine finds it), or all of it.
pub fn event(raw: &str, fields: Option<&[String]>) -> Option<sigma_rust::Event> {
    let Some(fields) = fields else {
        return sigma_rust::Event::try_from(redact::event_value(raw)).ok();
    };
    if let Some(cut) = cut_scanned(raw, fields) {
        return sigma_rust::Event::try_from(Value::Object(cut)).ok();
    }
    let whole = redact::opened_event(raw);
    whole.as_object()?;
    let mut cut = serde_json::Map::new();
    for name in fields {
        let Some((keys, part)) = lookup(&whole, name) else { continue };
        if let Some(part) = redact::redact_part(&keys, part.clone()) {
            cut.insert(name.clone(), part);
        }
    }
    sigma_rust::Event::try_from(Value::Object(cut)).ok()
}

/// A record's members (key, raw value) as the loader's scanner reads them; `None` when it gives
/// up (escaped keys, anything it does not read as `serde_json` would) or text follows.
fn members(object: &str) -> Option<Vec<(&str, &str)>> {
    use crate::loader::scan::{Bail, Cursor};
    let mut c = Cursor::new(object);
    if c.peek() != Some(b'{') {
        return None;
    }
    let mut out = Vec::new();
    c.object(|c, key| {
        out.push((std::str::from_utf8(key).map_err(|_| Bail)?, c.raw()?));
        Ok(())
    })
    .ok()?;
    c.at_end().then_some(out)
}

/// The cut-down fields of a plain record (no envelope), read with the scanner: only the
/// objects on the way to each field are read, and only its value is parsed. `None` (then the
/// whole is parsed) for an envelope or what the scanner gives up on.
fn cut_scanned(raw: &str, fields: &[String]) -> Option<serde_json::Map<String, Value>> {
    let top = members(raw)?;
    let envelope = crate::cloudtrail::envelope::Envelope::ALL
        .iter()
        .flat_map(|e| e.json_string_keys().iter().copied().chain(e.event_holder()))
        .any(|k| top.iter().any(|(key, _)| *key == k));
    if envelope {
        return None;
    }
    let wanted: Vec<(usize, &str)> = fields.iter().map(String::as_str).enumerate().collect();
    let mut found = vec![None; fields.len()];
    resolve(&top, &wanted, &[], &mut found)?;
    let mut cut = serde_json::Map::new();
    for (name, at) in fields.iter().zip(found) {
        let Some((keys, part)) = at else { continue };
        let part = crate::json::parse_value(part)?;
        if let Some(part) = redact::redact_part(&keys, part) {
            cut.insert(name.clone(), part);
        }
    }
    Some(cut)
}

/// Where each wanted field is, found as `lookup` finds it, in the members `m` of an object
/// reached through the keys `above`: each object on the way is scanned once, for all the
/// fields below it (the last of a repeated key counts, as `serde_json` keeps it). `None` when
/// the scanner gave up on the way.
#[allow(clippy::type_complexity)]
fn resolve<'a, 'n>(
    m: &[(&'a str, &'a str)],
    wanted: &[(usize, &'n str)],
    above: &[&'n str],
    found: &mut [Option<(Vec<&'n str>, &'a str)>],
) -> Option<()> {
    let get = |k: &str| m.iter().rev().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let mut deeper: Vec<(&'n str, usize, &'n str)> = Vec::new();
    for &(i, name) in wanted {
        if let Some(v) = get(name) {
            found[i] = Some(([above, &[name]].concat(), v));
        } else if let Some((head, tail)) = name.split_once('.') {
            deeper.push((head, i, tail));
        }
    }
    deeper.sort_by_key(|d| d.0);
    for group in deeper.chunk_by(|a, b| a.0 == b.0) {
        let head = group[0].0;
        let Some(inner) = get(head).filter(|v| v.starts_with('{')) else { continue };
        let below = members(inner)?;
        let tails: Vec<(usize, &'n str)> = group.iter().map(|&(_, i, t)| (i, t)).collect();
        resolve(&below, &tails, &[above, &[head]].concat(), found)?;
    }
    Some(())
}

/// A field as `sigma_rust::Event::get` finds it — the whole name as a key, else its first
/// dotted part as a key holding an object to look the rest up in, and so on — with the keys
/// it went through.
fn lookup<'a, 'n>(v: &'a Value, name: &'n str) -> Option<(Vec<&'n str>, &'a Value)> {
    let mut map = v.as_object()?;
    if let Some(found) = map.get(name) {
        return Some((vec![name], found));
    }
    let (mut keys, mut rest) = (Vec::new(), name);
    while let Some((head, tail)) = rest.split_once('.') {
        map = map.get(head)?.as_object()?;
        keys.push(head);
        if let Some(found) = map.get(tail) {
            keys.push(tail);
            return Some((keys, found));
        }
        rest = tail;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_reads_its_selection_keys_and_fieldrefs() {
        let yaml = "detection:\n  sel:\n    eventName: A\n    requestParameters.userName|fieldref: userIdentity.userName\n  other:\n    - userAgent|contains: x\n  condition: sel and not other\n";
        let reads = |yaml: &str| reads(&super::super::detection_of(yaml).expect("detection"));
        assert_eq!(
            reads(yaml).expect("fields"),
            ["eventName", "requestParameters.userName", "userAgent", "userIdentity.userName"]
        );
        assert_eq!(reads("detection:\n  kw:\n    - evil\n  condition: kw\n"), None, "keywords read everything");
    }

    #[test]
    fn a_cut_down_event_finds_what_the_whole_one_does_and_keeps_secrets_out() {
        let raw = r#"{"eventName":"GetSessionToken","a.b":1,"userIdentity":{"type":"IAMUser","x.y":{"z":2}},
            "responseElements":{"credentials":{"accessKeyId":"ASIAX","sessionToken":"IQoJb3JpZ2luSECRET"}},
            "requestParameters":{"SAMLAssertion":{"inner":"v"}}}"#;
        let names = [
            "eventName",
            "a.b",
            "userIdentity.type",
            "userIdentity.x.y.z",
            "responseElements.credentials.sessionToken",
            "responseElements.credentials.accessKeyId",
            "requestParameters.SAMLAssertion.inner",
            "missing.field",
        ]
        .map(String::from);
        let cut = event(raw, Some(&names)).expect("cut");
        let whole = event(raw, None).expect("whole");
        let wrapped = serde_json::json!({"EventId": "1", "CloudTrailEvent": raw}).to_string();
        let opened = event(&wrapped, Some(&names)).expect("through the envelope");
        assert!(cut_scanned(raw, &names).is_some(), "a plain record is scanned");
        assert!(cut_scanned(&wrapped, &names).is_none(), "an envelope is parsed whole");
        let escaped = raw.replace("\"a.b\"", "\"a\\u002eb\"");
        assert!(cut_scanned(&escaped, &names).is_none(), "an escaped key is parsed whole");
        for n in &names {
            assert_eq!(cut.get(n), whole.get(n), "{n}");
            assert_eq!(opened.get(n), whole.get(n), "{n}");
        }
        assert!(cut.get("userIdentity.type").is_some());
        let token = cut.get("responseElements.credentials.sessionToken").expect("token").value_to_string();
        assert_eq!(token, redact::REDACTED);
    }
}
