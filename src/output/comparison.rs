//! `comparison.csv`: every indicator of every scenario, with its difference
//! from the first scenario (the reference) for the same year, indicator and
//! dimension.

use super::csv_field;
use crate::model::{Model, Trajectory};
use std::collections::HashMap;

pub const HEADER: &str = "scenario,year,indicator,dimension,value,difference_from_first,unit";

pub fn to_csv(runs: &[(&Model, &Trajectory)]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let Some((first_model, first_run)) = runs.first() else {
        return out;
    };
    let reference: HashMap<(i32, &str, String), f64> = first_run
        .rows
        .iter()
        .map(|r| ((r.year, r.indicator.name(), r.dim.label(&first_model.params)), r.value))
        .collect();
    for (model, run) in runs {
        let name = csv_field(&model.params.name);
        for row in run.sorted() {
            let dim = row.dim.label(&model.params);
            let diff = reference
                .get(&(row.year, row.indicator.name(), dim.clone()))
                .map(|r| (row.value - r).to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{name},{},{},{dim},{},{diff},{}\n",
                row.year,
                row.indicator.name(),
                row.value,
                row.indicator.unit()
            ));
        }
    }
    out
}
