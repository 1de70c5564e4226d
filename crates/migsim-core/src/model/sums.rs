//! Sums and dot products over contiguous runs with four independent partial
//! sums. A single running sum waits for each addition before the next and
//! cannot use vector instructions; four lanes let the additions overlap,
//! which makes the stock aggregations of a year several times faster. The
//! order of additions is fixed, so results stay deterministic (though not
//! bit-equal to a left-to-right sum). These are the plain-lane versions of
//! `lanes::sum` and `lanes::dot`, for code outside the hot loops; inside
//! them, the same functions on the widest lanes give the same bits.

use super::lanes::{self, Plain};

#[inline(always)]
pub fn sum(x: &[f64]) -> f64 {
    lanes::sum(Plain, x)
}

/// An array `[…, sex, education, age]` (home, abroad or a year's emigrants)
/// summed to `[sex][age]`, flat: what the rows by age and sex report.
pub fn by_sex_age(cells: &[f64]) -> Vec<f64> {
    use super::dims::{N_AGE, N_EDU, N_SEX};
    let mut out = vec![0.0; N_SEX * N_AGE];
    for (i, run) in cells.chunks_exact(N_AGE).enumerate() {
        let s = (i / N_EDU) % N_SEX;
        for (t, v) in out[s * N_AGE..][..N_AGE].iter_mut().zip(run) {
            *t += v;
        }
    }
    out
}

#[cfg(test)]
#[inline(always)]
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    lanes::dot(Plain, x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_dots_agree_with_plain_loops_for_every_length() {
        for n in 0..23 {
            let x: Vec<f64> = (0..n).map(|i| 1.0 + i as f64 * 0.5).collect();
            let y: Vec<f64> = (0..n).map(|i| 2.0 - i as f64 * 0.25).collect();
            let plain: f64 = x.iter().sum();
            let plain_dot: f64 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
            assert!((sum(&x) - plain).abs() <= 1e-12 * plain.abs().max(1.0), "n={n}");
            assert!(
                (dot(&x, &y) - plain_dot).abs() <= 1e-12 * plain_dot.abs().max(1.0),
                "n={n}"
            );
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_widest_lanes_sum_to_the_same_bits() {
        let Some(avx) = lanes::Avx::detect() else { return };
        for n in 0..23 {
            let x: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 0.3)).collect();
            let y: Vec<f64> = (0..n).map(|i| (i as f64).sqrt() + 0.1).collect();
            assert_eq!(sum(&x).to_bits(), lanes::sum(avx, &x).to_bits(), "n={n}");
            assert_eq!(dot(&x, &y).to_bits(), lanes::dot(avx, &x, &y).to_bits(), "n={n}");
        }
    }
}
