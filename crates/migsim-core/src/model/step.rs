//! One projection year, `t → t+1`, in the order of MODEL.md section 2. This
//! file holds the order and nothing else; each process lives in its module.
//!
//! Births come after ageing because the UN convention used (MODEL.md 3.5)
//! needs the women at 1 January t+1, which exist only once everyone has aged.
//!
//! The stock abroad, the largest array, is rewritten in place: a census
//! gathers what the year needs of it at 1 January first (`census`), and the
//! exits from abroad (4) run after those from home (3) so that they can add
//! the year's emigrants as they rewrite it. Both exits act on the stocks at
//! 1 January, so their order changes no number.

use super::Model;
use super::abroad_exits;
use super::census::{AbroadCensus, Census, HomeCensus};
use super::dims::{FEMALE, HIGH, MALE, N_AGE, N_EDU, N_SEX};
use super::economy::{self, EconomyYear};
use super::emigration;
use super::fertility;
use super::hazard::exit_probability;
use super::home_exits::{self, HomeHazards};
use super::immigration;
use super::internal;
use super::levers::YearLevers;
use super::naturalised;
use super::remittances::{self, RemittanceFlow};
use super::state::State;
use ndarray::Array4;

/// What happened during one year.
#[derive(Debug, Clone)]
pub struct Flows {
    pub economy: EconomyYear,
    /// All births to residents and to temporary migrants abroad (whose
    /// children are counted at home, in the origin region).
    pub births_home: f64,
    /// Births to settled migrants, who stay abroad.
    pub births_abroad: f64,
    pub deaths_home: f64,
    pub deaths_abroad: f64,
    pub emigrants_by_dest: Vec<f64>,
    pub emigrants_by_edu: [f64; N_EDU],
    pub emigrants_by_sex: [f64; N_SEX],
    /// Citizens coming home.
    pub returns_by_dest: Vec<f64>,
    pub returns_by_sex: [f64; N_SEX],
    /// Residents leaving, by sex and age at 1 January, `[sex][age]` flat.
    pub emigrants_by_age: Vec<f64>,
    /// The Kyrgyz-born coming home (citizens and the naturalised), by sex
    /// and age at 1 January, `[sex][age]` flat.
    pub returns_by_age: Vec<f64>,
    pub settlements: f64,
    /// Citizens abroad taking the destination's citizenship.
    pub naturalisations_by_dest: Vec<f64>,
    pub naturalisations_by_sex: [f64; N_SEX],
    /// The naturalised coming home, and dying abroad.
    pub returns_naturalised_by_dest: Vec<f64>,
    pub returns_naturalised_by_sex: [f64; N_SEX],
    pub deaths_naturalised: f64,
    pub immigrants_by_kind: [f64; 3],
    pub internal_by_origin: Vec<f64>,
    pub remittances: RemittanceFlow,
    /// The inclusive value `IV_e` of the destination choice.
    pub inclusive_value: [f64; N_EDU],
    /// The propensity to leave relative to the base year, `[region][education]`.
    pub push: Vec<[f64; N_EDU]>,
}

/// Buffers a projection reuses from year to year, so that a year allocates
/// nothing the size of a stock.
pub struct Workspace {
    next_home: Array4<f64>,
    /// This year's emigrants, `[region, sex, education, age]`.
    emigrants: Vec<f64>,
    /// This year's naturalisations, in the layout of `State::naturalised`.
    naturalising: Vec<f64>,
    /// A census of the stock abroad no longer needed, whose buffers the
    /// next year's census reuses (`recycle`).
    spare: Option<AbroadCensus>,
}

impl Workspace {
    pub fn for_state(state: &State) -> Workspace {
        Workspace {
            next_home: Array4::zeros(state.home.raw_dim()),
            emigrants: vec![0.0; state.home.len()],
            naturalising: vec![0.0; state.naturalised.len()],
            spare: None,
        }
    }

    /// Hands back a census of the stock abroad that is no longer needed,
    /// so that a later year fills it instead of allocating its own.
    pub fn recycle(&mut self, census: AbroadCensus) {
        self.spare = Some(census);
    }

