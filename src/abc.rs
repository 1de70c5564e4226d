//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC:
//! Toni et al. 2009, with the importance weights and perturbation kernel of
//! Beaumont, Cornuet, Marin & Robert 2009), for simulators whose likelihood
//! is out of reach.
//!
//! Generation 0 draws `particles` parameter sets from the prior and keeps
//! them all. Each later generation sets its tolerance to a quantile of the
//! previous generation's distances (the adaptive schedule of Del Moral,
//! Doucet & Jasra 2012), proposes by drawing an ancestor by weight and
//! moving it with a Gaussian kernel of twice the population's weighted
//! variance, and keeps proposals whose distance is within the tolerance
//! until it has `particles` of them. Weights are `prior(θ) / Σ_j w_j K(θ |
//! θ_j)`. It stops when a generation accepts less than `min_acceptance` of
//! its proposals, when the tolerance stops falling, or after
//! `max_generations`.
//!
//! Every proposal is a function of `(seed, generation, index)` and of the
//! previous population only, and proposals are evaluated in batches whose
//! order is fixed, so the posterior does not depend on how many threads
//! evaluate them.

use crate::error::{Error, Result};
use crate::scenario::uncertainty::Dist;
use rand::RngExt;
use rand_distr::Distribution;

/// Streams of `crate::rng` used here: `CAL_STREAM + chain · 2^40 +
/// generation · 2^32 + index`.
const CAL_STREAM: u64 = 1 << 56;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Settings {
    /// Particles in each generation.
    pub particles: usize,
    /// At most this many generations, generation 0 (the prior) included.
    pub max_generations: usize,
    /// The next tolerance is this quantile of the current distances.
    pub quantile: f64,
    /// Stop once a generation accepts less than this share of the proposals
    /// it simulated.
    pub min_acceptance: f64,
    /// A generation gives up after this many proposals per particle.
    pub max_proposals_per_particle: usize,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            particles: 500,
            max_generations: 10,
            quantile: 0.5,
            min_acceptance: 0.02,
            max_proposals_per_particle: 200,
            seed: 0,
        }
    }
}

/// A parameter set to simulate.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub chain: usize,
    pub generation: usize,
    pub index: usize,
    pub values: Vec<f64>,
}

/// What the simulator made of a candidate: its distance to the observed
/// data (infinite when the simulation failed) and what is kept of it.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub distance: f64,
    pub record: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GenerationStats {
    pub chain: usize,
    pub generation: usize,
    /// Tolerance on the distance (infinite for the prior generation).
    pub epsilon: f64,
    pub proposals: usize,
    /// Proposals simulated (those inside the prior's support).
    pub simulated: usize,
    pub accepted: usize,
    pub acceptance_rate: f64,
    /// Effective sample size of the weights, `1 / Σ w²`.
    pub ess: f64,
}

#[derive(Debug, Clone)]
pub struct Posterior {
    /// `[particle][parameter]`.
    pub particles: Vec<Vec<f64>>,
    /// Normalised to sum to 1.
    pub weights: Vec<f64>,
    pub distances: Vec<f64>,
    pub records: Vec<Vec<f64>>,
    pub generations: Vec<GenerationStats>,
}

impl Posterior {
    /// The weighted quantile `p` of parameter `k`.
    pub fn quantile(&self, k: usize, p: f64) -> f64 {
        weighted_quantile(
            &self.particles.iter().map(|x| x[k]).collect::<Vec<_>>(),
            &self.weights,
            p,
        )
    }

    pub fn ess(&self) -> f64 {
        ess(&self.weights)
    }
}

