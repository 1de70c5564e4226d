//! `[uncertainty]`: which inputs an ensemble draws, from which distributions,
//! and which shocks strike at random (MODEL.md section 7).
//!
//! ```toml
//! [uncertainty]
//! draws = 1000
//! seed = 7
//! [uncertainty.parameters]
//! "destinations.russia.wage_growth" = { normal = { mean = 0.02, sd = 0.01 } }
//! "fertility.tfr.2050" = { triangular = { min = 1.8, mode = 2.2, max = 2.6 } }
//! [[uncertainty.shocks]]
//! kind = "exchange_rate"
//! destination = "russia"
//! yearly_probability = 0.1
//! change = { beta_scaled = { a = 2, b = 5, min = -0.6, max = 0.0 } }
//! recovery_years = 3
//! ```
//!
//! A parameter is any number in the scenario, named by its dotted key (named
//! array entries by name, year-path knots by year). A stochastic shock is a
//! `[[shocks]]` entry without a year, with a yearly probability and one
//! magnitude given as a distribution.

use crate::declare::{Named, Problems};
use crate::error::InputProblem;
use crate::params::{Params, ShockEvent};
use crate::scenario::raw::RawShock;
use rand::RngExt;
use toml::{Table, Value};

pub use super::distribution::{Dist, dist};
pub use super::posterior::{PosteriorDraws, read_posterior};

