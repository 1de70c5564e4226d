//! The command line: what it writes, and how it refuses bad input.

use super::*;

struct Outcome {
    code: i32,
    stderr: String,
    wrote: bool,
}

fn run_scenario(path: &Path, out: &Path) -> Outcome {
    let o = migsim().arg("run").arg(path).arg("--out").arg(out).output().unwrap();
    Outcome {
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        wrote: out.exists(),
    }
}

/// Bad input: exit 2, a single `error:` line naming the file, and no output.
fn assert_refused(path: &Path, out: &Path, needles: &[&str]) {
    let o = run_scenario(path, out);
    assert_eq!(o.code, 2, "stderr: {}", o.stderr);
    assert_eq!(o.stderr.lines().count(), 1, "not one line: {}", o.stderr);
    assert!(o.stderr.starts_with("error: "), "{}", o.stderr);
    for n in needles {
        assert!(o.stderr.contains(n), "`{n}` missing from: {}", o.stderr);
    }
    assert!(!o.wrote, "output written despite bad input");
}

#[test]
fn run_without_a_scenario_writes_the_bundled_baseline_from_any_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let o = migsim().arg("run").current_dir(cwd.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let series = cwd.path().join("output/kyrgyzstan-baseline/series.csv");
    let text = std::fs::read_to_string(&series).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "scenario,year,indicator,dimension,statistic,value,unit"
    );
    assert!(cwd.path().join("output/kyrgyzstan-baseline/manifest.json").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains("series.csv"));
}

#[test]
fn same_scenario_gives_byte_identical_series() {
    let dir = fixture_dir();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert_eq!(run_scenario(&dir.path().join("tiny.toml"), &a).code, 0);
    assert_eq!(run_scenario(&dir.path().join("tiny.toml"), &b).code, 0);
    assert_eq!(
        std::fs::read(a.join("series.csv")).unwrap(),
        std::fs::read(b.join("series.csv")).unwrap()
    );
}

#[test]
fn validate_accepts_every_bundled_scenario() {
    let mut cmd = migsim();
    cmd.arg("validate");
    for entry in std::fs::read_dir(repo().join("scenarios/kyrgyzstan")).unwrap() {
        cmd.arg(entry.unwrap().path());
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn validate_reports_every_problem_and_exits_2() {
    let dir = fixture_dir();
    let text = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap();
    let bad = text.replacen("settle_rate = 0.02", "settle_rate = 1.5", 1).replacen(
        "tfr = { 2020 = 2.8",
        "tfr = { 2020 = -1",
        1,
    );
    std::fs::write(dir.path().join("two.toml"), bad).unwrap();
    let o = migsim()
        .arg("validate")
        .arg(dir.path().join("two.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("settle_rate") && err.contains("fertility.tfr"), "{err}");
}

#[test]
fn rejects_a_misspelt_key_with_a_suggestion() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "end = 2030", "end_yeer = 2030");
    assert_refused(
        &p,
        &dir.path().join("out"),
        &["edited.toml:", "time.end_yeer", "did you mean `end`"],
    );
}

#[test]
fn rejects_rate_above_one_naming_key_and_range() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "return_rate_temporary = 0.1", "return_rate_temporary = 1.7");
    assert_refused(
        &p,
        &dir.path().join("out"),
        &["destinations[east].return_rate_temporary", "1.7", "[0, 1]"],
    );
}

#[test]
fn accepts_rates_at_the_edges_of_their_range() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "return_rate_temporary = 0.1", "return_rate_temporary = 1.0");
    assert_eq!(run_scenario(&p, &dir.path().join("out")).code, 0);
    let p = edit(dir.path(), "settle_rate = 0.02", "settle_rate = 0.0");
    assert_eq!(run_scenario(&p, &dir.path().join("out2")).code, 0);
}

#[test]
fn rejects_end_year_before_start_year() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "end = 2030", "end = 2010");
    assert_refused(&p, &dir.path().join("out"), &["time.end", "2010", "after time.start"]);
}

