//! `migsim sweep`.

use super::Print;
use crate::summary;
use migsim::jobs::{self, Exec, SweepReport, Written};
use migsim::sweep::{Axis, Design, Spec};
use migsim::{Error, InputProblem, Scenario};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML)
    pub scenario: PathBuf,
    /// A number to sweep, by its dotted key, from FROM to TO in STEPS
    /// points (both ends included), e.g.
    /// policies.domestic_jobs.jobs_per_year=0:100000:11; repeat for a
    /// grid over several keys
    #[arg(long = "set", value_name = "KEY=FROM:TO:STEPS", required = true)]
    pub set: Vec<String>,
    /// grid (every combination) or lhs (Latin hypercube of --samples points)
    #[arg(long, default_value = "grid", value_parser = ["grid", "lhs"])]
    pub design: String,
    /// Design points of a Latin hypercube
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub samples: usize,
    /// Seed of a Latin hypercube
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// An outcome to report, INDICATOR@YEAR or INDICATOR[DIMENSION]@YEAR;
    /// repeat for several [default: headline indicators in 2040, or the
    /// last year]
    #[arg(long, value_name = "OUTCOME")]
    pub outcome: Vec<String>,
    /// Output folder [default: output/<scenario name>-sweep]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
    /// Threads [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Run only slice I of N of the design points, as a shard
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

/// Headline indicators in 2040 (or the last year); flows in the year
/// before the end at the latest.
fn default_outcomes(s: &Scenario) -> Vec<String> {
    let p = &s.model.params;
    let year = 2040.clamp(p.start_year, p.end_year);
    [
        migsim::Indicator::PopulationAbroad,
        migsim::Indicator::Emigrants,
        migsim::Indicator::RemittancesShareGdp,
        migsim::Indicator::TertiaryEmigrationRate,
    ]
    .iter()
    .map(|i| {
        let y = if i.is_flow() { year.min(p.end_year - 1) } else { year };
        format!("{}@{y}", i.name())
    })
    .collect()
}

pub fn sweep(a: Args) -> Result<ExitCode, Error> {
    let s = Scenario::from_file(&a.scenario)?;
    let axes = a
        .set
        .iter()
        .map(|t| Axis::parse(t).map_err(|m| Error::input(InputProblem::new("command line", "--set", m))))
        .collect::<Result<Vec<_>, Error>>()?;
    let spec = Spec {
        axes,
        design: if a.design == "lhs" {
            Design::Lhs {
                samples: a.samples,
                seed: a.seed,
            }
        } else {
            Design::Grid
        },
        outcomes: if a.outcome.is_empty() {
            default_outcomes(&s)
        } else {
            a.outcome.clone()
        },
    };
    let slice = super::shard(&a.shard)?;
    let dir = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("output").join(match slice {
            Some(sl) => format!("{}-sweep-shard-{}-of-{}", s.name(), sl.index, sl.of),
            None => format!("{}-sweep", s.name()),
        })
    });
    migsim::output::generation::check_target(&dir)?;
    let exec = Exec {
        threads: super::threads(a.threads)?,
        progress: a.print.progress(),
        shard: slice,
    };
    match jobs::sweep(&s, Some(&a.scenario), spec, &dir, &exec)? {
        Written::Shard(meta) => super::shard_written(&a.print, &meta, &dir),
        Written::Finished(report) => written(&a.print, &report),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn written(print: &Print, r: &SweepReport) {
    let plan = &r.plan;
    let meeting = plan.meeting(&r.records);
    let first_key = &plan.spec.axes[0].key;
    if print.text() {
        summary::say!("{} design points; wrote {}", plan.points.len(), r.csv.display());
        if meeting.is_empty() {
            summary::say!("the scenario has no targets: see the outcomes in sweep.csv");
        }
        for (name, count, smallest) in &meeting {
            match smallest {
                Some(i) => {
                    let inputs: Vec<String> = plan
                        .spec
                        .axes
                        .iter()
                        .zip(&plan.points[*i])
                        .map(|(a, v)| format!("{} = {v}", a.key))
                        .collect();
                    summary::say!(
                        "target \"{name}\": met at {count} of {} points; smallest {first_key} meeting it: point {} ({})",
                        plan.points.len(),
                        i + 1,
                        inputs.join(", ")
                    );
                }
                None => summary::say!("target \"{name}\": met at none of {} points", plan.points.len()),
            }
        }
    }
    print.emit(json!({
        "command": "sweep",
        "sweep_csv": r.csv,
        "points": plan.points.len(),
        "keys": plan.spec.axes.iter().map(|a| &a.key).collect::<Vec<_>>(),
        "targets": meeting.iter().map(|(name, count, smallest)| json!({
            "name": name,
            "points_met": count,
            "smallest_meeting_point": smallest.map(|i| i + 1),
            "smallest_meeting_inputs": smallest.map(|i| &plan.points[i]),
        })).collect::<Vec<_>>(),
    }));
}
