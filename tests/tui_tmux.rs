//! End to end: the real binary in tmux, driven by keys, read from the screen.

mod common;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux")
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "tt"]).stdout).into_owned()
    }
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "tt", k]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    fn wait_for(&self, what: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if what.iter().all(|w| s.contains(w)) || start.elapsed() > Duration::from_secs(15) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

#[test]
fn find_token_c_and_reveal_key_a_and_support_user() {
    if Command::new("tmux").arg("-V").output().is_err() {
        common::skip("tmux is not installed; the end-to-end TUI test did not run");
        return;
    }
    let k = common::sample_keys();
    let dir = tempfile::tempdir().expect("tmp");
    let case = dir.path().join("case.json");
    let t = Tmux { socket: format!("tokentrail-e2e-{}", std::process::id()) };
    let bin = env!("CARGO_BIN_EXE_tokentrail");
    let run = format!("{bin} --case {}", case.display());
    let out = t.cmd(&["new-session", "-d", "-s", "tt", "-x", "160", "-y", "45", &run]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = t.wait_for(&["2686 events"]);
    assert!(s.contains("Lineage") && s.contains("Checklist"), "{s}");
    t.keys(&["f"]);
    t.keys(&[&k.key_c[4..12]]);
    t.wait_for(&[&k.key_c]);
    t.keys(&["Enter", "r"]);
    let s = t.wait_for(&["path from root", &k.key_a, "support-user"]);
    assert!(s.contains(&k.key_a) && s.contains("support-user"), "{s}");
    assert!(s.contains(&format!("path from root: {} → {} → {}", k.key_a, k.key_b, k.key_c)), "{s}");
    t.keys(&["q"]);
    let start = Instant::now();
    while t.cmd(&["has-session", "-t", "tt"]).status.success() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!t.cmd(&["has-session", "-t", "tt"]).status.success(), "q quits");
}

#[test]
fn a_confirmed_note_survives_kill_9() {
    if Command::new("tmux").arg("-V").output().is_err() {
        common::skip("tmux is not installed; the kill -9 test did not run");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let case = dir.path().join("case.json");
    let t = Tmux { socket: format!("tokentrail-kill-{}", std::process::id()) };
    let run = format!("{} --case {}", env!("CARGO_BIN_EXE_tokentrail"), case.display());
    assert!(t.cmd(&["new-session", "-d", "-s", "tt", "-x", "160", "-y", "45", &run]).status.success());
    t.wait_for(&["2686 events"]);
    t.keys(&["4", "j", "j", "i"]);
    t.keys(&["revoked at noon"]);
    t.keys(&["Enter"]);
    t.wait_for(&["saved"]);
    t.keys(&["j", "i"]);
    t.keys(&["typed but never confirmed"]);
    let pid = String::from_utf8_lossy(&t.cmd(&["display-message", "-p", "-t", "tt", "#{pane_pid}"]).stdout)
        .trim()
        .to_string();
    assert!(Command::new("kill").args(["-9", &pid]).status().expect("kill").success());
    let saved = tokentrail::checklist::case::Case::load(&case).expect("the case file is whole");
    assert_eq!(saved.step(3).note, "revoked at noon");
    assert_eq!(saved.step(4).note, "", "an unconfirmed edit is not saved");
}