#[test]
fn rejects_a_missing_csv_naming_it_and_the_key() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "tiny_abroad.csv", "no_such.csv");
    assert_refused(
        &p,
        &dir.path().join("out"),
        &["no_such.csv", "file not found", "population.abroad_csv"],
    );
}

#[test]
fn rejects_a_negative_count_naming_row_and_column() {
    let dir = fixture_dir();
    let csv = std::fs::read_to_string(dir.path().join("tiny_home.csv")).unwrap();
    std::fs::write(dir.path().join("tiny_home.csv"), csv.replacen(",360000", ",-360000", 1)).unwrap();
    assert_refused(
        &dir.path().join("tiny.toml"),
        &dir.path().join("out"),
        &["tiny_home.csv:row 2", "`persons`", "non-negative"],
    );
}

#[test]
fn rejects_an_extends_cycle() {
    let dir = fixture_dir();
    std::fs::write(
        dir.path().join("a.toml"),
        "[scenario]\nname = \"a\"\nextends = \"b.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        "[scenario]\nname = \"b\"\nextends = \"a.toml\"\n",
    )
    .unwrap();
    assert_refused(
        &dir.path().join("a.toml"),
        &dir.path().join("out"),
        &["cycle", "a.toml", "b.toml"],
    );
}

#[test]
fn rejects_a_toml_syntax_error_with_line_and_column() {
    let dir = fixture_dir();
    let p = edit(dir.path(), "start = 2020", "start = 2020 2021");
    assert_refused(&p, &dir.path().join("out"), &["edited.toml:6:", "TOML syntax error"]);
}

#[test]
fn rejects_a_missing_parent_scenario() {
    let dir = fixture_dir();
    let p = edit(
        dir.path(),
        "name = \"tiny\"",
        "name = \"tiny\"\nextends = \"gone.toml\"",
    );
    assert_refused(
        &p,
        &dir.path().join("out"),
        &["scenario.extends", "gone.toml", "file not found"],
    );
}

#[test]
fn child_scenario_overrides_one_destination_by_name() {
    let dir = fixture_dir();
    std::fs::write(
        dir.path().join("child.toml"),
        "[scenario]\nname = \"child\"\nextends = \"tiny.toml\"\n\n[[destinations]]\nname = \"west\"\nwage_usd = 3000\n",
    )
    .unwrap();
    let loaded = migsim::scenario::load_file(&dir.path().join("child.toml")).unwrap();
    let p = &loaded.params;
    assert_eq!(p.name, "child");
    assert_eq!(p.destinations.len(), 2);
    assert_eq!(p.destinations[1].wage_usd, 3000.0);
    assert_eq!(p.destinations[0].wage_usd, 900.0);
}

#[test]
fn unwritable_output_folder_is_a_runtime_error() {
    let dir = fixture_dir();
    // A file where the output folder should be: creating it must fail.
    let blocker = dir.path().join("blocked");
    std::fs::write(&blocker, "").unwrap();
    let o = run_scenario(&dir.path().join("tiny.toml"), &blocker.join("out"));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stderr.lines().count(), 1);
}

