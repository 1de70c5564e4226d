//! Exits from the resident population (MODEL.md section 2, step 3): death,
//! emigration to each destination and moves to each other region, as competing
//! risks from the stocks at 1 January.

use super::Model;
use super::dims::{N_AGE, N_EDU, N_SEX};
use super::hazard::{DeathRisk, SERIES_LIMIT, combined, exit_probability, per_hazard, series_probability};
use super::internal::InternalRates;
use super::lanes::{self, Kernel, Lanes};
use super::state::home_at;

/// Everything the residents' hazards need in one year.
pub struct HomeHazards<'a> {
    /// Death by sex.
    pub death: &'a [DeathRisk; N_SEX],
    /// Emigration multiplier `[region][education]`.
    pub push: &'a [[f64; N_EDU]],
    /// Emigration multiplier by sex: the year's relative propensity of
    /// women over the base year's (1 for men).
    pub sex: [f64; N_SEX],
    /// Hazard weight of each destination `[destination][education]`: the logit
    /// share times the quota factor.
    pub weight: Vec<[f64; N_EDU]>,
    pub internal: &'a InternalRates,
}

impl HomeHazards<'_> {
    fn weight_sum(&self, e: usize) -> f64 {
        self.weight.iter().map(|w| w[e]).sum()
    }

    /// Share of the emigrants of education `e` who go to destination `d`.
    pub fn share(&self, d: usize, e: usize) -> f64 {
        let wsum = self.weight_sum(e);
        if wsum > 0.0 { self.weight[d][e] / wsum } else { 0.0 }
    }
}

/// The hazards of one run of ages `(r, s, e, ·)`: emigration, internal
/// out-migration, and the competing-risk factor `p / Σh` of each age.
struct RunHazards {
    emig: [f64; N_AGE],
    internal: [f64; N_AGE],
    factor: [f64; N_AGE],
}

impl RunHazards {
    fn new(model: &Model, hz: &HomeHazards, r: usize, s: usize, e: usize) -> RunHazards {
        let mut h = RunHazards {
            emig: [0.0; N_AGE],
            internal: [0.0; N_AGE],
            factor: [0.0; N_AGE],
        };
        h.fill(model, hz, r, s, e);
        h
    }

    #[inline(always)]
    /// Overwrites these hazards with those of run `(r, s, e)`: one buffer
    /// serves every run of a year.
    fn fill(&mut self, model: &Model, hz: &HomeHazards, r: usize, s: usize, e: usize) {
        let emig_peak = model.emigration_level[s][e] * hz.sex[s] * hz.push[r][e] * hz.weight_sum(e);
        let int_out = hz.internal.out[r];
        let death = &hz.death[s];
        // One pass over ages, with the series for every age's other hazards;
        // then, only if some age's may be too large for it, those ages again
        // with the library's exponential (as `exit_probabilities`).
        for a in 0..N_AGE {
            self.emig[a] = emig_peak * model.rc_emigration[a];
            self.internal[a] = int_out * model.rc_internal[a];
            let other = self.emig[a] + self.internal[a];
            let p = combined(death.p[a], series_probability(other));
            self.factor[a] = per_hazard(p, death.mu[a] + other);
        }
        let largest = emig_peak * model.rc_emigration_max + int_out * model.rc_internal_max;
        if largest > SERIES_LIMIT {
            for a in 0..N_AGE {
                let other = self.emig[a] + self.internal[a];
                if other > SERIES_LIMIT {
                    let p = combined(death.p[a], exit_probability(other));
                    self.factor[a] = per_hazard(p, death.mu[a] + other);
                }
            }
        }
    }
}

/// Emigrants to each destination that these hazards would produce; moves no one.
pub fn emigrants_by_destination(model: &Model, hz: &HomeHazards, home: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; model.n_destinations];
    let mut h = RunHazards::new(model, hz, 0, 0, 0);
    for r in 0..model.n_regions {
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                h.fill(model, hz, r, s, e);
                let o = home_at(r, s, e);
                let leaving: f64 = (0..N_AGE).map(|a| home[o + a] * h.factor[a] * h.emig[a]).sum::<f64>();
                let wsum = hz.weight_sum(e);
                if wsum > 0.0 {
                    for (d, w) in hz.weight.iter().enumerate() {
                        out[d] += leaving * w[e] / wsum;
                    }
                }
            }
        }
    }
    out
}

/// An upper bound on emigrants to each destination (exit probability ≤
/// hazard), cheap because it needs no exponential.
pub fn emigration_bound(model: &Model, hz: &HomeHazards, home: &[f64]) -> Vec<f64> {
    lanes::dispatch(Bound { model, hz, home })
}

/// The arguments of `emigration_bound`, for `lanes::dispatch`.
struct Bound<'a, 'b> {
    model: &'a Model,
    hz: &'a HomeHazards<'b>,
    home: &'a [f64],
}

impl Kernel for Bound<'_, '_> {
    type Out = Vec<f64>;

    #[inline(always)]
    fn run<L: Lanes>(self, l: L) -> Vec<f64> {
        let Bound { model, hz, home } = self;
        let mut out = vec![0.0; model.n_destinations];
        for r in 0..model.n_regions {
            for s in 0..N_SEX {
                for e in 0..N_EDU {
                    let o = home_at(r, s, e);
                    let weighted = lanes::dot(l, &home[o..o + N_AGE], &model.rc_emigration);
                    let peak = model.emigration_level[s][e] * hz.sex[s] * hz.push[r][e];
                    for (d, w) in hz.weight.iter().enumerate() {
                        out[d] += weighted * peak * w[e];
                    }
                }
            }
        }
        out
    }
}

