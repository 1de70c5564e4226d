//! Sobol' first-order and total indices by Saltelli's sampling scheme.
//!
//! Two independent random matrices A and B (N rows, k columns, on the unit
//! cube) and, for each input i, the matrix A with column i taken from B. The
//! model is run on every row of each: N (k + 2) runs. Estimators (Saltelli et
//! al. 2010, "Variance based sensitivity analysis of model output", Computer
//! Physics Communications 181): first order
//! `S_i = mean((f(B) - f0) (f(AB_i) - f(A))) / V`, f(B) centred on the mean
//! f0 (the same expectation, a far smaller variance when the output's mean is
//! large against its spread); total (Jansen)
//! `ST_i = mean((f(A) - f(AB_i))^2) / 2V`, with V the variance of f over A
//! and B together. Confidence intervals: percentile bootstrap over the rows.

use super::stream as rng;
use rand::RngExt;

/// First-order and total indices of one bootstrap resample.
type Replicate = (Vec<f64>, Vec<f64>);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Design {
    /// Rows of A (and of B).
    pub n: usize,
    /// Inputs.
    pub k: usize,
}

/// An estimate with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub first: Vec<Estimate>,
    pub total: Vec<Estimate>,
}

impl Design {
    pub fn points(&self) -> usize {
        self.n * (self.k + 2)
    }

    /// Coordinates of point `p`: in row block j = p / (k + 2), first A_j,
    /// then B_j, then A_j with column i from B_j for each i. A block depends
    /// on (seed, j) only, so any slice of the points can be run alone.
    pub fn point(&self, seed: u64, p: usize) -> Vec<f64> {
        let (j, m) = (p / (self.k + 2), p % (self.k + 2));
        let mut r = rng(seed, j as u64);
        let a: Vec<f64> = (0..self.k).map(|_| r.random::<f64>()).collect();
        let b: Vec<f64> = (0..self.k).map(|_| r.random::<f64>()).collect();
        match m {
            0 => a,
            1 => b,
            _ => {
                let mut x = a;
                x[m - 2] = b[m - 2];
                x
            }
        }
    }

    /// The indices from the model's value at every point (in point order),
    /// with `bootstrap` resamples for 95% intervals.
    pub fn indices(&self, f: &[f64], bootstrap: usize, seed: u64) -> Indices {
        assert_eq!(f.len(), self.points(), "one value per design point");
        let all: Vec<usize> = (0..self.n).collect();
        let (first, total) = self.estimate(f, &all);
        let mut reps: Vec<Replicate> = Vec::with_capacity(bootstrap);
        let mut r = rng(seed, u64::MAX);
        let mut rows = vec![0; self.n];
        for _ in 0..bootstrap {
            for x in rows.iter_mut() {
                *x = r.random_range(0..self.n);
            }
            reps.push(self.estimate(f, &rows));
        }
        let interval = |value: f64, pick: &dyn Fn(&Replicate) -> f64| {
            let mut v: Vec<f64> = reps.iter().map(pick).filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            let q = |p| {
                if v.is_empty() {
                    f64::NAN
                } else {
                    crate::ensemble::quantile(&v, p)
                }
            };
            Estimate {
                value,
                low: q(0.025),
                high: q(0.975),
            }
        };
        Indices {
            first: (0..self.k).map(|i| interval(first[i], &|r| r.0[i])).collect(),
            total: (0..self.k).map(|i| interval(total[i], &|r| r.1[i])).collect(),
        }
    }

    /// First-order and total indices over the given rows (with repeats, for
    /// the bootstrap). NaN when the output does not vary.
    fn estimate(&self, f: &[f64], rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
        let w = self.k + 2;
        let n = rows.len() as f64;
        let fa = |j: usize| f[j * w];
        let fb = |j: usize| f[j * w + 1];
        let fab = |j: usize, i: usize| f[j * w + 2 + i];
        let mean = rows.iter().map(|&j| fa(j) + fb(j)).sum::<f64>() / (2.0 * n);
        let var = rows
            .iter()
            .map(|&j| (fa(j) - mean).powi(2) + (fb(j) - mean).powi(2))
            .sum::<f64>()
            / (2.0 * n);
        if var <= 0.0 {
            return (vec![f64::NAN; self.k], vec![f64::NAN; self.k]);
        }
        let first = (0..self.k)
            .map(|i| rows.iter().map(|&j| (fb(j) - mean) * (fab(j, i) - fa(j))).sum::<f64>() / n / var)
            .collect();
        let total = (0..self.k)
            .map(|i| rows.iter().map(|&j| (fa(j) - fab(j, i)).powi(2)).sum::<f64>() / (2.0 * n) / var)
            .collect();
        (first, total)
    }
}
