//! A projection and what watches it. `step::advance` only moves the state on
//! by a year; everything a caller wants to keep of the years (the series,
//! the pyramids) is an `Observer`, and the `Guard`, which every projection
//! runs before any other observer, stops it at the first value that is not
//! a finite, non-negative number, naming the year, the process and the
//! parameters that feed it. Without it an overflow (an exponential utility
//! of a wage growing 50% a year, say) would spread NaN silently through
//! every later year.

use super::Model;
use super::census::Census;
use super::dims::{EDU_NAMES, MAX_AGE, N_AGE, N_AGE_GROUPS, N_SEX, SEX_NAMES};
use super::economy::{self, EconomyYear};
use super::indicators::{self, Pyramid, Trajectory};
use super::state::State;
use super::step::{self, Flows};
use crate::params::ImmigrantKind;

/// Something that watches a projection year by year.
pub trait Observer {
    /// The state at 1 January of the start year, before any step.
    fn start(&mut self, _model: &Model, _state: &State) -> Result<(), Halt> {
        Ok(())
    }
    /// The state at 1 January of year `y`, before the year's step (each
    /// year from the start to the end).
    fn stocks(&mut self, _model: &Model, _y: usize, _state: &State) -> Result<(), Halt> {
        Ok(())
    }
    /// Year `y`: its census at 1 January, its economy, and the flows during
    /// it (none for the last year, whose stocks end the projection).
    fn year(
        &mut self,
        model: &Model,
        y: usize,
        census: &Census,
        econ: &EconomyYear,
        flows: Option<&Flows>,
    ) -> Result<(), Halt>;
    /// The state at 1 January of the end year.
    fn end(&mut self, _model: &Model, _state: &State) -> Result<(), Halt> {
        Ok(())
    }
}

/// Runs the model from the base year to the end year, the guard first and
/// then `observers` in turn at each event.
pub fn run(model: &Model, observers: &mut [&mut dyn Observer]) -> Result<(), Halt> {
    let mut guard = Guard;
    let mut state = model.initial_state();
    guard.start(model, &state)?;
    for o in observers.iter_mut() {
        o.start(model, &state)?;
    }
    let mut work = step::Workspace::for_state(&state);
    let mut census = model.census_at_start(&state);
    for y in 0..model.params.n_years() {
        for o in observers.iter_mut() {
            o.stocks(model, y, &state)?;
        }
        let (next, flows) = step::advance(model, y, &mut state, &census, &mut work);
        guard.year(model, y, &census, &flows.economy, Some(&flows))?;
        for o in observers.iter_mut() {
            o.year(model, y, &census, &flows.economy, Some(&flows))?;
        }
        work.recycle(std::mem::replace(&mut census, next).abroad);
    }
    let last = model.params.n_years();
    for o in observers.iter_mut() {
        o.stocks(model, last, &state)?;
    }
    let econ = economy::evaluate(model, last, &state, &model.levers_for(last, &state));
    guard.year(model, last, &census, &econ, None)?;
    for o in observers.iter_mut() {
        o.year(model, last, &census, &econ, None)?;
    }
    guard.end(model, &state)?;
    for o in observers.iter_mut() {
        o.end(model, &state)?;
    }
    Ok(())
}

/// Records every series of `indicators` into a `Trajectory`.
#[derive(Default)]
pub struct SeriesRecorder(pub Trajectory);

impl Observer for SeriesRecorder {
    fn year(
        &mut self,
        model: &Model,
        y: usize,
        census: &Census,
        econ: &EconomyYear,
        flows: Option<&Flows>,
    ) -> Result<(), Halt> {
        indicators::record_stocks(model, y, census, econ, &mut self.0);
        if let Some(f) = flows {
            indicators::record_flows(model, y, census, f, &mut self.0);
        }
        // Every year records as many rows as the first: room for all of
        // them at once, instead of the vector growing and moving its rows.
        if y == 0 {
            self.0.rows.reserve(self.0.rows.len() * model.params.n_years());
        }
        Ok(())
    }
}

/// The age-sex pyramids of the base year and the end year, for charts.
#[derive(Default)]
pub struct PyramidRecorder(pub Vec<Pyramid>);

impl Observer for PyramidRecorder {
    fn start(&mut self, model: &Model, state: &State) -> Result<(), Halt> {
        self.0.push(Pyramid::of(model.params.start_year, state));
        Ok(())
    }
    fn year(&mut self, _: &Model, _: usize, _: &Census, _: &EconomyYear, _: Option<&Flows>) -> Result<(), Halt> {
        Ok(())
    }
    fn end(&mut self, model: &Model, state: &State) -> Result<(), Halt> {
        self.0.push(Pyramid::of(model.params.end_year, state));
        Ok(())
    }
}

