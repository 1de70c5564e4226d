//! The `migsim` command: arguments → library call → one-line errors and exit
//! codes (0 success, 1 failure at run time, 2 bad input).

mod summary;

use clap::{Parser, Subcommand};
use migsim::{Error, Scenario};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "migsim",
    version,
    about = "Project labour migration, remittances and brain drain under a scenario",
    long_about = "migsim projects a country's residents and its citizens abroad year by year \
from a scenario file (TOML): demography, destinations and wages, the economy, policy levers, \
shocks and measurable targets. It writes tidy CSV series (series.csv), the targets met or not \
(targets.csv) and a manifest of what was run.\n\n\
Exit codes: 0 success, 1 failure while running or writing, 2 bad input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one scenario and write its series and targets
    ///
    /// Without SCENARIO, runs the bundled Kyrgyz baseline (2023-2050), which is
    /// compiled into the program and needs no files.
    Run {
        /// Scenario file (TOML); the bundled Kyrgyz baseline when omitted
        scenario: Option<PathBuf>,
        /// Output folder [default: output/<scenario name>]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print nothing but errors
        #[arg(long, short)]
        quiet: bool,
        /// Skip the PNG charts (faster in batch runs)
        #[arg(long)]
        no_charts: bool,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// With --draws, also write every draw's national totals (draws.csv)
        #[arg(long)]
        keep_draws: bool,
    },
    /// Run several scenarios and compare them with the first
    ///
    /// Writes comparison.csv (every indicator of every scenario, and its
    /// difference from the first) and targets.csv, and prints the headline
    /// differences in one year.
    Compare {
        /// Scenario files (TOML); the first is the reference
        #[arg(required = true, num_args = 2..)]
        scenarios: Vec<PathBuf>,
        /// Output folder
        #[arg(long, value_name = "DIR", default_value = "output/comparison")]
        out: PathBuf,
        /// Year of the printed table
        #[arg(long, default_value_t = 2040)]
        year: i32,
        /// Print the table as Markdown, with each scenario's description
        #[arg(long)]
        markdown: bool,
        /// Print nothing but errors
        #[arg(long, short)]
        quiet: bool,
        /// Skip the PNG charts
        #[arg(long)]
        no_charts: bool,
        #[command(flatten)]
        ensemble: EnsembleArgs,
    },
    /// Check scenario files without running them
    ///
    /// Reads each file, its parents and its tables, and reports every problem
    /// found, one per line. Exits 2 if any file has a problem.
    Validate {
        /// Scenario files (TOML)
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}

/// Monte Carlo options shared by `run` and `compare`.
#[derive(clap::Args)]
struct EnsembleArgs {
    /// Run a Monte Carlo ensemble of the scenario's [uncertainty], with its `draws`
    #[arg(long)]
    ensemble: bool,
    /// Run an ensemble of N draws (implies --ensemble)
    #[arg(long, value_name = "N")]
    draws: Option<usize>,
    /// Seed of the draws [default: the scenario's `seed`, else 0]
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Threads for the draws [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

impl EnsembleArgs {
    fn options(&self, s: &Scenario, quiet: bool) -> Result<Option<migsim::ensemble::Options>, Error> {
        let u = s.uncertainty();
        if !self.ensemble && self.draws.is_none() {
            return Ok(None);
        }
        // Without [uncertainty] every draw equals the central run.
        let draws = self.draws.or(u.map(|u| u.draws)).unwrap_or(100);
        if draws == 0 {
            return Err(Error::input(migsim::InputProblem::new(
                "command line",
                "--draws",
                "= 0: expected at least 1 draw",
            )));
        }
        let threads = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        if threads == 0 {
            return Err(Error::input(migsim::InputProblem::new(
                "command line",
                "--threads",
                "= 0: expected at least 1 thread",
            )));
        }
        Ok(Some(migsim::ensemble::Options {
            draws,
            seed: self.seed.or(u.map(|u| u.seed)).unwrap_or(0),
            threads,
            progress: !quiet,
        }))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run {
            scenario,
            out,
            quiet,
            no_charts,
            ensemble,
            keep_draws,
        } => run(scenario, out, quiet, !no_charts, &ensemble, keep_draws),
        Command::Compare {
            scenarios,
            out,
            year,
            markdown,
            quiet,
            no_charts,
            ensemble,
        } => compare(&scenarios, &out, year, markdown, quiet, !no_charts, &ensemble),
        Command::Validate { scenarios } => validate(&scenarios),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(
    path: Option<PathBuf>,
    out: Option<PathBuf>,
    quiet: bool,
    charts: bool,
    ens: &EnsembleArgs,
    keep_draws: bool,
) -> Result<(), Error> {
    let scenario = match &path {
        Some(p) => Scenario::from_file(p)?,
        None => Scenario::bundled_baseline()?,
    };
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(scenario.name()));
    let opts = migsim::RunOptions {
        charts,
        ensemble: ens.options(&scenario, quiet)?,
        keep_draws,
    };
    let report = migsim::run_and_write(&scenario, &dir, &opts)?;
    if !quiet {
        summary::headline(&scenario, &report.trajectory, &report.dir);
        summary::targets(scenario.name(), &report.targets);
        summary::fit(&report.fit);
    }
    Ok(())
}

fn compare(
    paths: &[PathBuf],
    out: &std::path::Path,
    year: i32,
    markdown: bool,
    quiet: bool,
    charts: bool,
    ens: &EnsembleArgs,
) -> Result<(), Error> {
    let scenarios: Vec<Scenario> = load_all(paths)?;
    let (start, end) = (scenarios[0].model.params.start_year, scenarios[0].model.params.end_year);
    if !(start..=end).contains(&year) {
        return Err(Error::input(migsim::InputProblem::new(
            "command line",
            "--year",
            format!("= {year}: expected a year in [{start}, {end}], the first scenario's horizon"),
        )));
    }
    let opts = migsim::RunOptions {
        charts,
        ensemble: ens.options(&scenarios[0], quiet)?,
        keep_draws: false,
    };
    let runs = migsim::compare_and_write(&scenarios, out, year, &opts)?;
    if !quiet {
        let trajectories: Vec<_> = runs.iter().map(|r| r.0.clone()).collect();
        summary::comparison(&scenarios, &trajectories, year, markdown);
        if !markdown {
            summary::say!("wrote {}", out.join("comparison.csv").display());
            for (s, r) in scenarios.iter().zip(&runs) {
                summary::targets(s.name(), &r.1);
            }
        }
    }
    Ok(())
}

/// Loads every file, reporting the problems of all of them together.
fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>, Error> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for path in paths {
        match Scenario::from_file(path) {
            Ok(s) => out.push(s),
            Err(Error::Input(ps)) => problems.extend(ps),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}

fn validate(paths: &[PathBuf]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for path in paths {
        match Scenario::from_file(path) {
            Ok(s) => {
                let p = &s.model.params;
                summary::say!(
                    "ok: {} ({}, {}-{}, {} regions, {} destinations, {} policies, {} shocks, {} targets)",
                    path.display(),
                    p.name,
                    p.start_year,
                    p.end_year,
                    p.regions.len(),
                    p.destinations.len(),
                    p.policies.len(),
                    p.shocks.len(),
                    p.targets.len()
                );
            }
            Err(Error::Input(ps)) => problems.extend(ps),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}
