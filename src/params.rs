//! Checked parameters: what the model runs on. A `Params` is built only by
//! `scenario::validate` (or by hand in tests), and every value in it has been
//! range-checked, every name resolved to an index. Arrays indexed by sex are
//! `[female, male]`; by education `[low, medium, high]`; by status
//! `[temporary, settled]` (see `model::dims`).

use crate::year_path::YearPath;
use ndarray::{Array4, Array6};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Params {
    pub name: String,
    pub description: String,
    pub start_year: i32,
    pub end_year: i32,
    pub regions: Vec<Region>,
    /// Index into `regions` of the capital (where a share of returnees settle).
    pub capital: usize,
    pub destinations: Vec<Destination>,
    /// Residents at 1 January of the start year, `[region, sex, education, age]`.
    /// Shared: an ensemble's draws read the same tables, and a model can
    /// tell that a draw starts from its scenario's population by pointer.
    pub home: Arc<Array4<f64>>,
    /// Citizens abroad at 1 January of the start year,
    /// `[origin region, destination, status, sex, education, age]`.
    pub abroad: Arc<Array6<f64>>,
    pub mortality: Mortality,
    pub fertility: Fertility,
    pub education: Education,
    pub emigration: Emigration,
    pub returns: Returns,
    pub internal: Internal,
    pub immigration: Vec<ImmigrantStream>,
    pub foreign_workers: ForeignWorkers,
    pub economy: Economy,
    pub remittances: Remittances,
    pub policies: Vec<Policy>,
    pub shocks: Vec<Shock>,
    pub targets: Vec<Target>,
    /// Multiplies every international migration hazard and arrival (1 normally;
    /// 0 and 2 for the zero- and double-migration reference runs).
    pub international_migration_scale: f64,
    /// Observed values to compare the projection with (a backtest).
    pub observed: Vec<Observation>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub border: bool,
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Regional wage relative to the national home wage.
    pub wage_index: YearPath,
    /// Unemployment rate in the base year, the reference of the push term.
    pub unemployment_rate_base: f64,
}

#[derive(Debug, Clone)]
pub struct Destination {
    pub name: String,
    /// Average monthly wage in the base year, USD.
    pub wage_usd: f64,
    pub wage_growth_per_year: YearPath,
    /// Earnings premium of a migrant of each education level over the average
    /// wage at the destination (negative: deskilling).
    pub premium: [f64; 3],
    /// Access term `A_d(t)` of the utility (visas, bans, agreements), in utils.
    pub access: YearPath,
    /// Share of the base year's emigrants who go here; calibrates `ASC_d`.
    pub flow_share: f64,
    /// Cap on yearly intake from the origin country, persons per year.
    pub quota: Option<YearPath>,
    /// Base return hazards per year, `[temporary, settled]`.
    pub return_hazard: [f64; 2],
    /// Base hazard per year of a temporary migrant becoming settled.
    pub settle_hazard: f64,
    pub employment_rate: f64,
    /// Share of remittances sent through official channels in the base year.
    pub formal_share_base: f64,
    /// Transfer cost as a share of the amount sent.
    pub transfer_cost: YearPath,
    /// Mortality abroad relative to mortality at home.
    pub mortality_factor: f64,
}

#[derive(Debug, Clone)]
pub struct Mortality {
    /// Baseline death hazard by single year of age 0..=100, per sex; scaled each
    /// year to meet the life-expectancy path.
    pub baseline_hazard: [Vec<f64>; 2],
    pub e0: [YearPath; 2],
    pub abroad_factor: f64,
}

#[derive(Debug, Clone)]
pub struct Fertility {
    pub tfr: YearPath,
    pub mean_age: f64,
    pub sd_age: f64,
    /// Boys per girl at birth.
    pub sex_ratio_at_birth: f64,
}

#[derive(Debug, Clone)]
pub struct Education {
    pub age_secondary: usize,
    pub age_tertiary: usize,
    /// Probability of completing secondary at `age_secondary`, per sex.
    pub p_medium: [YearPath; 2],
    /// Probability of completing tertiary at `age_tertiary`, per sex.
    pub p_high: [YearPath; 2],
    /// Brain-gain incentive θ: `p_high · (1 + θ · prospect)`.
    pub brain_gain: f64,
}

