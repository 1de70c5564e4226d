//! Monte Carlo ensembles (MODEL.md section 7): many projections of one
//! scenario, each with its inputs drawn from `[uncertainty]` and its random
//! shocks, summarised year by year as the mean and the quantiles p5, p25, p50,
//! p75 and p95, with the probability of meeting each target.
//!
//! - Draw `i` takes its inputs from streams of a ChaCha8 generator derived
//!   from `(seed, i)` only (`scenario::uncertainty::draw`): results do not
//!   depend on the number of threads, and two scenarios run with the same
//!   seed see the same shocks (common random numbers).
//! - Draws run in parallel (rayon) and are collected in draw order.
//! - Quantiles are the linear-interpolation definition (Hyndman and Fan type
//!   7, numpy's default) over the draws.
//! - Memory: the record of every draw (one number per row of `series.csv`,
//!   two per target) is kept until the quantiles are taken, written in place
//!   by its draw: 8 bytes × draws × (rows + 2 × targets), about 22 KB a draw
//!   for the Kyrgyz baseline, 219 MB at 10,000 draws; no state of any draw
//!   outlives the draw.
//! - Records are also what a shard stores (`crate::shard`): `summarise`
//!   turns the records of all draws, from one machine or merged, into the
//!   same ensemble.

use crate::Scenario;
use crate::error::{Error, Result};
use crate::experiment::{self, Design, Point, References};
use crate::model::{Model, Trajectory};
use crate::scenario::uncertainty::{self, Uncertainty};
use crate::targets::TargetResult;
use rayon::prelude::*;

pub const STATISTICS: [&str; 6] = ["mean", "p5", "p25", "p50", "p75", "p95"];
const PROBS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

#[derive(Debug, Clone)]
pub struct Options {
    pub draws: usize,
    pub seed: u64,
    pub threads: usize,
    pub progress: bool,
    /// Whether every draw records the rows by age group and sex.
    pub ages: bool,
}

/// The central run of an ensemble: the scenario as written, with the rows
/// by age and sex only if the draws record them too.
pub fn central(s: &Scenario, ages: bool) -> Result<(Trajectory, Vec<TargetResult>)> {
    s.project_with(crate::model::Detail { pyramids: true, ages })
}

pub struct Ensemble {
    /// The scenario as written, without draws.
    pub central: Trajectory,
    pub central_targets: Vec<TargetResult>,
    /// Per row of `central.rows`: mean, p5, p25, p50, p75, p95.
    pub summary: Vec<[f64; 6]>,
    /// Share of draws meeting each target.
    pub target_probability: Vec<f64>,
    /// Every draw's record (`record_width` numbers: its rows, then per
    /// target the measured value and whether met), one after another; kept
    /// for paired comparisons and `--keep-draws`.
    records: Vec<f64>,
    width: usize,
    pub options: Options,
}

impl Ensemble {
    pub fn n_draws(&self) -> usize {
        self.records.len() / self.width.max(1)
    }

    /// Draw `i`'s value of every row of `central`.
    pub fn draw(&self, i: usize) -> &[f64] {
        &self.records[i * self.width..][..self.central.rows.len()]
    }

    /// Draw `i`'s targets: per target its measured value, then 1 if met
    /// else 0.
    pub fn draw_targets(&self, i: usize) -> &[f64] {
        &self.records[i * self.width..(i + 1) * self.width][self.central.rows.len()..]
    }
}

/// Where the type-7 quantile `p` of `n` sorted values lies: the two order
/// statistics it interpolates between and the weight of the upper one.
fn type_7(n: usize, p: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    (lo, (lo + 1).min(n - 1), h - lo as f64)
}

/// Quantile of sorted data, linear interpolation between order statistics
/// (type 7).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let (lo, hi, w) = type_7(sorted.len(), p);
    sorted[lo] + w * (sorted[hi] - sorted[lo])
}

/// `quantile` of `data` sorted, at each of `probs` (ascending), without
/// sorting: each order statistic needed is selected from what lies above
/// the previous one, which takes linear time where a sort of the draws
/// took most of an ensemble's summary. Under `total_cmp` two values equal
/// in order are equal in every bit, so the statistic selected is the very
/// number the sort put at that rank. `data` is left reordered.
pub fn quantiles<const N: usize>(data: &mut [f64], probs: [f64; N]) -> [f64; N] {
    let n = data.len();
    if n == 0 {
        return [f64::NAN; N];
    }
    // `data[..next]` holds the `next` smallest values; `data[next..]` the rest.
    let mut next = 0;
    let mut at = |rank: usize| {
        if rank >= next {
            data[next..].select_nth_unstable_by(rank - next, f64::total_cmp);
            next = rank + 1;
        }
        data[rank]
    };
    probs.map(|p| {
        let (lo, hi, w) = type_7(n, p);
        let (a, b) = (at(lo), at(hi));
        a + w * (b - a)
    })
}

