//! `manifest.json`: the program version, every input file with its SHA-256
//! and the calibrated constants — enough to reproduce a run and
//! to see what it was calibrated to. It holds nothing that changes between
//! runs (no clock), so identical inputs give an identical manifest, whether
//! the draws ran on one machine or were merged from shards.

use crate::model::Model;
use serde::Serialize;

/// The version of the output formats (files, columns, indicator names),
/// raised with every change CHANGELOG.md lists, so that a script can check
/// what it reads. 2: the `unit` columns and `remittances_share_gdp`.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Serialize)]
pub struct Manifest<'a> {
    pub program: &'static str,
    pub version: &'static str,
    pub format_version: u32,
    pub scenario: &'a str,
    pub start_year: i32,
    pub end_year: i32,
    pub inputs: Vec<Input<'a>>,
    pub calibration: Calibration,
    /// 0 for a single deterministic run.
    pub draws: usize,
    pub seed: Option<u64>,
}

#[derive(Serialize)]
pub struct Input<'a> {
    pub path: &'a str,
    pub sha256: &'a str,
}

#[derive(Serialize)]
pub struct Calibration {
    /// Emigration hazard at the peak age, `[female, male][low, medium, high]`.
    pub emigration_level: [[f64; 3]; 2],
    pub internal_gravity_constant: f64,
    /// Destination constants `[destination][low, medium, high]`.
    pub destination_constants: Vec<(String, [f64; 3])>,
}

pub fn build<'a>(model: &'a Model, files: &'a [(String, String)], ensemble: Option<(usize, u64)>) -> Manifest<'a> {
    let p = &model.params;
    Manifest {
        program: "migsim",
        version: env!("CARGO_PKG_VERSION"),
        format_version: FORMAT_VERSION,
        scenario: &p.name,
        start_year: p.start_year,
        end_year: p.end_year,
        inputs: files.iter().map(|(path, sha256)| Input { path, sha256 }).collect(),
        calibration: Calibration {
            emigration_level: model.emigration_level,
            internal_gravity_constant: model.internal_scale,
            destination_constants: p
                .destinations
                .iter()
                .zip(&model.asc)
                .map(|(d, a)| (d.name.clone(), *a))
                .collect(),
        },
        draws: ensemble.map_or(0, |e| e.0),
        seed: ensemble.map(|e| e.1),
    }
}

pub fn to_json(m: &Manifest) -> String {
    serde_json::to_string_pretty(m).expect("a manifest holds only plain data") + "\n"
}
