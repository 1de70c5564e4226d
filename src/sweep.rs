//! Sweeps: the scenario run at many settings of some of its numbers (a full
//! grid, or a Latin hypercube over ranges), to find which settings meet its
//! targets.

use crate::Scenario;
use crate::error::{Error, Result};
use crate::experiment::{self, Point, References};
use crate::model::{Model, Trajectory};
use crate::outcome::Outcome;
use serde::{Deserialize, Serialize};

/// `--set KEY=FROM:TO[:STEPS]`: one swept number of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub key: String,
    pub from: f64,
    pub to: f64,
    /// Grid points from `from` to `to` inclusive; a Latin hypercube ignores it.
    pub steps: Option<usize>,
}

impl Axis {
    pub fn parse(s: &str) -> std::result::Result<Axis, String> {
        const FORM: &str = "expected KEY=FROM:TO:STEPS (or KEY=FROM:TO with --design lhs), e.g. policies.domestic_jobs.jobs_per_year=0:100000:11";
        let (key, range) = s.split_once('=').ok_or_else(|| format!("= {s}: {FORM}"))?;
        let parts: Vec<&str> = range.split(':').collect();
        let num = |t: &str| crate::experiment::range_bound(s, t, FORM);
        let (from, to, steps) = match parts[..] {
            [a, b] => (num(a)?, num(b)?, None),
            [a, b, n] => {
                let n: usize = n
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("= {s}: STEPS `{n}` is not a whole number >= 1; {FORM}"))?;
                (num(a)?, num(b)?, Some(n))
            }
            _ => return Err(format!("= {s}: {FORM}")),
        };
        if key.trim().is_empty() {
            return Err(format!("= {s}: {FORM}"));
        }
        Ok(Axis {
            key: key.trim().to_string(),
            from,
            to,
            steps,
        })
    }

    fn at(&self, share: f64) -> f64 {
        self.from + share * (self.to - self.from)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "design", rename_all = "lowercase")]
pub enum Design {
    /// Every combination of every axis's steps; the last axis varies fastest.
    Grid,
    /// `samples` points, one in each of `samples` equal slices of every axis
    /// (McKay, Beckman and Conover 1979), placed at random within its slice.
    Lhs { samples: usize, seed: u64 },
}

/// Everything a sweep needs to be run again or finished from shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub axes: Vec<Axis>,
    #[serde(flatten)]
    pub design: Design,
    /// `indicator@year` labels (see `Outcome`).
    pub outcomes: Vec<String>,
}

/// A checked sweep over one scenario.
pub struct Plan {
    pub spec: Spec,
    pub outcomes: Vec<Outcome>,
    /// Inputs of every design point, in design order.
    pub points: Vec<Vec<f64>>,
    pub target_names: Vec<String>,
}

/// What a design point gave: the outcomes, then per target its measured
/// value and 1 if met else 0.
pub fn record_width(plan: &Plan) -> usize {
    plan.outcomes.len() + 2 * plan.target_names.len()
}

impl Plan {
    /// Checks the spec against the scenario (every key exists and accepts
    /// both ends of its range, every outcome is in the run) and lays out the
    /// design points.
    pub fn new(s: &Scenario, spec: Spec) -> Result<Plan> {
        if spec.axes.is_empty() {
            return Err(crate::input::command_line(
                "--set",
                "is missing: give at least one KEY=FROM:TO:STEPS",
            ));
        }
        for a in &spec.axes {
            experiment::check_range(s, "--set", &a.key, a.from, a.to)?;
            if spec.design == Design::Grid && a.steps.is_none() {
                return Err(crate::input::command_line(
                    "--set",
                    format!("{}: a grid needs STEPS (KEY=FROM:TO:STEPS)", a.key),
                ));
            }
        }
        let mut keys: Vec<&str> = spec.axes.iter().map(|a| a.key.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return Err(crate::input::command_line("--set", format!("{} is swept twice", w[0])));
        }
        let (central, targets) = s.project()?;
        let outcomes = spec
            .outcomes
            .iter()
            .map(|o| {
                let parsed = Outcome::parse(o).map_err(|m| crate::input::command_line("--outcome", m))?;
                parsed
                    .locate(&s.model.params, &central)
                    .map_err(|m| crate::input::command_line("--outcome", m))?;
                Ok(parsed)
            })
            .collect::<Result<Vec<_>>>()?;
        let points = match &spec.design {
            Design::Grid => {
                let n = spec
                    .axes
                    .iter()
                    .try_fold(1usize, |acc, a| acc.checked_mul(a.steps.unwrap_or(1)));
                crate::experiment::check_points("--set", "the grid (the product of its STEPS)", n)?;
                grid(&spec.axes)
            }
            Design::Lhs { samples, seed } => {
                if *samples == 0 {
                    return Err(crate::input::command_line(
                        "--samples",
                        "= 0: expected at least 1 design point",
                    ));
                }
                crate::experiment::check_points("--samples", "the Latin hypercube", Some(*samples))?;
                latin_hypercube(&spec.axes, *samples, *seed)
            }
        };
        Ok(Plan {
            spec,
            outcomes,
            points,
            target_names: targets.iter().map(|t| t.name.clone()).collect(),
        })
    }

