//! `migsim init DIR`: a starter set of scenario files to edit — the bundled
//! Kyrgyz baseline with its tables, in the same layout as the repository, and
//! a small policy scenario that extends it.

use crate::error::{Error, InputProblem, Result};
use std::path::{Path, PathBuf};

/// The starter policy scenario, written beside the baseline.
pub const STARTER: &str = r#"# A starter scenario: the Kyrgyz baseline with one policy and one target.
# Edit it, then: migsim run kyrgyzstan/my-scenario.toml
# As written the target is narrowly missed; find the jobs programme that meets
# it with: migsim sweep kyrgyzstan/my-scenario.toml
#            --set policies.domestic_jobs.jobs_per_year=20000:40000:5
# Every key of the baseline can be overridden here; see the README for the
# policy levers, shocks, targets and [uncertainty].
[scenario]
name = "my-scenario"
description = "20,000 new jobs a year at home from 2026"
extends = "baseline.toml"

[policies.domestic_jobs]
start = 2026
ramp_years = 3
jobs_per_year = 20000

[[targets]]
name = "citizens abroad in 2040 at least 5% below the baseline"
indicator = "population_abroad"
year = 2040
relative_to_scenario = "baseline.toml"
at_most = -0.05
"#;

/// Writes the starter files into `dir` and returns their paths. Refuses,
/// before writing anything, if any of them exists already.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<(PathBuf, &str)> = crate::scenario::BUNDLED
        .files
        .iter()
        .map(|(path, text)| {
            let rel = Path::new(path).strip_prefix("scenarios").unwrap_or(Path::new(path));
            (dir.join(rel), *text)
        })
        .collect();
    files.push((dir.join("kyrgyzstan").join("my-scenario.toml"), STARTER));
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(Error::input(InputProblem::new(
            "command line",
            "DIR",
            format!(
                "{} exists: init writes only files that are not there yet; give a new folder",
                p.display()
            ),
        )));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            crate::output::atomic::create_dir(parent)?;
        }
        crate::output::atomic::write(path, text.as_bytes())?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
