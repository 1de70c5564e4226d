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

use crate::abc::{self, Candidate, Evaluated, Posterior, Settings};
use crate::error::{Error, InputProblem, Result};
use crate::experiment::{self, Design, Point};
use crate::model::{Dim, Indicator, Model, Trajectory};
use crate::scenario::uncertainty::{self, Dist};
use crate::{Scenario, output};
use std::path::Path;
use toml::Table;

/// One observed figure and how far it is trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub indicator: Indicator,
    pub dim: Dim,
    pub dimension: String,
    pub year: i32,
    pub value: f64,
    /// Relative error scale of the source.
    pub error: f64,
    pub source: String,
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

/// Reads the observed figures: columns `indicator,dimension,year,value,error,source`.
pub fn read_observed(file: &str, text: &str, s: &Scenario) -> std::result::Result<Vec<Observed>, Vec<InputProblem>> {
    let p = &s.model.params;
    let regions: Vec<String> = p.regions.iter().map(|r| r.name.clone()).collect();
    let dests: Vec<String> = p.destinations.iter().map(|d| d.name.clone()).collect();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let want = ["indicator", "dimension", "year", "value", "error", "source"];
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if headers != want {
        return Err(vec![InputProblem::new(
            file,
            "",
            format!("expected the header {}", want.join(",")),
        )]);
    }
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
        };
        let row = format!("row {}", rec.position().map_or(0, |p| p.line()));
        let bad = |col: &str, m: String| InputProblem::new(file, col, m).at(row.clone());
        let Some(indicator) = Indicator::from_name(&rec[0]) else {
            problems.push(bad("indicator", format!("unknown indicator `{}`", &rec[0])));
            continue;
        };
        let dim = match crate::params::parse_dim(&rec[1], &regions, &dests) {
            Ok(d) => d,
            Err(m) => {
                problems.push(bad("dimension", m));
                continue;
            }
        };
        let last = if indicator.is_flow() {
            p.end_year - 1
        } else {
            p.end_year
        };
        let year = match rec[2].parse::<i32>() {
            Ok(y) if (p.start_year..=last).contains(&y) => y,
            _ => {
                problems.push(bad(
                    "year",
                    format!("`{}`: expected a year in [{}, {last}]", &rec[2], p.start_year),
                ));
                continue;
            }
        };
        let value = match rec[3].parse::<f64>() {
            Ok(v) if v.is_finite() && v != 0.0 => v,
            _ => {
                problems.push(bad("value", format!("`{}`: expected a non-zero number", &rec[3])));
                continue;
            }
        };
        let error = match rec[4].parse::<f64>() {
            Ok(v) if v > 0.0 && v.is_finite() => v,
            _ => {
                problems.push(bad(
                    "error",
                    format!("`{}`: expected a relative error scale above 0 (0.05 = 5%)", &rec[4]),
                ));
                continue;
            }
        };
        out.push(Observed {
            indicator,
            dim,
            dimension: rec[1].to_string(),
            year,
            value,
            error,
            source: rec[5].to_string(),
        });
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(InputProblem::new(
            file,
            "",
            "no observed figure; expected at least one row",
        ));
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The model's value of each observed figure.
pub fn simulated(observed: &[Observed], run: &Trajectory) -> Vec<f64> {
    observed
        .iter()
        .map(|o| run.get(o.indicator, o.dim, o.year).unwrap_or(f64::NAN))
        .collect()
}

