//! Shards: one slice of the draws of an ensemble, or of the design points of
//! a sweep or a sensitivity analysis, run on its own machine.
//!
//! A shard folder holds `shard.json` (what was run: program version,
//! scenario and its input hashes, seed, slice, the job's settings) and
//! `values.bin`, the raw result of every point of the slice: `count` records
//! of `width` little-endian f64 each. Raw values, not summaries, so that
//! `merge` recomputes quantiles and indices exactly as one machine would.

use crate::error::{Error, InputProblem, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub const META_FILE: &str = "shard.json";
pub const VALUES_FILE: &str = "values.bin";
/// The source fingerprint of this build (see `build.rs`).
pub const BUILD: &str = env!("MIGSIM_BUILD");

/// `--shard I/N`: the I-th of N slices (1-based, as job arrays count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub index: usize,
    pub of: usize,
}

impl Slice {
    pub fn parse(s: &str) -> std::result::Result<Slice, String> {
        let bad = || format!("= {s}: expected I/N with 1 <= I <= N, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, of) = (
            i.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
        if index == 0 || index > of {
            return Err(bad());
        }
        Ok(Slice { index, of })
    }

    /// The points `[first, end)` of `points` this slice runs: contiguous
    /// blocks whose sizes differ by at most one.
    pub fn range(&self, points: usize) -> std::ops::Range<usize> {
        let at = |k: usize| k * points / self.of;
        at(self.index - 1)..at(self.index)
    }
}

/// What a shard was: enough to refuse mixing shards of different jobs and to
/// finish the job from the merged values.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub program: String,
    pub version: String,
    /// Fingerprint of the source the program was built from.
    pub build: String,
    /// `run`, `sweep` or `sensitivity`.
    pub kind: String,
    pub scenario: String,
    /// The scenario file as given on the command line; none for the bundled
    /// baseline.
    pub scenario_file: Option<String>,
    /// Every file the scenario was read from, with its SHA-256.
    pub inputs: Vec<(String, String)>,
    pub seed: u64,
    pub shard: usize,
    pub shards: usize,
    /// Points of the whole job (draws, design points or model runs).
    pub points: usize,
    pub first: usize,
    pub count: usize,
    /// Numbers per point in `values.bin`.
    pub width: usize,
    pub values_sha256: String,
    /// The job's own settings, compared between shards and used to finish.
    pub spec: serde_json::Value,
}

/// Everything about a job but its slice and values.
pub struct Job {
    pub kind: &'static str,
    pub scenario: String,
    pub scenario_file: Option<String>,
    pub inputs: Vec<(String, String)>,
    pub seed: u64,
    pub points: usize,
    pub width: usize,
    pub spec: serde_json::Value,
}

