//! From a scenario's raw sections, as serde reads them from any format, to
//! checked `Params`: each section checked by its declaration, names of
//! regions and destinations resolved, targets and policies built; then,
//! once the scenario layer has read the tables the sections name, the whole
//! assembled and its relations checked.

use super::{Bound, Observation, Params, Policy, Reference, Shock, Target};
use crate::declare::{Declared, Named, Problems, Spec, find_name};
use crate::model::dims::{EDU_NAMES, SEX_NAMES, STATUS_LABELS};
use crate::model::levers::{Counterfactual, RawCounterfactual};
use crate::model::{Dim, Indicator};
use crate::params::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The longest projection a scenario may ask for, in years.
pub(crate) const MAX_HORIZON: i64 = 200;

crate::section! {
    /// What the scenario is.
    pub struct Meta (RawMeta) {
        /// The scenario's name; it names the output folder (no slashes).
        name: String {},
        /// One line on what the scenario assumes.
        description: String {} = String::new(),
        /// A parent scenario file whose keys this one inherits and overrides.
        extends: Option<String> {},
        /// The data the scenario's numbers come from, one line each, as its reports list them.
        sources: Vec<String> {} = Vec::new(),
    }
}

crate::section! {
    /// The projection's horizon.
    pub struct Time (RawTime) {
        /// Base year: the stocks are at 1 January of it.
        start: i32 { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
        /// Last year (stocks at 1 January); at most 200 years after `start`.
        end: i32 { unit: "year", min: 1900.0, max: 2500.0, expect: "a year" },
    }
}

crate::section! {
    /// The base year's population tables.
    pub struct Population (RawPopulation) {
        /// Residents by region, sex, education and age (CSV `region,sex,education,age,persons`).
        home_csv: String {},
        /// Kyrgyz-born abroad by origin region, destination, status (temporary, settled, naturalised), sex, education and age (CSV).
        abroad_csv: String {},
    }
}

crate::section! {
    /// Observed figures a backtest is judged against.
    pub struct Backtest (RawBacktest) {
        /// Observed figures (CSV `indicator,dimension,year,value,source`).
        observed_csv: String {},
    }
}

crate::section! {
    /// A measurable target: a bound on one indicator in one year.
    pub struct TargetSpec (RawTarget) {
        /// The target's name, as tables and reports print it.
        name: String {},
        /// The indicator, as in `series.csv` (e.g. `population_abroad`).
        indicator: String {},
        /// A dimension as in `series.csv` (e.g. `destination=russia`); the national total when left out.
        dimension: String {} = String::new(),
        /// The year the bound applies to.
        year: i32 { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
        /// Upper bound (on the value, or on its relative change when a reference is given); a share may be written as a percentage, "15%".
        at_most: Option<crate::declare::Quantity> { unit: "as the indicator", expect: "a number" },
        /// Lower bound (exactly one of `at_most` and `at_least`).
        at_least: Option<crate::declare::Quantity> { unit: "as the indicator", expect: "a number" },
        /// Bound the relative change from this year's value instead of the value.
        relative_to_year: Option<i32> { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
        /// Bound the relative change from another scenario's value in the same year (a path relative to this file).
        relative_to_scenario: Option<String> {},
    }
}

/// Whether `name` can name a folder inside the output folder and nothing
/// else: not empty or blank, at most 100 characters, no slash, backslash or
/// control character (a newline would split a message over lines), and not
/// `.` or `..`, which name the output folder itself or its parent.
pub fn is_folder_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=100).contains(&n)
        && !name.trim().is_empty()
        && name != "."
        && name != ".."
        && !name.chars().any(|ch| ch == '/' || ch == '\\' || ch.is_control())
}

/// A scenario as written, section by section; `U` is whatever the reader
/// keeps of `[uncertainty]` and `[calibration]`, which only the scenario
/// layer reads.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario<U> {
    pub(crate) scenario: RawMeta,
    pub(crate) time: RawTime,
    pub(crate) population: RawPopulation,
    pub(crate) regions: Vec<RawRegion>,
    pub(crate) destinations: Vec<RawDestination>,
    pub(crate) mortality: RawMortality,
    pub(crate) fertility: RawFertility,
    pub(crate) education: RawEducation,
    pub(crate) emigration: RawEmigration,
    pub(crate) returns: RawReturns,
    pub(crate) internal: RawInternal,
    #[serde(default)]
    pub(crate) immigration: Vec<RawImmigration>,
    pub(crate) foreign_workers: RawForeignWorkers,
    pub(crate) economy: RawEconomy,
    pub(crate) remittances: RawRemittances,
    #[serde(default)]
    pub(crate) policies: BTreeMap<String, RawLever>,
    #[serde(default)]
    pub(crate) shocks: Vec<RawShock>,
    #[serde(default)]
    pub(crate) targets: Vec<RawTarget>,
    pub(crate) counterfactual: Option<RawCounterfactual>,
    pub(crate) backtest: Option<RawBacktest>,
    pub uncertainty: Option<U>,
    pub calibration: Option<U>,
}

