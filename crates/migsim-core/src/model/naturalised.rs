//! The naturalised (MODEL.md 3.2): Kyrgyz-born abroad who took the
//! destination's citizenship. They left the citizens abroad through
//! `abroad_exits`; here they age, die and, rarely, come home.
//!
//! `N_{d,s,e}(a+1, t+1) = N_{d,s,e}(a, t) · (1 − p_{d,s}(a)) + Z_{d,s,e}(a, t)`,
//! where `p` is the probability of death or return from the competing
//! hazards `μ_s(a) · m_d` and `ρ^N_d`, and `Z` those who naturalised during
//! year t at age a on 1 January. Their children are the destination's
//! citizens by birth and are not followed. Their origin region is not kept:
//! those who return, and their remittances, are spread over regions as the
//! citizens abroad are.

use super::Model;
use super::dims::{N_AGE, N_EDU, N_SEX, WORK_AGES};
use super::hazard::{DeathRisk, combined, exit_probability, per_hazard};
use super::state::{home_at, naturalised_at};

/// What happened to the naturalised during one year.
#[derive(Debug, Clone, Default)]
pub struct NaturalisedYear {
    pub deaths: f64,
    pub returns_by_dest: Vec<f64>,
    pub returns_by_sex: [f64; N_SEX],
    /// Returns by sex and age at 1 January, `[sex][age]` flat.
    pub returns_by_age: Vec<f64>,
}

/// The naturalised of working age, `[destination][education]`: what their
/// remittances are earned by.
pub fn workers(stock: &[f64], n_dest: usize) -> Vec<[f64; N_EDU]> {
    (0..n_dest)
        .map(|d| {
            std::array::from_fn(|e| {
                (0..N_SEX)
                    .map(|s| stock[naturalised_at(d, s, e)..][WORK_AGES].iter().sum::<f64>())
                    .sum()
            })
        })
        .collect()
}

/// One year of the naturalised, in place: survivors one year older, the
/// year's naturalisations (`inflow`, at their age on 1 January) added one
/// year older like everyone else. Returnees join `next_home` before
/// ageing, `capital_share` of them in the capital and the rest spread over
/// regions by `origin` (shares summing to 1).
pub fn advance(
    model: &Model,
    return_factor: f64,
    death_home: &[DeathRisk; N_SEX],
    stock: &mut [f64],
    inflow: &[f64],
    origin: &[f64],
    next_home: &mut [f64],
) -> NaturalisedYear {
    super::lanes::dispatch(Advance {
        model,
        return_factor,
        death_home,
        stock,
        inflow,
        origin,
        next_home,
    })
}

/// The arguments of `advance`, for `lanes::dispatch`: its loops are compiled
/// for the widest vector instructions the CPU has.
struct Advance<'a> {
    model: &'a Model,
    return_factor: f64,
    death_home: &'a [DeathRisk; N_SEX],
    stock: &'a mut [f64],
    inflow: &'a [f64],
    origin: &'a [f64],
    next_home: &'a mut [f64],
}

