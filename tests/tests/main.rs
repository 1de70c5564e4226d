//! Integration tests, one binary grouped by theme. Test names state the claim.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn migsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_migsim"))
}

/// The tiny fixture copied into a fresh folder, with its mortality table path
/// made absolute so that edited copies can live anywhere.
fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["tiny.toml", "tiny_home.csv", "tiny_abroad.csv"] {
        std::fs::copy(repo().join("tests/fixtures").join(f), dir.path().join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap();
    let mx = repo().join("scenarios/data/mx_wpp2024_2020.csv");
    let toml = toml.replace("../../scenarios/data/mx_wpp2024_2020.csv", mx.to_str().unwrap());
    std::fs::write(dir.path().join("tiny.toml"), toml).unwrap();
    dir
}

fn edit(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(dir.join("tiny.toml")).unwrap();
    assert!(text.contains(from), "fixture lacks `{from}`");
    let path = dir.join("edited.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// A scenario `name` written into `dir` that extends `parent` with `body`
/// (TOML), as a user's variant of a pack scenario would.
fn extending(dir: &Path, name: &str, parent: &Path, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let head = format!(
        "[scenario]\nname = \"{name}\"\nextends = {:?}\n\n",
        parent.to_str().unwrap()
    );
    std::fs::write(&path, head + body).unwrap();
    path
}

/// Every file under `dir`, relative path to bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Splits a command line on spaces, keeping double-quoted words whole.
fn shell_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in line.split('"').enumerate() {
        if i % 2 == 1 {
            out.push(part.to_string());
        } else {
            out.extend(part.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// The README's example that starts with `$ migsim <first>`: each `$`
/// command run in a scratch folder (scenario paths from the repository),
/// and the lines the README shows after the last command compared with
/// what that command printed. Returns the scratch folder.
fn readme_example(first: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find(&format!("$ migsim {first}")).expect("example");
    let block = &readme[start..readme[start..].find("```").unwrap() + start];
    let commands: Vec<&str> = block.lines().filter(|l| l.starts_with("$ migsim ")).collect();
    let shown: Vec<&str> = block.lines().skip_while(|l| l.starts_with("$ ")).collect();
    for (k, line) in commands.iter().enumerate() {
        let command = line.trim_start_matches("$ migsim ");
        let args: Vec<String> = shell_words(command)
            .into_iter()
            .map(|a| {
                if a.starts_with("scenarios/") {
                    repo().join(&a).display().to_string()
                } else {
                    a
                }
            })
            .collect();
        let o = migsim().args(&args).current_dir(tmp.path()).output().unwrap();
        assert!(o.status.success(), "{command}: {}", String::from_utf8_lossy(&o.stderr));
        if k + 1 == commands.len() {
            let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
            assert_eq!(stdout.lines().collect::<Vec<_>>(), shown);
        }
    }
    tmp
}

mod baseline;
mod calibration;
mod charts;
mod cli;
mod demography;
mod discover;
mod ensemble;
mod fuzz;
mod fuzz_cli;
mod golden;
mod invariants;
mod jobs;
mod levers;
mod optimize;
mod outputs;
mod pack;
mod reference;
mod spreadsheet;

/// The tiny fixture's checked parameters, for tests that drive the library.
fn tiny_params() -> migsim::Params {
    migsim::scenario::load_file(&repo().join("tests/fixtures/tiny.toml"))
        .unwrap()
        .params
}