#[derive(Debug, Clone)]
pub struct StochasticShock {
    /// The `[[shocks]]` entry without its year and magnitude.
    pub template: Table,
    pub magnitude_key: String,
    pub magnitude: Dist,
    pub yearly_probability: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Uncertainty {
    pub draws: usize,
    pub seed: u64,
    /// Sorted by key, so that draws are taken in a fixed order.
    pub parameters: Vec<(String, Dist)>,
    pub shocks: Vec<StochasticShock>,
    /// `posterior_csv`, as written (resolved against the working folder).
    pub posterior_csv: Option<String>,
    /// Its rows, read by `scenario::load`.
    pub posterior: Option<PosteriorDraws>,
}

fn num(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Reads `[uncertainty]`; `file` names the scenario for messages.
pub fn read(file: &str, t: &Table) -> Result<Uncertainty, Vec<InputProblem>> {
    let mut problems = Vec::new();
    let mut bad = |key: &str, m: String| problems.push(InputProblem::new(file, format!("uncertainty.{key}"), m));
    for k in t.keys() {
        if !["draws", "seed", "parameters", "shocks", "posterior_csv"].contains(&k.as_str()) {
            bad(
                k,
                "unknown key; expected draws, seed, parameters, shocks or posterior_csv".into(),
            );
        }
    }
    let draws = match t.get("draws").map(|v| v.as_integer()) {
        None => 100,
        Some(Some(n)) if (0..=10_000_000).contains(&n) => n as usize,
        Some(_) => {
            bad(
                "draws",
                "expected a whole number of draws in [0, 10000000] (0 switches the section off)".into(),
            );
            0
        }
    };
    let seed = match t.get("seed").map(|v| v.as_integer()) {
        None => 0,
        Some(Some(n)) if n >= 0 => n as u64,
        Some(_) => {
            bad("seed", "expected a whole number >= 0".into());
            0
        }
    };
    let mut parameters = Vec::new();
    if let Some(v) = t.get("parameters") {
        match v.as_table() {
            Some(ps) => {
                for (key, d) in ps {
                    match dist(d) {
                        Ok(d) => parameters.push((key.clone(), d)),
                        Err(m) => bad(&format!("parameters.\"{key}\""), m),
                    }
                }
            }
            None => bad(
                "parameters",
                "expected a table of \"dotted.key\" = { distribution }".into(),
            ),
        }
    }
    parameters.sort_by(|a, b| a.0.cmp(&b.0));
    let mut shocks = Vec::new();
    if let Some(v) = t.get("shocks") {
        for (i, s) in v
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let key = format!("shocks[{i}]");
            let Some(s) = s.as_table() else {
                bad(&key, "expected a table like a [[shocks]] entry".into());
                continue;
            };
            let p = s.get("yearly_probability").and_then(num);
            let Some(p) = p.filter(|p| (0.0..=1.0).contains(p)) else {
                bad(
                    &format!("{key}.yearly_probability"),
                    "expected a probability in [0, 1]".into(),
                );
                continue;
            };
            if s.contains_key("year") {
                bad(
                    &format!("{key}.year"),
                    "a stochastic shock has no year: it strikes each year with `yearly_probability`".into(),
                );
                continue;
            }
            let dists: Vec<(&String, &Value)> = s.iter().filter(|(_, v)| v.is_table()).collect();
            if dists.len() != 1 {
                bad(&key, "expected exactly one magnitude given as a distribution, e.g. change = { uniform = { min = -0.4, max = 0 } }".into());
                continue;
            }
            let (mk, mv) = dists[0];
            match dist(mv) {
                Ok(d) => {
                    let mut template = s.clone();
                    template.remove("yearly_probability");
                    template.remove(mk);
                    shocks.push(StochasticShock {
                        template,
                        magnitude_key: mk.clone(),
                        magnitude: d,
                        yearly_probability: p,
                    });
                }
                Err(m) => bad(&format!("{key}.{mk}"), m),
            }
        }
    }
    let posterior_csv = match t.get("posterior_csv") {
        None => None,
        Some(v) => match v.as_str() {
            Some(p) => Some(p.to_string()),
            None => {
                bad(
                    "posterior_csv",
                    "expected the path of a posterior.csv written by `migsim calibrate`".into(),
                );
                None
            }
        },
    };
    if problems.is_empty() {
        Ok(Uncertainty {
            draws,
            seed,
            parameters,
            shocks,
            posterior_csv,
            posterior: None,
        })
    } else {
        Err(problems)
    }
}

/// Each stochastic shock as a checked event, at the start year and its
/// typical magnitude: a draw then sets only its year and magnitude.
pub fn shock_events(u: &Uncertainty, params: &Params, file: &str) -> Result<Vec<ShockEvent>, Vec<InputProblem>> {
    struct Collect {
        names: [Vec<String>; 2],
        problems: Vec<(String, String)>,
    }
    impl Problems for Collect {
        fn problem(&mut self, key: &str, message: String) {
            self.problems.push((key.to_string(), message));
        }
        fn names(&self, of: Named) -> &[String] {
            &self.names[of as usize]
        }
    }
    let mut c = Collect {
        names: [
            params.regions.iter().map(|r| r.name.clone()).collect(),
            params.destinations.iter().map(|d| d.name.clone()).collect(),
        ],
        problems: Vec::new(),
    };
    let mut events = Vec::new();
    for (i, s) in u.shocks.iter().enumerate() {
        let key = format!("uncertainty.shocks[{i}]");
        let mut t = s.template.clone();
        t.insert("year".into(), Value::Integer(i64::from(params.start_year)));
        t.insert(s.magnitude_key.clone(), Value::Float(s.magnitude.typical()));
        match Value::Table(t).try_into::<RawShock>() {
            Ok(raw) => events.extend(ShockEvent::check(raw, &key, &mut c)),
            Err(e) => c.problems.push((key, e.to_string())),
        }
    }
    if c.problems.is_empty() {
        Ok(events)
    } else {
        Err(c
            .problems
            .into_iter()
            .map(|(k, m)| InputProblem::new(file, k, m))
            .collect())
    }
}

/// Streams `2^52 + i` choose draw i's row of the posterior, apart from the
/// streams of the other parameters so that adding a posterior changes no
/// other draw.
const POSTERIOR_STREAM: u64 = 1 << 52;

/// A stochastic shock that strikes in a draw: which one (its index in
/// `Uncertainty::shocks`), the year and its magnitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strike {
    pub shock: usize,
    pub year: i32,
    pub magnitude: f64,
}

