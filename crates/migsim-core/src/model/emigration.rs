//! Emigration (MODEL.md 3.1): aspiration × capability.
//!
//! Destination utility
//! `V_{d,e} = β_w ln(W_d (1+π_{e,d}) / W_home) + β_n ln(1 + 1000 S_d / P_home) + A_d(t) + ASC_{d,e}`;
//! destination shares are the logit of `V`, and the inclusive value
//! `IV_e = ln Σ_d exp V_{d,e}` drives the propensity to leave:
//! `h = level_{s,e} · RC(a) · exp(γ (IV − IV0) + δ (u_r − u_r0))`.
//! `ASC` is calibrated so the base year's shares equal the scenario's
//! `flow_share`, and `level` so that the base year's emigrants equal
//! `base_outflow` (see `compile`).
//!
//! The national wage is used inside `V`, so `V` does not depend on the region;
//! a region's own wage enters the push through its change relative to the
//! national wage, `−γ β_w Δ ln(W_r / W_home)`, which is what `V` computed with
//! the regional wage would give (the regional term is common to all
//! destinations, so it moves `IV` and leaves shares alone).

use super::Model;
use super::dims::N_EDU;
use super::economy::EconomyYear;
use super::levers::YearLevers;
use super::schedule::AgeSchedule;
use crate::declare::ByEducation;
use crate::year_path::YearPath;

