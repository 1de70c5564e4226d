//! Targets (MODEL.md section 5): is an indicator, in a year, within a bound —
//! absolute, relative to a base year, or relative to another scenario?
//!
//! A relative bound is on the relative change: `at_most = -0.2` with
//! `relative_to_year = 2023` means "at least 20% below 2023".

use crate::error::{Error, Result};
use crate::model::Trajectory;
use crate::params::{Bound, Params, Reference, Target};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct TargetResult {
    pub name: String,
    pub indicator: &'static str,
    pub dimension: String,
    pub year: i32,
    /// `absolute`, `year:2023` or `scenario:<path>`.
    pub reference: String,
    pub value: f64,
    pub reference_value: Option<f64>,
    /// What the bound applies to: the value, or its relative change.
    pub measured: f64,
    pub bound: &'static str,
    pub limit: f64,
    pub met: bool,
    /// Share of ensemble draws meeting the target.
    pub probability: Option<f64>,
    /// Share of draws doing better than the first scenario of a comparison.
    pub probability_better_than_first: Option<f64>,
}

/// Evaluates every target of `params` on `run`. `reference_run` projects the
/// scenario a target compares with (called once per distinct path).
pub fn evaluate(
    params: &Params,
    run: &Trajectory,
    mut reference_run: impl FnMut(&str) -> Result<Trajectory>,
) -> Result<Vec<TargetResult>> {
    let mut cache: BTreeMap<String, Trajectory> = BTreeMap::new();
    let mut out = Vec::with_capacity(params.targets.len());
    for (i, t) in params.targets.iter().enumerate() {
        let value = lookup(run, i, t, t.year, "dimension", "this scenario")?;
        let (reference, reference_value) = match &t.reference {
            Reference::Absolute => ("absolute".to_string(), None),
            Reference::Year(y) => (
                format!("year:{y}"),
                Some(lookup(run, i, t, *y, "relative_to_year", "this scenario")?),
            ),
            Reference::Scenario(path) => {
                if !cache.contains_key(path) {
                    let other = reference_run(path).map_err(|e| {
                        problem(
                            i,
                            t,
                            "relative_to_scenario",
                            format!("cannot be used: {}", e.to_string().replace('\n', "; ")),
                        )
                    })?;
                    cache.insert(path.clone(), other);
                }
                let other = lookup(
                    &cache[path],
                    i,
                    t,
                    t.year,
                    "relative_to_scenario",
                    "the compared scenario",
                )?;
                (format!("scenario:{path}"), Some(other))
            }
        };
        let measured = match reference_value {
            None => value,
            Some(r) if r != 0.0 => value / r - 1.0,
            Some(_) => {
                return Err(Error::Runtime(format!(
                    "target `{}`: the reference value of {} is 0, so a relative change is undefined",
                    t.name,
                    t.indicator.name()
                )));
            }
        };
        let (bound, limit, met) = match t.bound {
            Bound::AtMost(v) => ("at_most", v, measured <= v),
            Bound::AtLeast(v) => ("at_least", v, measured >= v),
        };
        out.push(TargetResult {
            name: t.name.clone(),
            indicator: t.indicator.name(),
            dimension: t.dim.label(params),
            year: t.year,
            reference,
            value,
            reference_value,
            measured,
            bound,
            limit,
            met,
            probability: None,
            probability_better_than_first: None,
        });
    }
    Ok(out)
}

/// How problems name target `index`: by its name, which stays the same
/// whichever file of an `extends` chain states it, unless the name cannot
/// sit between brackets.
pub fn key(index: usize, name: &str) -> String {
    if name.is_empty() || name.contains(['[', ']', '"']) {
        format!("targets[{index}]")
    } else {
        format!("targets[{name}]")
    }
}

