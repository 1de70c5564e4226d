//! The `migsim` command: arguments → library call → one-line errors and exit
//! codes (0 success, 1 failure while running or writing, including a batch
//! with failed scenarios, 2 bad input).

mod cli;
mod summary;

use clap::{Parser, Subcommand};
use cli::{EnsembleArgs, Print};
use std::path::PathBuf;
use std::process::ExitCode;

// Each ensemble draw allocates and frees stock-sized arrays; glibc hands
// them back to the kernel and faults them in again, mimalloc keeps them
// (benches/README.md: about a quarter more draws per second). Its `no_thp`
// feature keeps it off transparent huge pages: on them, every page it
// purges and reuses came back as a fault zeroing 2 MB (7-9% of an
// ensemble's profile; benches/README.md, December 2026).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "migsim",
    version,
    about = "Project labour migration, remittances and brain drain under a scenario",
    long_about = "migsim projects a country's residents and its citizens abroad year by year \
from a scenario file (TOML): demography, destinations and wages, the economy, policy levers, \
shocks and measurable targets. It writes tidy CSV series (series.csv), the targets met or not \
(targets.csv) and a manifest of what was run.\n\n\
Exit codes: 0 success; 1 failure while running or writing (for batch: some scenario failed); \
2 bad input (scenario, table or command line), nothing run."
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
    Run(cli::run::Args),
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
        #[command(flatten)]
        print: Print,
        /// Skip the PNG charts
        #[arg(long)]
        no_charts: bool,
        #[command(flatten)]
        ensemble: EnsembleArgs,
    },
    /// Run many scenarios, each into its own folder, with one summary table
    ///
    /// SCENARIOS are files, folders (their *.toml files) or quoted patterns
    /// ("scenarios/kyrgyzstan/*.toml"). Writes OUT/<scenario name>/ for each
    /// and OUT/batch.csv (scenario, indicator, year, value: headline national
    /// totals every fifth year). A scenario that fails is reported and the
    /// others still run; the exit code is then 1.
    Batch {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Output folder
        #[arg(long, value_name = "DIR", default_value = "output/batch")]
        out: PathBuf,
        #[command(flatten)]
        print: Print,
        /// Skip the PNG charts
        #[arg(long)]
        no_charts: bool,
        /// Scenarios run at once [default: all cores]
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
    },
    /// Run a scenario over a grid or Latin hypercube of some of its numbers
    ///
    /// Writes sweep.csv: one row per design point with the swept values, the
    /// outcomes and, per target of the scenario, the measured value and
    /// whether it is met; prints, per target, the smallest value of the first
    /// swept key that meets it.
    Sweep(cli::sweep::Args),
    /// Which uncertain inputs drive an outcome: Sobol' indices and Morris screen
    ///
    /// Over the parameters of the scenario's [uncertainty]: Sobol' first-order
    /// and total indices (Saltelli design, N (k+2) runs, 95% bootstrap
    /// intervals) and Morris elementary effects (r (k+1) runs). Writes
    /// sensitivity.csv and charts/tornado.png.
    Sensitivity(cli::sensitivity::Args),
    /// Learn parameters from history: ABC-SMC against observed figures
    ///
    /// Over the parameters of the scenario's [calibration.parameters] (dotted
    /// keys with prior distributions), against the figures of its
    /// observed_csv (indicator,dimension,year,value,error,source). Writes
    /// posterior.csv (weighted particles), parameters.csv, calibration.csv
    /// (observed beside the posterior median and 90% band), diagnostics.csv
    /// and manifest.json.
    Calibrate(cli::calibrate::Args),
    /// Where a target fails: PRIM over the inputs of an ensemble's draws
    ///
    /// Reads RUN_DIR/experiments.csv (run --draws N --keep-draws): each
    /// draw's uncertain inputs and whether it met each target. Finds a box of
    /// inputs where the target's failures concentrate (peeling and pasting,
    /// as EMA Workbench does), writes the trajectory to discovery.csv and
    /// prints the chosen box's significant limits in words.
    Discover(cli::discover::Args),
    /// The cheapest mix of levers that meets a target with probability P
    ///
    /// Varies the named policy settings (--lever KEY=FROM:TO) to minimise
    /// the expected discounted policy cost, subject to enough of N draws of
    /// the scenario's [uncertainty] meeting the target (the same draws for
    /// every candidate). Writes optimize.csv (every candidate), best-mix.toml
    /// (a scenario extending the input), charts/search.png, report.md and
    /// report.html (the briefing), and with
    /// --pareto front.csv. Exits 1 if no mix within the ranges meets it.
    Optimize(cli::optimize::Args),
    /// Combine shard folders into the outputs one machine would have written
    ///
    /// Takes every shard of one job (run --draws, sweep or sensitivity with
    /// --shard I/N) and writes exactly the files of the unsharded command.
    /// Refuses shards of different scenarios, seeds, settings or versions.
    Merge {
        /// Shard folders, all N of them, in any order
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder
        #[arg(long, value_name = "DIR", required = true)]
        out: PathBuf,
        #[command(flatten)]
        print: Print,
        /// Skip the PNG charts
        #[arg(long)]
        no_charts: bool,
    },
    /// Write a starter scenario to edit: the Kyrgyz baseline and its tables
    ///
    /// Writes DIR/kyrgyzstan/baseline.toml, DIR/data/*.csv and
    /// DIR/kyrgyzstan/my-scenario.toml (one policy, one target, extending the
    /// baseline). Refuses to overwrite any file.
    Init {
        /// Folder to write into (created if missing)
        dir: PathBuf,
    },
    /// Print every key a scenario can state: unit, range, default, description
    ///
    /// Dotted keys, `*` standing for any named element (`destinations.*.wage_growth`
    /// is the wage growth of each [[destinations]] entry); `policies.KIND.key` is
    /// a key of a [policies.NAME] table of that kind, `shocks.KIND.key` of a
    /// [[shocks]] entry with `kind = "KIND"`.
    Params {
        /// text for people, markdown for documents, json for scripts
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "markdown", "json"])]
        format: String,
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
    migsim::caught::install_hook();
    // Paths reach the outputs, the manifest and the JSON summary as text; a
    // name that is not UTF-8 could only be shown mangled there, or, read
    // back, would name no file.
    if let Some(bad) = std::env::args_os().skip(1).find(|a| a.to_str().is_none()) {
        eprintln!(
            "error: command line: {:?}: not valid UTF-8; expected arguments, paths included, in UTF-8 (rename the file or folder)",
            bad.to_string_lossy()
        );
        return ExitCode::from(2);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refused_by_clap(e),
    };
    let result = match cli.command {
        Command::Run(args) => cli::run::run(args),
        Command::Compare {
            scenarios,
            out,
            year,
            markdown,
            print,
            no_charts,
            ensemble,
        } => cli::compare::compare(&scenarios, &out, year, markdown, &print, !no_charts, &ensemble),
        Command::Batch {
            scenarios,
            out,
            print,
            no_charts,
            threads,
        } => cli::batch::batch(&scenarios, &out, &print, !no_charts, threads),
        Command::Sweep(args) => cli::sweep::sweep(args),
        Command::Sensitivity(args) => cli::sensitivity::sensitivity(args),
        Command::Calibrate(args) => cli::calibrate::calibrate(args),
        Command::Discover(args) => cli::discover::discover(args),
        Command::Optimize(args) => cli::optimize::optimize(args),
        Command::Merge {
            shards,
            out,
            print,
            no_charts,
        } => cli::merge::merge(&shards, &out, &print, !no_charts),
        Command::Params { format } => cli::params(&format),
        Command::Validate { scenarios } => cli::compare::validate(&scenarios),
        Command::Init { dir } => cli::compare::init(&dir),
    };
    match result {
        Ok(code) => match summary::stdout_failure() {
            Some(why) => {
                eprintln!("error: standard output: cannot write: {why}");
                ExitCode::from(1)
            }
            None => code,
        },
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Clap's own refusals (an unknown flag, a value of the wrong type, a
/// missing argument) on one line like every other bad input, exit 2: its
/// message and tip without the usage block. Help and the version print as
/// clap prints them.
fn refused_by_clap(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let text = e.to_string();
    let mut line = String::new();
    for part in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information"))
    {
        if !line.is_empty() {
            line.push_str(if line.ends_with(':') { " " } else { "; " });
        }
        line.push_str(part);
    }
    eprintln!("{line}");
    ExitCode::from(2)
}
