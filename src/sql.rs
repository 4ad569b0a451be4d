//! Past one machine: the SQL that pulls one incident out of a CloudTrail lake.
//!
//! One statement, against the schema of AWS's documented Athena CloudTrail table, returning
//! every event signed by the root key or by any credential descended from it (a recursive
//! CTE over issuing events), the issuing events included (they are signed by the parent).
//! A descendant key counts only from its issue time for 36 hours (the longest any STS
//! credential lives) and, where the issuing call names the new principal (assumedRoleUser /
//! federatedUser ARN), only when signed as that principal: a recycled ASIA id used by an
//! unrelated session is not pulled in.

use crate::cloudtrail::kind::ISSUING_CALLS;
use crate::time::{Millis, format_time};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Athena,
    DuckDb,
}

pub struct Closure<'a> {
    pub roots: &'a [String],
    pub table: &'a str,
    pub since: Option<Millis>,
    pub until: Option<Millis>,
}

const COLUMNS: &str = "e.eventversion, e.useridentity, e.eventtime, e.eventsource, e.eventname, e.awsregion, \
e.sourceipaddress, e.useragent, e.errorcode, e.errormessage, e.requestparameters, e.responseelements, \
e.requestid, e.eventid, e.eventtype, e.recipientaccountid, e.sharedeventid";

/// Longest life of any STS credential (GetSessionToken: 36 h).
const MAX_HOURS: u32 = 36;
/// Services' clocks differ: a use can be stamped a little before its issuance.
const SKEW_MINUTES: u32 = 5;
/// Deepest chain followed (Athena's default recursion limit is 10).
const MAX_DEPTH: u32 = 9;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A table name: dotted identifiers of letters, digits and underscores, each double-quoted.
pub fn table_ident(t: &str) -> Result<String, String> {
    let parts: Vec<&str> = t.split('.').collect();
    if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
        return Err(format!("not a table name: {t:?}"));
    }
    Ok(parts.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join("."))
}