    /// The plan as a design for `experiment::run`.
    pub fn design(&self, s: &Scenario) -> Result<impl experiment::Design + '_> {
        Ok(Points {
            plan: self,
            references: References::of(s)?,
        })
    }

    /// `sweep.csv`: one row per design point — its number (from 1), the swept
    /// values, the outcomes, then per target the measured value and
    /// whether it is met.
    pub fn to_csv(&self, records: &[f64]) -> String {
        // Names R and pandas keep as they are: a swept key's dots stay (R
        // allows them), everything else becomes `_`.
        let mut named: Vec<String> = vec!["point".into()];
        named.extend(self.outcomes.iter().map(|o| o.label()));
        for t in &self.target_names {
            named.push(format!("measured {t}"));
            named.push(format!("met {t}"));
        }
        let mut header = crate::output::column_names(&named);
        for (i, a) in self.spec.axes.iter().enumerate() {
            let key: String = a
                .key
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' })
                .collect();
            header.insert(1 + i, key);
        }
        let mut out = header.join(",") + "\n";
        let n_out = self.outcomes.len();
        for (i, (inputs, rec)) in self
            .points
            .iter()
            .zip(records.chunks(record_width(self).max(1)))
            .enumerate()
        {
            let mut cells = vec![(i + 1).to_string()];
            cells.extend(inputs.iter().map(|v| v.to_string()));
            cells.extend(rec[..n_out].iter().map(|v| v.to_string()));
            for t in 0..self.target_names.len() {
                cells.push(rec[n_out + 2 * t].to_string());
                cells.push((rec[n_out + 2 * t + 1] == 1.0).to_string());
            }
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// Per target: how many design points meet it, and the meeting point
    /// with the smallest value of the first swept key (the lowest lever
    /// setting that does it), if any.
    pub fn meeting(&self, records: &[f64]) -> Vec<(String, usize, Option<usize>)> {
        let w = record_width(self).max(1);
        let n_out = self.outcomes.len();
        self.target_names
            .iter()
            .enumerate()
            .map(|(t, name)| {
                let met: Vec<usize> = records
                    .chunks(w)
                    .enumerate()
                    .filter(|(_, r)| r[n_out + 2 * t + 1] == 1.0)
                    .map(|(i, _)| i)
                    .collect();
                let smallest = met
                    .iter()
                    .copied()
                    .min_by(|a, b| self.points[*a][0].total_cmp(&self.points[*b][0]).then(a.cmp(b)));
                (name.clone(), met.len(), smallest)
            })
            .collect()
    }
}

/// A sweep as a design: point `i` sets the swept keys to its values and
/// records the outcomes, then the targets.
struct Points<'a> {
    plan: &'a Plan,
    references: References,
}

impl experiment::Design for Points<'_> {
    fn unit(&self) -> (&'static str, &'static str) {
        ("design point", "design points")
    }
    fn name(&self, i: usize) -> String {
        format!("design point {}", i + 1)
    }
    fn point(&self, i: usize) -> Point {
        let axes = &self.plan.spec.axes;
        Point {
            levers: axes
                .iter()
                .zip(&self.plan.points[i])
                .map(|(a, v)| (a.key.clone(), *v))
                .collect(),
            ..Point::default()
        }
    }
    fn width(&self) -> usize {
        record_width(self.plan)
    }
    fn record(&self, i: usize, model: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        let (outcomes, targets) = record.split_at_mut(self.plan.outcomes.len());
        for (slot, o) in outcomes.iter_mut().zip(&self.plan.outcomes) {
            let row = o
                .locate(&model.params, run)
                .map_err(|e| Error::Runtime(format!("{}: {e}", self.name(i))))?;
            *slot = run.rows[row].value;
        }
        self.references.record_targets(model, run, targets)?;
        Ok(())
    }
}

fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for a in axes {
        let n = a.steps.unwrap_or(1);
        let values: Vec<f64> = (0..n)
            .map(|i| {
                if n == 1 {
                    a.from
                } else {
                    a.at(i as f64 / (n - 1) as f64)
                }
            })
            .collect();
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(*v);
                    q
                })
            })
            .collect();
    }
    points
}

fn latin_hypercube(axes: &[Axis], samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut r = crate::rng::stream(seed, 1 << 48);
    crate::rng::latin_hypercube(axes.len(), samples, &mut r)
        .into_iter()
        .map(|shares| axes.iter().zip(shares).map(|(a, u)| a.at(u)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_refuses_malformed_ones() {
        let a = Axis::parse("policies.domestic_jobs.jobs_per_year=0:100000:11").unwrap();
        assert_eq!((a.from, a.to, a.steps), (0.0, 100000.0, Some(11)));
        assert_eq!(Axis::parse("x.y=1:2").unwrap().steps, None);
        for bad in [
            "x.y",
            "x.y=1",
            "x.y=a:2:3",
            "x.y=1:2:0",
            "=1:2:3",
            "x.y=1:2:3:4",
            "x=1:inf:2",
        ] {
            assert!(Axis::parse(bad).unwrap_err().contains("KEY=FROM:TO"), "{bad}");
        }
    }

    #[test]
    fn grids_take_every_combination_with_both_ends() {
        let axes = [Axis::parse("a=0:1:3").unwrap(), Axis::parse("b=10:20:2").unwrap()];
        let g = grid(&axes);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![0.0, 10.0]);
        assert_eq!(g[1], vec![0.0, 20.0]);
        assert_eq!(g[5], vec![1.0, 20.0]);
    }

    #[test]
    fn latin_hypercubes_put_one_point_in_every_slice_of_every_axis() {
        let axes = [Axis::parse("a=0:10").unwrap(), Axis::parse("b=-1:1").unwrap()];
        let pts = latin_hypercube(&axes, 20, 4);
        for (d, a) in axes.iter().enumerate() {
            let mut slices: Vec<usize> = pts
                .iter()
                .map(|p| (((p[d] - a.from) / (a.to - a.from)) * 20.0).floor() as usize)
                .collect();
            slices.sort_unstable();
            assert_eq!(slices, (0..20).collect::<Vec<_>>());
        }
        assert_eq!(pts, latin_hypercube(&axes, 20, 4));
        assert_ne!(pts, latin_hypercube(&axes, 20, 5));
    }
}