/// What draw `index` takes: a value for each parameter, and the shocks that
/// strike. Parameters and shocks use separate
/// streams of one ChaCha8 generator seeded by `seed`, so the same draw index
/// sees the same shocks in every scenario (common random numbers) whatever
/// parameters the scenario draws.
pub fn draw(u: &Uncertainty, index: u64, years: std::ops::Range<i32>) -> (Vec<(String, f64)>, Vec<Strike>) {
    let mut rng = crate::rng::stream(u.seed, 2 * index);
    let mut values: Vec<(String, f64)> = u
        .parameters
        .iter()
        .map(|(k, d)| (k.clone(), d.sample(&mut rng)))
        .collect();
    if let Some(post) = &u.posterior {
        let mut rng = crate::rng::stream(u.seed, POSTERIOR_STREAM + index);
        let row = post.row(rng.random::<f64>());
        values.extend(post.keys.iter().cloned().zip(row.iter().copied()));
    }
    let mut rng = crate::rng::stream(u.seed, 2 * index + 1);
    let mut shocks = Vec::new();
    for (k, s) in u.shocks.iter().enumerate() {
        for year in years.clone() {
            // Both numbers are drawn every year, so the stream stays aligned
            // across scenarios whatever strikes.
            let hit = rng.random::<f64>() < s.yearly_probability;
            let magnitude = s.magnitude.sample(&mut rng);
            if hit {
                shocks.push(Strike {
                    shock: k,
                    year,
                    magnitude,
                });
            }
        }
    }
    (values, shocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Dist, String> {
        let t: Table = format!("d = {s}").parse().unwrap();
        dist(&t["d"])
    }

    #[test]
    fn refuses_impossible_distributions() {
        assert!(parse("{ normal = { mean = 0, sd = -1 } }").unwrap_err().contains("sd"));
        assert!(parse("{ uniform = { min = 2, max = 1 } }").unwrap_err().contains("min"));
        assert!(parse("{ triangular = { min = 0, mode = 3, max = 2 } }").is_err());
        assert!(parse("{ beta_scaled = { a = 0, b = 1, min = 0, max = 1 } }").is_err());
        assert!(
            parse("{ gauss = { mean = 0 } }")
                .unwrap_err()
                .contains("unknown distribution")
        );
        assert!(parse("{ normal = { mean = 0, sdd = 1 } }").unwrap_err().contains("sdd"));
    }

    #[test]
    fn samples_stay_in_their_support() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
        let d = parse("{ normal = { mean = 0.5, sd = 0.3, min = 0, max = 1 } }").unwrap();
        let b = parse("{ beta_scaled = { a = 2, b = 5, min = -0.6, max = 0 } }").unwrap();
        for _ in 0..2000 {
            assert!((0.0..=1.0).contains(&d.sample(&mut rng)));
            assert!((-0.6..=0.0).contains(&b.sample(&mut rng)));
        }
    }

    #[test]
    fn quantiles_invert_each_distribution_and_stay_in_range() {
        let normal = parse("{ normal = { mean = 1, sd = 2 } }").unwrap();
        assert!((normal.quantile(0.5) - 1.0).abs() < 1e-9);
        assert!((normal.quantile(0.975) - (1.0 + 2.0 * 1.959964)).abs() < 1e-4);
        // Unbounded tails are cut at 0.5% / 99.5%.
        assert!((normal.quantile(0.0) - (1.0 - 2.0 * 2.575829)).abs() < 1e-4);
        let cut = parse("{ normal = { mean = 0, sd = 1, min = 0, max = 5 } }").unwrap();
        assert!(cut.quantile(0.0).abs() < 1e-9 && cut.quantile(1.0) <= 5.0);
        let uniform = parse("{ uniform = { min = 2, max = 6 } }").unwrap();
        assert_eq!(uniform.quantile(0.25), 3.0);
        let tri = parse("{ triangular = { min = 0, mode = 1, max = 2 } }").unwrap();
        assert!((tri.quantile(0.5) - 1.0).abs() < 1e-9);
        let beta = parse("{ beta_scaled = { a = 2, b = 2, min = -1, max = 1 } }").unwrap();
        assert!(beta.quantile(0.5).abs() < 1e-6 && beta.quantile(1.0) <= 1.0 && beta.quantile(0.0) >= -1.0);
        let logn = parse("{ lognormal = { mu = 0, sigma = 0.5 } }").unwrap();
        assert!((logn.quantile(0.5) - 1.0).abs() < 1e-9);
        for d in [&normal, &cut, &uniform, &tri, &beta, &logn] {
            let q: Vec<f64> = (0..=20).map(|i| d.quantile(f64::from(i) / 20.0)).collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{d:?}: {q:?}");
        }
    }

    #[test]
    fn the_same_draw_index_gives_the_same_shocks_whatever_the_parameters() {
        let shock: Table = "kind = \"exchange_rate\"\ndestination = \"ru\"\nyearly_probability = 0.3\nchange = { uniform = { min = -0.5, max = 0 } }".parse().unwrap();
        let mut t = Table::new();
        t.insert("shocks".into(), Value::Array(vec![Value::Table(shock)]));
        let mut a = read("s", &t).unwrap();
        a.seed = 11;
        let mut b = a.clone();
        b.parameters.push(("x.y".into(), Dist::Uniform { min: 0.0, max: 1.0 }));
        for i in 0..20 {
            assert_eq!(draw(&a, i, 2020..2040).1, draw(&b, i, 2020..2040).1);
        }
        assert_ne!(draw(&a, 0, 2020..2040).1, draw(&a, 1, 2020..2040).1);
    }
}
