//! `series.csv`: one row per scenario, year, indicator, dimension and statistic
//! (DESIGN.md section 7), in a fixed column order.

use super::csv_field;
use crate::model::Trajectory;
use crate::params::Params;

pub const HEADER: &str = "scenario,year,indicator,dimension,statistic,value,unit";

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
            "{name},{},{},{},central,{},{}\n",
            row.year,
            row.indicator.name(),
            row.dim.label(params),
            row.value,
            row.indicator.unit()
        ));
    }
    out
}

/// The CSV text of an ensemble: for every row of the central run, the central
/// value, then the mean and quantiles over the draws.
pub fn ensemble_csv(params: &Params, e: &crate::ensemble::Ensemble) -> String {
    let rows = &e.central.rows;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].indicator, rows[i].dim, rows[i].year));
    let mut out = String::with_capacity(rows.len() * 7 * 64);
    out.push_str(HEADER);
    out.push('\n');
    let name = csv_field(&params.name);
    for i in order {
        let r = &rows[i];
        let head = format!("{name},{},{},{}", r.year, r.indicator.name(), r.dim.label(params));
        let unit = r.indicator.unit();
        out.push_str(&format!("{head},central,{},{unit}\n", r.value));
        for (stat, v) in crate::ensemble::STATISTICS.iter().zip(e.summary[i]) {
            out.push_str(&format!("{head},{stat},{v},{unit}\n"));
        }
    }
    out
}

/// Every draw's national totals, long format: `scenario,draw,year,indicator,value`.
///
/// Written to `w` a line at a time: at about 45 bytes a value, the text
/// would take more memory than the draws' records if it were held whole.
pub fn write_draws_csv(
    w: &mut dyn std::io::Write,
    params: &Params,
    e: &crate::ensemble::Ensemble,
) -> std::io::Result<()> {
    w.write_all(b"scenario,draw,year,indicator,value\n")?;
    let name = csv_field(&params.name);
    let totals: Vec<usize> = (0..e.central.rows.len())
        .filter(|&i| e.central.rows[i].dim == crate::model::Dim::Total)
        .collect();
    for d in 0..e.n_draws() {
        let values = e.draw(d);
        for &i in &totals {
            let r = &e.central.rows[i];
            writeln!(w, "{name},{d},{},{},{}", r.year, r.indicator.name(), values[i])?;
        }
    }
    Ok(())
}
