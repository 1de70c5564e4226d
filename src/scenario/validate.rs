//! From the raw scenario to checked `Params`: ranges, names resolved to
//! indices, tables read. Every problem found is collected, each as one line
//! naming the file, the key and the expected form.

use super::extends::ChainFile;
use super::locate::{did_you_mean, locate};
use super::raw::*;
use super::sections::{Backtest, Meta, Population, TargetSpec, Time};
use super::source::{ReadLog, Source};
use super::tables;
use crate::declare::{Declared, Named, Problems, Spec};
use crate::error::InputProblem;
use crate::model::dims::{EDU_NAMES, SEX_NAMES, STATUS_NAMES};
use crate::model::levers::Counterfactual;
use crate::model::{Dim, Indicator};
use crate::params::*;

use std::path::Path;

const MAX_HORIZON: i64 = 200;

struct Checker<'a> {
    files: &'a [ChainFile],
    problems: Vec<InputProblem>,
    regions: Vec<String>,
    destinations: Vec<String>,
}

impl Problems for Checker<'_> {
    fn problem(&mut self, key: &str, message: String) {
        Checker::problem(self, key, message)
    }
    fn names(&self, of: Named) -> &[String] {
        match of {
            Named::Region => &self.regions,
            Named::Destination => &self.destinations,
        }
    }
}

impl Checker<'_> {
    fn problem(&mut self, key: &str, message: String) {
        let (file, line) = match locate(self.files, key) {
            Some((f, l)) => (f, Some(l)),
            None => (self.files[0].display.clone(), None),
        };
        let mut p = InputProblem::new(file, key, message);
        if let Some(l) = line {
            p = p.at(l.to_string());
        }
        self.problems.push(p);
    }
}

/// The tables a scenario names, once read and checked.
struct Tables {
    home: std::sync::Arc<ndarray::Array4<f64>>,
    abroad: std::sync::Arc<ndarray::Array6<f64>>,
    baseline_hazard: [Vec<f64>; 2],
    observed: Vec<Observation>,
}