fn digest(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// `values` as little-endian bytes, handed to `f` a piece at a time: a
/// shard's values are never held twice.
fn le_pieces<E>(values: &[f64], mut f: impl FnMut(&[u8]) -> std::result::Result<(), E>) -> std::result::Result<(), E> {
    let mut piece = Vec::with_capacity(8 << 13);
    for chunk in values.chunks(1 << 13) {
        piece.clear();
        piece.extend(chunk.iter().flat_map(|v| v.to_le_bytes()));
        f(&piece)?;
    }
    Ok(())
}

/// Writes one shard: the values of `slice` of `job` into `dir`.
pub fn write(dir: &Path, job: &Job, slice: Slice, values: &[f64]) -> Result<Meta> {
    let range = slice.range(job.points);
    if values.len() != range.len() * job.width {
        return Err(Error::Runtime(format!(
            "shard {}/{} has {} numbers, expected {} points of {}",
            slice.index,
            slice.of,
            values.len(),
            range.len(),
            job.width
        )));
    }
    let mut hash = Sha256::new();
    let Ok(()) = le_pieces::<std::convert::Infallible>(values, |piece| {
        hash.update(piece);
        Ok(())
    });
    let meta = Meta {
        program: "migsim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        build: BUILD.into(),
        kind: job.kind.into(),
        scenario: job.scenario.clone(),
        scenario_file: job.scenario_file.clone(),
        inputs: job.inputs.clone(),
        seed: job.seed,
        shard: slice.index,
        shards: slice.of,
        points: job.points,
        first: range.start,
        count: range.len(),
        width: job.width,
        values_sha256: format!("{:x}", hash.finalize()),
        spec: job.spec.clone(),
    };
    let json = serde_json::to_string_pretty(&meta).expect("shard metadata is plain data") + "\n";
    crate::output::generation::write(dir, |dir| {
        crate::output::atomic::write_with(&dir.join(VALUES_FILE), |w| le_pieces(values, |p| w.write_all(p)))?;
        crate::output::atomic::write(&dir.join(META_FILE), json.as_bytes())
    })?;
    Ok(meta)
}

fn problem(dir: &Path, key: &str, message: impl Into<String>) -> Error {
    Error::input(InputProblem::new(
        dir.join(META_FILE).display().to_string(),
        key,
        message,
    ))
}

fn read_one(dir: &Path) -> Result<(Meta, Vec<f64>)> {
    let meta_path = dir.join(META_FILE);
    let text = crate::input::read_text(&meta_path).map_err(|e| {
        problem(
            dir,
            "",
            format!("cannot be read ({e}): expected a folder written by a run with --shard I/N"),
        )
    })?;
    let meta: Meta =
        serde_json::from_str(&text).map_err(|e| problem(dir, "", format!("not a migsim shard description: {e}")))?;
    let this = env!("CARGO_PKG_VERSION");
    if meta.program != "migsim" || meta.version != this {
        return Err(problem(
            dir,
            "version",
            format!(
                "= {} {}: written by another version; this is migsim {this}, rerun the shard with it",
                meta.program, meta.version
            ),
        ));
    }
    if meta.build != BUILD {
        return Err(problem(
            dir,
            "build",
            format!(
                "= {}: written by another build of migsim {this} (this one is {BUILD}); rerun the shard with this build",
                meta.build
            ),
        ));
    }
    if meta.shards == 0 || meta.shard == 0 || meta.shard > meta.shards || meta.width == 0 {
        return Err(problem(
            dir,
            "shard",
            format!(
                "= {}/{} of width {}: not a slice this version writes",
                meta.shard, meta.shards, meta.width
            ),
        ));
    }
    let size = meta
        .count
        .checked_mul(meta.width)
        .and_then(|n| n.checked_mul(8))
        .filter(|&b| b <= crate::experiment::MAX_RECORD_BYTES)
        .ok_or_else(|| {
            problem(
                dir,
                "count",
                format!(
                    "= {} values of width {}: more than a shard this version writes",
                    meta.count, meta.width
                ),
            )
        })?;
    let bytes = crate::input::read_bytes(&dir.join(VALUES_FILE), size as u64).map_err(|e| {
        Error::input(InputProblem::new(
            dir.join(VALUES_FILE).display().to_string(),
            "",
            format!("{e}: the shard is incomplete or was altered; rerun it"),
        ))
    })?;
    if bytes.len() != size || digest(&bytes) != meta.values_sha256 {
        return Err(Error::input(InputProblem::new(
            dir.join(VALUES_FILE).display().to_string(),
            "",
            "does not match the size and SHA-256 in shard.json: the shard is incomplete or was altered; rerun it",
        )));
    }
    let values = bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect();
    Ok((meta, values))
}

/// Reads the shards in `dirs`, checks they are the slices of one job (same
/// kind, scenario and inputs, seed, settings and version; each slice once;
/// none missing), and returns the job's description and every point's
/// values in point order.
pub fn read_all(dirs: &[PathBuf]) -> Result<(Meta, Vec<f64>)> {
    let Some(first_dir) = dirs.first() else {
        return Err(Error::input(InputProblem::new(
            "command line",
            "DIR",
            "expected at least one shard folder",
        )));
    };
    let mut shards = Vec::with_capacity(dirs.len());
    shards.push((first_dir, read_one(first_dir)?));
    let first = shards[0].1.0.clone();
    let first_dir = first_dir.to_path_buf();
    // The merged job holds every shard's records at once, and briefly a
    // second copy of them in point order: refused before the other shards
    // are read if that cannot fit.
    let (fit, what) = crate::experiment::points_that_fit(first.width, 2);
    if first.points > fit {
        return Err(problem(
            &first_dir,
            "points",
            format!(
                "= {} of {} values: merging them would need about {:.3e} GB (their records twice); at most {fit} fit under {what}: merge where more memory is allowed",
                first.points,
                first.width,
                first.points as f64 * first.width as f64 * 16.0 / 1e9,
            ),
        ));
    }
    for d in &dirs[1..] {
        shards.push((d, read_one(d)?));
    }
    for (dir, (m, _)) in &shards[1..] {
        let differs = |what: &str, a: String, b: String| {
            problem(
                dir,
                what,
                format!(
                    "= {b}, but {} has {a}: shards of different jobs cannot be merged",
                    first_dir.display()
                ),
            )
        };
        if m.kind != first.kind {
            return Err(differs("kind", first.kind.clone(), m.kind.clone()));
        }
        if m.scenario != first.scenario || m.inputs != first.inputs {
            return Err(differs("scenario", describe_inputs(&first), describe_inputs(m)));
        }
        if m.seed != first.seed {
            return Err(differs("seed", first.seed.to_string(), m.seed.to_string()));
        }
        if m.shards != first.shards || m.points != first.points || m.width != first.width || m.spec != first.spec {
            return Err(differs(
                "spec",
                format!("{} shards of {} points {}", first.shards, first.points, first.spec),
                format!("{} shards of {} points {}", m.shards, m.points, m.spec),
            ));
        }
    }
    let mut by_index: Vec<Option<(&PathBuf, Vec<f64>)>> = vec![None; first.shards];
    for (dir, (m, values)) in shards {
        let expected = Slice {
            index: m.shard,
            of: m.shards,
        }
        .range(m.points);
        if m.first != expected.start || m.count != expected.len() {
            return Err(problem(
                dir,
                "shard",
                format!("= {}/{}: not a slice this version writes", m.shard, m.shards),
            ));
        }
        let slot = &mut by_index[m.shard - 1];
        if let Some((other, _)) = slot {
            return Err(problem(
                dir,
                "shard",
                format!("= {}/{}: given twice (also {})", m.shard, m.shards, other.display()),
            ));
        }
        *slot = Some((dir, values));
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| format!("{}/{}", i + 1, first.shards))
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(InputProblem::new(
            "command line",
            "DIR",
            format!(
                "{} {} missing: give every shard's folder",
                if missing.len() == 1 { "shard" } else { "shards" },
                missing.join(", ") + if missing.len() == 1 { " is" } else { " are" }
            ),
        )));
    }
    let values = by_index.into_iter().flat_map(|s| s.expect("checked").1).collect();
    Ok((first, values))
}