/// A problem with target `i`, for the scenario reader to place at its file
/// and line (`scenario` stands for the scenario's own file).
fn problem(i: usize, t: &Target, field: &str, message: String) -> Error {
    Error::input(crate::error::InputProblem::new(
        "scenario",
        format!("{}.{field}", key(i, &t.name)),
        message,
    ))
}

/// The target's series in `year` of `run`; a series the run does not report
/// (a dimension the indicator lacks, a year outside the horizon, a region
/// the compared scenario does not have) is a problem with the target's `key`.
fn lookup(run: &Trajectory, i: usize, t: &Target, year: i32, field: &str, whose: &str) -> Result<f64> {
    run.get(t.indicator, t.dim, year).ok_or_else(|| {
        use crate::model::Dim;
        let slices: std::collections::BTreeSet<&str> = run
            .rows
            .iter()
            .filter(|r| r.indicator == t.indicator)
            .filter_map(|r| match r.dim {
                Dim::Total => None,
                Dim::Region(_) => Some("region=NAME"),
                Dim::BorderArea => Some("area=border"),
                Dim::Sex(_) => Some("sex=female|male"),
                Dim::Education(_) => Some("education=low|medium|high"),
                Dim::Destination(_) => Some("destination=NAME"),
                Dim::Status(_) => Some("status=…"),
                Dim::Kind(_) => Some("kind=…"),
                Dim::Location(_) => Some("location=home|abroad"),
                // Not every run records them (an ensemble only when asked),
                // so a target cannot rest on them.
                Dim::AgeSex(..) => None,
            })
            .collect();
        let known = if slices.is_empty() {
            "only its total (no dimension)".to_string()
        } else {
            let v: Vec<&str> = slices.into_iter().collect();
            format!("the total or {}", v.join(", "))
        };
        problem(
            i,
            t,
            field,
            format!(
                "{} has no value for this slice in {year} in {whose}; expected {known}",
                t.indicator.name()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dim, Indicator};

    fn setup(bound: Bound, reference: Reference) -> (Params, Trajectory) {
        let model = crate::model::tiny_model();
        let run = crate::model::project(&model).unwrap();
        let mut p = model.params;
        p.targets = vec![Target {
            name: "t".into(),
            indicator: Indicator::PopulationHome,
            dim: Dim::Total,
            year: 2030,
            bound,
            reference,
        }];
        (p, run)
    }

    #[test]
    fn absolute_bounds_are_met_or_not() {
        let (p, run) = setup(Bound::AtLeast(1.0), Reference::Absolute);
        assert!(evaluate(&p, &run, |_| unreachable!()).unwrap()[0].met);
        let (p, run) = setup(Bound::AtMost(1.0), Reference::Absolute);
        assert!(!evaluate(&p, &run, |_| unreachable!()).unwrap()[0].met);
    }

    #[test]
    fn relative_to_year_measures_the_relative_change() {
        let (p, run) = setup(Bound::AtMost(-0.2), Reference::Year(2020));
        let r = &evaluate(&p, &run, |_| unreachable!()).unwrap()[0];
        let v0 = run.get(Indicator::PopulationHome, Dim::Total, 2020).unwrap();
        assert_eq!(r.reference_value, Some(v0));
        assert!((r.measured - (r.value / v0 - 1.0)).abs() < 1e-15);
        // The fixture's population grows, so "20% below 2020" is not met.
        assert!(r.measured > 0.0 && !r.met);
    }

    #[test]
    fn relative_to_scenario_uses_the_other_run_once() {
        let (p, run) = setup(Bound::AtMost(0.0), Reference::Scenario("other.toml".into()));
        let mut calls = 0;
        let mut other = run.clone();
        for row in &mut other.rows {
            row.value *= 1.1;
        }
        let r = evaluate(&p, &run, |_| {
            calls += 1;
            Ok(other.clone())
        })
        .unwrap();
        assert_eq!(calls, 1);
        assert!((r[0].measured - (1.0 / 1.1 - 1.0)).abs() < 1e-12);
        assert!(r[0].met);
    }
}