/// An output folder that cannot be made is refused before the work, not
/// after it: 100,000 draws of the baseline would take minutes, and the
/// refusal comes at once, for every command that writes a folder.
#[test]
fn an_output_folder_that_cannot_be_made_is_refused_before_the_work() {
    let dir = fixture_dir();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "kept").unwrap();
    let baseline = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let backtest = repo().join("scenarios/kyrgyzstan/backtest-2016.toml");
    let tiny = dir.path().join("tiny.toml");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let under = file.join("out");
    let shards = tempfile::tempdir().unwrap();
    for i in ["1", "2"] {
        let shard = format!("{i}/2");
        let o = migsim()
            .args(["run", &s(&tiny), "--draws", "4", "--shard", &shard, "--quiet", "--out"])
            .arg(shards.path().join(i))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let draft = s(&repo().join("scenarios/kyrgyzstan/concept-2040-draft.toml"));
    let draws = shards.path().join("draws");
    let o = migsim()
        .args(["run", &draft, "--draws", "40", "--keep-draws", "--quiet", "--out"])
        .arg(&draws)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (b, bt, t) = (s(&baseline), s(&backtest), s(&tiny));
    let (s1, s2) = (s(&shards.path().join("1")), s(&shards.path().join("2")));
    let costed = s(&repo().join("scenarios/kyrgyzstan/concept-2040-costed.toml"));
    let target = "citizens abroad in 2040 at least 10% below the baseline";
    let jobs = "policies.domestic_jobs.jobs_per_year=0:60000";
    let draws = s(&draws);
    let commands: [(&[&str], &Path); 10] = [
        (&["discover", &draws, "--target", target], &file),
        (
            &[
                "optimize",
                &costed,
                "--target",
                target,
                "--probability",
                "0.7",
                "--lever",
                jobs,
            ],
            &file,
        ),
        (&["run", &b, "--draws", "100000"], &file),
        (&["run", &b, "--draws", "100000"], &under),
        (&["compare", &b, &t], &file),
        (&["batch", &t], &file),
        (&["calibrate", &bt], &file),
        (&["merge", &s1, &s2], &file),
        (&["sweep", &b, "--set", "emigration.gamma=0:1"], &file),
        (
            &["sensitivity", &b, "--indicator", "population_abroad", "--year", "2030"],
            &file,
        ),
    ];
    for (args, out) in commands {
        let mut child = migsim()
            .args(args)
            .arg("--out")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                panic!("`migsim {}` did not refuse its output folder at once", args.join(" "));
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("a-file") && stderr.contains("not a folder"),
            "{args:?}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 4, "only the fixture and the file: {left:?}");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let cmd = format!(
        "{} validate {}/scenarios/kyrgyzstan/*.toml | head -1 >/dev/null",
        env!("CARGO_BIN_EXE_migsim"),
        repo().display()
    );
    let o = Command::new("sh").arg("-c").arg(&cmd).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

/// A path that is not UTF-8 is refused as bad input, one line, nothing
/// written: before, `--out` with such a name wrote the outputs and then
/// panicked building the JSON summary (exit 101), and a scenario in such a
/// folder could not find its own tables.
#[test]
fn arguments_that_are_not_utf8_are_refused_with_one_line() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let dir = tempfile::tempdir().unwrap();
    let odd = |name: &[u8]| dir.path().join(OsString::from_vec(name.to_vec()));
    std::fs::create_dir(odd(b"tables\xff")).unwrap();
    std::fs::copy(
        repo().join("tests/golden/tiny-policy.toml"),
        odd(b"tables\xff").join("s.toml"),
    )
    .unwrap();
    let runs: [Vec<OsString>; 3] = [
        vec![
            "run".into(),
            "--no-charts".into(),
            "--out".into(),
            odd(b"out\xff").into(),
        ],
        vec!["validate".into(), odd(b"tables\xff").join("s.toml").into()],
        vec!["run".into(), odd(b"missing\xfe.toml").into()],
    ];
    for args in runs {
        let o = migsim().args(&args).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("not valid UTF-8"), "{args:?}: {err}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [OsString::from_vec(b"tables\xff".to_vec())],
        "nothing else written"
    );
}

/// Under an address-space limit (`ulimit -v`) an allocation that does not
/// fit aborts the process. The records of an ensemble, and of a merge of
/// its shards, are weighed against the limit before they are made: a job
/// too large for it is refused at once (exit 2, one line that names the
/// limit), one that fits runs. Before, 20,000 draws aborted (exit 134).
#[test]
fn an_ensemble_beyond_the_address_space_limit_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let limited = |args: &str| {
        let script = format!(
            "ulimit -v 400000 && exec {} {args} --no-charts --quiet",
            env!("CARGO_BIN_EXE_migsim")
        );
        Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let o = limited("run --draws 20000 --out big");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("`draws`: = 20000") && err.contains("ulimit -v") && err.contains("--shard I/N"),
        "{err}"
    );
    assert!(!dir.path().join("big").exists());
    let o = limited("run --draws 100 --out small");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // Shards that each fit, whose merge would not: refused before it reads
    // them all.
    for i in 1..=2 {
        let o = limited(&format!("run --draws 4000 --shard {i}/2 --out s{i}"));
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = limited("merge s1 s2 --out merged");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`points`: = 4000") && err.contains("ulimit -v"), "{err}");
    assert!(!dir.path().join("merged").exists());
}

