//! Batches: many scenario files run one after another's failure, each into
//! its own folder, with one table of headline figures for all.

use crate::error::{Error, InputProblem, Result};
use crate::model::{Dim, Indicator, Trajectory};
use crate::params::Params;
use crate::{RunOptions, Scenario};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The series of `batch.csv`, national totals.
pub const HEADLINE: [Indicator; 9] = [
    Indicator::PopulationHome,
    Indicator::PopulationAbroad,
    Indicator::Emigrants,
    Indicator::Returns,
    Indicator::NetMigration,
    Indicator::RemittancesUsd,
    Indicator::RemittancesShareGdp,
    Indicator::TertiaryEmigrationRate,
    Indicator::YouthAbroadShare,
];

/// The years of `batch.csv`: the first, every fifth (2025, 2030, ...), and
/// the last of the scenario's horizon.
pub fn headline_years(p: &Params) -> Vec<i32> {
    let mut years: Vec<i32> = (p.start_year..=p.end_year)
        .filter(|y| *y == p.start_year || *y == p.end_year || y % 5 == 0)
        .collect();
    years.dedup();
    years
}

/// The scenario files named by the arguments: a folder stands for its
/// `*.toml` files, a pattern with `*`, `?` or `[` for the files it matches
/// (both sorted by name); anything else is taken as a file, so that a
/// missing one is reported as that scenario's failure.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for a in args {
        let text = a.to_string_lossy();
        if a.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(a)
                .map_err(|e| Error::input(InputProblem::new(text.to_string(), "", format!("cannot list: {e}"))))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(Error::input(InputProblem::new(
                    text.to_string(),
                    "",
                    "holds no .toml scenario files",
                )));
            }
            out.extend(files);
        } else if text.contains(['*', '?', '[']) {
            let bad = |m: String| Error::input(InputProblem::new(text.to_string(), "", m));
            let mut files: Vec<PathBuf> = glob::glob(&text)
                .map_err(|e| bad(format!("not a valid pattern: {e}")))?
                .filter_map(std::result::Result::ok)
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(bad("matches no file".into()));
            }
            out.extend(files);
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// How one scenario of a batch ended.
pub struct Item {
    pub path: PathBuf,
    /// The scenario's name and output folder when it ran.
    pub done: Option<(String, PathBuf)>,
    pub error: Option<Error>,
    headline: Vec<(Indicator, i32, f64)>,
}

fn headline(p: &Params, run: &Trajectory) -> Vec<(Indicator, i32, f64)> {
    let years = headline_years(p);
    HEADLINE
        .iter()
        .flat_map(|ind| years.iter().map(move |y| (*ind, *y)))
        .filter_map(|(ind, y)| run.get(ind, Dim::Total, y).map(|v| (ind, y, v)))
        .collect()
}

/// Runs every scenario of `paths` into `out/<scenario name>/` and writes
/// `out/batch.csv` for those that ran. A scenario that fails (bad input,
/// duplicate name, unwritable output) is reported in its `Item` and the
/// others run on; only a failure to write `batch.csv` itself is an error.
pub fn run(paths: &[PathBuf], out: &Path, opts: &RunOptions, threads: usize, progress: bool) -> Result<Vec<Item>> {
    let pool = crate::parallel::pool(threads)?;
    let loaded: Vec<Result<Scenario>> = pool.install(|| paths.par_iter().map(|p| Scenario::from_file(p)).collect());
    let mut seen: std::collections::BTreeMap<String, PathBuf> = Default::default();
    let loaded: Vec<Result<Scenario>> = loaded
        .into_iter()
        .zip(paths)
        .map(|(s, path)| {
            let s = s?;
            if let Some(first) = seen.get(s.name()) {
                return Err(Error::input(InputProblem::new(
                    path.display().to_string(),
                    "scenario.name",
                    format!(
                        "= \"{}\", the name of {} too: outputs would overwrite each other; rename one",
                        s.name(),
                        first.display()
                    ),
                )));
            }
            seen.insert(s.name().to_string(), path.clone());
            Ok(s)
        })
        .collect();
    let bar = crate::parallel::progress_bar(progress, paths.len(), "scenarios");
    let items: Vec<Item> = pool.install(|| {
        loaded
            .into_par_iter()
            .zip(paths.par_iter())
            .map(|(s, path)| {
                let result = s.and_then(|s| {
                    let dir = out.join(s.name());
                    let report = crate::run_and_write(&s, &dir, opts)?;
                    Ok((s.name().to_string(), dir, headline(&s.model.params, &report.trajectory)))
                });
                bar.inc(1);
                match result {
                    Ok((name, dir, headline)) => Item {
                        path: path.clone(),
                        done: Some((name, dir)),
                        error: None,
                        headline,
                    },
                    Err(e) => Item {
                        path: path.clone(),
                        done: None,
                        error: Some(e),
                        headline: Vec::new(),
                    },
                }
            })
            .collect()
    });
    bar.finish_and_clear();
    crate::output::atomic::create_dir(out)?;
    crate::output::atomic::write(&out.join("batch.csv"), to_csv(&items).as_bytes())?;
    Ok(items)
}

/// `batch.csv`: `scenario,indicator,year,value`, scenarios in the order
/// given, then the order of `HEADLINE`, then years ascending.
fn to_csv(items: &[Item]) -> String {
    let mut out = String::from("scenario,indicator,year,value\n");
    for item in items {
        if let Some((name, _)) = &item.done {
            for (ind, year, v) in &item.headline {
                out.push_str(&format!(
                    "{},{},{year},{v}\n",
                    crate::output::csv_field(name),
                    ind.name()
                ));
            }
        }
    }
    out
}
