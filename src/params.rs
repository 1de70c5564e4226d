//! Checked parameters: what the model runs on. A `Params` is built only by
//! `scenario::validate` (or by hand in tests), and every value in it has been
//! range-checked, every name resolved to an index. Arrays indexed by sex are
//! `[female, male]`; by education `[low, medium, high]`; by status
//! `[temporary, settled]` (see `model::dims`).

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
pub use crate::model::schedule::AgeSchedule;
pub use crate::model::shock_kinds::ShockEvent;

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
        let found = Self::ALL.iter().find(|k| k.name() == raw).copied();
        if found.is_none() {
            let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
            let hint = crate::declare::did_you_mean(&raw, &names)
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            c.problem(
                key,
                format!("unknown kind `{raw}`{hint}; expected one of {}", names.join(", ")),
            );
        }
        found
    }
    fn show(&self) -> String {
        format!("{:?}", self.name())
    }
}

impl Params {
    pub fn n_years(&self) -> usize {
        (self.end_year - self.start_year) as usize
    }

    /// Sets the number at a dotted key, as `[uncertainty]`, `sweep --set` and
    /// `sensitivity` name it (`destinations.russia.wage_growth`,
    /// `fertility.tfr.2050`, `policies.domestic_jobs.jobs_per_year`), checked
    /// against its declaration like a value read from a file. Regions and
    /// destinations are named by name, immigration streams by kind, policies
    /// by their table's name. `check_relations` must pass afterwards.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        use crate::declare::{Declared, Spec, unknown_key};
        let none = &Spec::NONE;
        let path: Vec<&str> = key.split('.').collect();
        let (first, rest) = path.split_first().expect("split yields at least one part");
        match *first {
            "regions" => {
                let (r, rest) = entry(&mut self.regions, |r| &r.name, rest, "regions")?;
                r.set(rest, value, none)
            }
            "destinations" => {
                let (d, rest) = entry(&mut self.destinations, |d| &d.name, rest, "destinations")?;
                d.set(rest, value, none)
            }
            "immigration" => {
                let Some(&kind) = rest.first() else {
                    return Err("names no stream; expected `immigration.KIND.KEY`".into());
                };
                let of_kind: Vec<usize> = (0..self.immigration.len())
                    .filter(|&i| self.immigration[i].kind.name() == kind)
                    .collect();
                match of_kind[..] {
                    [i] => self.immigration[i].set(&rest[1..], value, none),
                    [] => Err(format!("has no stream of kind `{kind}`")),
                    _ => Err(format!(
                        "has {} streams of kind `{kind}`; a key must name one",
                        of_kind.len()
                    )),
                }
            }
            "policies" => {
                let (p, rest) = entry(&mut self.policies, |p| &p.name, rest, "policies")?;
                p.lever.set(rest, value)?;
                p.timing = p.lever.timing();
                Ok(())
            }
            "mortality" => self.mortality.set(rest, value, none),
            "fertility" => self.fertility.set(rest, value, none),
            "education" => self.education.set(rest, value, none),
            "emigration" => self.emigration.set(rest, value, none),
            "returns" => self.returns.set(rest, value, none),
            "internal" => self.internal.set(rest, value, none),
            "foreign_workers" => self.foreign_workers.set(rest, value, none),
            "economy" => self.economy.set(rest, value, none),
            "remittances" => self.remittances.set(rest, value, none),
            "counterfactual" if rest == ["international_migration"] => {
                let spec = crate::model::levers::Counterfactual::SPECS[0].1;
                self.international_migration_scale.set(&[], value, &spec)
            }
            "scenario" | "time" | "population" | "shocks" | "targets" | "backtest" | "uncertainty" => Err(
                "is fixed for a scenario: only the numbers of its processes, places and policies can be drawn or swept"
                    .into(),
            ),
            other => Err(unknown_key(other, SECTIONS)),
        }
    }
}

