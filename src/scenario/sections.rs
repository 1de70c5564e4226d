//! The scenario's own keys, beside the model's: what the scenario is called,
//! its horizon, its tables, its targets and reference runs. Declared like the
//! model's sections (`declare::section!`).

use crate::declare::ParamDoc;

crate::section! {
    /// What the scenario is.
    pub struct Meta (RawMeta) {
        /// The scenario's name; it names the output folder (no slashes).
        name: String {},
        /// One line on what the scenario assumes.
        description: String {} = String::new(),
        /// A parent scenario file whose keys this one inherits and overrides.
        extends: Option<String> {},
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
        /// Citizens abroad by origin region, destination, status, sex, education and age (CSV).
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
        /// Upper bound (on the value, or on its relative change when a reference is given).
        at_most: Option<f64> { unit: "as the indicator", expect: "a number" },
        /// Lower bound (exactly one of `at_most` and `at_least`).
        at_least: Option<f64> { unit: "as the indicator", expect: "a number" },
        /// Bound the relative change from this year's value instead of the value.
        relative_to_year: Option<i32> { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
        /// Bound the relative change from another scenario's value in the same year (a path relative to this file).
        relative_to_scenario: Option<String> {},
    }
}

/// The keys of `[uncertainty]`, read by `scenario::uncertainty`.
fn uncertainty() -> Vec<ParamDoc> {
    let doc = |key: &str, kind, unit, min: Option<f64>, default: Option<&str>, description: &str| ParamDoc {
        key: key.into(),
        kind,
        unit,
        min,
        max: None,
        default: default.map(Into::into),
        description: description.into(),
    };
    vec![
        doc(
            "uncertainty.draws",
            "whole number",
            "draws",
            Some(0.0),
            None,
            "Draws of an ensemble run with --ensemble; 0 switches off an inherited [uncertainty].",
        ),
        doc(
            "uncertainty.seed",
            "whole number",
            "-",
            Some(0.0),
            Some("0"),
            "Seed of the draws (overridden by --seed).",
        ),
        doc(
            "uncertainty.parameters.*",
            "distribution",
            "as the key",
            None,
            None,
            "A dotted key of any number above (year-path knots by year, e.g. `fertility.tfr.2050`) and its distribution: normal, lognormal, beta_scaled, uniform or triangular.",
        ),
        doc(
            "uncertainty.shocks.*.kind",
            "text",
            "",
            None,
            None,
            "A shock kind (see shocks.*) striking at random; its other keys as for that kind, without `year`.",
        ),
        doc(
            "uncertainty.shocks.*.yearly_probability",
            "number",
            "1/year",
            Some(0.0),
            None,
            "Probability that the shock strikes in a given year.",
        ),
    ]
}

/// Every key a scenario can state, in the order of a scenario file.
pub fn reference() -> Vec<ParamDoc> {
    use crate::declare::reference as of;
    use crate::params::*;
    let mut out = Vec::new();
    out.extend(of::<Meta>("scenario"));
    out.extend(of::<Time>("time"));
    out.extend(of::<Population>("population"));
    out.extend(of::<Region>("regions.*"));
    out.extend(of::<Destination>("destinations.*"));
    out.extend(of::<Mortality>("mortality"));
    out.extend(of::<Fertility>("fertility"));
    out.extend(of::<Education>("education"));
    out.extend(of::<Emigration>("emigration"));
    out.extend(of::<Returns>("returns"));
    out.extend(of::<Internal>("internal"));
    out.extend(of::<ImmigrantStream>("immigration.*"));
    out.extend(of::<ForeignWorkers>("foreign_workers"));
    out.extend(of::<Economy>("economy"));
    out.extend(of::<Remittances>("remittances"));
    out.extend(Lever::reference());
    out.extend(ShockEvent::reference());
    out.extend(of::<TargetSpec>("targets.*"));
    out.extend(of::<crate::model::levers::Counterfactual>("counterfactual"));
    out.extend(of::<Backtest>("backtest"));
    out.extend(uncertainty());
    out
}
