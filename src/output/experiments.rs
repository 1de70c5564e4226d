//! `experiments.csv` (with `--keep-draws`): one row per ensemble draw with
//! what it drew — every uncertain parameter, and per stochastic shock how
//! many times it struck and its largest change (0 if none) — beside
//! whether each target was met. What `migsim discover` reads.
//!
//! The inputs are not stored with the draws: a draw's inputs are a
//! function of the seed and its number (`uncertainty::draw`), so they are
//! drawn again here, the same on one machine or after a merge of shards.

use super::{column_names, csv_field};
use crate::Scenario;
use crate::ensemble::{Ensemble, uncertainty_of};
use crate::scenario::uncertainty;

/// The column names: `draw`, the parameters' dotted keys, the shocks',
/// then `measured_<target>` and `met_<target>` (as in sweep.csv).
pub fn header(s: &Scenario, e: &Ensemble) -> Vec<String> {
    let u = uncertainty_of(s, e.options.seed);
    let p = &s.model.params;
    let (values, _) = uncertainty::draw(&u, 0, p.start_year..p.end_year);
    let mut cols = vec!["draw".to_string()];
    cols.extend(values.iter().map(|(k, _)| k.clone()));
    for (k, shock) in u.shocks.iter().enumerate() {
        let kind = shock.template.get("kind").and_then(|v| v.as_str()).unwrap_or("shock");
        for what in ["strikes", "largest_change"] {
            cols.push(format!("shock_{}_{kind}_{what}", k + 1));
        }
    }
    let mut named = Vec::new();
    for t in &e.central_targets {
        named.push(format!("measured {}", t.name));
        named.push(format!("met {}", t.name));
    }
    cols.extend(column_names(&named));
    cols
}

pub fn to_csv(s: &Scenario, e: &Ensemble) -> String {
    let u = uncertainty_of(s, e.options.seed);
    let p = &s.model.params;
    let mut out = header(s, e).iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",") + "\n";
    for i in 0..e.n_draws() {
        let (values, strikes) = uncertainty::draw(&u, i as u64, p.start_year..p.end_year);
        let mut cells = vec![i.to_string()];
        cells.extend(values.iter().map(|(_, v)| v.to_string()));
        for k in 0..u.shocks.len() {
            let mine: Vec<&uncertainty::Strike> = strikes.iter().filter(|st| st.shock == k).collect();
            let largest = mine
                .iter()
                .map(|st| st.magnitude)
                .fold(0.0, |a: f64, m| if m.abs() > a.abs() { m } else { a });
            cells.push(mine.len().to_string());
            cells.push(largest.to_string());
        }
        for pair in e.draw_targets(i).chunks(2) {
            cells.push(pair[0].to_string());
            cells.push((pair[1] == 1.0).to_string());
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