use crate::model::abroad_exits::RawReturns;
use crate::model::economy::{RawEconomy, RawForeignWorkers};
use crate::model::education::RawEducation;
use crate::model::emigration::RawEmigration;
use crate::model::fertility::RawFertility;
use crate::model::immigration::RawImmigration;
use crate::model::internal::RawInternal;
use crate::model::lever_kinds::RawLever;
use crate::model::mortality::RawMortality;
use crate::model::places::{RawDestination, RawRegion};
use crate::model::remittances::RawRemittances;
use crate::model::shock_kinds::RawShock;

/// The tables a scenario names, read by the scenario layer.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Residents, `[region, sex, education, age]`.
    pub home: Arc<ndarray::Array4<f64>>,
    /// Citizens abroad, `[origin region, destination, status, sex, education, age]`.
    pub abroad: Arc<ndarray::Array6<f64>>,
    /// The naturalised, `[destination, sex, education, age]`.
    pub naturalised: Arc<ndarray::Array4<f64>>,
    /// Death rates by age 0..=100, per sex.
    pub baseline_hazard: [Vec<f64>; 2],
    pub observed: Vec<Observation>,
}

/// Every section checked: what the scenario layer needs to read the tables,
/// and what `with_tables` assembles.
pub struct Checked {
    meta: Meta,
    pub start: i32,
    pub end: i32,
    pub population: Population,
    pub observed_csv: Option<String>,
    international_migration: f64,
    pub region_names: Vec<String>,
    pub dest_names: Vec<String>,
    capital: usize,
    regions: Vec<Region>,
    destinations: Vec<Destination>,
    pub mortality: Mortality,
    fertility: Fertility,
    education: Education,
    emigration: Emigration,
    returns: Returns,
    internal: Internal,
    immigration: Vec<ImmigrantStream>,
    foreign_workers: ForeignWorkers,
    economy: Economy,
    remittances: Remittances,
    policies: Vec<Policy>,
    shocks: Vec<Shock>,
    targets: Vec<Target>,
}

impl Checked {
    /// The checked parameters with their tables; the problems of
    /// `Params::relations` remain to be reported.
    pub fn with_tables(self, t: Tables) -> Params {
        Params {
            name: self.meta.name,
            description: self.meta.description,
            sources: self.meta.sources,
            start_year: self.start,
            end_year: self.end,
            regions: self.regions,
            capital: self.capital,
            destinations: self.destinations,
            home: t.home,
            abroad: t.abroad,
            naturalised: t.naturalised,
            baseline_hazard: t.baseline_hazard,
            mortality: self.mortality,
            fertility: self.fertility,
            education: self.education,
            emigration: self.emigration,
            returns: self.returns,
            internal: self.internal,
            immigration: self.immigration,
            foreign_workers: self.foreign_workers,
            economy: self.economy,
            remittances: self.remittances,
            policies: self.policies,
            shocks: self.shocks,
            targets: self.targets,
            international_migration_scale: self.international_migration,
            observed: t.observed,
            _sealed: crate::declare::SEALED,
        }
    }
}

