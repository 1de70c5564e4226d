//! One experiment engine. A design names its points (the numbers it sets
//! on the scenario by dotted key, and the random shocks that strike) and
//! what it records of each run; `run` projects the points of a range in
//! parallel and returns their records, a fixed number of values per point,
//! in point order. Ensembles, sweeps and sensitivity analyses are designs;
//! a shard is a range of points, so sharding works alike for all of them.
//!
//! A point's inputs depend on its index only (and, for ensembles, on the
//! seed): the records do not depend on the threads or the shards, and two
//! scenarios run through one design see the same draws (common random
//! numbers).

use crate::error::{Error, Result};
use crate::model::{Model, Trajectory};
use crate::scenario::uncertainty::Strike;
use crate::targets::TargetResult;
use crate::{Scenario, compile_draw};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What one point sets on the scenario, with what is chosen (levers: the
/// numbers a sweep or, later, an optimiser varies) kept apart from what is
/// uncertain (drawn inputs and the shocks that strike), so that a design can
/// pair every choice with the same draws.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Point {
    /// Chosen numbers by dotted key, e.g. `("policies.domestic_jobs.jobs_per_year", 20000)`.
    pub levers: Vec<(String, f64)>,
    /// Drawn numbers by dotted key, e.g. `("emigration.gamma", 1.2)`.
    pub uncertain: Vec<(String, f64)>,
    /// Stochastic shocks that strike.
    pub strikes: Vec<Strike>,
}

impl Point {
    /// Every number the point sets, levers first.
    pub fn values(&self) -> Vec<(String, f64)> {
        self.levers.iter().chain(&self.uncertain).cloned().collect()
    }
}

/// A set of points and what is kept of each run.
pub trait Design: Sync {
    /// What a point is called, singular and plural: `("draw", "draws")`.
    fn unit(&self) -> (&'static str, &'static str);
    /// How a point is named in a message, e.g. `draw 17`.
    fn name(&self, i: usize) -> String {
        format!("{} {i}", self.unit().0)
    }
    fn point(&self, i: usize) -> Point;
    /// Values recorded per point (at least one).
    fn width(&self) -> usize;
    /// What each run keeps besides the series.
    fn detail(&self) -> crate::model::Detail {
        crate::model::Detail::SERIES
    }
    /// Fills `record` (`width` values) from point `i`'s model and run.
    fn record(&self, i: usize, model: &Model, run: &Trajectory, record: &mut [f64]) -> Result<()>;
}

/// Runs the points `range` of `design` on `s` with `threads` workers and
/// returns their records one after another. Every point runs, so that the
/// error reported is that of the lowest point whatever the threads.
pub fn run(
    s: &Scenario,
    design: &dyn Design,
    range: std::ops::Range<usize>,
    threads: usize,
    progress: bool,
) -> Result<Vec<f64>> {
    check_memory(design, range.len())?;
    if progress {
        announce(s, design, range.len(), threads);
    }
    let bar = crate::parallel::progress_bar(progress, range.len(), design.unit().1);
    let (records, outcomes) = run_points(s, design, range, threads, &|| bar.inc(1))?;
    outcomes.into_iter().collect::<Result<()>>()?;
    bar.finish_and_clear();
    Ok(records)
}

/// Says on standard error, before a job that will take more than ten
/// seconds starts, how long it should take: one projection of the scenario
/// is timed and scaled by the runs and threads. Only the message depends on
/// the clock, never a result.
fn announce(s: &Scenario, design: &dyn Design, points: usize, threads: usize) {
    let started = std::time::Instant::now();
    if crate::model::project_series(&s.model).is_err() {
        return;
    }
    let one = started.elapsed().as_secs_f64();
    let seconds = one * points as f64 / threads.max(1) as f64;
    if seconds > 10.0 {
        let (_, many) = design.unit();
        let span = if seconds < 120.0 {
            format!("{seconds:.0} s")
        } else if seconds < 7200.0 {
            format!("{:.0} min", seconds / 60.0)
        } else {
            format!("{:.1} h", seconds / 3600.0)
        };
        eprintln!(
            "{points} {many} on {threads} thread(s): about {span} (one run takes {:.0} ms here); --shard I/N splits it over machines",
            one * 1e3
        );
    }
}

