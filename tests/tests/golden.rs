//! Golden snapshots: outputs compared byte for byte with files kept under
//! `tests/golden/`, so that a change of one digit anywhere is seen. When a
//! change of the numbers is intended, regenerate them with
//! `MIGSIM_UPDATE_GOLDEN=1 cargo test --release golden` and review the
//! diff of `tests/golden/` before committing it (see tests/golden/README.md).

use super::*;

fn golden_dir() -> PathBuf {
    repo().join("tests/golden")
}

fn updating() -> bool {
    std::env::var_os("MIGSIM_UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// Runs `migsim` from the repository root (so the manifest records the same
/// relative input paths on every machine) and returns the output folder.
fn run_in_repo(args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = migsim()
        .args(args)
        .arg("--out")
        .arg(out.path().join("o"))
        .args(["--quiet", "--no-charts"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Compares `actual` with the golden file `name`, or rewrites the golden
/// file when updating. A mismatch names the first differing line.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (MIGSIM_UPDATE_GOLDEN=1 writes it)", path.display()));
    if expected == actual {
        return;
    }
    let differing = expected.lines().zip(actual.lines()).filter(|(e, a)| e != a).count();
    let first = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .find(|(_, (e, a))| e != a)
        .map(|(i, (e, a))| format!("first at line {}:\n  golden: {e}\n  now:    {a}", i + 1))
        .unwrap_or_else(|| "the files differ in length only".into());
    panic!(
        "{name} differs from its golden file ({differing} lines; {} vs {} lines), {first}",
        expected.lines().count(),
        actual.lines().count()
    );
}

fn read(dir: &tempfile::TempDir, file: &str) -> String {
    std::fs::read_to_string(dir.path().join("o").join(file)).unwrap()
}

#[test]
fn tiny_policy_run_matches_its_golden_outputs() {
    let out = run_in_repo(&["run", "tests/golden/tiny-policy.toml"]);
    for file in ["series.csv", "targets.csv", "report.md", "report.html", "manifest.json"] {
        check(&format!("tiny-policy/{file}"), &read(&out, file));
    }
}

#[test]
fn tiny_policy_ensemble_matches_its_golden_outputs() {
    let out = run_in_repo(&["run", "tests/golden/tiny-policy.toml", "--ensemble", "--threads", "2"]);
    for file in ["series.csv", "targets.csv", "report.md", "report.html", "manifest.json"] {
        check(&format!("tiny-policy-draws/{file}"), &read(&out, file));
    }
}

/// The bundled baseline's national totals in 2030, 2040 and 2050: the
/// headline figures a reader of the README sees.
#[test]
fn baseline_headline_figures_match_their_golden_file() {
    let out = run_in_repo(&["run"]);
    let series = read(&out, "series.csv");
    let mut lines = series.lines();
    let mut kept = vec![lines.next().unwrap().to_string()];
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        if matches!(cols[1], "2030" | "2040" | "2050") && cols[3].is_empty() {
            kept.push(line.to_string());
        }
    }
    assert!(kept.len() > 40, "too few headline rows: {}", kept.len());
    check("baseline-headline.csv", &(kept.join("\n") + "\n"));
}

/// The snapshot check itself: one digit changed in a golden file is caught.
#[test]
fn a_one_digit_change_fails_the_snapshot_check() {
    if updating() {
        return;
    }
    let golden = std::fs::read_to_string(golden_dir().join("tiny-policy/series.csv")).unwrap();
    let last_digit = golden.rfind(|c: char| c.is_ascii_digit()).unwrap();
    let mut changed = golden.clone();
    let d = golden.as_bytes()[last_digit] - b'0';
    changed.replace_range(last_digit..=last_digit, &((d + 1) % 10).to_string());
    let caught = std::panic::catch_unwind(|| check("tiny-policy/series.csv", &changed));
    assert!(caught.is_err(), "a changed digit passed the snapshot check");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every scenario of the Kyrgyz pack, central and with 50 draws, and the
/// pack compared: the SHA-256 of each table, one line per file, so that a
/// redesign can show it moved no number of any scenario.
#[test]
fn pack_outputs_match_their_golden_digests() {
    let mut scenarios: Vec<String> = std::fs::read_dir(repo().join("scenarios/kyrgyzstan"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    scenarios.sort();
    let mut lines = Vec::new();
    let mut digest = |label: &str, dir: &tempfile::TempDir, files: &[&str]| {
        for f in files.iter().filter(|f| dir.path().join("o").join(f).exists()) {
            lines.push(format!("{}  {label}/{f}", sha256_hex(read(dir, f).as_bytes())));
        }
    };
    for s in &scenarios {
        let path = format!("scenarios/kyrgyzstan/{s}");
        let stem = s.trim_end_matches(".toml");
        digest(
            stem,
            &run_in_repo(&["run", &path]),
            &["series.csv", "targets.csv", "fit.csv"],
        );
        let draws = run_in_repo(&["run", &path, "--draws", "50", "--seed", "3"]);
        digest(&format!("{stem}-draws"), &draws, &["series.csv", "targets.csv"]);
    }
    let mut compare: Vec<String> = vec!["compare".into(), "scenarios/kyrgyzstan/baseline.toml".into()];
    compare.extend(
        scenarios
            .iter()
            .filter(|s| !matches!(s.as_str(), "baseline.toml" | "backtest-2016.toml"))
            .map(|s| format!("scenarios/kyrgyzstan/{s}")),
    );
    let args: Vec<&str> = compare.iter().map(String::as_str).collect();
    digest("compare", &run_in_repo(&args), &["comparison.csv", "targets.csv"]);
    let mut with_draws = args.clone();
    with_draws.extend(["--draws", "50", "--seed", "3"]);
    digest(
        "compare-draws",
        &run_in_repo(&with_draws),
        &["comparison.csv", "targets.csv"],
    );
    check("pack.sha256", &(lines.join("\n") + "\n"));
}

/// The core crate reads no TOML or CSV, so its tests use the tiny scenario
/// and its tables as one JSON file; this keeps that file equal to them.
#[test]
fn the_core_fixture_is_the_tiny_scenario_and_its_tables() {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/tiny.toml")).unwrap();
    let scenario: toml::Table = text.parse().unwrap();
    let p = tiny_params();
    let table = |a: &[usize], values: Vec<f64>| serde_json::json!({ "shape": a, "values": values });
    let json = serde_json::json!({
        "scenario": scenario,
        "home": table(p.home.shape(), p.home.iter().copied().collect()),
        "abroad": table(p.abroad.shape(), p.abroad.iter().copied().collect()),
        "naturalised": table(p.naturalised.shape(), p.naturalised.iter().copied().collect()),
        "baseline_hazard": p.baseline_hazard,
    });
    let actual = serde_json::to_string(&json).unwrap() + "\n";
    let path = repo().join("crates/migsim-core/tests/fixtures/tiny.json");
    if updating() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == actual,
        "{} differs from tests/fixtures/tiny.toml and its tables; MIGSIM_UPDATE_GOLDEN=1 rewrites it",
        path.display()
    );
}
