//! `migsim calibrate`: learns behavioural parameters from history by ABC-SMC
//! (`abc`), running each proposal through the experiment engine.
//!
//! ```toml
//! [calibration]
//! observed_csv = "../data/calibration_observed.csv"  # indicator,dimension,year,value,error,source
//! particles = 500
//! generations = 8
//! seed = 11
//! [calibration.parameters]
//! "returns.kappa" = { uniform = { min = 0.0, max = 3.0 } }
//! ```
//!
//! The distance of a run to the observations is the root mean square of
//! `(model − observed) / (error · |observed|)`: `error` is each figure's
//! relative error scale (0.05 = the source is trusted to about 5%), so
//! figures of any size weigh alike and a loose source weighs less.
//!
//! Why ABC-SMC rather than history matching: the pack's observations are
//! few and of uneven quality, and what the user needs next is a joint
//! posterior to draw ensembles from; ABC-SMC gives weighted joint draws
//! directly, where history matching gives a non-implausible region that
//! still needs a posterior.

mod codec;
mod observed;
mod outputs;

pub use codec::{chain_width, decode, encode};
pub use observed::{Observed, distance, read_observed, simulated};
pub use outputs::{calibration_csv, charts, diagnostics_csv, fit_bands, parameters_csv, posterior_csv, write};

use crate::Scenario;
use crate::abc::{self, Candidate, Evaluated, Posterior, Settings};
use crate::error::{Error, InputProblem, Result};
use crate::experiment::{self, Design, Point};
use crate::model::{Model, Trajectory};
use crate::scenario::uncertainty::{self, Dist};
use toml::Table;

/// The point that sets `values` on `keys`, in order: one proposal, or one
/// particle replayed.
pub(crate) fn point_of(keys: &[String], values: &[f64]) -> Point {
    Point {
        uncertain: keys.iter().cloned().zip(values.iter().copied()).collect(),
        ..Point::default()
    }
}

/// `[calibration]` as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub observed_csv: String,
    /// Independent chains, pooled (each of `settings.particles`); the unit
    /// of sharding.
    pub chains: usize,
    /// Sorted by key.
    pub priors: Vec<(String, Dist)>,
    pub settings: Settings,
}

fn problem(file: &str, key: &str, message: impl Into<String>) -> InputProblem {
    InputProblem::new(file, format!("calibration.{key}"), message)
}

/// Reads `[calibration]` from the scenario file `file`.
pub fn read_spec(file: &str, t: &Table) -> std::result::Result<Spec, Vec<InputProblem>> {
    let mut problems = Vec::new();
    let known = [
        "observed_csv",
        "particles",
        "generations",
        "quantile",
        "min_acceptance",
        "seed",
        "chains",
        "parameters",
    ];
    for k in t.keys() {
        if !known.contains(&k.as_str()) {
            problems.push(problem(
                file,
                k,
                format!("unknown key; expected one of {}", known.join(", ")),
            ));
        }
    }
    let observed_csv = match t.get("observed_csv").and_then(|v| v.as_str()) {
        Some(p) => p.to_string(),
        None => {
            problems.push(problem(
                file,
                "observed_csv",
                "missing: expected the path of a CSV with indicator,dimension,year,value,error,source",
            ));
            String::new()
        }
    };
    let defaults = Settings::default();
    let mut whole = |key: &str, default: usize, lo: usize, hi: usize| -> usize {
        match t.get(key) {
            None => default,
            Some(v) => match v.as_integer() {
                Some(n) if n >= lo as i64 && n <= hi as i64 => n as usize,
                _ => {
                    problems.push(problem(
                        file,
                        key,
                        format!("= {v}: expected a whole number in [{lo}, {hi}]"),
                    ));
                    default
                }
            },
        }
    };
    let particles = whole("particles", defaults.particles, 10, 100_000);
    let generations = whole("generations", defaults.max_generations, 1, 100);
    let chains = whole("chains", 1, 1, 64);
    let seed = whole("seed", 0, 0, i64::MAX as usize) as u64;
    let mut share = |key: &str, default: f64| -> f64 {
        match t.get(key) {
            None => default,
            Some(v) => match v.as_float().or_else(|| v.as_integer().map(|i| i as f64)) {
                Some(x) if x > 0.0 && x < 1.0 => x,
                _ => {
                    problems.push(problem(file, key, format!("= {v}: expected a share in (0, 1)")));
                    default
                }
            },
        }
    };
    let quantile = share("quantile", defaults.quantile);
    let min_acceptance = share("min_acceptance", defaults.min_acceptance);
    let mut priors = Vec::new();
    match t.get("parameters").and_then(|v| v.as_table()) {
        Some(ps) if !ps.is_empty() => {
            for (k, v) in ps {
                match uncertainty::dist(v) {
                    Ok(d) => priors.push((k.clone(), d)),
                    Err(m) => problems.push(problem(file, &format!("parameters.\"{k}\""), m)),
                }
            }
        }
        _ => problems.push(problem(
            file,
            "parameters",
            "missing: expected a table of dotted keys with their prior distributions",
        )),
    }
    priors.sort_by(|a, b| a.0.cmp(&b.0));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Spec {
        observed_csv,
        chains,
        priors,
        settings: Settings {
            particles,
            max_generations: generations,
            quantile,
            min_acceptance,
            seed,
            ..defaults
        },
    })
}

