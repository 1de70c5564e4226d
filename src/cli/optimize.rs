//! `migsim optimize`: the cheapest mix of levers meeting a target with a
//! stated probability.

use super::Print;
use crate::summary;
use migsim::input::command_line;
use migsim::optimize::{self, Lever, Optimum, Spec};
use migsim::{Error, Scenario};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML); it states the target, the levers' policies with
    /// their costs, and the [uncertainty] the probability is taken over
    pub scenario: PathBuf,
    /// The target, by its name in the scenario (or its column name)
    #[arg(long)]
    pub target: String,
    /// Least probability of meeting the target
    #[arg(long, value_name = "P")]
    pub probability: f64,
    /// A policy setting to vary, from its weakest and cheapest value FROM
    /// to TO, e.g. policies.domestic_jobs.jobs_per_year=0:60000; repeat for
    /// a mix of levers
    #[arg(long = "lever", value_name = "KEY=FROM:TO", required = true)]
    pub levers: Vec<String>,
    /// Confidence that the mix's probability is at least P, given the
    /// draws (Wilson lower bound); 0.5 takes the share of draws as it is
    #[arg(long, value_name = "C", default_value_t = 0.9)]
    pub confidence: f64,
    /// Draws every candidate runs on (the same for all)
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub draws: usize,
    /// Seed of the draws [default: the scenario's `seed`, else 0]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Also find the cheapest mix at every probability from 0.50 to 0.95
    /// (front.csv and the front on the chart)
    #[arg(long)]
    pub pareto: bool,
    /// Candidates the search may evaluate per probability
    #[arg(long, value_name = "N", default_value_t = 400)]
    pub max_evaluations: usize,
    /// Threads [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Refused: the search runs one candidate after another
    #[arg(long, value_name = "I/N", hide = true)]
    pub shard: Option<String>,
    /// Skip the PNG chart
    #[arg(long)]
    pub no_charts: bool,
    /// Output folder [default: output/<scenario name>-optimize]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: Print,
}

pub fn optimize(a: Args) -> Result<ExitCode, Error> {
    if let Some(given) = &a.shard {
        return Err(command_line(
            "--shard",
            format!(
                "= {given}: optimize cannot be split over machines, as each candidate depends on the ones before; run it on one machine (its draws use every --threads)"
            ),
        ));
    }
    let levers = a
        .levers
        .iter()
        .map(|t| Lever::parse(t).map_err(|m| command_line("--lever", m)))
        .collect::<Result<Vec<_>, Error>>()?;
    let threads = super::threads(a.threads)?;
    let s = Scenario::from_file(&a.scenario)?;
    let spec = Spec {
        levers,
        target: a.target.clone(),
        probability: a.probability,
        confidence: a.confidence,
        draws: a.draws,
        seed: a.seed.or(s.uncertainty().map(|u| u.seed)).unwrap_or(0),
        pareto: a.pareto,
        max_evaluations: a.max_evaluations,
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-optimize", s.name())));
    migsim::output::generation::check_target(&out)?;
    let o = optimize::optimize(&s, &spec, threads, a.print.progress())?;
    let parent = extends_path(&a.scenario, &out)?;
    let best = o.best().cloned();
    migsim::output::generation::write(&out, |dir| {
        use migsim::output::atomic;
        atomic::write(&dir.join("optimize.csv"), optimize::optimize_csv(&o).as_bytes())?;
        if spec.pareto {
            atomic::write(&dir.join("front.csv"), optimize::front_csv(&o).as_bytes())?;
        }
        if let Some(b) = &best {
            let text = optimize::scenario_toml(&o, s.name(), &parent, b);
            atomic::write(&dir.join("best-mix.toml"), text.as_bytes())?;
        }
        if !a.no_charts {
            chart(&o, dir)?;
        }
        let doc = optimize::report::document(&o, &s, (!a.no_charts).then_some("search.png"));
        migsim::write_report(dir, &doc)
    })?;
    said(&a.print, &o, &out);
    Ok(if best.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The input scenario as the written file's `extends`: relative to the
/// output folder, so the folder and the scenarios can move together, unless
/// they share no folder but the root, where the absolute path says more.
fn extends_path(scenario: &Path, out: &Path) -> Result<String, Error> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|a| migsim::scenario::source::normalize(&a))
            .map_err(|e| Error::Runtime(format!("cannot resolve {}: {e}", p.display())))
    };
    let (scenario, out) = (absolute(scenario)?, absolute(out)?);
    let shared = scenario
        .components()
        .zip(out.components())
        .take_while(|(a, b)| a == b)
        .count();
    if shared <= 1 {
        return Ok(scenario.display().to_string());
    }
    Ok(migsim::scenario::source::relative_to(&scenario, &out)
        .display()
        .to_string())
}

