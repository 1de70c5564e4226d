//! `migsim optimize`: the cheapest mix of levers that meets a target with
//! a stated probability, over the scenario's `[uncertainty]`.
//!
//! - A candidate is one setting of the named levers. It runs on the same
//!   draws as every other candidate (draws `0..N` of one seed: common random
//!   numbers), through the experiment engine, so two candidates differ only
//!   by their levers and the search compares them pairwise, without Monte
//!   Carlo noise between them.
//! - Its cost is the mean over the draws of the policy cost discounted to
//!   the base year (`outcome::policy_cost`); its probability is the share of
//!   the draws that meet the target.
//! - "Meets with probability at least P" is asked of the draws with a
//!   margin for their number: the Wilson score lower bound of the share met,
//!   at `confidence`, must reach P. That fixes how many of the N draws must
//!   meet the target (`required_met`); a mix claimed at P then meets the
//!   target with probability at least P on a fresh set of draws as often as
//!   `confidence` says (at 0.5 the bound is the share itself).
//! - The constraint is given to the search as a continuous slack rather
//!   than the count of draws met: each draw's margin (how far inside the
//!   target's bound its measured value is, in the target's own terms) is
//!   sorted, and the `required_met`-th largest is at least 0 exactly when
//!   enough draws meet the target. Under common random numbers it moves
//!   continuously with the levers, so the crossing can be found to any
//!   precision (`search`).

pub mod search;
mod written;

pub use written::{front_csv, optimize_csv, scenario_toml};

use crate::error::{Error, InputProblem, Result};
use crate::experiment::{self, Design, Point, References};
use crate::model::{Model, Trajectory};
use crate::scenario::uncertainty::{self, Uncertainty};
use crate::{Scenario, compile_draw};
use std::collections::HashMap;

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
        let num = |t: &str| {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("= {s}: `{t}` is not a number; {FORM}"))
        };
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

/// One evaluated setting of the levers.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The levers' values, in the order of `Spec::levers`.
    pub values: Vec<f64>,
    /// Mean over the draws of the discounted policy cost (USD).
    pub cost: f64,
    /// Its Monte Carlo standard error.
    pub cost_se: f64,
    /// Draws that meet the target.
    pub met: usize,
    /// Every draw's margin, ascending.
    margins: Vec<f64>,
}

impl Candidate {
    pub fn draws(&self) -> usize {
        self.margins.len()
    }

    pub fn probability(&self) -> f64 {
        self.met as f64 / self.draws() as f64
    }

    /// The binomial standard error of `probability`.
    pub fn probability_se(&self) -> f64 {
        let p = self.probability();
        (p * (1.0 - p) / self.draws() as f64).sqrt()
    }

    /// At least 0 exactly when at least `required` draws meet the target:
    /// the `required`-th largest margin.
    pub fn slack(&self, required: usize) -> f64 {
        match required {
            0 => f64::INFINITY,
            r => self.margins[self.margins.len() - r.min(self.margins.len())],
        }
    }
}

/// One probability asked for, and the cheapest candidate found to reach it.
#[derive(Debug, Clone)]
pub struct Level {
    pub probability: f64,
    /// Draws of the N that must meet the target.
    pub required: usize,
    /// Index into `Optimum::candidates`; none if no candidate reaches it.
    pub best: Option<usize>,
}

/// What the search found.
pub struct Optimum {
    pub spec: Spec,
    pub target: String,
    /// Every candidate evaluated, in the order the search asked for them.
    pub candidates: Vec<Candidate>,
    /// The probability asked for first; with `--pareto` the others after.
    pub levels: Vec<Level>,
    /// Levers whose cost does not change between FROM and TO.
    pub free: Vec<String>,
}

impl Optimum {
    pub fn best(&self) -> Option<&Candidate> {
        self.levels[0].best.map(|i| &self.candidates[i])
    }
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

fn cli(key: &str, m: impl Into<String>) -> Error {
    Error::input(InputProblem::new("command line", key, m))
}

/// The checked problem: runs any candidate on the draws of `spec`, as
/// the search does (and as a test's exhaustive grid may).
pub struct Problem<'a> {
    s: &'a Scenario,
    spec: &'a Spec,
    target: usize,
    uncertainty: Uncertainty,
    references: References,
    /// Draws that must meet the target, per probability level (the one
    /// asked for first).
    required: Vec<usize>,
}

