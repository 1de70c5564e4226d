//! The commands behind `main.rs`: each reads its arguments, calls the
//! library and prints a summary, as text for people or JSON for scripts.

pub mod batch;
pub mod calibrate;
pub mod compare;
pub mod discover;
pub mod merge;
pub mod optimize;
pub mod run;
pub mod sensitivity;
pub mod sweep;

use migsim::input::command_line;
use migsim::{Error, Scenario, TargetResult};
use serde_json::{Value, json};

/// What a command prints on standard output.
#[derive(clap::Args, Clone)]
pub struct Print {
    /// Print nothing but errors
    #[arg(long, short)]
    pub quiet: bool,
    /// Summary on standard output: text, or one JSON document for scripts
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

impl Print {
    pub fn json(&self) -> bool {
        self.format == "json"
    }

    /// Text summaries are for people: not with --quiet, not with JSON.
    pub fn text(&self) -> bool {
        !self.quiet && !self.json()
    }

    /// Progress bars go to standard error unless --quiet.
    pub fn progress(&self) -> bool {
        !self.quiet
    }

    /// Prints the JSON summary when asked (even with --quiet: a script that
    /// asked for JSON wants it).
    pub fn emit(&self, v: Value) {
        if self.json() {
            crate::summary::say!("{}", serde_json::to_string_pretty(&v).expect("plain data"));
        }
    }
}

/// `migsim params`: the reference of every declared key.
pub fn params(format: &str) -> Result<std::process::ExitCode, Error> {
    use migsim::output::reference;
    let docs = migsim::scenario::sections::reference();
    let text = match format {
        "json" => reference::json(&docs) + "\n",
        "markdown" => reference::markdown(&docs),
        _ => reference::text(&docs),
    };
    crate::summary::say!("{}", text.trim_end());
    Ok(std::process::ExitCode::SUCCESS)
}

/// More threads than this would only cost memory: each has its own stack.
const MAX_THREADS: usize = 1024;

/// `--threads`, defaulting to every core.
pub fn threads(given: Option<usize>) -> Result<usize, Error> {
    match given {
        Some(n) if !(1..=MAX_THREADS).contains(&n) => Err(command_line(
            "--threads",
            format!("= {n}: expected a number of threads in [1, {MAX_THREADS}]"),
        )),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

pub fn shard(given: &Option<String>) -> Result<Option<migsim::shard::Slice>, Error> {
    given
        .as_deref()
        .map(|s| migsim::shard::Slice::parse(s).map_err(|m| command_line("--shard", m)))
        .transpose()
}

/// Monte Carlo options shared by `run` and `compare`.
#[derive(clap::Args)]
pub struct EnsembleArgs {
    /// Run a Monte Carlo ensemble of the scenario's [uncertainty], with its `draws`
    #[arg(long)]
    pub ensemble: bool,
    /// Run an ensemble of N draws (implies --ensemble)
    #[arg(long, value_name = "N")]
    pub draws: Option<usize>,
    /// Seed of the draws [default: the scenario's `seed`, else 0]
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Threads for the draws [default: all cores]; results do not depend on it
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// With draws, also summarise the rows by age group and sex (each draw
    /// records them, so draws are slower); a single run always writes them
    #[arg(long)]
    pub ages: bool,
}

impl EnsembleArgs {
    /// A refusal of the number of draws, placed at `[uncertainty] draws`
    /// in the scenario when the number came from there rather than `--draws`.
    pub fn locate_draws(&self, s: &Scenario, e: Error) -> Error {
        match e {
            Error::Input(ps)
                if self.draws.is_none() && ps.len() == 1 && ps[0].file == "command line" && ps[0].key == "draws" =>
            {
                Error::input(s.problem_at("uncertainty.draws", ps[0].message.clone()))
            }
            other => other,
        }
    }

    pub fn options(&self, s: &Scenario, progress: bool) -> Result<Option<migsim::ensemble::Options>, Error> {
        let u = s.uncertainty();
        if !self.ensemble && self.draws.is_none() {
            return Ok(None);
        }
        // Without [uncertainty] every draw equals the central run.
        let draws = self.draws.or(u.map(|u| u.draws)).unwrap_or(100);
        if draws == 0 {
            return Err(command_line("--draws", "= 0: expected at least 1 draw"));
        }
        Ok(Some(migsim::ensemble::Options {
            draws,
            seed: self.seed.or(u.map(|u| u.seed)).unwrap_or(0),
            threads: threads(self.threads)?,
            progress,
            ages: self.ages,
        }))
    }
}

/// A number for JSON: null when not finite (JSON has no NaN).
pub fn num(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

pub fn targets_json(scenario: &str, results: &[TargetResult]) -> Value {
    Value::Array(
        results
            .iter()
            .map(|t| {
                json!({
                    "scenario": scenario,
                    "name": t.name,
                    "indicator": t.indicator,
                    "dimension": t.dimension,
                    "year": t.year,
                    "reference": t.reference,
                    "value": num(t.value),
                    "measured": num(t.measured),
                    "bound": t.bound,
                    "limit": num(t.limit),
                    "met": t.met,
                    "probability_met": t.probability.map(num),
                    "probability_better_than_first": t.probability_better_than_first.map(num),
                })
            })
            .collect(),
    )
}

/// The headline national totals of a run in its first and last years.
pub fn headline_json(s: &Scenario, run: &migsim::Trajectory) -> Value {
    let p = &s.model.params;
    let mut out = serde_json::Map::new();
    for ind in migsim::batch::HEADLINE {
        let series: serde_json::Map<String, Value> = [p.start_year, p.end_year - 1, p.end_year]
            .iter()
            .filter_map(|y| run.get(ind, migsim::Dim::Total, *y).map(|v| (y.to_string(), num(v))))
            .collect();
        out.insert(ind.name().to_string(), Value::Object(series));
    }
    Value::Object(out)
}

/// What a shard run wrote, for any design.
pub fn shard_written(print: &Print, meta: &migsim::shard::Meta, dir: &std::path::Path) {
    if print.text() {
        crate::summary::say!(
            "{} shard {}/{}: points {}-{} of {} written to {}; combine all {} with `migsim merge <their folders> --out DIR`",
            meta.kind,
            meta.shard,
            meta.shards,
            meta.first + 1,
            meta.first + meta.count,
            meta.points,
            dir.display(),
            meta.shards
        );
    }
    print.emit(json!({
        "command": meta.kind,
        "shard": meta.shard,
        "shards": meta.shards,
        "first": meta.first,
        "count": meta.count,
        "points": meta.points,
        "out": dir,
    }));
}
