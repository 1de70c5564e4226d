//! A deterministic mutation fuzzer over the bundled scenarios and the tiny
//! fixture. Each mutant changes one thing (a key deleted; a number set to 0,
//! −1, ±1e308, NaN, ±inf or a huge integer; a value turned into a string, an
//! array or a table; a year path broken; a named entry duplicated; a cell of
//! a CSV table changed) and must end cleanly:
//! - `validate` (the library's load, compile and central projection, in
//!   process, panics caught): accepted, or refused as bad input with every
//!   line naming its file and where in it; a mutant that validates must
//!   project finite (the finite-value guard tripping is a failure);
//! - `run` (the binary): exit 0 with finite, non-negative stocks, or exit 2
//!   with located lines and no output folder.
//!
//! The suite runs a fixed seed (2,000 `validate` mutants, 200 `run`s). A
//! longer campaign for release checks takes its seed and counts from the
//! environment: `MIGSIM_FUZZ_SEED=11 MIGSIM_FUZZ_VALIDATE=20000
//! MIGSIM_FUZZ_RUN=1000 cargo test --release fuzz -- --nocapture`.

use super::{migsim, repo};
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The files mutated, relative to the work folder, with their weight.
const BASES: &[(&str, u32)] = &[
    ("fix/tiny.toml", 10),
    ("scen/kyrgyzstan/baseline.toml", 5),
    ("scen/kyrgyzstan/concept-2040-draft.toml", 1),
    ("scen/kyrgyzstan/ruble-crisis.toml", 1),
    ("scen/kyrgyzstan/pandemic-closure.toml", 1),
    ("scen/kyrgyzstan/backtest-2016.toml", 1),
];

const KINDS: &[&str] = &[
    "delete key",
    "number to 0",
    "number to -1",
    "number to +1e308",
    "number to -1e308",
    "number to NaN",
    "number to inf",
    "huge integer",
    "value to string",
    "value to array",
    "value to table",
    "break year path",
    "duplicate named entry",
    "CSV cell",
];

/// A copy of the pack and the fixture, laid out so that relative paths hold.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("scenarios/kyrgyzstan", "scen/kyrgyzstan"),
        ("scenarios/data", "scen/data"),
    ] {
        let to = dir.path().join(to);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(repo().join(from)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    let fix = dir.path().join("fix");
    std::fs::create_dir_all(&fix).unwrap();
    for f in ["tiny.toml", "tiny_home.csv", "tiny_abroad.csv"] {
        std::fs::copy(repo().join("tests/fixtures").join(f), fix.join(f)).unwrap();
    }
    let tiny = std::fs::read_to_string(fix.join("tiny.toml")).unwrap();
    std::fs::write(
        fix.join("tiny.toml"),
        tiny.replace("../../scenarios/data/", "../scen/data/"),
    )
    .unwrap();
    dir
}

/// A step into a TOML value: a table key or an array index.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every path to a value under `v` (tables, arrays and leaves alike).
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Table(t) => {
            for (k, x) in t {
                here.push(Step::Key(k.clone()));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                out.push(here.clone());
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match (s, v) {
        (Step::Key(k), Value::Table(t)) => t.get_mut(k).unwrap(),
        (Step::Index(i), Value::Array(a)) => &mut a[*i],
        _ => unreachable!("paths come from this value"),
    })
}

fn get<'a>(v: &'a Value, path: &[Step]) -> &'a Value {
    path.iter().fold(v, |v, s| match (s, v) {
        (Step::Key(k), Value::Table(t)) => &t[k],
        (Step::Index(i), Value::Array(a)) => &a[*i],
        _ => unreachable!("paths come from this value"),
    })
}

