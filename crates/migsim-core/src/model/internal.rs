//! Internal migration (MODEL.md 3.3) in the gravity form:
//! `h(i→j, a) = g · P_j^γ / dist_ij^θ · (W_j / W_i)^β · RC_int(a)`,
//! with `g` calibrated so that the base year's moves equal `base_moves`.
//! Distances are great-circle distances between the regions' reference points,
//! floored at 10 km so that a city inside its oblast stays a finite distance away.

use super::Model;
use super::economy::EconomyYear;
use super::places::Region;
use super::schedule::AgeSchedule;

crate::section! {
    /// Moves between the regions of the country (a gravity model).
    pub struct Internal (RawInternal) {
        /// Moves between regions in the base year; calibrates the gravity constant.
        base_moves: f64 { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        /// Exponent of the destination region's population.
        population_exponent: f64 { unit: "-", min: 0.0, max: 3.0, expect: "an exponent" },
        /// Exponent of the distance between regions.
        distance_exponent: f64 { unit: "-", min: 0.0, max: 5.0, expect: "an exponent" },
        /// Elasticity of moves to the wage ratio between regions.
        beta_wage: f64 { unit: "-", min: 0.0, max: 10.0, expect: "an elasticity" },
        /// Age profile of internal moves.
        age_schedule: AgeSchedule {},
    }
}

const EARTH_RADIUS_KM: f64 = 6371.0;
const MIN_DISTANCE_KM: f64 = 10.0;

pub fn distance_km(a: &Region, b: &Region) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// `1 / dist^θ` as a row-major `n × n` matrix with zeros on the diagonal.
pub fn distance_decay(regions: &[Region], theta: f64) -> Vec<f64> {
    let n = regions.len();
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                m[i * n + j] = distance_km(&regions[i], &regions[j]).max(MIN_DISTANCE_KM).powf(-theta);
            }
        }
    }
    m
}

/// The year's internal-migration pressure: total hazard out of each region at
/// the schedule's peak, and how it splits over destination regions.
pub struct InternalRates {
    pub out: Vec<f64>,
    /// Row-major `n × n`; each row sums to 1 (or is all zero).
    pub split: Vec<f64>,
}

pub fn rates(model: &Model, econ: &EconomyYear, population: &[f64]) -> InternalRates {
    let mut r = unscaled_rates(model, econ, population);
    for o in &mut r.out {
        *o *= model.internal_scale;
    }
    r
}

/// The rates before the calibrated scale `g`: what the calibration, which
/// searches for `g`, computes once.
pub fn unscaled_rates(model: &Model, econ: &EconomyYear, population: &[f64]) -> InternalRates {
    let it = &model.params.internal;
    let n = model.n_regions;
    let mut out = vec![0.0; n];
    let mut split = vec![0.0; n * n];
    // Populations in millions keep g of order one.
    let mass: Vec<f64> = population
        .iter()
        .map(|p| (p / 1e6).max(0.0).powf(it.population_exponent))
        .collect();
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let pull = mass[j]
                * model.distance_decay[i * n + j]
                * (econ.wage_region_usd[j] / econ.wage_region_usd[i]).powf(it.beta_wage);
            split[i * n + j] = pull;
            out[i] += pull;
        }
        if out[i] > 0.0 {
            for j in 0..n {
                split[i * n + j] /= out[i];
            }
        }
    }
    InternalRates { out, split }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::year_path::YearPath;

    fn region(lat: f64, lon: f64) -> Region {
        crate::declare::checked(
            crate::model::places::RawRegion {
                name: Some("x".into()),
                label: None,
                capital: None,
                border: None,
                lat: Some(lat),
                lon: Some(lon),
                wage_index: Some(YearPath::constant(1.0)),
                unemployment_rate: Some(0.0),
            },
            &[],
            &[],
        )
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = distance_km(&region(40.0, 74.0), &region(41.0, 74.0));
        assert!((d - 111.2).abs() < 0.5, "{d}");
    }

    #[test]
    fn decay_is_zero_on_the_diagonal_and_floored_nearby() {
        let m = distance_decay(&[region(40.0, 74.0), region(40.0, 74.0001)], 1.0);
        assert_eq!(m[0], 0.0);
        assert_eq!(m[1], 0.1);
    }
}
