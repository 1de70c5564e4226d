//! Exits from the stock of citizens abroad (MODEL.md 3.2, step 4): death,
//! return home, naturalisation and, for temporary migrants, settlement, as
//! competing risks.
//!
//! `h_return(d,k,e,t) = ρ_{d,k} · r_e · exp(−κ (V_{d,e}(t) − V_{d,e}(t0)))`: a
//! fall in what the destination offers (a devaluation) raises returns.
//! Returnees go to their origin region, `capital_share` of them to the capital.

use super::Model;
use super::census::{AGE_BLOCK, AbroadCensus, WORKING};
use super::dims::{FEMALE, N_AGE, N_EDU, N_SEX, N_STATUS, SETTLED, TEMPORARY};
use super::hazard::{DeathRisk, combined, exit_probability, per_hazard};
use super::lanes::{self, Kernel, Lanes, block, block_mut, block8, block8_mut};
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

/// Exit probabilities of one `(destination, status, sex, education)` run of
/// ages: staying, dying, returning, settling, naturalising. They do not
/// depend on the origin region, so one set serves the nine runs of every
/// region.
struct RunExits {
    stay: [f64; N_AGE],
    dead: [f64; N_AGE],
    back: [f64; N_AGE],
    settle: [f64; N_AGE],
    nat: [f64; N_AGE],
}

impl RunExits {
    fn zero() -> RunExits {
        RunExits {
            stay: [0.0; N_AGE],
            dead: [0.0; N_AGE],
            back: [0.0; N_AGE],
            settle: [0.0; N_AGE],
            nat: [0.0; N_AGE],
        }
    }

    /// Overwrites these with the competing risks of death, return
    /// (`h_ret`), settlement (`h_set`) and naturalisation (`h_nat`): one
    /// buffer serves every run of a year.
    #[inline(always)]
    fn fill(&mut self, death: &DeathRisk, h_ret: f64, h_set: f64, h_nat: f64) {
        let others = h_ret + h_set + h_nat;
        let p_other = exit_probability(others);
        for a in 0..N_AGE {
            let p = combined(death.p[a], p_other);
            let f = per_hazard(p, death.mu[a] + others);
            self.dead[a] = f * death.mu[a];
            self.back[a] = f * h_ret;
            self.settle[a] = f * h_set;
            self.nat[a] = f * h_nat;
            self.stay[a] = 1.0 - p;
        }
    }
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

/// Consecutive regions' runs of one `(destination, sex, education)`, to be
/// rewritten together.
struct Group<'a> {
    /// The whole stock abroad.
    abroad: &'a mut [f64],
    /// Returnees of each region, by age.
    back: &'a mut [[f64; N_AGE]],
    /// Emigrants by `(region, sex, education, age)`.
    emigrants: &'a [f64],
    /// The first region of the group.
    first: usize,
    per_region: usize,
    /// Offsets of the temporary and the settled run in a region's block.
    runs: (usize, usize),
    /// Sex and education.
    cell: (usize, usize),
    /// Share of the emigrants coming to this destination.
    share: f64,
}

/// One region's runs, rewritten in place, and what leaves them.
struct Runs<'a> {
    temp: &'a mut [f64; N_AGE],
    settled: &'a mut [f64; N_AGE],
    emigrants: &'a [f64; N_AGE],
    back: &'a mut [f64; N_AGE],
}

impl<'a> Group<'a> {
    /// The runs of the group's first `R` regions.
    fn take<const R: usize>(self) -> [Runs<'a>; R] {
        let (ot, os) = self.runs;
        let (s, e) = self.cell;
        let per = self.per_region;
        let blocks = self.abroad[self.first * per..][..R * per].chunks_exact_mut(per);
        let mut regions = blocks.zip(&mut self.back[self.first..][..R]).enumerate();
        std::array::from_fn(|_| {
            let (i, (block, back)) = regions.next().expect("the group has R regions");
            // The settled run lies after the temporary one: split there.
            let (lo, hi) = block.split_at_mut(os);
            Runs {
                temp: run_mut(&mut lo[ot..]),
                settled: run_mut(hi),
                emigrants: run(&self.emigrants[home_at(self.first + i, s, e)..]),
                back,
            }
        })
    }
}

fn run(x: &[f64]) -> &[f64; N_AGE] {
    x[..N_AGE].try_into().expect("a run has N_AGE cells")
}

fn run_mut(x: &mut [f64]) -> &mut [f64; N_AGE] {
    (&mut x[..N_AGE]).try_into().expect("a run has N_AGE cells")
}

