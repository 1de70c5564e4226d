//! Global sensitivity of one outcome to the `[uncertainty]` parameters of a
//! scenario: Sobol' first-order and total indices (`sobol`) and Morris
//! elementary effects (`morris`).
//!
//! Both designs live on the unit cube; a coordinate u of parameter i becomes
//! the parameter's value through the quantile function of its distribution,
//! so each index is about the parameter's stated uncertainty. Stochastic
//! shocks are left out (they are not parameters; they would add noise to
//! every index); the scenario's own shocks apply.
//!
//! The model runs are numbered: the Sobol' design first, then the Morris
//! trajectories. A run depends on (seed, its number) only, so shards of the
//! runs can go to different machines.

pub mod morris;
pub mod sobol;

use crate::Scenario;
use crate::error::{Error, InputProblem, Result};
use crate::experiment::{Design, Point};
use crate::model::{Model, Trajectory};
use crate::outcome::Outcome;
use crate::scenario::uncertainty::Dist;
use serde::{Deserialize, Serialize};

pub(crate) use crate::rng::stream;

/// What to analyse and how hard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub outcome: String,
    /// Rows N of the Sobol' matrices (N (k + 2) runs); 0 skips Sobol'.
    pub samples: usize,
    /// Morris trajectories (r (k + 1) runs); 0 skips Morris.
    pub trajectories: usize,
    pub levels: usize,
    pub bootstrap: usize,
    pub seed: u64,
}

/// The design of a scenario's analysis.
pub struct Plan {
    pub parameters: Vec<(String, Dist)>,
    pub outcome: Outcome,
    pub sobol: Option<sobol::Design>,
    pub morris: Option<morris::Design>,
    pub spec: Spec,
}

/// One parameter's indices; NaN for a method not run.
#[derive(Debug, Clone)]
pub struct Row {
    pub parameter: String,
    /// Pearson correlation of the parameter with the outcome over every
    /// run of the analysis: its sign says which way the parameter pushes.
    pub correlation: f64,
    pub first: sobol::Estimate,
    pub total: sobol::Estimate,
    pub morris: morris::Effects,
}

impl Plan {
    pub fn new(s: &Scenario, spec: Spec) -> Result<Plan> {
        let bad = |key: &str, m: String| Error::input(InputProblem::new("command line", key, m));
        let outcome = Outcome::parse(&spec.outcome).map_err(|m| bad("--indicator", m))?;
        let (central, _) = s.project()?;
        outcome
            .locate(&s.model.params, &central)
            .map_err(|m| bad("--indicator/--year", m))?;
        let parameters = s.uncertainty().map(|u| u.parameters.clone()).unwrap_or_default();
        if parameters.is_empty() {
            return Err(Error::input(InputProblem::new(
                s.inputs.first().map_or("scenario", |f| f.0.as_str()),
                "uncertainty.parameters",
                "is missing or empty: sensitivity analysis needs parameters with distributions",
            )));
        }
        if spec.samples == 0 && spec.trajectories == 0 {
            return Err(bad("--samples", "= 0 with --trajectories 0: nothing to run".into()));
        }
        if spec.trajectories > 0 && (spec.levels < 2 || !spec.levels.is_multiple_of(2)) {
            return Err(bad(
                "--levels",
                format!("= {}: expected an even number >= 2", spec.levels),
            ));
        }
        let k = parameters.len();
        let sobol = spec.samples.checked_mul(k + 2);
        let morris = spec.trajectories.checked_mul(k + 1);
        let runs = sobol.zip(morris).and_then(|(a, b)| a.checked_add(b));
        crate::experiment::check_points(
            "--samples/--trajectories",
            &format!("N (k + 2) + r (k + 1) with k = {k}"),
            runs,
        )?;
        if spec.bootstrap > 100_000 {
            return Err(bad(
                "--bootstrap",
                format!("= {}: expected at most 100000 resamples", spec.bootstrap),
            ));
        }
        Ok(Plan {
            outcome,
            sobol: (spec.samples > 0).then_some(sobol::Design { n: spec.samples, k }),
            morris: (spec.trajectories > 0).then_some(morris::Design {
                trajectories: spec.trajectories,
                k,
                levels: spec.levels,
            }),
            parameters,
            spec,
        })
    }

    fn sobol_points(&self) -> usize {
        self.sobol.map_or(0, |d| d.points())
    }