/// One batch of proposals as an engine design: each point sets the
/// candidate's values by key and records the model's value of every
/// observed figure.
struct Batch<'a> {
    keys: &'a [String],
    candidates: &'a [Candidate],
    observed: &'a [Observed],
}

impl Design for Batch<'_> {
    fn unit(&self) -> (&'static str, &'static str) {
        ("proposal", "proposals")
    }

    fn name(&self, i: usize) -> String {
        let c = &self.candidates[i];
        format!("proposal {} of generation {}", c.index, c.generation)
    }

    fn point(&self, i: usize) -> Point {
        point_of(self.keys, &self.candidates[i].values)
    }

    fn width(&self) -> usize {
        self.observed.len()
    }

    fn record(&self, _: usize, _: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        record.copy_from_slice(&simulated(self.observed, run));
        Ok(())
    }
}

/// A finished calibration: the chains pooled.
pub struct Calibration {
    pub spec: Spec,
    pub observed: Vec<Observed>,
    /// Every chain's particles, each chain's weights divided by the number
    /// of chains; `generations` holds every chain's.
    pub posterior: Posterior,
    /// Projections run.
    pub projections: usize,
}

/// One chain's outcome, as the engine and the shards carry it.
pub struct Chain {
    pub posterior: Posterior,
    pub projections: usize,
}

/// Checks up front that every prior's typical value is a value its key
/// accepts.
fn check_keys(s: &Scenario, spec: &Spec) -> Result<()> {
    let keys: Vec<&String> = spec.priors.iter().map(|(k, _)| k).collect();
    let typical: Vec<(String, f64)> = spec.priors.iter().map(|(k, d)| (k.clone(), d.typical())).collect();
    crate::compile_draw(s, &typical, &[]).map(|_| ()).map_err(|e| match e {
        Error::Input(mut ps) => {
            for p in &mut ps {
                if keys.contains(&&p.key) {
                    p.key = format!("calibration.parameters.\"{}\"", p.key);
                }
            }
            Error::Input(ps)
        }
        other => other,
    })
}

/// Runs the chains `chains` of the calibration of `s` described by `spec`
/// against `observed`, one after another, each on `threads` workers.
pub fn run_chains(
    s: &Scenario,
    spec: &Spec,
    observed: &[Observed],
    chains: std::ops::Range<usize>,
    threads: usize,
    progress: bool,
) -> Result<Vec<Chain>> {
    check_keys(s, spec)?;
    let keys: Vec<String> = spec.priors.iter().map(|(k, _)| k.clone()).collect();
    let priors: Vec<Dist> = spec.priors.iter().map(|(_, d)| d.clone()).collect();
    // Counted in accepted particles over the most generations the runs may
    // take: later generations accept less, so the estimate of time left is
    // a lower bound, and runs that stop early finish the bar.
    let bar = crate::parallel::progress_bar(
        progress,
        spec.settings.particles * spec.settings.max_generations * chains.len(),
        "accepted particles",
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} accepted particles, {msg}, eta {eta} (at least)")
    {
        bar.set_style(style);
    }
    let mut out = Vec::new();
    for chain in chains {
        let mut projections = 0usize;
        let mut evaluate = |batch: &[Candidate]| -> Result<Vec<Evaluated>> {
            let design = Batch {
                keys: &keys,
                candidates: batch,
                observed,
            };
            projections += batch.len();
            let (records, failed) = experiment::run_lenient(s, &design, 0..batch.len(), threads)?;
            Ok(records
                .chunks_exact(observed.len())
                .zip(failed)
                .map(|(r, bad)| Evaluated {
                    distance: if bad { f64::INFINITY } else { distance(observed, r) },
                    record: r.to_vec(),
                })
                .collect())
        };
        let posterior = abc::run(&priors, &spec.settings, chain, &mut evaluate, &mut |g| {
            bar.inc(g.accepted as u64);
            bar.set_message(format!(
                "chain {}, generation {}, tolerance {:.3}",
                g.chain, g.generation, g.epsilon
            ));
        })?;
        out.push(Chain { posterior, projections });
    }
    bar.finish_and_clear();
    Ok(out)
}

/// Pools independent chains into one posterior: every chain's particles,
/// each chain weighing the same.
pub fn pool(spec: Spec, observed: Vec<Observed>, chains: Vec<Chain>) -> Calibration {
    let n = chains.len().max(1) as f64;
    let mut posterior = Posterior {
        particles: Vec::new(),
        weights: Vec::new(),
        distances: Vec::new(),
        records: Vec::new(),
        generations: Vec::new(),
    };
    let mut projections = 0;
    for c in chains {
        projections += c.projections;
        posterior.particles.extend(c.posterior.particles);
        posterior.weights.extend(c.posterior.weights.iter().map(|w| w / n));
        posterior.distances.extend(c.posterior.distances);
        posterior.records.extend(c.posterior.records);
        posterior.generations.extend(c.posterior.generations);
    }
    Calibration {
        spec,
        observed,
        posterior,
        projections,
    }
}

/// Runs every chain of the calibration and pools them.
pub fn run(s: &Scenario, spec: Spec, observed: Vec<Observed>, threads: usize, progress: bool) -> Result<Calibration> {
    let chains = run_chains(s, &spec, &observed, 0..spec.chains, threads, progress)?;
    Ok(pool(spec, observed, chains))
}
