//! Remittances (MODEL.md section 4): each working-age person abroad earns
//! `W_d (1 + π_{e,d}) · emp_d` a month and sends `σ(k, e)` of it, where `k`
//! is temporary, settled or naturalised; the formal share rises as the
//! transfer cost falls, `formal(t) = 1 − (1 − formal0) · (c(t) / c(t0))^ε`,
//! and what arrives through official channels is `sent · formal · (1 − c)`.
//! Reported in USD a year.
//!
//! No factor rescales these to a total: the shares are behaviour, read from
//! surveys or learned from history, and each corridor's receipts follow
//! from its own stock, wage and channels. A gap to the central bank's
//! figures is reported, not absorbed.

use super::Model;
use super::dims::{N_EDU, N_STATUS, SETTLED};
use super::levers::YearLevers;
use crate::declare::ByEducation;

crate::section! {
    /// Remittances: what migrants send home, and through which channel.
    pub struct Remittances (RawRemittances) {
        /// Share of earnings temporary migrants send home, by education.
        share_temporary: ByEducation { unit: "share of earnings", min: 0.0, max: 1.0, expect: "a share of earnings" },
        /// Share of earnings settled migrants send home, by education.
        share_settled: ByEducation { unit: "share of earnings", min: 0.0, max: 1.0, expect: "a share of earnings" },
        /// Share of earnings the naturalised (former citizens) send home, by education.
        share_naturalised: ByEducation { unit: "share of earnings", min: 0.0, max: 1.0, expect: "a share of earnings" } = ByEducation([0.0; 3]),
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

/// Who earns what is sent, at 1 January.
pub struct Senders<'a> {
    /// Citizens of working age, as `AbroadCensus::workers`.
    pub citizens: &'a [f64],
    /// The naturalised of working age, `[destination][education]`.
    pub naturalised: &'a [[f64; N_EDU]],
    /// Where the naturalised send to: shares by region.
    pub origins: &'a [f64],
}

/// Official receipts during year `y` from the senders at its start.
pub fn official(model: &Model, y: usize, senders: &Senders, wage_dest_usd: &[f64], lev: &YearLevers) -> RemittanceFlow {
    let p = &model.params;
    let nd = model.n_destinations;
    let year = p.start_year + y as i32;
    let mut flow = RemittanceFlow {
        by_dest: vec![0.0; nd],
        by_region: vec![0.0; model.n_regions],
    };
    for (d, dest) in p.destinations.iter().enumerate() {
        let cost = dest.transfer_cost.at(year) * lev.transfer_cost[d];
        let formal = (formal_share(model, d, cost) + lev.formal_add).min(1.0);
        let received = formal * (1.0 - cost);
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
                    let usd = senders.citizens[((r * nd + d) * N_STATUS + k) * N_EDU + e] * per_worker_year;
                    flow.by_dest[d] += usd;
                    flow.by_region[r] += usd;
                }
            }
            let per_naturalised_year = 12.0 * monthly * p.remittances.share_naturalised[e] * received;
            let usd = senders.naturalised[d][e] * per_naturalised_year;
            if usd > 0.0 {
                flow.by_dest[d] += usd;
                for (r, w) in senders.origins.iter().enumerate() {
                    flow.by_region[r] += usd * w;
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
    fn receipts_follow_earnings_and_shares_and_scale_with_the_senders() {
        let mut model = crate::model::tiny_model();
        model.params.remittances.share_naturalised = ByEducation([0.1, 0.2, 0.3]);
        let (nr, nd) = (model.n_regions, model.n_destinations);
        let workers = |x: &[f64]| AbroadCensus::of(x, nr, nd).workers;
        let abroad = model.params.abroad.as_slice().unwrap().to_vec();
        let wages: Vec<f64> = model.params.destinations.iter().map(|d| d.wage_usd).collect();
        let lev = YearLevers::neutral(nr, nd);
        let origins = vec![0.5, 0.5];
        let none = vec![[0.0; N_EDU]; nd];
        let flow_of = |citizens: &[f64], naturalised: &[[f64; N_EDU]]| {
            let senders = Senders {
                citizens,
                naturalised,
                origins: &origins,
            };
            official(&model, 0, &senders, &wages, &lev)
        };
        let flow = flow_of(&workers(&abroad), &none);
        assert!((flow.by_region.iter().sum::<f64>() - flow.total()).abs() < 1e-6 * flow.total());
        // One naturalised worker of high education in the first destination
        // sends 12 months of pay times their share, through its channels.
        let mut one = none.clone();
        one[0][2] = 1.0;
        let d = &model.params.destinations[0];
        let cost = d.transfer_cost.at(model.params.start_year);
        let expected =
            12.0 * d.wage_usd * (1.0 + d.premium[2]) * d.employment_rate * 0.3 * d.formal_share * (1.0 - cost);
        let with_one = flow_of(&workers(&abroad), &one);
        assert!((with_one.by_dest[0] - flow.by_dest[0] - expected).abs() < 1e-6);
        assert!((with_one.by_region[0] - flow.by_region[0] - expected / 2.0).abs() < 1e-6);
        let doubled: Vec<f64> = abroad.iter().map(|v| v * 2.0).collect();
        assert!((flow_of(&workers(&doubled), &none).total() / flow.total() - 2.0).abs() < 1e-12);
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