impl Params {
    /// What must hold between keys, beyond each key's own range: checked
    /// when a scenario is read and again after numbers are set on it. Each
    /// problem is a key and what is wrong there.
    pub fn relations(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut problem = |key: String, message: String| out.push((key, message));
        let share_sum: f64 = self.destinations.iter().map(|d| d.flow_share).sum();
        if !self.destinations.is_empty() && (share_sum - 1.0).abs() > 1e-3 {
            problem(
                "destinations".into(),
                format!("flow_share values sum to {share_sum:.4}; expected them to sum to 1"),
            );
        }
        let ed = &self.education;
        if ed.age_tertiary <= ed.age_secondary {
            problem(
                "education.age_tertiary".into(),
                format!(
                    "= {}: expected an age above education.age_secondary = {}",
                    ed.age_tertiary, ed.age_secondary
                ),
            );
        }
        let regions: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
        for (i, stream) in self.immigration.iter().enumerate() {
            let k = format!("immigration[{i}]");
            if (stream.education.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
                problem(
                    format!("{k}.education"),
                    "expected shares low + medium + high = 1".into(),
                );
            }
            if let Some(shares) = &stream.regions {
                for name in shares.0.keys().filter(|n| !regions.contains(&n.as_str())) {
                    problem(
                        format!("{k}.regions.{name}"),
                        format!("unknown region; expected one of {}", regions.join(", ")),
                    );
                }
                if (shares.0.values().sum::<f64>() - 1.0).abs() > 1e-6 {
                    problem(format!("{k}.regions"), "expected region shares summing to 1".into());
                }
            }
        }
        let length = f64::from(self.end_year - self.start_year);
        for p in &self.policies {
            let (k, t) = (format!("policies.{}", p.name), p.timing);
            if let Some(e) = t.end
                && e < t.start
            {
                problem(
                    format!("{k}.end"),
                    format!("= {e}: expected a year at or after the policy's start ({})", t.start),
                );
            }
            if t.ramp_years > length {
                problem(
                    format!("{k}.ramp_years"),
                    format!(
                        "= {}: expected years in [0, {length}], the scenario's horizon {}-{}",
                        t.ramp_years, self.start_year, self.end_year
                    ),
                );
            }
        }
        for (i, s) in self.shocks.iter().enumerate() {
            if !(self.start_year..self.end_year).contains(&s.year) {
                problem(
                    format!("shocks[{i}].year"),
                    format!(
                        "= {}: expected a year in [{}, {}], within the projection",
                        s.year,
                        self.start_year,
                        self.end_year - 1
                    ),
                );
            }
        }
        out
    }
}

/// The entry of `items` that the first part of `rest` names, and the rest.
fn entry<'a, 'k, T>(
    items: &'a mut [T],
    name: impl Fn(&T) -> &str,
    rest: &'k [&'k str],
    what: &str,
) -> Result<(&'a mut T, &'k [&'k str]), String> {
    let Some((given, rest)) = rest.split_first() else {
        return Err(format!("names no entry; expected `{what}.NAME.KEY`"));
    };
    let names: Vec<String> = items.iter().map(|i| name(i).to_string()).collect();
    match names.iter().position(|n| n == given) {
        Some(i) => Ok((&mut items[i], rest)),
        None => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Err(crate::declare::unknown_key(given, &names))
        }
    }
}

/// The sections whose numbers `Params::set` reaches.
const SECTIONS: &[&str] = &[
    "regions",
    "destinations",
    "mortality",
    "fertility",
    "education",
    "emigration",
    "returns",
    "internal",
    "immigration",
    "foreign_workers",
    "economy",
    "remittances",
    "policies",
    "counterfactual",
];

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

#[cfg(test)]
mod tests {
    fn tiny() -> super::Params {
        crate::model::tiny_model().params
    }

    #[test]
    fn set_reaches_named_entries_knots_policies_and_whole_numbers() {
        let mut p = tiny();
        p.set("destinations.west.wage_usd", 1600.0).unwrap();
        assert_eq!(p.destinations[1].wage_usd, 1600.0);
        p.set("fertility.tfr.2030", 2.1).unwrap();
        assert_eq!(p.fertility.tfr.at(2030), 2.1);
        p.set("economy.participation.female.high", 0.6).unwrap();
        assert_eq!(p.economy.participation[0][2], 0.6);
        p.set("emigration.age_schedule.peak_age", 26.0).unwrap();
        assert_eq!(p.emigration.age_schedule.peak_age, 26.0);
        p.set("education.age_secondary", 17.0).unwrap();
        assert_eq!(p.education.age_secondary, 17);
        p.set("immigration.kayrylman.age_mean", 30.0).unwrap();
        assert_eq!(p.immigration[0].age_mean, 30.0);
        assert!(p.relations().is_empty());
    }

    #[test]
    fn set_refuses_what_a_file_would_refuse_with_the_same_words() {
        let mut p = tiny();
        let err = |p: &mut super::Params, k: &str, v: f64| p.set(k, v).unwrap_err();
        assert_eq!(
            err(&mut p, "destinations.east.return_rate_temporary", 1.7),
            "= 1.7: expected a yearly rate in [0, 1]"
        );
        assert!(err(&mut p, "emigration.gama", 1.0).contains("did you mean `gamma`?"));
        assert!(err(&mut p, "destinations.esat.wage_usd", 1.0).contains("did you mean `east`?"));
        assert!(err(&mut p, "fertility.tfr", 2.0).contains("name one knot"));
        assert!(err(&mut p, "fertility.tfr.2025", 2.0).contains("no knot at 2025"));
        assert!(err(&mut p, "education.age_secondary", 17.5).contains("whole number"));
        assert!(err(&mut p, "time.end", 2040.0).contains("fixed for a scenario"));
        assert!(err(&mut p, "regions.north.border", 1.0).contains("not a number"));
        p.set("destinations.east.flow_share", 0.5).unwrap();
        let rel = p.relations();
        assert_eq!(rel[0].0, "destinations");
        assert!(rel[0].1.contains("sum to 1"), "{rel:?}");
    }
}
