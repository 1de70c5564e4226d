//! Competing risks (MODEL.md section 2). A cell exposed to hazards `h_1..h_n`
//! loses `p = 1 - exp(-Σh)` of its people in the year, exit `i` taking
//! `p · h_i / Σh`. Every probability stays in [0, 1] whatever the hazards.

use super::dims::N_AGE;

/// Below this total hazard the Taylor series is used instead of the library.
pub const SERIES_LIMIT: f64 = 0.1;

/// `Σ (−h)^k / (k+1)!` to the tenth term, which is `(1 − e^{−h}) / h`: for
/// `h ≤ 0.1` the remainder (< 3e-18) is below the precision of f64. A fixed
/// polynomial with no branch, so loops over ages of it use vector
/// instructions.
#[inline(always)]
fn series(h: f64) -> f64 {
    const C: [f64; 10] = [
        1.0,
        -1.0 / 2.0,
        1.0 / 6.0,
        -1.0 / 24.0,
        1.0 / 120.0,
        -1.0 / 720.0,
        1.0 / 5040.0,
        -1.0 / 40320.0,
        1.0 / 362880.0,
        -1.0 / 3628800.0,
    ];
    C.iter().rev().fold(0.0, |acc, c| acc * h + c)
}

/// `p / Σh`: the factor that turns each hazard into its exit probability.
/// Finite and equal to 1 in the limit of no hazard.
///
/// Most yearly hazards are small; below 0.1 the factor is its Taylor series,
/// which matches `−expm1(−h)/h` to rounding at a fraction of the cost of the
/// library call.
#[inline]
pub fn exit_factor(total_hazard: f64) -> f64 {
    let h = total_hazard;
    if h <= SERIES_LIMIT {
        series(h)
    } else {
        -(-h).exp_m1() / h
    }
}

/// Probability of at least one exit in the year.
#[inline]
pub fn exit_probability(total_hazard: f64) -> f64 {
    -(-total_hazard).exp_m1()
}

/// `1 − e^{−h}` for each age of a run, `largest` being no less than any of
/// them: the series for every age first (a loop the compiler vectorises),
/// then, only if `largest` says some age may need it, the library call for
/// the ages whose hazard is too large for the series.
#[inline(always)]
pub fn exit_probabilities(h: &[f64; N_AGE], largest: f64) -> [f64; N_AGE] {
    let mut p = h.map(series_probability);
    if largest > SERIES_LIMIT {
        for a in 0..N_AGE {
            if h[a] > SERIES_LIMIT {
                p[a] = exit_probability(h[a]);
            }
        }
    }
    p
}

/// `1 − e^{−h}` by the series, exact to rounding for `h ≤ SERIES_LIMIT`
/// only: callers use `exit_probability` above it.
#[inline(always)]
pub fn series_probability(h: f64) -> f64 {
    h * series(h)
}

/// Death in one run of ages: the hazard `μ` and its exit probability
/// `1 − e^{−μ}`, computed once a year per sex and mortality factor and
/// shared by every run exposed to it.
#[derive(Debug, Clone)]
pub struct DeathRisk {
    pub mu: [f64; N_AGE],
    pub p: [f64; N_AGE],
}

impl DeathRisk {
    pub fn new(mu: [f64; N_AGE]) -> DeathRisk {
        let p = exit_probabilities(&mu, f64::INFINITY);
        DeathRisk { mu, p }
    }
}

/// Exit probability from death (probability `p_death`) and other hazards
/// (probability `p_other`) together, `1 − e^{−μ} e^{−h}`, written as
/// `p_death + (1 − p_death) p_other`: two non-negative terms, so no digits
/// are lost to cancellation however small the hazards, and a run needs no
/// exponential of its own beyond that of its other hazards.
#[inline(always)]
pub fn combined(p_death: f64, p_other: f64) -> f64 {
    p_death + (1.0 - p_death) * p_other
}

/// `p / h` with `p = 0` where `h = 0` (a cell no hazard reaches).
#[inline(always)]
pub fn per_hazard(p: f64, h: f64) -> f64 {
    p / h.max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exits_never_exceed_the_stock() {
        for h in [0.0, 1e-15, 1e-6, 0.3, 5.0, 700.0] {
            let f = exit_factor(h);
            assert!(f * h <= 1.0 && f * h >= 0.0, "h={h}");
            assert!((f * h - exit_probability(h)).abs() < 1e-15);
        }
    }

    #[test]
    fn the_series_for_small_hazards_matches_the_library_to_rounding() {
        let mut worst = 0.0f64;
        for i in 1..=100_000 {
            let h = 0.1 * f64::from(i) / 100_000.0;
            let exact = -(-h).exp_m1() / h;
            worst = worst.max(((exit_factor(h) - exact) / exact).abs());
        }
        assert!(worst < 4.0 * f64::EPSILON, "worst relative error {worst:e}");
        // No step where the two forms meet.
        let (below, above) = (exit_factor(0.1), exit_factor(0.1 + 1e-15));
        assert!((below - above).abs() < 1e-14);
    }

    #[test]
    fn run_probabilities_and_combined_risks_match_the_library() {
        let h: [f64; N_AGE] = std::array::from_fn(|a| 1e-6 * 1.2f64.powi(a as i32));
        let p = exit_probabilities(&h, f64::INFINITY);
        for a in 0..N_AGE {
            let exact = exit_probability(h[a]);
            assert!((p[a] - exact).abs() <= 4.0 * f64::EPSILON * exact, "age {a}");
        }
        for (mu, other) in [(1e-5, 0.02), (0.3, 0.05), (2.0, 1e-9), (0.0, 0.0)] {
            let exact = exit_probability(mu + other);
            let both = combined(exit_probability(mu), exit_probability(other));
            assert!((both - exact).abs() <= 4.0 * f64::EPSILON * exact, "{mu} {other}");
        }
        assert_eq!(per_hazard(0.0, 0.0), 0.0);
    }

    #[test]
    fn small_hazards_are_probabilities() {
        assert!((exit_probability(1e-4) - 1e-4).abs() < 1e-8);
        assert_eq!(exit_factor(0.0), 1.0);
    }
}