    /// Model runs of the whole analysis.
    pub fn points(&self) -> usize {
        self.sobol_points() + self.morris.map_or(0, |d| d.points())
    }

    /// The unit-cube coordinates of run `p`.
    pub fn unit_point(&self, p: usize) -> Vec<f64> {
        let ns = self.sobol_points();
        match (self.sobol, self.morris) {
            (Some(d), _) if p < ns => d.point(self.spec.seed, p),
            (_, Some(m)) => m.point(self.spec.seed, p - ns),
            _ => unreachable!("a plan has a design"),
        }
    }

    /// The plan as a design for `experiment::run`: one outcome per run.
    pub fn design(&self) -> impl Design + '_ {
        Runs(self)
    }

    /// The indices from the outcome of every run, in run order.
    pub fn analyse(&self, f: &[f64]) -> Vec<Row> {
        let ns = self.sobol_points();
        let nan = sobol::Estimate {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
        let k = self.parameters.len();
        let sobol = self
            .sobol
            .map(|d| d.indices(&f[..ns], self.spec.bootstrap, self.spec.seed));
        let morris = self.morris.map(|d| d.effects(self.spec.seed, &f[ns..]));
        let units: Vec<Vec<f64>> = (0..f.len()).map(|p| self.unit_point(p)).collect();
        (0..k)
            .map(|i| Row {
                parameter: self.parameters[i].0.clone(),
                correlation: correlation(units.iter().map(|u| u[i]).zip(f.iter().copied())),
                first: sobol.as_ref().map_or(nan, |x| x.first[i]),
                total: sobol.as_ref().map_or(nan, |x| x.total[i]),
                morris: morris.as_ref().map_or(
                    morris::Effects {
                        mu: f64::NAN,
                        mu_star: f64::NAN,
                        sigma: f64::NAN,
                    },
                    |m| m[i],
                ),
            })
            .collect()
    }
}

/// Pearson's correlation of pairs, NaN when either side does not vary.
fn correlation(pairs: impl Iterator<Item = (f64, f64)> + Clone) -> f64 {
    let n = pairs.clone().count() as f64;
    let (mx, my) = pairs.clone().fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (sxy, sxx, syy) = pairs.fold((0.0, 0.0, 0.0), |(c, d, e), (x, y)| {
        (
            c + (x - mx) * (y - my),
            d + (x - mx) * (x - mx),
            e + (y - my) * (y - my),
        )
    });
    let r = sxy / (sxx * syy).sqrt();
    if r.is_finite() { r } else { f64::NAN }
}

/// `sensitivity.csv`: one row per parameter, in the scenario's order (sorted
/// by key); empty cells for a method not run or an index that is undefined
/// (an outcome that does not vary).
pub fn to_csv(plan: &Plan, rows: &[Row]) -> String {
    let mut out = String::from(
        "indicator,dimension,year,parameter,first_order,first_order_low,first_order_high,\
total_order,total_order_low,total_order_high,morris_mu_star,morris_mu,morris_sigma,correlation\n",
    );
    let num = |v: f64| if v.is_finite() { format!("{v}") } else { String::new() };
    for r in rows {
        let cells = [
            r.first.value,
            r.first.low,
            r.first.high,
            r.total.value,
            r.total.low,
            r.total.high,
            r.morris.mu_star,
            r.morris.mu,
            r.morris.sigma,
            r.correlation,
        ]
        .map(num);
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            plan.outcome.indicator.name(),
            crate::output::csv_field(&plan.outcome.dimension),
            plan.outcome.year,
            crate::output::csv_field(&r.parameter),
            cells.join(",")
        ));
    }
    out
}

/// A sensitivity analysis as a design: run `p` sets each parameter to the
/// quantile of its distribution at the run's unit-cube coordinate and
/// records the one outcome.
struct Runs<'a>(&'a Plan);

