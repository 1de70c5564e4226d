//! Batch work: `batch`, `sweep`, `sensitivity`, shards and `merge`.

use super::*;

fn kyrgyz(file: &str) -> PathBuf {
    repo().join("scenarios/kyrgyzstan").join(file)
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ran(cmd: &mut Command) -> Ran {
    let o = cmd.output().unwrap();
    Ran {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `migsim run` of a pack scenario with 40 draws and the given seed.
fn draws_of(file: &str, seed: &str) -> Command {
    let mut c = migsim();
    c.arg("run").arg(kyrgyz(file)).args(["--draws", "40", "--seed", seed]);
    c
}

/// `migsim merge SHARDS... --out OUT` with `extra` flags.
fn merge<P: AsRef<std::ffi::OsStr>>(shards: &[P], out: &Path, extra: &[&str]) -> Ran {
    ran(migsim().arg("merge").args(shards).args(extra).arg("--out").arg(out))
}

fn run_shards(tmp: &Path, seed: &str, n: usize, extra: &[&str]) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let dir = tmp.join(format!("seed{seed}-shard{i}"));
            let r = ran(draws_of("baseline.toml", seed)
                .args(["--quiet", "--shard", &format!("{i}/{n}"), "--out"])
                .arg(&dir)
                .args(extra));
            assert_eq!(r.code, 0, "{}", r.stderr);
            dir
        })
        .collect()
}

#[test]
fn four_shards_merged_equal_the_one_machine_ensemble_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let r = ran(draws_of("baseline.toml", "3")
        .args(["--quiet", "--keep-draws", "--threads", "2", "--out"])
        .arg(&one));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut shards = run_shards(tmp.path(), "3", 4, &["--keep-draws", "--threads", "1"]);
    // Merge order does not matter.
    shards.reverse();
    let merged = tmp.path().join("merged");
    let r = merge(&shards, &merged, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (a, b) = (tree(&one), tree(&merged));
    assert!(a.contains_key(Path::new("draws.csv")) && a.contains_key(Path::new("charts/fan_population_abroad.png")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs after merging", k.display());
    }
    assert!(r.stdout.contains("kyrgyzstan-baseline"), "{}", r.stdout);
}

#[test]
fn merge_refuses_shards_of_another_seed_missing_or_repeated_shards_and_altered_values() {
    let tmp = tempfile::tempdir().unwrap();
    let s3 = run_shards(tmp.path(), "3", 2, &[]);
    let s4 = run_shards(tmp.path(), "4", 2, &[]);
    let out = tmp.path().join("out");
    let refused = |dirs: &[&PathBuf], needle: &str| {
        let r = merge(dirs, &out, &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains(needle), "`{needle}` missing from {}", r.stderr);
        assert!(!out.exists(), "merge wrote despite refusing");
    };
    refused(&[&s3[0], &s4[1]], "seed");
    refused(&[&s3[0]], "shard 2/2 is missing");
    refused(&[&s3[0], &s3[0], &s3[1]], "given twice");
    let not_a_shard = tmp.path().join("empty");
    std::fs::create_dir(&not_a_shard).unwrap();
    refused(&[&s3[0], &not_a_shard], "--shard");
    let values = s3[1].join("values.bin");
    let mut bytes = std::fs::read(&values).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&values, bytes).unwrap();
    refused(&[&s3[0], &s3[1]], "SHA-256");
}

