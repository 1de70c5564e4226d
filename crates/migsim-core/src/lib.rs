//! # migsim-core — the simulation core of migsim
//!
//! Checked parameters in, projected series out; no files, no TOML, no
//! printing, no plotting. The `migsim` crate reads scenarios and writes
//! outputs around it.
//!
//! - `declare`: how a parameter is declared once, beside its process
//!   (`section!`), and so read, checked, set by key and documented.
//! - `model::params` (also `params`): a scenario's checked parameters,
//!   assembled from the sections its processes declare (`check`, then
//!   `Checked::with_tables`), with `set` for draws and `relations` for what
//!   must hold between keys.
//! - `model`: one file per process, `compile` (calibration), the in-place
//!   yearly `step`, the projection with its observers (`observe`) and the
//!   `indicators` it records.
//! - `targets`: whether a projection meets a scenario's targets.

// Loops over axis indices (`for s in 0..N_SEX`) name the axis they walk in
// several arrays at once; iterator chains would hide which axis is which.
#![allow(clippy::needless_range_loop)]
#![deny(unsafe_code)]

pub mod declare;
pub mod error;
pub mod model;
pub mod targets;
pub mod year_path;

/// The checked parameters live in the model, beside the processes that
/// declare them; `params` names them at the top for readers of the model.
pub use model::params;

pub use error::{Error, InputProblem, Result};
pub use model::{Dim, Indicator, Model, Trajectory};
pub use params::Params;
pub use targets::TargetResult;
