//! Fertility and births (MODEL.md 3.5). `ASFR(a, t) = TFR(t) · f(a)` with `f` a
//! gamma-shaped schedule over ages 15–49 summing to 1. Births in year t follow
//! the UN cohort-component convention: `B = Σ_x F_x · ½ (W_x(t) + W_x(t+1))`,
//! and a newborn survives to 1 January t+1 with `(1 − e^{−μ0}) / μ0`.

use super::Model;
use super::census::{AbroadCensus, N_FERTILE};
use super::dims::{FEMALE, FERTILE_AGES, LOW, MALE, N_AGE, N_EDU, N_STATUS, SETTLED, TEMPORARY};
use super::state::{abroad_at, home_at};
use crate::year_path::YearPath;

crate::section! {
    /// Fertility: the level and the age pattern of births.
    pub struct Fertility (RawFertility) {
        /// Total fertility rate.
        tfr: YearPath { unit: "births per woman", min: 0.0, max: 10.0, expect: "births per woman" },
        /// Mean age at childbearing.
        mean_age: f64 { unit: "years", min: 18.0, max: 40.0, expect: "a mean age of childbearing in years" },
        /// Standard deviation of the age at childbearing.
        sd_age: f64 { unit: "years", min: 2.0, max: 12.0, expect: "a standard deviation in years" },
        /// Boys born per girl.
        sex_ratio_at_birth: f64 { unit: "boys per girl", min: 0.9, max: 1.2, expect: "boys per girl" } = 1.05,
    }
}

/// The year's births and the deaths of those born in it.
pub struct YearBirths {
    /// To residents and to temporary migrants abroad, whose children are
    /// left behind in the origin region.
    pub home: f64,
    /// To settled migrants, whose children stay abroad.
    pub abroad: f64,
    pub infant_deaths_home: f64,
    pub infant_deaths_abroad: f64,
}

/// Births of year `y`, once everyone has aged: the survivors are added at
/// age 0 to next year's residents (`next_home`) and to the stock abroad
/// (`abroad`, already rewritten as next year's, and its census `next`).
/// Women are taken at 1 January (`home`, `census`) and a year later.
pub fn of_year(
    model: &Model,
    y: usize,
    census: &AbroadCensus,
    home: &[f64],
    next_home: &mut [f64],
    abroad: &mut [f64],
    next: &mut AbroadCensus,
) -> YearBirths {
    super::lanes::dispatch(OfYear {
        model,
        y,
        census,
        home,
        next_home,
        abroad,
        next,
    })
}

/// The arguments of `of_year`, for `lanes::dispatch`: its loops are compiled
/// for the widest vector instructions the CPU has.
struct OfYear<'a> {
    model: &'a Model,
    y: usize,
    census: &'a AbroadCensus,
    home: &'a [f64],
    next_home: &'a mut [f64],
    abroad: &'a mut [f64],
    next: &'a mut AbroadCensus,
}

impl super::lanes::Kernel for OfYear<'_> {
    type Out = YearBirths;

    #[inline(always)]
    fn run<L: super::lanes::Lanes>(self, _: L) -> YearBirths {
        let OfYear {
            model,
            y,
            census,
            home,
            next_home,
            abroad,
            next,
        } = self;
        let p = &model.params;
        let (nr, nd) = (model.n_regions, model.n_destinations);
        let death = &model.death_risk[y];
        let asfr = &model.asfr[y];
        let srb = p.fertility.sex_ratio_at_birth;
        let sex_split = [1.0 / (1.0 + srb), srb / (1.0 + srb)];
        let surv_home = [0, 1].map(|s| newborn_survival(death[s].mu[0]));
        let mut out = YearBirths {
            home: 0.0,
            abroad: 0.0,
            infant_deaths_home: 0.0,
            infant_deaths_abroad: 0.0,
        };
        let women_start = &census.women;
        // The newborn add no one of fertile age, so the women of the new census
        // can be read while newborn are added to it.
        let women_end = &next.women;
        let women = |r: usize, d: usize, k: usize| {
            let o = ((r * nd + d) * N_STATUS + k) * N_FERTILE;
            births_at_fertile_ages(asfr, &women_start[o..][..N_FERTILE], &women_end[o..][..N_FERTILE])
        };
        let mut b_settled = vec![0.0; nd];
        for r in 0..nr {
            let mut b = 0.0;
            for e in 0..N_EDU {
                let o = home_at(r, FEMALE, e);
                b += births(asfr, &home[o..o + N_AGE], &next_home[o..o + N_AGE]);
            }
            for (d, bs) in b_settled.iter_mut().enumerate() {
                b += women(r, d, TEMPORARY);
                *bs = women(r, d, SETTLED);
            }
            out.home += b;
            for s in [FEMALE, MALE] {
                let survivors = b * sex_split[s] * surv_home[s];
                next_home[home_at(r, s, 0)] += survivors;
                out.infant_deaths_home += b * sex_split[s] - survivors;
            }
            for (d, &bs) in b_settled.iter().enumerate() {
                out.abroad += bs;
                let factor = p.mortality.abroad_factor * p.destinations[d].mortality_factor;
                for s in [FEMALE, MALE] {
                    let survivors = bs * sex_split[s] * newborn_survival(death[s].mu[0] * factor);
                    abroad[abroad_at(nd, r, d, SETTLED, s, LOW)] += survivors;
                    next.cells[abroad_at(nd, 0, d, SETTLED, s, LOW)] += survivors;
                    out.infant_deaths_abroad += bs * sex_split[s] - survivors;
                }
            }
        }
        out
    }
}