/// Residents and citizens abroad by five-year age group and sex at 1
/// January of every year, and emigrants and returns by the same groups
/// during it: the rows `dimension = age=20-24;sex=female`.
#[derive(Default)]
pub struct AgeRecorder(pub Vec<indicators::Row>);

impl AgeRecorder {
    fn push(&mut self, model: &Model, y: usize, indicator: indicators::Indicator, by_sex_age: &[f64]) {
        let year = model.params.start_year + y as i32;
        for s in 0..N_SEX {
            for g in 0..N_AGE_GROUPS {
                let ages = &by_sex_age[s * N_AGE..][..N_AGE];
                let value: f64 = ages[(g * 5).min(MAX_AGE)..((g + 1) * 5).min(N_AGE)].iter().sum();
                self.0.push(indicators::Row {
                    year,
                    indicator,
                    dim: indicators::Dim::AgeSex(g, s),
                    value,
                });
            }
        }
    }
}

impl Observer for AgeRecorder {
    fn stocks(&mut self, model: &Model, y: usize, state: &State) -> Result<(), Halt> {
        self.push(
            model,
            y,
            indicators::Indicator::PopulationHome,
            &super::sums::by_sex_age(state.home_flat()),
        );
        self.push(
            model,
            y,
            indicators::Indicator::PopulationAbroad,
            &super::sums::by_sex_age(state.abroad_flat()),
        );
        Ok(())
    }
    fn year(
        &mut self,
        model: &Model,
        y: usize,
        _: &Census,
        _: &EconomyYear,
        flows: Option<&Flows>,
    ) -> Result<(), Halt> {
        if let Some(f) = flows {
            self.push(model, y, indicators::Indicator::Emigrants, &f.emigrants_by_age);
            self.push(model, y, indicators::Indicator::Returns, &f.returns_by_age);
        }
        Ok(())
    }
}

/// Why a projection stopped: a value that is not a finite, non-negative
/// number.
#[derive(Debug, Clone, PartialEq)]
pub struct Halt {
    pub year: i32,
    /// The process that produced the value, in the words of MODEL.md.
    pub process: &'static str,
    /// What the value is, e.g. `emigrants to destination 2`.
    pub quantity: String,
    pub value: f64,
    /// Scenario keys whose values feed the process.
    pub parameters: &'static [&'static str],
}

impl std::fmt::Display for Halt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the projection stopped in {}: {} gave {} = {}, not a finite non-negative number; \
             parameters involved: {}",
            self.year,
            self.process,
            self.quantity,
            self.value,
            self.parameters.join(", ")
        )
    }
}

impl std::error::Error for Halt {}

/// The finite-value guard. It checks the aggregates the census and the
/// flows already hold, which a single non-finite cell of any stock turns
/// non-finite too, so it costs a few thousand additions a year rather than
/// a pass over every cell.
struct Guard;

/// What feeds each process, for the message.
mod feeds {
    pub const STOCKS: &[&str] = &[
        "population.home_csv",
        "population.abroad_csv",
        "education.*",
        "fertility.*",
    ];
    pub const ECONOMY: &[&str] = &[
        "economy.*",
        "destinations.*.wage_usd",
        "destinations.*.wage_growth",
        "regions.*.wage_index",
        "policies.*",
        "shocks.*",
    ];
    pub const MORTALITY: &[&str] = &["mortality.*", "destinations.*.mortality_factor"];
    pub const EMIGRATION: &[&str] = &[
        "emigration.*",
        "destinations.*.wage_usd",
        "destinations.*.wage_growth",
        "destinations.*.premium",
        "destinations.*.access",
        "destinations.*.flow_share",
        "destinations.*.quota",
        "policies.*",
        "shocks.*",
    ];
    pub const INTERNAL: &[&str] = &["internal.*", "regions.*"];
    pub const RETURNS: &[&str] = &[
        "returns.*",
        "destinations.*.return_rate_temporary",
        "destinations.*.return_rate_settled",
        "destinations.*.settle_rate",
        "emigration.beta_wage",
        "emigration.gamma",
    ];
    pub const NATURALISATION: &[&str] = &[
        "destinations.*.naturalise_rate_temporary",
        "destinations.*.naturalise_rate_settled",
        "destinations.*.return_rate_naturalised",
    ];
    pub const IMMIGRATION: &[&str] = &["immigration.*", "policies.*"];
    pub const FERTILITY: &[&str] = &["fertility.*"];
    pub const REMITTANCES: &[&str] = &[
        "remittances.*",
        "destinations.*.employment_rate",
        "destinations.*.formal_share",
        "destinations.*.transfer_cost",
        "destinations.*.wage_usd",
        "destinations.*.wage_growth",
    ];
}

struct Check {
    year: i32,
}

