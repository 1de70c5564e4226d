//! `migsim merge`: shard folders of any design combined into the outputs
//! one machine would have written, summarised as that design's command does.

use super::Print;
use migsim::Error;
use migsim::jobs::{self, Merged};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn merge(shards: &[PathBuf], out: &Path, print: &Print, charts: bool) -> Result<ExitCode, Error> {
    match jobs::merge(shards, out, charts)? {
        Merged::Run(run) => super::run::run_written(print, &run.0, &run.1),
        Merged::Sweep(report) => super::sweep::written(print, &report),
        Merged::Sensitivity(report) => super::sensitivity::written(print, &report),
        Merged::Calibration(done) => super::calibrate::written(print, &done.0, &done.1, out, &done.2),
    }
    Ok(ExitCode::SUCCESS)
}
