//! What a run and a comparison write: the tables, the workbook, the charts,
//! the report twice (Markdown and HTML) and the manifest, all into one
//! staging folder that replaces the previous outputs as a whole.

use crate::{Dim, Indicator};
use crate::{
    Error, Model, Params, Result, RunOptions, RunReport, Scenario, Trajectory, ensemble, ensemble_results, fit, noop,
    output, run, shard, targets,
};
use std::path::Path;

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
        output::atomic::write_with(&dir.join("draws.csv"), |w| {
            output::series::write_draws_csv(w, &model.params, e)
        })?;
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
    // The charts, the report and the manifest, while the workbook is built.
    with_workbook(dir, &[&model.params], opts, &sheets, || {
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
        )
    })?;
    Ok(fit_rows)
}

/// Writes `results.xlsx` of `sheets` and runs `rest`, the two side by side:
/// building the workbook (re-reading its tables, compressing the file) is
/// the longest serial step of writing a run, and the charts or the report
/// need none of it.
fn with_workbook<T: Send>(
    dir: &Path,
    params: &[&Params],
    opts: &RunOptions,
    sheets: &[(&str, &str)],
    rest: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let (book, rest) = std::thread::scope(|scope| {
        let book = crate::parallel::beside(scope, "workbook", || workbook(params, opts, sheets));
        let rest = rest();
        (book.join(), rest)
    });
    output::atomic::write(&dir.join("results.xlsx"), &book?)?;
    rest
}

/// The bytes of `results.xlsx`: `sheets` (name, CSV text) after an `about`
/// sheet that says what was run and how to read it.
fn workbook(params: &[&Params], opts: &RunOptions, sheets: &[(&str, &str)]) -> Result<Vec<u8>> {
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
    output::xlsx::workbook(&a, sheets)
}

/// `report.md` and `report.html` of one document, the page with the charts
/// already written into `dir/charts` embedded.
pub fn write_report(dir: &Path, doc: &output::report::document::Document) -> Result<()> {
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
        with_workbook(dir, &params, opts, &sheets, || {
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
        })
    })?;
    Ok(runs)
}
