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
