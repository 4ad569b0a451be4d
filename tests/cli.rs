//! The headless CLI over `sample-logs/`: exit codes and the JSON contracts.

mod common;
use common::*;

#[test]
fn stats_json_has_the_documented_shape() {
    let v = json(&["stats", "sample-logs", "--json"]);
    for k in ["read", "skipped", "failed"] {
        assert!(v["files"][k].is_u64(), "files.{k}");
    }
    for k in ["indexed", "duplicates", "rejected"] {
        assert!(v["events"][k].is_u64(), "events.{k}");
    }
    assert_eq!(v["files"]["failed"], 0);
    assert_eq!(v["files"]["skipped"], 2, "the digest file and README.md");
    assert!(v["events"]["duplicates"].as_u64() > Some(0), "one file is delivered twice");
    assert_eq!(v["time_range"]["first"].as_str().map(|s| s.len()), Some(20));
    assert!(v["problems"].as_array().is_some_and(|p| p.is_empty()));
}

#[test]
fn stats_counts_the_credential_picture_the_other_commands_show() {
    let v = json(&["stats", "sample-logs", "--json"]);
    let c = &v["credentials"];
    let suspects = json(&["suspects", "sample-logs", "--json"]);
    assert_eq!(c["suspects"].as_u64(), suspects["suspects"].as_array().map(|a| a.len() as u64));
    let (sessions, traced) = (c["sessions"].as_u64().unwrap_or(0), c["traced_to_issuer"].as_u64().unwrap_or(0));
    // Keys A, B, C, C2, C3 and the noise: every temporary session in the sample has its
    // issuing call in the logs (C's is delivered late, but delivered).
    assert!(sessions >= 6 && traced >= 4 && traced < sessions, "{c}");
    assert_eq!(c["issuer_not_in_logs"], 0, "{c}");
    // B's own session was minted by A's GetSessionToken: traced.
    let b = json(&["lineage", "ASIANJSBB2RZKZ5LVQQE", "sample-logs", "--json"]);
    assert_eq!(b["sessions"][0]["chain"].as_array().map(Vec::len), Some(2), "A → B");
    let text = run(&["stats", "sample-logs"]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains(&format!("credentials: {sessions} sessions, {traced} traced"))
    );
}

#[test]
fn no_path_loads_the_embedded_sample_identically() {
    let embedded = json(&["stats", "--json"]);
    let on_disk = json(&["stats", "sample-logs", "--json"]);
    assert_eq!(embedded["events"], on_disk["events"]);
    assert_eq!(embedded["time_range"], on_disk["time_range"]);
}

