//! `comparison.csv`: every indicator of every scenario, with its difference
//! from the first scenario (the reference) for the same year, indicator,
//! dimension and statistic, absolute and relative. A deterministic
//! comparison has one statistic, `central`; under ensembles each row of the
//! central run is followed by the mean and quantiles over the draws, each
//! compared with the same statistic of the reference.

use super::csv_field;
use crate::ensemble::{Ensemble, STATISTICS};
use crate::model::Trajectory;
use crate::params::Params;
use std::collections::HashMap;

pub const HEADER: &str =
    "scenario,year,indicator,dimension,statistic,value,difference_from_first,relative_difference_from_first,unit";

/// One scenario of the comparison: its central run and, under an ensemble,
/// its summary.
pub struct Compared<'a> {
    pub params: &'a Params,
    pub run: &'a Trajectory,
    pub ensemble: Option<&'a Ensemble>,
}

/// Every row of a scenario: (year, indicator, dimension, statistic, value).
fn rows(c: &Compared) -> Vec<(i32, &'static str, String, &'static str, f64)> {
    let mut out = Vec::new();
    match c.ensemble {
        None => {
            for r in c.run.sorted() {
                out.push((r.year, r.indicator.name(), r.dim.label(c.params), "central", r.value));
            }
        }
        Some(e) => {
            let mut order: Vec<usize> = (0..e.central.rows.len()).collect();
            order.sort_by_key(|&i| {
                (
                    e.central.rows[i].indicator,
                    e.central.rows[i].dim,
                    e.central.rows[i].year,
                )
            });
            for i in order {
                let r = &e.central.rows[i];
                let (year, ind, dim) = (r.year, r.indicator.name(), r.dim.label(c.params));
                out.push((year, ind, dim.clone(), "central", r.value));
                for (stat, v) in STATISTICS.iter().zip(e.summary[i]) {
                    out.push((year, ind, dim.clone(), stat, v));
                }
            }
        }
    }
    out
}

pub fn to_csv(compared: &[Compared]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let Some(first) = compared.first() else {
        return out;
    };
    let reference: HashMap<(i32, &str, String, &str), f64> = rows(first)
        .into_iter()
        .map(|(y, i, d, s, v)| ((y, i, d, s), v))
        .collect();
    for c in compared {
        let name = csv_field(&c.params.name);
        let units: HashMap<&str, &str> = crate::model::Indicator::ALL
            .iter()
            .map(|i| (i.name(), i.unit()))
            .collect();
        for (year, ind, dim, stat, value) in rows(c) {
            let r = reference.get(&(year, ind, dim.clone(), stat)).copied();
            let diff = r.map(|r| (value - r).to_string()).unwrap_or_default();
            let relative = r
                .filter(|r| *r != 0.0)
                .map(|r| (value / r - 1.0).to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{name},{year},{ind},{},{stat},{value},{diff},{relative},{}\n",
                csv_field(&dim),
                units[ind]
            ));
        }
    }
    out
}
