//! With every migration process switched off, births and deaths alone drive
//! the population, and the engine agrees with a plain cohort-component
//! projection written out here.

use super::*;
use migsim::model::dims::{FEMALE, N_AGE, SETTLED, TEMPORARY};
use migsim::year_path::YearPath;
use migsim::{Dim, Indicator};

fn closed(mut p: migsim::Params) -> migsim::Params {
    p.emigration.base_outflow = 0.0;
    p.internal.base_moves = 0.0;
    p.immigration.clear();
    for d in &mut p.destinations {
        d.return_rate_temporary = 0.0;
        d.return_rate_settled = 0.0;
        d.settle_rate = 0.0;
        d.naturalise_rate_temporary = YearPath::constant(0.0);
        d.naturalise_rate_settled = YearPath::constant(0.0);
        d.return_rate_naturalised = 0.0;
    }
    p
}

#[test]
fn births_and_deaths_alone_drive_a_closed_population() {
    let model = migsim::model::compile(closed(tiny_params())).unwrap();
    let run = migsim::model::project(&model).unwrap();
    let p = &model.params;
    for year in p.start_year..p.end_year {
        for ind in [
            Indicator::Emigrants,
            Indicator::Returns,
            Indicator::Immigrants,
            Indicator::InternalMoves,
            Indicator::Settlements,
            Indicator::Naturalisations,
        ] {
            assert_eq!(run.get(ind, Dim::Total, year), Some(0.0), "{ind:?} in {year}");
        }
    }

    // Independent projection of residents by sex and age, all regions and
    // education levels together (everything involved is linear in them).
    let mut home = [[0.0; N_AGE]; 2];
    let mut temp_women = [0.0; N_AGE];
    let mut settled_women = [0.0; N_AGE];
    for ((_, s, _, a), v) in p.home.indexed_iter() {
        home[s][a] += v;
    }
    for ((_, _, k, s, _, a), v) in p.abroad.indexed_iter() {
        if s == FEMALE && k == TEMPORARY {
            temp_women[a] += v;
        }
        if s == FEMALE && k == SETTLED {
            settled_women[a] += v;
        }
    }
    let survive = |pop: &[f64; N_AGE], mu: &[f64; N_AGE], factor: f64| {
        let mut next = [0.0; N_AGE];
        for a in 0..N_AGE {
            let alive = pop[a] * (-mu[a] * factor).exp();
            next[(a + 1).min(N_AGE - 1)] += alive;
        }
        next
    };
    let srb = p.fertility.sex_ratio_at_birth;
    for y in 0..p.n_years() {
        let year = p.start_year + y as i32;
        let mu = model.death_risk[y].each_ref().map(|d| d.mu);
        let asfr = &model.asfr[y];
        let next_home = [survive(&home[0], &mu[0], 1.0), survive(&home[1], &mu[1], 1.0)];
        let east_factor = p.mortality.abroad_factor * p.destinations[0].mortality_factor;
        assert_eq!(p.destinations[1].mortality_factor, p.destinations[0].mortality_factor);
        let next_temp = survive(&temp_women, &mu[0], east_factor);
        let births_of =
            |w0: &[f64; N_AGE], w1: &[f64; N_AGE]| -> f64 { (0..N_AGE).map(|a| asfr[a] * 0.5 * (w0[a] + w1[a])).sum() };
        let births = births_of(&home[0], &next_home[0]) + births_of(&temp_women, &next_temp);
        let mut expected = next_home;
        for (s, share) in [(0, 1.0 / (1.0 + srb)), (1, srb / (1.0 + srb))] {
            let m0 = mu[s][0];
            expected[s][0] = births * share * (1.0 - (-m0).exp()) / m0;
        }
        let engine_births = run.get(Indicator::Births, Dim::Location(true), year).unwrap();
        assert!(
            (engine_births - births).abs() <= 1e-9 * births,
            "{year}: births {engine_births} vs {births}"
        );
        let total: f64 = expected.iter().flatten().sum();
        let engine = run.get(Indicator::PopulationHome, Dim::Total, year + 1).unwrap();
        assert!(
            (engine - total).abs() <= 1e-9 * total,
            "{}: {engine} vs {total}",
            year + 1
        );
        home = expected;
        temp_women = next_temp;
        settled_women = survive(&settled_women, &mu[0], east_factor);
    }
}
