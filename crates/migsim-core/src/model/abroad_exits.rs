//! Exits from the stock of citizens abroad (MODEL.md 3.2, step 4): death,
//! return home, naturalisation and, for temporary migrants, settlement, as
//! competing risks.
//!
//! `h_return(d,k,e,t) = ρ_{d,k} · r_e · exp(−κ (V_{d,e}(t) − V_{d,e}(t0)))`: a
//! fall in what the destination offers (a devaluation) raises returns.
//! Returnees go to their origin region, `capital_share` of them to the capital.

use super::Model;
use super::abroad_runs::{Group, RunExits, run, survive_and_age};
use super::census::AbroadCensus;
use super::dims::{FEMALE, N_AGE, N_EDU, N_SEX, N_STATUS, SETTLED, TEMPORARY};
use super::hazard::DeathRisk;
use super::lanes::{self, Kernel, Lanes};
use super::levers::YearLevers;
use super::state::{abroad_at, home_at, naturalised_at};
use crate::declare::ByEducation;

crate::section! {
    /// Returns home and settlement abroad, beyond each destination's base hazards.
    pub struct Returns (RawReturns) {
        /// κ: response of return hazards to a fall in the destination's utility.
        kappa: f64 { unit: "-", min: 0.0, max: 10.0, expect: "an elasticity" },
        /// Share of returnees who settle in the capital rather than their origin region.
        capital_share: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Return hazard by education, relative.
        education_relative: ByEducation { unit: "ratio", min: 0.0, max: 10.0, expect: "a relative hazard" },
        /// Settlement hazard by education, relative.
        settle_education_relative: ByEducation { unit: "ratio", min: 0.0, max: 10.0, expect: "a relative hazard" },
    }
}

#[derive(Debug, Default, Clone)]
pub struct AbroadExits {
    pub deaths: f64,
    pub returns_by_dest: Vec<f64>,
    pub returns_by_sex: [f64; N_SEX],
    /// Citizens coming home by sex and age at 1 January, `[sex][age]` flat.
    pub returns_by_age: Vec<f64>,
    pub settlements: f64,
    pub naturalisations_by_dest: Vec<f64>,
    pub naturalisations_by_sex: [f64; N_SEX],
}

/// New emigrants, who join the stock abroad as it is rewritten.
pub struct Arrivals<'a> {
    /// By `(region, sex, education, age)`, in the layout of the home stock.
    pub emigrants: &'a [f64],
    /// Share of the emigrants of each education level going to each
    /// destination, `[destination][education]`.
    pub share: &'a [[f64; N_EDU]],
}

/// What the exits from abroad of one year act on and write to.
pub struct Apply<'a, 'b> {
    pub model: &'a Model,
    pub year: i32,
    /// This year's `V_{d,e}`.
    pub utility: &'a [[f64; N_EDU]],
    pub lev: &'a YearLevers,
    /// The residents' death risk by sex.
    pub death_home: &'a [DeathRisk; N_SEX],
    /// The stock abroad at 1 January, gathered.
    pub census: &'a AbroadCensus,
    pub arrivals: &'a Arrivals<'b>,
    /// The stock abroad, rewritten in place as next year's.
    pub abroad: &'a mut [f64],
    /// Next year's residents, being written: returnees join them.
    pub next_home: &'a mut [f64],
    /// Zero on entry; receives the census of the stock as rewritten.
    pub next: &'a mut AbroadCensus,
    /// Zero on entry; receives those who naturalise, at their age on 1
    /// January, in the layout of `State::naturalised`.
    pub naturalising: &'a mut [f64],
}

/// Applies this year's exits to the stock abroad, in place.
///
/// Rewrites every cell of `abroad` as next year's stock: the survivors who
/// stay, **one year older** (age a moves to a + 1, the open interval 100+
/// keeps its own), with this year's emigrants added at their age + 1, like
/// everyone else. Settlers move from the temporary to the settled run of the
/// same cell. Returnees are added to `next_home` before ageing, like every
/// other flow into it. Fusing exits, entries and ageing, in place, makes
/// this one pass over the largest array of the model, which stays in cache.
///
/// The loop runs over regions innermost: the exit probabilities of a
/// `(destination, status, sex, education)` run are computed once and stay in
/// the nearest cache while the regions' runs stream past them, and the
/// year's deaths, returns and settlements are dot products with the census,
/// the stock summed over regions.
pub fn apply(year: Apply) -> AbroadExits {
    lanes::dispatch(year)
}