/// The sum of many cells, for the guard only: a non-finite cell makes it
/// non-finite. Its last bits need not be those of the census' own sums, so
/// it takes eight partial sums whose additions overlap; the four of
/// `sums::sum` left a serial chain of 1,500 vector additions a year.
fn checking_total(x: &[f64]) -> f64 {
    let mut lanes = [0.0; 8];
    let chunks = x.chunks_exact(8);
    let rest: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for (l, v) in lanes.iter_mut().zip(c) {
            *l += v;
        }
    }
    lanes.iter().sum::<f64>() + rest
}

impl Check {
    /// `value` must be finite; `non_negative` also refuses values below 0.
    fn value(
        &self,
        process: &'static str,
        parameters: &'static [&'static str],
        quantity: impl FnOnce() -> String,
        value: f64,
        non_negative: bool,
    ) -> Result<(), Halt> {
        let ok = value.is_finite() && (!non_negative || value >= 0.0);
        if ok {
            return Ok(());
        }
        Err(Halt {
            year: self.year,
            process,
            quantity: quantity(),
            value,
            parameters,
        })
    }

    /// Each of `values`, the `i`th named by `label(i)`.
    fn each(
        &self,
        process: &'static str,
        parameters: &'static [&'static str],
        values: &[f64],
        label: impl Fn(usize) -> String,
    ) -> Result<(), Halt> {
        for (i, &v) in values.iter().enumerate() {
            self.value(process, parameters, || label(i), v, true)?;
        }
        Ok(())
    }
}

