//! Ensembles: ordered quantiles, probabilities in [0, 1], the same bytes for
//! any thread count, zero uncertainty collapsing to the central run, and
//! common random numbers.

use super::*;
use migsim::ensemble::{self, Options};
use migsim::{Dim, Indicator, Scenario};

fn opts(draws: usize, threads: usize) -> Options {
    Options {
        draws,
        seed: 3,
        threads,
        progress: false,
        ages: false,
    }
}

fn stats(csv: &str) -> std::collections::BTreeMap<(String, String, String), Vec<(String, f64)>> {
    let mut m: std::collections::BTreeMap<_, Vec<_>> = std::collections::BTreeMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        m.entry((f[1].to_string(), f[2].to_string(), f[3].to_string()))
            .or_default()
            .push((f[4].to_string(), f[5].parse().unwrap()));
    }
    m
}

#[test]
fn ensemble_quantiles_are_ordered_and_probabilities_are_probabilities() {
    let dir = tempfile::tempdir().unwrap();
    let o = migsim()
        .args(["run"])
        .arg(repo().join("scenarios/kyrgyzstan/concept-2040-draft.toml"))
        .args(["--draws", "40", "--seed", "3", "--no-charts", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(dir.path().join("series.csv")).unwrap();
    let mut spread = 0usize;
    for (key, s) in stats(&csv) {
        let names: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["central", "mean", "p5", "p25", "p50", "p75", "p95"], "{key:?}");
        let q: Vec<f64> = s[2..].iter().map(|x| x.1).collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{key:?}: {q:?}");
        if q[4] > q[0] {
            spread += 1;
        }
    }
    assert!(spread > 1000, "the draws hardly differ ({spread} series with spread)");
    let targets = std::fs::read_to_string(dir.path().join("targets.csv")).unwrap();
    for line in targets.lines().skip(1) {
        let p: f64 = line.split(',').nth(11).unwrap().parse().unwrap();
        assert!((0.0..=1.0).contains(&p), "{line}");
    }
}

#[test]
fn same_seed_same_bytes_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for threads in ["1", "2"] {
        let o = migsim()
            .arg("run")
            .args([
                "--draws",
                "12",
                "--seed",
                "5",
                "--no-charts",
                "--quiet",
                "--threads",
                threads,
                "--out",
            ])
            .arg(dir.path().join(threads))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let a = std::fs::read(dir.path().join("1/series.csv")).unwrap();
    let b = std::fs::read(dir.path().join("2/series.csv")).unwrap();
    assert!(a == b, "series.csv differs between 1 and 2 threads");
}

#[test]
fn with_zero_uncertainty_every_quantile_equals_the_central_run() {
    let s = Scenario::from_file(&repo().join("tests/fixtures/tiny.toml")).unwrap();
    assert!(s.uncertainty().is_none());
    let e = ensemble::run(&s, &opts(5, 2)).unwrap();
    for (row, stats) in e.central.rows.iter().zip(&e.summary) {
        for v in stats {
            assert_eq!(*v, row.value, "{row:?}");
        }
    }
}

fn scenario(dir: &Path, name: &str, body: &str) -> Scenario {
    let base = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "[scenario]\nname = \"{name}\"\nextends = {:?}\n\n{body}\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    Scenario::from_file(&path).unwrap()
}

fn abroad_2040(s: &Scenario, e: &ensemble::Ensemble) -> Vec<f64> {
    let i = e
        .central
        .rows
        .iter()
        .position(|r| r.indicator == Indicator::PopulationAbroad && r.dim == Dim::Total && r.year == 2040)
        .unwrap();
    let _ = s;
    (0..e.n_draws()).map(|d| e.draw(d)[i]).collect()
}

fn sd(x: &[f64]) -> f64 {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

#[test]
fn common_random_numbers_make_the_difference_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let base = scenario(dir.path(), "base", "");
    let same = scenario(dir.path(), "same-under-another-name", "");
    let policy = scenario(
        dir.path(),
        "small-policy",
        "[policies.return_reintegration]\nstart = 2026\nreturn_multiplier = 1.1\n",
    );
    let o = opts(24, 2);
    let (eb, es, ep) = (
        ensemble::run(&base, &o).unwrap(),
        ensemble::run(&same, &o).unwrap(),
        ensemble::run(&policy, &o).unwrap(),
    );
    // The same scenario under another name: zero difference in every draw.
    assert_eq!((eb.n_draws(), es.n_draws()), (o.draws, o.draws));
    assert!((0..eb.n_draws()).all(|d| eb.draw(d) == es.draw(d)));
    let (b, p) = (abroad_2040(&base, &eb), abroad_2040(&policy, &ep));
    let paired: Vec<f64> = b.iter().zip(&p).map(|(x, y)| y - x).collect();
    let unpaired: Vec<f64> = (0..b.len()).map(|i| p[i] - b[(i + 1) % b.len()]).collect();
    assert!(
        paired.iter().all(|d| *d < 0.0),
        "more returns must shrink the stock abroad in every draw"
    );
    assert!(
        sd(&paired) < 0.2 * sd(&unpaired),
        "paired sd {} vs unpaired {}",
        sd(&paired),
        sd(&unpaired)
    );
}

#[test]
fn rejects_unknown_keys_and_impossible_distributions() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/kyrgyzstan/baseline.toml");
    for (body, needle) in [
        (
            "[uncertainty.parameters]\n\"emigration.gama\" = { uniform = { min = 0, max = 1 } }",
            "no key `gama`",
        ),
        (
            "[uncertainty.parameters]\n\"emigration.gamma\" = { normal = { mean = 1, sd = -1 } }",
            "sd",
        ),
        (
            "[uncertainty.parameters]\n\"emigration.gamma\" = { uniform = { min = 2, max = 1 } }",
            "min",
        ),
    ] {
        let path = dir.path().join("u.toml");
        std::fs::write(
            &path,
            format!(
                "[scenario]\nname = \"u\"\nextends = {:?}\n\n{body}\n",
                base.to_str().unwrap()
            ),
        )
        .unwrap();
        let o = migsim().arg("validate").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle) && err.contains("uncertainty.parameters"), "{err}");
    }
}

