//! Embeds `sample-logs/` in the binary so that `tokentrail` with no path works anywhere.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "gz") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("sample-logs");
    println!("cargo:rerun-if-changed=sample-logs");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut code = String::from("pub static SAMPLE_FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&root).expect("below root").to_string_lossy().replace('\\', "/");
        // Relative to the crate as it is compiled, not as it was when this script ran: a
        // second checkout sharing the target directory (CI's fresh-clone run) reuses this
        // output, and an absolute path would name the other checkout.
        let path = format!("/sample-logs/{rel}");
        let _ = writeln!(code, "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("sample_files.rs");
    std::fs::write(out, code).expect("write generated file");
}