fn describe_inputs(m: &Meta) -> String {
    let leaf = m
        .inputs
        .first()
        .map(|(p, h)| format!(" ({p} sha256 {})", &h[..h.len().min(12)]));
    format!("scenario {}{}", m.scenario, leaf.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_every_point_once_in_order() {
        for points in [0, 1, 7, 1000, 1001] {
            for of in 1..=9 {
                let mut next = 0;
                for index in 1..=of {
                    let r = Slice { index, of }.range(points);
                    assert_eq!(r.start, next);
                    assert!(r.len() <= points / of + 1);
                    next = r.end;
                }
                assert_eq!(next, points);
            }
        }
    }

    #[test]
    fn a_malformed_description_is_refused_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let job = Job {
            kind: "run",
            scenario: "s".into(),
            scenario_file: None,
            inputs: vec![],
            seed: 1,
            points: 4,
            width: 2,
            spec: serde_json::json!({}),
        };
        write(dir.path(), &job, Slice { index: 1, of: 2 }, &[1.0, 2.0, 3.0, 4.0]).unwrap();
        let (meta, values) = read_one(dir.path()).unwrap();
        assert_eq!((meta.first, meta.count, values), (0, 2, vec![1.0, 2.0, 3.0, 4.0]));
        let text = std::fs::read_to_string(dir.path().join(META_FILE)).unwrap();
        std::fs::write(
            dir.path().join(META_FILE),
            text.replace("\"shards\": 2", "\"shards\": 0"),
        )
        .unwrap();
        let e = read_one(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a slice"), "{e}");
        // Another build of the same version.
        std::fs::write(dir.path().join(META_FILE), text.replace(BUILD, "0123456789abcdef")).unwrap();
        let e = read_one(dir.path()).unwrap_err().to_string();
        assert!(e.contains("another build"), "{e}");
    }

    #[test]
    fn parses_slices_and_refuses_impossible_ones() {
        assert_eq!(Slice::parse("2/4"), Ok(Slice { index: 2, of: 4 }));
        for bad in ["0/4", "5/4", "2", "a/b", "1/0", "-1/4"] {
            assert!(Slice::parse(bad).unwrap_err().contains("I/N"), "{bad}");
        }
    }
}
