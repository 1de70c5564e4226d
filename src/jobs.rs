//! Sweeps and sensitivity analyses run and written, whole or as shards, and
//! `merge`, which finishes any job from its shards exactly as one machine
//! would have.

use crate::error::{Error, InputProblem, Result};
use crate::shard::{self, Slice};
use crate::{RunOptions, RunReport, Scenario, calibrate, ensemble, experiment, output, sensitivity, sweep};
use std::path::{Path, PathBuf};

/// Where and how to run a job's points.
#[derive(Debug, Clone)]
pub struct Exec {
    pub threads: usize,
    pub progress: bool,
    /// Run only this slice and write it as a shard.
    pub shard: Option<Slice>,
}

/// What a job wrote: a shard, or its finished outputs.
pub enum Written<T> {
    Shard(Box<shard::Meta>),
    Finished(T),
}

fn job(
    s: &Scenario,
    file: Option<&Path>,
    kind: &'static str,
    seed: u64,
    points: usize,
    width: usize,
    spec: serde_json::Value,
) -> shard::Job {
    shard::Job {
        kind,
        scenario: s.name().to_string(),
        scenario_file: file.map(|p| p.display().to_string()),
        inputs: s.inputs.clone(),
        seed,
        points,
        width,
        spec,
    }
}

/// Runs a scenario's ensemble, or the slice `exec.shard` of its draws.
pub fn run(
    s: &Scenario,
    file: Option<&Path>,
    dir: &Path,
    opts: &RunOptions,
    exec: &Exec,
) -> Result<Written<RunReport>> {
    let Some(slice) = exec.shard else {
        return crate::run_and_write(s, dir, opts).map(Written::Finished);
    };
    let Some(o) = &opts.ensemble else {
        return Err(Error::input(InputProblem::new(
            "command line",
            "--shard",
            "splits the draws of an ensemble: give --draws N or --ensemble too",
        )));
    };
    let (central, targets) = ensemble::central(s, o.ages)?;
    let spec = serde_json::json!({ "draws": o.draws, "keep_draws": opts.keep_draws, "ages": o.ages });
    let width = ensemble::record_width(&central, &targets);
    let values = ensemble::draw_records(s, o, slice.range(o.draws), width)?;
    let meta = shard::write(dir, &job(s, file, "run", o.seed, o.draws, width, spec), slice, &values)?;
    Ok(Written::Shard(Box::new(meta)))
}

/// A finished sweep.
pub struct SweepReport {
    pub plan: sweep::Plan,
    pub records: Vec<f64>,
    pub csv: PathBuf,
}

fn sweep_seed(spec: &sweep::Spec) -> u64 {
    match spec.design {
        sweep::Design::Grid => 0,
        sweep::Design::Lhs { seed, .. } => seed,
    }
}

/// Runs a sweep (or one slice of its design points) and writes `sweep.csv`.
pub fn sweep(
    s: &Scenario,
    file: Option<&Path>,
    spec: sweep::Spec,
    dir: &Path,
    exec: &Exec,
) -> Result<Written<SweepReport>> {
    let plan = sweep::Plan::new(s, spec)?;
    let points = plan.points.len();
    let range = exec.shard.map_or(0..points, |sl| sl.range(points));
    let records = experiment::run(s, &plan.design(s)?, range, exec.threads, exec.progress)?;
    if let Some(slice) = exec.shard {
        let spec = serde_json::to_value(&plan.spec).expect("plain data");
        let j = job(
            s,
            file,
            "sweep",
            sweep_seed(&plan.spec),
            points,
            sweep::record_width(&plan),
            spec,
        );
        return Ok(Written::Shard(Box::new(shard::write(dir, &j, slice, &records)?)));
    }
    finish_sweep(s, plan, records, dir).map(Written::Finished)
}

fn finish_sweep(s: &Scenario, plan: sweep::Plan, records: Vec<f64>, dir: &Path) -> Result<SweepReport> {
    output::generation::write(dir, |dir| {
        output::atomic::write(&dir.join("sweep.csv"), plan.to_csv(&records).as_bytes())?;
        let spec = serde_json::to_value(&plan.spec).expect("plain data");
        write_manifest(s, "sweep", spec, plan.points.len(), dir)
    })?;
    let csv = dir.join("sweep.csv");
    Ok(SweepReport { plan, records, csv })
}

