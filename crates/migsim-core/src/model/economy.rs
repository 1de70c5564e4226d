//! The small economy (MODEL.md section 4), evaluated at the start of each year
//! from the stocks: labour force, unemployment, wages at home and abroad, GDP;
//! and the yearly update of jobs and foreign workers.
//!
//! Jobs follow their own growth path and the foreign workers present take a
//! share of them, allocated over regions by labour force, so unemployment is
//! `1 − (J_r − FW_r) / L_r`. Subtracting foreign workers inside the jobs
//! recursion instead would agree year by year but accumulate past
//! subtractions.

use super::Model;
use super::dims::{N_EDU, N_SEX, WORK_AGES};
use super::lanes::{self, Kernel, Lanes};
use super::levers::YearLevers;
use super::state::{State, home_at};
use crate::declare::{ByEducation, BySex};
use crate::year_path::YearPath;

crate::section! {
    /// The small economy: wages, jobs, labour supply and output.
    pub struct Economy (RawEconomy) {
        /// National average monthly wage in the base year.
        wage_home_usd: f64 { unit: "USD/month", min: 1.0, max: 1e6, expect: "a monthly wage in USD" },
        /// Yearly growth of the home wage in USD, before the labour-market response.
        wage_growth: YearPath { unit: "1/year", min: -0.5, max: 0.5, expect: "a yearly growth rate" },
        /// η: elasticity of the home wage to the labour force.
        labor_elasticity: f64 { unit: "-", min: 0.0, max: 2.0, expect: "an elasticity" },
        /// Yearly growth of the number of jobs.
        jobs_growth: YearPath { unit: "1/year", min: -0.5, max: 0.5, expect: "a yearly growth rate" },
        /// GDP in the base year, current USD.
        gdp_usd: f64 { unit: "USD", min: 1.0, max: 1e15, expect: "an amount in USD" },
        /// Yearly growth of output per worker in USD.
        tfp_growth: YearPath { unit: "1/year", min: -0.5, max: 0.5, expect: "a yearly growth rate" },
        /// Output elasticity of employment.
        alpha_labor: f64 { unit: "-", min: 0.0, max: 1.0, expect: "an output elasticity" },
        /// Output elasticity of human capital.
        alpha_human: f64 { unit: "-", min: 0.0, max: 1.0, expect: "an output elasticity" },
        /// Labour-force participation by sex and education.
        participation: BySex<ByEducation> { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Weight of a worker of each education level in human capital.
        education_weight: ByEducation { unit: "-", min: 0.0, max: 10.0, expect: "a productivity weight" },
        /// Yearly rate at which reports discount policy costs to the base year (assumption, 3%, unless the scenario states its own).
        discount_rate: f64 { unit: "1/year", min: 0.0, max: 0.5, expect: "a yearly rate" } = 0.03,
    }
}

crate::section! {
    /// Foreign workers: non-citizens admitted to fill jobs for a while.
    pub struct ForeignWorkers (RawForeignWorkers) {
        /// Foreign workers in the country in the base year.
        initial: f64 { unit: "persons", min: 0.0, max: 1e8, expect: "persons" },
        /// Mean length of a foreign worker's stay.
        mean_stay_years: f64 { unit: "years", min: 0.1, max: 100.0, expect: "years" },
        /// Yearly cap on foreign workers admitted.
        quota: YearPath { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        /// Share of unfilled jobs that foreign workers fill each year.
        fill_rate: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EconomyYear {
    pub labor_force_by_region: Vec<f64>,
    pub unemployment_by_region: Vec<f64>,
    pub labor_force: f64,
    pub unemployment_rate: f64,
    /// Residents and foreign workers in work.
    pub employment: f64,
    pub human_capital: f64,
    pub wage_home_usd: f64,
    pub wage_region_usd: Vec<f64>,
    pub wage_dest_usd: Vec<f64>,
    pub gdp_usd: f64,
    pub unfilled_jobs: f64,
}

/// Labour force by region and education-weighted labour `H`.
pub fn labour_supply(model: &Model, home: &[f64]) -> (Vec<f64>, f64) {
    lanes::dispatch(Supply { model, home })
}

/// The arguments of `labour_supply`, for `lanes::dispatch`.
struct Supply<'a> {
    model: &'a Model,
    home: &'a [f64],
}

impl Kernel for Supply<'_> {
    type Out = (Vec<f64>, f64);

    #[inline(always)]
    fn run<L: Lanes>(self, l: L) -> (Vec<f64>, f64) {
        let Supply { model, home } = self;
        let p = &model.params.economy;
        let mut by_region = vec![0.0; model.n_regions];
        let mut human = 0.0;
        for (r, lr) in by_region.iter_mut().enumerate() {
            for s in 0..N_SEX {
                for e in 0..N_EDU {
                    let o = home_at(r, s, e);
                    let people = lanes::sum(l, &home[o + WORK_AGES.start()..=o + WORK_AGES.end()]);
                    let labour = people * p.participation[s][e];
                    *lr += labour;
                    human += labour * p.education_weight[e];
                }
            }
        }
        (by_region, human)
    }
}

pub fn evaluate(model: &Model, y: usize, state: &State, lev: &YearLevers) -> EconomyYear {
    let p = &model.params;
    let year = p.start_year + y as i32;
    let (l_r, human) = labour_supply(model, state.home_flat());
    let labor_force: f64 = l_r.iter().sum();
    let mut u_r = vec![0.0; model.n_regions];
    let mut employed_residents = 0.0;
    let mut unfilled = 0.0;
    for r in 0..model.n_regions {
        let fw_r = if labor_force > 0.0 {
            state.foreign_workers * l_r[r] / labor_force
        } else {
            0.0
        };
        let open = state.jobs[r] - fw_r;
        u_r[r] = if l_r[r] > 0.0 {
            (1.0 - open / l_r[r]).max(0.0)
        } else {
            0.0
        };
        employed_residents += l_r[r] * (1.0 - u_r[r]);
        unfilled += (open - l_r[r]).max(0.0);
    }
    let employment = employed_residents + state.foreign_workers;
    let base = &model.base;
    let wage_home_usd = p.economy.wage_home_usd
        * model.growth.wage_home[y]
        * (labor_force / base.labor_force).powf(-p.economy.labor_elasticity);
    let wage_region_usd = p
        .regions
        .iter()
        .zip(&lev.wage_region)
        .map(|(r, m)| wage_home_usd * r.wage_index.at(year) * m)
        .collect();
    let wage_dest_usd = p
        .destinations
        .iter()
        .zip(&model.growth.wage_dest)
        .zip(&lev.wage_dest)
        .map(|((d, g), m)| d.wage_usd * g[y] * m)
        .collect();
    let gdp_usd = p.economy.gdp_usd
        * model.growth.tfp[y]
        * (employment / base.employment).powf(p.economy.alpha_labor)
        * (human / base.human_capital).powf(p.economy.alpha_human);
    EconomyYear {
        unemployment_rate: if labor_force > 0.0 {
            1.0 - employed_residents / labor_force
        } else {
            0.0
        },
        labor_force_by_region: l_r,
        unemployment_by_region: u_r,
        labor_force,
        employment,
        human_capital: human,
        wage_home_usd,
        wage_region_usd,
        wage_dest_usd,
        gdp_usd,
        unfilled_jobs: unfilled,
    }
}

/// Jobs at 1 January of the next year.
pub fn next_jobs(model: &Model, y: usize, jobs: &[f64], lev: &YearLevers) -> Vec<f64> {
    let g = model
        .params
        .economy
        .jobs_growth
        .at(model.params.start_year + y as i32 + 1);
    jobs.iter()
        .zip(&lev.jobs_add)
        .map(|(j, add)| j * (1.0 + g) + add)
        .collect()
}

/// Foreign workers at 1 January of the next year: those who stay (leaving at
/// the rate 1 / mean stay) plus arrivals filling unfilled jobs, up to the quota.
pub fn next_foreign_workers(model: &Model, y: usize, present: f64, econ: &EconomyYear, lev: &YearLevers) -> f64 {
    let fw = &model.params.foreign_workers;
    let year = model.params.start_year + y as i32;
    let stay = (-1.0 / fw.mean_stay_years).exp();
    let quota = lev.foreign_worker_quota.unwrap_or_else(|| fw.quota.at(year));
    present * stay + (fw.fill_rate * econ.unfilled_jobs).min(quota)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neutral(m: &Model) -> YearLevers {
        YearLevers::neutral(m.n_regions, m.n_destinations)
    }

    #[test]
    fn base_year_reproduces_the_scenario_unemployment_and_gdp() {
        let model = crate::model::tiny_model();
        let econ = evaluate(&model, 0, &model.initial_state(), &neutral(&model));
        for (u, r) in econ.unemployment_by_region.iter().zip(&model.params.regions) {
            assert!((u - r.unemployment_rate).abs() < 1e-12);
        }
        assert!((econ.gdp_usd - model.params.economy.gdp_usd).abs() < 1e-3);
        assert_eq!(econ.wage_home_usd, model.params.economy.wage_home_usd);
    }

    #[test]
    fn a_larger_labour_force_lowers_the_wage_and_raises_unemployment() {
        let model = crate::model::tiny_model();
        let mut state = model.initial_state();
        state.home.mapv_inplace(|v| v * 1.1);
        let econ = evaluate(&model, 0, &state, &neutral(&model));
        assert!(econ.wage_home_usd < model.params.economy.wage_home_usd);
        assert!(econ.unemployment_rate > 0.08);
    }
}
