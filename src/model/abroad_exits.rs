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
use super::sums::dot;

#[derive(Debug, Default, Clone)]
pub struct AbroadExits {
    pub deaths: f64,
    pub returns_by_dest: Vec<f64>,
    pub settlements: f64,
}

/// Exit probabilities of one `(destination, status, sex, education)` run of
/// ages: staying, dying, returning, settling.
struct RunExits<'a> {
    stay: &'a [f64],
    dead: &'a [f64],
    back: &'a [f64],
    settle: &'a [f64],
}

/// Applies this year's exits to the stock abroad. `utility` is this year's
/// `V_{d,e}`; `mortality` the home hazard `[sex][age]`.
///
/// Writes every cell of `next_abroad` (no need to clear it first) with the
/// survivors who stay, **already one year older** (age a moves to a + 1, the
/// open interval 100+ keeps its own): fusing exits and ageing saves a pass
/// over the largest array of the model. Settlers move from the temporary to
/// the settled run of the same cell. Returnees are added to `next_home`
/// before ageing, like every other flow into it.
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
    let cells = nd * N_STATUS * N_SEX * N_EDU * N_AGE;
    let mut p_stay = vec![0.0; cells];
    let mut p_dead = vec![0.0; cells];
    let mut p_back = vec![0.0; cells];
    let mut p_settle = vec![0.0; cells];
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
                        p_stay[o + a] = 1.0 - f * (mu + h_ret + h_set);
                    }
                }
            }
        }
    }
    let exits = |o: usize| RunExits {
        stay: &p_stay[o..o + N_AGE],
        dead: &p_dead[o..o + N_AGE],
        back: &p_back[o..o + N_AGE],
        settle: &p_settle[o..o + N_AGE],
    };
    let per_region = cells;
    for r in 0..model.n_regions {
        let region = &abroad[r * per_region..(r + 1) * per_region];
        let next_region = &mut next_abroad[r * per_region..(r + 1) * per_region];
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                // Returnees of every destination and status, by age.
                let mut back = [0.0; N_AGE];
                for d in 0..nd {
                    let (ot, os) = (abroad_at(nd, 0, d, TEMPORARY, s, e), abroad_at(nd, 0, d, SETTLED, s, e));
                    let (temp, settled) = (&region[ot..ot + N_AGE], &region[os..os + N_AGE]);
                    let (xt, xs) = (exits(ot), exits(os));
                    // The settled run lies after the temporary one: split there.
                    let (lo, hi) = next_region.split_at_mut(os);
                    let (next_t, next_s) = (&mut lo[ot..ot + N_AGE], &mut hi[..N_AGE]);
                    next_t[0] = 0.0;
                    next_s[0] = 0.0;
                    for a in 0..N_AGE {
                        // Age a moves to a + 1; the open interval stays.
                        let to = (a + 1).min(N_AGE - 1);
                        let (t, st) = (temp[a], settled[a]);
                        let stay_t = t * xt.stay[a];
                        let stay_s = st * xs.stay[a] + t * xt.settle[a];
                        if a + 1 < N_AGE {
                            next_t[to] = stay_t;
                            next_s[to] = stay_s;
                        } else {
                            next_t[to] += stay_t;
                            next_s[to] += stay_s;
                        }
                        back[a] += t * xt.back[a] + st * xs.back[a];
                    }
                    ex.deaths += dot(temp, xt.dead) + dot(settled, xs.dead);
                    ex.settlements += dot(temp, xt.settle);
                    ex.returns_by_dest[d] += dot(temp, xt.back) + dot(settled, xs.back);
                }
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
        // The stock abroad comes out one year older.
        let settled = next_abroad[abroad_at(nd, south, 0, SETTLED, FEMALE, MEDIUM) + 31];
        assert!((settled - (gone - back)).abs() < 1e-9);
        let stayed = next_abroad[abroad_at(nd, south, 0, TEMPORARY, FEMALE, MEDIUM) + 31];
        assert!((stayed - (1000.0 - gone)).abs() < 1e-9);
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