impl Design for Runs<'_> {
    fn unit(&self) -> (&'static str, &'static str) {
        ("run", "runs")
    }
    fn point(&self, p: usize) -> Point {
        let plan = self.0;
        Point {
            uncertain: plan
                .parameters
                .iter()
                .zip(plan.unit_point(p))
                .map(|((key, d), u)| (key.clone(), d.quantile(u)))
                .collect(),
            ..Point::default()
        }
    }
    fn width(&self) -> usize {
        1
    }
    fn record(&self, p: usize, model: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        let row = self
            .0
            .outcome
            .locate(&model.params, run)
            .map_err(|e| Error::Runtime(format!("{}: {e}", self.name(p))))?;
        record[0] = run.rows[row].value;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ishigami and Homma's function with a = 7, b = 0.1 on [-π, π]^3, whose
    /// indices are known in closed form.
    fn ishigami(u: &[f64]) -> f64 {
        use std::f64::consts::PI;
        let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// The analytic indices (Ishigami and Homma 1990; Saltelli et al. 2008,
    /// Global Sensitivity Analysis: The Primer, section 4.3).
    fn analytic() -> ([f64; 3], [f64; 3]) {
        use std::f64::consts::PI;
        let (a, b) = (7.0, 0.1);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    #[test]
    fn sobol_indices_of_the_ishigami_function_match_the_analytic_values() {
        let d = sobol::Design { n: 50_000, k: 3 };
        let f: Vec<f64> = (0..d.points()).map(|p| ishigami(&d.point(11, p))).collect();
        let got = d.indices(&f, 50, 11);
        let (s1, st) = analytic();
        for i in 0..3 {
            assert!(
                (got.first[i].value - s1[i]).abs() < 0.02,
                "S{}: {:?} vs {}",
                i + 1,
                got.first[i],
                s1[i]
            );
            assert!(
                (got.total[i].value - st[i]).abs() < 0.02,
                "ST{}: {:?} vs {}",
                i + 1,
                got.total[i],
                st[i]
            );
            // The bootstrap interval brackets the estimate and is narrow.
            assert!(got.first[i].low <= got.first[i].value && got.first[i].value <= got.first[i].high);
            assert!(got.total[i].high - got.total[i].low < 0.05);
        }
    }

    #[test]
    fn sobol_designs_swap_exactly_one_column_and_do_not_depend_on_the_slice() {
        let d = sobol::Design { n: 4, k: 3 };
        for j in 0..4 {
            let a = d.point(5, j * 5);
            let b = d.point(5, j * 5 + 1);
            for i in 0..3 {
                let ab = d.point(5, j * 5 + 2 + i);
                for c in 0..3 {
                    assert_eq!(ab[c], if c == i { b[c] } else { a[c] });
                }
            }
        }
        assert_ne!(d.point(5, 0), d.point(6, 0));
    }

    #[test]
    fn morris_screens_the_ishigami_inputs_in_the_order_of_their_expected_effects() {
        // With 4 levels and Δ = 2/3, every effect of x2 is ±7·0.75/(2/3) =
        // ±7.875; x1's average 7.70 and x3's 6.25 (exact expectations over the
        // grid). The screen puts x2 ≥ x1 > x3, the order of the first-order
        // indices (0.44, 0.31, 0): x3 acts only through its interaction with
        // x1, which its large σ against μ shows.
        let d = morris::Design {
            trajectories: 4000,
            k: 3,
            levels: 4,
        };
        let f: Vec<f64> = (0..d.points()).map(|p| ishigami(&d.point(3, p))).collect();
        let e = d.effects(3, &f);
        assert!((e[1].mu_star - 7.875).abs() < 1e-9, "{:?}", e[1]);
        assert!((e[0].mu_star - 7.70).abs() < 0.3, "{:?}", e[0]);
        assert!((e[2].mu_star - 6.25).abs() < 0.3, "{:?}", e[2]);
        let mut rank = [0, 1, 2];
        rank.sort_by(|a, b| e[*b].mu_star.total_cmp(&e[*a].mu_star));
        assert_eq!(rank, [1, 0, 2]);
        assert!(e[2].mu.abs() < 0.5 && e[2].sigma > e[2].mu_star);
    }

    #[test]
    fn morris_trajectories_move_one_input_at_a_time_by_delta() {
        let d = morris::Design {
            trajectories: 5,
            k: 4,
            levels: 4,
        };
        for t in 0..5 {
            for step in 0..4 {
                let a = d.point(9, t * 5 + step);
                let b = d.point(9, t * 5 + step + 1);
                let moved: Vec<f64> = a
                    .iter()
                    .zip(&b)
                    .map(|(x, y)| (y - x).abs())
                    .filter(|v| *v > 0.0)
                    .collect();
                assert_eq!(moved.len(), 1);
                assert!((moved[0] - 2.0 / 3.0).abs() < 1e-12);
            }
        }
    }
}
