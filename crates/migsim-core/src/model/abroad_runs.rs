//! The stock abroad rewritten in place, a group of origin regions at a time
//! (`abroad_exits`, step 4): the competing exits of one `(destination,
//! status, sex, education)` run of ages (`RunExits`), and the pass that
//! turns regions' runs into next year's, gathering their census as it goes
//! (`survive_and_age`).
//!
//! Regions go two or three to a pass: the exit probabilities are loaded
//! once for all of them, and each region's people of working age are four
//! running sums whose order is fixed (so that the census equals
//! `census::working` to the last bit); one region per pass leaves the core
//! waiting on those additions, several interleave them.

use super::census::{AGE_BLOCK, WORKING};
use super::dims::N_AGE;
use super::hazard::{DeathRisk, combined, exit_probability, per_hazard};
use super::lanes::{Lanes, block, block_mut, block8, block8_mut};
use super::state::home_at;

/// Exit probabilities of one `(destination, status, sex, education)` run of
/// ages: staying, dying, returning, settling, naturalising. They do not
/// depend on the origin region, so one set serves the nine runs of every
/// region.
pub(super) struct RunExits {
    pub(super) stay: [f64; N_AGE],
    pub(super) dead: [f64; N_AGE],
    pub(super) back: [f64; N_AGE],
    pub(super) settle: [f64; N_AGE],
    pub(super) nat: [f64; N_AGE],
}

impl RunExits {
    pub(super) fn zero() -> RunExits {
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
    pub(super) fn fill(&mut self, death: &DeathRisk, h_ret: f64, h_set: f64, h_nat: f64) {
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

/// Consecutive regions' runs of one `(destination, sex, education)`, to be
/// rewritten together.
pub(super) struct Group<'a> {
    /// The whole stock abroad.
    pub(super) abroad: &'a mut [f64],
    /// Returnees of each region, by age.
    pub(super) back: &'a mut [[f64; N_AGE]],
    /// Emigrants by `(region, sex, education, age)`.
    pub(super) emigrants: &'a [f64],
    /// The first region of the group.
    pub(super) first: usize,
    pub(super) per_region: usize,
    /// Offsets of the temporary and the settled run in a region's block.
    pub(super) runs: (usize, usize),
    /// Sex and education.
    pub(super) cell: (usize, usize),
    /// Share of the emigrants coming to this destination.
    pub(super) share: f64,
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

pub(super) fn run(x: &[f64]) -> &[f64; N_AGE] {
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
pub(super) fn survive_and_age<L: Lanes, const R: usize>(
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
    use crate::model::dims::{FEMALE, MEDIUM, N_EDU, N_SEX};
    use crate::model::lanes::{self, Kernel};

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
}
