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
    for t in &params.targets {
        let value = lookup(run, t, t.year)?;
        let (reference, reference_value) = match &t.reference {
            Reference::Absolute => ("absolute".to_string(), None),
            Reference::Year(y) => (format!("year:{y}"), Some(lookup(run, t, *y)?)),
            Reference::Scenario(path) => {
                if !cache.contains_key(path) {
                    cache.insert(path.clone(), reference_run(path)?);
                }
                (format!("scenario:{path}"), Some(lookup(&cache[path], t, t.year)?))
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

fn lookup(run: &Trajectory, t: &Target, year: i32) -> Result<f64> {
    run.get(t.indicator, t.dim, year).ok_or_else(|| {
        Error::Runtime(format!(
            "target `{}`: {} has no value in {year} in the compared run (different regions, destinations or years?)",
            t.name,
            t.indicator.name()
        ))
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