impl Kernel for Apply<'_, '_> {
    type Out = AbroadExits;

    #[inline(always)]
    fn run<L: Lanes>(self, l: L) -> AbroadExits {
        let Apply {
            model,
            year,
            utility,
            lev,
            death_home,
            census,
            arrivals,
            abroad,
            next_home,
            next,
            naturalising,
        } = self;
        let p = &model.params;
        let nd = model.n_destinations;
        let nr = model.n_regions;
        let capital = p.capital;
        let to_capital = p.returns.capital_share;
        let per_region = nd * N_STATUS * N_SEX * N_EDU * N_AGE;
        let mut ex = AbroadExits {
            returns_by_dest: vec![0.0; nd],
            returns_by_age: vec![0.0; N_SEX * N_AGE],
            naturalisations_by_dest: vec![0.0; nd],
            ..Default::default()
        };
        // Death abroad by destination and sex: the residents' where the
        // mortality factor is 1 (the usual case), otherwise one per distinct
        // factor, shared by the destinations that have it.
        let mut deaths_by: Vec<(f64, [DeathRisk; N_SEX])> = Vec::new();
        let mut risk_of = Vec::with_capacity(nd);
        for dest in &p.destinations {
            let factor = p.mortality.abroad_factor * dest.mortality_factor;
            let i = if factor == 1.0 {
                None
            } else if let Some(i) = deaths_by.iter().position(|(f, _)| *f == factor) {
                Some(i)
            } else {
                let scaled = death_home.each_ref().map(|d| DeathRisk::new(d.mu.map(|m| m * factor)));
                deaths_by.push((factor, scaled));
                Some(deaths_by.len() - 1)
            };
            risk_of.push(i);
        }
        // Returnees of one (sex, education) by origin region and age.
        let mut back = vec![[0.0; N_AGE]; nr];
        let (mut xt, mut xs) = (RunExits::zero(), RunExits::zero());
        for s in 0..N_SEX {
            for e in 0..N_EDU {
                back.iter_mut().for_each(|b| b.fill(0.0));
                for (d, dest) in p.destinations.iter().enumerate() {
                    let death = match risk_of[d] {
                        Some(i) => &deaths_by[i].1[s],
                        None => &death_home[s],
                    };
                    let pull_change = (-p.returns.kappa * (utility[d][e] - model.utility0[d][e])).exp();
                    let h_ret = |k: usize| {
                        dest.return_rate(k) * p.returns.education_relative[e] * pull_change * lev.returns[d][k]
                    };
                    let h_set = dest.settle_rate * p.returns.settle_education_relative[e] * lev.settle[d];
                    let h_nat = |k: usize| dest.naturalise_rate(k, year);
                    xt.fill(death, h_ret(TEMPORARY), h_set, h_nat(TEMPORARY));
                    xs.fill(death, h_ret(SETTLED), 0.0, h_nat(SETTLED));
                    let nat: &mut [f64; N_AGE] = (&mut naturalising[naturalised_at(d, s, e)..][..N_AGE])
                        .try_into()
                        .expect("a run has N_AGE cells");
                    let (ot, os) = (abroad_at(nd, 0, d, TEMPORARY, s, e), abroad_at(nd, 0, d, SETTLED, s, e));
                    let share = arrivals.share[d][e];
                    // Regions two or three at a time: the lanes' sums of one
                    // region are a chain of dependent additions, and those of
                    // others interleave with it.
                    let mut first = 0;
                    while first < nr {
                        let group = Group {
                            abroad: &mut abroad[..],
                            back: &mut back[..],
                            emigrants: arrivals.emigrants,
                            first,
                            per_region,
                            runs: (ot, os),
                            cell: (s, e),
                            share,
                        };
                        let (xt, xs) = (&xt, &xs);
                        let (nat, totals) = (&mut *nat, next.runs_mut(d, s, e));
                        let (taken, work) = match nr - first {
                            1 => survive_and_age::<L, 1>(l, group, xt, xs, nat, totals),
                            2 | 4 => survive_and_age::<L, 2>(l, group, xt, xs, nat, totals),
                            _ => survive_and_age::<L, 3>(l, group, xt, xs, nat, totals),
                        };
                        for (i, [work_t, work_s]) in work.into_iter().take(taken).enumerate() {
                            let r = first + i;
                            next.add_workers(r, d, TEMPORARY, e, work_t);
                            next.add_workers(r, d, SETTLED, e, work_s);
                            if s == FEMALE {
                                let (lo, hi) = abroad[r * per_region..][..per_region].split_at(os);
                                next.add_women(r, d, TEMPORARY, run(&lo[ot..]));
                                next.add_women(r, d, SETTLED, run(hi));
                            }
                        }
                        first += taken;
                    }
                    let (total_t, total_s) = (census.run(d, TEMPORARY, s, e), census.run(d, SETTLED, s, e));
                    let dot = |x: &[f64], y: &[f64]| lanes::dot(l, x, y);
                    ex.deaths += dot(total_t, &xt.dead) + dot(total_s, &xs.dead);
                    ex.settlements += dot(total_t, &xt.settle);
                    let returns = dot(total_t, &xt.back) + dot(total_s, &xs.back);
                    ex.returns_by_dest[d] += returns;
                    ex.returns_by_sex[s] += returns;
                    let naturalisations = dot(total_t, &xt.nat) + dot(total_s, &xs.nat);
                    ex.naturalisations_by_dest[d] += naturalisations;
                    ex.naturalisations_by_sex[s] += naturalisations;
                }
                let by_age = &mut ex.returns_by_age[s * N_AGE..][..N_AGE];
                for (r, back_r) in back.iter().enumerate() {
                    for ((t, b), n) in next_home[home_at(r, s, e)..][..N_AGE]
                        .iter_mut()
                        .zip(back_r)
                        .zip(by_age.iter_mut())
                    {
                        *t += b * (1.0 - to_capital);
                        *n += b;
                    }
                    for (t, b) in next_home[home_at(capital, s, e)..][..N_AGE].iter_mut().zip(back_r) {
                        *t += b * to_capital;
                    }
                }
            }
        }
        ex
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dims::{FEMALE, MEDIUM};

    /// One year of exits from `abroad` with no emigrants arriving: the
    /// flows, and the stock abroad after.
    fn exits(
        model: &Model,
        utility: &[[f64; N_EDU]],
        mort: &[[f64; N_AGE]; N_SEX],
        abroad: &[f64],
        home: &mut [f64],
    ) -> (AbroadExits, Vec<f64>) {
        let (nr, nd) = (model.n_regions, model.n_destinations);
        let census = AbroadCensus::of(abroad, nr, nd);
        let emigrants = vec![0.0; model.params.home.len()];
        let share = vec![[0.0; N_EDU]; nd];
        let arrivals = Arrivals {
            emigrants: &emigrants,
            share: &share,
        };
        let mut next = abroad.to_vec();
        let lev = YearLevers::neutral(nr, nd);
        let mut next_census = AbroadCensus::zeros(nr, nd);
        let death = mort.map(DeathRisk::new);
        let mut naturalising = vec![0.0; model.params.naturalised.len()];
        let ex = apply(Apply {
            model,
            year: model.params.start_year,
            utility,
            lev: &lev,
            death_home: &death,
            census: &census,
            arrivals: &arrivals,
            abroad: &mut next,
            next_home: home,
            next: &mut next_census,
            naturalising: &mut naturalising,
        });
        let naturalised: f64 = naturalising.iter().sum();
        let by_dest: f64 = ex.naturalisations_by_dest.iter().sum();
        assert!((naturalised - by_dest).abs() <= 1e-9 * naturalised.max(1.0));
        assert_eq!(next_census.cells, AbroadCensus::of(&next, nr, nd).cells);
        (ex, next)
    }

    #[test]
    fn returnees_split_between_origin_and_capital_and_settlers_stay_abroad() {
        let mut model = crate::model::tiny_model();
        model.params.mortality.abroad_factor = 0.0; // no deaths: flows are exact
        for d in &mut model.params.destinations {
            d.naturalise_rate_temporary = crate::year_path::YearPath::constant(0.0);
        }
        let nd = model.n_destinations;
        let mut abroad = vec![0.0; model.params.abroad.len()];
        let south = 1;
        abroad[abroad_at(nd, south, 0, TEMPORARY, FEMALE, MEDIUM) + 30] = 1000.0;
        let mut home = vec![0.0; model.params.home.len()];
        let mort = [[0.0; N_AGE]; N_SEX];
        let (ex, next_abroad) = exits(&model, &model.utility0, &mort, &abroad, &mut home);
        let d = &model.params.destinations[0];
        let h = d.return_rate_temporary + d.settle_rate;
        let gone = 1000.0 * (1.0 - (-h).exp());
        let back = gone * d.return_rate_temporary / h;
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
    fn naturalisation_competes_with_return_and_settlement_and_leaves_the_citizens() {
        let mut model = crate::model::tiny_model();
        model.params.mortality.abroad_factor = 0.0;
        let (h_tn, h_sn) = (0.03, 0.08);
        model.params.destinations[0].naturalise_rate_temporary = crate::year_path::YearPath::constant(h_tn);
        model.params.destinations[0].naturalise_rate_settled = crate::year_path::YearPath::constant(h_sn);
        let nd = model.n_destinations;
        let mut abroad = vec![0.0; model.params.abroad.len()];
        abroad[abroad_at(nd, 1, 0, TEMPORARY, FEMALE, MEDIUM) + 30] = 1000.0;
        abroad[abroad_at(nd, 0, 0, SETTLED, FEMALE, MEDIUM) + 40] = 500.0;
        let mut home = vec![0.0; model.params.home.len()];
        let mort = [[0.0; N_AGE]; N_SEX];
        let (ex, next) = exits(&model, &model.utility0, &mort, &abroad, &mut home);
        let d = &model.params.destinations[0];
        let ht = d.return_rate_temporary + d.settle_rate + h_tn;
        let hs = d.return_rate_settled + h_sn;
        let from_t = 1000.0 * (1.0 - (-ht).exp()) * h_tn / ht;
        let from_s = 500.0 * (1.0 - (-hs).exp()) * h_sn / hs;
        assert!((ex.naturalisations_by_dest[0] - from_t - from_s).abs() < 1e-9);
        assert!((ex.naturalisations_by_sex[FEMALE] - from_t - from_s).abs() < 1e-9);
        let returned: f64 = home.iter().sum();
        let left = 1500.0 - next.iter().sum::<f64>();
        assert!((left - returned - from_t - from_s).abs() < 1e-9, "{left} {returned}");
    }

    #[test]
    fn the_widest_lanes_of_this_cpu_give_the_plain_lanes_bits() {
        let model = crate::model::tiny_model();
        let (nr, nd) = (model.n_regions, model.n_destinations);
        let abroad = model.params.abroad.as_slice().unwrap().to_vec();
        let census = AbroadCensus::of(&abroad, nr, nd);
        let emigrants: Vec<f64> = model.params.home.iter().map(|v| v * 0.013).collect();
        let share: Vec<[f64; N_EDU]> = (0..nd).map(|d| [0.3, 0.5, 0.7].map(|x| x / (d + 1) as f64)).collect();
        let arrivals = Arrivals {
            emigrants: &emigrants,
            share: &share,
        };
        let lev = YearLevers::neutral(nr, nd);
        let death = model.death_risk[0].clone();
        let mut worse = model.utility0.clone();
        worse[0] = worse[0].map(|v| v - 0.2);
        let year = |plain: bool| {
            let (mut stock, mut home) = (abroad.clone(), vec![0.5; model.params.home.len()]);
            let mut next = AbroadCensus::zeros(nr, nd);
            let mut naturalising = vec![0.0; model.params.naturalised.len()];
            let args = Apply {
                model: &model,
                year: model.params.start_year,
                utility: &worse,
                lev: &lev,
                death_home: &death,
                census: &census,
                arrivals: &arrivals,
                abroad: &mut stock,
                next_home: &mut home,
                next: &mut next,
                naturalising: &mut naturalising,
            };
            let ex = if plain {
                args.run(lanes::Plain)
            } else {
                lanes::dispatch(args)
            };
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let flows = [
                vec![ex.deaths, ex.settlements],
                ex.returns_by_dest,
                ex.naturalisations_by_dest,
            ]
            .concat();
            [stock, home, next.cells, next.workers, next.women, flows, naturalising].map(|x| bits(&x))
        };
        assert_eq!(year(true), year(false));
    }

    #[test]
    fn a_fall_in_what_the_destination_offers_raises_returns() {
        let model = crate::model::tiny_model();
        let abroad = model.params.abroad.as_slice().unwrap().to_vec();
        let mort = model.death_risk[0].each_ref().map(|d| d.mu);
        let run = |u: &[[f64; N_EDU]]| {
            let mut h = vec![0.0; model.params.home.len()];
            exits(&model, u, &mort, &abroad, &mut h).0.returns_by_dest[0]
        };
        let mut worse = model.utility0.clone();
        worse[0] = worse[0].map(|v| v - 0.3);
        assert!(run(&worse) > run(&model.utility0) * 1.2);
    }
}
