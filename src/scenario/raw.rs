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
pub use crate::model::levers::RawCounterfactual;
pub use crate::model::mortality::RawMortality;
pub use crate::model::places::{RawDestination, RawRegion};
pub use crate::model::remittances::RawRemittances;
pub use crate::model::shock_kinds::RawShock;
pub use crate::scenario::sections::{RawBacktest, RawMeta, RawPopulation, RawTarget, RawTime};
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
