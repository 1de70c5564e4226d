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
//! let loaded = migsim::scenario::load_bundled_baseline().unwrap();
//! let (model, _inputs) = migsim::compile(loaded).unwrap();
//! let run = migsim::model::project(&model);
//! let pop = run.get(migsim::Indicator::PopulationHome, migsim::Dim::Total, 2023).unwrap();
//! assert!(pop > 6.5e6 && pop < 7.5e6);
//! ```

// Loops over axis indices (`for s in 0..N_SEX`) name the axis they walk in
// several arrays at once; iterator chains would hide which axis is which.
#![allow(clippy::needless_range_loop)]

pub mod error;
pub mod model;
pub mod output;
pub mod params;
pub mod scenario;
pub mod year_path;

pub use error::{Error, InputProblem, Result};
pub use model::{Dim, Indicator, Model, Trajectory};
pub use params::Params;

use std::path::{Path, PathBuf};

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

/// What a deterministic run wrote.
pub struct RunReport {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub trajectory: Trajectory,
}

/// Projects `model` and writes `series.csv` and `manifest.json` into `dir`.
pub fn run_and_write(model: &Model, inputs: &[(String, String)], dir: &Path) -> Result<RunReport> {
    let started = std::time::Instant::now();
    let trajectory = model::project(model);
    let series = output::series::to_csv(&model.params, &trajectory);
    output::atomic::create_dir(dir)?;
    let series_path = dir.join("series.csv");
    output::atomic::write(&series_path, series.as_bytes())?;
    let manifest = output::manifest::build(model, inputs, started.elapsed().as_secs_f64());
    let manifest_path = dir.join("manifest.json");
    output::atomic::write(&manifest_path, output::manifest::to_json(&manifest).as_bytes())?;
    Ok(RunReport {
        dir: dir.to_path_buf(),
        files: vec![series_path, manifest_path],
        trajectory,
    })
}
