//! The `migsim` command: arguments → library call → one-line errors and exit
//! codes (0 success, 1 failure at run time, 2 bad input).

use clap::{Parser, Subcommand};
use migsim::{Dim, Error, Indicator, scenario};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "migsim",
    version,
    about = "Project labour migration, remittances and brain drain under a scenario",
    long_about = "migsim projects a country's residents and its citizens abroad year by year \
from a scenario file (TOML): demography, destinations and wages, and the economy. It writes \
tidy CSV series (series.csv) and a manifest of what was run.\n\n\
Exit codes: 0 success, 1 failure while running or writing, 2 bad input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one scenario and write its series
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { scenario, out, quiet } => run(scenario, out, quiet),
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

fn run(path: Option<PathBuf>, out: Option<PathBuf>, quiet: bool) -> Result<(), Error> {
    let loaded = match &path {
        Some(p) => scenario::load_file(p)?,
        None => scenario::load_bundled_baseline()?,
    };
    let (model, inputs) = migsim::compile(loaded)?;
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&model.params.name));
    let report = migsim::run_and_write(&model, &inputs, &dir)?;
    if !quiet {
        let p = &model.params;
        let t = &report.trajectory;
        let get = |i, y| t.get(i, Dim::Total, y).unwrap_or(f64::NAN);
        println!(
            "{} {}-{}: wrote {}",
            p.name,
            p.start_year,
            p.end_year,
            report.dir.join("series.csv").display()
        );
        println!("{:<28}{:>14}{:>14}", "", p.start_year, p.end_year);
        for (label, ind, last) in [
            ("residents", Indicator::PopulationHome, p.end_year),
            ("citizens abroad", Indicator::PopulationAbroad, p.end_year),
            ("emigrants / year", Indicator::Emigrants, p.end_year - 1),
            ("remittances, % of GDP", Indicator::RemittancesPctGdp, p.end_year - 1),
            (
                "tertiary emigration rate",
                Indicator::TertiaryEmigrationRate,
                p.end_year,
            ),
        ] {
            println!("{label:<28}{:>14.3}{:>14.3}", get(ind, p.start_year), get(ind, last));
        }
    }
    Ok(())
}

fn validate(paths: &[PathBuf]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for path in paths {
        match scenario::load_file(path).and_then(migsim::compile) {
            Ok((model, _)) => {
                let p = &model.params;
                println!(
                    "ok: {} ({}, {}-{}, {} regions, {} destinations)",
                    path.display(),
                    p.name,
                    p.start_year,
                    p.end_year,
                    p.regions.len(),
                    p.destinations.len()
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