/// A distribution is kept to the values its key accepts: draws that would
/// fall outside are redrawn, so an ensemble runs with every draw inside the
/// range; one whose range keeps less than 1% of it is refused before any
/// draw, naming the key, and nothing is written.
#[test]
fn draws_are_kept_to_their_keys_range_or_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/kyrgyzstan/baseline.toml");
    let scenario = |body: &str| {
        let path = dir.path().join("u.toml");
        let text = format!(
            "[scenario]\nname = \"u\"\nextends = {:?}\n\n[uncertainty.parameters]\n{body}\n",
            base.to_str().unwrap()
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    // beta_wage accepts [0, 10]: half of the uniform and the lognormal's
    // upper tail lie outside.
    for body in [
        "\"emigration.beta_wage\" = { uniform = { min = 5.0, max = 15.0 } }",
        "\"emigration.beta_wage\" = { lognormal = { mu = 2.0, sigma = 1.0 } }",
        "\"destinations.russia.wage_growth\" = { normal = { mean = 0.4, sd = 0.5 } }",
    ] {
        let path = scenario(body);
        let out = dir.path().join("kept");
        let o = migsim()
            .arg("run")
            .arg(&path)
            .args(["--draws", "40", "--threads", "2", "--no-charts", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{body}: {}", String::from_utf8_lossy(&o.stderr));
        let s = migsim::Scenario::from_file(&path).unwrap();
        let u = s.uncertainty().unwrap();
        let drawn: Vec<f64> = (0..40)
            .map(|i| {
                let values = migsim::scenario::uncertainty::draw(u, i, 2023..2051);
                values.0.iter().find(|(k, _)| body.contains(k.as_str())).unwrap().1
            })
            .collect();
        let (lo, hi) = if body.contains("beta_wage") {
            (0.0, 10.0)
        } else {
            (-0.5, 0.5)
        };
        assert!(drawn.iter().all(|v| (lo..=hi).contains(v)), "{body}: {drawn:?}");
        assert!(
            drawn.iter().any(|v| *v > hi * 0.6),
            "{body}: the kept part is drawn from: {drawn:?}"
        );
        let series = std::fs::read_to_string(out.join("series.csv")).unwrap();
        assert!(!series.to_lowercase().contains("nan"), "{body}");
    }
    for (body, needle) in [
        (
            "\"emigration.beta_wage\" = { uniform = { min = 20.0, max = 30.0 } }",
            "= 25: expected a utility weight in [0, 10]",
        ),
        (
            "\"emigration.beta_wage\" = { normal = { mean = -25.0, sd = 10.0 } }",
            "the values the key accepts, [0, 10], hold 0.60% of this distribution; expected at least 1%",
        ),
        (
            "\"emigration.gamma\" = { uniform = { min = -1e308, max = 1e308 } }",
            "uniform: its values would overflow",
        ),
    ] {
        let path = scenario(body);
        let out = dir.path().join("out");
        let o = migsim()
            .arg("run")
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .arg("--no-charts")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("uncertainty.parameters") && err.contains(needle), "{err}");
        assert!(!out.exists());
    }
}

/// A stochastic shock whose magnitude distribution reaches values the shock
/// refuses is refused by `validate`, located, before any draw (it used to
/// validate and then fail at the draw that reached one).
#[test]
fn a_shock_magnitude_beyond_its_range_is_refused_before_any_draw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sh.toml");
    std::fs::write(
        &path,
        format!(
            "[scenario]\nname = \"sh\"\nextends = {:?}\n\n[[uncertainty.shocks]]\nkind = \"exchange_rate\"\ndestination = \"russia\"\nyearly_probability = 0.2\nchange = {{ uniform = {{ min = -1, max = 0 }} }}\n",
            repo().join("scenarios/kyrgyzstan/baseline.toml").to_str().unwrap()
        ),
    )
    .unwrap();
    let o = migsim().arg("validate").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("sh.toml:9: `uncertainty.shocks[0].change`: its distribution reaches a magnitude the shock refuses: = -1"),
        "{err}"
    );
}