/// The most regions rewritten together.
const MOST: usize = 3;

/// Whether the ages of a block of eight starting at `a + 1` are all of
/// working age, none, or some.
#[derive(Clone, Copy, PartialEq)]
enum Working {
    All,
    None,
    Some,
}

const fn working_of(a: usize, n: usize) -> Working {
    let mut count = 0;
    let mut i = 0;
    while i < n {
        if WORKING[a + 1 + i] == 1.0 {
            count += 1;
        }
        i += 1;
    }
    match count {
        0 => Working::None,
        c if c == n => Working::All,
        _ => Working::Some,
    }
}

/// The regions of a group, `R` of them (or fewer, if fewer are left),
/// rewritten as next year's: the stayers and arriving emigrants one year
/// older, the returnees added to their region's `back` and those who
/// naturalise to `nat` by age (at 1 January, not yet older). The census of
/// the new runs is gathered while each block is at hand: they are added to
/// `totals` (temporary, settled: the sums over regions, in the order of the
/// regions), and their people of working age are returned, as
/// `census::working` counts them. Returns how many regions it took.
#[inline(always)]
fn survive_and_age<L: Lanes, const R: usize>(
    l: L,
    group: Group,
    xt: &RunExits,
    xs: &RunExits,
    nat: &mut [f64; N_AGE],
    totals: (&mut [f64; N_AGE], &mut [f64; N_AGE]),
) -> (usize, [[f64; 2]; MOST]) {
    const { assert!(R >= 1 && R <= MOST) };
    let share = group.share;
    let mut runs = group.take::<R>();
    let (total_t, total_s) = totals;
    // In place, youngest first, in blocks of eight ages and a last block of
    // four: a block's results are computed together and written one age
    // up, over the first cell of the next block, which is therefore read
    // before. The open interval's own survivors are computed first, before
    // the last block overwrites its cell, and join that block's last cell.
    // The people of working age are summed in four lanes over blocks of
    // four (`census::working`), the two halves of an eight in turn; a
    // block with no one of working age adds nothing and is skipped, one
    // with everyone needs no weights.
    const OPEN: usize = N_AGE - 1;
    const LAST: usize = OPEN - AGE_BLOCK;
    const EIGHTS: usize = LAST / 8;
    const _: () = assert!(LAST.is_multiple_of(8), "eights then one four cover ages 0..=99");
    const KIND: [Working; EIGHTS] = {
        let mut k = [Working::None; EIGHTS];
        let mut i = 0;
        while i < EIGHTS {
            k[i] = working_of(8 * i, 8);
            i += 1;
        }
        k
    };
    const LAST_KIND: Working = working_of(LAST, AGE_BLOCK);
    let stay: [(f64, f64); R] = std::array::from_fn(|i| {
        let g = &mut runs[i];
        let (t_open, s_open) = (g.temp[OPEN], g.settled[OPEN]);
        g.back[OPEN] += t_open * xt.back[OPEN] + s_open * xs.back[OPEN];
        nat[OPEN] += t_open * xt.nat[OPEN] + s_open * xs.nat[OPEN];
        (
            t_open * xt.stay[OPEN] + g.emigrants[OPEN] * share,
            s_open * xs.stay[OPEN] + t_open * xt.settle[OPEN],
        )
    });
    // One block from age `a` at one width for every region: their
    // survivors one year older, those leaving added to `back` and `nat`,
    // the survivors written at `a + 1` and added to the totals.
    macro_rules! block_of {
        ($a:expr, $t:expr, $st:expr, $share:expr,
         $blk:ident, $blk_mut:ident, $load:ident, $store:ident, $add:ident, $mul:ident) => {{
            let (a, t, st): (usize, [_; R], [_; R]) = ($a, $t, $st);
            let (stay_t, settle_t, stay_s) = (
                l.$load($blk(&xt.stay, a)),
                l.$load($blk(&xt.settle, a)),
                l.$load($blk(&xs.stay, a)),
            );
            let (back_t, back_s) = (l.$load($blk(&xt.back, a)), l.$load($blk(&xs.back, a)));
            let (nat_t, nat_s) = (l.$load($blk(&xt.nat, a)), l.$load($blk(&xs.nat, a)));
            let (mut next_t, mut next_s) = (t, st);
            let mut naturalised = l.$load($blk(nat, a));
            for i in 0..R {
                let g = &mut runs[i];
                next_t[i] = l.$add(l.$mul(t[i], stay_t), l.$mul(l.$load($blk(g.emigrants, a)), $share));
                next_s[i] = l.$add(l.$mul(st[i], stay_s), l.$mul(t[i], settle_t));
                let back_a = $blk_mut(g.back, a);
                let returning = l.$add(l.$mul(t[i], back_t), l.$mul(st[i], back_s));
                l.$store(back_a, l.$add(l.$load(back_a), returning));
                naturalised = l.$add(naturalised, l.$add(l.$mul(t[i], nat_t), l.$mul(st[i], nat_s)));
            }
            l.$store($blk_mut(nat, a), naturalised);
            (next_t, next_s)
        }};
    }
    macro_rules! write {
        ($a:expr, $next_t:expr, $next_s:expr, $blk:ident, $blk_mut:ident, $load:ident, $store:ident, $add:ident) => {{
            let (a, next_t, next_s): (usize, [_; R], [_; R]) = ($a, $next_t, $next_s);
            let (mut sum_t, mut sum_s) = (l.$load($blk(total_t, a + 1)), l.$load($blk(total_s, a + 1)));
            for i in 0..R {
                let g = &mut runs[i];
                l.$store($blk_mut(g.temp, a + 1), next_t[i]);
                l.$store($blk_mut(g.settled, a + 1), next_s[i]);
                sum_t = l.$add(sum_t, next_t[i]);
                sum_s = l.$add(sum_s, next_s[i]);
            }
            l.$store($blk_mut(total_t, a + 1), sum_t);
            l.$store($blk_mut(total_s, a + 1), sum_s);
        }};
    }
    let mut work = [(l.splat(0.0), l.splat(0.0)); R];
    let (share4, share8) = (l.splat(share), l.splat8(share));
    // Eight ages from `a`, their people of working age added to the lanes.
    macro_rules! eight {
        ($a:expr, $t:expr, $st:expr) => {{
            let a: usize = $a;
            let (next_t, next_s) = block_of!(a, $t, $st, share8, block8, block8_mut, load8, store8, add8, mul8);
            write!(a, next_t, next_s, block8, block8_mut, load8, store8, add8);
            let kind = KIND[a / 8];
            if kind != Working::None {
                let weights = l.load8(block8(&WORKING, a + 1));
                for i in 0..R {
                    let (mut wt, mut ws) = (next_t[i], next_s[i]);
                    if kind == Working::Some {
                        (wt, ws) = (l.mul8(wt, weights), l.mul8(ws, weights));
                    }
                    let ((lo_t, hi_t), (lo_s, hi_s)) = (l.halves(wt), l.halves(ws));
                    work[i].0 = l.add(l.add(work[i].0, lo_t), hi_t);
                    work[i].1 = l.add(l.add(work[i].1, lo_s), hi_s);
                }
            }
        }};
    }
    let load8_all = |runs: &[Runs; R], a: usize| -> ([L::W; R], [L::W; R]) {
        (
            std::array::from_fn(|i| l.load8(block8(&runs[i].temp[..], a))),
            std::array::from_fn(|i| l.load8(block8(&runs[i].settled[..], a))),
        )
    };
    let (mut t, mut st) = load8_all(&runs, 0);
    for a in (0..LAST - 8).step_by(8) {
        let next_in = load8_all(&runs, a + 8);
        eight!(a, t, st);
        (t, st) = next_in;
    }
    let t4: [L::V; R] = std::array::from_fn(|i| l.load(block(&runs[i].temp[..], LAST)));
    let st4: [L::V; R] = std::array::from_fn(|i| l.load(block(&runs[i].settled[..], LAST)));
    eight!(LAST - 8, t, st);
    let (mut next_t, mut next_s) = block_of!(LAST, t4, st4, share4, block, block_mut, load, store, add, mul);
    for i in 0..R {
        // The open interval keeps its survivors, joined by those turning 100.
        next_t[i] = l.add(next_t[i], l.load(&[0.0, 0.0, 0.0, stay[i].0]));
        next_s[i] = l.add(next_s[i], l.load(&[0.0, 0.0, 0.0, stay[i].1]));
    }
    write!(LAST, next_t, next_s, block, block_mut, load, store, add);
    if LAST_KIND != Working::None {
        let weights = l.load(block(&WORKING, LAST + 1));
        for i in 0..R {
            work[i].0 = l.add(work[i].0, l.mul(next_t[i], weights));
            work[i].1 = l.add(work[i].1, l.mul(next_s[i], weights));
        }
    }
    for g in &mut runs {
        g.temp[0] = 0.0;
        g.settled[0] = 0.0;
    }
    let mut out = [[0.0; 2]; MOST];
    for (o, (t, s)) in out.iter_mut().zip(work) {
        *o = [l.total(t), l.total(s)];
    }
    (R, out)
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

    #[derive(Clone, Copy, Debug)]
    enum Width {
        Plain,
        #[cfg(target_arch = "x86_64")]
        Avx(lanes::Avx),
        Widest,
    }

    /// Three regions' runs rewritten one, two or three at a time, in plain
    /// lanes, in AVX's (eight as two fours) and in the widest this CPU
    /// has: the same bits, whatever the grouping and the lanes.
    #[test]
    fn regions_rewritten_together_give_the_bits_of_one_at_a_time() {
        const NR: usize = 3;
        let per_region = 2 * N_AGE;
        let cell = |i: usize| 1.0 + ((i * 7919) % 1000) as f64 / 7.0;
        let abroad: Vec<f64> = (0..NR * per_region).map(cell).collect();
        let emigrants: Vec<f64> = (0..NR * N_SEX * N_EDU * N_AGE).map(|i| cell(i + 5) * 0.01).collect();
        let death = DeathRisk::new(std::array::from_fn(|a| 1e-4 * 1.09f64.powi(a as i32)));
        let (mut xt, mut xs) = (RunExits::zero(), RunExits::zero());
        xt.fill(&death, 0.07, 0.02, 0.004);
        xs.fill(&death, 0.01, 0.0, 0.03);
        let year = |sizes: &[usize], lanes: Width| {
            let (mut stock, mut back) = (abroad.clone(), vec![[0.5; N_AGE]; NR]);
            let (mut nat, mut total_t, mut total_s) = ([0.25; N_AGE], [0.0; N_AGE], [0.0; N_AGE]);
            let mut work = Vec::new();
            let mut first = 0;
            for &size in sizes {
                let group = Group {
                    abroad: &mut stock,
                    back: &mut back,
                    emigrants: &emigrants,
                    first,
                    per_region,
                    runs: (0, N_AGE),
                    cell: (FEMALE, MEDIUM),
                    share: 0.3,
                };
                let totals = (&mut total_t, &mut total_s);
                struct One<'a, 'b>(
                    Group<'a>,
                    &'b RunExits,
                    &'b RunExits,
                    &'b mut [f64; N_AGE],
                    usize,
                    (&'b mut [f64; N_AGE], &'b mut [f64; N_AGE]),
                );
                impl Kernel for One<'_, '_> {
                    type Out = (usize, [[f64; 2]; MOST]);
                    fn run<L: Lanes>(self, l: L) -> Self::Out {
                        let One(group, xt, xs, nat, size, totals) = self;
                        match size {
                            1 => survive_and_age::<L, 1>(l, group, xt, xs, nat, totals),
                            2 => survive_and_age::<L, 2>(l, group, xt, xs, nat, totals),
                            _ => survive_and_age::<L, 3>(l, group, xt, xs, nat, totals),
                        }
                    }
                }
                let args = One(group, &xt, &xs, &mut nat, size, totals);
                let (taken, w) = match lanes {
                    Width::Plain => args.run(lanes::Plain),
                    #[cfg(target_arch = "x86_64")]
                    Width::Avx(avx) => args.run(avx),
                    Width::Widest => lanes::dispatch(args),
                };
                assert_eq!(taken, size);
                work.extend(w[..taken].iter().flatten().copied());
                first += taken;
            }
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            [
                stock,
                back.concat(),
                nat.to_vec(),
                total_t.to_vec(),
                total_s.to_vec(),
                work,
            ]
            .map(|x| bits(&x))
        };
        let one_at_a_time = year(&[1, 1, 1], Width::Plain);
        let mut widths = vec![Width::Plain, Width::Widest];
        #[cfg(target_arch = "x86_64")]
        widths.extend(lanes::Avx::detect().map(Width::Avx));
        for sizes in [&[3][..], &[2, 1], &[1, 2], &[1, 1, 1]] {
            for &lanes in &widths {
                assert!(year(sizes, lanes) == one_at_a_time, "groups {sizes:?}, lanes {lanes:?}");
            }
        }
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
        let death = model.mortality[0].map(DeathRisk::new);
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
        let mort = model.mortality[0];
        let run = |u: &[[f64; N_EDU]]| {
            let mut h = vec![0.0; model.params.home.len()];
            exits(&model, u, &mort, &abroad, &mut h).0.returns_by_dest[0]
        };
        let mut worse = model.utility0.clone();
        worse[0] = worse[0].map(|v| v - 0.3);
        assert!(run(&worse) > run(&model.utility0) * 1.2);
    }
}
