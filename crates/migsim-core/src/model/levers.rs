//! Policies and shocks turned into the year's multipliers (MODEL.md section 5,
//! step 1). Each lever acts through named channels, and several levers
//! compose: multipliers multiply, additions add.
//!
//! | lever | channels, at intensity `I(t)` |
//! |---|---|
//! | `domestic_jobs` | `jobs_per_year · I` new jobs a year in the target regions (by labour force): lower unemployment, so less emigration (δ) and more GDP |
//! | `regional_development` | target regions: emigration × (1 − r_e I), internal out-migration × (1 − r_o I), wage index × (1 + w I) |
//! | `pre_departure_training` | migrants' earnings × (1 + coverage · premium · I) (higher `V`, more remittances); formal share + coverage · f · I |
//! | `diversification` | per destination: access + a · I; its quota while in force |
//! | `eaeu_integration` | named destinations: access + a · I; settlement × (1 + (m_s − 1) I); returns × (1 + (m_r − 1) I) |
//! | `entry_bans` | named destinations: access + a · I (a < 0); returns × (1 + (m − 1) I) (readmission) |
//! | `remittance_cost` | transfer cost × (1 − r I) (and so a higher formal share, through its elasticity); formal share + f · I |
//! | `diaspora_engagement` | settled migrants remit × (1 + s I); their returns × (1 + (m − 1) I) |
//! | `brain_drain_retention` | emigration of the highly educated × (1 − r I) |
//! | `return_reintegration` | returns of temporary migrants × (1 + (m − 1) I) |
//! | `kayrylman_resettlement`, `skilled_immigration` | `persons_per_year · I` more arrivals of that kind, with its stream's profile |
//! | `foreign_labor_quota` | the foreign-worker quota becomes `quota` while I > 0 |
//! | `education_expansion` | p_medium + m I, p_high + h I (capped at 1) |
//!
//! Shocks act with their strength `S(t)` the same way: `exchange_rate` and
//! `sanctions` scale destination wages in USD (and employment), `entry_ban`
//! lowers access and raises returns, `pandemic_closure` cuts emigration and
//! changes returns everywhere, `environmental_disaster` multiplies all
//! out-migration (internal and international) from one region.

use super::dims::{HIGH, N_EDU, N_STATUS, SETTLED, TEMPORARY};
use crate::params::{ImmigrantKind, Lever, Params, ShockEvent};

