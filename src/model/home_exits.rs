//! Exits from the resident population (MODEL.md section 2, step 3): death,
//! emigration to each destination and moves to each other region, as competing
//! risks from the stocks at 1 January.

use super::Model;
use super::dims::{N_AGE, N_EDU, N_SEX, TEMPORARY};
use super::hazard::exit_factor;
use super::internal::InternalRates;
use super::state::{abroad_at, home_at};

/// Everything the residents' hazards need in one year.
pub struct HomeHazards<'a> {
    /// `[sex][age]`
    pub mortality: &'a [[f64; N_AGE]; N_SEX],
    /// Emigration multiplier `[region][education]`.
    pub push: &'a [[f64; N_EDU]],
    /// Hazard weight of each destination `[destination][education]`: the logit
    /// share times the quota factor.
    pub weight: Vec<[f64; N_EDU]>,
    pub internal: &'a InternalRates,
}

impl HomeHazards<'_> {
    fn weight_sum(&self, e: usize) -> f64 {
        self.weight.iter().map(|w| w[e]).sum()
    }
}

/// Emigrants to each destination that these hazards would produce; moves no one.
pub fn emigrants_by_destination(model: &Model, hz: &HomeHazards, home: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; model.n_destinations];
    for r in 0..model.n_regions {
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                let wsum = hz.weight_sum(e);
                let emig_peak = model.emigration_level[s][e] * hz.push[r][e];
                let o = home_at(r, s, e);
                let mut leaving = 0.0;
                for a in 0..N_AGE {
                    let h_emig = emig_peak * model.rc_emigration[a] * wsum;
                    let h = hz.mortality[s][a] + h_emig + hz.internal.out[r] * model.rc_internal[a];
                    leaving += home[o + a] * exit_factor(h) * model.rc_emigration[a];
                }
                for (d, w) in hz.weight.iter().enumerate() {
                    out[d] += leaving * emig_peak * w[e];
                }
            }
        }
    }
    out
}

/// Flows out of the resident population in one year.
#[derive(Debug, Default, Clone)]
pub struct HomeExits {
    pub deaths: f64,
    pub emigrants_by_dest: Vec<f64>,
    pub emigrants_by_edu: [f64; N_EDU],
    pub internal_by_origin: Vec<f64>,
}

/// Moves residents: stayers into `next_home`, internal movers into their new
/// region, emigrants into `next_abroad` as temporary migrants.
pub fn apply(
    model: &Model,
    hz: &HomeHazards,
    home: &[f64],
    next_home: &mut [f64],
    next_abroad: &mut [f64],
) -> HomeExits {
    let nr = model.n_regions;
    let nd = model.n_destinations;
    let mut ex = HomeExits {
        emigrants_by_dest: vec![0.0; nd],
        internal_by_origin: vec![0.0; nr],
        ..Default::default()
    };
    for r in 0..nr {
        let split = &hz.internal.split[r * nr..(r + 1) * nr];
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                let wsum = hz.weight_sum(e);
                let emig_peak = model.emigration_level[s][e] * hz.push[r][e];
                let o = home_at(r, s, e);
                for a in 0..N_AGE {
                    let stock = home[o + a];
                    if stock == 0.0 {
                        continue;
                    }
                    let mu = hz.mortality[s][a];
                    let h_emig = emig_peak * model.rc_emigration[a] * wsum;
                    let h_int = hz.internal.out[r] * model.rc_internal[a];
                    let h = mu + h_emig + h_int;
                    let f = stock * exit_factor(h);
                    ex.deaths += f * mu;
                    let emigrants = f * h_emig;
                    let movers = f * h_int;
                    next_home[o + a] += stock - (f * mu + emigrants + movers);
                    if emigrants > 0.0 {
                        ex.emigrants_by_edu[e] += emigrants;
                        for (d, w) in hz.weight.iter().enumerate() {
                            let n = emigrants * w[e] / wsum;
                            next_abroad[abroad_at(nd, r, d, TEMPORARY, s, e) + a] += n;
                            ex.emigrants_by_dest[d] += n;
                        }
                    }
                    if movers > 0.0 {
                        ex.internal_by_origin[r] += movers;
                        for (j, sh) in split.iter().enumerate() {
                            if *sh > 0.0 {
                                next_home[home_at(j, s, e) + a] += movers * sh;
                            }
                        }
                    }
                }
            }
        }
    }
    ex
}
