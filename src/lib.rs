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
//! let run = migsim::model::project(&baseline.model);
//! let pop = run.get(migsim::Indicator::PopulationHome, migsim::Dim::Total, 2023).unwrap();
//! assert!(pop > 6.5e6 && pop < 7.5e6);
//! ```

// Loops over axis indices (`for s in 0..N_SEX`) name the axis they walk in
// several arrays at once; iterator chains would hide which axis is which.
#![allow(clippy::needless_range_loop)]

pub mod error;
pub mod fit;
pub mod model;
pub mod output;
pub mod params;
pub mod scenario;
pub mod targets;
pub mod year_path;

pub use error::{Error, InputProblem, Result};
pub use model::{Dim, Indicator, Model, Trajectory};
pub use params::Params;
pub use targets::TargetResult;

use std::path::{Path, PathBuf};

/// A scenario ready to run: its compiled model, the files it was read from
/// (with hashes) and where they came from.
pub struct Scenario {
    pub model: Model,
    pub inputs: Vec<(String, String)>,
    bundled: bool,
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
        let (model, inputs) = compile(loaded)?;
        Ok(Scenario { model, inputs, bundled })
    }

    pub fn name(&self) -> &str {
        &self.model.params.name
    }

    /// Projects the scenario and evaluates its targets; a target relative to
    /// another scenario loads and projects that one too.
    pub fn project(&self) -> Result<(Trajectory, Vec<targets::TargetResult>)> {
        let run = model::project(&self.model);
        let results = targets::evaluate(&self.model.params, &run, |path| {
            let loaded = if self.bundled {
                scenario::load(Path::new(path), &scenario::BUNDLED)?
            } else {
                scenario::load_file(Path::new(path))?
            };
            Ok(model::project(&compile(loaded)?.0))
        })?;
        Ok((run, results))
    }
}

/// Compiles a loaded scenario, naming the scenario's own file in any
/// calibration problem.
pub fn compile(loaded: scenario::Loaded) -> Result<(Model, Vec<(String, String)>)> {
    let leaf = loaded.files.first().map(|f| f.0.clone()).unwrap_or_default();
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

/// What a run wrote.
pub struct RunReport {
    pub dir: PathBuf,
    pub trajectory: Trajectory,
    pub targets: Vec<targets::TargetResult>,
    pub fit: Vec<fit::FitRow>,
}

/// Projects a scenario and writes `series.csv`, `targets.csv`, `fit.csv` (when
/// the scenario has observations), `report.md`, `charts/*.png` (unless
/// `charts` is false) and `manifest.json` into `dir`.
pub fn run_and_write(scenario: &Scenario, dir: &Path, charts: bool) -> Result<RunReport> {
    let started = std::time::Instant::now();
    let (trajectory, target_results) = scenario.project()?;
    let model = &scenario.model;
    let series = output::series::to_csv(&model.params, &trajectory);
    let named: Vec<(String, targets::TargetResult)> = target_results
        .iter()
        .map(|t| (model.params.name.clone(), t.clone()))
        .collect();
    output::atomic::create_dir(dir)?;
    output::atomic::write(&dir.join("series.csv"), series.as_bytes())?;
    output::atomic::write(&dir.join("targets.csv"), output::targets::to_csv(&named).as_bytes())?;
    let fit_rows = fit::compare(&model.params, &trajectory);
    if !fit_rows.is_empty() {
        output::atomic::write(&dir.join("fit.csv"), fit::to_csv(&fit_rows).as_bytes())?;
    }
    let chart_names = if charts {
        let jobs = output::charts::run::jobs(&model.params, &trajectory, &target_results);
        let names: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
        output::charts::draw_all(&dir.join("charts"), jobs)?;
        names
    } else {
        Vec::new()
    };
    let report = output::report::markdown(&model.params, &trajectory, &target_results, &chart_names);
    output::atomic::write(&dir.join("report.md"), report.as_bytes())?;
    let manifest = output::manifest::build(model, &scenario.inputs, started.elapsed().as_secs_f64());
    output::atomic::write(
        &dir.join("manifest.json"),
        output::manifest::to_json(&manifest).as_bytes(),
    )?;
    Ok(RunReport {
        dir: dir.to_path_buf(),
        trajectory,
        targets: target_results,
        fit: fit_rows,
    })
}

/// Projects several scenarios and writes into `dir`: `comparison.csv`
/// (differences from the first), `targets.csv` (every scenario's targets),
/// `report.md` (headline figures in `year`) and, if `charts`, the comparison
/// charts (differences in `year`).
pub fn compare_and_write(
    scenarios: &[Scenario],
    dir: &Path,
    year: i32,
    charts: bool,
) -> Result<Vec<(Trajectory, Vec<targets::TargetResult>)>> {
    let runs: Vec<(Trajectory, Vec<targets::TargetResult>)> =
        scenarios.iter().map(Scenario::project).collect::<Result<_>>()?;
    let pairs: Vec<(&Model, &Trajectory)> = scenarios.iter().zip(&runs).map(|(s, r)| (&s.model, &r.0)).collect();
    let named: Vec<(String, targets::TargetResult)> = scenarios
        .iter()
        .zip(&runs)
        .flat_map(|(s, r)| r.1.iter().map(|t| (s.name().to_string(), t.clone())))
        .collect();
    output::atomic::create_dir(dir)?;
    output::atomic::write(
        &dir.join("comparison.csv"),
        output::comparison::to_csv(&pairs).as_bytes(),
    )?;
    output::atomic::write(&dir.join("targets.csv"), output::targets::to_csv(&named).as_bytes())?;
    let chart_names = if charts {
        let jobs = output::charts::compare::jobs(&pairs, year);
        let names: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
        output::charts::draw_all(&dir.join("charts"), jobs)?;
        names
    } else {
        Vec::new()
    };
    let entries: Vec<(&Params, &Trajectory, &[targets::TargetResult])> = scenarios
        .iter()
        .zip(&runs)
        .map(|(s, r)| (&s.model.params, &r.0, r.1.as_slice()))
        .collect();
    let report = output::report::comparison_markdown(&entries, year, &chart_names);
    output::atomic::write(&dir.join("report.md"), report.as_bytes())?;
    Ok(runs)
}
