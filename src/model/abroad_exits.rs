//! Exits from the stock abroad (MODEL.md 3.2, step 4): death, return home and,
//! for temporary migrants, settlement, as competing risks.
//!
//! `h_return(d,k,e,t) = ρ_{d,k} · r_e · exp(−κ (V_{d,e}(t) − V_{d,e}(t0)))`: a
//! fall in what the destination offers (a devaluation) raises returns.
//! Returnees go to their origin region, `capital_share` of them to the capital.

use super::Model;
use super::dims::{N_AGE, N_EDU, N_SEX, N_STATUS, SETTLED, TEMPORARY};
use super::hazard::exit_factor;
use super::state::{abroad_at, home_at};

#[derive(Debug, Default, Clone)]
pub struct AbroadExits {
    pub deaths: f64,
    pub returns_by_dest: Vec<f64>,
    pub settlements: f64,
}

/// `utility` is this year's `V_{d,e}`; `mortality` the home hazard `[sex][age]`.
pub fn apply(
    model: &Model,
    utility: &[[f64; N_EDU]],
    return_multiplier: &[f64],
    mortality: &[[f64; N_AGE]; N_SEX],
    abroad: &[f64],
    next_home: &mut [f64],
    next_abroad: &mut [f64],
) -> AbroadExits {
    let p = &model.params;
    let nd = model.n_destinations;
    let capital = p.capital;
    let to_capital = p.returns.capital_share;
    let mut ex = AbroadExits {
        returns_by_dest: vec![0.0; nd],
        ..Default::default()
    };
    for (d, dest) in p.destinations.iter().enumerate() {
        let mort_factor = p.mortality.abroad_factor * dest.mortality_factor;
        for e in 0..N_EDU {
            let pull_change = return_multiplier[d] * (-p.returns.kappa * (utility[d][e] - model.utility0[d][e])).exp();
            let settle = dest.settle_hazard * p.returns.settle_education_relative[e];
            for k in 0..N_STATUS {
                let h_ret = dest.return_hazard[k] * p.returns.education_relative[e] * pull_change;
                let h_set = if k == TEMPORARY { settle } else { 0.0 };
                for s in 0..N_SEX {
                    for r in 0..model.n_regions {
                        let o = abroad_at(nd, r, d, k, s, e);
                        let home_o = home_at(r, s, e);
                        let cap_o = home_at(capital, s, e);
                        let settled_o = abroad_at(nd, r, d, SETTLED, s, e);
                        for a in 0..N_AGE {
                            let stock = abroad[o + a];
                            if stock == 0.0 {
                                continue;
                            }
                            let mu = mortality[s][a] * mort_factor;
                            let f = stock * exit_factor(mu + h_ret + h_set);
                            let dead = f * mu;
                            let back = f * h_ret;
                            let settling = f * h_set;
                            ex.deaths += dead;
                            ex.returns_by_dest[d] += back;
                            ex.settlements += settling;
                            next_abroad[o + a] += stock - (dead + back + settling);
                            next_abroad[settled_o + a] += settling;
                            next_home[home_o + a] += back * (1.0 - to_capital);
                            next_home[cap_o + a] += back * to_capital;
                        }
                    }
                }
            }
        }
    }
    ex
}
