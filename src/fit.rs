//! How a projection compares with observed figures (a backtest): the model's
//! value beside each observation, and the relative error.

use crate::model::Trajectory;
use crate::params::Params;

#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    pub indicator: &'static str,
    pub dimension: String,
    pub year: i32,
    pub observed: f64,
    pub model: f64,
    /// `model / observed − 1`; NaN when the observation is 0, written as
    /// an empty cell (no relative error exists).
    pub error: f64,
    pub source: String,
}

pub fn compare(params: &Params, run: &Trajectory) -> Vec<FitRow> {
    params
        .observed
        .iter()
        .filter_map(|o| {
            let model = run.get(o.indicator, o.dim, o.year)?;
            Some(FitRow {
                indicator: o.indicator.name(),
                dimension: o.dim.label(params),
                year: o.year,
                observed: o.value,
                model,
                error: if o.value != 0.0 {
                    model / o.value - 1.0
                } else {
                    f64::NAN
                },
                source: o.source.clone(),
            })
        })
        .collect()
}

pub const HEADER: &str = "indicator,dimension,year,observed,model,error,source";

pub fn to_csv(rows: &[FitRow]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            r.indicator,
            r.dimension,
            r.year,
            r.observed,
            r.model,
            if r.error.is_finite() {
                r.error.to_string()
            } else {
                String::new()
            },
            crate::output::csv_field(&r.source)
        ));
    }
    out
}