    /// A census of the stock abroad, all zero, reusing a recycled one.
    fn zero_census(&mut self, n_regions: usize, n_dest: usize) -> AbroadCensus {
        match self.spare.take() {
            Some(mut c) if c.has_shape(n_regions, n_dest) => {
                c.clear();
                c
            }
            _ => AbroadCensus::zeros(n_regions, n_dest),
        }
    }
}

/// One year from `state`, as a new state.
pub fn step(model: &Model, y: usize, state: &State) -> (State, Flows) {
    let mut next = state.clone();
    let census = Census::of(model, state);
    let (_, flows) = advance(model, y, &mut next, &census, &mut Workspace::for_state(state));
    (next, flows)
}

/// One year: `state`, at 1 January of year `y` and gathered in `census`,
/// becomes the state at 1 January of the next year, in place. Returns the
/// census of that next state (gathered as it is written, the same to the
/// last bit as `Census::of` it) and the year's flows.
pub fn advance(model: &Model, y: usize, state: &mut State, census: &Census, work: &mut Workspace) -> (Census, Flows) {
    let p = &model.params;
    let year = p.start_year + y as i32;
    let nr = model.n_regions;
    let nd = model.n_destinations;

    // 1-2. Policies and shocks, the economy, and what it makes of each
    // destination and region.
    let YearSetup {
        lev,
        econ,
        choice,
        push,
        int_rates,
    } = YearSetup::new(model, y, state, census);
    let pop_by_region = &census.home.by_region;
    let pop_home = census.home.total();
    let mut hz = HomeHazards {
        death: &model.death_risk[y],
        push: &push,
        sex: model.sex_factor[y],
        weight: choice.share.clone(),
        internal: &int_rates,
    };
    let home = state.home.as_slice().expect("state arrays are standard layout");
    apply_quotas(model, year, &lev, &mut hz, home);

    let mut next_abroad = work.zero_census(nr, nd);
    let next_home = work.next_home.as_slice_mut().expect("state arrays are standard layout");

    // 3. Exits from home. Emigrants are held back for the stock abroad.
    let hx = home_exits::apply(model, &hz, home, next_home, &mut work.emigrants);

    // 4. Exits from abroad, in place: the stock abroad becomes next year's,
    // already aged, this year's emigrants included (see `abroad_exits`).
    let share: Vec<[f64; N_EDU]> = (0..nd).map(|d| std::array::from_fn(|e| hz.share(d, e))).collect();
    let arrivals = abroad_exits::Arrivals {
        emigrants: &work.emigrants,
        share: &share,
    };
    let naturalised_workers = naturalised::workers(state.naturalised_flat(), nd);
    let abroad = state.abroad.as_slice_mut().expect("state arrays are standard layout");
    work.naturalising.fill(0.0);
    let ax = abroad_exits::apply(abroad_exits::Apply {
        model,
        year,
        utility: &choice.utility,
        lev: &lev,
        death_home: hz.death,
        census: &census.abroad,
        arrivals: &arrivals,
        abroad,
        next_home,
        next: &mut next_abroad,
        naturalising: &mut work.naturalising,
    });
    let origins = naturalised::origins(&census.abroad.workers, nr, pop_by_region);
    let nx = naturalised::advance(
        model,
        lev.returns_naturalised,
        hz.death,
        state
            .naturalised
            .as_slice_mut()
            .expect("state arrays are standard layout"),
        &work.naturalising,
        &origins,
        next_home,
    );

    // 5. Entries: immigrants (non-citizens who become residents).
    let immigrants_by_kind = immigration::arrive(model, year, &lev, pop_by_region, pop_home, next_home);

    // 6. Education transitions.
    let prospect = graduate_emigration_prospect(model, &hz, pop_by_region);
    super::education::transitions(
        &p.education,
        year,
        nr,
        prospect,
        [lev.p_medium_add, lev.p_high_add],
        next_home,
    );

    // 7. Ageing.
    // (The stock abroad was written aged by its exits.)
    for run in next_home.chunks_exact_mut(N_AGE) {
        age_one_year(run);
    }

    // Births (see the module note on order).
    let births = fertility::of_year(model, y, &census.abroad, home, next_home, abroad, &mut next_abroad);

    let senders = remittances::Senders {
        citizens: &census.abroad.workers,
        naturalised: &naturalised_workers,
        origins: &origins,
    };
    let remittances = remittances::official(model, y, &senders, &econ.wage_dest_usd, &lev);
    state.foreign_workers = economy::next_foreign_workers(model, y, state.foreign_workers, &econ, &lev);
    state.jobs = economy::next_jobs(model, y, &state.jobs, &lev);
    std::mem::swap(&mut state.home, &mut work.next_home);
    let next = Census {
        home: HomeCensus::of(state.home_flat(), nr),
        abroad: next_abroad,
        naturalised: super::census::naturalised_totals(state.naturalised_flat(), nd),
        foreign_workers: state.foreign_workers,
    };
    let flows = Flows {
        economy: econ,
        births_home: births.home,
        births_abroad: births.abroad,
        deaths_home: hx.deaths + births.infant_deaths_home,
        deaths_abroad: ax.deaths + births.infant_deaths_abroad,
        emigrants_by_dest: hx.emigrants_by_dest,
        emigrants_by_edu: hx.emigrants_by_edu,
        emigrants_by_sex: hx.emigrants_by_sex,
        returns_by_dest: ax.returns_by_dest,
        returns_by_sex: ax.returns_by_sex,
        emigrants_by_age: super::sums::by_sex_age(&work.emigrants),
        returns_by_age: ax
            .returns_by_age
            .iter()
            .zip(&nx.returns_by_age)
            .map(|(a, b)| a + b)
            .collect(),
        settlements: ax.settlements,
        naturalisations_by_dest: ax.naturalisations_by_dest,
        naturalisations_by_sex: ax.naturalisations_by_sex,
        returns_naturalised_by_dest: nx.returns_by_dest,
        returns_naturalised_by_sex: nx.returns_by_sex,
        deaths_naturalised: nx.deaths,
        immigrants_by_kind,
        internal_by_origin: hx.internal_by_origin,
        remittances,
        inclusive_value: choice.inclusive_value,
        push,
    };
    (next, flows)
}

