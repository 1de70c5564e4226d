//! The scenario file exactly as written: a serde mirror of the TOML with no
//! checks beyond types and known keys. `validate` turns it into `Params`.
//!
//! Every struct denies unknown keys, so a typo is an error, not a silent default.

use crate::year_path::YearPath;
use serde::Deserialize;
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub name: String,
    #[serde(default)]
    pub capital: bool,
    #[serde(default)]
    pub border: bool,
    pub lat: f64,
    pub lon: f64,
    pub wage_index: YearPath,
    pub unemployment_rate: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDestination {
    pub name: String,
    pub wage_usd: f64,
    pub wage_growth: YearPath,
    pub premium: RawByEducation,
    #[serde(default = "zero_path")]
    pub access: YearPath,
    pub flow_share: f64,
    #[serde(default)]
    pub quota: Option<YearPath>,
    pub return_rate_temporary: f64,
    pub return_rate_settled: f64,
    pub settle_rate: f64,
    pub employment_rate: f64,
    pub formal_share: f64,
    pub transfer_cost: YearPath,
    #[serde(default = "one")]
    pub mortality_factor: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawByEducation {
    pub low: f64,
    pub medium: f64,
    pub high: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBySex<T> {
    pub female: T,
    pub male: T,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMortality {
    pub mx_csv: String,
    pub e0_female: YearPath,
    pub e0_male: YearPath,
    #[serde(default = "one")]
    pub abroad_factor: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFertility {
    pub tfr: YearPath,
    pub mean_age: f64,
    pub sd_age: f64,
    #[serde(default = "default_srb")]
    pub sex_ratio_at_birth: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEducation {
    #[serde(default = "default_age_secondary")]
    pub age_secondary: i64,
    #[serde(default = "default_age_tertiary")]
    pub age_tertiary: i64,
    pub p_medium_female: YearPath,
    pub p_medium_male: YearPath,
    pub p_high_female: YearPath,
    pub p_high_male: YearPath,
    #[serde(default)]
    pub brain_gain: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgeSchedule {
    pub peak_age: f64,
    pub rise: f64,
    pub fall: f64,
    pub child_level: f64,
    pub child_rate: f64,
    pub floor: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmigration {
    pub base_outflow: f64,
    pub female_relative: f64,
    pub education_relative: RawByEducation,
    pub beta_wage: f64,
    pub beta_network: f64,
    pub gamma: f64,
    pub delta_unemployment: f64,
    pub quota_spillover: f64,
    pub age_schedule: RawAgeSchedule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReturns {
    pub kappa: f64,
    pub capital_share: f64,
    pub education_relative: RawByEducation,
    pub settle_education_relative: RawByEducation,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInternal {
    pub base_moves: f64,
    pub population_exponent: f64,
    pub distance_exponent: f64,
    pub beta_wage: f64,
    pub age_schedule: RawAgeSchedule,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImmigration {
    pub kind: String,
    pub persons: YearPath,
    pub age_mean: f64,
    pub age_sd: f64,
    pub female_share: f64,
    pub education: RawByEducation,
    #[serde(default)]
    pub regions: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForeignWorkers {
    pub initial: f64,
    pub mean_stay_years: f64,
    pub quota: YearPath,
    pub fill_rate: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomy {
    pub wage_home_usd: f64,
    pub wage_growth: YearPath,
    pub labor_elasticity: f64,
    pub jobs_growth: YearPath,
    pub gdp_usd: f64,
    pub tfp_growth: YearPath,
    pub alpha_labor: f64,
    pub alpha_human: f64,
    pub participation: RawBySex<RawByEducation>,
    pub education_weight: RawByEducation,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRemittances {
    #[serde(default)]
    pub base_year_usd: Option<f64>,
    pub share_temporary: RawByEducation,
    pub share_settled: RawByEducation,
    pub formal_elasticity: f64,
}

fn one() -> f64 {
    1.0
}
fn zero_path() -> YearPath {
    YearPath::constant(0.0)
}
fn default_srb() -> f64 {
    1.05
}
fn default_age_secondary() -> i64 {
    18
}
fn default_age_tertiary() -> i64 {
    22
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