pub fn validate(
    raw: RawScenario,
    files: &[ChainFile],
    source: &dyn Source,
    log: &ReadLog,
) -> Result<Params, Vec<InputProblem>> {
    let mut c = Checker {
        files,
        problems: Vec::new(),
        regions: Vec::new(),
        destinations: Vec::new(),
    };

    let none = &Spec::NONE;
    let meta = Meta::check(raw.scenario.clone(), "scenario", none, &mut c);
    let population = Population::check(raw.population.clone(), "population", none, &mut c);
    let backtest = raw
        .backtest
        .clone()
        .map(|b| Backtest::check(b, "backtest", none, &mut c));
    // Every later check of a year needs the horizon.
    let Some(time) = Time::check(raw.time.clone(), "time", none, &mut c) else {
        return Err(c.problems);
    };
    let (start, end) = (i64::from(time.start), i64::from(time.end));
    if end <= start || end - start > MAX_HORIZON {
        c.problem(
            "time.end",
            format!("= {end}: expected a year after time.start = {start}, at most {MAX_HORIZON} years later"),
        );
    }
    if let Some(m) = &meta
        && (m.name.trim().is_empty() || m.name.contains(['/', '\\']))
    {
        c.problem(
            "scenario.name",
            "expected a non-empty name without slashes (it names the output folder)".into(),
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
    check_unique(&mut c, "regions", &region_names);
    c.regions = region_names.clone();
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
        .map(|(r, n)| Region::check(r.clone(), &format!("regions[{n}]"), none, &mut c))
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
    check_unique(&mut c, "destinations", &dest_names);
    c.destinations = dest_names.clone();
    let destinations: Option<Vec<Destination>> = raw
        .destinations
        .iter()
        .zip(&dest_names)
        .map(|(d, n)| Destination::check(d.clone(), &format!("destinations[{n}]"), none, &mut c))
        .collect();

    let mortality = Mortality::check(raw.mortality.clone(), "mortality", none, &mut c);
    let fertility = Fertility::check(raw.fertility.clone(), "fertility", none, &mut c);
    let education = Education::check(raw.education.clone(), "education", none, &mut c);
    let emigration = Emigration::check(raw.emigration.clone(), "emigration", none, &mut c);
    let returns = Returns::check(raw.returns.clone(), "returns", none, &mut c);
    let internal = Internal::check(raw.internal.clone(), "internal", none, &mut c);
    let immigration: Option<Vec<ImmigrantStream>> = raw
        .immigration
        .iter()
        .enumerate()
        .map(|(i, s)| ImmigrantStream::check(s.clone(), &format!("immigration[{i}]"), none, &mut c))
        .collect();
    let foreign_workers = ForeignWorkers::check(raw.foreign_workers.clone(), "foreign_workers", none, &mut c);
    let economy = Economy::check(raw.economy.clone(), "economy", none, &mut c);
    let remittances = Remittances::check(raw.remittances.clone(), "remittances", none, &mut c);

    let horizon = (start, end);
    let names = Names {
        regions: &region_names,
        destinations: &dest_names,
    };
    let policies = raw
        .policies
        .iter()
        .filter_map(|(name, rp)| policy(&mut c, name, rp, &raw.immigration))
        .collect();
    let shocks = raw
        .shocks
        .iter()
        .enumerate()
        .filter_map(|(i, rs)| shock(&mut c, i, rs))
        .collect();
    let targets = raw
        .targets
        .iter()
        .enumerate()
        .filter_map(|(i, rt)| target(&mut c, i, rt, &names, horizon))
        .collect();
    let counterfactual = raw
        .counterfactual
        .clone()
        .map(|cf| Counterfactual::check(cf, "counterfactual", none, &mut c));

    let checked = (
        meta,
        population,
        backtest.unwrap_or(Some(Backtest {
            observed_csv: String::new(),
        })),
        counterfactual.unwrap_or(Some(Counterfactual {
            international_migration: 1.0,
        })),
        regions,
        destinations,
        mortality,
        fertility,
        education,
        emigration,
        returns,
        internal,
        immigration,
        foreign_workers,
        economy,
        remittances,
    );
    let (
        Some(meta),
        Some(population),
        Some(backtest),
        Some(counterfactual),
        Some(regions),
        Some(destinations),
        Some(mortality),
        Some(fertility),
        Some(education),
        Some(emigration),
        Some(returns),
        Some(internal),
        Some(immigration),
        Some(foreign_workers),
        Some(economy),
        Some(remittances),
    ) = checked
    else {
        return Err(c.problems);
    };
    if !c.problems.is_empty() {
        return Err(c.problems);
    }

    // Tables, read only once the names they refer to are known to be sound.
    let tables = read_tables(
        &population,
        &mortality.mx_csv,
        (!backtest.observed_csv.is_empty()).then_some(backtest.observed_csv.as_str()),
        &mut c,
        source,
        log,
        &region_names,
        &dest_names,
        &names,
        horizon,
    )?;
    let Tables {
        home,
        abroad,
        baseline_hazard,
        observed,
    } = tables;

    let params = Params {
        name: meta.name,
        description: meta.description,
        start_year: start as i32,
        end_year: end as i32,
        regions,
        capital: capitals[0],
        destinations,
        home,
        abroad,
        baseline_hazard,
        mortality,
        fertility,
        education,
        emigration,
        returns,
        internal,
        immigration,
        foreign_workers,
        economy,
        remittances,
        policies,
        shocks,
        targets,
        international_migration_scale: counterfactual.international_migration,
        observed,
    };
    for (key, message) in params.relations() {
        c.problem(&key, message);
    }
    if c.problems.is_empty() {
        Ok(params)
    } else {
        Err(c.problems)
    }
}

/// A table that cannot be read is reported against the scenario key naming it.
fn with_key(mut problems: Vec<InputProblem>, c: &Checker, key: &str) -> Vec<InputProblem> {
    let loc = locate(c.files, key);
    for p in &mut problems {
        p.message = format!(
            "{} (named by `{key}`{})",
            p.message,
            loc.as_ref().map(|(f, l)| format!(" in {f}:{l}")).unwrap_or_default()
        );
    }
    problems
}

fn check_unique(c: &mut Checker, key: &str, names: &[String]) {
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

/// Index of `name` in `list`, or a problem with a suggestion.
fn resolve(c: &mut Checker, key: &str, name: &str, list: &[String], what: &str) -> Option<usize> {
    if let Some(i) = list.iter().position(|n| n == name) {
        return Some(i);
    }
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let hint = did_you_mean(name, &refs)
        .map(|m| format!(" (did you mean `{m}`?)"))
        .unwrap_or_default();
    c.problem(
        key,
        format!("unknown {what} `{name}`{hint}; expected one of {}", refs.join(", ")),
    );
    None
}

fn policy(c: &mut Checker, name: &str, rp: &RawLever, streams: &[RawImmigration]) -> Option<Policy> {
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
fn need_stream(c: &mut Checker, key: &str, streams: &[RawImmigration], kind: &str) {
    if !streams.iter().any(|s| s.kind.as_deref() == Some(kind)) {
        c.problem(
            key,
            format!("needs an [[immigration]] stream of kind `{kind}` for the arrivals' profile"),
        );
    }
}

fn shock(c: &mut Checker, i: usize, rs: &RawShock) -> Option<Shock> {
    ShockEvent::check(rs.clone(), &format!("shocks[{i}]"), c).map(Shock::of)
}

/// `destination=russia` and the like, as written in `series.csv`.
fn dimension(c: &mut Checker, key: &str, text: &str, n: &Names) -> Option<Dim> {
    if text.is_empty() {
        return Some(Dim::Total);
    }
    let Some((k, v)) = text.split_once('=') else {
        c.problem(
            key,
            format!("`{text}`: expected key=value such as destination=russia, or empty for the total"),
        );
        return None;
    };
    let fixed = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let kinds: Vec<String> = ImmigrantKind::ALL.iter().map(|k| k.name().to_string()).collect();
    Some(match k {
        "region" => Dim::Region(resolve(c, key, v, n.regions, "region")?),
        "destination" => Dim::Destination(resolve(c, key, v, n.destinations, "destination")?),
        "sex" => Dim::Sex(resolve(c, key, v, &fixed(&SEX_NAMES), "sex")?),
        "education" => Dim::Education(resolve(c, key, v, &fixed(&EDU_NAMES), "education level")?),
        "status" => Dim::Status(resolve(c, key, v, &fixed(&STATUS_NAMES), "status")?),
        "kind" => Dim::Kind(resolve(c, key, v, &kinds, "immigrant kind")?),
        "location" => Dim::Location(resolve(c, key, v, &fixed(&["abroad", "home"]), "location")? == 1),
        "area" if v == "border" => Dim::BorderArea,
        _ => {
            c.problem(key, format!("`{text}`: expected one of region=, destination=, sex=, education=, status=, kind=, location=, area=border"));
            return None;
        }
    })
}

fn target(c: &mut Checker, i: usize, rt: &RawTarget, n: &Names, horizon: (i64, i64)) -> Option<Target> {
    let k = format!("targets[{i}]");
    let rt = TargetSpec::check(rt.clone(), &k, &Spec::NONE, c)?;
    let key = |f: &str| format!("{k}.{f}");
    let indicator = match Indicator::from_name(&rt.indicator) {
        Some(ind) => ind,
        None => {
            let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.name()).collect();
            let hint = did_you_mean(&rt.indicator, &names)
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            c.problem(
                &key("indicator"),
                format!(
                    "unknown indicator `{}`{hint}; expected one of {}",
                    rt.indicator,
                    names.join(", ")
                ),
            );
            return None;
        }
    };
    let dim = dimension(c, &key("dimension"), &rt.dimension, n)?;
    // Flows exist for start..end-1, stocks for start..end.
    let last = if indicator.is_flow() { horizon.1 - 1 } else { horizon.1 };
    let year_in_range = |c: &mut Checker, field: &str, y: i64| {
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
    let bound = match (rt.at_most, rt.at_least) {
        (Some(v), None) => Bound::AtMost(v),
        (None, Some(v)) => Bound::AtLeast(v),
        _ => {
            c.problem(&k, "expected exactly one of `at_most` or `at_least`".into());
            return None;
        }
    };
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

/// Observed figures: columns `indicator,dimension,year,value,source`, each
/// naming a series the model reports, in a year it reports it.
fn observations(
    c: &mut Checker,
    file: &str,
    text: &str,
    n: &Names,
    horizon: (i64, i64),
) -> Result<Vec<Observation>, Vec<InputProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let want = ["indicator", "dimension", "year", "value", "source"];
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if headers != want {
        return Err(vec![InputProblem::new(
            file,
            "",
            format!("expected the header {}", want.join(",")),
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
        };
        let row = format!("row {}", rec.position().map_or(0, |p| p.line()));
        let bad = |col: &str, m: String| InputProblem::new(file, col, m).at(row.clone());
        let Some(indicator) = Indicator::from_name(&rec[0]) else {
            problems.push(bad("indicator", format!("unknown indicator `{}`", &rec[0])));
            continue;
        };
        let before = c.problems.len();
        let dim = dimension(c, "dimension", &rec[1], n);
        if c.problems.len() > before {
            let p = c.problems.pop().expect("just pushed");
            problems.push(bad("dimension", p.message));
            continue;
        }
        let last = if indicator.is_flow() { horizon.1 - 1 } else { horizon.1 };
        let year = match rec[2].parse::<i64>() {
            Ok(y) if (horizon.0..=last).contains(&y) => y as i32,
            _ => {
                problems.push(bad(
                    "year",
                    format!("`{}`: expected a year in [{}, {last}]", &rec[2], horizon.0),
                ));
                continue;
            }
        };
        let value = match rec[3].parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                problems.push(bad("value", format!("`{}` is not a number", &rec[3])));
                continue;
            }
        };
        out.push(Observation {
            indicator,
            dim: dim.expect("no problem was recorded"),
            year,
            value,
            source: rec[4].to_string(),
        });
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

#[allow(clippy::too_many_arguments)]
fn read_tables(
    population: &Population,
    mx_csv: &str,
    observed_csv: Option<&str>,
    c: &mut Checker,
    source: &dyn Source,
    log: &ReadLog,
    region_names: &[String],
    dest_names: &[String],
    names: &Names,
    horizon: (i64, i64),
) -> Result<Tables, Vec<InputProblem>> {
    let read = |path: &str| -> Result<(String, String), Vec<InputProblem>> {
        let p = Path::new(path);
        let shown = source.display(p);
        log.read(source, p)
            .map(|text| (shown.clone(), text))
            .map_err(|why| vec![InputProblem::new(shown, "", format!("cannot read table: {why}"))])
    };
    let (hf, ht) = read(&population.home_csv).map_err(|p| with_key(p, c, "population.home_csv"))?;
    let home = tables::read_home(&hf, &ht, region_names)?;
    let (af, at) = read(&population.abroad_csv).map_err(|p| with_key(p, c, "population.abroad_csv"))?;
    let abroad = tables::read_abroad(&af, &at, region_names, dest_names)?;
    let (mf, mt) = read(mx_csv).map_err(|p| with_key(p, c, "mortality.mx_csv"))?;
    let baseline_hazard = tables::read_mx(&mf, &mt)?;
    let observed = match observed_csv {
        Some(path) => {
            let (of, ot) = read(path).map_err(|p| with_key(p, c, "backtest.observed_csv"))?;
            observations(c, &of, &ot, names, horizon)?
        }
        None => Vec::new(),
    };
    if home.sum() <= 0.0 {
        return Err(vec![InputProblem::new(
            hf,
            "persons",
            "no residents; expected a positive population",
        )]);
    }
    Ok(Tables {
        home: std::sync::Arc::new(home),
        abroad: std::sync::Arc::new(abroad),
        baseline_hazard,
        observed,
    })
}
