//! `migsim sensitivity`.

use super::Print;
use crate::summary;
use migsim::jobs::{self, Exec, SensitivityReport, Written};
use migsim::{Error, Scenario};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML) with [uncertainty.parameters]
    pub scenario: PathBuf,
    /// The outcome's indicator, e.g. population_abroad
    #[arg(long)]
    pub indicator: String,
    /// The outcome's year
    #[arg(long)]
    pub year: i32,
    /// A dimension of the indicator as in series.csv, e.g.
    /// destination=russia [default: national total]
    #[arg(long, value_name = "LABEL")]
    pub dimension: Option<String>,
    /// Rows N of the Sobol' design (N (k+2) runs); 0 skips Sobol'
    #[arg(long, value_name = "N", default_value_t = 128)]
    pub samples: usize,
    /// Morris trajectories (r (k+1) runs); 0 skips Morris
    #[arg(long, value_name = "R", default_value_t = 20)]
    pub trajectories: usize,
    /// Morris grid levels (even)
    #[arg(long, default_value_t = 4)]
    pub levels: usize,
    /// Bootstrap resamples for the Sobol' intervals
    #[arg(long, value_name = "B", default_value_t = 200)]
    pub bootstrap: usize,
    /// Seed [default: the scenario's [uncertainty] seed, else 0]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Output folder [default: output/<scenario name>-sensitivity]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
    /// Skip the tornado chart
    #[arg(long)]
    pub no_charts: bool,
    /// Threads [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Run only slice I of N of the model runs, as a shard
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

pub fn sensitivity(a: Args) -> Result<ExitCode, Error> {
    let s = Scenario::from_file(&a.scenario)?;
    let outcome = match &a.dimension {
        Some(d) => format!("{}[{d}]@{}", a.indicator, a.year),
        None => format!("{}@{}", a.indicator, a.year),
    };
    let spec = migsim::sensitivity::Spec {
        outcome,
        samples: a.samples,
        trajectories: a.trajectories,
        levels: a.levels,
        bootstrap: a.bootstrap,
        seed: a.seed.or(s.uncertainty().map(|u| u.seed)).unwrap_or(0),
    };
    let slice = super::shard(&a.shard)?;
    let dir = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(match slice {
            Some(sl) => format!("{}-sensitivity-shard-{}-of-{}", s.name(), sl.index, sl.of),
            None => format!("{}-sensitivity", s.name()),
        })
    });
    migsim::output::generation::check_target(&dir)?;
    let exec = Exec {
        threads: super::threads(a.threads)?,
        progress: a.print.progress(),
        shard: slice,
    };
    match jobs::sensitivity(&s, Some(&a.scenario), spec, &dir, !a.no_charts, &exec)? {
        Written::Shard(meta) => super::shard_written(&a.print, &meta, &dir),
        Written::Finished(report) => written(&a.print, &report),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn written(print: &Print, r: &SensitivityReport) {
    let plan = &r.plan;
    let cell = |v: f64| if v.is_finite() { format!("{v:.3}") } else { "-".into() };
    if print.text() {
        summary::say!(
            "sensitivity of {} to {} parameters ({} model runs); wrote {}{}",
            plan.outcome.label(),
            plan.parameters.len(),
            plan.points(),
            r.csv.display(),
            r.chart
                .as_ref()
                .map(|c| format!(", {}", c.display()))
                .unwrap_or_default()
        );
        let width = plan.parameters.iter().map(|p| p.0.len()).max().unwrap_or(9).max(9);
        summary::say!(
            "  {:<width$}  {:>8} {:>17}  {:>8} {:>17}  {:>12} {:>12}",
            "parameter",
            "first",
            "95% interval",
            "total",
            "95% interval",
            "morris mu*",
            "sigma"
        );
        // Most influential first: by total index, else by Morris mu*.
        let key = |row: &migsim::sensitivity::Row| {
            let v = if row.total.value.is_finite() {
                row.total.value
            } else {
                row.morris.mu_star
            };
            if v.is_finite() { v } else { f64::NEG_INFINITY }
        };
        let mut rows: Vec<&migsim::sensitivity::Row> = r.rows.iter().collect();
        rows.sort_by(|a, b| key(b).total_cmp(&key(a)));
        for row in rows {
            summary::say!(
                "  {:<width$}  {:>8} {:>17}  {:>8} {:>17}  {:>12} {:>12}",
                row.parameter,
                cell(row.first.value),
                format!("[{}, {}]", cell(row.first.low), cell(row.first.high)),
                cell(row.total.value),
                format!("[{}, {}]", cell(row.total.low), cell(row.total.high)),
                summary_short(row.morris.mu_star),
                summary_short(row.morris.sigma)
            );
        }
    }
    let num = super::num;
    print.emit(json!({
        "command": "sensitivity",
        "outcome": plan.outcome.label(),
        "runs": plan.points(),
        "sensitivity_csv": r.csv,
        "chart": r.chart,
        "parameters": r.rows.iter().map(|row| json!({
            "parameter": row.parameter,
            "first_order": num(row.first.value),
            "first_order_interval": [num(row.first.low), num(row.first.high)],
            "total_order": num(row.total.value),
            "total_order_interval": [num(row.total.low), num(row.total.high)],
            "morris_mu_star": num(row.morris.mu_star),
            "morris_mu": num(row.morris.mu),
            "morris_sigma": num(row.morris.sigma),
        })).collect::<Vec<_>>(),
    }));
}

fn summary_short(v: f64) -> String {
    if v.is_finite() { format!("{v:.4e}") } else { "-".into() }
}
