//! Immigration of non-citizens who become residents (MODEL.md 3.7):
//! kayrylman (ethnic Kyrgyz returnees), skilled immigrants and refugees arrive
//! as yearly numbers with an age–sex–education profile and a regional
//! allocation (given shares, or the current distribution of residents).

use super::dims::{EDU_NAMES, FEMALE, HIGH, LOW, MALE, MEDIUM, N_AGE};
use crate::params::{Education, ImmigrantStream};

/// Ages of arrivals: a normal shape around the stream's mean, summing to 1.
pub fn age_profile(stream: &ImmigrantStream) -> [f64; N_AGE] {
    let mut w = [0.0; N_AGE];
    for (a, v) in w.iter_mut().enumerate() {
        let z = (a as f64 + 0.5 - stream.age_mean) / stream.age_sd;
        *v = (-0.5 * z * z).exp();
    }
    let sum: f64 = w.iter().sum();
    w.iter_mut().for_each(|v| *v /= sum);
    w
}

/// Education shares at an age: nobody below the age of secondary completion
/// holds more than `low`, nobody below the tertiary age holds `high`.
pub fn education_at(stream: &ImmigrantStream, edu: &Education, age: usize) -> [f64; EDU_NAMES.len()] {
    let s = stream.education_share;
    if age < edu.age_secondary {
        [1.0, 0.0, 0.0]
    } else if age < edu.age_tertiary {
        [s[LOW], s[MEDIUM] + s[HIGH], 0.0]
    } else {
        s
    }
}

pub fn sex_shares(stream: &ImmigrantStream) -> [f64; 2] {
    let mut out = [0.0; 2];
    out[FEMALE] = stream.female_share;
    out[MALE] = 1.0 - stream.female_share;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::year_path::YearPath;

    fn stream() -> ImmigrantStream {
        ImmigrantStream {
            kind: crate::params::ImmigrantKind::Skilled,
            persons_per_year: YearPath::constant(100.0),
            age_mean: 30.0,
            age_sd: 8.0,
            female_share: 0.4,
            education_share: [0.1, 0.3, 0.6],
            region_share: None,
        }
    }

    #[test]
    fn age_profile_sums_to_one_around_the_mean() {
        let w = age_profile(&stream());
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let mean: f64 = w.iter().enumerate().map(|(a, v)| (a as f64 + 0.5) * v).sum();
        assert!((mean - 30.0).abs() < 0.1);
    }

    #[test]
    fn children_arrive_with_low_education_only() {
        let edu = Education {
            age_secondary: 18,
            age_tertiary: 22,
            p_medium: [YearPath::constant(0.5), YearPath::constant(0.5)],
            p_high: [YearPath::constant(0.5), YearPath::constant(0.5)],
            brain_gain: 0.0,
        };
        assert_eq!(education_at(&stream(), &edu, 10), [1.0, 0.0, 0.0]);
        let young = education_at(&stream(), &edu, 20);
        assert!(young[0] == 0.1 && (young[1] - 0.9).abs() < 1e-12 && young[2] == 0.0);
        assert_eq!(education_at(&stream(), &edu, 40), [0.1, 0.3, 0.6]);
    }
}
