//! `series.csv`: one row per scenario, year, indicator, dimension and statistic
//! (DESIGN.md section 7), in a fixed column order.

use super::csv_field;
use crate::model::Trajectory;
use crate::params::Params;

pub const HEADER: &str = "scenario,year,indicator,dimension,statistic,value";

/// The CSV text of a deterministic run (`statistic = central`).
pub fn to_csv(params: &Params, traj: &Trajectory) -> String {
    let mut out = String::with_capacity(traj.rows.len() * 64);
    out.push_str(HEADER);
    out.push('\n');
    let name = csv_field(&params.name);
    for row in traj.sorted() {
        // `{}` on f64 prints the shortest text that reads back to the same
        // number: exact and byte-stable.
        out.push_str(&format!(
            "{name},{},{},{},central,{}\n",
            row.year,
            row.indicator.name(),
            row.dim.label(params),
            row.value
        ));
    }
    out
}