/// Some job schedulers limit the processes (threads count) a job may
/// start. Under a limit of one, a run that needs a thread stops with one
/// line and exit 1 and writes nothing: before, the spreadsheet writer's
/// own thread panicked (exit 101, a backtrace). The limit is set by
/// bash's `ulimit -u` in the process that then becomes migsim; root is
/// exempt from it, so as root the run is made as the user `nobody`.
#[test]
fn a_limit_on_threads_stops_a_run_with_one_line_not_a_panic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let uid = Command::new("id").arg("-u").output().unwrap();
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    // A copy `nobody` can run wherever the build lives (the baseline is
    // compiled in).
    let bin = dir.path().join("migsim");
    std::fs::copy(env!("CARGO_BIN_EXE_migsim"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    if root {
        let o = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--version")
            .output();
        assert!(
            o.as_ref().is_ok_and(|o| o.status.success()),
            "as root, this test runs migsim as the user nobody (uid 65534) with setpriv from \
             util-linux; it could not ({o:?}): is the temporary folder {} mounted noexec?",
            dir.path().display()
        );
    }
    for (args, needle) in [
        ("run --no-charts", "results.xlsx"),
        ("run --draws 5 --no-charts", "threads"),
        ("run", "results.xlsx"),
    ] {
        let out = dir.path().join("out");
        let script = format!(
            "ulimit -u 1 && exec {} {args} --quiet --out {}",
            bin.display(),
            out.display()
        );
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "bash", "-c"]);
            c
        } else {
            let mut c = Command::new("bash");
            c.arg("-c");
            c
        };
        let o = cmd.arg(&script).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args}: {err}");
        assert_eq!(err.lines().count(), 1, "{args}: {err}");
        assert!(err.starts_with("error: ") && err.contains(needle), "{args}: {err}");
        assert!(!out.exists(), "{args}: wrote {}", out.display());
    }
}