/// Root mean square of the standardised errors; infinite when any value
/// is missing or not finite.
pub fn distance(observed: &[Observed], model: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (o, m) in observed.iter().zip(model) {
        let z = (m - o.value) / (o.error * o.value.abs());
        if !z.is_finite() {
            return f64::INFINITY;
        }
        sum += z * z;
    }
    (sum / observed.len() as f64).sqrt()
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
        Point {
            uncertain: self
                .keys
                .iter()
                .cloned()
                .zip(self.candidates[i].values.iter().copied())
                .collect(),
            ..Point::default()
        }
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

const STATS: usize = 8;

/// Values of one chain in a shard: its projections, its generations'
/// statistics (`max_generations` rows, unused ones NaN), then per particle
/// its weight, distance, values and simulated figures.
pub fn chain_width(spec: &Spec, n_observed: usize) -> usize {
    1 + spec.settings.max_generations * STATS + spec.settings.particles * (2 + spec.priors.len() + n_observed)
}

pub fn encode(spec: &Spec, n_observed: usize, c: &Chain) -> Vec<f64> {
    let mut v = Vec::with_capacity(chain_width(spec, n_observed));
    v.push(c.projections as f64);
    for g in 0..spec.settings.max_generations {
        match c.posterior.generations.get(g) {
            Some(s) => v.extend([
                s.chain as f64,
                s.generation as f64,
                s.epsilon,
                s.proposals as f64,
                s.simulated as f64,
                s.accepted as f64,
                s.acceptance_rate,
                s.ess,
            ]),
            None => v.extend([f64::NAN; STATS]),
        }
    }
    for i in 0..c.posterior.particles.len() {
        v.push(c.posterior.weights[i]);
        v.push(c.posterior.distances[i]);
        v.extend(&c.posterior.particles[i]);
        v.extend(&c.posterior.records[i]);
    }
    v
}

pub fn decode(spec: &Spec, n_observed: usize, v: &[f64]) -> Chain {
    let k = spec.priors.len();
    let mut generations = Vec::new();
    for row in v[1..1 + spec.settings.max_generations * STATS].chunks_exact(STATS) {
        if row[0].is_nan() {
            break;
        }
        generations.push(abc::GenerationStats {
            chain: row[0] as usize,
            generation: row[1] as usize,
            epsilon: row[2],
            proposals: row[3] as usize,
            simulated: row[4] as usize,
            accepted: row[5] as usize,
            acceptance_rate: row[6],
            ess: row[7],
        });
    }
    let mut posterior = Posterior {
        particles: Vec::new(),
        weights: Vec::new(),
        distances: Vec::new(),
        records: Vec::new(),
        generations,
    };
    for p in v[1 + spec.settings.max_generations * STATS..].chunks_exact(2 + k + n_observed) {
        posterior.weights.push(p[0]);
        posterior.distances.push(p[1]);
        posterior.particles.push(p[2..2 + k].to_vec());
        posterior.records.push(p[2 + k..].to_vec());
    }
    Chain {
        posterior,
        projections: v[0] as usize,
    }
}

/// `posterior.csv`: one row per particle, its weight and values.
pub fn posterior_csv(c: &Calibration) -> String {
    let mut out = String::from("particle,weight,distance");
    for (k, _) in &c.spec.priors {
        out.push(',');
        out.push_str(&output::csv_field(k));
    }
    out.push('\n');
    for (i, (x, w)) in c.posterior.particles.iter().zip(&c.posterior.weights).enumerate() {
        out.push_str(&format!("{i},{w},{}", c.posterior.distances[i]));
        for v in x {
            out.push_str(&format!(",{v}"));
        }
        out.push('\n');
    }
    out
}

/// Weighted quantiles of each observed figure's simulated values.
pub fn fit_bands(c: &Calibration) -> Vec<[f64; 3]> {
    (0..c.observed.len())
        .map(|j| {
            let v: Vec<f64> = c.posterior.records.iter().map(|r| r[j]).collect();
            [0.05, 0.5, 0.95].map(|p| abc::weighted_quantile(&v, &c.posterior.weights, p))
        })
        .collect()
}

/// `calibration.csv`: per observed figure, the observation beside the
/// posterior median and 90% band.
pub fn calibration_csv(c: &Calibration) -> String {
    let mut out = String::from("indicator,dimension,year,observed,error,median,p05,p95,source\n");
    for (o, [lo, mid, hi]) in c.observed.iter().zip(fit_bands(c)) {
        out.push_str(&format!(
            "{},{},{},{},{},{mid},{lo},{hi},{}\n",
            o.indicator.name(),
            output::csv_field(&o.dimension),
            o.year,
            o.value,
            o.error,
            output::csv_field(&o.source)
        ));
    }
    out
}

/// `parameters.csv`: each parameter's prior and posterior 90% intervals.
pub fn parameters_csv(c: &Calibration) -> String {
    let mut out = String::from("parameter,prior_p05,prior_p95,posterior_p05,posterior_median,posterior_p95\n");
    for (k, (key, prior)) in c.spec.priors.iter().enumerate() {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            output::csv_field(key),
            prior.quantile(0.05),
            prior.quantile(0.95),
            c.posterior.quantile(k, 0.05),
            c.posterior.quantile(k, 0.5),
            c.posterior.quantile(k, 0.95)
        ));
    }
    out
}

/// `diagnostics.csv`: per generation, the tolerance, proposals, acceptance
/// rate and effective sample size.
pub fn diagnostics_csv(c: &Calibration) -> String {
    let mut out = String::from("chain,generation,epsilon,proposals,simulated,accepted,acceptance_rate,ess\n");
    for g in &c.posterior.generations {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            g.chain, g.generation, g.epsilon, g.proposals, g.simulated, g.accepted, g.acceptance_rate, g.ess
        ));
    }
    out
}

/// The final particles run again, recording every year of each calibrated
/// series, so that a chart can show the posterior between the observed
/// years.
struct Replay<'a> {
    keys: &'a [String],
    particles: &'a [Vec<f64>],
    series: &'a [(Indicator, Dim)],
    years: &'a [i32],
}

impl Design for Replay<'_> {
    fn unit(&self) -> (&'static str, &'static str) {
        ("particle", "particles")
    }

    fn point(&self, i: usize) -> Point {
        Point {
            uncertain: self
                .keys
                .iter()
                .cloned()
                .zip(self.particles[i].iter().copied())
                .collect(),
            ..Point::default()
        }
    }

    fn width(&self) -> usize {
        self.series.len() * self.years.len()
    }

    fn record(&self, _: usize, _: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        for (row, (indicator, dim)) in record.chunks_exact_mut(self.years.len()).zip(self.series) {
            for (v, y) in row.iter_mut().zip(self.years) {
                *v = run.get(*indicator, *dim, *y).unwrap_or(f64::NAN);
            }
        }
        Ok(())
    }
}

