//! Sums and dot products over contiguous runs with four independent partial
//! sums. A single running sum waits for each addition before the next and
//! cannot use vector instructions; four lanes let the additions overlap,
//! which makes the stock aggregations of a year several times faster. The
//! order of additions is fixed, so results stay deterministic (though not
//! bit-equal to a left-to-right sum).

#[inline(always)]
pub fn sum(x: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = x.chunks_exact(4);
    let rest: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for i in 0..4 {
            acc[i] += c[i];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
}

#[inline(always)]
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let mut acc = [0.0; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let rest: f64 = xc.remainder().iter().zip(yc.remainder()).map(|(a, b)| a * b).sum();
    for (a, b) in xc.zip(yc) {
        for i in 0..4 {
            acc[i] += a[i] * b[i];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
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
}
