//! # migsim — scenario simulator of labour migration
//!
//! A cohort-component projection of a country's residents and of its citizens
//! abroad, by region, sex, education and single year of age, with emigration by
//! destination choice, returns, settlement, internal migration, immigration, a
//! small economy and remittances. The mathematics is in `MODEL.md`.
//!
//! Data moves one way:
//!
//! ```text
//! scenario.toml ─ scenario::load ─▶ Params ─ model::compile ─▶ Model
//! Model ─ model::project ─▶ Trajectory ─ output::{series, manifest} ─▶ files
//! ```
//!
//! `model` is pure (no files, no TOML, no printing), so it can be called from
//! other programs:
//!
//! ```
//! let baseline = migsim::Scenario::bundled_baseline().unwrap();
//! let run = migsim::model::project(&baseline.model).unwrap();
//! let permanent = run.get(migsim::Indicator::PopulationPermanent, migsim::Dim::Total, 2023).unwrap();
//! let residents = run.get(migsim::Indicator::PopulationHome, migsim::Dim::Total, 2023).unwrap();
//! assert!(permanent > 6.5e6 && permanent < 7.5e6);
//! assert!(residents < permanent);
//! ```

// Loops over axis indices (`for s in 0..N_SEX`) name the axis they walk in
// several arrays at once; iterator chains would hide which axis is which.
#![allow(clippy::needless_range_loop)]
#![deny(unsafe_code)]

pub mod abc;
pub mod batch;
pub mod calibrate;
pub mod caught;
pub mod discover;
pub mod ensemble;
pub mod experiment;
pub mod fit;
pub mod init;
pub mod input;
pub mod jobs;
pub mod limits;
pub mod noop;
pub mod optimize;
pub mod outcome;
pub mod output;
pub mod parallel;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod sweep;
mod write;

pub use migsim_core::{declare, error, model, params, targets, year_path};

pub use error::{Error, InputProblem, Result};
pub use model::{Dim, Indicator, Model, Trajectory};
pub use params::Params;
pub use targets::TargetResult;
pub use write::{compare_and_write, finish_run_shards, run_and_write, write_report};

use std::path::{Path, PathBuf};

/// Says once per process, on standard error, that a former indicator name
/// was used and what replaced it.
pub fn warn_renamed(name: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Some(new) = Indicator::renamed(name) else { return };
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.iter().any(|s| s == name) {
        said.push(name.to_string());
        eprintln!(
            "warning: indicator `{name}` is now `{new}`, {} (0.25 = 25%); the old name is read as the new one and will be removed",
            Indicator::from_name(new).map_or("", |i| if i.unit() == "fraction" { "a fraction" } else { i.unit() })
        );
    }
}

/// A scenario ready to run: its compiled model, the files it was read from
/// (with hashes) and where they came from.
pub struct Scenario {
    pub model: Model,
    pub inputs: Vec<(String, String)>,
    bundled: bool,
    template: scenario::Template,
}

