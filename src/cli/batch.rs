//! `migsim batch`.

use super::Print;
use crate::summary;
use migsim::Error;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn batch(
    args: &[PathBuf],
    out: &Path,
    print: &Print,
    charts: bool,
    threads: Option<usize>,
) -> Result<ExitCode, Error> {
    let paths = migsim::batch::expand(args)?;
    migsim::output::generation::check_target(out)?;
    let opts = migsim::RunOptions {
        charts,
        ensemble: None,
        keep_draws: false,
    };
    let items = migsim::batch::run(&paths, out, &opts, super::threads(threads)?, print.progress())?;
    let failed: Vec<&migsim::batch::Item> = items.iter().filter(|i| i.error.is_some()).collect();
    if print.text() {
        for item in &items {
            if let Some((name, dir)) = &item.done {
                summary::say!("ok      {} ({name}) -> {}", item.path.display(), dir.display());
            } else {
                summary::say!("FAILED  {}", item.path.display());
            }
        }
        summary::say!(
            "{} of {} scenarios ran; wrote {}",
            items.len() - failed.len(),
            items.len(),
            out.join("batch.csv").display()
        );
    }
    // Every failure on standard error, one line each, whatever the format.
    for item in &failed {
        let e = item.error.as_ref().expect("failed items carry their error");
        let path = item.path.display().to_string();
        for line in e.to_string().lines() {
            // Name the scenario unless the problem already starts with it.
            if line.starts_with(&path) {
                eprintln!("error: {line}");
            } else {
                eprintln!("error: {path}: {line}");
            }
        }
    }
    print.emit(json!({
        "command": "batch",
        "out": out,
        "batch_csv": out.join("batch.csv"),
        "scenarios": items.iter().map(|i| json!({
            "file": i.path,
            "scenario": i.done.as_ref().map(|d| &d.0),
            "out": i.done.as_ref().map(|d| &d.1),
            "ok": i.error.is_none(),
            "error": i.error.as_ref().map(|e| e.to_string()),
        })).collect::<Vec<_>>(),
    }));
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        let names: Vec<String> = failed.iter().map(|i| i.path.display().to_string()).collect();
        eprintln!(
            "error: {} of {} scenarios failed: {}",
            failed.len(),
            items.len(),
            names.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}