#[test]
fn init_writes_a_starter_that_runs_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let o = migsim().arg("init").arg(dir.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let starter = dir.path().join("kyrgyzstan/my-scenario.toml");
    let out = dir.path().join("out");
    let o = migsim()
        .arg("run")
        .arg(&starter)
        .args(["--no-charts", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let targets = std::fs::read_to_string(out.join("targets.csv")).unwrap();
    assert!(targets.contains("my-scenario"), "{targets}");
    // The copied baseline is the bundled one, byte for byte.
    assert_eq!(
        std::fs::read(dir.path().join("kyrgyzstan/baseline.toml")).unwrap(),
        std::fs::read(repo().join("scenarios/kyrgyzstan/baseline.toml")).unwrap()
    );
    std::fs::write(&starter, "# mine\n").unwrap();
    let o = migsim().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists"));
    assert_eq!(std::fs::read_to_string(&starter).unwrap(), "# mine\n");
}

/// Values at the edges of their ranges (a wage growing 50% a year for 60
/// years, with the steepest responses to it) once overflowed the
/// emigration term and stopped the run; the push is now capped where leaving
/// is already certain, so the scenario validates and runs finite, with or
/// without draws: residents leave as fast as they can, and no value is NaN.
#[test]
fn values_at_the_edges_of_their_ranges_run_finite() {
    let dir = fixture_dir();
    let text = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap();
    let edits = [
        ("end = 2030", "end = 2080"),
        ("wage_growth = { 2020 = 0.02, 2030 = 0.01 }", "wage_growth = 0.5"),
        ("beta_wage = 1.0\nbeta_network", "beta_wage = 10.0\nbeta_network"),
        ("gamma = 1.0", "gamma = 10.0"),
    ];
    let mut edited = text.clone();
    for (from, to) in edits {
        assert!(edited.contains(from), "fixture lacks `{from}`");
        edited = edited.replacen(from, to, 1);
    }
    let path = dir.path().join("overflow.toml");
    std::fs::write(&path, edited).unwrap();
    let ok = migsim().arg("validate").arg(&path).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    for extra in [&[][..], &["--draws", "4"][..]] {
        let out = dir.path().join("out");
        let o = migsim()
            .arg("run")
            .arg(&path)
            .args(extra)
            .args(["--no-charts", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let series = std::fs::read_to_string(out.join("series.csv")).unwrap();
        let mut rows = 0;
        for line in series.lines().skip(1) {
            let value: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
            assert!(value.is_finite(), "{line}");
            rows += 1;
        }
        assert!(rows > 1000);
        let get = |year: &str, ind: &str| -> f64 {
            let prefix = format!("tiny,{year},{ind},,central,");
            series
                .lines()
                .find_map(|l| l.strip_prefix(&prefix))
                .and_then(|rest| rest.split(',').next())
                .unwrap()
                .parse()
                .unwrap()
        };
        // By 2060 all residents of working age leave within the year.
        assert!(get("2060", "emigrants") > 0.9 * get("2060", "population_home"));
    }
}

/// A scenario's name names its output folder: `.`, `..`, `/`, an absolute
/// path, a slash, NUL, a newline or a 300-character name would write outside
/// it or break messages, so `validate`, `run` and `batch` refuse them, one
/// line each naming the key, and write nothing anywhere.
#[test]
fn a_name_that_cannot_name_a_folder_inside_the_output_folder_is_refused() {
    let dir = fixture_dir();
    let listing = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let names = [
        "..".to_string(),
        ".".into(),
        "/".into(),
        "/tmp/migsim-escape".into(),
        "../escape".into(),
        "a/b".into(),
        "a\\u0000b".into(),
        "a\\nb".into(),
        "x".repeat(300),
    ];
    for name in names {
        let path = edit(dir.path(), "name = \"tiny\"", &format!("name = \"{name}\""));
        let o = migsim().arg("validate").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("scenario.name") && err.contains(":3:"), "{err}");
        // Run with the default output folder and as a batch: refused, and
        // nothing appears anywhere.
        let before = listing(dir.path());
        for args in [
            vec!["run", "edited.toml"],
            vec!["batch", "edited.toml", "--out", "batch-out"],
        ] {
            let o = migsim().current_dir(dir.path()).args(&args).output().unwrap();
            // A batch goes on past a failing scenario and exits 1 at the end.
            let code = if args[0] == "batch" { 1 } else { 2 };
            assert_eq!(
                o.status.code(),
                Some(code),
                "{name} {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let mut after = listing(dir.path());
            if args[0] == "batch" {
                // Its own table, inside its --out, and nothing else.
                assert_eq!(listing(&dir.path().join("batch-out")), ["batch.csv"]);
                std::fs::remove_dir_all(dir.path().join("batch-out")).unwrap();
                after.retain(|f| f != "batch-out");
            }
            assert_eq!(after, before, "{name} {args:?} wrote something");
        }
        assert!(!Path::new("/tmp/migsim-escape").exists());
    }
}

/// A job whose records would not fit in memory is refused before anything
/// is allocated, with the way out in the message, instead of aborting.
#[test]
fn an_ensemble_too_large_for_memory_is_refused_up_front_with_exit_2() {
    let dir = fixture_dir();
    for draws in ["18446744073709551615", "100000000000"] {
        let out = dir.path().join("out");
        let o = migsim()
            .arg("run")
            .arg(dir.path().join("tiny.toml"))
            .args(["--draws", draws, "--no-charts", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("--shard I/N") && err.contains("GB"), "{err}");
        assert!(!out.exists());
    }
}

/// Sweeps and sensitivity analyses too large to run are refused before they
/// start, exit 2, with the number of runs asked for.
#[test]
fn designs_beyond_the_run_limit_are_refused_before_they_start() {
    let dir = fixture_dir();
    let tiny = dir.path().join("tiny.toml");
    let tiny = tiny.to_str().unwrap();
    for args in [
        vec!["sweep", tiny, "--set", "economy.jobs_growth=0:0.05:1000000000"],
        vec![
            "sweep",
            tiny,
            "--set",
            "economy.jobs_growth=0:0.05:100000",
            "--set",
            "economy.wage_growth=0:0.05:100000",
        ],
        vec![
            "sweep",
            tiny,
            "--set",
            "economy.jobs_growth=0:0.05",
            "--design",
            "lhs",
            "--samples",
            "18446744073709551615",
        ],
    ] {
        let o = migsim().current_dir(dir.path()).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("model runs") && err.contains("10000000"), "{err}");
        assert!(!dir.path().join("output").exists());
    }
}

/// Combinations that leave a term undefined are refused by `validate`, and
/// impossible thread counts are bad arguments (exit 2), not an abort.
#[test]
fn undefined_terms_and_impossible_thread_counts_are_bad_input() {
    let dir = fixture_dir();
    let zero = edit(
        dir.path(),
        "education_weight = { low = 1.0, medium = 1.3, high = 1.8 }",
        "education_weight = { low = 0, medium = 0, high = 0 }",
    );
    let o = migsim().arg("validate").arg(&zero).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("economy.education_weight") && err.contains("edited.toml:"),
        "{err}"
    );
    let o = migsim()
        .arg("run")
        .arg(dir.path().join("tiny.toml"))
        .args(["--draws", "3", "--threads", "100000000", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--threads") && err.contains("[1, 1024]"), "{err}");
    assert!(!dir.path().join("out").exists());
}

/// What the argument parser refuses (a value of the wrong type, an unknown
/// flag or command, a missing argument) is bad input like any other: one
/// line naming the argument, exit 2, nothing written. Help is not refused.
#[test]
fn arguments_the_parser_refuses_get_one_line_and_exit_2() {
    let dir = fixture_dir();
    let out = dir.path().join("out");
    let tiny = dir.path().join("tiny.toml");
    let tiny = tiny.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["run", tiny, "--draws", "abc"], "--draws"),
        (&["run", tiny, "--seed", "-1"], "'-1'"),
        (&["run", tiny, "--nonsense"], "--nonsense"),
        (&["merge"], "<SHARDS>"),
        (&["frobnicate"], "frobnicate"),
    ];
    for (args, named) in cases {
        let o = migsim().args(args).arg("--out").arg(&out).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: ") && err.contains(named), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote its output");
    }
    let help = migsim().args(["run", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).lines().count() > 10);
}

/// An observed 0 has no relative error: `fit.csv` leaves the cell empty
/// rather than writing NaN.
#[test]
fn an_observed_zero_gets_an_empty_error_cell_not_nan() {
    let dir = fixture_dir();
    std::fs::write(
        dir.path().join("obs.csv"),
        "indicator,dimension,year,value,source\nsettlements,,2021,0,a zero\nbirths,,2021,100000,a number\n",
    )
    .unwrap();
    let path = edit(
        dir.path(),
        "[scenario]",
        "[backtest]\nobserved_csv = \"obs.csv\"\n\n[scenario]",
    );
    let out = dir.path().join("out");
    let o = migsim()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .arg("--no-charts")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fit = std::fs::read_to_string(out.join("fit.csv")).unwrap();
    assert!(!fit.contains("NaN"), "{fit}");
    let zero = fit.lines().find(|l| l.starts_with("settlements,")).unwrap();
    assert_eq!(zero.split(',').nth(5), Some(""), "{zero}");
}

/// A summary that cannot be written (a full disk) is a failure, exit 1,
/// not a silent success; a reader closing the pipe early is not.
#[test]
fn a_failed_write_to_standard_output_exits_1() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return; // not a Linux machine: nothing to write to that always fails
    }
    let dir = fixture_dir();
    let o = migsim()
        .arg("run")
        .arg(dir.path().join("tiny.toml"))
        .args(["--no-charts", "--format", "json", "--out"])
        .arg(dir.path().join("out"))
        .stdout(std::fs::OpenOptions::new().write(true).open(full).unwrap())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("standard output"), "{err}");
}

