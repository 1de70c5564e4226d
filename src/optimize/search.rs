//! The search behind `migsim optimize`, apart from the model: the cheapest
//! point `u` of the unit cube `[0, 1]^k` whose slack is at least 0, given
//! an evaluation of any point's cost and slack.
//!
//! It assumes what holds for levers aimed at a target: moving any lever from
//! its FROM end (0) towards its TO end (1) costs more and never lowers the
//! slack. The feasible points then form an upper set and the cheapest lies
//! on its lower edge, where a ray from the origin first becomes feasible.
//! Every point of the cube lies on one such ray, so the search runs over the
//! rays' directions (k − 1 angles in `[0, π/2]`) and finds, on each ray, the
//! crossing by a bracketed root search; the ray's cost there is what the
//! directions are compared by.
//!
//! Why this rather than a general optimiser from a crate (argmin's
//! Nelder–Mead, CMA-ES): the constraint is hard and the slack, an order
//! statistic of per-draw margins, is continuous but kinked. A penalised
//! Nelder–Mead needs a penalty weight, clipping at the cube's faces, and
//! stalls on the kink where the optimum sits; here every ray ends on the
//! boundary by construction, the angles are bounded, and the answer is
//! feasible on the draws because the root search keeps the feasible end of
//! its bracket. Both loops are short and deterministic.

use std::f64::consts::FRAC_PI_2;

/// What an evaluation gives: the candidate's cost, and its slack (at least
/// 0 when it meets the constraint).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    pub cost: f64,
    pub slack: f64,
}

impl Value {
    pub fn feasible(&self) -> bool {
        self.slack >= 0.0
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Width, as a share of the ray, at which a crossing counts as found.
    pub tolerance: f64,
    /// Smallest step of the directions' search, in radians.
    pub angle_tolerance: f64,
    /// Directions per angle tried before refining.
    pub coarse: usize,
    /// Evaluations after which the search stops with the best found.
    pub max_evaluations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tolerance: 1e-4,
            angle_tolerance: 1e-3,
            coarse: 5,
            max_evaluations: 400,
        }
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The cheapest feasible point seen, and its value.
    Best(Vec<f64>, Value),
    /// Even the far corner (every lever at TO) does not meet the constraint.
    Infeasible,
}

/// Counts evaluations so that the budget holds across both loops.
struct Counted<'a, E> {
    eval: &'a mut dyn FnMut(&[f64]) -> Result<Value, E>,
    used: usize,
    best: Option<(Vec<f64>, Value)>,
}

impl<E> Counted<'_, E> {
    fn at(&mut self, u: &[f64]) -> Result<Value, E> {
        self.used += 1;
        let v = (self.eval)(u)?;
        if v.feasible() && self.best.as_ref().is_none_or(|(_, b)| v.cost < b.cost) {
            self.best = Some((u.to_vec(), v));
        }
        Ok(v)
    }
}

/// Runs the search over `[0, 1]^k`.
pub fn search<E>(k: usize, settings: &Settings, eval: &mut dyn FnMut(&[f64]) -> Result<Value, E>) -> Result<Found, E> {
    let mut c = Counted {
        eval,
        used: 0,
        best: None,
    };
    let origin = vec![0.0; k];
    let at_origin = c.at(&origin)?;
    if at_origin.feasible() {
        return Ok(Found::Best(origin, at_origin));
    }
    if !c.at(&vec![1.0; k])?.feasible() {
        return Ok(Found::Infeasible);
    }
    let angles = k.saturating_sub(1);
    let ray_cost = |phi: &[f64], c: &mut Counted<E>| -> Result<f64, E> {
        Ok(crossing(&direction(phi), at_origin.slack, settings, c)?.map_or(f64::INFINITY, |v| v.cost))
    };
    if angles > 0 {
        // A coarse grid of directions first, both single-lever edges
        // included, then a compass search from the best of them.
        let m = settings.coarse.max(2);
        let step = FRAC_PI_2 / (m - 1) as f64;
        let mut best_phi = vec![0.0; angles];
        let mut best_cost = f64::INFINITY;
        for index in 0..m.pow(angles as u32) {
            let mut rest = index;
            let phi: Vec<f64> = (0..angles)
                .map(|_| {
                    let i = rest % m;
                    rest /= m;
                    i as f64 * step
                })
                .collect();
            let cost = ray_cost(&phi, &mut c)?;
            if cost < best_cost {
                (best_cost, best_phi) = (cost, phi);
            }
            if c.used >= settings.max_evaluations {
                break;
            }
        }
        let mut h = step / 2.0;
        while h >= settings.angle_tolerance && c.used < settings.max_evaluations {
            let mut moved = None;
            for d in 0..angles {
                for sign in [-1.0, 1.0] {
                    let mut phi = best_phi.clone();
                    phi[d] = (phi[d] + sign * h).clamp(0.0, FRAC_PI_2);
                    if phi == best_phi {
                        continue;
                    }
                    let cost = ray_cost(&phi, &mut c)?;
                    if cost < moved.as_ref().map_or(best_cost, |(m, _)| *m) {
                        moved = Some((cost, phi));
                    }
                }
            }
            match moved {
                Some((cost, phi)) => (best_cost, best_phi) = (cost, phi),
                None => h /= 2.0,
            }
        }
    } else {
        ray_cost(&[], &mut c)?;
    }
    Ok(match c.best {
        Some((u, v)) => Found::Best(u, v),
        None => Found::Infeasible,
    })
}