/// The value below which a share `p` of the weight lies.
pub fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let total: f64 = weights.iter().sum();
    let mut seen = 0.0;
    for &i in &order {
        seen += weights[i];
        if seen >= p * total {
            return values[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| values[i])
}

fn ess(w: &[f64]) -> f64 {
    let total: f64 = w.iter().sum();
    let sq: f64 = w.iter().map(|v| (v / total).powi(2)).sum();
    if sq > 0.0 { 1.0 / sq } else { 0.0 }
}

fn prior_density(priors: &[Dist], x: &[f64]) -> f64 {
    priors.iter().zip(x).map(|(d, v)| d.density(*v)).product()
}

fn stream(seed: u64, chain: usize, generation: usize, index: usize) -> rand::rngs::ChaCha8Rng {
    crate::rng::stream(
        seed,
        CAL_STREAM + ((chain as u64) << 40) + ((generation as u64) << 32) + index as u64,
    )
}

/// Runs one chain of ABC-SMC. `evaluate` simulates a batch of candidates
/// (in any order or in parallel) and returns one result per candidate, in
/// their order; `report` hears of each generation as it ends. Chains of
/// one seed draw from separate streams, so independent chains can be
/// pooled.
pub fn run(
    priors: &[Dist],
    settings: &Settings,
    chain: usize,
    evaluate: &mut dyn FnMut(&[Candidate]) -> Result<Vec<Evaluated>>,
    report: &mut dyn FnMut(&GenerationStats),
) -> Result<Posterior> {
    let n = settings.particles;
    if n < 2 || priors.is_empty() {
        return Err(Error::Runtime(
            "calibration needs at least 2 particles and 1 parameter".into(),
        ));
    }
    // Generation 0: the prior, all kept.
    let candidates: Vec<Candidate> = (0..n)
        .map(|j| {
            let mut rng = stream(settings.seed, chain, 0, j);
            Candidate {
                chain,
                generation: 0,
                index: j,
                values: priors.iter().map(|d| d.sample(&mut rng)).collect(),
            }
        })
        .collect();
    let results = evaluate(&candidates)?;
    let mut pop = Posterior {
        particles: candidates.into_iter().map(|c| c.values).collect(),
        weights: vec![1.0 / n as f64; n],
        distances: results.iter().map(|r| r.distance).collect(),
        records: results.into_iter().map(|r| r.record).collect(),
        generations: Vec::new(),
    };
    let first = GenerationStats {
        chain,
        generation: 0,
        epsilon: f64::INFINITY,
        proposals: n,
        simulated: n,
        accepted: n,
        acceptance_rate: 1.0,
        ess: n as f64,
    };
    report(&first);
    pop.generations.push(first);

    for g in 1..settings.max_generations {
        let finite: Vec<usize> = (0..n).filter(|&i| pop.distances[i].is_finite()).collect();
        if finite.is_empty() {
            return Err(Error::Runtime(
                "no simulation of the prior generation gave a finite distance".into(),
            ));
        }
        let epsilon = weighted_quantile(
            &finite.iter().map(|&i| pop.distances[i]).collect::<Vec<_>>(),
            &finite.iter().map(|&i| pop.weights[i]).collect::<Vec<_>>(),
            settings.quantile,
        );
        let previous = pop.generations.last().expect("generation 0 is there").epsilon;
        if epsilon >= previous {
            break;
        }
        let tau = kernel_scales(&pop);
        let cumulative: Vec<f64> = pop
            .weights
            .iter()
            .scan(0.0, |acc, w| {
                *acc += w;
                Some(*acc)
            })
            .collect();
        let mut next = Posterior {
            particles: Vec::with_capacity(n),
            weights: Vec::with_capacity(n),
            distances: Vec::with_capacity(n),
            records: Vec::with_capacity(n),
            generations: Vec::new(),
        };
        let (mut proposals, mut simulated) = (0usize, 0usize);
        let cap = settings.max_proposals_per_particle.saturating_mul(n);
        while next.particles.len() < n && proposals < cap {
            let batch: Vec<Candidate> = (proposals..proposals + n)
                .filter_map(|j| {
                    let mut rng = stream(settings.seed, chain, g, j);
                    let u: f64 = rng.random::<f64>() * cumulative[n - 1];
                    let ancestor = cumulative.partition_point(|c| *c < u).min(n - 1);
                    let values: Vec<f64> = pop.particles[ancestor]
                        .iter()
                        .zip(&tau)
                        .map(|(x, t)| {
                            let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
                            x + t * z
                        })
                        .collect();
                    (prior_density(priors, &values) > 0.0).then_some(Candidate {
                        chain,
                        generation: g,
                        index: j,
                        values,
                    })
                })
                .collect();
            proposals += n;
            simulated += batch.len();
            let results = evaluate(&batch)?;
            for (c, r) in batch.into_iter().zip(results) {
                if next.particles.len() < n && r.distance <= epsilon {
                    next.particles.push(c.values);
                    next.distances.push(r.distance);
                    next.records.push(r.record);
                }
            }
        }
        if next.particles.len() < n {
            // The tolerance cannot be met within the budget: the previous
            // generation stands as the posterior.
            break;
        }
        next.weights = importance_weights(priors, &pop, &next.particles, &tau);
        let stats = GenerationStats {
            chain,
            generation: g,
            epsilon,
            proposals,
            simulated,
            accepted: n,
            // Of the proposals simulated: one outside the prior's support
            // costs no projection, so it does not count against the rate
            // that decides when more generations stop paying.
            acceptance_rate: n as f64 / simulated.max(1) as f64,
            ess: ess(&next.weights),
        };
        report(&stats);
        next.generations = std::mem::take(&mut pop.generations);
        next.generations.push(stats.clone());
        pop = next;
        if stats.acceptance_rate < settings.min_acceptance {
            break;
        }
    }
    Ok(pop)
}

/// Kernel standard deviations: twice the weighted variance of each
/// parameter (Beaumont et al. 2009), never zero.
fn kernel_scales(pop: &Posterior) -> Vec<f64> {
    let k = pop.particles[0].len();
    (0..k)
        .map(|p| {
            let mean: f64 = pop.particles.iter().zip(&pop.weights).map(|(x, w)| x[p] * w).sum();
            let var: f64 = pop
                .particles
                .iter()
                .zip(&pop.weights)
                .map(|(x, w)| w * (x[p] - mean).powi(2))
                .sum();
            let sd = (2.0 * var).sqrt();
            if sd > 0.0 { sd } else { 1e-9 * mean.abs().max(1.0) }
        })
        .collect()
}

fn importance_weights(priors: &[Dist], previous: &Posterior, particles: &[Vec<f64>], tau: &[f64]) -> Vec<f64> {
    let raw: Vec<f64> = particles
        .iter()
        .map(|x| {
            let mix: f64 = previous
                .particles
                .iter()
                .zip(&previous.weights)
                .map(|(y, w)| {
                    let z2: f64 = x.iter().zip(y).zip(tau).map(|((a, b), t)| ((a - b) / t).powi(2)).sum();
                    w * (-0.5 * z2).exp()
                })
                .sum();
            if mix > 0.0 { prior_density(priors, x) / mix } else { 0.0 }
        })
        .collect();
    let total: f64 = raw.iter().sum();
    if total > 0.0 {
        raw.iter().map(|v| v / total).collect()
    } else {
        vec![1.0 / raw.len() as f64; raw.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Observations `y_i ~ N(θ, 1)`, summarised by their mean: under a flat
    /// prior the posterior of θ is `N(ȳ, 1/n)`. The simulator draws the mean
    /// of n new observations from the candidate's own stream.
    #[test]
    fn recovers_the_analytic_posterior_of_a_normal_mean() {
        let n_obs: f64 = 25.0;
        let observed_mean = 1.3;
        let priors = [Dist::Uniform { min: -10.0, max: 10.0 }];
        let settings = Settings {
            particles: 2000,
            max_generations: 12,
            min_acceptance: 0.05,
            seed: 3,
            ..Settings::default()
        };
        let mut evaluate = |batch: &[Candidate]| -> Result<Vec<Evaluated>> {
            Ok(batch
                .iter()
                .map(|c| {
                    let mut rng = crate::rng::stream(99, ((c.generation as u64) << 32) + c.index as u64);
                    let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
                    let simulated = c.values[0] + z / n_obs.sqrt();
                    Evaluated {
                        distance: (simulated - observed_mean).abs(),
                        record: vec![simulated],
                    }
                })
                .collect())
        };
        let post = run(&priors, &settings, 0, &mut evaluate, &mut |_| {}).unwrap();
        let mean: f64 = post.particles.iter().zip(&post.weights).map(|(x, w)| x[0] * w).sum();
        let var: f64 = post
            .particles
            .iter()
            .zip(&post.weights)
            .map(|(x, w)| w * (x[0] - mean).powi(2))
            .sum();
        let sd_true = 1.0 / n_obs.sqrt();
        assert!((mean - observed_mean).abs() < 0.1 * observed_mean, "mean {mean}");
        assert!(
            (var.sqrt() / sd_true - 1.0).abs() < 0.1,
            "sd {} vs {sd_true}",
            var.sqrt()
        );
        // Tolerances fall from one generation to the next.
        let eps: Vec<f64> = post.generations.iter().map(|g| g.epsilon).collect();
        assert!(eps.windows(2).all(|w| w[1] < w[0]), "{eps:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_posterior_whatever_the_batch_order() {
        let priors = [
            Dist::Uniform { min: 0.0, max: 1.0 },
            Dist::Normal {
                mean: 0.0,
                sd: 1.0,
                min: -3.0,
                max: 3.0,
            },
        ];
        let settings = Settings {
            particles: 200,
            max_generations: 4,
            seed: 5,
            ..Settings::default()
        };
        let distance = |x: &[f64]| ((x[0] - 0.3).powi(2) + (x[1] - 0.5).powi(2)).sqrt();
        let forward = run(
            &priors,
            &settings,
            0,
            &mut |b: &[Candidate]| {
                Ok(b.iter()
                    .map(|c| Evaluated {
                        distance: distance(&c.values),
                        record: vec![],
                    })
                    .collect())
            },
            &mut |_| {},
        )
        .unwrap();
        // Evaluated back to front, as another thread count might: the same.
        let backward = run(
            &priors,
            &settings,
            0,
            &mut |b: &[Candidate]| {
                let mut out: Vec<(usize, Evaluated)> = b
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, c)| {
                        (
                            i,
                            Evaluated {
                                distance: distance(&c.values),
                                record: vec![],
                            },
                        )
                    })
                    .collect();
                out.sort_by_key(|(i, _)| *i);
                Ok(out.into_iter().map(|(_, e)| e).collect())
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(forward.particles, backward.particles);
        assert_eq!(forward.weights, backward.weights);
        assert!((forward.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_quantiles_follow_the_weights() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(weighted_quantile(&v, &[0.25; 4], 0.5), 2.0);
        assert_eq!(weighted_quantile(&v, &[0.0, 0.0, 0.0, 1.0], 0.1), 4.0);
        assert_eq!(weighted_quantile(&v, &[0.7, 0.1, 0.1, 0.1], 0.5), 1.0);
    }
}
