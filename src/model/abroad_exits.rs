//! Exits from the stock abroad (MODEL.md 3.2, step 4): death, return home and,
//! for temporary migrants, settlement, as competing risks.
//!
//! `h_return(d,k,e,t) = ρ_{d,k} · r_e · exp(−κ (V_{d,e}(t) − V_{d,e}(t0)))`: a
//! fall in what the destination offers (a devaluation) raises returns.
//! Returnees go to their origin region, `capital_share` of them to the capital.

use super::Model;
use super::dims::{N_AGE, N_EDU, N_SEX, N_STATUS, SETTLED, TEMPORARY};
use super::hazard::exit_factor;
use super::levers::YearLevers;
use super::state::{abroad_at, home_at};
use super::sums::{dot, sum};

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
    lev: &YearLevers,
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
    // Hazards depend on destination, status, sex, education and age but not on
    // the origin region: the exit probabilities are computed once here and
    // applied to every region below (a ninth of the exponentials).
    let cells = nd * N_STATUS * N_SEX * N_EDU;
    let mut p_dead = vec![0.0; cells * N_AGE];
    let mut p_back = vec![0.0; cells * N_AGE];
    let mut p_settle = vec![0.0; cells * N_AGE];
    for (d, dest) in p.destinations.iter().enumerate() {
        let mort_factor = p.mortality.abroad_factor * dest.mortality_factor;
        for e in 0..N_EDU {
            let pull_change = (-p.returns.kappa * (utility[d][e] - model.utility0[d][e])).exp();
            let settle = dest.settle_hazard * p.returns.settle_education_relative[e] * lev.settle[d];
            for k in 0..N_STATUS {
                let h_ret = dest.return_hazard[k] * p.returns.education_relative[e] * pull_change * lev.returns[d][k];
                let h_set = if k == TEMPORARY { settle } else { 0.0 };
                for s in 0..N_SEX {
                    let o = abroad_at(nd, 0, d, k, s, e);
                    for a in 0..N_AGE {
                        let mu = mortality[s][a] * mort_factor;
                        let f = exit_factor(mu + h_ret + h_set);
                        p_dead[o + a] = f * mu;
                        p_back[o + a] = f * h_ret;
                        p_settle[o + a] = f * h_set;
                    }
                }
            }
        }
    }
    let per_region = cells * N_AGE;
    let mut back = [0.0; N_AGE];
    for r in 0..model.n_regions {
        let region = &abroad[r * per_region..(r + 1) * per_region];
        for d in 0..nd {
            for k in 0..N_STATUS {
                for s in 0..N_SEX {
                    for e in 0..N_EDU {
                        let o = abroad_at(nd, 0, d, k, s, e);
                        let stock = &region[o..o + N_AGE];
                        let (pd, pb, ps) = (&p_dead[o..o + N_AGE], &p_back[o..o + N_AGE], &p_settle[o..o + N_AGE]);
                        let stay = &mut next_abroad[r * per_region + o..][..N_AGE];
                        for (((((st, x), pd), pb), ps), b) in
                            stay.iter_mut().zip(stock).zip(pd).zip(pb).zip(ps).zip(back.iter_mut())
                        {
                            let gone_back = x * pb;
                            *b = gone_back;
                            *st += x - (x * pd + gone_back + x * ps);
                        }
                        // Totals in separate passes over the (cached) run:
                        // lane sums instead of one chain of additions.
                        let dead = dot(stock, pd);
                        let settling = dot(stock, ps);
                        let returning = sum(&back);
                        if settling > 0.0 {
                            let settled =
                                &mut next_abroad[r * per_region + abroad_at(nd, 0, d, SETTLED, s, e)..][..N_AGE];
                            for ((t, x), p) in settled.iter_mut().zip(stock).zip(ps) {
                                *t += x * p;
                            }
                        }
                        ex.deaths += dead;
                        ex.settlements += settling;
                        ex.returns_by_dest[d] += returning;
                        if returning > 0.0 {
                            let home_o = home_at(r, s, e);
                            for (t, b) in next_home[home_o..][..N_AGE].iter_mut().zip(&back) {
                                *t += b * (1.0 - to_capital);
                            }
                            for (t, b) in next_home[home_at(capital, s, e)..][..N_AGE].iter_mut().zip(&back) {
                                *t += b * to_capital;
                            }
                        }
                    }
                }
            }
        }
    }
    ex
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dims::{FEMALE, MEDIUM};

    #[test]
    fn returnees_split_between_origin_and_capital_and_settlers_stay_abroad() {
        let mut model = crate::model::tiny_model();
        model.params.mortality.abroad_factor = 0.0; // no deaths: flows are exact
        let nd = model.n_destinations;
        let mut abroad = vec![0.0; model.params.abroad.len()];
        let south = 1;
        abroad[abroad_at(nd, south, 0, TEMPORARY, FEMALE, MEDIUM) + 30] = 1000.0;
        let mut home = vec![0.0; model.params.home.len()];
        let mut next_abroad = vec![0.0; abroad.len()];
        let mort = [[0.0; N_AGE]; N_SEX];
        let ex = apply(
            &model,
            &model.utility0.clone(),
            &YearLevers::neutral(model.n_regions, model.n_destinations),
            &mort,
            &abroad,
            &mut home,
            &mut next_abroad,
        );
        let d = &model.params.destinations[0];
        let h = d.return_hazard[TEMPORARY] + d.settle_hazard;
        let gone = 1000.0 * (1.0 - (-h).exp());
        let back = gone * d.return_hazard[TEMPORARY] / h;
        assert!((ex.returns_by_dest[0] - back).abs() < 1e-9);
        assert!((ex.settlements - (gone - back)).abs() < 1e-9);
        let cap = model.params.capital;
        let share = model.params.returns.capital_share;
        assert!((home[home_at(cap, FEMALE, MEDIUM) + 30] - back * share).abs() < 1e-9);
        assert!((home[home_at(south, FEMALE, MEDIUM) + 30] - back * (1.0 - share)).abs() < 1e-9);
        let settled = next_abroad[abroad_at(nd, south, 0, SETTLED, FEMALE, MEDIUM) + 30];
        assert!((settled - (gone - back)).abs() < 1e-9);
    }

    #[test]
    fn a_fall_in_what_the_destination_offers_raises_returns() {
        let model = crate::model::tiny_model();
        let abroad = model.params.abroad.as_slice().unwrap().to_vec();
        let mort = model.mortality[0];
        let run = |u: &[[f64; N_EDU]]| {
            let mut h = vec![0.0; model.params.home.len()];
            let mut a = vec![0.0; abroad.len()];
            apply(
                &model,
                u,
                &YearLevers::neutral(model.n_regions, model.n_destinations),
                &mort,
                &abroad,
                &mut h,
                &mut a,
            )
            .returns_by_dest[0]
        };
        let mut worse = model.utility0.clone();
        worse[0] = worse[0].map(|v| v - 0.3);
        assert!(run(&worse) > run(&model.utility0) * 1.2);
    }
}