/// What every hazard of the year depends on, from the stocks at 1 January.
struct YearSetup {
    lev: YearLevers,
    econ: EconomyYear,
    choice: emigration::Choice,
    push: Vec<[f64; N_EDU]>,
    int_rates: internal::InternalRates,
}

impl YearSetup {
    fn new(model: &Model, y: usize, state: &State, census: &Census) -> YearSetup {
        // 1. Policies and shocks.
        let lev = model.levers_for(y, state);

        // 2. Economy, and what it makes of each destination.
        let econ = economy::evaluate(model, y, state, &lev);
        let pop_home = census.home.total();
        let stock_by_dest = census.abroad.by_destination();
        let raw = emigration::raw_utilities(model, y, &econ, &stock_by_dest, pop_home, &lev);
        let choice = emigration::choice(model, &raw);
        let mut push = emigration::push(model, &choice, &econ);
        for (row, m) in push.iter_mut().zip(&lev.emigration) {
            for e in 0..N_EDU {
                row[e] *= m[e];
            }
        }
        let mut int_rates = internal::rates(model, &econ, &census.home.by_region);
        for (o, m) in int_rates.out.iter_mut().zip(&lev.internal_out) {
            *o *= m;
        }
        YearSetup {
            lev,
            econ,
            choice,
            push,
            int_rates,
        }
    }
}

/// The base year as the calibration sees it: everything its hazards depend
/// on but the two scales it searches for, computed once.
pub struct BaseYear<'a> {
    state: &'a State,
    setup: YearSetup,
    /// Internal out-migration before the scale `g`.
    unscaled_out: Vec<f64>,
}

