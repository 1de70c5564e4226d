//! `migsim calibrate` learns parameters it was not told: on observations the
//! model itself made from known values, with noise, the posterior covers the
//! truth and is narrower than the prior.

use super::*;
use migsim::abc::Settings;
use migsim::calibrate::{self, Observed, Spec};
use migsim::scenario::uncertainty::Dist;
use migsim::{Dim, Indicator, Scenario};
use rand::SeedableRng;
use rand_distr::Distribution;

const TRUTH: [(&str, f64); 2] = [
    ("destinations.east.return_rate_temporary", 0.1),
    ("destinations.west.settle_rate", 0.04),
];
const PRIORS: [(f64, f64); 2] = [(0.02, 0.3), (0.0, 0.15)];

/// The figures a calibration sees: returns from and citizens in the first
/// destination, and the settled, in a few years; each the model's value at
/// the truth times `1 + 0.03 z`, declared with a 3% error scale.
fn synthetic(s: &Scenario, seed: u64) -> Vec<Observed> {
    let truth: Vec<(String, f64)> = TRUTH.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let model = migsim::compile_draw(s, &truth, &[]).unwrap();
    let run = migsim::model::project_series(&model).unwrap();
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for (indicator, dim, label, years) in [
        (
            Indicator::Returns,
            Dim::Destination(0),
            "destination=east",
            [2021, 2024, 2027],
        ),
        (
            Indicator::PopulationAbroad,
            Dim::Destination(0),
            "destination=east",
            [2022, 2025, 2028],
        ),
        (
            Indicator::PopulationAbroad,
            Dim::Status(1),
            "status=settled",
            [2023, 2026, 2029],
        ),
    ] {
        for year in years {
            let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
            out.push(Observed {
                indicator,
                dim,
                dimension: label.into(),
                year,
                value: run.get(indicator, dim, year).unwrap() * (1.0 + 0.03 * z),
                error: 0.03,
                source: "synthetic".into(),
            });
        }
    }
    out
}

#[test]
fn the_posterior_covers_known_values_in_most_replications_and_is_narrower_than_the_prior() {
    let s = Scenario::from_file(&repo().join("tests/fixtures/tiny.toml")).unwrap();
    let replications = 20;
    let mut covered = [0; 2];
    for rep in 0..replications {
        let spec = Spec {
            observed_csv: String::new(),
            chains: 1,
            priors: TRUTH
                .iter()
                .zip(PRIORS)
                .map(|((k, _), (min, max))| (k.to_string(), Dist::Uniform { min, max }))
                .collect(),
            settings: Settings {
                particles: 150,
                max_generations: 8,
                min_acceptance: 0.05,
                seed: rep,
                ..Settings::default()
            },
        };
        let c = calibrate::run(&s, spec, synthetic(&s, 1000 + rep), 2, false).unwrap();
        for (k, ((_, truth), (min, max))) in TRUTH.iter().zip(PRIORS).enumerate() {
            let (lo, hi) = (c.posterior.quantile(k, 0.05), c.posterior.quantile(k, 0.95));
            if (lo..=hi).contains(truth) {
                covered[k] += 1;
            }
            let prior_width = 0.9 * (max - min);
            assert!(
                hi - lo <= 0.5 * prior_width,
                "replication {rep}, {}: posterior 90% [{lo}, {hi}] not half the prior's width",
                TRUTH[k].0
            );
        }
    }
    for (k, n) in covered.iter().enumerate() {
        assert!(*n >= 16, "{}: truth covered in {n} of {replications}", TRUTH[k].0);
    }
}

#[test]
fn calibrate_writes_its_tables_and_is_identical_for_any_thread_count() {
    let dir = fixture_dir();
    let s = Scenario::from_file(&dir.path().join("tiny.toml")).unwrap();
    let mut csv = String::from("indicator,dimension,year,value,error,source\n");
    for o in synthetic(&s, 7) {
        csv.push_str(&format!(
            "{},{},{},{},{},synthetic\n",
            o.indicator.name(),
            o.dimension,
            o.year,
            o.value,
            o.error
        ));
    }
    std::fs::write(dir.path().join("observed.csv"), csv).unwrap();
    let text = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap()
        + "\n[calibration]\nobserved_csv = \"observed.csv\"\nparticles = 60\ngenerations = 4\nseed = 3\n\
           [calibration.parameters]\n\"destinations.east.return_rate_temporary\" = { uniform = { min = 0.02, max = 0.3 } }\n";
    std::fs::write(dir.path().join("cal.toml"), text).unwrap();
    let run = |threads: &str, out: &str| {
        let o = migsim()
            .current_dir(dir.path())
            .args(["calibrate", "cal.toml", "--quiet", "--threads", threads, "--out", out])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run("1", "one");
    run("2", "two");
    for f in ["posterior.csv", "parameters.csv", "calibration.csv", "diagnostics.csv"] {
        let a = std::fs::read(dir.path().join("one").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("two").join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
    // Three chains pooled, at once or as two shards merged: the same files.
    let sharded = |args: &[&str]| {
        let o = migsim().current_dir(dir.path()).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let chains = ["calibrate", "cal.toml", "--quiet", "--no-charts", "--chains", "3"];
    sharded(&[&chains[..], &["--out", "whole"]].concat());
    sharded(&[&chains[..], &["--shard", "1/2", "--out", "s1"]].concat());
    sharded(&[&chains[..], &["--shard", "2/2", "--out", "s2"]].concat());
    sharded(&["merge", "s2", "s1", "--quiet", "--no-charts", "--out", "merged"]);
    for f in ["posterior.csv", "parameters.csv", "calibration.csv", "diagnostics.csv"] {
        let a = std::fs::read(dir.path().join("whole").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("merged").join(f)).unwrap();
        assert!(a == b, "{f} differs between one run and merged shards");
    }
    let pooled = std::fs::read_to_string(dir.path().join("whole/posterior.csv")).unwrap();
    assert_eq!(pooled.lines().count(), 1 + 3 * 60);
    let cal = std::fs::read_to_string(dir.path().join("one/calibration.csv")).unwrap();
    assert_eq!(
        cal.lines().next().unwrap(),
        "indicator,dimension,year,observed,error,median,p05,p95,source"
    );
    assert_eq!(cal.lines().count(), 10);
    let posterior = std::fs::read_to_string(dir.path().join("one/posterior.csv")).unwrap();
    assert_eq!(posterior.lines().count(), 61);
    let weights: f64 = posterior
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((weights - 1.0).abs() < 1e-9);
}

#[test]
fn a_calibration_without_parameters_or_with_a_bad_observation_is_refused_with_its_place() {
    let dir = fixture_dir();
    let base = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap();
    std::fs::write(
        dir.path().join("none.toml"),
        base.clone() + "\n[calibration]\nobserved_csv = \"observed.csv\"\n",
    )
    .unwrap();
    let o = migsim()
        .current_dir(dir.path())
        .args(["calibrate", "none.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("calibration.parameters"));
    std::fs::write(
        dir.path().join("observed.csv"),
        "indicator,dimension,year,value,error,source\nreturns,,2021,100,0,x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        base + "\n[calibration]\nobserved_csv = \"observed.csv\"\n[calibration.parameters]\n\"returns.kappa\" = { uniform = { min = 0.0, max = 2.0 } }\n",
    )
    .unwrap();
    let o = migsim()
        .current_dir(dir.path())
        .args(["calibrate", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("observed.csv") && err.contains("row 2") && err.contains("error"),
        "{err}"
    );
    assert!(!dir.path().join("output").exists());
}
