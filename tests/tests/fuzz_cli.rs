//! A deterministic fuzzer of the command line: random commands, flags and
//! values, odd ones among them (negative, huge, NaN, empty, non-ASCII,
//! 4,000 characters, paths to files, folders and nothing). The flags of
//! each command are read from its own `--help`, so a new flag is fuzzed
//! without editing this file. Every invocation must:
//! - end within a minute, with exit 0, 1 or 2;
//! - never print a panic or a backtrace;
//! - on exit 1 or 2, print only lines that start with `error: `, and on
//!   exit 2 (bad input) write nothing at all;
//! - write only inside its output folder (the one given by `--out`, else
//!   the command's default under `output/`, or `init`'s folder).
//!
//! Each invocation runs in a fresh folder, with a `--out` inside it when
//! one is given. The suite runs a fixed seed (250 invocations); a longer
//! campaign takes its seed and count from the environment:
//! `MIGSIM_CLI_FUZZ_SEED=7 MIGSIM_CLI_FUZZ_RUNS=5000 cargo test --release
//! fuzz_cli -- --nocapture` (with `MIGSIM_CLI_FUZZ_SHOW=1`, every command
//! line and the first line it printed on standard error).

use super::{migsim, repo};
use rand::{RngExt, SeedableRng};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const COMMANDS: &[&str] = &[
    "run",
    "compare",
    "batch",
    "sweep",
    "sensitivity",
    "calibrate",
    "discover",
    "optimize",
    "merge",
    "init",
    "params",
    "validate",
];

/// A flag of a command, as its `--help` lists it.
struct Flag {
    name: String,
    /// The value's placeholder (`N`, `DIR`, `KEY=FROM:TO`), if it takes one.
    value: Option<String>,
    /// Whether the usage line names it outside `[OPTIONS]`.
    required: bool,
}

struct Grammar {
    command: &'static str,
    flags: Vec<Flag>,
    /// Placeholders of the positional arguments, in order, and whether
    /// each takes several.
    positionals: Vec<(String, bool)>,
}