fn pick<'a, T>(rng: &mut impl rand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One mutant of `base` (a file under `work`): its text and, for a CSV
/// mutant, the table written beside it. `None` when the kind has nothing to
/// act on in this file.
fn mutate(work: &Path, base: &str, kind: &str, n: usize, rng: &mut impl rand::Rng) -> Option<PathBuf> {
    let text = std::fs::read_to_string(work.join(base)).unwrap();
    let mut doc = Value::Table(text.parse::<Table>().unwrap());
    let mut all = Vec::new();
    paths(&doc, &mut Vec::new(), &mut all);
    let numbers: Vec<&Vec<Step>> = all
        .iter()
        .filter(|p| matches!(get(&doc, p), Value::Integer(_) | Value::Float(_)))
        .collect();
    let number = |rng: &mut _| (!numbers.is_empty()).then(|| pick(rng, &numbers).to_vec());
    match kind {
        "delete key" => {
            let keyed: Vec<&Vec<Step>> = all.iter().filter(|p| matches!(p.last(), Some(Step::Key(_)))).collect();
            let p = pick(rng, &keyed);
            let (last, parent) = p.split_last().unwrap();
            if let (Step::Key(k), Value::Table(t)) = (last, at(&mut doc, parent)) {
                t.remove(k);
            }
        }
        "number to 0" | "number to -1" | "number to +1e308" | "number to -1e308" | "number to NaN"
        | "number to inf" => {
            let p = number(rng)?;
            *at(&mut doc, &p) = Value::Float(match kind {
                "number to 0" => 0.0,
                "number to -1" => -1.0,
                "number to +1e308" => 1e308,
                "number to -1e308" => -1e308,
                "number to NaN" => f64::NAN,
                _ => {
                    if rng.random::<bool>() {
                        f64::INFINITY
                    } else {
                        f64::NEG_INFINITY
                    }
                }
            });
        }
        "huge integer" => {
            let p = number(rng)?;
            *at(&mut doc, &p) = Value::Integer(*pick(rng, &[i64::MAX, i64::MIN, 1 << 53, 4_294_967_296]));
        }
        "value to string" | "value to array" | "value to table" => {
            let p = pick(rng, &all).clone();
            *at(&mut doc, &p) = match kind {
                "value to string" => Value::String(pick(rng, &["x", "", "1e3", "../../etc/passwd"]).to_string()),
                "value to array" => Value::Array(vec![Value::Integer(1), Value::String("a".into())]),
                _ => Value::Table(Table::new()),
            };
        }
        "break year path" => {
            let knotted: Vec<&Vec<Step>> = all
                .iter()
                .filter(|p| {
                    matches!(get(&doc, p), Value::Table(t) if !t.is_empty() && t.keys().all(|k| k.parse::<i32>().is_ok()))
                })
                .collect();
            if knotted.is_empty() {
                return None;
            }
            let p = pick(rng, &knotted).to_vec();
            if let Value::Table(t) = at(&mut doc, &p) {
                let (k, v) = match rng.random_range(0..4) {
                    0 => ("abc".to_string(), Value::Float(1.0)),
                    1 => ("99999".to_string(), Value::Float(1.0)),
                    2 => (t.keys().next().unwrap().clone(), Value::Float(f64::NAN)),
                    _ => (t.keys().next().unwrap().clone(), Value::String("soon".into())),
                };
                t.insert(k, v);
            }
        }
        "duplicate named entry" => {
            let named: Vec<&Vec<Step>> = all
                .iter()
                .filter(|p| matches!(get(&doc, p), Value::Array(a) if a.iter().any(|x| x.get("name").is_some())))
                .collect();
            if named.is_empty() {
                return None;
            }
            let p = pick(rng, &named).to_vec();
            if let Value::Array(a) = at(&mut doc, &p) {
                let copy = a[rng.random_range(0..a.len())].clone();
                a.push(copy);
            }
        }
        "CSV cell" => {
            let csvs: Vec<&Vec<Step>> = all
                .iter()
                .filter(|p| matches!(p.last(), Some(Step::Key(k)) if k.ends_with("_csv")))
                .collect();
            if csvs.is_empty() {
                return None;
            }
            let p = pick(rng, &csvs).to_vec();
            let dir = work.join(base).parent().unwrap().to_path_buf();
            let Value::String(rel) = at(&mut doc, &p).clone() else {
                return None;
            };
            let table = std::fs::read_to_string(dir.join(&rel)).ok()?;
            let mut rows: Vec<Vec<String>> = table
                .lines()
                .map(|l| l.split(',').map(str::to_string).collect())
                .collect();
            let r = rng.random_range(0..rows.len());
            let c = rng.random_range(0..rows[r].len());
            let cell: String = match rng.random_range(0..7) {
                0 => String::new(),
                1 => "-1".into(),
                2 => "nan".into(),
                3 => "1e308".into(),
                4 => "abc".into(),
                5 => "9".repeat(500),
                _ => "inf".into(),
            };
            rows[r][c] = cell;
            let name = format!("mutant-{n}.csv");
            let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
            std::fs::write(dir.join(&name), body.join("\n") + "\n").unwrap();
            *at(&mut doc, &p) = Value::String(name);
        }
        other => unreachable!("{other}"),
    }
    let out = work.join(base).with_file_name(format!("mutant-{n}.toml"));
    let Value::Table(t) = doc else { unreachable!() };
    std::fs::write(&out, toml::to_string(&t).ok()?).unwrap();
    Some(out)
}