/// Like `run`, but a point whose projection fails (its inputs refused, or
/// a value not finite) does not stop the others: its record is left NaN
/// and it is marked `true`. For searches (calibration) that reject such
/// points rather than fail.
pub fn run_lenient(
    s: &Scenario,
    design: &dyn Design,
    range: std::ops::Range<usize>,
    threads: usize,
) -> Result<(Vec<f64>, Vec<bool>)> {
    let (mut records, outcomes) = run_points(s, design, range, threads, &|| {})?;
    let width = design.width();
    let failed: Vec<bool> = outcomes.iter().map(|o| o.is_err()).collect();
    for (record, bad) in records.chunks_exact_mut(width).zip(&failed) {
        if *bad {
            record.fill(f64::NAN);
        }
    }
    Ok((records, failed))
}

fn run_points(
    s: &Scenario,
    design: &dyn Design,
    range: std::ops::Range<usize>,
    threads: usize,
    done: &(dyn Fn() + Sync),
) -> Result<(Vec<f64>, Vec<Result<()>>)> {
    let width = design.width();
    if width == 0 {
        return Err(Error::Runtime(
            "a design must record at least one value per point".into(),
        ));
    }
    check_memory(design, range.len())?;
    let one = |i: usize, record: &mut [f64]| -> Result<()> {
        let p = design.point(i);
        let model = compile_draw(s, &p.values(), &p.strikes).map_err(|e| match e {
            Error::Input(mut ps) => {
                for problem in &mut ps {
                    problem.message = format!("{} takes {}", design.name(i), problem.message);
                }
                Error::Input(ps)
            }
            other => other,
        })?;
        let run = crate::model::project_with(&model, design.detail())
            .map_err(|h| Error::Runtime(format!("{}: {h}", design.name(i))))?;
        design.record(i, &model, &run, record)?;
        done();
        Ok(())
    };
    let first = range.start;
    let mut records = vec![0.0; range.len() * width];
    let outcomes = crate::parallel::pool(threads)?.install(|| {
        records
            .par_chunks_mut(width)
            .enumerate()
            .map(|(k, record)| one(first + k, record))
            .collect::<Vec<Result<()>>>()
    });
    Ok((records, outcomes))
}

/// One bound of a command-line range `whole` (`KEY=FROM:TO…`): `t` as a
/// finite number, or the message naming it and the expected `form`.
pub fn range_bound(whole: &str, t: &str, form: &str) -> std::result::Result<f64, String> {
    t.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("= {whole}: `{t}` is not a number; {form}"))
}

/// Refuses a range `key=from:to` given with `flag` unless the scenario
/// accepts `key` at both ends: a design only sets values between them.
pub fn check_range(s: &Scenario, flag: &str, key: &str, from: f64, to: f64) -> Result<()> {
    for end in [from, to] {
        compile_draw(s, &[(key.to_string(), end)], &[]).map_err(|e| match e {
            Error::Input(ps) => crate::input::command_line(
                flag,
                format!(
                    "{key}={}:{}: {}",
                    crate::declare::number(from),
                    crate::declare::number(to),
                    ps.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("; ")
                ),
            ),
            other => other,
        })?;
    }
    Ok(())
}

/// Model runs one job may ask for (10 million: about 8 hours of the
/// baseline on 2 cores); beyond it the job is refused before it starts.
pub const MAX_POINTS: usize = 10_000_000;

/// Refuses a job of `points` runs (None: more than a machine word holds)
/// beyond `MAX_POINTS`, naming `key` and `what` was asked.
pub fn check_points(key: &str, what: &str, points: Option<usize>) -> Result<usize> {
    match points {
        Some(n) if n <= MAX_POINTS => Ok(n),
        _ => Err(Error::input(crate::error::InputProblem::new(
            "command line",
            key,
            format!(
                "{what} asks for {} model runs; at most {MAX_POINTS} fit in one job (shards split its time, not its design): ask for fewer",
                points.map_or_else(|| "more than 1.8e19".to_string(), |n| n.to_string())
            ),
        ))),
    }
}

