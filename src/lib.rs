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
pub mod discover;
pub mod ensemble;
pub mod experiment;
pub mod fit;
pub mod init;
pub mod input;
pub mod jobs;
pub mod noop;
pub mod outcome;
pub mod output;
pub mod parallel;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod sweep;

pub use migsim_core::{declare, error, model, params, targets, year_path};

pub use error::{Error, InputProblem, Result};
pub use model::{Dim, Indicator, Model, Trajectory};
pub use params::Params;
pub use targets::TargetResult;

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
        let run = model::project(&self.model).map_err(|h| Error::Runtime(format!("{}: {h}", self.name())))?;
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
fn ensemble_results(e: ensemble::Ensemble) -> (Trajectory, Vec<targets::TargetResult>, Option<ensemble::Ensemble>) {
    let mut r = e.central_targets.clone();
    for (t, p) in r.iter_mut().zip(&e.target_probability) {
        t.probability = Some(*p);
    }
    (e.central.clone(), r, Some(e))
}

/// Finishes an ensemble whose draws ran as shards: writes into `dir` what
/// `run_and_write` writes for the whole ensemble on one machine.
pub fn finish_run_shards(
    scenario: &Scenario,
    meta: &shard::Meta,
    values: Vec<f64>,
    dir: &Path,
    charts: bool,
) -> Result<RunReport> {
    let o = ensemble::Options {
        draws: meta.points,
        seed: meta.seed,
        threads: 1,
        progress: false,
        ages: meta.spec.get("ages").and_then(serde_json::Value::as_bool) == Some(true),
    };
    let opts = RunOptions {
        charts,
        keep_draws: meta.spec.get("keep_draws").and_then(serde_json::Value::as_bool) == Some(true),
        ensemble: Some(o.clone()),
    };
    let (trajectory, targets, ens) = ensemble_results(ensemble::summarise(scenario, &o, values)?);
    write_run(scenario, dir, &opts, trajectory, targets, ens)
}

/// Fan charts of an ensemble's headline series.
fn fans(p: &Params, e: &ensemble::Ensemble) -> Vec<output::charts::run::Fan> {
    [
        (
            Indicator::PopulationAbroad,
            "citizens abroad",
            "persons (1 January)",
            1.0,
        ),
        (Indicator::Emigrants, "emigrants", "persons per year", 1.0),
        (Indicator::RemittancesShareGdp, "remittances", "% of GDP", 100.0),
        (
            Indicator::TertiaryEmigrationRate,
            "tertiary emigration rate",
            "percent",
            100.0,
        ),
    ]
    .into_iter()
    .map(|(ind, title, label, scale)| {
        let mut data: Vec<output::charts::fan::Quantiles> = e
            .central
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.indicator == ind && r.dim == Dim::Total)
            .map(|(i, r)| {
                let s = e.summary[i];
                output::charts::fan::Quantiles {
                    year: r.year,
                    q: [s[1] * scale, s[2] * scale, s[3] * scale, s[4] * scale, s[5] * scale],
                    central: r.value * scale,
                }
            })
            .collect();
        data.sort_by_key(|q| q.year);
        let _ = p;
        (
            format!("fan_{}.png", ind.name()),
            format!("{title}, {} draws (5-95% and 25-75% bands)", e.n_draws()),
            label.to_string(),
            data,
        )
    })
    .collect()
}

/// Runs a scenario and writes `series.csv`, `targets.csv`, `fit.csv` (when
/// the scenario has observations), `report.md`, `charts/*.png` (unless
/// disabled), `draws.csv` (when asked) and `manifest.json` into `dir`.
pub fn run_and_write(scenario: &Scenario, dir: &Path, opts: &RunOptions) -> Result<RunReport> {
    let (trajectory, target_results, ens) = run(scenario, opts)?;
    write_run(scenario, dir, opts, trajectory, target_results, ens)
}

/// Writes the outputs of a finished run (see `run_and_write`).
fn write_run(
    scenario: &Scenario,
    dir: &Path,
    opts: &RunOptions,
    trajectory: Trajectory,
    target_results: Vec<targets::TargetResult>,
    ens: Option<ensemble::Ensemble>,
) -> Result<RunReport> {
    let no_ops = noop::find(scenario, &trajectory)?;
    let fit = output::generation::write(dir, |staging| {
        write_run_files(
            scenario,
            staging,
            opts,
            &trajectory,
            &target_results,
            &no_ops,
            ens.as_ref(),
        )
    })?;
    Ok(RunReport {
        dir: dir.to_path_buf(),
        trajectory,
        targets: target_results,
        no_ops,
        fit,
        ensemble: ens,
    })
}

