//! A calibration's posterior as `[uncertainty] posterior_csv` reads it.

use crate::error::InputProblem;

/// A calibration's weighted particles (`posterior.csv` of `migsim
/// calibrate`): each draw takes one whole row, chosen by weight, so that the
/// parameters keep the correlations the calibration found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PosteriorDraws {
    pub keys: Vec<String>,
    pub rows: Vec<Vec<f64>>,
    /// Running sums of the weights.
    pub cumulative: Vec<f64>,
}

impl PosteriorDraws {
    /// The row whose share of the weight holds `u` in [0, 1).
    pub fn row(&self, u: f64) -> &[f64] {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let i = self
            .cumulative
            .partition_point(|c| *c <= u * total)
            .min(self.rows.len() - 1);
        &self.rows[i]
    }

    /// The row of largest weight: a typical draw, for checks before running.
    pub fn typical(&self) -> &[f64] {
        let w = |i: usize| self.cumulative[i] - if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        let best = (0..self.rows.len())
            .max_by(|&a, &b| w(a).total_cmp(&w(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        &self.rows[best]
    }
}

/// Reads a `posterior.csv`: columns `particle,weight,distance`, then one per
/// parameter key.
pub fn read_posterior(file: &str, text: &str) -> Result<PosteriorDraws, Vec<InputProblem>> {
    let fail = |row: Option<usize>, m: String| {
        let p = InputProblem::new(file, "", m);
        vec![match row {
            Some(r) => p.at(format!("row {r}")),
            None => p,
        }]
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if headers.len() < 4 || headers[..3] != ["particle", "weight", "distance"] {
        return Err(fail(
            None,
            "expected the header particle,weight,distance followed by parameter keys (a posterior.csv of `migsim calibrate`)".into(),
        ));
    }
    let keys = headers[3..].to_vec();
    let (mut rows, mut cumulative, mut total) = (Vec::new(), Vec::new(), 0.0);
    for rec in reader.records() {
        let rec = rec.map_err(|e| fail(None, format!("not a readable CSV: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let nums: Option<Vec<f64>> = rec.iter().skip(1).map(|v| v.parse::<f64>().ok()).collect();
        let Some(nums) = nums.filter(|n| n.len() == keys.len() + 2) else {
            return Err(fail(Some(line), format!("expected {} numbers", keys.len() + 3)));
        };
        let w = nums[0];
        if !(w.is_finite() && w >= 0.0) || nums[2..].iter().any(|v| !v.is_finite()) {
            return Err(fail(Some(line), "expected a weight >= 0 and finite values".into()));
        }
        total += w;
        cumulative.push(total);
        rows.push(nums[2..].to_vec());
    }
    if rows.is_empty() || total <= 0.0 {
        return Err(fail(None, "no row of positive weight".into()));
    }
    Ok(PosteriorDraws { keys, rows, cumulative })
}
