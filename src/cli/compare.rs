//! `migsim compare`, `migsim validate` and `migsim init`.

use super::{EnsembleArgs, Print, targets_json};
use crate::summary;
use migsim::{Error, Scenario};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn compare(
    paths: &[PathBuf],
    out: &Path,
    year: i32,
    markdown: bool,
    print: &Print,
    charts: bool,
    ens: &EnsembleArgs,
) -> Result<ExitCode, Error> {
    let scenarios: Vec<Scenario> = load_all(paths)?;
    migsim::output::generation::check_target(out)?;
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
        ensemble: ens.options(&scenarios[0], print.progress())?,
        keep_draws: false,
    };
    let runs = migsim::compare_and_write(&scenarios, out, year, &opts)?;
    if print.text() {
        let trajectories: Vec<_> = runs.iter().map(|r| r.0.clone()).collect();
        summary::comparison(&scenarios, &trajectories, year, markdown);
        if !markdown {
            summary::say!("wrote {}", out.join("comparison.csv").display());
            for (s, r) in scenarios.iter().zip(&runs) {
                summary::targets(s.name(), &r.1);
            }
        }
    }
    print.emit(json!({
        "command": "compare",
        "out": out,
        "year": year,
        "scenarios": scenarios.iter().zip(&runs).map(|(s, r)| json!({
            "scenario": s.name(),
            "headline": super::headline_json(s, &r.0),
            "in_year": in_year(s, &r.0, &runs[0].0, year),
            "targets": targets_json(s.name(), &r.1),
        })).collect::<Vec<_>>(),
    }));
    Ok(ExitCode::SUCCESS)
}

/// The values the text table prints: each headline indicator in `year`
/// (flows: in the last projected year at most), with its difference from
/// the first scenario, absolute and relative.
fn in_year(s: &Scenario, run: &migsim::Trajectory, first: &migsim::Trajectory, year: i32) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for ind in migsim::batch::HEADLINE {
        let y = if ind.is_flow() {
            year.min(s.model.params.end_year - 1)
        } else {
            year
        };
        let (Some(v), r) = (
            run.get(ind, migsim::Dim::Total, y),
            first.get(ind, migsim::Dim::Total, y),
        ) else {
            continue;
        };
        out.insert(
            ind.name().to_string(),
            json!({
                "year": y,
                "value": super::num(v),
                "difference_from_first": r.map(|r| super::num(v - r)),
                "relative_difference_from_first": r.filter(|r| *r != 0.0).map(|r| super::num(v / r - 1.0)),
            }),
        );
    }
    serde_json::Value::Object(out)
}

/// Loads every file, reporting the problems of all of them together.
fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>, Error> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: Vec<(String, &PathBuf)> = Vec::new();
    for path in paths {
        match Scenario::from_file(path) {
            Ok(s) => {
                // Two scenarios of one name would share rows, legend entries
                // and colours: the comparison could not tell them apart.
                if let Some((_, first)) = seen.iter().find(|(n, _)| n == s.name()) {
                    problems.push(s.problem_at(
                        "scenario.name",
                        format!(
                            "= \"{}\", the name of {} too: a comparison names each scenario once; rename one",
                            s.name(),
                            first.display()
                        ),
                    ));
                }
                seen.push((s.name().to_string(), path));
                out.push(s);
            }
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

pub fn validate(paths: &[PathBuf]) -> Result<ExitCode, Error> {
    let mut problems = Vec::new();
    for path in paths {
        // The central run too: it checks what only a projection can (each
        // target's series and compared scenario, finite values).
        match Scenario::from_file(path).and_then(|s| s.project().map(|_| s)) {
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
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Error::Input(problems))
    }
}

pub fn init(dir: &Path) -> Result<ExitCode, Error> {
    let written = migsim::init::write(dir)?;
    for p in &written {
        summary::say!("wrote {}", p.display());
    }
    summary::say!(
        "next: migsim run {}",
        dir.join("kyrgyzstan").join("my-scenario.toml").display()
    );
    Ok(ExitCode::SUCCESS)
}
