//! Competing risks (MODEL.md section 2). A cell exposed to hazards `h_1..h_n`
//! loses `p = 1 - exp(-Σh)` of its people in the year, exit `i` taking
//! `p · h_i / Σh`. Every probability stays in [0, 1] whatever the hazards.

/// `p / Σh`: the factor that turns each hazard into its exit probability.
/// Finite and equal to 1 in the limit of no hazard.
#[inline]
pub fn exit_factor(total_hazard: f64) -> f64 {
    if total_hazard > 1e-12 {
        -(-total_hazard).exp_m1() / total_hazard
    } else {
        1.0 - 0.5 * total_hazard
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
    fn small_hazards_are_probabilities() {
        assert!((exit_probability(1e-4) - 1e-4).abs() < 1e-8);
        assert_eq!(exit_factor(0.0), 1.0);
    }
}