/// How one mutant ended.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum End {
    Accepted,
    Refused,
}

/// Whether an error line names a place in a file: `file:LINE:`,
/// `file:row N:`, or a problem with a whole file or the command line.
fn located(line: &str) -> bool {
    let rest = line.strip_prefix("error: ").unwrap_or(line);
    let Some((file, after)) = rest.split_once(": ") else {
        return false;
    };
    let has_number = file
        .rsplit(':')
        .next()
        .is_some_and(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        || file.contains(":row ");
    let whole_file = !after.starts_with('`');
    has_number || whole_file || file == "command line"
}

fn check_validate(path: &Path) -> Result<End, String> {
    let outcome = std::panic::catch_unwind(|| migsim::Scenario::from_file(path).and_then(|s| s.project().map(|_| ())));
    match outcome {
        Err(_) => Err("panicked".into()),
        Ok(Ok(())) => Ok(End::Accepted),
        Ok(Err(e)) => {
            let text = e.to_string();
            if e.exit_code() != 2 {
                return Err(format!("exit {} (not a refusal of bad input): {text}", e.exit_code()));
            }
            match text.lines().find(|l| !located(l)) {
                Some(l) => Err(format!("not located: {l}")),
                None => Ok(End::Refused),
            }
        }
    }
}

fn check_run(path: &Path, out: &Path) -> Result<End, String> {
    let o = migsim()
        .arg("run")
        .arg(path)
        .args(["--no-charts", "--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    match o.status.code() {
        Some(0) => {
            let series = std::fs::read_to_string(out.join("series.csv")).map_err(|e| e.to_string())?;
            for line in series.lines().skip(1) {
                let f: Vec<&str> = line.split(',').collect();
                let value: f64 = f[5].parse().map_err(|_| format!("bad value: {line}"))?;
                let stock = f[2].starts_with("population_") || f[2] == "emigrant_stock";
                if !value.is_finite() || (stock && value < 0.0) {
                    return Err(format!("not a finite stock: {line}"));
                }
            }
            Ok(End::Accepted)
        }
        Some(2) => {
            if out.exists() {
                return Err("refused, yet wrote outputs".into());
            }
            match err.lines().find(|l| !located(l)) {
                Some(l) => Err(format!("not located: {l}")),
                None => Ok(End::Refused),
            }
        }
        code => Err(format!("exit {code:?}: {err}")),
    }
}

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn mutants_are_refused_cleanly_or_run_finite() {
    let seed = env_or("MIGSIM_FUZZ_SEED", 2026);
    let validates = env_or("MIGSIM_FUZZ_VALIDATE", 2000) as usize;
    let runs = env_or("MIGSIM_FUZZ_RUN", 200) as usize;
    let work = workspace();
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    let total_weight: u32 = BASES.iter().map(|b| b.1).sum();
    let mut tally: BTreeMap<(&str, &str), [usize; 2]> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut made = 0;
    let mut n = 0;
    while made < validates + runs {
        n += 1;
        let mut w = rng.random_range(0..total_weight);
        let base = BASES.iter().find(|b| {
            let hit = w < b.1;
            w = w.saturating_sub(b.1);
            hit
        });
        let base = base.unwrap().0;
        let kind = *pick(&mut rng, KINDS);
        let Some(path) = mutate(work.path(), base, kind, n, &mut rng) else {
            continue;
        };
        made += 1;
        let (stage, result) = if made <= validates {
            ("validate", check_validate(&path))
        } else {
            ("run", check_run(&path, &work.path().join(format!("out-{n}"))))
        };
        match result {
            Ok(end) => tally.entry((stage, kind)).or_default()[end as usize] += 1,
            Err(why) => failures.push(format!("{stage} {kind} of {base} ({}): {why}", path.display())),
        }
    }
    eprintln!("fuzz seed {seed}: {validates} validate and {runs} run mutants");
    eprintln!("{:<9} {:<22} {:>8} {:>8}", "stage", "mutation", "accepted", "refused");
    for ((stage, kind), [ok, refused]) in &tally {
        eprintln!("{stage:<9} {kind:<22} {ok:>8} {refused:>8}");
    }
    eprintln!("failures: {}", failures.len());
    assert!(
        failures.is_empty(),
        "{} mutants failed:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}
