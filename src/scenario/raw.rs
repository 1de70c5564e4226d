//! The scenario file as serde reads it: the core's raw sections, with
//! `[uncertainty]` kept as a TOML table for `scenario::uncertainty`.

pub use crate::params::RawShock;

pub type RawScenario = crate::params::RawScenario<toml::Table>;