impl Scenario {
    /// Loads and compiles a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario> {
        Self::compiled(scenario::load_file(path)?, false)
    }

    /// The Kyrgyz baseline compiled into the binary.
    pub fn bundled_baseline() -> Result<Scenario> {
        Self::compiled(scenario::load_bundled_baseline()?, true)
    }

    fn compiled(loaded: scenario::Loaded, bundled: bool) -> Result<Scenario> {
        let chain = loaded.template.chain.clone();
        Self::compiled_unlocated(loaded, bundled).map_err(|e| scenario::locate_problems(e, &chain))
    }

    fn compiled_unlocated(loaded: scenario::Loaded, bundled: bool) -> Result<Scenario> {
        let mut template = loaded.template.clone();
        if let Some(u) = &mut template.uncertainty {
            truncate_draws(u, &loaded.params, &template.file).map_err(Error::Input)?;
        }
        let (model, inputs) = compile(loaded)?;
        let s = Scenario {
            model,
            inputs,
            bundled,
            template,
        };
        check_draws(&s)?;
        Ok(s)
    }

    /// The scenario's `[uncertainty]`, if it states one.
    pub fn uncertainty(&self) -> Option<&scenario::uncertainty::Uncertainty> {
        self.template.uncertainty.as_ref()
    }

    /// The scenario's `[calibration]`, if it has one.
    pub fn calibration(&self) -> Option<&calibrate::Spec> {
        self.template.calibration.as_ref()
    }

    /// The central runs of the scenarios its targets compare with, by path.
    pub fn reference_runs(&self) -> Result<std::collections::BTreeMap<String, Trajectory>> {
        let mut out = std::collections::BTreeMap::new();
        for t in &self.model.params.targets {
            if let params::Reference::Scenario(path) = &t.reference
                && !out.contains_key(path)
            {
                out.insert(path.clone(), self.reference_run(path)?);
            }
        }
        Ok(out)
    }

    fn reference_run(&self, path: &str) -> Result<Trajectory> {
        let loaded = if self.bundled {
            scenario::load(Path::new(path), &scenario::BUNDLED)?
        } else {
            scenario::load_file(Path::new(path))?
        };
        Ok(model::project(&compile(loaded)?.0)?)
    }

    /// A problem the core reports against `scenario` (the scenario's own
    /// file), placed at the file and line that set its key.
    fn place(&self, e: Error) -> Error {
        let e = match e {
            Error::Input(mut ps) => {
                for p in ps.iter_mut().filter(|p| p.file == "scenario") {
                    p.file = self.template.file.clone();
                }
                Error::Input(ps)
            }
            other => other,
        };
        scenario::locate_problems(e, &self.template.chain)
    }

    /// A problem with `key` of this scenario, placed at the file and line
    /// that set it.
    pub fn problem_at(&self, key: &str, message: String) -> InputProblem {
        let e = self.place(Error::input(InputProblem::new("scenario", key, message)));
        match e {
            Error::Input(mut ps) if ps.len() == 1 => ps.remove(0),
            _ => unreachable!("one problem in, one out"),
        }
    }

    /// A path the scenario names, as outputs write it: relative to the
    /// scenario file's folder, the same from any working folder.
    pub fn portable(&self, path: &str) -> String {
        scenario::source::relative_to(Path::new(path), &self.template.folder)
            .display()
            .to_string()
    }

    pub fn name(&self) -> &str {
        &self.model.params.name
    }

    /// Projects the scenario and evaluates its targets; a target relative to
    /// another scenario loads and projects that one too.
    pub fn project(&self) -> Result<(Trajectory, Vec<targets::TargetResult>)> {
        self.project_with(model::Detail::ALL)
    }

    /// `project`, keeping `detail` besides the series.
    pub fn project_with(&self, detail: model::Detail) -> Result<(Trajectory, Vec<targets::TargetResult>)> {
        let run =
            model::project_with(&self.model, detail).map_err(|h| Error::Runtime(format!("{}: {h}", self.name())))?;
        let mut results =
            targets::evaluate(&self.model.params, &run, |path| self.reference_run(path)).map_err(|e| self.place(e))?;
        for (t, r) in self.model.params.targets.iter().zip(&mut results) {
            if let params::Reference::Scenario(path) = &t.reference {
                r.reference = format!("scenario:{}", self.portable(path));
            }
        }
        Ok((run, results))
    }
}