/// `manifest.json` of a sweep or sensitivity analysis: what produced its
/// table (version, scenario and the SHA-256 of its files, the job's
/// settings), with no clock, so a merge writes the same file.
fn write_manifest(s: &Scenario, kind: &str, spec: serde_json::Value, points: usize, dir: &Path) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Manifest<'a> {
        program: &'a str,
        version: &'a str,
        format_version: u32,
        kind: &'a str,
        scenario: &'a str,
        inputs: Vec<output::manifest::Input<'a>>,
        points: usize,
        spec: serde_json::Value,
    }
    let m = Manifest {
        program: "migsim",
        version: env!("CARGO_PKG_VERSION"),
        format_version: output::manifest::FORMAT_VERSION,
        kind,
        scenario: s.name(),
        inputs: s
            .inputs
            .iter()
            .map(|(path, sha256)| output::manifest::Input { path, sha256 })
            .collect(),
        points,
        spec,
    };
    let text = serde_json::to_string_pretty(&m).expect("plain data") + "\n";
    output::atomic::write(&dir.join("manifest.json"), text.as_bytes())
}

/// A finished sensitivity analysis.
pub struct SensitivityReport {
    pub plan: sensitivity::Plan,
    pub rows: Vec<sensitivity::Row>,
    pub csv: PathBuf,
    pub chart: Option<PathBuf>,
}

/// Runs a sensitivity analysis (or one slice of its runs) and writes
/// `sensitivity.csv` and the tornado chart.
pub fn sensitivity(
    s: &Scenario,
    file: Option<&Path>,
    spec: sensitivity::Spec,
    dir: &Path,
    charts: bool,
    exec: &Exec,
) -> Result<Written<SensitivityReport>> {
    let plan = sensitivity::Plan::new(s, spec)?;
    let points = plan.points();
    let range = exec.shard.map_or(0..points, |sl| sl.range(points));
    let values = experiment::run(s, &plan.design(), range, exec.threads, exec.progress)?;
    if let Some(slice) = exec.shard {
        let spec = serde_json::to_value(&plan.spec).expect("plain data");
        let j = job(s, file, "sensitivity", plan.spec.seed, points, 1, spec);
        return Ok(Written::Shard(Box::new(shard::write(dir, &j, slice, &values)?)));
    }
    finish_sensitivity(s, plan, &values, dir, charts).map(Written::Finished)
}

fn finish_sensitivity(
    s: &Scenario,
    plan: sensitivity::Plan,
    values: &[f64],
    dir: &Path,
    charts: bool,
) -> Result<SensitivityReport> {
    let rows = plan.analyse(values);
    output::generation::write(dir, |dir| {
        output::atomic::write(
            &dir.join("sensitivity.csv"),
            sensitivity::to_csv(&plan, &rows).as_bytes(),
        )?;
        let spec = serde_json::to_value(&plan.spec).expect("plain data");
        write_manifest(s, "sensitivity", spec, plan.points(), dir)?;
        if charts {
            output::atomic::create_dir(&dir.join("charts"))?;
            draw_tornado(s, &plan, &rows, &dir.join("charts").join("tornado.png"))?;
        }
        Ok(())
    })?;
    let csv = dir.join("sensitivity.csv");
    let chart = charts.then(|| dir.join("charts").join("tornado.png"));
    Ok(SensitivityReport { plan, rows, csv, chart })
}

/// A tornado row's name: which way the parameter pushes the outcome (the
/// sign of their correlation over the runs), its declared description and
/// the names its key holds, cut to fit beside the plot.
fn tornado_label(key: &str, correlation: f64) -> String {
    let arrow = if correlation > 0.0 {
        "▲ "
    } else if correlation < 0.0 {
        "▼ "
    } else {
        ""
    };
    // The names stay whole; the description is cut to fit beside the plot.
    let cut = crate::scenario::sections::in_words(key, Some(48));
    format!("{arrow}{cut}")
}