impl<'a> BaseYear<'a> {
    pub fn new(model: &Model, state: &'a State, census: &Census) -> BaseYear<'a> {
        let mut setup = YearSetup::new(model, 0, state, census);
        let econ = &setup.econ;
        let unscaled_out = internal::unscaled_rates(model, econ, &census.home.by_region).out;
        // `YearSetup::new` scaled these; the scale is the calibration's
        // to set, in `movers`, with the same operations in the same order.
        setup.int_rates.out.clone_from(&unscaled_out);
        BaseYear {
            state,
            setup,
            unscaled_out,
        }
    }

    /// Emigrants and internal movers of the base year at `model`'s current
    /// emigration level and internal scale, moving no one: what the
    /// calibration matches. Quotas act as in `advance`.
    pub fn movers(&mut self, model: &Model) -> (f64, f64) {
        let setup = &mut self.setup;
        for ((o, u), m) in setup
            .int_rates
            .out
            .iter_mut()
            .zip(&self.unscaled_out)
            .zip(&setup.lev.internal_out)
        {
            *o = u * model.internal_scale * m;
        }
        let home = self.state.home_flat();
        let mut hz = HomeHazards {
            death: &model.death_risk[0],
            push: &setup.push,
            sex: model.sex_factor[0],
            weight: setup.choice.share.clone(),
            internal: &setup.int_rates,
        };
        apply_quotas(model, model.params.start_year, &setup.lev, &mut hz, home);
        home_exits::movers(model, &hz, home)
    }
}

/// Scales each destination's hazard weight so that realised emigrants meet the
/// quota targets (`emigration::quota_targets`). Emigrants respond to the weight
/// through the competing-risk formula, which is not linear, hence the
/// iteration; it converges in a few rounds because hazards are small.
fn apply_quotas(model: &Model, year: i32, lev: &YearLevers, hz: &mut HomeHazards, home: &[f64]) {
    let quotas: Vec<Option<f64>> = model
        .params
        .destinations
        .iter()
        .zip(&lev.quota)
        .map(|(d, over)| over.or_else(|| d.quota.as_ref().map(|q| q.at(year))))
        .collect();
    if quotas.iter().all(Option::is_none) {
        return;
    }
    // Emigrants can be no more than hazard × stock: when even that bound fits
    // every quota, nothing binds and the exact pass is not needed.
    let bound = home_exits::emigration_bound(model, hz, home);
    if bound.iter().zip(&quotas).all(|(b, q)| q.is_none_or(|q| *b <= q)) {
        return;
    }
    let demand = home_exits::emigrants_by_destination(model, hz, home);
    let Some(targets) = emigration::quota_targets(&demand, &quotas, model.params.emigration.quota_spillover) else {
        return;
    };
    let base = hz.weight.clone();
    let mut factor = vec![1.0; demand.len()];
    let mut flows = demand;
    for _ in 0..100 {
        let converged = flows
            .iter()
            .zip(&targets)
            .all(|(f, t)| (f - t).abs() <= 1e-10 * t.max(1.0));
        if converged {
            break;
        }
        for d in 0..factor.len() {
            if flows[d] > 0.0 {
                factor[d] *= targets[d] / flows[d];
            }
        }
        hz.weight = base.iter().zip(&factor).map(|(w, f)| w.map(|v| v * f)).collect();
        flows = home_exits::emigrants_by_destination(model, hz, home);
    }
}

/// Probability that a new tertiary graduate emigrates within the year,
/// averaged over sexes and regions (weighted by population).
fn graduate_emigration_prospect(model: &Model, hz: &HomeHazards, pop_by_region: &[f64]) -> f64 {
    let a = model.params.education.age_tertiary;
    let wsum: f64 = hz.weight.iter().map(|w| w[HIGH]).sum();
    let total: f64 = pop_by_region.iter().sum();
    let mut p = 0.0;
    for s in [FEMALE, MALE] {
        for (r, pop) in pop_by_region.iter().enumerate() {
            let h = model.emigration_level[s][HIGH] * hz.sex[s] * hz.push[r][HIGH] * model.rc_emigration[a] * wsum;
            p += 0.5 * exit_probability(h) * pop / total.max(1.0);
        }
    }
    p
}

/// Everyone one year older; the open interval 100+ keeps its survivors.
fn age_one_year(run: &mut [f64]) {
    let n = run.len();
    run[n - 1] += run[n - 2];
    for a in (1..n - 1).rev() {
        run[a] = run[a - 1];
    }
    run[0] = 0.0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ageing_shifts_and_accumulates_the_open_interval() {
        let mut run: Vec<f64> = (0..N_AGE).map(|a| a as f64).collect();
        age_one_year(&mut run);
        assert_eq!(run[0], 0.0);
        assert_eq!(run[1], 0.0);
        assert_eq!(run[50], 49.0);
        assert_eq!(run[100], 99.0 + 100.0);
    }
}
