//! Remittances (MODEL.md section 4): each working-age cell abroad earns
//! `W_d (1 + π_{e,d}) · emp_d` a month and sends `ρ(k, e)` of it; the formal
//! share rises as the transfer cost falls,
//! `formal(t) = 1 − (1 − formal0) · (c(t) / c(t0))^ε`, and what arrives through
//! official channels is `sent · formal · (1 − c)`. Reported in USD a year.

use super::Model;
use super::dims::{N_EDU, N_STATUS, SETTLED};
use super::levers::YearLevers;
use crate::declare::ByEducation;

crate::section! {
    /// Remittances: what migrants send home, and through which channel.
    pub struct Remittances (RawRemittances) {
        /// Official receipts in the base year; when given, the shares are scaled by one common factor to meet it.
        base_year_usd: Option<f64> { unit: "USD/year", min: 0.0, max: 1e13, expect: "an amount in USD" },
        /// Share of earnings temporary migrants send home, by education.
        share_temporary: ByEducation { unit: "share of earnings", min: 0.0, max: 1.0, expect: "a share of earnings" },
        /// Share of earnings settled migrants send home, by education.
        share_settled: ByEducation { unit: "share of earnings", min: 0.0, max: 1.0, expect: "a share of earnings" },
        /// How strongly the formal share responds to the transfer cost.
        formal_elasticity: f64 { unit: "-", min: 0.0, max: 5.0, expect: "an elasticity" },
    }
}

impl Remittances {
    /// Share of earnings sent home by status `k` (temporary, settled).
    pub fn share(&self, k: usize) -> &ByEducation {
        [&self.share_temporary, &self.share_settled][k]
    }
}

#[derive(Debug, Clone)]
pub struct RemittanceFlow {
    pub by_dest: Vec<f64>,
    pub by_region: Vec<f64>,
}

impl RemittanceFlow {
    pub fn total(&self) -> f64 {
        self.by_dest.iter().sum()
    }
}

/// Formal share with the transfer cost `cost` (after levers).
pub fn formal_share(model: &Model, d: usize, cost: f64) -> f64 {
    let p = &model.params;
    let dest = &p.destinations[d];
    let c0 = dest.transfer_cost.at(p.start_year);
    if c0 <= 0.0 {
        return dest.formal_share;
    }
    1.0 - (1.0 - dest.formal_share) * (cost / c0).powf(p.remittances.formal_elasticity)
}

/// Official receipts during year `y` from the stock abroad at its start
/// (`workers`, as `AbroadCensus::workers`), before the calibration factor `remit_scale` when `scaled` is false.
pub fn official(
    model: &Model,
    y: usize,
    workers: &[f64],
    wage_dest_usd: &[f64],
    lev: &YearLevers,
    scaled: bool,
) -> RemittanceFlow {
    let p = &model.params;
    let nd = model.n_destinations;
    let year = p.start_year + y as i32;
    let scale = if scaled { model.remit_scale } else { 1.0 };
    let mut flow = RemittanceFlow {
        by_dest: vec![0.0; nd],
        by_region: vec![0.0; model.n_regions],
    };
    for (d, dest) in p.destinations.iter().enumerate() {
        let cost = dest.transfer_cost.at(year) * lev.transfer_cost[d];
        let formal = (formal_share(model, d, cost) + lev.formal_add).min(1.0);
        let received = formal * (1.0 - cost) * scale;
        for e in 0..N_EDU {
            let monthly = wage_dest_usd[d]
                * (1.0 + dest.premium[e])
                * lev.earnings
                * dest.employment_rate
                * lev.employment_dest[d];
            for k in 0..N_STATUS {
                let settled = if k == SETTLED { lev.settled_remittances } else { 1.0 };
                let per_worker_year = 12.0 * monthly * p.remittances.share(k)[e] * settled * received;
                for r in 0..model.n_regions {
                    let usd = workers[((r * nd + d) * N_STATUS + k) * N_EDU + e] * per_worker_year;
                    flow.by_dest[d] += usd;
                    flow.by_region[r] += usd;
                }
            }
        }
    }
    flow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::census::AbroadCensus;

    #[test]
    fn calibrated_receipts_meet_the_target_and_scale_with_the_stock() {
        let model = crate::model::tiny_model();
        let census = |x: &[f64]| AbroadCensus::of(x, model.n_regions, model.n_destinations).workers;
        let abroad = model.params.abroad.as_slice().unwrap().to_vec();
        let wages: Vec<f64> = model.params.destinations.iter().map(|d| d.wage_usd).collect();
        let lev = YearLevers::neutral(model.n_regions, model.n_destinations);
        let flow = official(&model, 0, &census(&abroad), &wages, &lev, true);
        assert!((flow.total() - model.params.remittances.base_year_usd.unwrap()).abs() < 1e-3);
        assert!((flow.by_region.iter().sum::<f64>() - flow.total()).abs() < 1e-3);
        let doubled: Vec<f64> = abroad.iter().map(|v| v * 2.0).collect();
        assert!(
            (official(&model, 0, &census(&doubled), &wages, &lev, true).total() / flow.total() - 2.0).abs() < 1e-12
        );
    }

    #[test]
    fn formal_share_rises_as_the_transfer_cost_falls() {
        let mut model = crate::model::tiny_model();
        let start = model.params.start_year;
        model.params.destinations[0].transfer_cost =
            crate::year_path::YearPath::from_knots(vec![(start, 0.02), (start + 5, 0.005)]).unwrap();
        let cost = |y| model.params.destinations[0].transfer_cost.at(y);
        let f0 = formal_share(&model, 0, cost(start));
        assert_eq!(f0, model.params.destinations[0].formal_share);
        assert!(formal_share(&model, 0, cost(start + 5)) > f0);
        assert!(formal_share(&model, 0, cost(start + 5)) < 1.0);
    }
}
