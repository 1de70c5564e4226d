//! One chain of a calibration as the fixed-width record a shard carries.

use super::{Chain, Spec};
use crate::abc::{self, Posterior};

const STATS: usize = 8;

/// Values of one chain in a shard: its projections, its generations'
/// statistics (`max_generations` rows, unused ones NaN), then per particle
/// its weight, distance, values and simulated figures.
pub fn chain_width(spec: &Spec, n_observed: usize) -> usize {
    1 + spec.settings.max_generations * STATS + spec.settings.particles * (2 + spec.priors.len() + n_observed)
}

pub fn encode(spec: &Spec, n_observed: usize, c: &Chain) -> Vec<f64> {
    let mut v = Vec::with_capacity(chain_width(spec, n_observed));
    v.push(c.projections as f64);
    for g in 0..spec.settings.max_generations {
        match c.posterior.generations.get(g) {
            Some(s) => v.extend([
                s.chain as f64,
                s.generation as f64,
                s.epsilon,
                s.proposals as f64,
                s.simulated as f64,
                s.accepted as f64,
                s.acceptance_rate,
                s.ess,
            ]),
            None => v.extend([f64::NAN; STATS]),
        }
    }
    for i in 0..c.posterior.particles.len() {
        v.push(c.posterior.weights[i]);
        v.push(c.posterior.distances[i]);
        v.extend(&c.posterior.particles[i]);
        v.extend(&c.posterior.records[i]);
    }
    v
}

pub fn decode(spec: &Spec, n_observed: usize, v: &[f64]) -> Chain {
    let k = spec.priors.len();
    let mut generations = Vec::new();
    for row in v[1..1 + spec.settings.max_generations * STATS].chunks_exact(STATS) {
        if row[0].is_nan() {
            break;
        }
        generations.push(abc::GenerationStats {
            chain: row[0] as usize,
            generation: row[1] as usize,
            epsilon: row[2],
            proposals: row[3] as usize,
            simulated: row[4] as usize,
            accepted: row[5] as usize,
            acceptance_rate: row[6],
            ess: row[7],
        });
    }
    let mut posterior = Posterior {
        particles: Vec::new(),
        weights: Vec::new(),
        distances: Vec::new(),
        records: Vec::new(),
        generations,
    };
    for p in v[1 + spec.settings.max_generations * STATS..].chunks_exact(2 + k + n_observed) {
        posterior.weights.push(p[0]);
        posterior.distances.push(p[1]);
        posterior.particles.push(p[2..2 + k].to_vec());
        posterior.records.push(p[2 + k..].to_vec());
    }
    Chain {
        posterior,
        projections: v[0] as usize,
    }
}