#[test]
fn a_shard_of_a_single_run_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let r = ran(migsim()
        .args([
            "run",
            kyrgyz("baseline.toml").to_str().unwrap(),
            "--shard",
            "1/2",
            "--out",
        ])
        .arg(tmp.path().join("x")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--draws"), "{}", r.stderr);
    let r = ran(migsim().args(["run", "--draws", "10", "--shard", "3/2"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("I/N"), "{}", r.stderr);
}

#[test]
fn batch_over_the_pack_with_a_broken_scenario_runs_the_rest_names_it_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken.toml");
    let text = std::fs::read_to_string(kyrgyz("jobs-at-home.toml")).unwrap();
    let base = kyrgyz("baseline.toml");
    std::fs::write(
        &broken,
        text.replace("\"baseline.toml\"", &format!("{:?}", base.to_str().unwrap()))
            .replace("name = \"jobs-at-home\"", "name = \"broken\"")
            .replace("jobs_per_year = 30000", "jobs_per_yeer = 30000"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = ran(migsim()
        .arg("batch")
        .arg(repo().join("scenarios/kyrgyzstan"))
        .arg(&broken)
        .args(["--no-charts", "--out"])
        .arg(&out));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let pack: Vec<String> = std::fs::read_dir(repo().join("scenarios/kyrgyzstan"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.display().to_string())
        .collect();
    let csv = std::fs::read_to_string(out.join("batch.csv")).unwrap();
    assert_eq!(csv.lines().next().unwrap(), "scenario,indicator,year,value");
    let mut names: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    names.dedup();
    assert_eq!(names.len(), pack.len(), "every pack scenario in batch.csv");
    for n in &names {
        assert!(out.join(n).join("series.csv").exists(), "{n} has no outputs");
    }
    assert!(!names.contains(&"broken"));
    assert!(
        r.stderr.contains("broken.toml") && r.stderr.contains("jobs_per_yeer"),
        "{}",
        r.stderr
    );
    let last = r.stderr.lines().last().unwrap();
    assert!(
        last.contains(&format!("1 of {} scenarios failed", pack.len() + 1)) && last.contains("broken.toml"),
        "{last}"
    );
    // The headline years of the baseline: the first, every fifth, the last.
    let years: std::collections::BTreeSet<&str> = csv
        .lines()
        .filter(|l| l.starts_with("kyrgyzstan-baseline,population_abroad,"))
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        ["2023", "2025", "2030", "2035", "2040", "2045", "2050"]
    );
}

#[test]
fn batch_takes_patterns_and_refuses_two_scenarios_of_one_name() {
    let dir = fixture_dir();
    let copy = dir.path().join("copy.toml");
    std::fs::copy(dir.path().join("tiny.toml"), &copy).unwrap();
    let out = dir.path().join("out");
    let pattern = dir.path().join("*.toml");
    let r = ran(migsim()
        .arg("batch")
        .arg(&pattern)
        .args(["--no-charts", "--format", "json", "--out"])
        .arg(&out));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let items = v["scenarios"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ok"], true);
    assert_eq!(items[1]["ok"], false);
    assert!(
        items[1]["error"].as_str().unwrap().contains("scenario.name"),
        "{}",
        items[1]["error"]
    );
    let r = ran(migsim()
        .arg("batch")
        .arg(dir.path().join("*.nothing"))
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("matches no file"), "{}", r.stderr);
}

#[test]
fn sweep_points_equal_runs_of_the_scenario_edited_by_hand() {
    let dir = fixture_dir();
    let out = dir.path().join("sweep");
    let r = ran(migsim()
        .args(["sweep"])
        .arg(dir.path().join("tiny.toml"))
        .args([
            "--set",
            "destinations.west.wage_usd=1000:2000:3",
            "--set",
            "economy.jobs_growth=0:0.03:2",
        ])
        .args([
            "--outcome",
            "population_abroad@2030",
            "--outcome",
            "emigrants[destination=west]@2025",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "point,destinations.west.wage_usd,economy.jobs_growth,population_abroad_2030,emigrants_destination_west_2025"
    );
    assert_eq!(lines.len(), 7);
    // Point 4 is the second wage with the second jobs growth (last key fastest).
    let cells: Vec<&str> = lines[4].split(',').collect();
    assert_eq!(&cells[..3], ["4", "1500", "0.03"]);
    let edited = edit(dir.path(), "wage_usd = 1500", "wage_usd = 1500.0");
    let text = std::fs::read_to_string(&edited)
        .unwrap()
        .replace("jobs_growth = 0.015", "jobs_growth = 0.03");
    std::fs::write(&edited, text).unwrap();
    let by_hand = migsim::Scenario::from_file(&edited).unwrap();
    let run = migsim::model::project(&by_hand.model).unwrap();
    let abroad = run
        .get(migsim::Indicator::PopulationAbroad, migsim::Dim::Total, 2030)
        .unwrap();
    assert_eq!(cells[3].parse::<f64>().unwrap(), abroad);
}

#[test]
fn sweep_over_one_lever_finds_the_smallest_level_meeting_a_target() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let r = ran(migsim()
        .arg("sweep")
        .arg(kyrgyz("concept-2040-draft.toml"))
        .args(["--set", "policies.domestic_jobs.jobs_per_year=0:20000:5", "--out"])
        .arg(&out)
        .current_dir(kyrgyz("")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let met = header
        .iter()
        .position(|h| *h == "met_citizens_abroad_in_2040_at_least_10pct_below_the_baseline")
        .unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let first_met = rows.iter().position(|r| r[met] == "true").expect("some level meets it");
    assert!(first_met > 0, "no lever at all should not meet it");
    assert!(
        rows[first_met..].iter().all(|r| r[met] == "true"),
        "more jobs keep meeting it"
    );
    let level = rows[first_met][1];
    assert!(
        r.stdout.contains(&format!(
            "point {} (policies.domestic_jobs.jobs_per_year = {level})",
            first_met + 1
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn latin_hypercube_sweeps_are_seeded_and_shards_merge_into_the_same_table() {
    let dir = fixture_dir();
    let scenario = dir.path().join("tiny.toml");
    let args = |out: &Path| {
        let mut c = migsim();
        c.arg("sweep")
            .arg(&scenario)
            .args([
                "--set",
                "economy.wage_growth=0:0.06",
                "--set",
                "emigration.gamma=0.5:1.5",
            ])
            .args(["--design", "lhs", "--samples", "9", "--seed", "5", "--quiet", "--out"])
            .arg(out);
        c
    };
    let one = dir.path().join("one");
    assert_eq!(ran(&mut args(&one)).code, 0);
    let shards: Vec<PathBuf> = (1..=3).map(|i| dir.path().join(format!("s{i}"))).collect();
    for (i, s) in shards.iter().enumerate() {
        let r = ran(args(s).arg("--shard").arg(format!("{}/3", i + 1)));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let merged = dir.path().join("merged");
    let r = merge(&shards, &merged, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every file, sweep.csv and manifest.json, as one machine wrote it.
    assert_eq!(tree(&one), tree(&merged));
    assert!(merged.join("manifest.json").exists());
    let a = std::fs::read_to_string(one.join("sweep.csv")).unwrap();
    assert_eq!(a.lines().count(), 10);
    for line in a.lines().skip(1) {
        let c: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        assert!((0.0..=0.06).contains(&c[1]) && (0.5..=1.5).contains(&c[2]), "{line}");
    }
}

#[test]
fn sweep_refuses_unknown_keys_and_values_out_of_range() {
    let dir = fixture_dir();
    let s = dir.path().join("tiny.toml");
    for (set, needle) in [
        ("economy.wage_growht=0:1:2", "wage_growht"),
        ("destinations.east.return_rate_temporary=0:1.7:3", "1.7"),
        ("economy.wage_growth=0:0.1", "STEPS"),
        ("economy.wage_growth", "KEY=FROM:TO"),
    ] {
        let r = ran(migsim()
            .arg("sweep")
            .arg(&s)
            .args(["--set", set, "--out"])
            .arg(dir.path().join("o")));
        assert_eq!(r.code, 2, "{set}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(
            r.stderr.contains(needle) && r.stderr.contains("--set"),
            "{set}: {}",
            r.stderr
        );
        assert!(!dir.path().join("o").exists());
    }
}

/// The tiny fixture with two uncertain parameters: one that drives the
/// stock abroad (wage growth in the main destination; the wage level itself
/// would be absorbed by the base-year calibration) and one (a remittance
/// fee) that cannot touch it.
fn tiny_with_uncertainty(dir: &Path) -> PathBuf {
    let path = dir.join("uncertain.toml");
    let text = std::fs::read_to_string(dir.join("tiny.toml")).unwrap()
        + "\n[uncertainty]\ndraws = 10\nseed = 2\n[uncertainty.parameters]\n\
\"destinations.east.wage_growth\" = { uniform = { min = 0.0, max = 0.08 } }\n\
\"destinations.east.transfer_cost\" = { uniform = { min = 0.01, max = 0.1 } }\n";
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn sensitivity_gives_no_influence_to_a_parameter_that_cannot_act_and_draws_the_tornado() {
    let dir = fixture_dir();
    let s = tiny_with_uncertainty(dir.path());
    let out = dir.path().join("sens");
    let r = ran(migsim()
        .arg("sensitivity")
        .arg(&s)
        .args([
            "--indicator",
            "population_abroad",
            "--year",
            "2030",
            "--samples",
            "256",
            "--trajectories",
            "10",
        ])
        .args(["--format", "json", "--out"])
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["runs"], 256 * 4 + 10 * 3);
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let by = |name: &str| rows.iter().find(|r| r[3] == name).unwrap().clone();
    let fee = by("destinations.east.transfer_cost");
    let wage = by("destinations.east.wage_growth");
    let f = |r: &[&str], i: usize| r[i].parse::<f64>().unwrap();
    // A fee on remittances changes no person: its total index and every
    // elementary effect are exactly zero.
    assert_eq!(f(&fee, 7), 0.0);
    assert_eq!(f(&fee, 10), 0.0);
    // The only active input explains all the variance.
    assert!((f(&wage, 7) - 1.0).abs() < 0.15, "{wage:?}");
    assert!((f(&wage, 4) - 1.0).abs() < 0.15, "{wage:?}");
    assert!(f(&wage, 5) <= f(&wage, 4) && f(&wage, 4) <= f(&wage, 6));
    assert!(f(&wage, 10) > 0.0);
    let png = std::fs::read(out.join("charts/tornado.png")).unwrap();
    assert_eq!(&png[16..24], &[0, 0, 4, 176, 0, 0, 2, 188], "1200x700");
}

#[test]
fn sensitivity_shards_merge_into_the_same_indices() {
    let dir = fixture_dir();
    let s = tiny_with_uncertainty(dir.path());
    let args = |out: &Path| {
        let mut c = migsim();
        c.arg("sensitivity")
            .arg(&s)
            .args([
                "--indicator",
                "emigrants",
                "--year",
                "2025",
                "--samples",
                "16",
                "--trajectories",
                "4",
            ])
            .args(["--no-charts", "-q", "--out"])
            .arg(out);
        c
    };
    let one = dir.path().join("one");
    assert_eq!(ran(&mut args(&one)).code, 0);
    let shards: Vec<PathBuf> = (1..=2).map(|i| dir.path().join(format!("s{i}"))).collect();
    for (i, sh) in shards.iter().enumerate() {
        assert_eq!(ran(args(sh).arg("--shard").arg(format!("{}/2", i + 1))).code, 0);
    }
    let merged = dir.path().join("m");
    let r = merge(&shards, &merged, &["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(merged.join("sensitivity.csv").exists() && merged.join("manifest.json").exists());
    assert_eq!(tree(&one), tree(&merged));
}

#[test]
fn sensitivity_refuses_a_scenario_without_uncertainty_and_an_outcome_outside_the_run() {
    let dir = fixture_dir();
    let plain = dir.path().join("tiny.toml");
    let r = ran(migsim()
        .arg("sensitivity")
        .arg(&plain)
        .args(["--indicator", "population_abroad", "--year", "2030"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("uncertainty.parameters"), "{}", r.stderr);
    let s = tiny_with_uncertainty(dir.path());
    let r = ran(migsim()
        .arg("sensitivity")
        .arg(&s)
        .args(["--indicator", "emigrants", "--year", "2030"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2029"), "flows end the year before: {}", r.stderr);
    let r = ran(migsim()
        .arg("sensitivity")
        .arg(&s)
        .args(["--indicator", "emigrant", "--year", "2025"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `emigrants`"), "{}", r.stderr);
}

#[test]
fn json_summaries_parse_and_carry_the_headline_and_targets() {
    let tmp = tempfile::tempdir().unwrap();
    let r = ran(migsim()
        .arg("run")
        .arg(kyrgyz("jobs-at-home.toml"))
        .args(["--no-charts", "--format", "json", "--out"])
        .arg(tmp.path().join("r")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["command"], "run");
    assert_eq!(v["scenario"], "jobs-at-home");
    assert!(v["headline"]["population_abroad"]["2023"].as_f64().unwrap() > 5e5);
    assert_eq!(v["targets"][0]["year"], 2040);
    assert!(v["targets"][0]["met"].is_boolean());
}

#[test]
fn the_slurm_script_parses_and_its_tasks_merge_into_the_one_machine_ensemble() {
    let script = repo().join("cluster/slurm-ensemble.sh");
    let r = ran(Command::new("bash").arg("-n").arg(&script));
    assert_eq!(r.code, 0, "bash -n: {}", r.stderr);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cluster");
    for task in 1..=3 {
        let r = ran(Command::new("bash")
            .arg(&script)
            .current_dir(repo())
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_CPUS_PER_TASK", "1")
            .env("MIGSIM", env!("CARGO_BIN_EXE_migsim"))
            .env("DRAWS", "30")
            .env("SEED", "11")
            .env("OUT", &out));
        assert_eq!(r.code, 0, "task {task}: {}", r.stderr);
    }
    let shards: Vec<PathBuf> = (1..=3).map(|t| out.join(format!("shard-{t}"))).collect();
    let merged = tmp.path().join("merged");
    let r = merge(&shards, &merged, &["--no-charts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let one = tmp.path().join("one");
    let r = ran(migsim()
        .args([
            "run",
            "scenarios/kyrgyzstan/baseline.toml",
            "--draws",
            "30",
            "--seed",
            "11",
        ])
        .args(["--no-charts", "-q", "--out"])
        .arg(&one)
        .current_dir(repo()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tree(&one), tree(&merged));
}

#[test]
fn the_readme_shows_the_cluster_scripts_as_they_are() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let slurm = std::fs::read_to_string(repo().join("cluster/slurm-ensemble.sh")).unwrap();
    assert!(
        readme.contains(&slurm),
        "README's Slurm script differs from cluster/slurm-ensemble.sh"
    );
    let parallel = std::fs::read_to_string(repo().join("cluster/parallel-ensemble.sh")).unwrap();
    let one_liner = parallel.lines().find(|l| l.starts_with("seq 1")).unwrap();
    assert!(
        readme.contains(one_liner),
        "README's GNU parallel line differs from the script's"
    );
}

#[test]
fn merge_refuses_shards_of_another_scenario_or_of_a_scenario_changed_since() {
    let tmp = tempfile::tempdir().unwrap();
    let base = run_shards(tmp.path(), "3", 2, &[]);
    let other = tmp.path().join("jobs-2");
    let r = ran(draws_of("jobs-at-home.toml", "3")
        .args(["--quiet", "--shard", "2/2", "--out"])
        .arg(&other));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = merge(&[&base[0], &other], &tmp.path().join("o"), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`scenario`") && r.stderr.contains("jobs-at-home"),
        "{}",
        r.stderr
    );

    let dir = fixture_dir();
    let s = dir.path().join("tiny.toml");
    let shards: Vec<PathBuf> = (1..=2).map(|i| dir.path().join(format!("s{i}"))).collect();
    for (i, sh) in shards.iter().enumerate() {
        let r = ran(migsim()
            .arg("run")
            .arg(&s)
            .args(["--draws", "4", "-q", "--shard", &format!("{}/2", i + 1), "--out"])
            .arg(sh));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let text = std::fs::read_to_string(&s).unwrap();
    std::fs::write(&s, text.replace("kappa = 1.0", "kappa = 1.1")).unwrap();
    let r = merge(&shards, &dir.path().join("m"), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("differs from the files the shards were run with"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_readme_sweep_example_is_what_the_tool_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let r = ran(migsim()
        .arg("sweep")
        .arg(kyrgyz("concept-2040-draft.toml"))
        .args(["--set", "policies.domestic_jobs.jobs_per_year=0:20000:11"])
        .args(["--outcome", "population_abroad@2040"])
        .current_dir(tmp.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert_eq!(r.stdout.lines().count(), 3);
    for line in r.stdout.lines() {
        assert!(readme.contains(line), "README lacks: {line}");
    }
}

/// A whole-number key (an age) can be swept; its values must be whole.
#[test]
fn sweep_sets_whole_number_keys_and_refuses_fractions_of_them() {
    let dir = fixture_dir();
    let s = dir.path().join("tiny.toml");
    let out = dir.path().join("o");
    let r = ran(migsim()
        .arg("sweep")
        .arg(&s)
        .args(["--set", "education.age_secondary=16:18:3", "--quiet", "--out"])
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let ages: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(ages, ["16", "17", "18"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_ne!(
        rows[0].split(',').nth(2),
        rows[2].split(',').nth(2),
        "the age moved nothing"
    );
    let r = ran(migsim()
        .arg("sweep")
        .arg(&s)
        .args(["--set", "education.age_secondary=16:18:5", "--out"])
        .arg(dir.path().join("o2")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("= 16.5: expected a whole number"), "{}", r.stderr);
    assert!(!dir.path().join("o2").exists());
}
