//! Where policies and shocks act on the step (MODEL.md section 5, step 1).
//!
//! Each year's multipliers are gathered here and applied by the processes. No
//! policy or shock kinds exist yet, so every multiplier is 1: this is the
//! neutral element the policy issue will fill, not a placeholder for numbers.

use super::Model;
use super::dims::N_EDU;

#[derive(Debug, Clone)]
pub struct YearMultipliers {
    /// On the emigration hazard, `[region][education]`.
    pub emigration: Vec<[f64; N_EDU]>,
    /// On the return hazard, by destination.
    pub returns: Vec<f64>,
    /// On the internal out-migration hazard, by origin region.
    pub internal: Vec<f64>,
}

pub fn multipliers(model: &Model, _y: usize) -> YearMultipliers {
    YearMultipliers {
        emigration: vec![[1.0; N_EDU]; model.n_regions],
        returns: vec![1.0; model.n_destinations],
        internal: vec![1.0; model.n_regions],
    }
}