/// Every problem inside an array of tables, an inline table or
/// `[uncertainty]`, and every target whose series or compared scenario
/// does not exist, is refused by `validate` with exit 2 and one line naming
/// the file, the line and the key.
#[test]
fn problems_in_arrays_of_tables_and_targets_are_located_by_validate() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let head = format!("[scenario]\nname = \"m\"\nextends = {:?}\n\n", base.to_str().unwrap());
    let target =
        |extra: &str| format!("[[targets]]\nname = \"t\"\nindicator = \"population_abroad\"\nyear = 2040\n{extra}\n");
    let cases = [
        (
            "[[shocks]]\nkind = \"exchange_rate\"\ndestination = \"russia\"\nyear = 2028\nchange = -3.5\n".to_string(),
            "m.toml:9: `shocks[0].change`: = -3.5",
        ),
        (
            "[[immigration]]\nkind = \"skilled\"\npersons = -5\nage_mean = 30\nage_sd = 10\nfemale_share = 0.5\neducation = { low = 0.2, medium = 0.4, high = 0.4 }\nregions = { bishkek = 1.0 }\n".to_string(),
            "m.toml:7: `immigration[0].persons`: = -5",
        ),
        ("[uncertainty]\ndraws = -1\n".to_string(), "m.toml:6: `uncertainty.draws`"),
        (
            "[uncertainty.parameters]\n\"economy.jobs_growth\" = { normal = { mean = 0.01, sd = -1 } }\n".to_string(),
            "m.toml:6: `uncertainty.parameters.\"economy.jobs_growth\"`: normal sd = -1",
        ),
        (
            "[[uncertainty.shocks]]\nkind = \"exchange_rate\"\ndestination = \"russia\"\nyearly_probability = 2\nchange = { uniform = { min = -0.5, max = 0 } }\n".to_string(),
            "m.toml:8: `uncertainty.shocks[0].yearly_probability`",
        ),
        (
            target("dimension = \"region=bishkek\"\nat_most = 1e6"),
            "m.toml:9: `targets[t].dimension`: population_abroad has no value for this slice",
        ),
        (
            target("relative_to_scenario = \"missing.toml\"\nat_most = -0.1"),
            "m.toml:9: `targets[t].relative_to_scenario`: cannot be used:",
        ),
        (target("at_most = nan"), "m.toml:9: `targets[t].at_most`: = NaN: expected a number (finite)"),
    ];
    for (body, needle) in cases {
        let path = dir.path().join("m.toml");
        std::fs::write(&path, format!("{head}{body}")).unwrap();
        let o = migsim()
            .current_dir(dir.path())
            .arg("validate")
            .arg("m.toml")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{body}\n{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("error: {needle}")),
            "{body}\nexpected `{needle}`, got {err}"
        );
    }
}

