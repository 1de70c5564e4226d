//! The scenario file exactly as written: a serde mirror of the TOML with no
//! checks beyond types and known keys. `validate` turns it into `Params`.
//!
//! Every struct denies unknown keys, so a typo is an error, not a silent default.

use serde::Deserialize;

pub use crate::model::abroad_exits::RawReturns;
pub use crate::model::economy::{RawEconomy, RawForeignWorkers};
pub use crate::model::education::RawEducation;
pub use crate::model::emigration::RawEmigration;
pub use crate::model::fertility::RawFertility;
pub use crate::model::immigration::RawImmigration;
pub use crate::model::internal::RawInternal;
pub use crate::model::lever_kinds::RawLever;
pub use crate::model::mortality::RawMortality;
pub use crate::model::places::{RawDestination, RawRegion};
pub use crate::model::remittances::RawRemittances;
pub use crate::model::shock_kinds::RawShock;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawMeta,
    pub time: RawTime,
    pub population: RawPopulation,
    pub regions: Vec<RawRegion>,
    pub destinations: Vec<RawDestination>,
    pub mortality: RawMortality,
    pub fertility: RawFertility,
    pub education: RawEducation,
    pub emigration: RawEmigration,
    pub returns: RawReturns,
    pub internal: RawInternal,
    #[serde(default)]
    pub immigration: Vec<RawImmigration>,
    pub foreign_workers: RawForeignWorkers,
    pub economy: RawEconomy,
    pub remittances: RawRemittances,
    #[serde(default)]
    pub policies: BTreeMap<String, RawLever>,
    #[serde(default)]
    pub shocks: Vec<RawShock>,
    #[serde(default)]
    pub targets: Vec<RawTarget>,
    pub counterfactual: Option<RawCounterfactual>,
    pub backtest: Option<RawBacktest>,
    /// Read by `scenario::uncertainty`; a draw never sees it.
    pub uncertainty: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Consumed by the `extends` merge before deserialisation; kept here so the
    /// key is known.
    #[serde(default)]
    pub extends: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub home_csv: String,
    pub abroad_csv: String,
}

/// Reference runs that demographers expect beside any projection.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCounterfactual {
    /// Multiplies every international migration hazard and arrival:
    /// 0 gives the zero-migration run, 2 the double-migration run.
    pub international_migration: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub name: String,
    pub indicator: String,
    #[serde(default)]
    pub dimension: String,
    pub year: i64,
    pub at_most: Option<f64>,
    pub at_least: Option<f64>,
    pub relative_to_year: Option<i64>,
    pub relative_to_scenario: Option<String>,
}

/// Observed figures a backtest is judged against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBacktest {
    /// Columns `indicator,dimension,year,value,source`.
    pub observed_csv: String,
}