/// The caller's problems, with the names of this scenario's regions and
/// destinations for the keys that refer to them, and a count.
struct WithNames<'a> {
    inner: &'a mut dyn Problems,
    names: [Vec<String>; 2],
    count: usize,
}

impl Problems for WithNames<'_> {
    fn problem(&mut self, key: &str, message: String) {
        self.count += 1;
        self.inner.problem(key, message);
    }
    fn names(&self, of: Named) -> &[String] {
        &self.names[of as usize]
    }
}

/// Checks every section of `raw`, reporting each problem to `problems`;
/// `None` when there was any.
pub fn check<U>(raw: &RawScenario<U>, problems: &mut dyn Problems) -> Option<Checked> {
    let mut with_names = WithNames {
        inner: problems,
        names: [Vec::new(), Vec::new()],
        count: 0,
    };
    let c = &mut with_names;
    let none = &Spec::NONE;
    let meta = Meta::check(raw.scenario.clone(), "scenario", none, c);
    let population = Population::check(raw.population.clone(), "population", none, c);
    let backtest = raw.backtest.clone().map(|b| Backtest::check(b, "backtest", none, c));
    // Every later check of a year needs the horizon.
    let time = Time::check(raw.time.clone(), "time", none, c)?;
    let (start, end) = (i64::from(time.start), i64::from(time.end));
    if end <= start || end - start > MAX_HORIZON {
        c.problem(
            "time.end",
            format!("= {end}: expected a year after time.start = {start}, at most {MAX_HORIZON} years later"),
        );
    }
    if let Some(m) = &meta
        && !is_folder_name(&m.name)
    {
        c.problem(
            "scenario.name",
            format!(
                "= {:?}: expected 1-100 characters, none a slash or a control character, and not `.` or `..` (it names the output folder)",
                m.name.chars().take(120).collect::<String>()
            ),
        );
    }

    // The sections, each checked by its own declaration.
    let name_of = |name: &Option<String>, i: usize| name.clone().unwrap_or_else(|| i.to_string());
    let region_names: Vec<String> = raw
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| name_of(&r.name, i))
        .collect();
    if region_names.is_empty() {
        c.problem("regions", "expected at least one [[regions]] entry".into());
    }
    check_unique(c, "regions", &region_names);
    c.names[Named::Region as usize] = region_names.clone();
    let capitals: Vec<usize> = raw
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.capital == Some(true))
        .map(|(i, _)| i)
        .collect();
    if capitals.len() != 1 && !region_names.is_empty() {
        c.problem(
            "regions",
            format!("{} regions have `capital = true`; expected exactly one", capitals.len()),
        );
    }
    let regions: Option<Vec<Region>> = raw
        .regions
        .iter()
        .zip(&region_names)
        .map(|(r, n)| Region::check(r.clone(), &format!("regions[{n}]"), none, c))
        .collect();

    let dest_names: Vec<String> = raw
        .destinations
        .iter()
        .enumerate()
        .map(|(i, d)| name_of(&d.name, i))
        .collect();
    if dest_names.is_empty() {
        c.problem("destinations", "expected at least one [[destinations]] entry".into());
    }
    check_unique(c, "destinations", &dest_names);
    c.names[Named::Destination as usize] = dest_names.clone();
    let destinations: Option<Vec<Destination>> = raw
        .destinations
        .iter()
        .zip(&dest_names)
        .map(|(d, n)| Destination::check(d.clone(), &format!("destinations[{n}]"), none, c))
        .collect();

    let mortality = Mortality::check(raw.mortality.clone(), "mortality", none, c);
    let fertility = Fertility::check(raw.fertility.clone(), "fertility", none, c);
    let education = Education::check(raw.education.clone(), "education", none, c);
    let emigration = Emigration::check(raw.emigration.clone(), "emigration", none, c);
    let returns = Returns::check(raw.returns.clone(), "returns", none, c);
    let internal = Internal::check(raw.internal.clone(), "internal", none, c);
    let immigration: Option<Vec<ImmigrantStream>> = raw
        .immigration
        .iter()
        .enumerate()
        .map(|(i, s)| ImmigrantStream::check(s.clone(), &format!("immigration[{i}]"), none, c))
        .collect();
    let foreign_workers = ForeignWorkers::check(raw.foreign_workers.clone(), "foreign_workers", none, c);
    let economy = Economy::check(raw.economy.clone(), "economy", none, c);
    let remittances = Remittances::check(raw.remittances.clone(), "remittances", none, c);

    let horizon = (start, end);
    let names = Names {
        regions: &region_names,
        destinations: &dest_names,
    };
    let policies = raw
        .policies
        .iter()
        .filter_map(|(name, rp)| policy(c, name, rp, &raw.immigration))
        .collect();
    let shocks = raw
        .shocks
        .iter()
        .enumerate()
        .filter_map(|(i, rs)| shock(c, i, rs))
        .collect();
    let targets = raw
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, rt)| target(c, i, rt, &names, horizon))
        .collect();
    let counterfactual = raw
        .counterfactual
        .clone()
        .map(|cf| Counterfactual::check(cf, "counterfactual", none, c));

    if c.count > 0 {
        return None;
    }
    // No problem was reported, so every section is there.
    Some(Checked {
        meta: meta?,
        start: time.start,
        end: time.end,
        population: population?,
        // Absent sections: no observed figures, migration as it is.
        observed_csv: backtest.map_or(Some(None), |b| b.map(|b| Some(b.observed_csv)))?,
        international_migration: counterfactual.map_or(Some(1.0), |c| c.map(|c| c.international_migration))?,
        region_names,
        dest_names,
        capital: capitals[0],
        regions: regions?,
        destinations: destinations?,
        mortality: mortality?,
        fertility: fertility?,
        education: education?,
        emigration: emigration?,
        returns: returns?,
        internal: internal?,
        immigration: immigration?,
        foreign_workers: foreign_workers?,
        economy: economy?,
        remittances: remittances?,
        policies,
        shocks,
        targets,
    })
}

