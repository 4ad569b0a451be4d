//! The `:` prompt: filter commands and the other actions by name, with completion (`Tab`) and
//! history (up/down).
//!
//! `:filter-in ARG`, `:filter-out ARG` (text, a `*` pattern, or `name=`, `source=`, `ip=`,
//! `principal=`, `key=`, `error`, `error=CODE`), `:time ±15m` (around the selected event;
//! `+-15m` too), `:time FROM UNTIL` (UTC, from inclusive, until exclusive), `:time last 1h`
//! (of the logs), `:time off`, `:drop [N]`, `:clear`, `:mark [COMMENT]`, `:root KEY`, `:export`,
//! `:goto TIME|ID`.

use super::app::App;
use super::filter::{Filter, around, parse};
use std::sync::Arc;
use tokentrail::model::Model;
use tokentrail::time::{Millis, parse_bound, unreadable_time};

/// Every command, with what it takes, for completion and help.
pub const COMMANDS: [(&str, &str); 10] = [
    ("filter-in", "TEXT | *PATTERN* | name= source= ip= principal= key= | error[=CODE]"),
    ("filter-out", "TEXT | *PATTERN* | name= source= ip= principal= key="),
    ("time", "±15m | FROM UNTIL | last 1h | off"),
    ("drop", "[N]: drop filter N (the last when none)"),
    ("mark", "[COMMENT]: mark the selected event"),
    ("clear", "drop every filter"),
    ("root", "KEY: the checklist's root"),
    ("export", "write the report (Markdown and JSON)"),
    ("goto", "TIME | EVENT-ID"),
    ("help", "the commands"),
];

/// The window `t` opens around the selected event.
pub const DEFAULT_WINDOW: Millis = 15 * 60_000;

/// Completes a command's name: the text with the only command it can be (or as far as the
/// commands it can be agree), or the commands it could be.
pub fn complete(text: &str) -> Result<String, Vec<&'static str>> {
    if text.contains(' ') {
        let (cmd, arg) = text.split_once(' ').unwrap_or((text, ""));
        if cmd == "filter-in" || cmd == "filter-out" {
            // The field names (`name=`, `source=`, …, `error` for filter-in).
            let mut names: Vec<String> = super::filter::FIELD_NAMES.iter().map(|(n, _)| format!("{n}=")).collect();
            if cmd == "filter-in" {
                names.push("error".into());
            }
            let fits: Vec<&String> = names.iter().filter(|n| n.starts_with(arg) && !arg.is_empty()).collect();
            return match fits.as_slice() {
                [one] => Ok(format!("{cmd} {one}")),
                _ => Err(Vec::new()),
            };
        }
        if cmd == "time" {
            let presets = ["±15m", "last 1h", "last 24h", "off"];
            let fits: Vec<&str> = presets.iter().copied().filter(|p| p.starts_with(arg.trim_start())).collect();
            return match fits.as_slice() {
                [one] => Ok(format!("time {one}")),
                _ => Err(fits),
            };
        }
        return Err(Vec::new());
    }
    let fits: Vec<&str> = COMMANDS.iter().map(|(c, _)| *c).filter(|c| c.starts_with(text)).collect();
    match fits.as_slice() {
        [one] => Ok(format!("{one} ")),
        [first, rest @ ..] => {
            let common = rest
                .iter()
                .fold(first.len(), |n, c| first.bytes().zip(c.bytes()).take(n).take_while(|(a, b)| a == b).count());
            if common > text.len() { Ok(first[..common].to_string()) } else { Err(fits) }
        }
        [] => Err(fits),
    }
}

/// Runs a command line; what it did, or why it could not, is the status bar's message.
pub fn run(app: &mut App, m: &Arc<Model>, line: &str) {
    let line = line.trim().trim_start_matches(':');
    let (cmd, arg) = line.split_once(' ').map_or((line, ""), |(c, a)| (c, a.trim()));
    let result: Result<Option<String>, String> = match cmd {
        "filter-in" | "filter-out" => parse(arg, cmd == "filter-out").map(|f| {
            app.history.push(app.snapshot());
            let label = f.label();
            super::filtering::add(app, m, f);
            Some(format!("filter {label}"))
        }),
        "time" => time(app, m, arg),
        "drop" => match arg {
            "" => {
                super::filtering::drop(app, m, None);
                Ok(None)
            }
            n => n.parse().map_err(|_| format!("drop takes a filter's number, not {n:?}")).map(|n| {
                super::filtering::drop(app, m, Some(n));
                None
            }),
        },
        "clear" => {
            app.history.push(app.snapshot());
            let keep = app.timeline.selected_event(m);
            app.timeline.clear_filter(m, keep);
            Ok(Some("every filter dropped".into()))
        }
        "root" => match m.lin.nodes_with_key(&m.ix, arg).first() {
            Some(&n) => {
                super::case_root::set_root(app, m, n);
                Ok(None)
            }
            None => Err(format!("{} is not in the loaded logs", tokentrail::text::sanitize(arg))),
        },
        "mark" => match app.timeline.selected_event(m) {
            Some(e) => {
                super::marks::save(app, m, e, arg.to_string());
                Ok(None)
            }
            None => Err("select an event to mark".into()),
        },
        "export" => {
            super::output::export(app, m);
            Ok(None)
        }
        "goto" => goto(app, m, arg),
        "help" | "" => Ok(Some(COMMANDS.iter().map(|(c, a)| format!(":{c} {a}")).collect::<Vec<_>>().join("   "))),
        other => Err(format!("no command {other:?}: {}", COMMANDS.map(|(c, _)| c).join(", "))),
    };
    match result {
        Ok(Some(msg)) => app.message = Some(msg),
        Ok(None) => {}
        Err(why) => app.message = Some(why),
    }
}