/// Draws one chart per calibrated series into `dir`: the posterior band over
/// the years and the observed figures.
pub fn charts(s: &Scenario, c: &Calibration, dir: &Path, threads: usize) -> Result<Vec<std::path::PathBuf>> {
    use output::charts::calibration::{Band, Point as Obs, draw};
    let mut series: Vec<(Indicator, Dim)> = Vec::new();
    for o in &c.observed {
        if !series.contains(&(o.indicator, o.dim)) {
            series.push((o.indicator, o.dim));
        }
    }
    let p = &s.model.params;
    let years: Vec<i32> = (p.start_year..=p.end_year).collect();
    let keys: Vec<String> = c.spec.priors.iter().map(|(k, _)| k.clone()).collect();
    let replay = Replay {
        keys: &keys,
        particles: &c.posterior.particles,
        series: &series,
        years: &years,
    };
    let (records, _) = experiment::run_lenient(s, &replay, 0..c.posterior.particles.len(), threads)?;
    let width = replay.width();
    let mut jobs: Vec<output::charts::Job> = Vec::new();
    for (k, (indicator, dim)) in series.iter().enumerate() {
        let band: Vec<Band> = years
            .iter()
            .enumerate()
            .filter_map(|(j, year)| {
                let (v, w): (Vec<f64>, Vec<f64>) = records
                    .chunks_exact(width)
                    .zip(&c.posterior.weights)
                    .map(|(r, w)| (r[k * years.len() + j], *w))
                    .filter(|(v, _)| v.is_finite())
                    .unzip();
                (!v.is_empty()).then(|| Band {
                    year: *year,
                    q: [0.05, 0.5, 0.95].map(|q| abc::weighted_quantile(&v, &w, q)),
                })
            })
            .collect();
        let observed: Vec<Obs> = c
            .observed
            .iter()
            .filter(|o| o.indicator == *indicator && o.dim == *dim)
            .map(|o| Obs {
                year: o.year,
                value: o.value,
                error: o.error * o.value.abs(),
            })
            .collect();
        let label = dim.label(p);
        let name = if label.is_empty() {
            format!("fit-{}.png", indicator.name())
        } else {
            format!("fit-{}-{}.png", indicator.name(), label.replace('=', "-"))
        };
        let title = format!(
            "{}: {}{}, observed and calibrated",
            s.name(),
            indicator.name(),
            if label.is_empty() {
                String::new()
            } else {
                format!(" [{label}]")
            }
        );
        jobs.push((
            name,
            Box::new(move |path: &Path| {
                output::charts::draw::png(path, |root| {
                    draw(root, path, &title, indicator.name(), &band, &observed)
                })
            }),
        ));
    }
    output::charts::draw_all(&dir.join("charts"), jobs)
}

/// Writes the calibration's tables and manifest into `dir`.
pub fn write(s: &Scenario, c: &Calibration, dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    output::atomic::create_dir(dir)?;
    let mut written = Vec::new();
    for (name, text) in [
        ("posterior.csv", posterior_csv(c)),
        ("parameters.csv", parameters_csv(c)),
        ("calibration.csv", calibration_csv(c)),
        ("diagnostics.csv", diagnostics_csv(c)),
    ] {
        let path = dir.join(name);
        output::atomic::write(&path, text.as_bytes())?;
        written.push(path);
    }
    let manifest = serde_json::json!({
        "kind": "calibration",
        "scenario": s.name(),
        "method": "ABC-SMC (Toni et al. 2009; weights and kernel of Beaumont et al. 2009; tolerance: a quantile of the previous distances)",
        "settings": c.spec.settings,
        "observed_csv": c.spec.observed_csv,
        "parameters": c.spec.priors.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        "projections": c.projections,
        "generations": c.posterior.generations,
        "inputs": s.inputs.iter().map(|(f, h)| serde_json::json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    let path = dir.join("manifest.json");
    output::atomic::write(
        &path,
        (serde_json::to_string_pretty(&manifest).expect("plain data") + "\n").as_bytes(),
    )?;
    written.push(path);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(value: f64, error: f64) -> Observed {
        Observed {
            indicator: Indicator::Births,
            dim: Dim::Total,
            dimension: String::new(),
            year: 2020,
            value,
            error,
            source: String::new(),
        }
    }

    #[test]
    fn the_distance_is_the_rms_of_errors_in_units_of_each_sources_scale() {
        let o = [obs(100.0, 0.1), obs(1000.0, 0.05)];
        // 10% off a source trusted to 10%, and 5% off one trusted to 5%: one unit each.
        assert!((distance(&o, &[110.0, 950.0]) - 1.0).abs() < 1e-12);
        assert_eq!(distance(&o, &[f64::NAN, 1000.0]), f64::INFINITY);
    }
}