pub fn closure_sql(engine: Engine, c: &Closure) -> Result<String, String> {
    if c.roots.is_empty() {
        return Err("at least one key is needed".into());
    }
    for k in c.roots {
        if k.is_empty() || !k.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(format!("not an access key id: {k:?}"));
        }
    }
    let table = table_ident(c.table)?;
    let (json, ts, hours, skew, epoch) = match engine {
        Engine::Athena => (
            "json_extract_scalar",
            "from_iso8601_timestamp",
            format!("INTERVAL '{MAX_HOURS}' HOUR"),
            format!("INTERVAL '{SKEW_MINUTES}' MINUTE"),
            "from_iso8601_timestamp('1970-01-01T00:00:00Z')",
        ),
        Engine::DuckDb => (
            "json_extract_string",
            "CAST",
            format!("INTERVAL {MAX_HOURS} HOUR"),
            format!("INTERVAL {SKEW_MINUTES} MINUTE"),
            "CAST('1970-01-01T00:00:00Z' AS TIMESTAMPTZ)",
        ),
    };
    let to_ts = |col: &str| match engine {
        Engine::Athena => format!("{ts}({col})"),
        Engine::DuckDb => format!("CAST({col} AS TIMESTAMPTZ)"),
    };
    // Partition-friendly: plain comparisons on the eventtime string (ISO 8601 sorts as text).
    let mut window = String::new();
    if let Some(t) = c.since {
        window.push_str(&format!("\n    AND {{e}}.eventtime >= {}", quote(&format_time(t))));
    }
    if let Some(t) = c.until {
        window.push_str(&format!("\n    AND {{e}}.eventtime < {}", quote(&format_time(t))));
    }
    let seeds = c
        .roots
        .iter()
        .map(|k| format!("  SELECT {} AS access_key_id, CAST(NULL AS VARCHAR) AS principal_arn, {epoch} AS issued_at, 0 AS depth", quote(k)))
        .collect::<Vec<_>>()
        .join("\n  UNION ALL\n");
    // The calls that issue a key, from the one declaration (`cloudtrail::kind::ISSUING_CALLS`),
    // grouped by event source; and every place their responses name the key.
    let mut sources: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut key_paths: Vec<&str> = Vec::new();
    for call in ISSUING_CALLS.iter().filter(|c| !c.key_paths.is_empty()) {
        match sources.iter_mut().find(|(s, _)| *s == call.source) {
            Some((_, names)) => names.push(call.name),
            None => sources.push((call.source, vec![call.name])),
        }
        for p in call.key_paths {
            if !key_paths.contains(p) {
                key_paths.push(p);
            }
        }
    }
    let calls = sources
        .iter()
        .map(|(s, names)| {
            let names = names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(", ");
            format!("(i.eventsource = {} AND i.eventname IN ({names}))", quote(s))
        })
        .collect::<Vec<_>>()
        .join("\n         OR ");
    let child_key = format!(
        "coalesce({})",
        key_paths.iter().map(|p| format!("{json}(i.responseelements, {})", quote(p))).collect::<Vec<_>>().join(", ")
    );
    let issued_window = window.replace("{e}", "i");
    let event_window = window.replace("{e}", "e");
    Ok(format!(
        "-- tokentrail: every event signed by {roots} or by a credential descended from it.
WITH RECURSIVE issued AS (
  SELECT i.useridentity.accesskeyid AS parent_key,
         {child_key} AS child_key,
         coalesce({json}(i.responseelements, '$.assumedRoleUser.arn'),
                  {json}(i.responseelements, '$.federatedUser.arn'),
                  {json}(i.responseelements, '$.credentialSet[0].assumedRoleUser.arn')) AS child_arn,
         {issued_ts} AS issued_at
  FROM {table} i
  WHERE i.errorcode IS NULL
    AND ({calls})
    AND {child_key} IS NOT NULL{issued_window}
),
lineage (access_key_id, principal_arn, issued_at, depth) AS (
{seeds}
  UNION ALL
  SELECT s.child_key, s.child_arn, s.issued_at, l.depth + 1
  FROM issued s
  JOIN lineage l ON s.parent_key = l.access_key_id AND s.issued_at >= l.issued_at - {skew}
  WHERE l.depth < {MAX_DEPTH} AND s.child_key <> l.access_key_id
)
SELECT {COLUMNS}
FROM {table} e
WHERE EXISTS (
    SELECT 1 FROM lineage l
    WHERE l.access_key_id = e.useridentity.accesskeyid
      AND (l.depth = 0 OR ({event_ts} >= l.issued_at - {skew} AND {event_ts} < l.issued_at + {hours}))
      AND (l.principal_arn IS NULL OR l.principal_arn = e.useridentity.arn)
  ){event_window}
ORDER BY e.eventtime, e.eventid",
        roots = c.roots.join(", "),
        issued_ts = to_ts("i.eventtime"),
        event_ts = to_ts("e.eventtime"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_name_the_roots_and_the_documented_columns() {
        let roots = vec!["AKIAEXAMPLE".to_string()];
        for engine in [Engine::Athena, Engine::DuckDb] {
            let sql =
                closure_sql(engine, &Closure { roots: &roots, table: "cloudtrail_logs", since: None, until: None })
                    .expect("sql");
            assert!(sql.contains("WITH RECURSIVE") && sql.contains("'AKIAEXAMPLE' AS access_key_id"));
            assert!(sql.contains("e.useridentity") && sql.contains("e.eventid"));
        }
        let a = closure_sql(Engine::Athena, &Closure { roots: &roots, table: "db.trail", since: Some(0), until: None })
            .expect("sql");
        assert!(
            a.contains("json_extract_scalar") && a.contains("from_iso8601_timestamp") && a.contains("\"db\".\"trail\"")
        );
        assert!(a.contains("e.eventtime >= '1970-01-01T00:00:00Z'"));
    }

    /// Every call that issues a key (the one declaration) is followed, with its key's path.
    #[test]
    fn every_issuing_call_that_names_a_key_is_followed() {
        let roots = vec!["AKIAEXAMPLE".to_string()];
        let sql =
            closure_sql(Engine::Athena, &Closure { roots: &roots, table: "t", since: None, until: None }).expect("sql");
        for call in ISSUING_CALLS.iter().filter(|c| !c.key_paths.is_empty()) {
            assert!(
                sql.contains(&format!("'{}'", call.name)) && sql.contains(&format!("'{}'", call.source)),
                "{call:?}"
            );
            for p in call.key_paths {
                assert!(sql.contains(p), "{p}");
            }
        }
        assert!(sql.contains("'AssumeRoot'") && sql.contains("credentialSet[0]"));
        assert!(!sql.contains("'ConsoleLogin'"), "a sign-in names no key to follow");
    }

    #[test]
    fn injection_through_keys_or_table_names_is_refused() {
        let bad = vec!["AKIA' OR 1=1 --".to_string()];
        assert!(closure_sql(Engine::Athena, &Closure { roots: &bad, table: "t", since: None, until: None }).is_err());
        let ok = vec!["AKIAX".to_string()];
        assert!(
            closure_sql(Engine::DuckDb, &Closure { roots: &ok, table: "t; drop table x", since: None, until: None })
                .is_err()
        );
    }
}