#[test]
fn lineage_of_token_c_runs_from_key_a_through_b() {
    let k = sample_keys();
    let v = json(&["lineage", &k.key_c, "sample-logs", "--json"]);
    assert_eq!(v["query"], k.key_c.as_str());
    let sessions = v["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 1);
    let chain = sessions[0]["chain"].as_array().expect("chain");
    let keys: Vec<&str> = chain.iter().map(|n| n["access_key_id"].as_str().unwrap_or("")).collect();
    assert_eq!(keys, [k.key_a.as_str(), k.key_b.as_str(), k.key_c.as_str()]);
    let kinds: Vec<&str> = chain.iter().map(|n| n["kind"].as_str().unwrap_or("")).collect();
    assert_eq!(kinds, ["permanent", "GetSessionToken", "AssumeRole"]);
    assert!(chain[0]["issuing_event_id"].is_null());
    assert_eq!(chain[2]["match"], "key");
    for field in ["principal_arn", "issued_at", "expires_at", "issuing_event_id"] {
        assert!(chain[2].get(field).is_some(), "{field}");
    }
    assert!(chain[0]["principal_arn"].as_str().is_some_and(|a| a.ends_with(":user/support-user")));
}

#[test]
fn lineage_of_key_a_lists_every_descendant_with_children() {
    let k = sample_keys();
    let v = json(&["lineage", &k.key_a, "sample-logs", "--json"]);
    let d = &v["sessions"][0]["descendants"];
    assert_eq!(d[0]["access_key_id"], k.key_b.as_str());
    let minted: Vec<&str> =
        d[0]["children"].as_array().expect("children").iter().filter_map(|c| c["access_key_id"].as_str()).collect();
    let mut want = vec![k.key_c.as_str()];
    want.extend(k.new_role_keys.iter().map(String::as_str));
    assert_eq!(minted, want);
}

#[test]
fn lineage_text_is_an_indented_tree() {
    let k = sample_keys();
    let out = run(&["lineage", &k.key_c, "sample-logs"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with(&k.key_a));
    assert!(lines[2].starts_with(&format!("  {}", k.key_b)));
    assert!(lines[3].starts_with(&format!("    ▶ {}", k.key_c)));
}

/// Where token C's calls came from, as `lineage` says, is what `events --key C` lists: every
/// address and agent with its calls, failures and first and last use, most calls first.
#[test]
fn lineage_lists_every_address_and_agent_a_session_called_from_as_its_events_do() {
    use std::collections::BTreeMap;
    let k = sample_keys();
    let v = json(&["lineage", &k.key_c, "sample-logs", "--json"]);
    let events = run(&["events", "sample-logs", "--key", &k.key_c, "--json"]);
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&events.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(events.len() > 10, "token C made calls");
    for (field, kind) in [("source_ip", "source_ips"), ("user_agent", "user_agents")] {
        let mut want: BTreeMap<&str, (u64, u64, &str, &str)> = BTreeMap::new();
        for e in &events {
            let (value, time) = (e[field].as_str().expect("a value"), e["event_time"].as_str().expect("a time"));
            let w = want.entry(value).or_insert((0, 0, time, time));
            w.0 += 1;
            w.1 += u64::from(!e["error_code"].is_null());
            w.2 = w.2.min(time);
            w.3 = w.3.max(time);
        }
        let got = v["sessions"][0][kind].as_array().expect(kind);
        let counts: Vec<u64> = got.iter().map(|s| s["event_count"].as_u64().unwrap_or(0)).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most calls first: {counts:?}");
        let got: BTreeMap<&str, (u64, u64, &str, &str)> = got
            .iter()
            .map(|s| {
                let text = |f: &str| s[f].as_str().unwrap_or("");
                (
                    text("value"),
                    (
                        s["event_count"].as_u64().unwrap_or(0),
                        s["error_count"].as_u64().unwrap_or(0),
                        text("first_use"),
                        text("last_use"),
                    ),
                )
            })
            .collect();
        assert_eq!(got, want, "{kind}");
    }
    let text = String::from_utf8_lossy(&run(&["lineage", &k.key_c, "sample-logs"]).stdout).to_string();
    let address = events[0]["source_ip"].as_str().unwrap_or("");
    assert!(text.contains(&format!("  {} called from 1 address:\n", k.key_c)), "{text}");
    assert!(text.lines().any(|l| l.ends_with(&format!("  {address}")) && l.contains(" calls ")), "{text}");
}

#[test]
fn suspects_rank_token_b_first_with_reasons() {
    let k = sample_keys();
    let v = json(&["suspects", "sample-logs", "--json"]);
    let s = v["suspects"].as_array().expect("suspects");
    assert_eq!(s[0]["access_key_id"], k.key_b.as_str());
    assert_eq!(s[0]["kind"], "GetSessionToken");
    assert!(s[0]["reasons"].as_array().is_some_and(|r| r.len() >= 2));
    let scores: Vec<u64> = s.iter().filter_map(|x| x["score"].as_u64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "highest first");
    assert!(s.iter().take(4).any(|x| x["access_key_id"] == k.key_c.as_str()));
}

#[test]
fn events_filters_combine_and_emit_json_lines() {
    let k = sample_keys();
    let out = run(&[
        "events",
        "sample-logs",
        "--key",
        &k.key_c,
        "--name",
        "GetObject",
        "--since",
        "2024-11-30T11:00:00Z",
        "--json",
    ]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 27, "20 reads after step 1, 1 denied in another bucket, 6 denied after the revocation");
    assert!(lines.iter().all(|e| e["access_key_id"] == k.key_c.as_str() && e["event_id"].is_string()));
    let times: Vec<&str> = lines.iter().filter_map(|e| e["event_time"].as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn full_events_list_the_objects_read_and_never_a_token() {
    let k = sample_keys();
    let out = run(&["events", "sample-logs", "--key", &k.key_c, "--name", "GetObject", "--json", "--full"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let read: Vec<&str> = lines
        .iter()
        .filter(|e| e["error_code"].is_null())
        .filter_map(|e| e["request_parameters"]["key"].as_str())
        .collect();
    assert_eq!(read.len(), 60, "40 before step 1, 20 after");
    assert!(read.contains(&"exports/2024/11/part-0000.csv.gz"));
    let denied = lines.iter().find(|e| e["error_code"] == "AccessDenied").expect("a denied read");
    assert!(denied["error_message"].as_str().is_some_and(|m| !m.is_empty()));
    let all = run(&["events", "sample-logs", "--json", "--full"]);
    let text = String::from_utf8_lossy(&all.stdout);
    assert!(!text.contains("IQoJb3JpZ2luX2Vj") && text.contains("\"sessionToken\":\"<redacted>\""));
    assert_eq!(run(&["events", "sample-logs", "--full"]).status.code(), Some(2), "--full is JSON only");
}

/// `--ip` takes an address as written or a block; each line it keeps is from it, and the rest
/// of the events are from elsewhere.
#[test]
fn events_by_source_address_or_block() {
    let lines = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
    };
    let all = lines(&["events", "sample-logs", "--json"]);
    let ip = |e: &serde_json::Value| e["source_ip"].as_str().unwrap_or("").to_string();
    let in_block = |s: &str| s.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.octets()[..3] == [198, 51, 100]);
    let block = lines(&["events", "sample-logs", "--ip", "198.51.100.0/24", "--json"]);
    assert_eq!(block.len(), all.iter().filter(|e| in_block(&ip(e))).count());
    assert!(block.len() > 1_000 && block.iter().all(|e| in_block(&ip(e))));
    let one = lines(&["events", "sample-logs", "--ip", "198.51.100.24", "--json"]);
    assert_eq!(one.len(), all.iter().filter(|e| ip(e) == "198.51.100.24").count());
    assert!(!one.is_empty() && one.len() < block.len());
    let service = lines(&["events", "sample-logs", "--ip", "cloudtrail.amazonaws.com", "--json"]);
    assert_eq!(service.len(), all.iter().filter(|e| ip(e) == "cloudtrail.amazonaws.com").count());
    assert!(lines(&["events", "sample-logs", "--ip", "192.0.2.254", "--json"]).is_empty());
    let bad = run(&["events", "sample-logs", "--ip", "198.51.100.0/33"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("prefix length"));
}

#[test]
fn bad_usage_exits_2_and_nothing_loaded_exits_1() {
    assert_eq!(run(&["lineage"]).status.code(), Some(2));
    assert_eq!(run(&["events", "sample-logs", "--since", "yesterday-ish"]).status.code(), Some(2));
    let out = run(&["stats", "/nonexistent/path"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/path"));
}

/// Issue 19: `--since/--until` restrict which loaded events count, on every subcommand that
/// loads; suspects take `--min-score` and `--limit`; event names match in any case; the
/// workbench without a terminal names every subcommand.
#[test]
fn windows_scores_names_and_the_no_terminal_message() {
    let k = sample_keys();
    let all = json(&["stats", "sample-logs", "--json"]);
    let half = json(&["stats", "sample-logs", "--json", "--since", "2024-11-30", "--until", "2024-11-30 12:00"]);
    let (n_all, n_half) =
        (all["events"]["indexed"].as_u64().unwrap_or(0), half["events"]["indexed"].as_u64().unwrap_or(0));
    assert!(n_half > 0 && n_half < n_all, "{n_half} of {n_all}");
    assert!(half["events"]["outside_window"].as_u64() > Some(0));
    assert!(all["events"].get("outside_window").is_none(), "no window: no field");
    assert_eq!(half["time_range"]["last"].as_str().map(|t| t < "2024-11-30T12:00:00Z"), Some(true));
    // Without GetSessionToken's event (09:12:40) in the window, B's issuer is not in it.
    let b = json(&["lineage", &k.key_b, "sample-logs", "--json", "--since", "2024-11-30T09:13:00Z"]);
    assert_eq!(b["sessions"][0]["chain"].as_array().map(Vec::len), Some(1), "{b}");
    let whatif = json(&["whatif", "sample-logs", "--at", "2024-11-30T12:30:00Z", "--since", "2024-11-30", "--json"]);
    assert_eq!(whatif["at"], "2024-11-30T12:30:00Z", "--at stays the moment asked about");
    let top = json(&["suspects", "sample-logs", "--json", "--min-score", "50", "--limit", "2"]);
    let scores: Vec<u64> =
        top["suspects"].as_array().expect("suspects").iter().filter_map(|s| s["score"].as_u64()).collect();
    assert!(scores.len() == 2 && scores.iter().all(|&s| s >= 50), "{scores:?}");
    let lower = run(&["events", "sample-logs", "--name", "assumerole"]);
    let exact = run(&["events", "sample-logs", "--name", "AssumeRole"]);
    assert_eq!(lower.stdout, exact.stdout, "event names match in any case");
    assert!(!exact.stdout.is_empty());
    let out = bin().stdin(std::process::Stdio::null()).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for sub in ["stats", "lineage", "events", "suspects", "checklist", "sql", "whatif"] {
        assert!(err.contains(sub), "{sub} in {err}");
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'), "no escape sequence for a script");
}

/// Issue 19's exit codes: 0 answered (an empty answer too), 3 a well-formed key or name the
/// logs do not hold, 2 bad usage (a malformed key too), 1 nothing loaded.
#[test]
fn exit_codes_tell_scripts_what_happened() {
    let code = |args: &[&str]| run(args).status.code();
    let absent = "AKIAAAAAAAAAAAAAAAAA";
    assert_eq!(code(&["lineage", absent, "sample-logs"]), Some(3));
    assert_eq!(code(&["lineage", "NOTAKEY", "sample-logs"]), Some(2));
    assert_eq!(code(&["lineage", &sample_keys().key_c, "sample-logs"]), Some(0));
    assert_eq!(code(&["whatif", "sample-logs", "--root", absent, "--at", "2024-11-30"]), Some(3));
    assert_eq!(code(&["whatif", "sample-logs", "--root", "no-such-user", "--at", "2024-11-30"]), Some(3));
    assert_eq!(code(&["whatif", "sample-logs", "--root", "NOTAKEY", "--at", "2024-11-30"]), Some(2));
    assert_eq!(code(&["checklist", "sample-logs", "--root", absent, "--case", "/nonexistent/case.json"]), Some(3));
    // An empty answer is an answer: a window with no events.
    let out = run(&["events", "sample-logs", "--since", "2030-01-01", "--json"]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
    // Every accepted time format is named when one cannot be read; minute precision reads.
    let out = run(&["events", "sample-logs", "--since", "30/11/2024"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("RFC 3339") && err.contains("YYYY-MM-DD HH:MM"), "{err}");
    let out = run(&["events", "sample-logs", "--since", "2024-11-30 09:12", "--until", "2024-11-30 09:13"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2, "GetCallerIdentity and GetSessionToken");
    assert_eq!(code(&["lineage", absent, "/nonexistent/path"]), Some(1));
}

#[test]
fn checklist_json_has_the_documented_shape_and_reads_the_case_file() {
    let k = sample_keys();
    let dir = tempfile::tempdir().expect("tmp");
    let case = dir.path().join("case.json");
    std::fs::write(&case, r#"{"version":1,"steps":{"3":{"manual_status":"in-progress","note":"ticket 42"}}}"#)
        .expect("write");
    let v = json(&["checklist", "sample-logs", "--root", &k.key_a, "--case", case.to_str().expect("utf8"), "--json"]);
    assert_eq!(v["root"]["access_key_id"], k.key_a.as_str());
    assert!(v["root"]["user_arn"].as_str().is_some_and(|a| a.ends_with("user/support-user")));
    let steps = v["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 6);
    let st: Vec<&str> = steps.iter().filter_map(|s| s["status"].as_str()).collect();
    assert_eq!(st, ["done", "found", "done", "found", "found", "done"]);
    for s in steps {
        for f in ["step", "title", "status", "manual_status", "evidence", "note", "commands", "done_at"] {
            assert!(s.get(f).is_some(), "{f}");
        }
        for e in s["evidence"].as_array().expect("evidence") {
            for f in [
                "event_id",
                "time",
                "event_name",
                "actor",
                "actor_key",
                "target",
                "error_code",
                "source_ip",
                "user_agent",
            ] {
                assert!(e.get(f).is_some(), "evidence.{f}: {e}");
            }
        }
    }
    assert_eq!(steps[2]["manual_status"], "in-progress");
    assert_eq!(steps[2]["note"], "ticket 42");
    let first = &steps[0]["evidence"][0];
    assert!(first["event_id"].as_str().is_some_and(|id| id.len() == 36));
    assert_eq!(first["actor_key"], k.admin_key.as_str(), "who acted: sec-admin");
    assert!(first["target"].as_str().is_some_and(|t| t.contains(&k.key_a)), "on what: key A");
    // Steps 2 and 4 count succeeded and denied calls apart; the bundled story has both.
    for n in [1, 3] {
        let c = &steps[n]["counts"];
        assert!(c["succeeded"].as_u64() > Some(0) && c["denied"].as_u64() > Some(0), "step {}: {c}", n + 1);
    }
    // Step 6 is done at the deny-all, not at the detach a minute before it, and calls for a
    // second revocation: the 12-hour role token outlives it.
    assert_eq!(steps[5]["done_at"], "2024-11-30T15:31:02Z");
    let f = &steps[5]["follow_up"][0];
    assert_eq!(f["kind"], "revoke-role-sessions");
    assert_eq!(f["role"], "MyBucketRole");
    assert_eq!(f["sessions"], serde_json::json!([k.key_live]));
    assert!(f["command"].as_str().is_some_and(|c| c.contains(&format!("\"aws:TokenIssueTime\":\"{}\"", f["cutoff"].as_str().unwrap_or("?")))), "{f}");
    // Nothing was written to the case file.
    assert_eq!(
        std::fs::read_to_string(&case).expect("case"),
        r#"{"version":1,"steps":{"3":{"manual_status":"in-progress","note":"ticket 42"}}}"#
    );
}

#[test]
fn a_case_file_of_another_root_is_refused_and_left_as_it_is() {
    let k = sample_keys();
    let dir = tempfile::tempdir().expect("tmp");
    let case = dir.path().join("case.json");
    let text = format!(r#"{{"version":2,"root":"{}","steps":{{"1":{{"note":"A's note"}}}}}}"#, k.key_a);
    std::fs::write(&case, &text).expect("write");
    let c = case.to_str().expect("utf8");
    let out = run(&["checklist", "sample-logs", "--case", c, "--root", &k.admin_key]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&k.key_a) && err.contains("belongs to root"), "{err}");
    assert_eq!(std::fs::read_to_string(&case).expect("case"), text, "bytes untouched");
    // Token C resolves to A: the case's root, so its notes are the right ones.
    let v = json(&["checklist", "sample-logs", "--case", c, "--root", &k.key_c, "--json"]);
    assert_eq!(v["root"]["access_key_id"], k.key_a.as_str());
    assert_eq!(v["root"]["resolved_from"], k.key_c.as_str());
    assert_eq!(v["steps"][0]["note"], "A's note");
    // Bound to other logs: said, not fatal.
    let other = format!(
        r#"{{"version":2,"root":"{}","sources":"1 files, 5 bytes, fnv1a64 0000000000000000","steps":{{}}}}"#,
        k.key_a
    );
    std::fs::write(&case, &other).expect("write");
    let out = run(&["checklist", "sample-logs", "--case", c]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("saved over other logs"));
    assert_eq!(std::fs::read_to_string(&case).expect("case"), other);
}

#[test]
fn checklist_markdown_report_holds_no_session_token() {
    let out = run(&["checklist", "sample-logs", "--format", "md"]);
    assert!(out.status.success());
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# Credential compromise"));
    assert!(!md.contains("IQoJb3JpZ2luX2Vj"), "a session token prefix leaked");
}

#[test]
fn whatif_json_lists_usable_and_blocked_credentials() {
    let k = sample_keys();
    let v = json(&["whatif", "sample-logs", "--root", &k.key_a, "--at", "2024-11-30T11:00:00Z", "--json"]);
    assert_eq!(v["at"], "2024-11-30T11:00:00Z");
    let usable: Vec<&str> =
        v["usable"].as_array().expect("usable").iter().filter_map(|u| u["access_key_id"].as_str()).collect();
    assert!(usable.contains(&k.key_b.as_str()) && usable.contains(&k.key_c.as_str()));
    let blocked = v["blocked"].as_array().expect("blocked");
    let a = blocked.iter().find(|b| b["access_key_id"] == k.key_a.as_str()).expect("A is blocked");
    assert!(a["reason"].as_str().is_some_and(|r| r.contains("deactivated")));
    assert_eq!(a["blocked_by"]["kind"], "key-status");
    assert_eq!(a["blocked_by"]["at"], "2024-11-30T10:31:12Z");
    assert!(a["blocked_by"]["event_id"].as_str().is_some_and(|id| id.len() == 36));
    let b = v["usable"].as_array().expect("usable").iter().find(|u| u["access_key_id"] == k.key_b.as_str()).expect("B");
    assert_eq!(b["usable_until"], b["expires_at"]);
    // With token C as the root: it resolves to A, and C is blocked by the revocation there too.
    let v = json(&["whatif", "sample-logs", "--root", &k.key_c, "--at", "2024-11-30T12:30:00Z", "--json"]);
    assert_eq!(v["root"]["access_key_id"], k.key_a.as_str());
    assert_eq!(v["root"]["resolved_from"], k.key_c.as_str());
    let c =
        v["blocked"].as_array().expect("blocked").iter().find(|b| b["access_key_id"] == k.key_c.as_str()).expect("C");
    assert_eq!(c["blocked_by"]["kind"], "revocation");
    assert_eq!(run(&["whatif", "sample-logs", "--at", "not-a-time"]).status.code(), Some(2));
}

#[test]
fn sql_prints_one_statement_per_engine_and_refuses_bad_input() {
    for engine in ["athena", "duckdb"] {
        let out = run(&[
            "sql",
            "--root",
            "AKIAEXAMPLEEXAMPLE01",
            "--key",
            "ASIAEXAMPLE",
            "--engine",
            engine,
            "--table",
            "db.trail",
            "--since",
            "2024-11-01",
        ]);
        assert!(out.status.success());
        let sql = String::from_utf8_lossy(&out.stdout);
        assert_eq!(sql.matches(';').count(), 1, "one statement");
        assert!(
            sql.contains("'AKIAEXAMPLEEXAMPLE01'") && sql.contains("'ASIAEXAMPLE'") && sql.contains("\"db\".\"trail\"")
        );
        assert!(sql.contains("e.eventtime >= '2024-11-01T00:00:00Z'"));
    }
    assert_eq!(run(&["sql", "--root", "x' OR '1'='1", "--engine", "athena"]).status.code(), Some(2));
    assert_eq!(run(&["sql", "--root", "AKIAX", "--engine", "bigquery"]).status.code(), Some(2));
}

/// The blast radius says where the calls of the credential and everything below it came
/// from: the root's own address and its attacker's (B's), every call counted once, in both
/// forms; the JSON is serde's pretty printing of itself, byte for byte.
#[test]
fn blast_radius_lists_every_address_and_agent_its_lineage_called_from() {
    let k = sample_keys();
    let out = run(&["blast-radius", &k.key_a, "sample-logs", "--json"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(format!("{}\n", serde_json::to_string_pretty(&v).expect("pretty")), text);
    let own = |key: &str| {
        let l = json(&["lineage", key, "sample-logs", "--json"]);
        l["sessions"][0]["source_ips"].as_array().expect("addresses").clone()
    };
    let ips = v["source_ips"].as_array().expect("source_ips");
    let count = |list: &[serde_json::Value]| list.iter().map(|s| s["event_count"].as_u64().unwrap_or(0)).sum::<u64>();
    for key in [&k.key_a, &k.key_b] {
        for address in own(key) {
            let found = ips.iter().find(|s| s["value"] == address["value"]).expect("the address");
            assert!(found["event_count"].as_u64() >= address["event_count"].as_u64(), "{found} against {key}'s");
        }
    }
    assert!(ips.len() >= 2, "A's address and the attacker's: {ips:?}");
    let agents = v["user_agents"].as_array().expect("user_agents");
    assert!(count(ips) > count(&own(&k.key_a)) + count(&own(&k.key_b)) - 1);
    assert_eq!(count(ips), count(agents), "every sample call has both");
    let plain = String::from_utf8(run(&["blast-radius", &k.key_a, "sample-logs"]).stdout).expect("UTF-8");
    let head = format!("{} and everything below it (", k.key_a);
    assert!(plain.contains(&head) && plain.contains(&format!("called from {} addresses:", ips.len())), "{plain}");
}

/// Issue 20 (begun): the blast radius lists the sample's planted key and backdoored trust
/// policy as open, with the acting credential, and the data the lineage touched.
#[test]
fn blast_radius_lists_what_the_lineage_planted_and_read() {
    let k = sample_keys();
    let v = json(&["blast-radius", &k.key_a, "sample-logs", "--json"]);
    assert_eq!(v["root"]["access_key_id"], k.key_a.as_str());
    let items = v["persistence"].as_array().expect("persistence");
    let planted = items.iter().find(|i| i["kind"] == "access-key").expect("the planted key");
    assert_eq!((planted["state"].as_str(), planted["actor_key"].as_str()), (Some("open"), Some(k.key_b.as_str())));
    assert!(planted["target"].as_str().is_some_and(|t| t.contains(&k.key_planted) && t.contains("backup-svc")));
    let trust = items.iter().find(|i| i["kind"] == "trust-policy").expect("the backdoored trust");
    assert!(trust["target"].as_str().is_some_and(|t| t.contains("999988887777")), "{trust}");
    let s3 = v["data"].as_array().expect("data").iter().find(|d| d["resource"] == "acme-customer-exports").expect("s3");
    assert!(s3["succeeded"].as_u64() > Some(60) && s3["denied"].as_u64() > Some(0), "{s3}");
    assert_eq!(run(&["blast-radius", "AKIAAAAAAAAAAAAAAAAA", "sample-logs"]).status.code(), Some(3));
    // The planted key is a credential of the lineage: still usable after step 6.
    let w = json(&["whatif", "sample-logs", "--root", &k.key_a, "--at", "2024-11-30T20:00:00Z", "--json"]);
    let key = w["usable"].as_array().expect("usable").iter().find(|u| u["access_key_id"] == k.key_planted.as_str());
    assert_eq!(key.map(|u| u["created_by"].clone()), Some(serde_json::json!(k.key_b)), "{w}");
    // The checklist's Persistence block lists both, with what undoes them; the report too.
    let c = json(&["checklist", "sample-logs", "--case", "/nonexistent/case.json", "--json"]);
    let open = c["persistence"].as_array().expect("persistence");
    assert_eq!(open.len(), 2);
    assert!(open.iter().any(|p| p["command"].as_str().is_some_and(
        |cmd| cmd == format!("aws iam delete-access-key --user-name backup-svc --access-key-id {}", k.key_planted)
    )));
    // The trust policy is put back as sec-admin had set it before the incident (not as B left it).
    let restore = open.iter().find(|p| p["kind"] == "trust-policy").and_then(|p| p["command"].as_str()).expect("trust");
    assert!(restore.starts_with("aws iam update-assume-role-policy --role-name MyBucketRole --policy-document '"));
    assert!(
        restore.contains(r#""AWS":"arn:aws:iam::210987654321:root""#) && !restore.contains("999988887777"),
        "{restore}"
    );
    assert!(restore.contains("# the trust it had before: ") && restore.contains("2024-11-28T09:02:14Z"), "{restore}");
    let md = String::from_utf8_lossy(
        &run(&["checklist", "sample-logs", "--case", "/nonexistent/case.json", "--format", "md"]).stdout,
    )
    .into_owned();
    assert!(md.contains("## Persistence") && md.contains("999988887777"), "the report lists them");
}

/// On Stratus Red Team's detonations, each persistence technique is found with the key that
/// did it.
#[test]
fn blast_radius_finds_stratus_persistence_with_its_actor() {
    let Some(dir) = corpus("stratus-red-team") else { return };
    let d = dir.to_str().expect("utf8");
    let cases = [
        ("AKIA30BEZSJBVKOFKZW0", "access-key", "stratus-red-team-backdoor-u-user"),
        ("AKIAE18PGYHCY2CYMTFK", "login-profile", "stratus-red-team-login-profile-user"),
        ("AKIAMUV7B57OZM0RV05D", "trust-policy", "stratus-red-team-backdoor-r-role"),
        ("AKIAOZUDECYXYM4ONAN4", "user", "malicious-iam-user"),
        ("AKIAOZUDECYXYM4ONAN4", "policy", "AdministratorAccess"),
        ("AKIA6V1GNZTT65XQH36M", "federation", "stratus_red_team"),
        ("AKIAGGWFBBHBE7D3M9WI", "logging", "stratus-red-team-ct-stop-trail"),
    ];
    for (key, kind, target) in cases {
        let v = json(&["blast-radius", key, d, "--json"]);
        let found = v["persistence"].as_array().expect("persistence").iter().any(|i| {
            i["kind"] == kind && i["actor_key"] == key && i["target"].as_str().is_some_and(|t| t.contains(target))
        });
        assert!(found, "{key} {kind} {target}: {v}");
    }
}

/// Issue 20 (begun): Sigma rules load (every failure named), the project's own rules fire on
/// the sample's planted key and backdoored trust, and SigmaHQ's fire on Stratus' detonations.
#[test]
fn detections_load_rules_name_failures_and_pin_hits_on_roots() {
    let k = sample_keys();
    let v = json(&["detections", "sample-logs", "--json"]);
    assert_eq!(v["rules_loaded"], 4, "the project's own rules");
    let hits = v["hits"].as_array().expect("hits");
    assert!(
        hits.iter().any(|h| h["title"].as_str().is_some_and(|t| t.contains("Access key created for another user"))
            && h["access_key_id"] == k.key_b.as_str()
            && h["root"] == k.key_a.as_str()),
        "{v}"
    );
    assert!(hits.iter().any(|h| h["title"].as_str().is_some_and(|t| t.contains("trust policy"))));
    let (Some(sigma), Some(stratus)) = (corpus_sigma(), corpus("stratus-red-team")) else { return };
    let v = json(&["detections", stratus.to_str().expect("utf8"), "--rules", sigma.to_str().expect("utf8"), "--json"]);
    assert_eq!(v["rules_loaded"], 61, "57 of SigmaHQ's 58, and the 4 built in");
    let failed = v["rules_failed"].as_array().expect("failed");
    assert!(failed.len() == 1 && failed[0]["reason"].as_str().is_some_and(|r| r.contains("expand")), "{failed:?}");
    let fired: Vec<&str> = v["hits"].as_array().expect("hits").iter().filter_map(|h| h["title"].as_str()).collect();
    for want in
        ["AWS CloudTrail Important Change", "AWS User Login Profile Was Modified", "AWS IAM Backdoor Users Keys"]
    {
        assert!(fired.contains(&want), "{want} fires: {fired:?}");
    }
}

/// Issue 20: the hits are pinned on the lineage — the blast radius lists those of the root's
/// credentials, and the suspect that made them carries `sigma:<rule id>`.
#[test]
fn detections_show_in_the_blast_radius_and_as_suspect_reasons() {
    let k = sample_keys();
    let v = json(&["blast-radius", k.key_a.as_str(), "sample-logs", "--json"]);
    let hits = v["detections"].as_array().expect("detections");
    let planted = hits
        .iter()
        .find(|h| h["title"].as_str().is_some_and(|t| t.contains("Access key created for another user")))
        .unwrap_or_else(|| panic!("{hits:?}"));
    assert_eq!(planted["access_key_id"], k.key_b.as_str());
    assert_eq!(planted["root"], k.key_a.as_str());
    let id = planted["rule_id"].as_str().expect("id");
    let v = json(&["suspects", "sample-logs", "--json"]);
    let b = v["suspects"]
        .as_array()
        .expect("suspects")
        .iter()
        .find(|s| s["access_key_id"] == k.key_b.as_str())
        .expect("B is a suspect");
    let codes: Vec<&str> = b["reason_codes"].as_array().expect("codes").iter().filter_map(|c| c.as_str()).collect();
    assert!(codes.contains(&format!("sigma:{id}").as_str()), "{codes:?}");
    // B's own blast radius holds its own hits (the credential asked about, not only below it).
    let v = json(&["blast-radius", k.key_b.as_str(), "sample-logs", "--json"]);
    assert_eq!(v["detections"].as_array().map(Vec::len), Some(2), "{v}");
    // The defender's key set the role's trust before the incident: its blast radius has that
    // hit alone, none of B's.
    let v = json(&["blast-radius", k.admin_key.as_str(), "sample-logs", "--json"]);
    let hits = v["detections"].as_array().expect("detections");
    assert!(hits.len() == 1 && hits[0]["access_key_id"] == k.admin_key.as_str(), "{v}");
}

/// SigmaHQ's CloudTrail rules beside the project (test input), when present.
fn corpus_sigma() -> Option<std::path::PathBuf> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), std::path::PathBuf::from);
    let p = root.join("../shared/sigma/cloudtrail");
    if p.is_dir() {
        Some(p)
    } else {
        skip(&format!("{} not present", p.display()));
        None
    }
}