/// Shares are fractions: a target on the former `remittances_pct_gdp` is
/// read as `remittances_share_gdp` with a warning naming it, 0.15 and "15%"
/// are the same bound, 15 is refused with the hint, and every row of
/// `series.csv` states its unit.
#[test]
fn shares_are_fractions_with_units_and_percent_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let mut limits = Vec::new();
    for (indicator, bound, code) in [
        ("remittances_pct_gdp", "0.15", 0),
        ("remittances_share_gdp", "\"15%\"", 0),
        ("remittances_share_gdp", "15", 2),
    ] {
        let path = dir.path().join("r.toml");
        std::fs::write(
            &path,
            format!(
                "[scenario]\nname = \"r\"\nextends = {:?}\n\n[[targets]]\nname = \"remit\"\nindicator = \"{indicator}\"\nyear = 2040\nat_least = {bound}\n",
                base.to_str().unwrap()
            ),
        )
        .unwrap();
        let out = dir.path().join(format!("out-{}", limits.len()));
        let o = migsim()
            .arg("run")
            .arg(&path)
            .args(["--no-charts", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{err}");
        if indicator == "remittances_pct_gdp" {
            assert!(
                err.starts_with("warning: indicator `remittances_pct_gdp` is now `remittances_share_gdp`"),
                "{err}"
            );
        }
        if code == 2 {
            assert!(
                err.contains("r.toml:9: `targets[remit].at_least`: = 15: `remittances_share_gdp` is a fraction"),
                "{err}"
            );
            assert!(err.contains("e.g. 0.15 or \"15%\""), "{err}");
            continue;
        }
        let targets = std::fs::read_to_string(out.join("targets.csv")).unwrap();
        let row = targets.lines().find(|l| l.starts_with("r,remit,")).unwrap();
        assert!(row.starts_with("r,remit,remittances_share_gdp,"), "{row}");
        limits.push(row.split(',').nth(10).unwrap().to_string());
        let series = std::fs::read_to_string(out.join("series.csv")).unwrap();
        assert!(series.starts_with("scenario,year,indicator,dimension,statistic,value,unit\n"));
        for line in series.lines().skip(1) {
            let unit = line.rsplit(',').next().unwrap();
            assert!(
                [
                    "persons",
                    "persons/year",
                    "USD/year",
                    "USD/month",
                    "USD/person/year",
                    "fraction",
                    "ratio"
                ]
                .contains(&unit),
                "{line}"
            );
        }
        let share: f64 = series
            .lines()
            .find_map(|l| l.strip_prefix("r,2040,remittances_share_gdp,,central,"))
            .and_then(|rest| rest.strip_suffix(",fraction"))
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.05..0.3).contains(&share), "{share}");
    }
    assert_eq!(limits, ["0.15", "0.15"]);
}