crate::section! {
    /// Emigration: the propensity to leave and the choice of destination.
    pub struct Emigration (RawEmigration) {
        /// Emigrants in the base year; calibrates the level of the hazard.
        base_outflow: f64 { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        /// Propensity of women to emigrate relative to men (men are 1), by year.
        female_relative: YearPath { unit: "ratio", min: 0.0, max: 10.0, expect: "a propensity relative to men" },
        /// Propensity to emigrate by education, relative.
        education_relative: ByEducation { unit: "ratio", min: 0.0, max: 10.0, expect: "a relative propensity" },
        /// β_w: weight of the log wage ratio in a destination's utility.
        beta_wage: f64 { unit: "utils per log wage", min: 0.0, max: 10.0, expect: "a utility weight" },
        /// β_n: weight of the diaspora network in a destination's utility.
        beta_network: f64 { unit: "utils", min: 0.0, max: 10.0, expect: "a utility weight" },
        /// γ: response of the propensity to leave to the inclusive value of the destinations.
        gamma: f64 { unit: "-", min: 0.0, max: 10.0, expect: "an elasticity" },
        /// δ: semi-elasticity of the propensity to leave to the region's unemployment rate.
        delta_unemployment: f64 { unit: "per unit of rate", min: -50.0, max: 50.0, expect: "a semi-elasticity" },
        /// Share of the emigrants a binding quota turns away who go to other destinations.
        quota_spillover: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Age profile of emigration.
        age_schedule: AgeSchedule {},
    }
}

impl Emigration {
    /// Relative propensity `[female, male]` in `year`, men 1 by convention.
    pub fn sex_relative(&self, year: i32) -> [f64; 2] {
        [self.female_relative.at(year), 1.0]
    }
}

/// Utilities without the calibrated constants, `[destination][education]`.
pub fn raw_utilities(
    model: &Model,
    y: usize,
    econ: &EconomyYear,
    stock_by_dest: &[f64],
    pop_home: f64,
    lev: &YearLevers,
) -> Vec<[f64; N_EDU]> {
    let p = &model.params;
    let em = &p.emigration;
    let year = p.start_year + y as i32;
    p.destinations
        .iter()
        .enumerate()
        .map(|(d, dest)| {
            let network = em.beta_network * (1.0 + 1000.0 * stock_by_dest[d] / pop_home.max(1.0)).ln();
            let access = dest.access.at(year) + lev.access[d];
            std::array::from_fn(|e| {
                let wage = econ.wage_dest_usd[d] * (1.0 + dest.premium[e]) * lev.earnings / econ.wage_home_usd;
                em.beta_wage * wage.ln() + network + access
            })
        })
        .collect()
}

/// The year's destination choice, per education level.
pub struct Choice {
    /// `V_{d,e}` with the calibrated constants.
    pub utility: Vec<[f64; N_EDU]>,
    /// Logit shares `[destination][education]`.
    pub share: Vec<[f64; N_EDU]>,
    pub inclusive_value: [f64; N_EDU],
}

pub fn choice(model: &Model, raw: &[[f64; N_EDU]]) -> Choice {
    let utility: Vec<[f64; N_EDU]> = raw
        .iter()
        .zip(&model.asc)
        .map(|(v, a)| std::array::from_fn(|e| v[e] + a[e]))
        .collect();
    let mut share = vec![[0.0; N_EDU]; utility.len()];
    let mut inclusive_value = [0.0; N_EDU];
    for e in 0..N_EDU {
        let top = utility.iter().map(|v| v[e]).fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = utility.iter().map(|v| (v[e] - top).exp()).sum();
        inclusive_value[e] = top + sum.ln();
        for (d, v) in utility.iter().enumerate() {
            share[d][e] = (v[e] - inclusive_value[e]).exp();
        }
    }
    Choice {
        utility,
        share,
        inclusive_value,
    }
}

/// The largest log of the push. e^40 times any base propensity is a
/// hazard under which leaving within the year is certain to machine
/// precision (1 − e^−h = 1), so a larger push changes no one's fate; the cap
/// keeps extreme but allowed inputs (wages growing 50% a year for decades
/// under the steepest responses) finite instead of overflowing to infinity.
const MAX_LOG_PUSH: f64 = 40.0;

/// The multiplier on the base propensity, `[region][education]`.
pub fn push(model: &Model, choice: &Choice, econ: &EconomyYear) -> Vec<[f64; N_EDU]> {
    let em = &model.params.emigration;
    (0..model.n_regions)
        .map(|r| {
            let relative_wage = (econ.wage_region_usd[r] / econ.wage_home_usd / model.wage_index0[r]).ln();
            let du = econ.unemployment_by_region[r] - model.unemployment0[r];
            std::array::from_fn(|e| {
                let div = choice.inclusive_value[e] - model.iv0[e] - em.beta_wage * relative_wage;
                (em.gamma * div + em.delta_unemployment * du).min(MAX_LOG_PUSH).exp()
            })
        })
        .collect()
}

/// Targets for each destination's intake once quotas are applied: a capped
/// destination takes its quota; the demand it turns away goes, times
/// `quota_spillover`, to the uncapped destinations in proportion to their own
/// demand (and a destination pushed over its own quota is capped in turn).
/// `None` when no quota binds.
pub fn quota_targets(demand: &[f64], quota: &[Option<f64>], spillover: f64) -> Option<Vec<f64>> {
    let n = demand.len();
    let over: Vec<bool> = (0..n).map(|d| quota[d].is_some_and(|q| demand[d] > q)).collect();
    if !over.iter().any(|&c| c) {
        return None;
    }
    let turned_away: f64 = (0..n)
        .filter(|&d| over[d])
        .map(|d| demand[d] - quota[d].unwrap_or(0.0))
        .sum();
    // Destinations filled to their quota by the spillover itself.
    let mut filled = vec![false; n];
    loop {
        let absorbed: f64 = (0..n)
            .filter(|&d| filled[d])
            .map(|d| quota[d].unwrap_or(0.0) - demand[d])
            .sum();
        let open_demand: f64 = (0..n).filter(|&d| !over[d] && !filled[d]).map(|d| demand[d]).sum();
        let to_spread = spillover * turned_away - absorbed;
        let boost = if open_demand > 0.0 {
            to_spread.max(0.0) / open_demand
        } else {
            0.0
        };
        let targets: Vec<f64> = (0..n)
            .map(|d| {
                if over[d] || filled[d] {
                    quota[d].unwrap_or(0.0)
                } else {
                    demand[d] * (1.0 + boost)
                }
            })
            .collect();
        let newly: Vec<usize> = (0..n)
            .filter(|&d| !over[d] && !filled[d] && quota[d].is_some_and(|q| targets[d] > q))
            .collect();
        if newly.is_empty() {
            return Some(targets);
        }
        for d in newly {
            filled[d] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_binding_quota_changes_nothing() {
        assert_eq!(quota_targets(&[10.0, 5.0], &[Some(20.0), None], 1.0), None);
    }

    #[test]
    fn excess_spills_to_uncapped_destinations_in_proportion() {
        let t = quota_targets(&[100.0, 30.0, 10.0], &[Some(60.0), None, None], 0.5).unwrap();
        assert_eq!(t[0], 60.0);
        // 40 turned away, 20 go elsewhere: 15 and 5.
        assert!((t[1] - 45.0).abs() < 1e-12 && (t[2] - 15.0).abs() < 1e-12);
    }

    #[test]
    fn spillover_respects_a_second_quota() {
        let t = quota_targets(&[100.0, 30.0, 10.0], &[Some(60.0), Some(35.0), None], 1.0).unwrap();
        assert_eq!(t[0], 60.0);
        assert_eq!(t[1], 35.0);
        // 40 turned away: 5 fill destination 1 to its quota, 35 go to destination 2.
        assert!((t[2] - 45.0).abs() < 1e-12, "{t:?}");
    }

    #[test]
    fn zero_spillover_keeps_the_excess_at_home() {
        let t = quota_targets(&[100.0, 30.0], &[Some(60.0), None], 0.0).unwrap();
        assert_eq!(t, vec![60.0, 30.0]);
    }
}
