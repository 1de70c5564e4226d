//! Scenario discovery: under which combinations of the uncertain inputs
//! does a target fail? `prim` finds the boxes; this module chooses one of
//! a trajectory by a stated rule and says which limits matter.

pub mod cart;
pub mod experiments;
pub mod prim;

pub use prim::{Settings, Step, trajectory};

/// How the box is chosen from a trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// The largest box (first step) whose density is within `tolerance` of
    /// the highest density among the steps covering at least
    /// `min_coverage` of the cases of interest: past it, peeling trades
    /// coverage for noise.
    Knee { min_coverage: f64, tolerance: f64 },
    /// The step of that number.
    Step(usize),
}

impl Default for Rule {
    fn default() -> Rule {
        Rule::Knee {
            min_coverage: 0.5,
            tolerance: 0.02,
        }
    }
}

/// The step `rule` picks, or why none.
pub fn choose(steps: &[Step], rule: Rule) -> Result<usize, String> {
    match rule {
        Rule::Step(i) if i < steps.len() => Ok(i),
        Rule::Step(i) => Err(format!(
            "step {i} does not exist: the trajectory has steps 0 to {}",
            steps.len() - 1
        )),
        Rule::Knee {
            min_coverage,
            tolerance,
        } => {
            let eligible = steps.iter().enumerate().filter(|(_, s)| s.coverage >= min_coverage);
            let best = eligible
                .clone()
                .map(|(_, s)| s.density)
                .fold(f64::NEG_INFINITY, f64::max);
            eligible
                .filter(|(_, s)| s.density >= best - tolerance)
                .map(|(i, _)| i)
                .next()
                .ok_or_else(|| format!("no step covers {min_coverage} of the cases of interest"))
        }
    }
}

/// The limits of a chosen box worth stating: those whose quasi-p-value is
/// at most `significance` (a limit that does not separate failures better
/// than chance is left out), as (input, lower, upper), `None` for a side
/// left open.
pub fn significant(step: &Step, significance: f64) -> Vec<(usize, Option<f64>, Option<f64>)> {
    step.restricted
        .iter()
        .zip(&step.quasi_p)
        .filter_map(|(&j, &(lo_p, hi_p))| {
            let keep = |p: Option<f64>| p.is_some_and(|p| p <= significance);
            let (lo, hi) = step.limits[j];
            let (lo, hi) = (keep(lo_p).then_some(lo), keep(hi_p).then_some(hi));
            (lo.is_some() || hi.is_some()).then_some((j, lo, hi))
        })
        .collect()
}

/// `discovery.csv`: the trajectory, one row per step: coverage, density,
/// mass, points and cases inside, restricted inputs, then per input its
/// lower and upper limit and their quasi-p-values (empty where the box
/// leaves that side open).
pub fn to_csv(inputs: &[String], steps: &[Step], chosen: usize) -> String {
    let mut cols: Vec<String> = ["step", "chosen", "coverage", "density", "mass", "n", "k", "restricted"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    for name in inputs {
        for what in ["lower", "upper", "qp_lower", "qp_upper"] {
            cols.push(format!("{name}_{what}"));
        }
    }
    let mut out = cols.join(",") + "\n";
    for (i, s) in steps.iter().enumerate() {
        let mut cells = vec![
            i.to_string(),
            (i == chosen).to_string(),
            s.coverage.to_string(),
            s.density.to_string(),
            s.mass.to_string(),
            s.n.to_string(),
            s.k.to_string(),
            s.restricted.len().to_string(),
        ];
        for j in 0..inputs.len() {
            match s.restricted.iter().position(|&r| r == j) {
                None => cells.extend(std::iter::repeat_n(String::new(), 4)),
                Some(r) => {
                    let (lo_p, hi_p) = s.quasi_p[r];
                    let (lo, hi) = s.limits[j];
                    let show = |p: Option<f64>, v: f64| p.map(|_| v.to_string()).unwrap_or_default();
                    cells.push(show(lo_p, lo));
                    cells.push(show(hi_p, hi));
                    cells.push(lo_p.map(|p| p.to_string()).unwrap_or_default());
                    cells.push(hi_p.map(|p| p.to_string()).unwrap_or_default());
                }
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// Failures exactly where x1 > 0.6 and x2 < 0.3, with x3…x6 irrelevant,
    /// over 2,000 uniform points with 5% of the labels flipped.
    #[test]
    fn prim_recovers_a_known_box_and_leaves_irrelevant_inputs_open() {
        let mut rng = crate::rng::stream(2026, 0);
        let x: Vec<Vec<f64>> = (0..2000)
            .map(|_| (0..6).map(|_| rng.random::<f64>()).collect())
            .collect();
        let y: Vec<bool> = x
            .iter()
            .map(|p| {
                let fails = p[0] > 0.6 && p[1] < 0.3;
                if rng.random::<f64>() < 0.05 { !fails } else { fails }
            })
            .collect();
        let steps = trajectory(&x, &y, &Settings::default()).unwrap();
        let chosen = &steps[choose(&steps, Rule::default()).unwrap()];
        let limits = significant(chosen, 0.05);
        let x1 = limits.iter().find(|l| l.0 == 0).expect("x1 restricted");
        let x2 = limits.iter().find(|l| l.0 == 1).expect("x2 restricted");
        assert!((x1.1.unwrap() - 0.6).abs() <= 0.05 && x1.2.is_none(), "{x1:?}");
        assert!((x2.2.unwrap() - 0.3).abs() <= 0.05 && x2.1.is_none(), "{x2:?}");
        assert_eq!(limits.len(), 2, "x3…x6 left open: {limits:?} (step {chosen:?})");
        assert!(chosen.density > 0.9 && chosen.coverage >= 0.5, "{chosen:?}");
    }
}
