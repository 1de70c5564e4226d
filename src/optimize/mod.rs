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

pub mod report;
pub mod search;
mod spec;
mod written;

pub use spec::{Lever, Spec, required_met, wilson_lower};
pub use written::{front_csv, optimize_csv, scenario_toml};

use spec::{check, levels};

use crate::error::{Error, Result};
use crate::experiment::{self, Design, Point, References};
use crate::model::{Model, Trajectory};
use crate::scenario::uncertainty::{self, Uncertainty};
use crate::{Scenario, compile_draw};
use std::collections::HashMap;

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
    /// Set when a check finds the search's assumptions broken, saying how.
    pub doubt: Option<String>,
}

impl Optimum {
    pub fn best(&self) -> Option<&Candidate> {
        self.levels[0].best.map(|i| &self.candidates[i])
    }
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

/// Candidates to check the search with: a Latin hypercube of `4 (k + 1)`
/// points of the unit cube (one in each slice of every lever's range),
/// drawn from the seed.
fn spread(k: usize, seed: u64) -> Vec<Vec<f64>> {
    crate::rng::latin_hypercube(k, 4 * (k + 1), &mut crate::rng::stream(seed, 3 << 48))
}

/// Runs the search. `progress` shows a bar of candidates on standard error.
pub fn optimize(s: &Scenario, spec: &Spec, threads: usize, progress: bool) -> Result<Optimum> {
    let problem = Problem::new(s, spec)?;
    let required = problem.required.clone();
    let free = free_levers(s, spec)?;
    if progress {
        announce(s, spec, required.len(), threads);
    }
    let bar = crate::parallel::progress_counter(
        progress,
        "candidates",
        &format!("at most {} a probability", spec.max_evaluations),
    );
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
    let settings = search::Settings {
        max_evaluations: spec.max_evaluations,
        ..search::Settings::default()
    };
    let mut out_levels = Vec::new();
    let mut doubt = None;
    for (level, ((probability, _), need)) in levels(spec).into_iter().zip(required).enumerate() {
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
        let found = search::search(spec.levers.len(), &settings, &mut eval)?;
        // The search is exact only if moving a lever towards TO costs more
        // and never makes the target less likely. A few spread-out
        // candidates test that: one cheaper than the answer and meeting
        // the target means it does not hold here.
        if level == 0
            && let search::Found::Best(_, answer) = found
        {
            let mut cheaper: Option<search::Value> = None;
            for u in spread(spec.levers.len(), spec.seed) {
                let v = eval(&u)?;
                if v.feasible() && v.cost < answer.cost * (1.0 - 1e-3) && cheaper.is_none_or(|c| v.cost < c.cost) {
                    cheaper = Some(v);
                }
            }
            doubt = cheaper.map(|c| {
                format!(
                    "a spread-out check found a mix {:.1}% cheaper than the search's answer: a lever here does not cost more, or help more, the further it moves from FROM to TO; the cheapest mix evaluated is reported, but a cheaper one may exist (try narrower ranges, or sweep)",
                    100.0 * (1.0 - c.cost / answer.cost)
                )
            });
        }
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
        doubt,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

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