impl super::lanes::Kernel for Advance<'_> {
    type Out = NaturalisedYear;

    #[inline(always)]
    fn run<L: super::lanes::Lanes>(self, _: L) -> NaturalisedYear {
        let Advance {
            model,
            return_factor,
            death_home,
            stock,
            inflow,
            origin,
            next_home,
        } = self;
        let p = &model.params;
        let nd = model.n_destinations;
        let mut out = NaturalisedYear {
            returns_by_dest: vec![0.0; nd],
            ..Default::default()
        };
        let mut stay = [0.0; N_AGE];
        let mut back = [0.0; N_AGE];
        let mut dead = [0.0; N_AGE];
        // Returnees by sex, education and age, all destinations together: they
        // are spread over regions once.
        let mut returning = [[[0.0; N_AGE]; N_EDU]; N_SEX];
        for (d, dest) in p.destinations.iter().enumerate() {
            let factor = p.mortality.abroad_factor * dest.mortality_factor;
            let h_ret = dest.return_rate_naturalised * return_factor;
            let p_ret = exit_probability(h_ret);
            for s in 0..N_SEX {
                // The residents' death risk where the factor is 1, the usual case.
                let scaled;
                let death = if factor == 1.0 {
                    &death_home[s]
                } else {
                    scaled = DeathRisk::new(death_home[s].mu.map(|m| m * factor));
                    &scaled
                };
                for a in 0..N_AGE {
                    let p_exit = combined(death.p[a], p_ret);
                    let f = per_hazard(p_exit, death.mu[a] + h_ret);
                    dead[a] = f * death.mu[a];
                    back[a] = f * h_ret;
                    stay[a] = 1.0 - p_exit;
                }
                // The three education levels' sums side by side: each is still
                // summed age by age, but their chains of additions interleave.
                let runs: [&[f64; N_AGE]; N_EDU] = std::array::from_fn(|e| {
                    stock[naturalised_at(d, s, e)..][..N_AGE]
                        .try_into()
                        .expect("a run has N_AGE cells")
                });
                let (mut deaths, mut returns) = ([0.0; N_EDU], [0.0; N_EDU]);
                for a in 0..N_AGE {
                    for e in 0..N_EDU {
                        let r = runs[e][a] * back[a];
                        returning[s][e][a] += r;
                        returns[e] += r;
                        deaths[e] += runs[e][a] * dead[a];
                    }
                }
                for e in 0..N_EDU {
                    out.deaths += deaths[e];
                    out.returns_by_dest[d] += returns[e];
                    out.returns_by_sex[s] += returns[e];
                    let o = naturalised_at(d, s, e);
                    let run = &mut stock[o..][..N_AGE];
                    let new = &inflow[o..][..N_AGE];
                    let open = run[N_AGE - 1] * stay[N_AGE - 1] + new[N_AGE - 1];
                    for a in (1..N_AGE).rev() {
                        run[a] = run[a - 1] * stay[a - 1] + new[a - 1];
                    }
                    run[N_AGE - 1] += open;
                    run[0] = 0.0;
                }
            }
        }
        out.returns_by_age = vec![0.0; N_SEX * N_AGE];
        for (s, by_edu) in returning.iter().enumerate() {
            for run in by_edu {
                for (t, v) in out.returns_by_age[s * N_AGE..][..N_AGE].iter_mut().zip(run) {
                    *t += v;
                }
            }
        }
        if out.returns_by_sex.iter().any(|v| *v > 0.0) {
            let to_capital = p.returns.capital_share;
            let regions = origin.iter().enumerate().map(|(r, w)| (r, (1.0 - to_capital) * w));
            for (r, w) in regions.chain(std::iter::once((p.capital, to_capital))) {
                for (s, by_edu) in returning.iter().enumerate() {
                    for (e, run) in by_edu.iter().enumerate() {
                        for (t, v) in next_home[home_at(r, s, e)..][..N_AGE].iter_mut().zip(run) {
                            *t += v * w;
                        }
                    }
                }
            }
        }
        out
    }
}

/// Citizens abroad of working age by origin region, as shares: where the
/// naturalised came from. The residents' regions when no one is abroad.
pub fn origins(workers: &[f64], n_regions: usize, residents: &[f64]) -> Vec<f64> {
    let per_region = workers.len() / n_regions.max(1);
    let by_region: Vec<f64> = workers
        .chunks_exact(per_region.max(1))
        .map(|w| w.iter().sum())
        .collect();
    let total: f64 = by_region.iter().sum();
    if total > 0.0 {
        by_region.iter().map(|v| v / total).collect()
    } else {
        let res_total: f64 = residents.iter().sum();
        residents.iter().map(|v| v / res_total.max(1.0)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_naturalised_age_die_and_return_by_competing_risks() {
        let mut model = crate::model::tiny_model();
        model.params.destinations[0].return_rate_naturalised = 0.02;
        let nd = model.n_destinations;
        let mut stock = vec![0.0; model.params.naturalised.len()];
        stock[naturalised_at(0, 1, 2) + 50] = 800.0;
        let mut inflow = vec![0.0; stock.len()];
        inflow[naturalised_at(0, 1, 2) + 30] = 100.0;
        let death = model.death_risk[0].clone();
        let origin = vec![0.25, 0.75];
        let mut home = vec![0.0; model.params.home.len()];
        let out = advance(&model, 1.0, &death, &mut stock, &inflow, &origin, &mut home);
        assert_eq!(out.returns_by_dest.len(), nd);
        let mu = death[1].mu[50] * model.params.mortality.abroad_factor;
        let h = mu + 0.02;
        let gone = 800.0 * (1.0 - (-h).exp());
        assert!((out.returns_by_dest[0] - gone * 0.02 / h).abs() < 1e-9);
        assert!((out.deaths - gone * mu / h).abs() < 1e-9);
        assert!((stock[naturalised_at(0, 1, 2) + 51] - (800.0 - gone)).abs() < 1e-9);
        assert_eq!(stock[naturalised_at(0, 1, 2) + 31], 100.0);
        let back: f64 = home.iter().sum();
        assert!((back - out.returns_by_dest[0]).abs() < 1e-9);
    }
}
