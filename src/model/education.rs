//! Education transitions at home (MODEL.md 3.6): at `age_secondary`, `low →
//! medium` with probability `p_medium(t, s)`; at `age_tertiary`, `medium → high`
//! with `p_high(t, s) · (1 + θ · prospect)`, where the prospect is the
//! probability that a tertiary graduate of that age emigrates within the year
//! (the brain-gain incentive of Beine, Docquier & Rapoport, 2001).
//! Migrants abroad keep the education they left with.

use super::dims::{HIGH, LOW, MEDIUM, N_SEX};
use super::state::home_at;
use crate::params::Education;

/// Applies the year's transitions to residents in place.
/// `add` raises `[p_medium, p_high]` (education expansion).
pub fn transitions(edu: &Education, year: i32, n_regions: usize, prospect: f64, add: [f64; 2], home: &mut [f64]) {
    for s in 0..N_SEX {
        let p_med = (edu.p_medium[s].at(year) + add[0]).min(1.0);
        // A probability: the incentive cannot push it past certainty.
        let p_high = ((edu.p_high[s].at(year) + add[1]) * (1.0 + edu.brain_gain * prospect)).min(1.0);
        for r in 0..n_regions {
            let a = edu.age_secondary;
            let moved = home[home_at(r, s, LOW) + a] * p_med;
            home[home_at(r, s, LOW) + a] -= moved;
            home[home_at(r, s, MEDIUM) + a] += moved;
            let a = edu.age_tertiary;
            let moved = home[home_at(r, s, MEDIUM) + a] * p_high;
            home[home_at(r, s, MEDIUM) + a] -= moved;
            home[home_at(r, s, HIGH) + a] += moved;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dims::{N_AGE, N_EDU};
    use crate::year_path::YearPath;

    #[test]
    fn moves_the_given_shares_at_the_given_ages_and_keeps_totals() {
        let edu = Education {
            age_secondary: 18,
            age_tertiary: 22,
            p_medium: [YearPath::constant(0.8), YearPath::constant(0.6)],
            p_high: [YearPath::constant(0.5), YearPath::constant(0.25)],
            brain_gain: 0.0,
        };
        let mut home = vec![100.0; N_SEX * N_EDU * N_AGE];
        let before: f64 = home.iter().sum();
        transitions(&edu, 2030, 1, 0.0, [0.0, 0.0], &mut home);
        assert_eq!(home[home_at(0, 0, LOW) + 18], 20.0);
        assert_eq!(home[home_at(0, 1, MEDIUM) + 18], 160.0);
        assert_eq!(home[home_at(0, 0, HIGH) + 22], 150.0);
        assert_eq!(home[home_at(0, 1, LOW) + 19], 100.0);
        assert!((home.iter().sum::<f64>() - before).abs() < 1e-9);
    }
}