fn chart(o: &Optimum, dir: &Path) -> Result<(), Error> {
    use migsim::output::charts::{draw, optimize as charts};
    let level = &o.levels[0];
    let points: Vec<(f64, f64, bool)> = o
        .candidates
        .iter()
        .map(|c| (c.probability(), c.cost, c.met >= level.required))
        .collect();
    let mut levels: Vec<_> = o.levels.iter().filter_map(|l| l.best).collect();
    levels.sort_by(|a, b| {
        let (x, y) = (&o.candidates[*a], &o.candidates[*b]);
        x.probability()
            .total_cmp(&y.probability())
            .then(x.cost.total_cmp(&y.cost))
    });
    levels.dedup();
    let front: Vec<(f64, f64)> = levels
        .iter()
        .map(|&i| (o.candidates[i].probability(), o.candidates[i].cost))
        .collect();
    let title = format!("cheapest mix for \"{}\" (P ≥ {})", o.target, o.spec.probability);
    let charts_dir = dir.join("charts");
    migsim::output::atomic::create_dir(&charts_dir)?;
    let path = charts_dir.join("search.png");
    draw::png(&path, |root| {
        charts::search(
            root,
            &path,
            &charts::Search {
                title: &title,
                candidates: &points,
                required: level.required as f64 / o.spec.draws as f64,
                required_label: &format!(
                    "required: {} of {} draws (P ≥ {} at confidence {})",
                    level.required, o.spec.draws, o.spec.probability, o.spec.confidence
                ),
                best: level.best,
                front: if o.spec.pareto { &front } else { &[] },
            },
        )
    })
}

fn said(print: &Print, o: &Optimum, out: &Path) {
    let spec = &o.spec;
    let level = &o.levels[0];
    let keyed = |values: &[f64]| -> Vec<(String, f64)> {
        spec.levers
            .iter()
            .map(|l| l.key.clone())
            .zip(values.iter().copied())
            .collect()
    };
    if print.text() {
        if let Some(d) = &o.doubt {
            eprintln!("warning: {d}");
        }
        for key in &o.free {
            eprintln!(
                "warning: {key}: the policy's cost is the same at both ends of the range (it states no cost, or prices programme-years): the search treats it as free"
            );
        }
        summary::say!(
            "{} candidates on draws 0..{} of seed {}; {} of {} draws must meet \"{}\" (probability at least {} at confidence {}); wrote {}",
            o.candidates.len(),
            spec.draws,
            spec.seed,
            level.required,
            spec.draws,
            o.target,
            spec.probability,
            spec.confidence,
            out.join("optimize.csv").display()
        );
        match o.best() {
            Some(b) => {
                summary::say!(
                    "cheapest mix: expected cost USD {:.1} million (discounted; ± {:.1}), {} of {} draws meet the target (P = {:.3} ± {:.3})",
                    b.cost * 1e-6,
                    b.cost_se * 1e-6,
                    b.met,
                    b.draws(),
                    b.probability(),
                    b.probability_se()
                );
                for (k, v) in keyed(&b.values) {
                    summary::say!("  {k} = {}", optimize::report::value(v));
                }
                summary::say!(
                    "as a scenario: {} (check it: migsim run {} --draws {} --seed <another seed>)",
                    out.join("best-mix.toml").display(),
                    out.join("best-mix.toml").display(),
                    spec.draws
                );
            }
            None => {
                let most = o.candidates.iter().map(|c| c.met).max().unwrap_or(0);
                summary::say!(
                    "no mix within the ranges meets the target in {} of {} draws; the most found is {most}: widen the ranges or add levers",
                    level.required,
                    spec.draws
                );
            }
        }
    }
    print.emit(json!({
        "command": "optimize",
        "target": o.target,
        "probability": spec.probability,
        "confidence": spec.confidence,
        "draws": spec.draws,
        "seed": spec.seed,
        "draws_required": level.required,
        "candidates": o.candidates.len(),
        "out": out,
        "free_levers": o.free,
        "doubt": o.doubt,
        "best": o.best().map(|b| json!({
            "levers": keyed(&b.values).into_iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
            "cost_usd": b.cost,
            "cost_usd_se": b.cost_se,
            "draws_met": b.met,
            "probability": b.probability(),
            "probability_se": b.probability_se(),
        })),
        "front": o.levels.iter().map(|l| json!({
            "probability": l.probability,
            "draws_required": l.required,
            "cost_usd": l.best.map(|i| o.candidates[i].cost),
        })).collect::<Vec<_>>(),
    }));
}