fn check_unique(c: &mut dyn Problems, key: &str, names: &[String]) {
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() {
            c.problem(key, "expected every entry to have a non-empty name".into());
        } else if names[..i].contains(n) {
            c.problem(key, format!("name `{n}` appears twice; expected distinct names"));
        }
    }
}

struct Names<'a> {
    regions: &'a [String],
    destinations: &'a [String],
}

fn policy(c: &mut dyn Problems, name: &str, rp: &RawLever, streams: &[RawImmigration]) -> Option<Policy> {
    let k = format!("policies.{name}");
    let lever = Lever::check(rp.clone(), &k, c)?;
    let timing = lever.timing();
    match &lever {
        Lever::KayrylmanResettlement(_) => need_stream(c, &k, streams, "kayrylman"),
        Lever::SkilledImmigration(_) => need_stream(c, &k, streams, "skilled"),
        _ => {}
    }
    Some(Policy {
        name: name.to_string(),
        timing,
        lever,
    })
}

/// Extra arrivals take their age, sex and education profile from the
/// scenario's own stream of that kind.
fn need_stream(c: &mut dyn Problems, key: &str, streams: &[RawImmigration], kind: &str) {
    if !streams.iter().any(|s| s.kind.as_deref() == Some(kind)) {
        c.problem(
            key,
            format!("needs an [[immigration]] stream of kind `{kind}` for the arrivals' profile"),
        );
    }
}

fn shock(c: &mut dyn Problems, i: usize, rs: &RawShock) -> Option<Shock> {
    ShockEvent::check(rs.clone(), &format!("shocks[{i}]"), c).map(Shock::of)
}

