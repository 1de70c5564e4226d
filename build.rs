//! Fingerprints the source the program is built from (`MIGSIM_BUILD`), so
//! that `merge` can refuse shards written by a different build of the same
//! version number.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    // Every crate of the workspace: the core's source counts as much as ours.
    for watched in ["src", "crates", "Cargo.lock", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    files(Path::new("crates"), &mut all);
    all.push(PathBuf::from("Cargo.lock"));
    all.push(PathBuf::from("Cargo.toml"));
    all.sort();
    let mut h = Sha256::new();
    for f in &all {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(f).unwrap_or_default());
    }
    let hex: String = h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=MIGSIM_BUILD={hex}");
}