/// The uncertainty a run uses: the scenario's, or none (every draw equal to
/// the central run) when it states none.
pub fn uncertainty_of(s: &Scenario, seed: u64) -> Uncertainty {
    let mut u = s.uncertainty().cloned().unwrap_or_default();
    u.seed = seed;
    u
}

/// Numbers a draw's record holds: one per row of the central run, then two
/// per target (its measured value, and 1 if met else 0).
pub fn record_width(central: &Trajectory, targets: &[TargetResult]) -> usize {
    central.rows.len() + 2 * targets.len()
}

/// An ensemble as a design: draw `i` takes its inputs from `(seed, i)` and
/// records every row of the run, then its targets.
struct Draws {
    uncertainty: Uncertainty,
    years: std::ops::Range<i32>,
    rows: usize,
    width: usize,
    references: References,
    ages: bool,
}

impl Design for Draws {
    fn detail(&self) -> crate::model::Detail {
        crate::model::Detail {
            pyramids: false,
            ages: self.ages,
        }
    }
    fn unit(&self) -> (&'static str, &'static str) {
        ("draw", "draws")
    }
    fn point(&self, i: usize) -> Point {
        let (uncertain, strikes) = uncertainty::draw(&self.uncertainty, i as u64, self.years.clone());
        Point {
            levers: Vec::new(),
            uncertain,
            strikes,
        }
    }
    fn width(&self) -> usize {
        self.width
    }
    fn record(&self, i: usize, model: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()> {
        if run.rows.len() != self.rows {
            return Err(Error::Runtime(format!(
                "draw {i} produced a different set of series from the central run"
            )));
        }
        let (rows, targets) = record.split_at_mut(self.rows);
        for (slot, r) in rows.iter_mut().zip(&run.rows) {
            *slot = r.value;
        }
        self.references.record_targets(model, run, targets)?;
        Ok(())
    }
}

/// Runs the draws `range` of an ensemble and returns their records one
/// after another (`record_width` numbers each), whatever the threads or
/// the split of the draws. `width` is `record_width` of the central run.
pub fn draw_records(s: &Scenario, opts: &Options, range: std::ops::Range<usize>, width: usize) -> Result<Vec<f64>> {
    let p = &s.model.params;
    let design = Draws {
        uncertainty: uncertainty_of(s, opts.seed),
        years: p.start_year..p.end_year,
        rows: width - 2 * p.targets.len(),
        width,
        references: References::of(s)?,
        ages: opts.ages,
    };
    experiment::run(s, &design, range, opts.threads, opts.progress)
}

/// Runs every draw of an ensemble and summarises them.
pub fn run(s: &Scenario, opts: &Options) -> Result<Ensemble> {
    let (central, central_targets) = central(s, opts.ages)?;
    let width = record_width(&central, &central_targets);
    let records = draw_records(s, opts, 0..opts.draws, width)?;
    summarise_runs(central, central_targets, opts, records)
}

/// The ensemble of a scenario from the records of all its draws, in draw
/// order: what one machine computes, and what `merge` computes from shards.
pub fn summarise(s: &Scenario, opts: &Options, records: Vec<f64>) -> Result<Ensemble> {
    let (central, central_targets) = central(s, opts.ages)?;
    summarise_runs(central, central_targets, opts, records)
}

fn summarise_runs(
    central: Trajectory,
    central_targets: Vec<TargetResult>,
    opts: &Options,
    records: Vec<f64>,
) -> Result<Ensemble> {
    let width = record_width(&central, &central_targets);
    if records.is_empty() || !records.len().is_multiple_of(width) {
        return Err(Error::Runtime(format!(
            "{} numbers cannot be split into draws of {width}",
            records.len()
        )));
    }
    let outcomes: Vec<&[f64]> = records.chunks(width).collect();
    let n_rows = central.rows.len();
    // Each row is summarised on its own, so the rows can be shared out
    // between threads without changing a digit.
    let summarise_row = |column: &mut Vec<f64>, k: usize| {
        for (c, o) in column.iter_mut().zip(&outcomes) {
            *c = o[k];
        }
        // Shifted by the first draw, so that equal draws give exactly their
        // value (no rounding drift from summing large numbers).
        let shift = column[0];
        let mean = shift + column.iter().map(|v| v - shift).sum::<f64>() / column.len() as f64;
        let [p5, p25, p50, p75, p95] = quantiles(column, PROBS);
        [mean, p5, p25, p50, p75, p95]
    };
    let summary: Vec<[f64; 6]> = crate::parallel::pool(opts.threads)?.install(|| {
        (0..n_rows)
            .into_par_iter()
            .map_init(|| vec![0.0; outcomes.len()], summarise_row)
            .collect()
    });
    let target_probability = (0..central_targets.len())
        .map(|t| outcomes.iter().filter(|o| o[n_rows + 2 * t + 1] == 1.0).count() as f64 / outcomes.len() as f64)
        .collect();
    let n_draws = outcomes.len();
    Ok(Ensemble {
        central,
        central_targets,
        summary,
        target_probability,
        records,
        width,
        options: Options {
            draws: n_draws,
            ..opts.clone()
        },
    })
}

/// For each target of the policy scenario, the share of draws in which it
/// does better than the reference scenario on the same draw (paired by draw
/// index, which common random numbers make meaningful): lower for `at_most`,
/// higher for `at_least`. The quantity compared is the target's value, or its
/// relative change for a target relative to a year.
pub fn paired_better(policy: (&Scenario, &Ensemble), reference: (&Scenario, &Ensemble)) -> Vec<f64> {
    let (ps, pe) = policy;
    let (rs, re) = reference;
    pe.central_targets
        .iter()
        .map(|t| {
            let mine = rows_of(ps, &pe.central, t);
            let theirs = rows_of(rs, &re.central, t);
            let n = pe.n_draws().min(re.n_draws());
            let better = (0..n)
                .filter(|&i| {
                    let (Some(a), Some(b)) = (measure(pe, i, mine, &t.reference), measure(re, i, theirs, &t.reference))
                    else {
                        return false;
                    };
                    if t.bound == "at_most" { a < b } else { a > b }
                })
                .count();
            if n > 0 { better as f64 / n as f64 } else { f64::NAN }
        })
        .collect()
}

/// Row indices, in a run of `s`, of a target's value and (for a target
/// relative to a year) of its base-year value.
fn rows_of(s: &Scenario, central: &Trajectory, t: &TargetResult) -> (Option<usize>, Option<usize>) {
    let find = |year: i32| {
        central.rows.iter().position(|r| {
            r.indicator.name() == t.indicator && r.dim.label(&s.model.params) == t.dimension && r.year == year
        })
    };
    let base = t
        .reference
        .strip_prefix("year:")
        .and_then(|y| y.parse().ok())
        .and_then(find);
    (find(t.year), base)
}

fn measure(e: &Ensemble, draw: usize, idx: (Option<usize>, Option<usize>), reference: &str) -> Option<f64> {
    let values = e.draw(draw);
    let v = values[idx.0?];
    if reference.starts_with("year:") {
        Some(v / values[idx.1?] - 1.0)
    } else {
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_7_quantiles_interpolate_between_order_statistics() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&x, 0.0), 1.0);
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert_eq!(quantile(&x, 0.25), 2.0);
        assert!((quantile(&x, 0.95) - 4.8).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn quantiles_by_selection_are_the_bits_of_quantiles_of_the_sorted_draws() {
        use rand::{RngExt, SeedableRng};
        let mut r = rand::rngs::ChaCha8Rng::seed_from_u64(11);
        let probs = [0.0, 0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 1.0];
        for n in (1..=40).chain([999, 1000, 1001]) {
            for pool in [3, 1_000_000] {
                // Few distinct values (ties, both zeros, infinities) and many.
                let data: Vec<f64> = (0..n)
                    .map(|_| match r.random_range(0..pool) {
                        0 => -0.0,
                        1 => 0.0,
                        2 => f64::INFINITY,
                        k => (k as f64 - 5e5) * 1.37e-3,
                    })
                    .collect();
                let mut sorted = data.clone();
                sorted.sort_by(f64::total_cmp);
                let mut selected = data.clone();
                let got = quantiles(&mut selected, probs);
                for (g, p) in got.iter().zip(probs) {
                    let want = quantile(&sorted, p);
                    assert!(
                        g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan()),
                        "n {n}, p {p}: {g} against {want}"
                    );
                }
            }
        }
        assert!(quantiles(&mut [], [0.5])[0].is_nan());
    }
}
