//! `migsim calibrate`.

use super::Print;
use crate::summary;
use migsim::input::command_line;
use migsim::{Error, InputProblem, Scenario, calibrate};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML) with a [calibration] section, usually a backtest
    pub scenario: PathBuf,
    /// Particles per generation [default: the scenario's, else 500]
    #[arg(long, value_name = "N")]
    pub particles: Option<usize>,
    /// At most this many generations [default: the scenario's, else 10]
    #[arg(long, value_name = "G")]
    pub generations: Option<usize>,
    /// Independent chains, pooled [default: the scenario's, else 1]
    #[arg(long, value_name = "C")]
    pub chains: Option<usize>,
    /// Seed [default: the scenario's [calibration] seed]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Output folder [default: output/<scenario name>-calibration]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
    /// Skip the charts of observed figures over the posterior band
    #[arg(long)]
    pub no_charts: bool,
    /// Threads [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Run only slice I of N of the chains, as a shard
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

pub fn calibrate(a: Args) -> Result<ExitCode, Error> {
    let s = Scenario::from_file(&a.scenario)?;
    let Some(spec) = s.calibration().cloned() else {
        return Err(Error::input(InputProblem::new(
            a.scenario.display().to_string(),
            "calibration",
            "missing: expected a [calibration] section naming observed_csv and [calibration.parameters]",
        )));
    };
    let mut spec = spec;
    if let Some(n) = a.particles {
        if !(10..=100_000).contains(&n) {
            return Err(command_line("--particles", "expected a whole number in [10, 100000]"));
        }
        spec.settings.particles = n;
    }
    if let Some(g) = a.generations {
        if !(1..=100).contains(&g) {
            return Err(command_line("--generations", "expected a whole number in [1, 100]"));
        }
        spec.settings.max_generations = g;
    }
    if let Some(c) = a.chains {
        if !(1..=64).contains(&c) {
            return Err(command_line("--chains", "expected a whole number in [1, 64]"));
        }
        spec.chains = c;
    }
    if let Some(seed) = a.seed {
        spec.settings.seed = seed;
    }
    let slice = super::shard(&a.shard)?;
    let file = spec.observed_csv.clone();
    let text = migsim::input::read_text(std::path::Path::new(&file)).map_err(|why| {
        Error::input(InputProblem::new(
            a.scenario.display().to_string(),
            "calibration.observed_csv",
            format!("cannot read {file}: {why}"),
        ))
    })?;
    let observed = calibrate::read_observed(&file, &text, &s).map_err(Error::Input)?;
    let dir = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(match slice {
            Some(sl) => format!("{}-calibration-shard-{}-of-{}", s.name(), sl.index, sl.of),
            None => format!("{}-calibration", s.name()),
        })
    });
    migsim::output::generation::check_target(&dir)?;
    let threads = super::threads(a.threads)?;
    if let Some(sl) = slice {
        if sl.of > spec.chains {
            return Err(command_line(
                "--shard",
                format!(
                    "splits the chains: {} shards need at least as many chains (--chains)",
                    sl.of
                ),
            ));
        }
        let meta = migsim::jobs::calibrate_shard(
            &s,
            &a.scenario,
            &spec,
            &observed,
            &text,
            sl,
            &dir,
            threads,
            a.print.progress(),
        )?;
        super::shard_written(&a.print, &meta, &dir);
        return Ok(ExitCode::SUCCESS);
    }
    let c = calibrate::run(&s, spec, observed, threads, a.print.progress())?;
    let written_files = calibrate::write(&s, &c, &dir, (!a.no_charts).then_some(threads))?;
    written(&a.print, &s, &c, &dir, &written_files);
    Ok(ExitCode::SUCCESS)
}

/// Prints what a calibration found.
pub fn written(print: &Print, s: &Scenario, c: &calibrate::Calibration, dir: &std::path::Path, files: &[PathBuf]) {
    let gens = &c.posterior.generations;
    let last = |chain: usize| gens.iter().rfind(|g| g.chain == chain);
    let chains = c.spec.chains.max(1);
    if print.text() {
        let finals: Vec<String> = (0..chains)
            .filter_map(last)
            .map(|g| format!("{:.3}", g.epsilon))
            .collect();
        summary::say!(
            "calibrated {} parameters of {} on {} observed figures: {} projections, {} chain(s), final tolerance {}, effective sample size {:.0}; wrote {}",
            c.spec.priors.len(),
            s.name(),
            c.observed.len(),
            c.projections,
            chains,
            finals.join(", "),
            c.posterior.ess(),
            dir.display()
        );
        let width = c.spec.priors.iter().map(|p| p.0.len()).max().unwrap_or(9).max(9);
        summary::say!(
            "  {:<width$}  {:>21}  {:>10} {:>21}",
            "parameter",
            "prior 90%",
            "median",
            "posterior 90%"
        );
        for (k, (key, prior)) in c.spec.priors.iter().enumerate() {
            summary::say!(
                "  {:<width$}  {:>21}  {:>10.4} {:>21}",
                key,
                format!("[{:.4}, {:.4}]", prior.quantile(0.05), prior.quantile(0.95)),
                c.posterior.quantile(k, 0.5),
                format!(
                    "[{:.4}, {:.4}]",
                    c.posterior.quantile(k, 0.05),
                    c.posterior.quantile(k, 0.95)
                )
            );
        }
    }
    print.emit(json!({
        "command": "calibrate",
        "scenario": s.name(),
        "projections": c.projections,
        "generations": gens,
        "files": files,
        "parameters": c.spec.priors.iter().enumerate().map(|(k, (key, _))| json!({
            "parameter": key,
            "p05": c.posterior.quantile(k, 0.05),
            "median": c.posterior.quantile(k, 0.5),
            "p95": c.posterior.quantile(k, 0.95),
        })).collect::<Vec<_>>(),
    }));
}