/// Rogers–Castro shape: a childhood component and a labour-force component on a
/// floor, normalised by the model so that the labour peak is 1.
#[derive(Debug, Clone, Copy)]
pub struct AgeSchedule {
    pub peak_age: f64,
    /// λ: steepness of the rise to the peak.
    pub rise: f64,
    /// α: rate of the decline after the peak.
    pub fall: f64,
    /// Childhood level at age 0, relative to the labour peak.
    pub child_level: f64,
    pub child_rate: f64,
    pub floor: f64,
}

#[derive(Debug, Clone)]
pub struct Emigration {
    /// Emigrants in the base year; calibrates the level of the hazard.
    pub base_outflow: f64,
    /// Relative propensity `[female, male]`, male = 1 by convention.
    pub sex_relative: [f64; 2],
    pub education_relative: [f64; 3],
    pub beta_wage: f64,
    pub beta_network: f64,
    pub gamma: f64,
    pub delta_unemployment: f64,
    pub quota_spillover: f64,
    pub age_schedule: AgeSchedule,
}

#[derive(Debug, Clone)]
pub struct Returns {
    pub kappa: f64,
    pub capital_share: f64,
    pub education_relative: [f64; 3],
    pub settle_education_relative: [f64; 3],
}

#[derive(Debug, Clone)]
pub struct Internal {
    /// Moves between regions in the base year; calibrates the gravity constant.
    pub base_moves: f64,
    pub population_exponent: f64,
    pub distance_exponent: f64,
    pub beta_wage: f64,
    pub age_schedule: AgeSchedule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImmigrantKind {
    Kayrylman,
    Skilled,
    Refugee,
}

impl ImmigrantKind {
    pub const ALL: [ImmigrantKind; 3] = [Self::Kayrylman, Self::Skilled, Self::Refugee];

