//! Every random number of migsim comes from one ChaCha8 generator per seed,
//! split into streams: a stream depends on (seed, stream number) only, so
//! any piece of a job can be drawn alone, on any thread or machine.
//!
//! Streams in use: `2i` and `2i + 1` for the parameters and shocks of
//! ensemble draw i; `2^52 + i` for draw i's row of a posterior; `2^56 + g ·
//! 2^32 + j` for proposal j of calibration generation g; `j` for row j of a
//! Sobol' design (below 2^40 by far); `2^40 + t` for Morris trajectory t;
//! `2^48` for a Latin hypercube; the last stream for the Sobol' bootstrap.

use rand::SeedableRng;

pub fn stream(seed: u64, stream: u64) -> rand::rngs::ChaCha8Rng {
    let mut r = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// `n` points of the unit cube `[0, 1)^k`, one in each of `n` equal slices
/// of every axis (McKay, Beckman and Conover 1979), placed at random within
/// its slice: per axis, the slices shuffled, then an offset in each.
pub fn latin_hypercube(k: usize, n: usize, r: &mut rand::rngs::ChaCha8Rng) -> Vec<Vec<f64>> {
    use rand::RngExt;
    let columns: Vec<Vec<f64>> = (0..k)
        .map(|_| {
            let mut slices: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                slices.swap(i, r.random_range(0..=i));
            }
            slices
                .into_iter()
                .map(|s| (s as f64 + r.random::<f64>()) / n as f64)
                .collect()
        })
        .collect();
    (0..n).map(|i| columns.iter().map(|c| c[i]).collect()).collect()
}