/// The ray's direction for angles `phi` (hyperspherical, every component
/// at least 0), scaled so that its largest component is 1: the ray then
/// leaves the cube at `t = 1`.
pub fn direction(phi: &[f64]) -> Vec<f64> {
    let mut v = Vec::with_capacity(phi.len() + 1);
    let mut sines = 1.0;
    for a in phi {
        v.push(sines * a.cos());
        sines *= a.sin();
    }
    v.push(sines);
    let top = v.iter().cloned().fold(0.0, f64::max);
    // cos(π/2) is 6e-17, not 0: a lever the direction leaves out is set
    // exactly at FROM.
    v.iter()
        .map(|x| if x / top < 1e-12 { 0.0 } else { (x / top).min(1.0) })
        .collect()
}

/// Where the ray `t · d` first meets the constraint, as the value at the
/// feasible end of the final bracket; none if it leaves the cube infeasible.
/// Regula falsi with the Illinois change, falling back to halving when the
/// bracket fails to halve in two steps (a kinked slack can stall it).
fn crossing<E>(d: &[f64], slack0: f64, settings: &Settings, c: &mut Counted<E>) -> Result<Option<Value>, E> {
    let point = |t: f64| d.iter().map(|x| (t * x).clamp(0.0, 1.0)).collect::<Vec<f64>>();
    let end = c.at(&point(1.0))?;
    if !end.feasible() {
        return Ok(None);
    }
    let (mut a, mut fa) = (0.0, slack0);
    let (mut b, mut fb, mut vb) = (1.0, end.slack, end);
    let mut last_side = 0i8;
    let mut width_before = [1.0, 1.0];
    while b - a > settings.tolerance && c.used < settings.max_evaluations {
        let halving = b - a > 0.5 * width_before[0];
        let t = if halving || fb == fa {
            0.5 * (a + b)
        } else {
            (a - fa * (b - a) / (fb - fa)).clamp(a + 0.01 * (b - a), b - 0.01 * (b - a))
        };
        width_before = [width_before[1], b - a];
        let v = c.at(&point(t))?;
        if v.feasible() {
            (b, fb, vb) = (t, v.slack, v);
            if last_side == 1 {
                fa /= 2.0;
            }
            last_side = 1;
        } else {
            (a, fa) = (t, v.slack);
            if last_side == -1 {
                fb /= 2.0;
            }
            last_side = -1;
        }
    }
    Ok(Some(vb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    fn run(k: usize, f: impl Fn(&[f64]) -> Value) -> (Found, usize) {
        let mut n = 0;
        let mut eval = |u: &[f64]| -> Result<Value, Infallible> {
            n += 1;
            Ok(f(u))
        };
        let found = search(k, &Settings::default(), &mut eval).unwrap();
        (found, n)
    }

    #[test]
    fn directions_cover_the_edges_and_leave_the_cube_at_one() {
        assert_eq!(direction(&[0.0]), vec![1.0, 0.0]);
        let d = direction(&[FRAC_PI_2]);
        assert!(d[0].abs() < 1e-15 && d[1] == 1.0);
        let d = direction(&[FRAC_PI_2 / 2.0]);
        assert!(d.iter().all(|x| (x - 1.0).abs() < 1e-15), "{d:?}");
        let d = direction(&[0.3, 1.1, 0.2]);
        assert_eq!(d.len(), 4);
        assert_eq!(d.iter().cloned().fold(0.0, f64::max), 1.0);
    }

    #[test]
    fn one_lever_stops_where_the_constraint_starts_to_hold() {
        // Slack u - 0.37: the least feasible setting is 0.37.
        let (found, _) = run(1, |u| Value {
            cost: 10.0 * u[0],
            slack: u[0] - 0.37,
        });
        let Found::Best(u, v) = found else { panic!("{found:?}") };
        assert!(v.slack >= 0.0);
        assert!((u[0] - 0.37).abs() < 1e-4, "{u:?}");
    }

    #[test]
    fn a_linear_programme_ends_at_its_cheapest_vertex() {
        // min 3x + 2y s.t. x + 2y >= 1 and 3x + y >= 1.2 (a kinked slack):
        // the vertices are (0, 1.2), (0.28, 0.36) and (1, 0): costs 2.4,
        // 1.56 and 3, so the optimum is (0.28, 0.36) at 1.56.
        let (found, n) = run(2, |u| Value {
            cost: 3.0 * u[0] + 2.0 * u[1],
            slack: (u[0] + 2.0 * u[1] - 1.0).min(3.0 * u[0] + u[1] - 1.2),
        });
        let Found::Best(u, v) = found else { panic!("{found:?}") };
        assert!(v.slack >= 0.0);
        assert!((v.cost - 1.56).abs() < 1.56 * 2e-3, "{u:?} costs {}", v.cost);
        assert!(n <= Settings::default().max_evaluations);
    }

    #[test]
    fn the_cheaper_of_two_substitutes_is_used_alone() {
        // Either lever alone can do the job; the second costs half as much
        // per unit of effect, so the optimum uses it alone: u = (0, 0.5).
        let (found, _) = run(2, |u| Value {
            cost: u[0] + 0.5 * u[1],
            slack: u[0] + u[1] - 0.5,
        });
        let Found::Best(u, v) = found else { panic!("{found:?}") };
        assert!(u[0] < 1e-3 && (u[1] - 0.5).abs() < 1e-3, "{u:?}");
        assert!((v.cost - 0.25).abs() < 0.25 * 2e-3);
    }

    #[test]
    fn three_levers_with_a_curved_constraint() {
        // min x + y + z s.t. sqrt(x) + sqrt(y) + sqrt(z) >= 1.2: by symmetry
        // and convexity the optimum is x = y = z = 0.16, cost 0.48.
        let (found, _) = run(3, |u| Value {
            cost: u.iter().sum(),
            slack: u.iter().map(|x| x.sqrt()).sum::<f64>() - 1.2,
        });
        let Found::Best(_, v) = found else { panic!("{found:?}") };
        assert!(v.slack >= 0.0 && (v.cost - 0.48).abs() < 0.48 * 0.01, "{v:?}");
    }

    #[test]
    fn a_feasible_origin_costs_nothing_and_an_infeasible_corner_is_said() {
        let (found, n) = run(2, |u| Value {
            cost: u[0] + u[1],
            slack: 1.0,
        });
        assert_eq!(found, Found::Best(vec![0.0, 0.0], Value { cost: 0.0, slack: 1.0 }));
        assert_eq!(n, 1);
        let (found, n) = run(2, |u| Value {
            cost: u[0],
            slack: u[0] + u[1] - 3.0,
        });
        assert_eq!((found, n), (Found::Infeasible, 2));
    }

    #[test]
    fn the_budget_of_evaluations_holds() {
        let mut n = 0;
        let settings = Settings {
            max_evaluations: 30,
            ..Settings::default()
        };
        let mut eval = |u: &[f64]| -> Result<Value, Infallible> {
            n += 1;
            Ok(Value {
                cost: u.iter().sum(),
                slack: u.iter().map(|x| x.sqrt()).sum::<f64>() - 1.2,
            })
        };
        let found = search(3, &settings, &mut eval).unwrap();
        assert!(matches!(found, Found::Best(..)));
        assert!(n <= 31, "{n} evaluations");
    }
}
