//! From the raw scenario to checked `Params`: the core checks every section
//! (`params::check`), this layer reads the tables the sections name and
//! says where in which file each problem lies. Every problem found is
//! collected, each as one line naming the file, the key and the expected form.

use super::extends::ChainFile;
use super::locate::locate;
use super::raw::RawScenario;
use super::source::{ReadLog, Source};
use super::tables;
use crate::declare::Problems;
use crate::error::InputProblem;
use crate::model::Indicator;
use crate::params::parse_dim;
use crate::params::{Checked, Observation, Params, Tables};
use std::path::Path;

/// Places each problem at its file and line.
struct Checker<'a> {
    files: &'a [ChainFile],
    problems: Vec<InputProblem>,
}

impl Problems for Checker<'_> {
    fn problem(&mut self, key: &str, message: String) {
        let (file, line) = match locate(self.files, key) {
            Some((f, l)) => (f, Some(l)),
            None => (self.files[0].display.clone(), None),
        };
        let mut p = InputProblem::new(file, key, message);
        if let Some(l) = line {
            p = p.at(l.to_string());
        }
        self.problems.push(p);
    }
}

pub fn validate(
    raw: RawScenario,
    files: &[ChainFile],
    source: &dyn Source,
    log: &ReadLog,
) -> Result<Params, Vec<InputProblem>> {
    let mut c = Checker {
        files,
        problems: Vec::new(),
    };
    let Some(checked) = crate::params::check(&raw, &mut c) else {
        return Err(c.problems);
    };
    // Tables, read only once the names they refer to are known to be sound.
    let tables = read_tables(&checked, &c, source, log)?;
    let params = checked.with_tables(tables);
    for (key, message) in params.relations() {
        c.problem(&key, message);
    }
    if c.problems.is_empty() {
        Ok(params)
    } else {
        Err(c.problems)
    }
}

/// A table that cannot be read is reported against the scenario key naming it.
fn with_key(mut problems: Vec<InputProblem>, c: &Checker, key: &str) -> Vec<InputProblem> {
    let loc = locate(c.files, key);
    for p in &mut problems {
        p.message = format!(
            "{} (named by `{key}`{})",
            p.message,
            loc.as_ref().map(|(f, l)| format!(" in {f}:{l}")).unwrap_or_default()
        );
    }
    problems
}

/// Observed figures: columns `indicator,dimension,year,value,source`, each
/// naming a series the model reports, in a year it reports it.
fn observations(file: &str, text: &str, checked: &Checked) -> Result<Vec<Observation>, Vec<InputProblem>> {
    let horizon = (i64::from(checked.start), i64::from(checked.end));
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let want = ["indicator", "dimension", "year", "value", "source"];
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if headers != want {
        return Err(vec![InputProblem::new(
            file,
            "",
            format!("expected the header {}", want.join(",")),
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
        };
        let row = format!("row {}", rec.position().map_or(0, |p| p.line()));
        let bad = |col: &str, m: String| InputProblem::new(file, col, m).at(row.clone());
        crate::warn_renamed(&rec[0]);
        let Some(indicator) = Indicator::from_name(&rec[0]) else {
            problems.push(bad("indicator", format!("unknown indicator `{}`", &rec[0])));
            continue;
        };
        let dim = match parse_dim(&rec[1], &checked.region_names, &checked.dest_names) {
            Ok(d) => d,
            Err(m) => {
                problems.push(bad("dimension", m));
                continue;
            }
        };
        let last = if indicator.is_flow() { horizon.1 - 1 } else { horizon.1 };
        let year = match rec[2].parse::<i64>() {
            Ok(y) if (horizon.0..=last).contains(&y) => y as i32,
            _ => {
                problems.push(bad(
                    "year",
                    format!("`{}`: expected a year in [{}, {last}]", &rec[2], horizon.0),
                ));
                continue;
            }
        };
        // A former name's figures are in its former unit (percent).
        let per = if Indicator::renamed(&rec[0]).is_some() {
            0.01
        } else {
            1.0
        };
        let value = match rec[3].parse::<f64>() {
            Ok(v) if v.is_finite() => v * per,
            _ => {
                problems.push(bad("value", format!("`{}` is not a number", &rec[3])));
                continue;
            }
        };
        out.push(Observation {
            indicator,
            dim,
            year,
            value,
            source: rec[4].to_string(),
        });
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn read_tables(
    checked: &Checked,
    c: &Checker,
    source: &dyn Source,
    log: &ReadLog,
) -> Result<Tables, Vec<InputProblem>> {
    let (population, region_names, dest_names) = (&checked.population, &checked.region_names, &checked.dest_names);
    let read = |path: &str| -> Result<(String, String), Vec<InputProblem>> {
        let p = Path::new(path);
        let shown = source.display(p);
        log.read(source, p)
            .map(|text| (shown.clone(), text))
            .map_err(|why| vec![InputProblem::new(shown, "", format!("cannot read table: {why}"))])
    };
    let (hf, ht) = read(&population.home_csv).map_err(|p| with_key(p, c, "population.home_csv"))?;
    let home = tables::read_home(&hf, &ht, region_names)?;
    let (af, at) = read(&population.abroad_csv).map_err(|p| with_key(p, c, "population.abroad_csv"))?;
    let (abroad, naturalised) = tables::read_abroad(&af, &at, region_names, dest_names)?;
    let (mf, mt) = read(&checked.mortality.mx_csv).map_err(|p| with_key(p, c, "mortality.mx_csv"))?;
    let baseline_hazard = tables::read_mx(&mf, &mt)?;
    let observed = match &checked.observed_csv {
        Some(path) => {
            let (of, ot) = read(path).map_err(|p| with_key(p, c, "backtest.observed_csv"))?;
            observations(&of, &ot, checked)?
        }
        None => Vec::new(),
    };
    if home.sum() <= 0.0 {
        return Err(vec![InputProblem::new(
            hf,
            "persons",
            "no residents; expected a positive population",
        )]);
    }
    Ok(Tables {
        home: std::sync::Arc::new(home),
        abroad: std::sync::Arc::new(abroad),
        naturalised: std::sync::Arc::new(naturalised),
        baseline_hazard,
        observed,
    })
}
