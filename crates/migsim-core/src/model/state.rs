//! The state at 1 January of a year: residents, citizens abroad, the
//! Kyrgyz-born abroad who took the destination's citizenship, foreign
//! workers and jobs (MODEL.md section 1).
//!
//! Arrays are dense and row-major with age last, so one `(…, age)` run is a
//! contiguous slice; `home_at`/`abroad_at` give the offset of its age 0.

use super::dims::{N_AGE, N_EDU, N_SEX, N_STATUS};
use ndarray::{Array4, Array6};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// `[region, sex, education, age]`
    pub home: Array4<f64>,
    /// `[origin region, destination, status, sex, education, age]`
    pub abroad: Array6<f64>,
    /// Former citizens who naturalised abroad, `[destination, sex,
    /// education, age]`. Their origin region is not kept: they are few to
    /// return, and those who do follow the origins of the citizens abroad.
    pub naturalised: Array4<f64>,
    pub foreign_workers: f64,
    /// Jobs by region (filled by residents and foreign workers).
    pub jobs: Vec<f64>,
}

/// Offset of `(r, s, e, age 0)` in the flat home array.
#[inline]
pub fn home_at(r: usize, s: usize, e: usize) -> usize {
    ((r * N_SEX + s) * N_EDU + e) * N_AGE
}

/// Offset of `(r, d, k, s, e, age 0)` in the flat abroad array.
#[inline]
pub fn abroad_at(n_dest: usize, r: usize, d: usize, k: usize, s: usize, e: usize) -> usize {
    ((((r * n_dest + d) * N_STATUS + k) * N_SEX + s) * N_EDU + e) * N_AGE
}

/// Offset of `(d, s, e, age 0)` in the flat naturalised array.
#[inline]
pub fn naturalised_at(d: usize, s: usize, e: usize) -> usize {
    ((d * N_SEX + s) * N_EDU + e) * N_AGE
}

impl State {
    pub fn n_regions(&self) -> usize {
        self.home.shape()[0]
    }

    pub fn n_destinations(&self) -> usize {
        self.abroad.shape()[1]
    }

    pub fn home_flat(&self) -> &[f64] {
        self.home.as_slice().expect("state arrays are standard layout")
    }

    pub fn abroad_flat(&self) -> &[f64] {
        self.abroad.as_slice().expect("state arrays are standard layout")
    }

    pub fn population_home(&self) -> f64 {
        self.home.sum()
    }

    /// Citizens abroad (temporary and settled).
    pub fn population_abroad(&self) -> f64 {
        self.abroad.sum()
    }

    pub fn population_naturalised(&self) -> f64 {
        self.naturalised.sum()
    }

    pub fn naturalised_flat(&self) -> &[f64] {
        self.naturalised.as_slice().expect("state arrays are standard layout")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_offsets_match_ndarray_indexing() {
        let n_dest = 3;
        let mut home = Array4::<f64>::zeros((2, N_SEX, N_EDU, N_AGE));
        home[[1, 1, 2, 7]] = 5.0;
        assert_eq!(home.as_slice().unwrap()[home_at(1, 1, 2) + 7], 5.0);
        let mut abroad = Array6::<f64>::zeros((2, n_dest, N_STATUS, N_SEX, N_EDU, N_AGE));
        abroad[[1, 2, 1, 0, 1, 40]] = 3.0;
        assert_eq!(abroad.as_slice().unwrap()[abroad_at(n_dest, 1, 2, 1, 0, 1) + 40], 3.0);
    }
}