/// The files of `write_run`, written into `dir`; returns the fit rows.
fn write_run_files(
    scenario: &Scenario,
    dir: &Path,
    opts: &RunOptions,
    trajectory: &Trajectory,
    target_results: &[targets::TargetResult],
    no_ops: &[noop::NoOp],
    ens: Option<&ensemble::Ensemble>,
) -> Result<Vec<fit::FitRow>> {
    let model = &scenario.model;
    let series = match ens {
        None => output::series::to_csv(&model.params, trajectory),
        Some(e) => output::series::ensemble_csv(&model.params, e),
    };
    let named: Vec<(String, targets::TargetResult)> = target_results
        .iter()
        .map(|t| (model.params.name.clone(), t.clone()))
        .collect();
    output::atomic::create_dir(dir)?;
    output::atomic::write(&dir.join("series.csv"), series.as_bytes())?;
    output::atomic::write(&dir.join("targets.csv"), output::targets::to_csv(&named).as_bytes())?;
    if let (Some(e), true) = (ens, opts.keep_draws) {
        output::atomic::write(
            &dir.join("draws.csv"),
            output::series::draws_csv(&model.params, e).as_bytes(),
        )?;
        output::atomic::write(
            &dir.join("experiments.csv"),
            output::experiments::to_csv(scenario, e).as_bytes(),
        )?;
    }
    let fit_rows = fit::compare(&model.params, trajectory);
    let fit_csv = (!fit_rows.is_empty()).then(|| fit::to_csv(&fit_rows));
    if let Some(f) = &fit_csv {
        output::atomic::write(&dir.join("fit.csv"), f.as_bytes())?;
    }
    let targets_csv = output::targets::to_csv(&named);
    let mut sheets = vec![("series", series.as_str()), ("targets", targets_csv.as_str())];
    if let Some(f) = &fit_csv {
        sheets.push(("fit", f));
    }
    write_workbook(dir, &[&model.params], opts, &sheets)?;
    let fan_data = ens.map(|e| fans(&model.params, e)).unwrap_or_default();
    let runs = [(&model.params, trajectory)];
    let chart_names = if opts.charts {
        let mut jobs = output::charts::run::jobs(&model.params, trajectory, target_results, &fan_data);
        jobs.extend(output::charts::run::target_jobs(
            &runs,
            &named,
            &output::charts::run::CHARTED,
        ));
        let names: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
        output::charts::draw_all(&dir.join("charts"), jobs)?;
        names
    } else {
        Vec::new()
    };
    let report = output::report::run_document(&output::report::RunContent {
        params: &model.params,
        run: trajectory,
        targets: target_results,
        no_ops,
        charts: &chart_names,
        ensemble: ens,
        uncertainty: ens.and(scenario.uncertainty()),
        inputs: &scenario.inputs,
    });
    write_report(dir, &report)?;
    let draws = opts.ensemble.as_ref().map(|o| (o.draws, o.seed));
    let manifest = output::manifest::build(model, &scenario.inputs, draws);
    output::atomic::write(
        &dir.join("manifest.json"),
        output::manifest::to_json(&manifest).as_bytes(),
    )?;
    Ok(fit_rows)
}

/// `results.xlsx` of `sheets` (name, CSV text), after an `about` sheet:
/// what was run, and how to read it.
fn write_workbook(dir: &Path, params: &[&Params], opts: &RunOptions, sheets: &[(&str, &str)]) -> Result<()> {
    let mut a = vec![("program".to_string(), format!("migsim {}", env!("CARGO_PKG_VERSION")))];
    a.push(("format version".into(), output::manifest::FORMAT_VERSION.to_string()));
    for p in params {
        a.push((
            "scenario".into(),
            format!("{} ({}–{}): {}", p.name, p.start_year, p.end_year, p.description),
        ));
        for s in &p.sources {
            a.push(("source".into(), s.clone()));
        }
    }
    if let Some(o) = &opts.ensemble {
        a.push(("ensemble".into(), format!("{} draws, seed {}", o.draws, o.seed)));
    }
    a.push((
        "statistic".into(),
        "central: the scenario as written; mean, p5 … p95: over the ensemble's draws".into(),
    ));
    a.push((
        "units".into(),
        "each row's unit is in its unit column; fractions are shown as percentages (the stored value is the fraction)"
            .into(),
    ));
    output::atomic::write(&dir.join("results.xlsx"), &output::xlsx::workbook(&a, sheets)?)
}

