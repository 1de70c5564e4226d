//! One number of a run, named on the command line as
//! `indicator@year` or `indicator[dimension]@year`
//! (`population_abroad@2040`, `emigrants[destination=russia]@2035`): the
//! outcomes of a sweep and the output a sensitivity analysis explains.

use crate::model::{Indicator, Trajectory};
use crate::params::Params;

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub indicator: Indicator,
    /// A dimension label as in `series.csv` (`destination=russia`); empty for
    /// the national total.
    pub dimension: String,
    pub year: i32,
}

/// What a run's policies cost (`policy_cost_usd` summed over the
/// projection), as stated and discounted to the base year at
/// `economy.discount_rate`: `(total, discounted)`.
pub fn policy_cost(p: &Params, run: &Trajectory) -> (f64, f64) {
    let r = p.economy.discount_rate;
    run.series(Indicator::PolicyCostUsd, crate::model::Dim::Total)
        .into_iter()
        .fold((0.0, 0.0), |(total, discounted), (year, v)| {
            (total + v, discounted + v / (1.0 + r).powi(year - p.start_year))
        })
}

const FORM: &str = "expected INDICATOR@YEAR or INDICATOR[DIMENSION]@YEAR, e.g. population_abroad@2040";

impl Outcome {
    pub fn parse(s: &str) -> Result<Outcome, String> {
        let (what, year) = s.rsplit_once('@').ok_or_else(|| format!("= {s}: {FORM}"))?;
        let year: i32 = year
            .trim()
            .parse()
            .map_err(|_| format!("= {s}: `{year}` is not a year; {FORM}"))?;
        let (name, dimension) = match what.split_once('[') {
            Some((n, d)) => (
                n,
                d.strip_suffix(']')
                    .ok_or_else(|| format!("= {s}: unclosed `[`; {FORM}"))?
                    .to_string(),
            ),
            None => (what, String::new()),
        };
        Ok(Outcome {
            indicator: indicator(name).map_err(|m| format!("= {s}: {m}"))?,
            dimension,
            year,
        })
    }

    pub fn label(&self) -> String {
        if self.dimension.is_empty() {
            format!("{}@{}", self.indicator.name(), self.year)
        } else {
            format!("{}[{}]@{}", self.indicator.name(), self.dimension, self.year)
        }
    }

    /// Where the outcome is in a run of the scenario `p`, or why it is not
    /// there (a year outside the horizon, a flow in the last year, an unknown
    /// dimension).
    pub fn locate(&self, p: &Params, run: &Trajectory) -> Result<usize, String> {
        let of_indicator = || run.rows.iter().filter(|r| r.indicator == self.indicator);
        if let Some(i) = run
            .rows
            .iter()
            .position(|r| r.indicator == self.indicator && r.year == self.year && r.dim.label(p) == self.dimension)
        {
            return Ok(i);
        }
        let (lo, hi) = of_indicator()
            .map(|r| r.year)
            .fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
        if !(lo..=hi).contains(&self.year) {
            return Err(format!(
                "= {}: {} runs from {lo} to {hi} in this scenario",
                self.label(),
                self.indicator.name()
            ));
        }
        let mut dims: Vec<String> = of_indicator()
            .map(|r| r.dim.label(p))
            .filter(|d| !d.is_empty())
            .collect();
        dims.sort();
        dims.dedup();
        Err(format!(
            "= {}: no such dimension; {} has the national total (no brackets){}",
            self.label(),
            self.indicator.name(),
            if dims.is_empty() {
                String::new()
            } else {
                format!(" and [{}]", dims.join("], ["))
            }
        ))
    }
}

/// An indicator by name, suggesting the nearest one on a typo.
pub fn indicator(name: &str) -> Result<Indicator, String> {
    crate::warn_renamed(name.trim());
    Indicator::from_name(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = Indicator::ALL.iter().map(|i| i.name()).collect();
        match crate::scenario::locate::did_you_mean(name, &names) {
            Some(s) => format!("unknown indicator `{name}`, did you mean `{s}`?"),
            None => format!("unknown indicator `{name}`; one of {}", names.join(", ")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_totals_and_dimensions_and_refuses_typos() {
        let o = Outcome::parse("population_abroad@2040").unwrap();
        assert_eq!(
            (o.indicator, o.dimension.as_str(), o.year),
            (Indicator::PopulationAbroad, "", 2040)
        );
        let d = Outcome::parse("emigrants[destination=russia]@2035").unwrap();
        assert_eq!(d.dimension, "destination=russia");
        assert_eq!(d.label(), "emigrants[destination=russia]@2035");
        assert!(
            Outcome::parse("population_abroda@2040")
                .unwrap_err()
                .contains("population_abroad")
        );
        assert!(Outcome::parse("emigrants").unwrap_err().contains("INDICATOR@YEAR"));
        assert!(Outcome::parse("emigrants@20x0").unwrap_err().contains("not a year"));
    }
}
