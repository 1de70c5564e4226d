//! What `optimize` is asked: the levers and their ranges, the target and
//! the probability, and how many of the draws that probability requires;
//! all checked against the scenario before anything runs.

use crate::Scenario;
use crate::error::Result;
use crate::input::command_line;

/// `--lever KEY=FROM:TO`: one lever setting the search varies, from its
/// weakest and cheapest value FROM to TO.
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    pub key: String,
    pub from: f64,
    pub to: f64,
}

const FORM: &str = "expected KEY=FROM:TO, e.g. policies.domestic_jobs.jobs_per_year=0:60000";

impl Lever {
    pub fn parse(s: &str) -> std::result::Result<Lever, String> {
        let (key, range) = s.split_once('=').ok_or_else(|| format!("= {s}: {FORM}"))?;
        let (from, to) = range.split_once(':').ok_or_else(|| format!("= {s}: {FORM}"))?;
        let num = |t: &str| crate::experiment::range_bound(s, t, FORM);
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("= {s}: {FORM}"));
        }
        let (from, to) = (num(from)?, num(to)?);
        if from == to {
            return Err(format!("= {s}: FROM equals TO; {FORM}"));
        }
        Ok(Lever {
            key: key.to_string(),
            from,
            to,
        })
    }

    /// The value at share `u` of the way from FROM to TO.
    pub fn at(&self, u: f64) -> f64 {
        if u >= 1.0 {
            self.to
        } else {
            self.from + u * (self.to - self.from)
        }
    }
}

/// What to search for.
#[derive(Debug, Clone)]
pub struct Spec {
    pub levers: Vec<Lever>,
    /// A target of the scenario, by its name (or its column name).
    pub target: String,
    pub probability: f64,
    pub confidence: f64,
    pub draws: usize,
    pub seed: u64,
    /// Also the cheapest mix at every probability from 0.50 to 0.95 by 0.05.
    pub pareto: bool,
    pub max_evaluations: usize,
}

/// The Wilson score lower bound of a share `k / n` at normal quantile `z`.
pub fn wilson_lower(k: usize, n: usize, z: f64) -> f64 {
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).max(0.0)
}

/// The fewest of `n` draws that must meet a target for the Wilson lower
/// bound at `confidence` to reach `probability`; none if even all `n` fall
/// short.
pub fn required_met(n: usize, probability: f64, confidence: f64) -> Option<usize> {
    let z = normal_quantile(confidence);
    (0..=n).find(|&k| wilson_lower(k, n, z) >= probability)
}

fn normal_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(p)
}