/// Emigrants and internal movers these hazards would produce; moves no one.
pub fn movers(model: &Model, hz: &HomeHazards, home: &[f64]) -> (f64, f64) {
    let (mut emigrants, mut internal) = (0.0, 0.0);
    let mut h = RunHazards::new(model, hz, 0, 0, 0);
    for r in 0..model.n_regions {
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                h.fill(model, hz, r, s, e);
                let o = home_at(r, s, e);
                for a in 0..N_AGE {
                    let f = home[o + a] * h.factor[a];
                    emigrants += f * h.emig[a];
                    internal += f * h.internal[a];
                }
            }
        }
    }
    (emigrants, internal)
}

/// Flows out of the resident population in one year.
#[derive(Debug, Default, Clone)]
pub struct HomeExits {
    pub deaths: f64,
    pub emigrants_by_dest: Vec<f64>,
    pub emigrants_by_edu: [f64; N_EDU],
    pub emigrants_by_sex: [f64; N_SEX],
    pub internal_by_origin: Vec<f64>,
}

/// Moves residents: stayers into `next_home`, internal movers into their new
/// region, overwriting what `next_home` held (every run of it is written).
/// Emigrants, by `(region, sex, education, age)` in the layout of the home
/// stock, are written to `emigrants`: the exits from abroad add
/// them to the stock abroad as it is rewritten (`abroad_exits::apply`),
/// each destination taking `HomeHazards::share`.
pub fn apply(model: &Model, hz: &HomeHazards, home: &[f64], next_home: &mut [f64], emigrants: &mut [f64]) -> HomeExits {
    lanes::dispatch(Apply {
        model,
        hz,
        home,
        next_home,
        emigrants,
    })
}

/// The arguments of `apply`, for `lanes::dispatch`.
struct Apply<'a, 'b> {
    model: &'a Model,
    hz: &'a HomeHazards<'b>,
    home: &'a [f64],
    next_home: &'a mut [f64],
    emigrants: &'a mut [f64],
}

impl Kernel for Apply<'_, '_> {
    type Out = HomeExits;

    #[inline(always)]
    fn run<L: Lanes>(self, l: L) -> HomeExits {
        let Apply {
            model,
            hz,
            home,
            next_home,
            emigrants,
        } = self;
        let sum = |x: &[f64]| lanes::sum(l, x);
        let nr = model.n_regions;
        let nd = model.n_destinations;
        let mut ex = HomeExits {
            emigrants_by_dest: vec![0.0; nd],
            internal_by_origin: vec![0.0; nr],
            ..Default::default()
        };
        let mut movers = [0.0; N_AGE];
        let mut dead = [0.0; N_AGE];
        let mut h = RunHazards::new(model, hz, 0, 0, 0);
        // Whether each run of `next_home` has had its first contribution,
        // which is added to a literal zero instead of to the array: the
        // array needs no clearing, and the bits are those of a cleared one.
        let mut started = vec![false; nr * N_SEX * N_EDU];
        for r in 0..nr {
            let split = &hz.internal.split[r * nr..(r + 1) * nr];
            for s in 0..N_SEX {
                let mu = &hz.death[s].mu;
                for e in 0..N_EDU {
                    h.fill(model, hz, r, s, e);
                    let o = home_at(r, s, e);
                    let run = &home[o..o + N_AGE];
                    let leaving = &mut emigrants[o..o + N_AGE];
                    let fresh = !std::mem::replace(&mut started[o / N_AGE], true);
                    let stayers = &mut next_home[o..o + N_AGE];
                    for a in 0..N_AGE {
                        let f = run[a] * h.factor[a];
                        dead[a] = f * mu[a];
                        leaving[a] = f * h.emig[a];
                        movers[a] = f * h.internal[a];
                        let stay = run[a] - (dead[a] + leaving[a] + movers[a]);
                        stayers[a] = if fresh { 0.0 + stay } else { stayers[a] + stay };
                    }
                    // Lane sums after the loop, not three chains of additions in it.
                    let (deaths, emig_total, move_total) = (sum(&dead), sum(leaving), sum(&movers));
                    ex.deaths += deaths;
                    ex.emigrants_by_edu[e] += emig_total;
                    ex.emigrants_by_sex[s] += emig_total;
                    ex.internal_by_origin[r] += move_total;
                    for (d, total) in ex.emigrants_by_dest.iter_mut().enumerate() {
                        *total += emig_total * hz.share(d, e);
                    }
                    if move_total > 0.0 {
                        for (j, sh) in split.iter().enumerate() {
                            if *sh > 0.0 {
                                let o = home_at(j, s, e);
                                let target = &mut next_home[o..o + N_AGE];
                                if std::mem::replace(&mut started[o / N_AGE], true) {
                                    target.iter_mut().zip(&movers).for_each(|(t, m)| *t += m * sh);
                                } else {
                                    target.iter_mut().zip(&movers).for_each(|(t, m)| *t = 0.0 + m * sh);
                                }
                            }
                        }
                    }
                }
            }
        }
        ex
    }
}
