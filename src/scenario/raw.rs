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
pub use crate::model::mortality::RawMortality;
pub use crate::model::places::{RawDestination, RawRegion};
pub use crate::model::remittances::RawRemittances;
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
    pub policies: BTreeMap<String, RawPolicy>,
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

fn one() -> f64 {
    1.0
}

/// Reference runs that demographers expect beside any projection.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCounterfactual {
    /// Multiplies every international migration hazard and arrival:
    /// 0 gives the zero-migration run, 2 the double-migration run.
    pub international_migration: f64,
}

/// A policy lever. The table's name is its kind unless `kind` says otherwise,
/// so `[policies.domestic_jobs]` needs no `kind` line.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawPolicy {
    DomesticJobs {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        jobs_per_year: f64,
        regions: Option<Vec<String>>,
    },
    RegionalDevelopment {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        regions: Vec<String>,
        #[serde(default)]
        emigration_reduction: f64,
        #[serde(default)]
        outmigration_reduction: f64,
        #[serde(default)]
        wage_increase: f64,
    },
    PreDepartureTraining {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        coverage: f64,
        earnings_premium: f64,
        #[serde(default)]
        formal_share_increase: f64,
    },
    Diversification {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        destinations: BTreeMap<String, RawAgreement>,
    },
    EaeuIntegration {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        destinations: Vec<String>,
        #[serde(default)]
        access: f64,
        #[serde(default = "one")]
        settle_multiplier: f64,
        #[serde(default = "one")]
        return_multiplier: f64,
    },
    EntryBans {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        destinations: Vec<String>,
        access: f64,
        #[serde(default = "one")]
        return_multiplier: f64,
    },
    RemittanceCost {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        cost_reduction: f64,
        #[serde(default)]
        formal_share_increase: f64,
    },
    DiasporaEngagement {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        settled_remittance_increase: f64,
        #[serde(default = "one")]
        settled_return_multiplier: f64,
    },
    BrainDrainRetention {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        emigration_reduction: f64,
    },
    ReturnReintegration {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        return_multiplier: f64,
    },
    KayrylmanResettlement {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        persons_per_year: f64,
    },
    ForeignLaborQuota {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        quota: f64,
    },
    SkilledImmigration {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        persons_per_year: f64,
    },
    EducationExpansion {
        start: i64,
        end: Option<i64>,
        #[serde(default)]
        ramp_years: f64,
        #[serde(default)]
        p_medium_increase: f64,
        #[serde(default)]
        p_high_increase: f64,
    },
}

/// A bilateral agreement with one destination.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    #[serde(default)]
    pub access: f64,
    pub quota: Option<f64>,
}

/// A dated event: full strength for `duration_years`, then back to nothing in
/// a straight line over `recovery_years`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawShock {
    ExchangeRate {
        destination: String,
        year: i64,
        change: f64,
        #[serde(default = "one")]
        duration_years: f64,
        #[serde(default)]
        recovery_years: f64,
    },
    EntryBan {
        destination: String,
        year: i64,
        access: f64,
        #[serde(default = "one")]
        return_multiplier: f64,
        #[serde(default = "one")]
        duration_years: f64,
        #[serde(default)]
        recovery_years: f64,
    },
    PandemicClosure {
        year: i64,
        emigration_drop: f64,
        #[serde(default)]
        return_change: f64,
        #[serde(default = "one")]
        duration_years: f64,
        #[serde(default)]
        recovery_years: f64,
    },
    EnvironmentalDisaster {
        region: String,
        year: i64,
        outmigration_multiplier: f64,
        #[serde(default = "one")]
        duration_years: f64,
        #[serde(default)]
        recovery_years: f64,
    },
    Sanctions {
        destination: String,
        year: i64,
        wage_change: f64,
        #[serde(default)]
        employment_change: f64,
        #[serde(default = "one")]
        duration_years: f64,
        #[serde(default)]
        recovery_years: f64,
    },
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