/// `compare` refuses two files of one scenario name (a starter copied from
/// `init` keeps its name), exit 2, naming both files, and writes nothing.
#[test]
fn compare_refuses_two_scenarios_of_one_name() {
    let dir = fixture_dir();
    let copy = dir.path().join("copy.toml");
    std::fs::copy(dir.path().join("tiny.toml"), &copy).unwrap();
    let out = dir.path().join("out");
    let o = migsim()
        .current_dir(dir.path())
        .args(["compare", "tiny.toml", "copy.toml", "--no-charts", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: copy.toml:3: `scenario.name`: = \"tiny\", the name of tiny.toml too"),
        "{err}"
    );
    assert!(!out.exists());
}

/// A quota the intake never reaches and a policy dated after the horizon
/// change nothing: the run says so, with the figure that shows it, in its
/// summary, its report and its JSON; a lever that acts is not named.
#[test]
fn levers_that_change_nothing_are_named_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = extending(
        dir.path(),
        "korea-quota",
        &repo().join("scenarios/kyrgyzstan/baseline.toml"),
        "[[destinations]]\nname = \"south_korea\"\nquota = 6600\n\n\
         [policies.late_jobs]\nkind = \"domestic_jobs\"\nstart = 2060\njobs_per_year = 10000\n\n\
         [policies.jobs_now]\nkind = \"domestic_jobs\"\nstart = 2026\njobs_per_year = 10000\n\n\
         [policies.korea_deal]\nkind = \"diversification\"\nstart = 2026\ndestinations = { south_korea = { quota = 9000 } }\n",
    );
    let out = dir.path().join("out");
    let o = migsim()
        .arg("run")
        .arg(&path)
        .args(["--no-charts", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let quota = text
        .lines()
        .find(|l| l.contains("destinations.south_korea.quota: never binds: the largest yearly intake is "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(quota.ends_with("below the quota of 6,600"), "{quota}");
    assert!(
        text.contains("policies.late_jobs: starts in 2060, when the projection (2023-2050) has ended"),
        "{text}"
    );
    assert!(!text.contains("policies.jobs_now"), "{text}");
    // Found by projecting without it: the agreement's quota never binds either.
    assert!(
        text.contains("policies.korea_deal: changes no output: the quota of 9,000 to south_korea never binds"),
        "{text}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("### What changed nothing") && report.contains("- `policies.late_jobs` starts in 2060"));
    let o = migsim()
        .arg("run")
        .arg(&path)
        .args(["--no-charts", "--format", "json", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<&str> = json["no_ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "destinations.south_korea.quota",
            "policies.korea_deal",
            "policies.late_jobs"
        ]
    );
}
