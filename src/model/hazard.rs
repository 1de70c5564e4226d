//! Competing risks (MODEL.md section 2). A cell exposed to hazards `h_1..h_n`
//! loses `p = 1 - exp(-Σh)` of its people in the year, exit `i` taking
//! `p · h_i / Σh`. Every probability stays in [0, 1] whatever the hazards.

/// `p / Σh`: the factor that turns each hazard into its exit probability.
/// Finite and equal to 1 in the limit of no hazard.
///
/// Most yearly hazards are small; below 0.1 the factor is its Taylor series
/// `Σ (−h)^k / (k+1)!` to the tenth term, whose remainder (< 3e-18) is below
/// the precision of f64, so the result matches `−expm1(−h)/h` to rounding at a
/// fraction of the cost of the library call (one per age and cell, twelve
/// thousand a year).
#[inline]
pub fn exit_factor(total_hazard: f64) -> f64 {
    let h = total_hazard;
    if h <= 0.1 {
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
    } else {
        -(-h).exp_m1() / h
    }
}

/// Probability of at least one exit in the year.
#[inline]
pub fn exit_probability(total_hazard: f64) -> f64 {
    -(-total_hazard).exp_m1()
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
    fn small_hazards_are_probabilities() {
        assert!((exit_probability(1e-4) - 1e-4).abs() < 1e-8);
        assert_eq!(exit_factor(0.0), 1.0);
    }
}