fn draw_tornado(s: &Scenario, plan: &sensitivity::Plan, rows: &[sensitivity::Row], path: &Path) -> Result<()> {
    use output::charts::tornado::{self, Bar};
    let sobol = plan.sobol.is_some();
    let key = |r: &sensitivity::Row| {
        let v = if sobol { r.total.value } else { r.morris.mu_star };
        if v.is_finite() { v } else { f64::NEG_INFINITY }
    };
    let mut order: Vec<&sensitivity::Row> = rows.iter().collect();
    order.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.parameter.cmp(&b.parameter)));
    let bars: Vec<tornado::Row> = order
        .iter()
        .map(|r| tornado::Row {
            name: tornado_label(&r.parameter, r.correlation),
            bars: if sobol {
                vec![
                    Bar {
                        value: r.total.value,
                        low: r.total.low,
                        high: r.total.high,
                    },
                    Bar {
                        value: r.first.value,
                        low: r.first.low,
                        high: r.first.high,
                    },
                ]
            } else {
                vec![Bar {
                    value: r.morris.mu_star,
                    low: r.morris.mu_star - r.morris.sigma,
                    high: r.morris.mu_star + r.morris.sigma,
                }]
            },
        })
        .collect();
    let title = format!(
        "{}: what drives {}{} in {}",
        s.name(),
        plan.outcome.indicator.name(),
        if plan.outcome.dimension.is_empty() {
            String::new()
        } else {
            format!(" [{}]", plan.outcome.dimension)
        },
        plan.outcome.year
    );
    let (x_label, legend): (String, Vec<&str>) = if sobol {
        (
            format!(
                "Sobol' index (share of variance), N = {}, 95% bootstrap intervals; ▲ raises the outcome, ▼ lowers it",
                plan.spec.samples
            ),
            vec!["total effect", "first order"],
        )
    } else {
        (
            format!(
                "Morris mu* (change per whole range of the input) with ±sigma, r = {}; ▲ raises, ▼ lowers",
                plan.spec.trajectories
            ),
            vec!["mu*"],
        )
    };
    output::charts::draw::png(path, |root| tornado::draw(root, path, &title, &x_label, &legend, &bars))
}

/// What `merge` finished.
pub enum Merged {
    Run(Box<(Scenario, RunReport)>),
    Sweep(Box<SweepReport>),
    Sensitivity(Box<SensitivityReport>),
    /// The scenario, the pooled calibration and the files written.
    Calibration(Box<(Scenario, calibrate::Calibration, Vec<PathBuf>)>),
}

/// Reloads the scenario the shards ran, refusing it if any of its files
/// changed since.
fn scenario_of(meta: &shard::Meta) -> Result<Scenario> {
    let s = match &meta.scenario_file {
        Some(f) => Scenario::from_file(Path::new(f))?,
        None => Scenario::bundled_baseline()?,
    };
    if s.inputs != meta.inputs || s.name() != meta.scenario {
        return Err(Error::input(InputProblem::new(
            meta.scenario_file.clone().unwrap_or_else(|| "bundled baseline".into()),
            "",
            "differs from the files the shards were run with (their SHA-256 in shard.json): rerun the shards or restore the files",
        )));
    }
    Ok(s)
}