fn target(c: &mut dyn Problems, i: usize, rt: &RawTarget, n: &Names, horizon: (i64, i64)) -> Option<Target> {
    let k = crate::targets::key(i, rt.name.as_deref().unwrap_or(""));
    let rt = TargetSpec::check(rt.clone(), &k, &Spec::NONE, c)?;
    let key = |f: &str| format!("{k}.{f}");
    let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.name()).collect();
    // A former name is read as its successor; the scenario reader warns.
    let given = Indicator::renamed(&rt.indicator).unwrap_or(&rt.indicator);
    let indicator = match find_name(given, &names, "indicator") {
        Ok(i) => Indicator::ALL[i],
        Err(message) => {
            c.problem(&key("indicator"), message);
            return None;
        }
    };
    let dim = match parse_dim(&rt.dimension, n.regions, n.destinations) {
        Ok(d) => d,
        Err(m) => {
            c.problem(&key("dimension"), m);
            return None;
        }
    };
    // Flows exist for start..end-1, stocks for start..end.
    let last = if indicator.is_flow() { horizon.1 - 1 } else { horizon.1 };
    let year_in_range = |c: &mut dyn Problems, field: &str, y: i64| {
        if !(horizon.0..=last).contains(&y) {
            c.problem(
                &key(field),
                format!(
                    "= {y}: expected a year in [{}, {last}], where `{}` is reported",
                    horizon.0,
                    indicator.name()
                ),
            );
        }
        y as i32
    };
    let year = year_in_range(c, "year", i64::from(rt.year));
    let (bound, bound_key) = match (rt.at_most, rt.at_least) {
        (Some(v), None) => (Bound::AtMost(v.0), "at_most"),
        (None, Some(v)) => (Bound::AtLeast(v.0), "at_least"),
        _ => {
            c.problem(&k, "expected exactly one of `at_most` or `at_least`".into());
            return None;
        }
    };
    let absolute = rt.relative_to_year.is_none() && rt.relative_to_scenario.is_none();
    let limit = match bound {
        Bound::AtMost(v) | Bound::AtLeast(v) => v,
    };
    // A share bounded by a number above 1 was almost surely meant in percent.
    if absolute && indicator.unit() == "fraction" && !(0.0..=1.0).contains(&limit) {
        c.problem(
            &key(bound_key),
            format!(
                "= {limit}: `{}` is a fraction (0.25 = 25%); expected a bound in [0, 1], e.g. {} or \"{limit}%\"",
                indicator.name(),
                limit / 100.0
            ),
        );
        return None;
    }
    let reference = match (&rt.relative_to_year, &rt.relative_to_scenario) {
        (None, None) => Reference::Absolute,
        (Some(y), None) => Reference::Year(year_in_range(c, "relative_to_year", i64::from(*y))),
        (None, Some(path)) => Reference::Scenario(path.clone()),
        (Some(_), Some(_)) => {
            c.problem(
                &k,
                "expected at most one of `relative_to_year` or `relative_to_scenario`".into(),
            );
            return None;
        }
    };
    Some(Target {
        name: rt.name.clone(),
        indicator,
        dim,
        year,
        bound,
        reference,
    })
}

/// A dimension as `series.csv` writes it (`destination=russia`; empty for
/// the national total), against the scenario's names.
pub fn parse_dim(text: &str, regions: &[String], destinations: &[String]) -> Result<Dim, String> {
    if text.is_empty() {
        return Ok(Dim::Total);
    }
    let Some((k, v)) = text.split_once('=') else {
        return Err(format!(
            "`{text}`: expected key=value such as destination=russia, or empty for the total"
        ));
    };
    let find = |list: &[&str], what: &str| find_name(v, list, what);
    fn strs(l: &[String]) -> Vec<&str> {
        l.iter().map(String::as_str).collect()
    }
    let kinds: Vec<&str> = ImmigrantKind::ALL.iter().map(|k| k.name()).collect();
    Ok(match k {
        "region" => Dim::Region(find(&strs(regions), "region")?),
        "destination" => Dim::Destination(find(&strs(destinations), "destination")?),
        "sex" => Dim::Sex(find(&SEX_NAMES, "sex")?),
        "education" => Dim::Education(find(&EDU_NAMES, "education level")?),
        "status" => Dim::Status(find(&STATUS_LABELS, "status")?),
        "kind" => Dim::Kind(find(&kinds, "immigrant kind")?),
        "location" => Dim::Location(find(&["abroad", "home"], "location")? == 1),
        "area" if v == "border" => Dim::BorderArea,
        _ => {
            return Err(format!(
                "`{text}`: expected one of region=, destination=, sex=, education=, status=, kind=, location=, area=border"
            ));
        }
    })
}