/// `report.md` and `report.html` of one document, the page with the charts
/// already written into `dir/charts` embedded.
fn write_report(dir: &Path, doc: &output::report::document::Document) -> Result<()> {
    output::atomic::write(&dir.join("report.md"), doc.markdown().as_bytes())?;
    let charts = dir.join("charts");
    let page = output::report::html::render(doc, |f| std::fs::read(charts.join(f))).map_err(|e| Error::Output {
        path: dir.join("report.html").display().to_string(),
        message: format!("could not read a chart to embed: {e}"),
    })?;
    output::atomic::write(&dir.join("report.html"), page.as_bytes())
}

/// Projects several scenarios and writes into `dir`: `comparison.csv`
/// (differences from the first), `targets.csv` (every scenario's targets),
/// `report.md` (headline figures in `year`) and, if `charts`, the comparison
/// charts (differences in `year`).
pub fn compare_and_write(
    scenarios: &[Scenario],
    dir: &Path,
    year: i32,
    opts: &RunOptions,
) -> Result<Vec<(Trajectory, Vec<targets::TargetResult>)>> {
    let charts = opts.charts;
    let mut runs = Vec::with_capacity(scenarios.len());
    let mut ensembles = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        let (t, r, e) = run(s, opts)?;
        runs.push((t, r));
        ensembles.push(e);
    }
    // Paired by draw: with common random numbers the difference is the policy.
    if let Some(Some(first)) = ensembles.first() {
        for i in 1..scenarios.len() {
            if let Some(e) = &ensembles[i] {
                let better = ensemble::paired_better((&scenarios[i], e), (&scenarios[0], first));
                for (t, b) in runs[i].1.iter_mut().zip(better) {
                    t.probability_better_than_first = Some(b);
                }
            }
        }
    }
    let pairs: Vec<(&Model, &Trajectory)> = scenarios.iter().zip(&runs).map(|(s, r)| (&s.model, &r.0)).collect();
    let by_params: Vec<(&Params, &Trajectory)> = pairs.iter().map(|(m, t)| (&m.params, *t)).collect();
    let named: Vec<(String, targets::TargetResult)> = scenarios
        .iter()
        .zip(&runs)
        .flat_map(|(s, r)| r.1.iter().map(|t| (s.name().to_string(), t.clone())))
        .collect();
    let entries: Vec<output::report::Compared> = scenarios
        .iter()
        .zip(&runs)
        .zip(&ensembles)
        .map(|((s, r), e)| output::report::Compared {
            params: &s.model.params,
            run: &r.0,
            targets: r.1.as_slice(),
            ensemble: e.as_ref(),
        })
        .collect();
    output::generation::write(dir, |dir| {
        let compared: Vec<output::comparison::Compared> = pairs
            .iter()
            .zip(&ensembles)
            .map(|((m, t), e)| output::comparison::Compared {
                params: &m.params,
                run: t,
                ensemble: e.as_ref(),
            })
            .collect();
        let comparison = output::comparison::to_csv(&compared);
        let targets_csv = output::targets::to_csv(&named);
        output::atomic::write(&dir.join("comparison.csv"), comparison.as_bytes())?;
        output::atomic::write(&dir.join("targets.csv"), targets_csv.as_bytes())?;
        let params: Vec<&Params> = scenarios.iter().map(|s| &s.model.params).collect();
        let sheets = [("comparison", comparison.as_str()), ("targets", targets_csv.as_str())];
        write_workbook(dir, &params, opts, &sheets)?;
        let chart_names = if charts {
            let mut jobs = output::charts::compare::jobs(&pairs, &named, year);
            jobs.extend(output::charts::run::target_jobs(
                &by_params,
                &named,
                &output::charts::compare::CHARTED,
            ));
            let names: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
            output::charts::draw_all(&dir.join("charts"), jobs)?;
            names
        } else {
            Vec::new()
        };
        write_report(dir, &output::report::comparison_document(&entries, year, &chart_names))
    })?;
    Ok(runs)
}
