//! `migsim run` and `migsim merge`.

use super::{EnsembleArgs, Print, headline_json, targets_json};
use crate::summary;
use migsim::jobs::{self, Exec, Written};
use migsim::{Error, Scenario};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML); the bundled Kyrgyz baseline when omitted
    pub scenario: Option<PathBuf>,
    /// Output folder [default: output/<scenario name>, or
    /// output/<scenario name>-shard-I-of-N with --shard]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
    /// Skip the PNG charts (faster in batch runs)
    #[arg(long)]
    pub no_charts: bool,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// With --draws, also write every draw's national totals (draws.csv)
    #[arg(long)]
    pub keep_draws: bool,
    /// Run only slice I of N of the draws and write it as a shard for
    /// `migsim merge` (needs --draws or --ensemble)
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

pub fn run(a: Args) -> Result<ExitCode, Error> {
    let scenario = match &a.scenario {
        Some(p) => Scenario::from_file(p)?,
        None => Scenario::bundled_baseline()?,
    };
    let slice = super::shard(&a.shard)?;
    let dir = a.out.clone().unwrap_or_else(|| {
        let name = match slice {
            Some(s) => format!("{}-shard-{}-of-{}", scenario.name(), s.index, s.of),
            None => scenario.name().to_string(),
        };
        PathBuf::from("output").join(name)
    });
    migsim::output::generation::check_target(&dir)?;
    let ensemble = a.ensemble.options(&scenario, a.print.progress())?;
    let exec = Exec {
        threads: ensemble.as_ref().map_or(1, |o| o.threads),
        progress: a.print.progress(),
        shard: slice,
    };
    let opts = migsim::RunOptions {
        charts: !a.no_charts,
        ensemble,
        keep_draws: a.keep_draws,
    };
    let written = jobs::run(&scenario, a.scenario.as_deref(), &dir, &opts, &exec);
    match written.map_err(|e| a.ensemble.locate_draws(&scenario, e))? {
        Written::Shard(meta) => super::shard_written(&a.print, &meta, &dir),
        Written::Finished(report) => run_written(&a.print, &scenario, &report),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_written(print: &Print, scenario: &Scenario, report: &migsim::RunReport) {
    if print.text() {
        summary::headline(scenario, &report.trajectory, &report.dir);
        summary::targets(scenario.name(), &report.targets);
        summary::no_ops(&report.no_ops);
        summary::fit(&report.fit);
    }
    print.emit(json!({
        "command": "run",
        "scenario": scenario.name(),
        "out": report.dir,
        "draws": report.ensemble.as_ref().map(|e| e.n_draws()),
        "seed": report.ensemble.as_ref().map(|e| e.options.seed),
        "headline": headline_json(scenario, &report.trajectory),
        "targets": targets_json(scenario.name(), &report.targets),
        "no_ops": report.no_ops,
    }));
}