/// Checks `spec` against `s` before anything runs: every lever a number
/// under `policies.` that accepts both ends, the target stated, the
/// probability reachable with the draws, the job within the engine's size.
pub(super) fn check(s: &Scenario, spec: &Spec) -> Result<(usize, Vec<usize>)> {
    if spec.levers.is_empty() {
        return Err(command_line("--lever", "is missing: give at least one KEY=FROM:TO"));
    }
    let docs = crate::scenario::sections::reference();
    for l in &spec.levers {
        if !l.key.starts_with("policies.") {
            return Err(command_line(
                "--lever",
                format!(
                    "= {}: a lever is a policy's setting (a key under policies.); uncertain inputs belong in [uncertainty]",
                    l.key
                ),
            ));
        }
        let segments: Vec<&str> = l.key.split('.').collect();
        let doc = docs.iter().find(|d| {
            let pattern: Vec<&str> = d.key.split('.').collect();
            pattern.len() == segments.len() && pattern.iter().zip(&segments).all(|(p, k)| *p == "*" || p == k)
        });
        if let Some(d) = doc
            && d.kind != "number"
        {
            return Err(command_line(
                "--lever",
                format!(
                    "= {}: is a {}; optimize varies numbers continuously (sweep a whole number with `migsim sweep --set`)",
                    l.key, d.kind
                ),
            ));
        }
        crate::experiment::check_range(s, "--lever", &l.key, l.from, l.to)?;
    }
    let mut keys: Vec<&str> = spec.levers.iter().map(|l| l.key.as_str()).collect();
    keys.sort_unstable();
    if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
        return Err(command_line("--lever", format!("{} is named twice", w[0])));
    }
    let targets = &s.model.params.targets;
    let target = targets
        .iter()
        .position(|t| t.name == spec.target || crate::output::column_name(&t.name) == spec.target)
        .ok_or_else(|| {
            let names: Vec<String> = targets.iter().map(|t| format!("\"{}\"", t.name)).collect();
            command_line(
                "--target",
                if names.is_empty() {
                    format!("= {}: the scenario states no [[targets]]", spec.target)
                } else {
                    format!(
                        "= {}: no such target; expected one of {}",
                        spec.target,
                        names.join(", ")
                    )
                },
            )
        })?;
    if !(spec.probability > 0.0 && spec.probability < 1.0) {
        return Err(command_line(
            "--probability",
            format!("= {}: expected a probability in (0, 1)", spec.probability),
        ));
    }
    if !(spec.confidence >= 0.5 && spec.confidence < 1.0) {
        return Err(command_line(
            "--confidence",
            format!("= {}: expected a probability in [0.5, 1)", spec.confidence),
        ));
    }
    if spec.draws == 0 {
        return Err(command_line("--draws", "= 0: expected at least 1 draw"));
    }
    if spec.max_evaluations < 2 {
        return Err(command_line(
            "--max-evaluations",
            format!("= {}: expected at least 2 candidates", spec.max_evaluations),
        ));
    }
    let levels = levels(spec);
    if levels[0].1.is_none() {
        let z = normal_quantile(spec.confidence);
        return Err(command_line(
            "--draws",
            format!(
                "= {}: even if every draw met the target, its probability would be known only to be at least {:.3} at confidence {} (short of {}); expected more draws",
                spec.draws,
                wilson_lower(spec.draws, spec.draws, z),
                spec.confidence,
                spec.probability
            ),
        ));
    }
    let runs = spec.draws.checked_mul(spec.max_evaluations * levels.len());
    crate::experiment::check_points("--max-evaluations", "the search (candidates × draws)", runs)?;
    Ok((target, levels.into_iter().filter_map(|(_, r)| r).collect()))
}

/// The probabilities searched for, with the draws each requires: the one
/// asked, then with `--pareto` those from 0.50 to 0.95 in steps of 0.05
/// that the draws can show.
pub(super) fn levels(spec: &Spec) -> Vec<(f64, Option<usize>)> {
    let need = |p: f64| required_met(spec.draws, p, spec.confidence);
    let mut out = vec![(spec.probability, need(spec.probability))];
    if spec.pareto {
        for i in 10..=19 {
            let p = i as f64 / 20.0;
            if (p - spec.probability).abs() > 1e-9 && need(p).is_some() {
                out.push((p, need(p)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levers_parse_and_refuse_malformed_ranges() {
        let l = Lever::parse("policies.domestic_jobs.jobs_per_year=0:60000").unwrap();
        assert_eq!((l.from, l.to), (0.0, 60000.0));
        assert_eq!(l.at(0.5), 30000.0);
        assert_eq!(l.at(1.0), 60000.0);
        for bad in ["x", "x=1", "x=a:2", "=1:2", "x=1:1", "x=1:inf"] {
            assert!(Lever::parse(bad).unwrap_err().contains("KEY=FROM:TO"), "{bad}");
        }
    }

    #[test]
    fn the_wilson_bound_matches_its_closed_form_and_sets_the_draws_required() {
        // 80 of 100 at z = 1.96: the textbook interval is (0.7112, 0.8666).
        assert!((wilson_lower(80, 100, 1.96) - 0.711_23).abs() < 1e-4);
        assert_eq!(wilson_lower(0, 10, 1.0), 0.0);
        // At confidence 0.5 (z = 0) the bound is the share itself.
        assert_eq!(required_met(100, 0.8, 0.5), Some(80));
        let k = required_met(100, 0.8, 0.9).unwrap();
        let z = normal_quantile(0.9);
        assert!(wilson_lower(k, 100, z) >= 0.8 && wilson_lower(k - 1, 100, z) < 0.8);
        assert_eq!(required_met(5, 0.95, 0.9), None);
    }
}