/// Checks `spec` against `s` before anything runs: every lever a number
/// under `policies.` that accepts both ends, the target stated, the
/// probability reachable with the draws, the job within the engine's size.
fn check(s: &Scenario, spec: &Spec) -> Result<(usize, Vec<usize>)> {
    if spec.levers.is_empty() {
        return Err(cli("--lever", "is missing: give at least one KEY=FROM:TO"));
    }
    let docs = crate::scenario::sections::reference();
    for l in &spec.levers {
        if !l.key.starts_with("policies.") {
            return Err(cli(
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
            return Err(cli(
                "--lever",
                format!(
                    "= {}: is a {}; optimize varies numbers continuously (sweep a whole number with `migsim sweep --set`)",
                    l.key, d.kind
                ),
            ));
        }
        for end in [l.from, l.to] {
            compile_draw(s, &[(l.key.clone(), end)], &[]).map_err(|e| match e {
                Error::Input(ps) => cli(
                    "--lever",
                    format!(
                        "{}={}:{}: {}",
                        l.key,
                        l.from,
                        l.to,
                        ps.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ")
                    ),
                ),
                other => other,
            })?;
        }
    }
    let mut keys: Vec<&str> = spec.levers.iter().map(|l| l.key.as_str()).collect();
    keys.sort_unstable();
    if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
        return Err(cli("--lever", format!("{} is named twice", w[0])));
    }
    let targets = &s.model.params.targets;
    let target = targets
        .iter()
        .position(|t| t.name == spec.target || crate::output::column_name(&t.name) == spec.target)
        .ok_or_else(|| {
            let names: Vec<String> = targets.iter().map(|t| format!("\"{}\"", t.name)).collect();
            cli(
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
        return Err(cli(
            "--probability",
            format!("= {}: expected a probability in (0, 1)", spec.probability),
        ));
    }
    if !(spec.confidence >= 0.5 && spec.confidence < 1.0) {
        return Err(cli(
            "--confidence",
            format!("= {}: expected a probability in [0.5, 1)", spec.confidence),
        ));
    }
    if spec.draws == 0 {
        return Err(cli("--draws", "= 0: expected at least 1 draw"));
    }
    if spec.max_evaluations < 2 {
        return Err(cli(
            "--max-evaluations",
            format!("= {}: expected at least 2 candidates", spec.max_evaluations),
        ));
    }
    let levels = levels(spec);
    if levels[0].1.is_none() {
        let z = normal_quantile(spec.confidence);
        return Err(cli(
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
    experiment::check_points("--max-evaluations", "the search (candidates × draws)", runs)?;
    Ok((target, levels.into_iter().filter_map(|(_, r)| r).collect()))
}

/// The probabilities searched for, with the draws each requires: the one
/// asked, then with `--pareto` those from 0.50 to 0.95 in steps of 0.05
/// that the draws can show.
fn levels(spec: &Spec) -> Vec<(f64, Option<usize>)> {
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

/// One candidate as a design: draw `i` sets the levers and the draw's
/// uncertain inputs and shocks, and records the target's margin, whether
/// it is met, and the discounted policy cost.
struct Draws<'a> {
    problem: &'a Problem<'a>,
    levers: Vec<(String, f64)>,
}

impl Design for Draws<'_> {
    fn unit(&self) -> (&'static str, &'static str) {
        ("draw", "draws")
    }
    fn point(&self, i: usize) -> Point {
        let p = &self.problem.s.model.params;
        let (uncertain, strikes) = uncertainty::draw(&self.problem.uncertainty, i as u64, p.start_year..p.end_year);
        Point {
            levers: self.levers.clone(),
            uncertain,
            strikes,
        }
    }
    fn width(&self) -> usize {
        3
    }
    fn record(&self, _: usize, model: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        let mut pairs = vec![0.0; 2 * model.params.targets.len()];
        let results = self.problem.references.record_targets(model, run, &mut pairs)?;
        let t = &results[self.problem.target];
        record[0] = if t.bound == "at_most" {
            t.limit - t.measured
        } else {
            t.measured - t.limit
        };
        record[1] = if t.met { 1.0 } else { 0.0 };
        record[2] = crate::outcome::policy_cost(&model.params, run).1;
        Ok(())
    }
}

impl<'a> Problem<'a> {
    /// Checks `spec` against `s` (see `check`) and prepares the draws.
    pub fn new(s: &'a Scenario, spec: &'a Spec) -> Result<Problem<'a>> {
        let (target, required) = check(s, spec)?;
        let mut u = crate::ensemble::uncertainty_of(s, spec.seed);
        u.draws = spec.draws;
        Ok(Problem {
            s,
            spec,
            target,
            uncertainty: u,
            references: References::of(s)?,
            required,
        })
    }

    /// Draws that must meet the target for the probability asked for.
    pub fn required(&self) -> usize {
        self.required[0]
    }

    /// Runs the levers at `values` (in the order of `Spec::levers`) on
    /// every draw.
    pub fn evaluate(&self, values: &[f64], threads: usize) -> Result<Candidate> {
        let design = Draws {
            problem: self,
            levers: self
                .spec
                .levers
                .iter()
                .map(|l| l.key.clone())
                .zip(values.iter().copied())
                .collect(),
        };
        let records = experiment::run(self.s, &design, 0..self.spec.draws, threads, false)?;
        let n = self.spec.draws as f64;
        let mut margins: Vec<f64> = records.chunks_exact(3).map(|r| r[0]).collect();
        if let Some(bad) = margins.iter().position(|m| !m.is_finite()) {
            return Err(Error::Runtime(format!(
                "draw {bad} of the candidate {values:?} gives a target value that is not a number"
            )));
        }
        margins.sort_by(f64::total_cmp);
        let met = records.chunks_exact(3).filter(|r| r[1] == 1.0).count();
        let costs: Vec<f64> = records.chunks_exact(3).map(|r| r[2]).collect();
        let cost = costs.iter().sum::<f64>() / n;
        let var = if costs.len() > 1 {
            costs.iter().map(|c| (c - cost).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        Ok(Candidate {
            values: values.to_vec(),
            cost,
            cost_se: (var / n).sqrt(),
            met,
            margins,
        })
    }
}

/// Levers whose cost on the scenario as written does not change between
/// FROM and TO (their policy states no cost, or prices programme-years
/// whatever the setting): the search treats them as free.
fn free_levers(s: &Scenario, spec: &Spec) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for l in &spec.levers {
        let cost_at = |v: f64| -> Result<f64> {
            let model = compile_draw(s, &[(l.key.clone(), v)], &[])?;
            let run = crate::model::project_series(&model).map_err(|h| Error::Runtime(format!("{}: {h}", s.name())))?;
            Ok(crate::outcome::policy_cost(&model.params, &run).1)
        };
        if cost_at(l.from)? == cost_at(l.to)? {
            out.push(l.key.clone());
        }
    }
    Ok(out)
}

/// Says on standard error, when the search could take more than ten
/// seconds, how long its budget of candidates would take at most (one
/// projection timed here and scaled); searches on two levers typically use
/// a fifth of it. Only the message depends on the clock.
fn announce(s: &Scenario, spec: &Spec, levels: usize, threads: usize) {
    let started = std::time::Instant::now();
    if crate::model::project_series(&s.model).is_err() {
        return;
    }
    let runs = (spec.max_evaluations * levels * spec.draws) as f64;
    let seconds = started.elapsed().as_secs_f64() * runs / threads.max(1) as f64;
    if seconds > 10.0 {
        eprintln!(
            "at most {} candidates of {} draws on {threads} thread(s): up to {:.0} min (the search usually stops well before its budget)",
            spec.max_evaluations * levels,
            spec.draws,
            (seconds / 60.0).ceil()
        );
    }
}

/// Runs the search. `progress` shows a bar of candidates on standard error.
pub fn optimize(s: &Scenario, spec: &Spec, threads: usize, progress: bool) -> Result<Optimum> {
    let problem = Problem::new(s, spec)?;
    let required = problem.required.clone();
    let free = free_levers(s, spec)?;
    if progress {
        announce(s, spec, required.len(), threads);
    }
    let bar = crate::parallel::progress_bar(progress, spec.max_evaluations * required.len(), "candidates");
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
    let settings = search::Settings {
        max_evaluations: spec.max_evaluations,
        ..search::Settings::default()
    };
    let mut out_levels = Vec::new();
    for ((probability, _), need) in levels(spec).into_iter().zip(required) {
        let mut eval = |unit: &[f64]| -> Result<search::Value> {
            let values: Vec<f64> = spec.levers.iter().zip(unit).map(|(l, u)| l.at(*u)).collect();
            let bits: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
            let i = match seen.get(&bits) {
                Some(&i) => i,
                None => {
                    bar.inc(1);
                    candidates.push(problem.evaluate(&values, threads)?);
                    seen.insert(bits, candidates.len() - 1);
                    candidates.len() - 1
                }
            };
            let c = &candidates[i];
            Ok(search::Value {
                cost: c.cost,
                slack: c.slack(need),
            })
        };
        search::search(spec.levers.len(), &settings, &mut eval)?;
        // The cheapest of every candidate seen that reaches the level: the
        // search's answer, or a cheaper one should its assumptions fail.
        let best = candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.met >= need)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i);
        out_levels.push(Level {
            probability,
            required: need,
            best,
        });
    }
    bar.finish_and_clear();
    Ok(Optimum {
        spec: spec.clone(),
        target: s.model.params.targets[problem.target].name.clone(),
        candidates,
        levels: out_levels,
        free,
    })
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

    #[test]
    fn slack_is_the_required_largest_margin() {
        let c = Candidate {
            values: vec![],
            cost: 0.0,
            cost_se: 0.0,
            met: 3,
            margins: vec![-2.0, -1.0, 0.0, 0.5, 3.0],
        };
        assert_eq!(c.slack(3), 0.0);
        assert_eq!(c.slack(4), -1.0);
        assert_eq!(c.slack(1), 3.0);
        assert_eq!(c.slack(0), f64::INFINITY);
        assert!(c.slack(3) >= 0.0 && c.slack(4) < 0.0, "3 of 5 meet");
    }
}