impl Observer for Guard {
    fn year(
        &mut self,
        model: &Model,
        y: usize,
        census: &Census,
        econ: &EconomyYear,
        flows: Option<&Flows>,
    ) -> Result<(), Halt> {
        use feeds::*;
        let p = &model.params;
        let c = Check {
            year: p.start_year + y as i32,
        };
        let dest = |d: usize| p.destinations[d].name.clone();
        let region = |r: usize| p.regions[r].name.clone();
        // The stocks at 1 January: what last year's processes left.
        let stocks = "the stocks at 1 January";
        c.each(stocks, STOCKS, &census.home.by_region, |i| {
            format!("residents of region {}", region(i))
        })?;
        let abroad = checking_total(&census.abroad.cells);
        c.value(stocks, STOCKS, || "citizens abroad".into(), abroad, true)?;
        for (d, by_sex) in census.naturalised.iter().enumerate() {
            c.each(stocks, STOCKS, by_sex, |s| {
                format!("the naturalised at destination {}, {}", dest(d), SEX_NAMES[s])
            })?;
        }
        c.value(
            stocks,
            STOCKS,
            || "foreign workers".into(),
            census.foreign_workers,
            true,
        )?;

        let economy = "the economy";
        for (what, v) in [
            ("the home wage in USD", econ.wage_home_usd),
            ("GDP in USD", econ.gdp_usd),
            ("the labour force", econ.labor_force),
            ("employment", econ.employment),
            ("human capital", econ.human_capital),
        ] {
            c.value(economy, ECONOMY, || what.into(), v, true)?;
        }
        c.value(
            economy,
            ECONOMY,
            || "the unemployment rate".into(),
            econ.unemployment_rate,
            false,
        )?;
        c.each(economy, ECONOMY, &econ.wage_dest_usd, |i| {
            format!("the wage in USD at destination {}", dest(i))
        })?;
        c.each(economy, ECONOMY, &econ.wage_region_usd, |i| {
            format!("the wage in USD of region {}", region(i))
        })?;

        let Some(f) = flows else {
            return Ok(());
        };
        // The propensity to leave comes first: it feeds every exit from home,
        // deaths included, through the competing risks.
        let choice = "emigration (destination choice)";
        for (e, &iv) in f.inclusive_value.iter().enumerate() {
            c.value(
                choice,
                EMIGRATION,
                || format!("the inclusive value of education {}", EDU_NAMES[e]),
                iv,
                false,
            )?;
        }
        for (r, push) in f.push.iter().enumerate() {
            c.each("emigration (propensity to leave)", EMIGRATION, push, |e| {
                format!("the push of region {}, education {}", region(r), EDU_NAMES[e])
            })?;
        }
        c.value("mortality", MORTALITY, || "deaths at home".into(), f.deaths_home, true)?;
        c.value("mortality", MORTALITY, || "deaths abroad".into(), f.deaths_abroad, true)?;
        c.each("emigration", EMIGRATION, &f.emigrants_by_dest, |i| {
            format!("emigrants to destination {}", dest(i))
        })?;
        c.each("emigration", EMIGRATION, &f.emigrants_by_edu, |i| {
            format!("emigrants of education level {}", EDU_NAMES[i])
        })?;
        c.each("internal migration", INTERNAL, &f.internal_by_origin, |i| {
            format!("moves out of region {}", region(i))
        })?;
        c.each("returns", RETURNS, &f.returns_by_dest, |i| {
            format!("returns from destination {}", dest(i))
        })?;
        c.value("settlement", RETURNS, || "settlements".into(), f.settlements, true)?;
        c.each("naturalisation", NATURALISATION, &f.naturalisations_by_dest, |i| {
            format!("naturalisations at destination {}", dest(i))
        })?;
        c.each("naturalisation", NATURALISATION, &f.returns_naturalised_by_dest, |i| {
            format!("returns of the naturalised from destination {}", dest(i))
        })?;
        c.each("immigration", IMMIGRATION, &f.immigrants_by_kind, |i| {
            format!("immigrants of kind {}", ImmigrantKind::ALL[i].name())
        })?;
        c.value("fertility", FERTILITY, || "births at home".into(), f.births_home, true)?;
        c.value("fertility", FERTILITY, || "births abroad".into(), f.births_abroad, true)?;
        c.each("remittances", REMITTANCES, &f.remittances.by_dest, |i| {
            format!("remittances from destination {}", dest(i))
        })?;
        c.each("remittances", REMITTANCES, &f.remittances.by_region, |i| {
            format!("remittances to region {}", region(i))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard on the tiny model's start year, with one cell of the
    /// residents set to `value`.
    fn guard_with_home_cell(value: f64) -> Result<(), Halt> {
        let model = crate::model::tiny_model();
        let mut state = model.initial_state();
        state.home[[1, 0, 0, 30]] = value;
        let census = Census::of(&model, &state);
        let econ = economy::evaluate(&model, 0, &state, &model.levers_for(0, &state));
        Guard.year(&model, 0, &census, &econ, None)
    }

    #[test]
    fn a_finite_projection_passes_the_guard() {
        assert!(crate::model::project(&crate::model::tiny_model()).is_ok());
        assert!(guard_with_home_cell(1000.0).is_ok());
    }

    #[test]
    fn one_nan_cell_stops_the_projection_in_its_year_naming_the_region() {
        let halt = guard_with_home_cell(f64::NAN).unwrap_err();
        assert_eq!(halt.year, 2020);
        assert_eq!(halt.process, "the stocks at 1 January");
        assert_eq!(halt.quantity, "residents of region south");
        assert!(halt.value.is_nan());
        assert!(halt.to_string().contains("population.home_csv"), "{halt}");
    }

    #[test]
    fn a_negative_stock_is_refused_too() {
        let halt = guard_with_home_cell(-1e9).unwrap_err();
        assert_eq!((halt.year, halt.process), (2020, "the stocks at 1 January"));
        assert!(halt.value < 0.0);
    }

    /// The inputs that once overflowed the push in 2046 (a wage growing 50%
    /// a year under the steepest responses) now pass the guard every year:
    /// the capped push only makes leaving certain.
    #[test]
    fn the_steepest_allowed_inputs_pass_the_guard_every_year() {
        let mut params = crate::model::tiny_model().params;
        params.end_year = 2080;
        params.destinations[1].wage_growth = crate::year_path::YearPath::constant(0.5);
        params.emigration.beta_wage = 10.0;
        params.emigration.gamma = 10.0;
        let model = crate::model::compile(params).expect("compiles");
        let run = crate::model::project_series(&model).expect("finite every year");
        assert!(
            run.rows
                .iter()
                .all(|r| r.value.is_finite() && r.value >= 0.0 || r.indicator == super::super::Indicator::NetMigration)
        );
        let get = |i, y| run.get(i, super::super::Dim::Total, y).unwrap();
        use super::super::Indicator::{Emigrants, PopulationHome};
        assert!(get(Emigrants, 2060) > 0.9 * get(PopulationHome, 2060));
    }

    #[test]
    fn observers_see_every_year_once_and_the_start_and_end_states() {
        #[derive(Default)]
        struct Count(Vec<usize>, usize, usize);
        impl Observer for Count {
            fn start(&mut self, _: &Model, _: &State) -> Result<(), Halt> {
                self.1 += 1;
                Ok(())
            }
            fn year(
                &mut self,
                _: &Model,
                y: usize,
                _: &Census,
                _: &EconomyYear,
                f: Option<&Flows>,
            ) -> Result<(), Halt> {
                assert_eq!(f.is_none(), y == 10, "only the last year has no flows");
                self.0.push(y);
                Ok(())
            }
            fn end(&mut self, _: &Model, _: &State) -> Result<(), Halt> {
                self.2 += 1;
                Ok(())
            }
        }
        let mut count = Count::default();
        run(&crate::model::tiny_model(), &mut [&mut count]).unwrap();
        assert_eq!(count.0, (0..=10).collect::<Vec<_>>());
        assert_eq!((count.1, count.2), (1, 1));
    }
}
