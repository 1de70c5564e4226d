//! Mortality (MODEL.md 3.4): a baseline hazard by sex and single year of age,
//! scaled each year by one factor `k(t)` so that life expectancy at birth meets
//! the scenario's e0 path. Life expectancy comes from a single-year life table
//! with a constant hazard within each year of age.

use super::dims::N_AGE;
use crate::year_path::YearPath;

crate::section! {
    /// Mortality at home and abroad.
    pub struct Mortality (RawMortality) {
        /// Death rates by sex and single year of age (CSV `sex,age,mx`), scaled each year to meet the life expectancy.
        mx_csv: String {},
        /// Life expectancy at birth of women.
        e0_female: YearPath { unit: "years", min: 20.0, max: 95.0, expect: "a life expectancy at birth in years" },
        /// Life expectancy at birth of men.
        e0_male: YearPath { unit: "years", min: 20.0, max: 95.0, expect: "a life expectancy at birth in years" },
        /// Mortality of citizens abroad relative to residents.
        abroad_factor: f64 { unit: "ratio", min: 0.1, max: 10.0, expect: "a factor on mortality at home" } = 1.0,
    }
}

impl Mortality {
    /// Life expectancy at birth of sex `s`.
    pub fn e0(&self, s: usize) -> &YearPath {
        [&self.e0_female, &self.e0_male][s]
    }
}

/// Life expectancy at birth of a constant-hazard single-year life table; the
/// last age is open, with expectation `1/μ`.
pub fn life_expectancy(hazard: &[f64]) -> f64 {
    let mut survivors = 1.0;
    let mut e0 = 0.0;
    for (a, &mu) in hazard.iter().enumerate() {
        if a == hazard.len() - 1 {
            e0 += survivors / mu;
            break;
        }
        let p = (-mu).exp();
        // Person-years lived in the year: ∫ l·e^{-μt} dt.
        e0 += if mu > 1e-12 {
            survivors * (1.0 - p) / mu
        } else {
            survivors
        };
        survivors *= p;
    }
    e0
}

/// The factor `k` with `life_expectancy(k · baseline) = e0`, by bisection on
/// `ln k`; `None` when no factor in [1e-4, 1e4] reaches it.
pub fn scale_to_e0(baseline: &[f64], e0: f64) -> Option<f64> {
    let e = |ln_k: f64| {
        let k = ln_k.exp();
        let h: Vec<f64> = baseline.iter().map(|m| m * k).collect();
        life_expectancy(&h)
    };
    let (mut lo, mut hi) = (-(1e4f64.ln()), 1e4f64.ln());
    // e0 falls as k rises.
    if e(lo) < e0 || e(hi) > e0 {
        return None;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if e(mid) > e0 {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-13 {
            break;
        }
    }
    Some((0.5 * (lo + hi)).exp())
}

/// The baseline scaled to `e0`, as an array by age.
pub fn hazard_for_e0(baseline: &[f64], e0: f64) -> Option<[f64; N_AGE]> {
    let k = scale_to_e0(baseline, e0)?;
    let mut out = [0.0; N_AGE];
    for (o, b) in out.iter_mut().zip(baseline) {
        *o = b * k;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_hazard_gives_its_inverse() {
        // With the same hazard at every age, the life table is exponential.
        let h = vec![0.05; N_AGE];
        assert!((life_expectancy(&h) - 20.0).abs() < 1e-9);
    }

    #[test]
    fn scaling_meets_the_target_life_expectancy() {
        let base: Vec<f64> = (0..N_AGE).map(|a| 0.0002 * (0.085 * a as f64).exp() + 0.001).collect();
        for target in [55.0, 70.0, 82.0] {
            let h = hazard_for_e0(&base, target).unwrap();
            assert!((life_expectancy(&h) - target).abs() < 1e-8, "{target}");
        }
    }

    #[test]
    fn unreachable_target_is_refused() {
        let base = vec![0.05; N_AGE];
        assert!(scale_to_e0(&base, 1e6).is_none());
    }
}
