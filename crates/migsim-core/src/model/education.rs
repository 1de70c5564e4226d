//! Education transitions at home (MODEL.md 3.6): at `age_secondary`, `low →
//! medium` with probability `p_medium(t, s)`; at `age_tertiary`, `medium → high`
//! with `p_high(t, s) · (1 + θ · prospect)`, where the prospect is the
//! probability that a tertiary graduate of that age emigrates within the year
//! (the brain-gain incentive of Beine, Docquier & Rapoport, 2001).
//! Migrants abroad keep the education they left with.

use super::dims::{HIGH, LOW, MEDIUM, N_SEX};
use super::state::home_at;
use crate::year_path::YearPath;

crate::section! {
    /// Education: completion of secondary and tertiary at fixed ages.
    pub struct Education (RawEducation) {
        /// Age at which secondary education is completed.
        age_secondary: usize { unit: "years", min: 10.0, max: 30.0, expect: "an age in years" } = 18,
        /// Age at which tertiary education is completed (above `age_secondary`).
        age_tertiary: usize { unit: "years", min: 15.0, max: 40.0, expect: "an age in years" } = 22,
        /// Probability that a girl completes secondary education.
        p_medium_female: YearPath { unit: "probability", min: 0.0, max: 1.0, expect: "a probability" },
        /// Probability that a boy completes secondary education.
        p_medium_male: YearPath { unit: "probability", min: 0.0, max: 1.0, expect: "a probability" },
        /// Probability that a woman with secondary education completes tertiary.
        p_high_female: YearPath { unit: "probability", min: 0.0, max: 1.0, expect: "a probability" },
        /// Probability that a man with secondary education completes tertiary.
        p_high_male: YearPath { unit: "probability", min: 0.0, max: 1.0, expect: "a probability" },
        /// θ: how much the prospect of emigrating raises tertiary completion, `p_high · (1 + θ · prospect)`.
        brain_gain: f64 { unit: "-", min: 0.0, max: 10.0, expect: "an incentive factor" } = 0.0,
    }
}

impl Education {
    /// Probability of completing secondary, sex `s`.
    pub fn p_medium(&self, s: usize) -> &YearPath {
        [&self.p_medium_female, &self.p_medium_male][s]
    }

    /// Probability of completing tertiary after secondary, sex `s`.
    pub fn p_high(&self, s: usize) -> &YearPath {
        [&self.p_high_female, &self.p_high_male][s]
    }
}

/// Applies the year's transitions to residents in place.
/// `add` raises `[p_medium, p_high]` (education expansion).
pub fn transitions(edu: &Education, year: i32, n_regions: usize, prospect: f64, add: [f64; 2], home: &mut [f64]) {
    for s in 0..N_SEX {
        let p_med = (edu.p_medium(s).at(year) + add[0]).min(1.0);
        // A probability: the incentive cannot push it past certainty.
        let p_high = ((edu.p_high(s).at(year) + add[1]) * (1.0 + edu.brain_gain * prospect)).min(1.0);
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
        let edu = crate::declare::checked::<Education>(
            RawEducation {
                age_secondary: Some(18),
                age_tertiary: Some(22),
                p_medium_female: Some(YearPath::constant(0.8)),
                p_medium_male: Some(YearPath::constant(0.6)),
                p_high_female: Some(YearPath::constant(0.5)),
                p_high_male: Some(YearPath::constant(0.25)),
                brain_gain: None,
            },
            &[],
            &[],
        );
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