/// The model of one draw or design point: the scenario's checked parameters
/// with `values` set at their dotted keys and the stochastic shocks that
/// strike added, each checked like the file's own keys (no file is read
/// again). A problem names the dotted key.
pub fn compile_draw(
    s: &Scenario,
    values: &[(String, f64)],
    strikes: &[scenario::uncertainty::Strike],
) -> Result<Model> {
    if values.is_empty() && strikes.is_empty() {
        return Ok(s.model.clone());
    }
    let problem = |key: String, message: String| Error::input(InputProblem::new(&s.template.file, key, message));
    let mut p = s.model.params.clone();
    for (key, v) in values {
        p.set(key, *v).map_err(|m| problem(key.clone(), m))?;
    }
    let magnitude = |k: usize| s.uncertainty().map_or("", |u| u.shocks[k].magnitude_key.as_str());
    for strike in strikes {
        let mut event = s.template.shock_events[strike.shock].clone();
        event
            .set(&["year"], f64::from(strike.year))
            .and_then(|()| event.set(&[magnitude(strike.shock)], strike.magnitude))
            .map_err(|m| problem(format!("uncertainty.shocks[{}]", strike.shock), m))?;
        p.shocks.push(params::Shock::of(event));
    }
    if let Some((key, message)) = p.relations().into_iter().next() {
        return Err(problem(key, message));
    }
    model::compile_reusing(p, Some(&s.model))
}