/// The grammar of `command` read from `migsim <command> --help`.
fn grammar(command: &'static str) -> Grammar {
    let o = migsim().args([command, "--help"]).output().unwrap();
    let help = String::from_utf8(o.stdout).unwrap();
    let usage = help.lines().find(|l| l.starts_with("Usage:")).expect("a usage line");
    let mut flags = Vec::new();
    for line in help.lines() {
        let t = line.trim_start();
        let t = t.strip_prefix("-q, ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("--") else { continue };
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap().to_string();
        if name == "help" {
            continue;
        }
        let value = words
            .next()
            .filter(|w| w.starts_with('<'))
            .map(|w| w.trim_matches(['<', '>']).to_string());
        let required = usage.contains(&format!("--{name} "));
        flags.push(Flag { name, value, required });
    }
    // Positionals: the usage line's placeholders not after a flag.
    let mut positionals = Vec::new();
    let tokens: Vec<&str> = usage.split_whitespace().collect();
    for (i, t) in tokens.iter().enumerate() {
        let after_flag = i > 0 && tokens[i - 1].starts_with("--");
        if t.starts_with('<') && !after_flag {
            let name = t.trim_end_matches("...").trim_matches(['<', '>', '[', ']']).to_string();
            if !positionals.iter().any(|(n, _)| *n == name) {
                positionals.push((name, t.ends_with("...")));
            }
        } else if t.starts_with("[<") && !after_flag {
            let name = t.trim_matches(['<', '>', '[', ']']).to_string();
            positionals.push((name, false));
        }
    }
    Grammar {
        command,
        flags,
        positionals,
    }
}

/// Values no flag should accept, or should accept without trouble.
const ODD: &[&str] = &[
    "-1",
    "0",
    "1e400",
    "NaN",
    "-inf",
    "99999999999999999999",
    "",
    "abc",
    "été ☃",
    "1/0",
    "0/2",
    "3/2",
    "=",
    ":",
    "a=b:c:d",
    "@",
];

fn pick<'a>(rng: &mut impl rand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// A value for a flag whose placeholder is `kind`: mostly one of its own
/// sort, sometimes an odd one.
fn value(rng: &mut impl rand::Rng, kind: &str, work: &Path) -> String {
    if rng.random_bool(0.25) {
        return match rng.random_range(0..10) {
            0 => "x".repeat(4000),
            1 => work.join("scenario.toml").display().to_string(),
            _ => pick(rng, ODD).to_string(),
        };
    }
    let own: &[&str] = match kind {
        "N" | "S" | "G" | "C" | "R" | "B" | "K" => &["1", "2", "3", "5", "0", "-3", "4000000000", "2.5"],
        "P" | "X" | "ALPHA" | "PASTE_ALPHA" | "MASS_MIN" | "MIN_COVERAGE" | "SIGNIFICANCE" => {
            &["0.5", "0.9", "0", "1", "1.5", "-0.1", "0.05"]
        }
        "YEAR" => &["2030", "2040", "2024", "1900", "3000"],
        "FORMAT" => &["text", "json", "markdown", "xml"],
        "DESIGN" => &["grid", "lhs", "sobol"],
        "LEVELS" => &["4", "2", "3", "0"],
        "I/N" => &["1/2", "2/2", "1/1", "0/2", "3/2", "1/3"],
        "KEY=FROM:TO:STEPS" => &[
            "emigration.gamma=0.5:1.5:3",
            "destinations.west.wage_growth=0:0.05:2",
            "economy.jobs_growth=0:0.02:1",
            "emigration.gamma=1:1:0",
            "nonsense.key=0:1:2",
            "emigration.gamma=0:1e9:3",
        ],
        "KEY=FROM:TO" => &[
            "policies.domestic_jobs.jobs_per_year=0:2000",
            "policies.domestic_jobs.jobs_per_year=2000:0",
            "emigration.gamma=0:1",
            "policies.nothing.x=0:1",
        ],
        "INDICATOR" => &["population_abroad", "emigrants", "remittances_share_gdp", "nope"],
        "INDICATOR@YEAR" | "OUTCOME" => &[
            "population_abroad@2030",
            "emigrants[destination=west]@2029",
            "population_abroad@1999",
            "nope@2030",
        ],
        "LABEL" => &["destination=west", "region=a", "sex=female", "nowhere"],
        "TARGET" => &["abroad_2030", "met_abroad_2030", "nope"],
        "WHEN" => &["fails", "met", "sometimes"],
        "DIR" => &["out", "out/inner", "", "existing-file", "."],
        _ => ODD,
    };
    let v = pick(rng, own);
    if kind == "DIR" && v == "existing-file" {
        return work.join("scenario.toml").display().to_string();
    }
    v.to_string()
}

/// A positional argument of the placeholder `kind`.
fn positional(rng: &mut impl rand::Rng, kind: &str, work: &Path) -> String {
    let scenarios = [
        repo().join("tests/golden/tiny-policy.toml"),
        repo().join("tests/fixtures/tiny.toml"),
        work.join("scenario.toml"),
        work.join("missing.toml"),
        work.join("empty.toml"),
        work.join("folder"),
        PathBuf::from("/dev/null"),
    ];
    let folders = [
        work.join("folder"),
        work.join("missing"),
        work.join("scenario.toml"),
        PathBuf::from(""),
    ];
    let p = match kind {
        "DIR" => return pick(rng, &["init-here", "", "folder"]).to_string(),
        "RUN_DIR" | "SHARDS" => &folders[rng.random_range(0..folders.len())],
        _ => &scenarios[rng.random_range(0..scenarios.len())],
    };
    p.display().to_string()
}

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Runs `args` in `work`, killing it after `limit`.
fn run_bounded(args: &[String], work: &Path, limit: Duration) -> Result<std::process::Output, String> {
    let mut child = migsim()
        .args(args)
        .current_dir(work)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads so that a talkative child cannot block.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut b).ok();
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut b).ok();
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            return Err(format!("still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(std::process::Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    })
}

/// One invocation's verdict: `Ok(exit code)` or why it failed.
fn check(args: &[String], work: &Path) -> Result<i32, String> {
    let before = files(work);
    let o = run_bounded(args, work, Duration::from_secs(60))?;
    let err = String::from_utf8_lossy(&o.stderr);
    if std::env::var_os("MIGSIM_CLI_FUZZ_SHOW").is_some() {
        let first = err.lines().next().unwrap_or("");
        eprintln!("[{:?}] migsim {} | {first}", o.status.code(), shown(args));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if err.contains(bad) {
            return Err(format!("printed `{bad}`: {err}"));
        }
    }
    let code = o.status.code().ok_or("killed by a signal")?;
    if !(0..=2).contains(&code) {
        return Err(format!("exit {code}: {err}"));
    }
    if code != 0 {
        if err.trim().is_empty() {
            return Err(format!("exit {code} with nothing on standard error"));
        }
        if let Some(l) = err.lines().find(|l| !l.starts_with("error: ")) {
            return Err(format!("exit {code}, a line that is not an error: {l:?}"));
        }
    }
    let new: Vec<PathBuf> = files(work).into_iter().filter(|f| !before.contains(f)).collect();
    if code == 2 && !new.is_empty() {
        return Err(format!("refused (exit 2), yet wrote {:?}", &new[..new.len().min(3)]));
    }
    // Where this invocation may write: its --out, else a default folder.
    let out = args.iter().position(|a| a == "--out").and_then(|i| args.get(i + 1));
    let allowed: Vec<PathBuf> = match (out, args[0].as_str()) {
        (_, "init") => args.get(1).map(|d| work.join(d)).into_iter().collect(),
        (Some(o), _) => vec![work.join(o)],
        // discover's default is beside its run folder, inside `work` here.
        (None, _) => vec![work.join("output"), work.join("folder-discover")],
    };
    for f in &new {
        let f = work.join(f);
        if !allowed.iter().any(|a| f.starts_with(a)) {
            return Err(format!("wrote {} outside its output folder", f.display()));
        }
    }
    Ok(code)
}

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_command_lines_end_cleanly_and_write_only_their_outputs() {
    let seed = env_or("MIGSIM_CLI_FUZZ_SEED", 2026);
    let runs = env_or("MIGSIM_CLI_FUZZ_RUNS", 250);
    let grammars: Vec<Grammar> = COMMANDS.iter().map(|c| grammar(c)).collect();
    for g in &grammars {
        assert!(
            g.command == "init" || g.command == "validate" || !g.flags.is_empty(),
            "no flags read from `{} --help`",
            g.command
        );
    }
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    let root = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut codes = [0usize; 3];
    for n in 0..runs {
        let work = root.path().join(n.to_string());
        std::fs::create_dir_all(work.join("folder")).unwrap();
        std::fs::write(work.join("scenario.toml"), "[scenario]\nname = 3\n").unwrap();
        std::fs::write(work.join("empty.toml"), "").unwrap();
        let g = &grammars[rng.random_range(0..grammars.len())];
        let mut args = vec![g.command.to_string()];
        for (kind, many) in &g.positionals {
            let count = if *many { rng.random_range(1..=3) } else { 1 };
            for _ in 0..count {
                args.push(positional(&mut rng, kind, &work));
            }
        }
        for f in &g.flags {
            let p = if f.required { 0.85 } else { 0.3 };
            if !rng.random_bool(p) {
                continue;
            }
            args.push(format!("--{}", f.name));
            if let Some(kind) = &f.value {
                args.push(value(&mut rng, kind, &work));
            }
        }
        // Now and then a flag no command has, or a stray word.
        if rng.random_bool(0.05) {
            args.push(pick(&mut rng, &["--no-such-flag", "stray", "-x", "--"]).to_string());
        }
        // Ensembles are kept small: a fuzzer is not a benchmark.
        if let Some(i) = args.iter().position(|a| a == "--draws")
            && args
                .get(i + 1)
                .and_then(|v| v.parse::<u64>().ok())
                .is_some_and(|d| d > 5 && d < 1_000_000)
        {
            args[i + 1] = "5".into();
        }
        match check(&args, &work) {
            Ok(code) => codes[code as usize] += 1,
            Err(why) => failures.push(format!("migsim {}: {why}", shown(&args))),
        }
    }
    eprintln!(
        "command-line fuzz, seed {seed}: {runs} invocations, exit 0: {}, 1: {}, 2: {}; failures: {}",
        codes[0],
        codes[1],
        codes[2],
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} invocations failed:\n{}",
        failures.len(),
        failures[..failures.len().min(15)].join("\n")
    );
    // The fuzz reaches past the parser: some invocations run and write.
    assert!(
        codes[0] > runs as usize / 20,
        "too few invocations succeeded: {codes:?}"
    );
}

/// A command line as it would be typed, long values shortened.
fn shown(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.len() > 60 {
                format!("{}…({} chars)", a.chars().take(20).collect::<String>(), a.len())
            } else if a.is_empty() || a.contains(' ') {
                format!("{a:?}")
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