/// What a calibration shard carries besides its chains: the settings that
/// may differ from the scenario's `[calibration]`, and the observed file's
/// digest, so that a merge finishes exactly the calibration that was run.
#[derive(serde::Serialize, serde::Deserialize)]
struct CalibrationSpec {
    particles: usize,
    generations: usize,
    chains: usize,
    seed: u64,
    observed_sha256: String,
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// Runs the chains of slice `slice` of a calibration and writes them as a shard.
#[allow(clippy::too_many_arguments)]
pub fn calibrate_shard(
    s: &Scenario,
    file: &Path,
    spec: &calibrate::Spec,
    observed: &[calibrate::Observed],
    observed_text: &str,
    slice: Slice,
    dir: &Path,
    threads: usize,
    progress: bool,
) -> Result<shard::Meta> {
    let range = slice.range(spec.chains);
    let chains = calibrate::run_chains(s, spec, observed, range, threads, progress)?;
    let values: Vec<f64> = chains
        .iter()
        .flat_map(|c| calibrate::encode(spec, observed.len(), c))
        .collect();
    let extra = CalibrationSpec {
        particles: spec.settings.particles,
        generations: spec.settings.max_generations,
        chains: spec.chains,
        seed: spec.settings.seed,
        observed_sha256: sha256(observed_text),
    };
    let j = job(
        s,
        Some(file),
        "calibrate",
        spec.settings.seed,
        spec.chains,
        calibrate::chain_width(spec, observed.len()),
        serde_json::to_value(&extra).expect("plain data"),
    );
    shard::write(dir, &j, slice, &values)
}

/// Combines the shards in `dirs` and writes into `out` what one machine
/// would have written for the whole job.
pub fn merge(dirs: &[PathBuf], out: &Path, charts: bool) -> Result<Merged> {
    let (meta, values) = shard::read_all(dirs)?;
    let s = scenario_of(&meta)?;
    crate::output::generation::check_target(out)?;
    let spec_error = |e: serde_json::Error| {
        Error::input(InputProblem::new(
            dirs[0].join(shard::META_FILE).display().to_string(),
            "spec",
            format!("cannot be read by this version: {e}"),
        ))
    };
    match meta.kind.as_str() {
        "run" => {
            let report = crate::finish_run_shards(&s, &meta, values, out, charts)?;
            Ok(Merged::Run(Box::new((s, report))))
        }
        "sweep" => {
            let spec: sweep::Spec = serde_json::from_value(meta.spec.clone()).map_err(spec_error)?;
            let plan = sweep::Plan::new(&s, spec)?;
            Ok(Merged::Sweep(Box::new(finish_sweep(&s, plan, values, out)?)))
        }
        "sensitivity" => {
            let spec: sensitivity::Spec = serde_json::from_value(meta.spec.clone()).map_err(spec_error)?;
            let plan = sensitivity::Plan::new(&s, spec)?;
            Ok(Merged::Sensitivity(Box::new(finish_sensitivity(
                &s, plan, &values, out, charts,
            )?)))
        }
        "calibrate" => {
            let extra: CalibrationSpec = serde_json::from_value(meta.spec.clone()).map_err(spec_error)?;
            let Some(mut spec) = s.calibration().cloned() else {
                return Err(Error::input(InputProblem::new(
                    meta.scenario_file.clone().unwrap_or_default(),
                    "calibration",
                    "missing: the shards were run from a [calibration] this scenario no longer has",
                )));
            };
            spec.settings.particles = extra.particles;
            spec.settings.max_generations = extra.generations;
            spec.settings.seed = extra.seed;
            spec.chains = extra.chains;
            let text = crate::input::read_text(Path::new(&spec.observed_csv)).map_err(|why| {
                Error::input(InputProblem::new(
                    spec.observed_csv.clone(),
                    "",
                    format!("cannot read: {why}"),
                ))
            })?;
            if sha256(&text) != extra.observed_sha256 {
                return Err(Error::input(InputProblem::new(
                    spec.observed_csv.clone(),
                    "",
                    "differs from the file the shards were run with: rerun the shards or restore the file",
                )));
            }
            let observed = calibrate::read_observed(&spec.observed_csv, &text, &s).map_err(Error::Input)?;
            let width = calibrate::chain_width(&spec, observed.len());
            let chains = values
                .chunks_exact(width)
                .map(|v| calibrate::decode(&spec, observed.len(), v))
                .collect();
            let c = calibrate::pool(spec, observed, chains);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let files = calibrate::write(&s, &c, out, charts.then_some(threads))?;
            Ok(Merged::Calibration(Box::new((s, c, files))))
        }
        other => Err(Error::input(InputProblem::new(
            dirs[0].join(shard::META_FILE).display().to_string(),
            "kind",
            format!("= {other}: expected run, sweep, sensitivity or calibrate"),
        ))),
    }
}
