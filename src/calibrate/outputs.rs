//! What a finished calibration writes: its tables, charts and manifest.

use super::Calibration;
use crate::abc;
use crate::error::Result;
use crate::experiment::{self, Design, Point};
use crate::model::{Dim, Indicator, Model, Trajectory};
use crate::{Scenario, output};
use std::path::Path;

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
        super::point_of(self.keys, &self.particles[i])
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

/// Writes the calibration's tables, manifest and, with `chart_threads`, its
/// charts into `dir` as one generation; returns the files written.
pub fn write(
    s: &Scenario,
    c: &Calibration,
    dir: &Path,
    chart_threads: Option<usize>,
) -> Result<Vec<std::path::PathBuf>> {
    output::generation::write(dir, |staging| {
        let mut files = write_tables(s, c, staging)?;
        if let Some(threads) = chart_threads {
            files.extend(charts(s, c, staging, threads)?);
        }
        let moved = |f: std::path::PathBuf| f.strip_prefix(staging).map(|r| dir.join(r)).unwrap_or(f);
        Ok(files.into_iter().map(moved).collect())
    })
}

fn write_tables(s: &Scenario, c: &Calibration, dir: &Path) -> Result<Vec<std::path::PathBuf>> {
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
        "observed_csv": s.portable(&c.spec.observed_csv),
        "parameters": c.spec.priors.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        "projections": c.projections,
        "generations": c.posterior.generations,
        "inputs": s.inputs.iter().map(|(f, h)| serde_json::json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
        "version": env!("CARGO_PKG_VERSION"),
        "format_version": output::manifest::FORMAT_VERSION,
    });
    let path = dir.join("manifest.json");
    output::atomic::write(
        &path,
        (serde_json::to_string_pretty(&manifest).expect("plain data") + "\n").as_bytes(),
    )?;
    written.push(path);
    Ok(written)
}