/// What one job's records may take: beyond it, the job is refused before
/// anything is allocated, and the message says how to split it.
pub const MAX_RECORD_BYTES: usize = 4 << 30;

/// What a job takes besides its records under a memory limit: a base, and
/// an amount per value a point records (the central run, its outputs and
/// the workbook grow with the series), then per byte of records. Measured
/// under `ulimit -v`: the baseline (3,571 values a draw) needs 158 MB of
/// address space for 1,000 draws and 302 MB for 5,000, so about 122 MB and
/// 1.26 bytes per byte of records; a scenario of 2,005 destinations
/// (387,571 values a draw) needs 2.5 GB for 2 draws, about 6.3 KB a value.
/// Rounded up.
const BASE_BYTES: u64 = 100 << 20;
const BYTES_PER_VALUE: u64 = 6_500;
const BYTES_PER_RECORD_BYTE: f64 = 1.3;

/// How many points of `width` values, their records held `copies` times,
/// fit here, and under what: 4 GB of records, or less where a memory limit
/// (`crate::limits`) leaves less room.
pub fn points_that_fit(width: usize, copies: usize) -> (usize, String) {
    let per_point = 8 * width.max(1) * copies.max(1);
    let cap = (
        MAX_RECORD_BYTES / per_point,
        format!("the {} GB a job may use", MAX_RECORD_BYTES >> 30),
    );
    let Some(limit) = crate::limits::memory() else {
        return cap;
    };
    let fixed = BASE_BYTES.saturating_add(BYTES_PER_VALUE.saturating_mul(width as u64));
    let room = (limit.bytes.saturating_sub(fixed) as f64 / BYTES_PER_RECORD_BYTE) as usize;
    if room / per_point >= cap.0 {
        return cap;
    }
    (
        room / per_point,
        format!("this process's {} of {:.2} GB", limit.what, limit.bytes as f64 / 1e9),
    )
}

/// Refuses `points` points whose records would not fit in memory: 4 GB at
/// most, less under a memory limit.
fn check_memory(design: &dyn Design, points: usize) -> Result<()> {
    let width = design.width();
    let (fit, what) = points_that_fit(width, 1);
    if points <= fit {
        return Ok(());
    }
    let (one, many) = design.unit();
    let gb = (points as f64) * (width as f64) * 8.0 / 1e9;
    let advice = if fit == 0 {
        // The job's fixed part alone (a run of this scenario and its
        // outputs) is too large: no split helps.
        format!("not even one {one} fits under {what}: run where more memory is allowed")
    } else {
        format!("at most {fit} fit under {what}: fewer {many}, or split the job with --shard I/N")
    };
    Err(Error::input(crate::error::InputProblem::new(
        "command line",
        many,
        format!(
            "= {points}: {many} would need about {gb:.3e} GB for their records ({width} values of 8 bytes a {one}); {advice}"
        ),
    )))
}

/// The central runs of the scenarios that targets compare with, by path, as
/// every point of a design reuses them.
pub struct References(BTreeMap<String, Trajectory>);

impl References {
    pub fn of(s: &Scenario) -> Result<References> {
        s.reference_runs().map(References)
    }

    /// A point's targets: per target its measured value and 1 if met, else
    /// 0, written into `out` (two values a target).
    pub fn record_targets(&self, model: &Model, run: &Trajectory, out: &mut [f64]) -> Result<Vec<TargetResult>> {
        let t = crate::targets::evaluate(&model.params, run, |path| {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| Error::Runtime(format!("no reference run for {path}")))
        })?;
        for (pair, r) in out.chunks_exact_mut(2).zip(&t) {
            pair[0] = r.measured;
            pair[1] = if r.met { 1.0 } else { 0.0 };
        }
        Ok(t)
    }
}
