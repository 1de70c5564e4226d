//! Checked parameters: what the model runs on. Each process declares its
//! section beside its equations (`declare::section!`); a `Params` is built
//! only by `check` and `Checked::with_tables`, so every value in it has been
//! range-checked and every name resolved to an index, and numbers change
//! afterwards through `set`, checked the same way. Arrays indexed by sex are
//! `[female, male]`; by education `[low, medium, high]`; by status
//! `[temporary, settled]` (see `model::dims`).

mod assemble;
mod reference;
mod relations;
mod set;
#[cfg(test)]
pub(crate) mod testing;

// The serde mirrors of the sections are the checks' business (but for the
// one the sealing example in `declare` builds): the reader hands over a
// whole `RawScenario` and gets checked values back.
pub use assemble::{Backtest, Meta, Population, TargetSpec, Time};
pub use assemble::{Checked, RawScenario, Tables, check, parse_dim};
pub use reference::reference;

use ndarray::{Array4, Array6};
use std::sync::Arc;

pub use crate::model::abroad_exits::Returns;
pub use crate::model::economy::{Economy, ForeignWorkers};
pub use crate::model::education::Education;
pub use crate::model::emigration::Emigration;
pub use crate::model::fertility::Fertility;
pub use crate::model::immigration::ImmigrantStream;
pub use crate::model::internal::Internal;
pub use crate::model::lever_kinds::{Agreement, Lever};
pub use crate::model::mortality::Mortality;
pub use crate::model::places::{Destination, Region};
pub use crate::model::remittances::Remittances;
pub use crate::model::schedule::{AgeSchedule, RawAgeSchedule};
pub use crate::model::shock_kinds::{RawShock, ShockEvent};

#[derive(Debug, Clone)]
pub struct Params {
    pub name: String,
    pub description: String,
    /// The data its numbers come from, as the scenario lists them.
    pub sources: Vec<String>,
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
    /// Kyrgyz-born abroad who hold the destination's citizenship at 1
    /// January of the start year, `[destination, sex, education, age]`.
    pub naturalised: Arc<Array4<f64>>,
    /// Baseline death hazard by single year of age 0..=100, per sex, read
    /// from `mortality.mx_csv`; scaled each year to meet the life-expectancy path.
    pub baseline_hazard: [Vec<f64>; 2],
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
    /// Made by `Checked::with_tables` only.
    _sealed: crate::declare::Sealed,
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

impl crate::declare::Declared for ImmigrantKind {
    type Raw = String;
    const KIND: &'static str = "text";
    fn check(raw: String, key: &str, _: &crate::declare::Spec, c: &mut dyn crate::declare::Problems) -> Option<Self> {
        let names = Self::ALL.map(Self::name);
        match crate::declare::find_name(&raw, &names, "kind") {
            Ok(i) => Some(Self::ALL[i]),
            Err(message) => {
                c.problem(key, message);
                None
            }
        }
    }
    fn show(&self) -> String {
        format!("{:?}", self.name())
    }
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
    /// The shock of an event, named by its kind and year.
    pub fn of(event: ShockEvent) -> Shock {
        let (year, duration_years, recovery_years) = event.timing();
        Shock {
            name: format!("{}-{year}", event.kind()),
            year,
            duration_years,
            recovery_years,
            event,
        }
    }

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
