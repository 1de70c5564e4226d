//! PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999), as
//! scenario discovery uses it (Bryant and Lempert 2010): find a box in the
//! space of uncertain inputs where the cases of interest (say, the draws
//! in which a target fails) concentrate.
//!
//! Peeling: from the box holding every point, each step tries to cut a
//! slice of mass `alpha` off the low or the high end of one input and keeps
//! the cut that raises the box's share of cases of interest most per point
//! removed (the "lenient" objective of EMA Workbench, which also breaks
//! ties in favour of fewer restricted inputs, then of the first input and,
//! for one input, of the high end). It stops when no cut raises that share
//! or the box would hold less than `mass_min` of the points. Pasting then
//! widens a restricted limit again by a slice of mass `paste_alpha` of the
//! points just outside while that raises the share. Every box on the way is
//! a step of the trajectory, with its coverage (share of all cases of
//! interest inside), density (share of the points inside that are cases of
//! interest), mass, and for each restricted limit a quasi-p-value: the
//! one-sided binomial probability of the box's cases of interest given the
//! density of the box without that limit.
//!
//! The quantile of a slice is the one EMA Workbench takes from sdtoolkit:
//! at a position that falls on a run of equal values it moves outward to
//! the next distinct value and takes the midpoint, so a cut never splits
//! tied points.

use statrs::distribution::{Binomial, DiscreteCDF};

/// PRIM's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub peel_alpha: f64,
    pub paste_alpha: f64,
    pub mass_min: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
        }
    }
}

/// A box: the lower and upper limit of every input (inclusive).
pub type Limits = Vec<(f64, f64)>;

/// One box of the trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub limits: Limits,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    /// Points inside, and cases of interest among them.
    pub n: usize,
    pub k: usize,
    /// Restricted inputs, in input order.
    pub restricted: Vec<usize>,
    /// Per restricted input, the quasi-p-value of its lower and upper limit
    /// (`None` for a limit at the data's own end).
    pub quasi_p: Vec<(Option<f64>, Option<f64>)>,
}

/// The trajectory of one PRIM box over `x` (points × inputs) and `y`
/// (true: a case of interest): peeling, then pasting.
pub fn trajectory(x: &[Vec<f64>], y: &[bool], s: &Settings) -> Result<Vec<Step>, String> {
    let n = y.len();
    if n == 0 || x.len() != n {
        return Err(format!(
            "{} points and {} outcomes: expected as many, and at least one",
            x.len(),
            n
        ));
    }
    let k = x[0].len();
    if x.iter().any(|r| r.len() != k || r.iter().any(|v| !v.is_finite())) {
        return Err("every point needs the same number of finite inputs".into());
    }
    for (name, a) in [("peel alpha", s.peel_alpha), ("paste alpha", s.paste_alpha)] {
        if !(a > 0.0 && a < 0.5) {
            return Err(format!("{name} = {a}: expected a share in (0, 0.5)"));
        }
    }
    if !(0.0..1.0).contains(&s.mass_min) {
        return Err(format!("minimum mass = {}: expected a share in [0, 1)", s.mass_min));
    }
    let initial: Limits = (0..k)
        .map(|j| {
            x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                (lo.min(r[j]), hi.max(r[j]))
            })
        })
        .collect();
    let p = Prim {
        x,
        y,
        initial,
        settings: *s,
        total_k: y.iter().filter(|v| **v).count(),
    };
    if p.total_k == 0 {
        return Err("no point is a case of interest: there is nothing to find".into());
    }
    let mut steps = vec![p.step(p.initial.clone(), (0..n).collect())];
    let mut inside: Vec<usize> = (0..n).collect();
    while let Some((limits, next)) = p.best_peel(&steps.last().expect("one step").limits, &inside) {
        inside = next;
        steps.push(p.step(limits, inside.clone()));
    }
    while let Some((limits, next)) = p.best_paste(&steps.last().expect("one step").limits, &inside) {
        inside = next;
        steps.push(p.step(limits, inside.clone()));
    }
    Ok(steps)
}

struct Prim<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    initial: Limits,
    settings: Settings,
    total_k: usize,
}

/// A candidate box: its objective, unrestricted inputs, limits and points.
type Candidate = (f64, usize, Limits, Vec<usize>);