/// Checks before any draw that every drawn key and every stochastic shock is
/// accepted at a typical value.
/// Keeps each drawn parameter's distribution to the values its key
/// accepts; refuses one that would keep too little of it.
fn truncate_draws(
    u: &mut scenario::uncertainty::Uncertainty,
    params: &Params,
    file: &str,
) -> std::result::Result<(), Vec<InputProblem>> {
    let mut problems = Vec::new();
    for (key, d) in &mut u.parameters {
        let Some((lo, hi)) = accepted_interval(params, key, d) else {
            // The key refuses even a typical value: `check_draws` says why.
            continue;
        };
        match d.clone().truncated(lo, hi) {
            Ok(t) => *d = t,
            Err(m) => problems.push(InputProblem::new(file, format!("uncertainty.parameters.\"{key}\""), m)),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// The interval of values `key` accepts, found by asking the checked setter
/// (so it is the declared range, whatever the key's kind); `None` when it
/// refuses the typical value and every percentile. A finite end of the
/// distribution's support that the key accepts needs no search.
fn accepted_interval(params: &Params, key: &str, d: &scenario::uncertainty::Dist) -> Option<(f64, f64)> {
    let mut p = params.clone();
    let mut ok = |v: f64| v.is_finite() && p.set(key, v).is_ok();
    // A value inside: the typical one, else the first accepted percentile.
    let inside = std::iter::once(d.typical())
        .chain((0..100).map(|i| d.quantile((f64::from(i) + 0.5) / 100.0)))
        .find(|&v| ok(v))?;
    let (a, b) = d.support();
    let mut edge = |end: f64, dir: f64| -> f64 {
        if end.is_finite() && ok(end) {
            return end;
        }
        // Double the step away from the inside until refused, then bisect.
        let mut good = inside;
        let mut step = inside.abs().max(1e-3);
        let mut bad = loop {
            let x = inside + dir * step;
            if !x.is_finite() {
                return dir * f64::INFINITY;
            }
            if !ok(x) {
                break x;
            }
            good = x;
            step *= 2.0;
        };
        loop {
            let mid = good + (bad - good) / 2.0;
            if mid == good || mid == bad {
                return good;
            }
            if ok(mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
    };
    let lo = edge(a, -1.0);
    let hi = edge(b, 1.0);
    Some((lo, hi))
}

fn check_draws(s: &Scenario) -> Result<()> {
    let Some(u) = s.uncertainty() else { return Ok(()) };
    let mut values: Vec<(String, f64)> = u.parameters.iter().map(|(k, d)| (k.clone(), d.typical())).collect();
    if let Some(post) = &u.posterior {
        values.extend(post.keys.iter().cloned().zip(post.typical().iter().copied()));
    }
    let strikes: Vec<scenario::uncertainty::Strike> = (0..u.shocks.len())
        .map(|k| scenario::uncertainty::Strike {
            shock: k,
            year: s.model.params.start_year,
            magnitude: u.shocks[k].magnitude.typical(),
        })
        .collect();
    let mut checks = vec![values.clone()];
    for (i, (_, d)) in u.parameters.iter().enumerate() {
        for end in d.ends() {
            let mut at_end = values.clone();
            at_end[i].1 = end;
            checks.push(at_end);
        }
    }
    checks
        .iter()
        .try_for_each(|v| compile_draw(s, v, &strikes).map(|_| ()))
        .map_err(|e| match e {
            Error::Input(mut ps) => {
                for p in &mut ps {
                    if u.parameters.iter().any(|(k, _)| *k == p.key) {
                        p.key = format!("uncertainty.parameters.\"{}\"", p.key);
                    } else if u.posterior.as_ref().is_some_and(|post| post.keys.contains(&p.key)) {
                        p.key = format!("uncertainty.posterior_csv: \"{}\"", p.key);
                    }
                }
                Error::Input(ps)
            }
            other => other,
        })?;
    // Each stochastic shock at the ends of its magnitude too.
    let mut shock_checks = Vec::new();
    for (k, shock) in u.shocks.iter().enumerate() {
        for end in shock.magnitude.ends() {
            let mut at_end = strikes.clone();
            at_end[k].magnitude = end;
            shock_checks.push((k, at_end));
        }
    }
    for (k, at_end) in &shock_checks {
        compile_draw(s, &values, at_end).map_err(|e| match e {
            Error::Input(ps) => Error::input(InputProblem::new(
                s.template.file.clone(),
                format!("uncertainty.shocks[{k}].{}", u.shocks[*k].magnitude_key),
                format!(
                    "its distribution reaches a magnitude the shock refuses: {}",
                    ps.first().map_or(String::new(), |p| p.message.clone())
                ),
            )),
            other => other,
        })?;
    }
    Ok(())
}

/// Compiles a loaded scenario, naming the scenario's own file in any
/// calibration problem.
pub fn compile(loaded: scenario::Loaded) -> Result<(Model, Vec<(String, String)>)> {
    let leaf = loaded.template.file.clone();
    let files = loaded.files;
    let model = model::compile(loaded.params).map_err(|e| match e {
        Error::Input(mut ps) => {
            for p in &mut ps {
                if p.file == "scenario" {
                    p.file = leaf.clone();
                }
            }
            Error::Input(ps)
        }
        other => other,
    })?;
    Ok((model, files))
}

/// How to run one scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub charts: bool,
    /// An ensemble instead of a single deterministic run.
    pub ensemble: Option<ensemble::Options>,
    /// With an ensemble, also write every draw's national totals.
    pub keep_draws: bool,
}

/// What a run wrote.
pub struct RunReport {
    pub dir: PathBuf,
    pub trajectory: Trajectory,
    pub targets: Vec<targets::TargetResult>,
    /// Policies, shocks and quotas that changed nothing in the central run.
    pub no_ops: Vec<noop::NoOp>,
    pub fit: Vec<fit::FitRow>,
    pub ensemble: Option<ensemble::Ensemble>,
}

/// Runs a scenario, once or as an ensemble.
pub fn run(
    scenario: &Scenario,
    opts: &RunOptions,
) -> Result<(Trajectory, Vec<targets::TargetResult>, Option<ensemble::Ensemble>)> {
    match &opts.ensemble {
        None => {
            let (t, r) = scenario.project()?;
            Ok((t, r, None))
        }
        Some(o) => {
            let e = ensemble::run(scenario, o)?;
            Ok(ensemble_results(e))
        }
    }
}

/// The central run of an ensemble and its targets with their probabilities.
pub(crate) fn ensemble_results(
    e: ensemble::Ensemble,
) -> (Trajectory, Vec<targets::TargetResult>, Option<ensemble::Ensemble>) {
    let mut r = e.central_targets.clone();
    for (t, p) in r.iter_mut().zip(&e.target_probability) {
        t.probability = Some(*p);
    }
    (e.central.clone(), r, Some(e))
}