/// A length of time: `15m`, `1h`, `30s`, `2d`.
fn duration(s: &str) -> Option<Millis> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = n.parse().ok()?;
    let per = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(per)
}

fn time(app: &mut App, m: &Arc<Model>, arg: &str) -> Result<Option<String>, String> {
    let usage = || "time takes ±15m, FROM UNTIL, last 1h or off".to_string();
    let window = if arg == "off" {
        super::filtering::drop_time(app, m);
        return Ok(None);
    } else if let Some(d) = arg.strip_prefix('±').or_else(|| arg.strip_prefix("+-")) {
        let d = duration(d.trim()).ok_or_else(usage)?;
        let e = app.timeline.selected_event(m).ok_or("select an event first")?;
        around(m, e, d, d)
    } else if let Some(d) = arg.strip_prefix("last ") {
        let d = duration(d.trim()).ok_or_else(usage)?;
        let end = m.end_time();
        Filter::Time { since: end.saturating_sub(d), until: end.saturating_add(1) }
    } else {
        let parts: Vec<&str> = arg.split_whitespace().collect();
        // FROM and UNTIL, each one word (…T09:00) or two (2024-11-30 09:00).
        let (a, b) = match parts.as_slice() {
            [a, b] => (a.to_string(), b.to_string()),
            [a, b, c, d] => (format!("{a} {b}"), format!("{c} {d}")),
            [a, b, c] if parse_bound(&format!("{a} {b}")).is_some() => (format!("{a} {b}"), c.to_string()),
            [a, b, c] => (a.to_string(), format!("{b} {c}")),
            _ => return Err(usage()),
        };
        let since = parse_bound(&a).ok_or_else(|| unreadable_time(&a))?;
        let until = parse_bound(&b).ok_or_else(|| unreadable_time(&b))?;
        if until <= since {
            return Err("the window ends before it starts".into());
        }
        Filter::Time { since, until }
    };
    app.history.push(app.snapshot());
    let label = window.label();
    super::filtering::add(app, m, window);
    Ok(Some(format!("time window {label}")))
}

fn goto(app: &mut App, m: &Arc<Model>, arg: &str) -> Result<Option<String>, String> {
    let target = match parse_bound(arg) {
        Some(t) => m.ix.time_span(Some(t), None).start,
        None => (0..m.ix.events.len()).find(|&i| m.ix.event_id(&m.ix.events[i]) == arg).ok_or_else(|| {
            format!("{}: neither a time nor an event id in the logs", tokentrail::text::sanitize(arg))
        })?,
    };
    let n = app.timeline.len(m);
    let row = match &app.timeline.rows {
        Some(r) => r.partition_point(|&x| (x as usize) < target),
        None => target,
    };
    if n == 0 {
        return Err("no event is shown".into());
    }
    app.history.push(app.snapshot());
    app.timeline.selected = row.min(n - 1);
    app.focus = super::action::Pane::Timeline;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_complete_and_durations_read() {
        assert_eq!(complete("fil"), Ok("filter-".into()), "as far as they agree");
        assert_eq!(complete("filter-"), Err(vec!["filter-in", "filter-out"]));
        assert_eq!(complete("filter-o"), Ok("filter-out ".into()));
        assert_eq!(complete("time la"), Err(vec!["last 1h", "last 24h"]));
        assert_eq!(complete("time ±"), Ok("time ±15m".into()));
        assert_eq!(complete("filter-in na"), Ok("filter-in name=".into()));
        assert_eq!(complete("filter-in er"), Ok("filter-in error".into()));
        assert_eq!(complete("filter-out er"), Err(vec![]), "errors are not filtered out");
        assert_eq!(duration("15m"), Some(900_000));
        assert_eq!(duration("2d"), Some(172_800_000));
        assert_eq!(duration("15"), None);
        assert_eq!(duration("m"), None);
    }
}
