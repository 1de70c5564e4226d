//! The observed figures a calibration fits, and the distance of a run to them.

use crate::Scenario;
use crate::error::InputProblem;
use crate::model::{Dim, Indicator, Trajectory};

/// One observed figure and how far it is trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub indicator: Indicator,
    pub dim: Dim,
    pub dimension: String,
    pub year: i32,
    pub value: f64,
    /// Relative error scale of the source.
    pub error: f64,
    pub source: String,
}

/// Reads the observed figures: columns `indicator,dimension,year,value,error,source`.
pub fn read_observed(file: &str, text: &str, s: &Scenario) -> std::result::Result<Vec<Observed>, Vec<InputProblem>> {
    let p = &s.model.params;
    let regions: Vec<String> = p.regions.iter().map(|r| r.name.clone()).collect();
    let dests: Vec<String> = p.destinations.iter().map(|d| d.name.clone()).collect();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let want = ["indicator", "dimension", "year", "value", "error", "source"];
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if headers != want {
        return Err(vec![InputProblem::new(
            file,
            "",
            format!("expected the header {}", want.join(",")),
        )]);
    }
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
        };
        let row = format!("row {}", rec.position().map_or(0, |p| p.line()));
        let bad = |col: &str, m: String| InputProblem::new(file, col, m).at(row.clone());
        crate::warn_renamed(&rec[0]);
        let Some(indicator) = Indicator::from_name(&rec[0]) else {
            problems.push(bad("indicator", format!("unknown indicator `{}`", &rec[0])));
            continue;
        };
        let dim = match crate::params::parse_dim(&rec[1], &regions, &dests) {
            Ok(d) => d,
            Err(m) => {
                problems.push(bad("dimension", m));
                continue;
            }
        };
        let last = if indicator.is_flow() {
            p.end_year - 1
        } else {
            p.end_year
        };
        let year = match rec[2].parse::<i32>() {
            Ok(y) if (p.start_year..=last).contains(&y) => y,
            _ => {
                problems.push(bad(
                    "year",
                    format!("`{}`: expected a year in [{}, {last}]", &rec[2], p.start_year),
                ));
                continue;
            }
        };
        // A former name's figures are in its former unit (percent).
        let per = if Indicator::renamed(&rec[0]).is_some() {
            0.01
        } else {
            1.0
        };
        let value = match rec[3].parse::<f64>() {
            Ok(v) if v.is_finite() && v != 0.0 => v * per,
            _ => {
                problems.push(bad("value", format!("`{}`: expected a non-zero number", &rec[3])));
                continue;
            }
        };
        let error = match rec[4].parse::<f64>() {
            Ok(v) if v > 0.0 && v.is_finite() => v,
            _ => {
                problems.push(bad(
                    "error",
                    format!("`{}`: expected a relative error scale above 0 (0.05 = 5%)", &rec[4]),
                ));
                continue;
            }
        };
        out.push(Observed {
            indicator,
            dim,
            dimension: rec[1].to_string(),
            year,
            value,
            error,
            source: rec[5].to_string(),
        });
    }
    if out.is_empty() && problems.is_empty() {
        problems.push(InputProblem::new(
            file,
            "",
            "no observed figure; expected at least one row",
        ));
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The model's value of each observed figure.
pub fn simulated(observed: &[Observed], run: &Trajectory) -> Vec<f64> {
    observed
        .iter()
        .map(|o| run.get(o.indicator, o.dim, o.year).unwrap_or(f64::NAN))
        .collect()
}

/// Root mean square of the standardised errors; infinite when any value
/// is missing or not finite.
pub fn distance(observed: &[Observed], model: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (o, m) in observed.iter().zip(model) {
        let z = (m - o.value) / (o.error * o.value.abs());
        if !z.is_finite() {
            return f64::INFINITY;
        }
        sum += z * z;
    }
    (sum / observed.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(value: f64, error: f64) -> Observed {
        Observed {
            indicator: Indicator::Births,
            dim: Dim::Total,
            dimension: String::new(),
            year: 2020,
            value,
            error,
            source: String::new(),
        }
    }

    #[test]
    fn the_distance_is_the_rms_of_errors_in_units_of_each_sources_scale() {
        let o = [obs(100.0, 0.1), obs(1000.0, 0.05)];
        // 10% off a source trusted to 10%, and 5% off one trusted to 5%: one unit each.
        assert!((distance(&o, &[110.0, 950.0]) - 1.0).abs() < 1e-12);
        assert_eq!(distance(&o, &[f64::NAN, 1000.0]), f64::INFINITY);
    }
}