/// A gamma density with the given mean and standard deviation, evaluated at
/// mid-year ages and normalised to sum to 1 over the fertile ages.
pub fn gamma_schedule(mean_age: f64, sd_age: f64) -> [f64; N_AGE] {
    let shape = (mean_age / sd_age).powi(2);
    let scale = sd_age * sd_age / mean_age;
    let mut out = [0.0; N_AGE];
    let log_density = |x: f64| (shape - 1.0) * x.ln() - x / scale;
    // Subtracting the largest log-density keeps exp() in range for any shape.
    let top = FERTILE_AGES
        .map(|a| log_density(a as f64 + 0.5))
        .fold(f64::MIN, f64::max);
    for a in FERTILE_AGES {
        out[a] = (log_density(a as f64 + 0.5) - top).exp();
    }
    let sum: f64 = out.iter().sum();
    out.iter_mut().for_each(|v| *v /= sum);
    out
}

/// Births from women at the start and at the end of the year, per the UN
/// convention above; the runs cover every age.
#[inline(always)]
pub fn births(asfr: &[f64; N_AGE], women_start: &[f64], women_end: &[f64]) -> f64 {
    births_at_fertile_ages(asfr, &women_start[FERTILE_AGES], &women_end[FERTILE_AGES])
}

/// As `births`, with runs that cover the fertile ages only (15–49).
#[inline(always)]
pub fn births_at_fertile_ages(asfr: &[f64; N_AGE], women_start: &[f64], women_end: &[f64]) -> f64 {
    asfr[FERTILE_AGES]
        .iter()
        .zip(women_start.iter().zip(women_end))
        .map(|(f, (w0, w1))| f * 0.5 * (w0 + w1))
        .sum()
}

/// Share of a year's births alive at the end of the year, births spread evenly
/// over the year and infant hazard `mu0` constant.
#[inline(always)]
pub fn newborn_survival(mu0: f64) -> f64 {
    super::hazard::exit_factor(mu0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_sums_to_one_and_has_the_requested_mean() {
        let f = gamma_schedule(28.0, 6.0);
        assert!((f.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let mean: f64 = f.iter().enumerate().map(|(a, v)| (a as f64 + 0.5) * v).sum();
        assert!((mean - 28.0).abs() < 0.3, "mean {mean}");
        assert_eq!(f[14], 0.0);
        assert_eq!(f[50], 0.0);
    }

    #[test]
    fn births_use_the_average_of_start_and_end_women() {
        let mut asfr = [0.0; N_AGE];
        asfr[25] = 0.2;
        let mut w0 = vec![0.0; N_AGE];
        let mut w1 = vec![0.0; N_AGE];
        w0[25] = 1000.0;
        w1[25] = 500.0;
        assert!((births(&asfr, &w0, &w1) - 150.0).abs() < 1e-12);
    }

    #[test]
    fn newborn_survival_matches_the_closed_form() {
        let mu: f64 = 0.02;
        assert!((newborn_survival(mu) - (1.0 - (-mu).exp()) / mu).abs() < 1e-12);
    }
}