impl Prim<'_> {
    fn cases(&self, points: &[usize]) -> usize {
        points.iter().filter(|&&i| self.y[i]).count()
    }

    fn mean(&self, points: &[usize]) -> f64 {
        if points.is_empty() {
            0.0
        } else {
            self.cases(points) as f64 / points.len() as f64
        }
    }

    fn restricted(&self, limits: &Limits) -> Vec<usize> {
        (0..limits.len()).filter(|&j| limits[j] != self.initial[j]).collect()
    }

    /// The gain in the share of cases of interest per point removed or added.
    fn objective(&self, old: &[usize], new: &[usize]) -> f64 {
        let (a, b) = (self.mean(old), self.mean(new));
        if a == b || old.len() == new.len() {
            return 0.0;
        }
        (b - a) / old.len().abs_diff(new.len()) as f64
    }

    fn inside(&self, i: usize, limits: &Limits, dims: &[usize]) -> bool {
        dims.iter()
            .all(|&j| limits[j].0 <= self.x[i][j] && self.x[i][j] <= limits[j].1)
    }

    /// The best of `candidates` by objective, then by unrestricted inputs;
    /// the first of equals.
    fn best(&self, candidates: Vec<Candidate>) -> Option<Candidate> {
        candidates
            .into_iter()
            .fold(None, |best: Option<Candidate>, c| match &best {
                Some(b) if (b.0, b.1) >= (c.0, c.1) => best,
                _ => Some(c),
            })
    }

    fn best_peel(&self, limits: &Limits, inside: &[usize]) -> Option<(Limits, Vec<usize>)> {
        let alpha = self.settings.peel_alpha;
        let mut candidates = Vec::new();
        for j in 0..limits.len() {
            let values: Vec<f64> = inside.iter().map(|&i| self.x[i][j]).collect();
            for upper in [true, false] {
                let cut = quantile(&values, if upper { 1.0 - alpha } else { alpha });
                let kept: Vec<usize> = inside
                    .iter()
                    .copied()
                    .filter(|&i| {
                        if upper {
                            self.x[i][j] <= cut
                        } else {
                            self.x[i][j] >= cut
                        }
                    })
                    .collect();
                let mut new = limits.clone();
                if upper {
                    new[j].1 = cut
                } else {
                    new[j].0 = cut
                }
                let free = limits.len() - self.restricted(&new).len();
                candidates.push((self.objective(inside, &kept), free, new, kept));
            }
        }
        let (obj, _, new, kept) = self.best(candidates)?;
        let n = self.y.len() as f64;
        let (mass_old, mass_new) = (inside.len() as f64 / n, kept.len() as f64 / n);
        (mass_new >= self.settings.mass_min && mass_new < mass_old && obj > 0.0).then_some((new, kept))
    }

    fn best_paste(&self, limits: &Limits, inside: &[usize]) -> Option<(Limits, Vec<usize>)> {
        let alpha = self.settings.paste_alpha;
        let dims = self.restricted(limits);
        let every: Vec<usize> = (0..self.y.len()).collect();
        let mut candidates = Vec::new();
        for &j in &dims {
            let (lo, hi) = self.initial[j];
            for upper in [false, true] {
                // The points just beyond this limit, inside every other one.
                let mut beyond = limits.clone();
                beyond[j] = if upper { (limits[j].1, hi) } else { (lo, limits[j].0) };
                let values: Vec<f64> = every
                    .iter()
                    .filter(|&&i| self.inside(i, &beyond, &dims))
                    .map(|&i| self.x[i][j])
                    .collect();
                let mut new = limits.clone();
                if upper {
                    new[j].1 = if values.is_empty() {
                        hi
                    } else {
                        quantile(&values, alpha)
                    };
                } else {
                    new[j].0 = if values.is_empty() {
                        lo
                    } else {
                        quantile(&values, 1.0 - alpha)
                    };
                }
                let points: Vec<usize> = every.iter().copied().filter(|&i| self.inside(i, &new, &dims)).collect();
                let free = limits.len() - self.restricted(&new).len();
                candidates.push((self.objective(inside, &points), free, new, points));
            }
        }
        let (obj, _, new, points) = self.best(candidates)?;
        let n = self.y.len() as f64;
        let (mass_old, mass_new) = (inside.len() as f64 / n, points.len() as f64 / n);
        let gains = self.mean(&points) > self.mean(inside);
        (mass_new >= self.settings.mass_min && mass_new > mass_old && obj > 0.0 && gains).then_some((new, points))
    }

    fn step(&self, limits: Limits, inside: Vec<usize>) -> Step {
        let k = self.cases(&inside);
        let n = inside.len();
        let restricted = self.restricted(&limits);
        let quasi_p = restricted
            .iter()
            .map(|&j| {
                let side = |upper: bool| {
                    let at_end = if upper {
                        limits[j].1 == self.initial[j].1
                    } else {
                        limits[j].0 == self.initial[j].0
                    };
                    (!at_end).then(|| {
                        let mut without = limits.clone();
                        if upper {
                            without[j].1 = self.initial[j].1
                        } else {
                            without[j].0 = self.initial[j].0
                        }
                        let points: Vec<usize> = (0..self.y.len())
                            .filter(|&i| self.inside(i, &without, &restricted))
                            .collect();
                        binomial_at_least(k, n, self.mean(&points))
                    })
                };
                (side(false), side(true))
            })
            .collect();
        Step {
            coverage: k as f64 / self.total_k as f64,
            density: if n == 0 { 0.0 } else { k as f64 / n as f64 },
            mass: n as f64 / self.y.len() as f64,
            n,
            k,
            restricted,
            quasi_p,
            limits,
        }
    }
}

/// P(X ≥ k) for X ~ Binomial(n, p): how likely the box's cases of interest
/// are if its density were `p`.
fn binomial_at_least(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    match Binomial::new(p.clamp(0.0, 1.0), n as u64) {
        Ok(b) => b.sf(k as u64 - 1),
        Err(_) => f64::NAN,
    }
}

/// The quantile `q` of `values` that never splits tied values: at a run of
/// equal values it moves outward (down for q > 0.5, up otherwise) to the
/// next distinct value and takes the midpoint.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = (v.len() - 1) as f64 * q;
    let (mut lo, mut hi) = (at.floor() as usize, at.ceil() as usize);
    if q > 0.5 {
        while v[lo] == v[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while v[lo] == v[hi] && hi < v.len() - 1 {
            hi += 1;
        }
    }
    (v[lo] + v[hi]) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quantile_steps_off_ties_to_the_midpoint_of_distinct_values() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.05), 1.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95), 4.5);
        assert_eq!(quantile(&[1.0, 1.0, 1.0, 2.0], 0.05), 1.5);
        assert_eq!(quantile(&[0.0, 1.0], 0.05), 0.5);
    }

    #[test]
    fn the_binomial_tail_matches_a_hand_sum() {
        // P(X >= 2), X ~ B(3, 0.5) = 4/8.
        assert!((binomial_at_least(2, 3, 0.5) - 0.5).abs() < 1e-12);
        assert_eq!(binomial_at_least(0, 3, 0.2), 1.0);
    }
}