    pub fn name(self) -> &'static str {
        match self {
            Self::Kayrylman => "kayrylman",
            Self::Skilled => "skilled",
            Self::Refugee => "refugee",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImmigrantStream {
    pub kind: ImmigrantKind,
    pub persons_per_year: YearPath,
    pub age_mean: f64,
    pub age_sd: f64,
    pub female_share: f64,
    /// Education of arrivals past the age of secondary completion.
    pub education_share: [f64; 3],
    /// Allocation over regions, summing to 1; `None` means by population.
    pub region_share: Option<Vec<f64>>,
}

#[derive(Debug, Clone)]
pub struct ForeignWorkers {
    pub initial: f64,
    pub mean_stay_years: f64,
    pub quota: YearPath,
    /// Share of unfilled jobs that foreign workers fill each year.
    pub fill_rate: f64,
}

#[derive(Debug, Clone)]
pub struct Economy {
    /// National average monthly wage in the base year, USD.
    pub wage_home_usd: f64,
    pub wage_growth_per_year: YearPath,
    /// η: elasticity of the home wage to the labour force.
    pub labor_elasticity: f64,
    pub jobs_growth_per_year: YearPath,
    /// GDP in the base year, current USD.
    pub gdp_usd: f64,
    pub tfp_growth_per_year: YearPath,
    pub alpha_labor: f64,
    pub alpha_human: f64,
    /// Labour-force participation, `[sex][education]`.
    pub participation: [[f64; 3]; 2],
    /// Weight of a worker of each education level in human capital `H`.
    pub education_weight: [f64; 3],
}

#[derive(Debug, Clone)]
pub struct Remittances {
    /// Official receipts in the base year, USD; when set, the shares below are
    /// scaled by one common factor to meet it.
    pub base_year_usd: Option<f64>,
    /// Share of earnings sent home, `[status][education]`.
    pub share: [[f64; 3]; 2],
    /// How strongly the formal share responds to the transfer cost.
    pub formal_elasticity: f64,
}

impl Params {
    pub fn n_years(&self) -> usize {
        (self.end_year - self.start_year) as usize
    }
}

/// When a lever acts: from `start`, reaching full strength linearly over
/// `ramp_years`, until `end` (inclusive) if given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub start: i32,
    pub end: Option<i32>,
    pub ramp_years: f64,
}

impl Timing {
    /// Intensity `I(t)` in [0, 1] (MODEL.md section 5).
    pub fn intensity(&self, year: i32) -> f64 {
        if year < self.start || self.end.is_some_and(|e| year > e) {
            return 0.0;
        }
        if self.ramp_years <= 0.0 {
            return 1.0;
        }
        (f64::from(year - self.start + 1) / self.ramp_years).min(1.0)
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub timing: Timing,
    pub lever: Lever,
}

/// The levers of the Kyrgyz policy debate, each with its mechanism in the
/// model's terms (documented in `model::levers`). Indices refer to
/// `Params::regions` and `Params::destinations`.
#[derive(Debug, Clone)]
pub enum Lever {
    DomesticJobs {
        jobs_per_year: f64,
        regions: Vec<usize>,
    },
    RegionalDevelopment {
        regions: Vec<usize>,
        emigration_reduction: f64,
        outmigration_reduction: f64,
        wage_increase: f64,
    },
    PreDepartureTraining {
        coverage: f64,
        earnings_premium: f64,
        formal_share_increase: f64,
    },
    Diversification {
        agreements: Vec<Agreement>,
    },
    EaeuIntegration {
        destinations: Vec<usize>,
        access: f64,
        settle_multiplier: f64,
        return_multiplier: f64,
    },
    EntryBans {
        destinations: Vec<usize>,
        access: f64,
        return_multiplier: f64,
    },
    RemittanceCost {
        cost_reduction: f64,
        formal_share_increase: f64,
    },
    DiasporaEngagement {
        settled_remittance_increase: f64,
        settled_return_multiplier: f64,
    },
    BrainDrainRetention {
        emigration_reduction: f64,
    },
    ReturnReintegration {
        return_multiplier: f64,
    },
    KayrylmanResettlement {
        persons_per_year: f64,
    },
    ForeignLaborQuota {
        quota: f64,
    },
    SkilledImmigration {
        persons_per_year: f64,
    },
    EducationExpansion {
        p_medium_increase: f64,
        p_high_increase: f64,
    },
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub destination: usize,
    /// Utility shift at full intensity.
    pub access: f64,
    /// Yearly intake cap while the agreement is in force, persons.
    pub quota: Option<f64>,
}

/// A dated event, at full strength for `duration_years` from `year`, then
/// fading linearly to nothing over `recovery_years`.
#[derive(Debug, Clone)]
pub struct Shock {
    pub name: String,
    pub year: i32,
    pub duration_years: f64,
    pub recovery_years: f64,
    pub event: ShockEvent,
}

impl Shock {
    /// Strength in [0, 1] in `year`.
    pub fn strength(&self, year: i32) -> f64 {
        let since = f64::from(year - self.year);
        if since < 0.0 {
            return 0.0;
        }
        if since < self.duration_years {
            return 1.0;
        }
        if self.recovery_years <= 0.0 {
            return 0.0;
        }
        (1.0 - (since - self.duration_years + 1.0) / (self.recovery_years + 1.0)).max(0.0)
    }
}

#[derive(Debug, Clone)]
pub enum ShockEvent {
    /// Destination wages in USD change by `change` (−0.3: a 30% devaluation).
    ExchangeRate {
        destination: usize,
        change: f64,
    },
    EntryBan {
        destination: usize,
        access: f64,
        return_multiplier: f64,
    },
    PandemicClosure {
        emigration_drop: f64,
        return_change: f64,
    },
    EnvironmentalDisaster {
        region: usize,
        outmigration_multiplier: f64,
    },
    Sanctions {
        destination: usize,
        wage_change: f64,
        employment_change: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    AtMost(f64),
    AtLeast(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    /// The bound is on the value itself.
    Absolute,
    /// The bound is on the relative change from this year's value.
    Year(i32),
    /// The bound is on the relative change from another scenario's value in
    /// the same year; the path is as the user gave it, resolved.
    Scenario(String),
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub indicator: crate::model::Indicator,
    pub dim: crate::model::Dim,
    pub year: i32,
    pub bound: Bound,
    pub reference: Reference,
}

/// One observed figure: what the projection should have given.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub indicator: crate::model::Indicator,
    pub dim: crate::model::Dim,
    pub year: i32,
    pub value: f64,
    pub source: String,
}