crate::section! {
    /// Reference runs demographers expect beside a projection.
    pub struct Counterfactual (RawCounterfactual) {
        /// Multiplies every international migration hazard and arrival: 0 gives the zero-migration run, 2 the double-migration run.
        international_migration: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier" },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearLevers {
    /// On the emigration hazard, `[region][education]`.
    pub emigration: Vec<[f64; N_EDU]>,
    /// On the internal out-migration hazard, by origin region.
    pub internal_out: Vec<f64>,
    /// On the return hazard, `[destination][status]`.
    pub returns: Vec<[f64; N_STATUS]>,
    /// On the settlement hazard, by destination.
    pub settle: Vec<f64>,
    /// Added to the access term `A_d`.
    pub access: Vec<f64>,
    /// On destination wages in USD.
    pub wage_dest: Vec<f64>,
    /// On destination employment rates.
    pub employment_dest: Vec<f64>,
    /// Replaces the destination's quota while set.
    pub quota: Vec<Option<f64>>,
    /// On transfer costs.
    pub transfer_cost: Vec<f64>,
    /// Added to the formal share (the result is capped at 1).
    pub formal_add: f64,
    /// On every migrant's earnings.
    pub earnings: f64,
    /// On the remittance share of settled migrants.
    pub settled_remittances: f64,
    /// On the return hazard of the naturalised.
    pub returns_naturalised: f64,
    /// On regional wage indices.
    pub wage_region: Vec<f64>,
    /// New jobs this year, by region.
    pub jobs_add: Vec<f64>,
    /// More arrivals this year, by immigrant kind.
    pub immigrants_add: [f64; 3],
    /// On all arrivals of immigrants.
    pub immigration: f64,
    pub foreign_worker_quota: Option<f64>,
    pub p_medium_add: f64,
    pub p_high_add: f64,
}

impl YearLevers {
    pub fn neutral(n_regions: usize, n_destinations: usize) -> Self {
        YearLevers {
            emigration: vec![[1.0; N_EDU]; n_regions],
            internal_out: vec![1.0; n_regions],
            returns: vec![[1.0; N_STATUS]; n_destinations],
            settle: vec![1.0; n_destinations],
            access: vec![0.0; n_destinations],
            wage_dest: vec![1.0; n_destinations],
            employment_dest: vec![1.0; n_destinations],
            quota: vec![None; n_destinations],
            transfer_cost: vec![1.0; n_destinations],
            formal_add: 0.0,
            earnings: 1.0,
            settled_remittances: 1.0,
            returns_naturalised: 1.0,
            wage_region: vec![1.0; n_regions],
            jobs_add: vec![0.0; n_regions],
            immigrants_add: [0.0; 3],
            immigration: 1.0,
            foreign_worker_quota: None,
            p_medium_add: 0.0,
            p_high_add: 0.0,
        }
    }
}

/// `1 + (m − 1) · i`: a multiplier `m` phased in at intensity `i`.
fn phase(m: f64, i: f64) -> f64 {
    1.0 + (m - 1.0) * i
}

/// The levers of `year`, given the labour force by region (to spread new jobs).
pub fn for_year(p: &Params, year: i32, labour_force: &[f64]) -> YearLevers {
    let nr = p.regions.len();
    let nd = p.destinations.len();
    let mut l = YearLevers::neutral(nr, nd);
    for policy in &p.policies {
        let i = policy.timing.intensity(year);
        if i <= 0.0 {
            continue;
        }
        match &policy.lever {
            Lever::DomesticJobs(d) => {
                let all: Vec<usize>;
                let regions = match &d.regions {
                    Some(r) => &r.0,
                    None => {
                        all = (0..nr).collect();
                        &all
                    }
                };
                let total: f64 = regions.iter().map(|&r| labour_force[r]).sum();
                for &r in regions {
                    let share = if total > 0.0 {
                        labour_force[r] / total
                    } else {
                        1.0 / regions.len() as f64
                    };
                    l.jobs_add[r] += d.jobs_per_year * i * share;
                }
            }
            Lever::RegionalDevelopment(d) => {
                for &r in &d.regions.0 {
                    l.emigration[r] = l.emigration[r].map(|m| m * (1.0 - d.emigration_reduction * i));
                    l.internal_out[r] *= 1.0 - d.outmigration_reduction * i;
                    l.wage_region[r] *= 1.0 + d.wage_increase * i;
                }
            }
            Lever::PreDepartureTraining(t) => {
                l.earnings *= 1.0 + t.coverage * t.earnings_premium * i;
                l.formal_add += t.coverage * t.formal_share_increase * i;
            }
            Lever::Diversification(d) => {
                for (dest, a) in &d.destinations.0 {
                    l.access[*dest] += a.access * i;
                    if a.quota.is_some() {
                        l.quota[*dest] = a.quota;
                    }
                }
            }
            Lever::EaeuIntegration(e) => {
                for &d in &e.destinations.0 {
                    l.access[d] += e.access * i;
                    l.settle[d] *= phase(e.settle_multiplier, i);
                    l.returns[d] = l.returns[d].map(|m| m * phase(e.return_multiplier, i));
                }
            }
            Lever::EntryBans(e) => {
                for &d in &e.destinations.0 {
                    l.access[d] += e.access * i;
                    l.returns[d][TEMPORARY] *= phase(e.return_multiplier, i);
                }
            }
            Lever::RemittanceCost(r) => {
                l.transfer_cost
                    .iter_mut()
                    .for_each(|c| *c *= 1.0 - r.cost_reduction * i);
                l.formal_add += r.formal_share_increase * i;
            }
            Lever::DiasporaEngagement(d) => {
                l.settled_remittances *= 1.0 + d.settled_remittance_increase * i;
                for r in &mut l.returns {
                    r[SETTLED] *= phase(d.settled_return_multiplier, i);
                }
            }
            Lever::BrainDrainRetention(b) => {
                for row in &mut l.emigration {
                    row[HIGH] *= 1.0 - b.emigration_reduction * i;
                }
            }
            Lever::ReturnReintegration(r) => {
                for ret in &mut l.returns {
                    ret[TEMPORARY] *= phase(r.return_multiplier, i);
                }
            }
            Lever::KayrylmanResettlement(k) => {
                l.immigrants_add[ImmigrantKind::Kayrylman as usize] += k.persons_per_year * i;
            }
            Lever::SkilledImmigration(k) => {
                l.immigrants_add[ImmigrantKind::Skilled as usize] += k.persons_per_year * i;
            }
            Lever::ForeignLaborQuota(q) => l.foreign_worker_quota = Some(q.quota),
            Lever::EducationExpansion(e) => {
                l.p_medium_add += e.p_medium_increase * i;
                l.p_high_add += e.p_high_increase * i;
            }
        }
    }
    for shock in &p.shocks {
        let s = shock.strength(year);
        if s <= 0.0 {
            continue;
        }
        match &shock.event {
            ShockEvent::ExchangeRate(e) => l.wage_dest[e.destination.0] *= 1.0 + e.change * s,
            ShockEvent::EntryBan(e) => {
                l.access[e.destination.0] += e.access * s;
                l.returns[e.destination.0][TEMPORARY] *= phase(e.return_multiplier, s);
            }
            ShockEvent::PandemicClosure(e) => {
                for row in &mut l.emigration {
                    *row = row.map(|m| m * (1.0 - e.emigration_drop * s));
                }
                for r in &mut l.returns {
                    *r = r.map(|m| m * (1.0 + e.return_change * s));
                }
            }
            ShockEvent::EnvironmentalDisaster(e) => {
                let m = phase(e.outmigration_multiplier, s);
                l.internal_out[e.region.0] *= m;
                l.emigration[e.region.0] = l.emigration[e.region.0].map(|v| v * m);
            }
            ShockEvent::Sanctions(e) => {
                l.wage_dest[e.destination.0] *= 1.0 + e.wage_change * s;
                l.employment_dest[e.destination.0] *= 1.0 + e.employment_change * s;
            }
        }
    }
    let scale = p.international_migration_scale;
    if scale != 1.0 {
        for row in &mut l.emigration {
            *row = row.map(|m| m * scale);
        }
        for r in &mut l.returns {
            *r = r.map(|m| m * scale);
        }
        l.returns_naturalised *= scale;
        l.immigration *= scale;
        l.immigrants_add = l.immigrants_add.map(|v| v * scale);
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::checked;
    use crate::model::lever_kinds::{RawBrainDrainRetention, RawDomesticJobs, RawRegionalDevelopment};
    use crate::model::shock_kinds::RawPandemicClosure;
    use crate::params::{Policy, Shock, Timing};

    fn params() -> Params {
        crate::model::tiny_model().params
    }

    #[test]
    fn intensity_ramps_linearly_and_stops_after_the_end() {
        let t = Timing {
            start: 2025,
            end: Some(2030),
            ramp_years: 4.0,
        };
        assert_eq!(t.intensity(2024), 0.0);
        assert_eq!(t.intensity(2025), 0.25);
        assert_eq!(t.intensity(2027), 0.75);
        assert_eq!(t.intensity(2028), 1.0);
        assert_eq!(t.intensity(2030), 1.0);
        assert_eq!(t.intensity(2031), 0.0);
    }

    #[test]
    fn shock_holds_for_its_duration_then_recovers_linearly() {
        let s = Shock {
            name: "x".into(),
            year: 2028,
            duration_years: 1.0,
            recovery_years: 3.0,
            event: ShockEvent::PandemicClosure(checked(
                RawPandemicClosure {
                    year: Some(2028),
                    duration_years: None,
                    recovery_years: Some(3.0),
                    emigration_drop: Some(0.5),
                    return_change: None,
                },
                &[],
                &[],
            )),
        };
        let got: Vec<f64> = (2027..=2032).map(|y| s.strength(y)).collect();
        assert_eq!(got, vec![0.0, 1.0, 0.75, 0.5, 0.25, 0.0]);
    }

    #[test]
    fn levers_compose_multiplicatively() {
        let mut p = params();
        let timing = Timing {
            start: 2020,
            end: None,
            ramp_years: 0.0,
        };
        p.policies.push(Policy {
            name: "a".into(),
            timing,
            lever: Lever::BrainDrainRetention(checked(
                RawBrainDrainRetention {
                    start: Some(2020),
                    end: None,
                    ramp_years: None,
                    cost: None,
                    emigration_reduction: Some(0.5),
                },
                &[],
                &[],
            )),
        });
        p.policies.push(Policy {
            name: "b".into(),
            timing,
            lever: Lever::RegionalDevelopment(checked(
                RawRegionalDevelopment {
                    start: Some(2020),
                    end: None,
                    ramp_years: None,
                    cost: None,
                    regions: Some(vec!["south".into()]),
                    emigration_reduction: Some(0.2),
                    outmigration_reduction: None,
                    wage_increase: None,
                },
                &["north", "south"],
                &[],
            )),
        });
        let l = for_year(&p, 2021, &[1.0, 1.0]);
        assert_eq!(l.emigration[0][HIGH], 0.5);
        assert!((l.emigration[1][HIGH] - 0.4).abs() < 1e-12);
        assert!((l.emigration[1][0] - 0.8).abs() < 1e-12);
        assert_eq!(l, for_year(&p, 2021, &[1.0, 1.0]));
        assert_eq!(for_year(&p, 2019, &[1.0, 1.0]), YearLevers::neutral(2, 2));
    }

    #[test]
    fn new_jobs_are_spread_by_labour_force() {
        let mut p = params();
        p.policies.push(Policy {
            name: "j".into(),
            timing: Timing {
                start: 2020,
                end: None,
                ramp_years: 2.0,
            },
            lever: Lever::DomesticJobs(checked(
                RawDomesticJobs {
                    start: Some(2020),
                    end: None,
                    ramp_years: Some(2.0),
                    cost: None,
                    jobs_per_year: Some(1000.0),
                    regions: Some(vec!["north".into(), "south".into()]),
                },
                &["north", "south"],
                &[],
            )),
        });
        let l = for_year(&p, 2020, &[1.0, 3.0]);
        assert_eq!(l.jobs_add, vec![125.0, 375.0]);
    }
}