/// Rows by age and sex: in every single run, in an ensemble only when
/// asked, and then the same whatever the threads, each age group summing to
/// its total in every statistic that is a sum (the central run).
#[test]
fn rows_by_age_and_sex_sum_to_their_totals_and_ensembles_write_them_when_asked() {
    let s = Scenario::from_file(&repo().join("tests/fixtures/tiny.toml")).unwrap();
    let (run, _) = s.project().unwrap();
    for ind in [
        Indicator::PopulationHome,
        Indicator::PopulationAbroad,
        Indicator::Emigrants,
        Indicator::Returns,
    ] {
        for year in [2020, 2025, 2029] {
            let total = run.get(ind, Dim::Total, year).unwrap();
            let by_age: f64 = run
                .rows
                .iter()
                .filter(|r| r.indicator == ind && r.year == year && matches!(r.dim, Dim::AgeSex(..)))
                .map(|r| r.value)
                .sum();
            assert!(
                (by_age - total).abs() <= 1e-9 * total.max(1.0),
                "{ind:?} {year}: {by_age} vs {total}"
            );
        }
    }
    let labels: std::collections::BTreeSet<String> = run
        .rows
        .iter()
        .filter(|r| matches!(r.dim, Dim::AgeSex(..)))
        .map(|r| r.dim.label(&s.model.params))
        .collect();
    assert_eq!(labels.len(), 42);
    assert!(labels.contains("age=100+;sex=male") && labels.contains("age=0-4;sex=female"));
    let plain = ensemble::run(&s, &opts(6, 2)).unwrap();
    assert!(!plain.central.rows.iter().any(|r| matches!(r.dim, Dim::AgeSex(..))));
    let with = |threads| {
        ensemble::run(
            &s,
            &Options {
                ages: true,
                ..opts(6, threads)
            },
        )
        .unwrap()
    };
    let (one, two) = (with(1), with(2));
    let aged = one
        .central
        .rows
        .iter()
        .filter(|r| matches!(r.dim, Dim::AgeSex(..)))
        .count();
    assert!(aged > 0);
    assert_eq!(one.summary, two.summary, "threads change nothing");
    assert_eq!(
        plain.target_probability, one.target_probability,
        "asking for ages changes no other number"
    );
}
