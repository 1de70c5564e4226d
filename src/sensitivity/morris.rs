//! Morris elementary effects: a cheap screen of which inputs matter.
//!
//! Each of r trajectories starts at a random point of a grid with `levels`
//! levels per input on the unit cube and moves one input at a time, in
//! random order, by Δ = levels / (2 (levels − 1)). The elementary effect of
//! input i is the change of the output divided by its step. Reported per
//! input: μ (mean effect), μ* (mean absolute effect, Campolongo et al. 2007,
//! the measure to rank by) and σ (standard deviation: large against μ* when
//! the input acts through interactions or non-linearly). Effects are per unit
//! of the cube, i.e. per whole range of each input's distribution, so inputs
//! of different units compare.

use super::stream;
use rand::RngExt;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Design {
    pub trajectories: usize,
    pub k: usize,
    /// Grid levels per input (even).
    pub levels: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects {
    pub mu: f64,
    pub mu_star: f64,
    pub sigma: f64,
}

/// Where a trajectory starts (a level per input), in which order it moves
/// the inputs, and where each input goes.
struct Trajectory {
    start: Vec<usize>,
    order: Vec<usize>,
}

impl Design {
    pub fn points(&self) -> usize {
        self.trajectories * (self.k + 1)
    }

    fn level(&self, j: usize) -> f64 {
        j as f64 / (self.levels - 1) as f64
    }

    /// Level j moves to j ± levels/2, whichever stays on the grid.
    fn moved(&self, j: usize) -> usize {
        let half = self.levels / 2;
        if j < half { j + half } else { j - half }
    }

    /// Trajectory t depends on (seed, t) only; its streams start far above
    /// those of the Sobol design so the two never share numbers.
    fn trajectory(&self, seed: u64, t: usize) -> Trajectory {
        let mut r = stream(seed, (1 << 40) + t as u64);
        let start = (0..self.k).map(|_| r.random_range(0..self.levels)).collect();
        let mut order: Vec<usize> = (0..self.k).collect();
        // Fisher-Yates.
        for i in (1..self.k).rev() {
            order.swap(i, r.random_range(0..=i));
        }
        Trajectory { start, order }
    }

    /// Coordinates of point `p`: step p % (k + 1) of trajectory p / (k + 1).
    pub fn point(&self, seed: u64, p: usize) -> Vec<f64> {
        let (t, step) = (p / (self.k + 1), p % (self.k + 1));
        let tr = self.trajectory(seed, t);
        let mut at = tr.start.clone();
        for &i in &tr.order[..step] {
            at[i] = self.moved(at[i]);
        }
        at.into_iter().map(|j| self.level(j)).collect()
    }

    /// The effects of every input from the model's value at every point.
    pub fn effects(&self, seed: u64, f: &[f64]) -> Vec<Effects> {
        assert_eq!(f.len(), self.points(), "one value per design point");
        let mut ee: Vec<Vec<f64>> = vec![Vec::with_capacity(self.trajectories); self.k];
        for t in 0..self.trajectories {
            let tr = self.trajectory(seed, t);
            let base = t * (self.k + 1);
            let mut at = tr.start.clone();
            for (step, &i) in tr.order.iter().enumerate() {
                let from = self.level(at[i]);
                at[i] = self.moved(at[i]);
                let delta = self.level(at[i]) - from;
                ee[i].push((f[base + step + 1] - f[base + step]) / delta);
            }
        }
        ee.iter()
            .map(|e| {
                let n = e.len() as f64;
                let mu = e.iter().sum::<f64>() / n;
                let mu_star = e.iter().map(|v| v.abs()).sum::<f64>() / n;
                let sigma = if e.len() > 1 {
                    (e.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    f64::NAN
                };
                Effects { mu, mu_star, sigma }
            })
            .collect()
    }
}
