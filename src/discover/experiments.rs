//! The data of a discovery: the inputs each ensemble draw took and whether
//! it met a target, read from a run's `experiments.csv` (`--keep-draws`),
//! or the swept values of each point of a sweep (its `sweep.csv`, whose
//! swept keys `manifest.json` names; a Latin hypercube suits PRIM best).

use crate::error::{Error, InputProblem, Result};
use crate::output::column_name;
use std::path::Path;

/// Inputs and outcome of every draw.
pub struct Experiments {
    /// The inputs' names (dotted keys, shock columns), in file order.
    pub inputs: Vec<String>,
    pub x: Vec<Vec<f64>>,
    /// Whether each draw met the target.
    pub met: Vec<bool>,
    /// The target's column, `met_<target>`.
    pub target: String,
    /// What a row is: `draws` of an ensemble, `points` of a sweep.
    pub rows: &'static str,
}

/// The swept keys of a sweep's folder, as its `sweep.csv` writes them.
fn swept_keys(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join("manifest.json");
    let file = path.display().to_string();
    let text = crate::input::read_text(&path).map_err(|m| Error::input(InputProblem::new(&file, "", m)))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(InputProblem::new(&file, "", format!("is not JSON: {e}"))))?;
    let axes = json["spec"]["axes"].as_array().ok_or_else(|| {
        Error::input(InputProblem::new(
            &file,
            "spec.axes",
            "expected the swept keys of a sweep's manifest",
        ))
    })?;
    Ok(axes
        .iter()
        .filter_map(|a| a["key"].as_str())
        .map(|k| {
            k.chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' })
                .collect()
        })
        .collect())
}

/// The rows of `experiments.csv` (or of a sweep's `sweep.csv`): their
/// cells as text, with the columns that are inputs parsed.
struct Table {
    file: String,
    header: Vec<String>,
    cells: Vec<Vec<String>>,
    inputs: Vec<usize>,
    x: Vec<Vec<f64>>,
    sweep: bool,
}

impl Table {
    fn bad(&self, row: usize, key: &str, m: String) -> Error {
        Error::input(InputProblem::new(&self.file, key, m).at(format!("row {row}")))
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn rows(&self) -> &'static str {
        if self.sweep { "points" } else { "draws" }
    }
}

/// Reads `dir/experiments.csv` (or, in a sweep's folder, `dir/sweep.csv`):
/// the header, every row's cells, and the inputs as numbers.
fn table(dir: &Path) -> Result<Table> {
    let sweep = !dir.join("experiments.csv").exists() && dir.join("sweep.csv").exists();
    let swept = if sweep { Some(swept_keys(dir)?) } else { None };
    let path = dir.join(if sweep { "sweep.csv" } else { "experiments.csv" });
    let file = path.display().to_string();
    let text = crate::input::read_text(&path).map_err(|m| {
        Error::input(InputProblem::new(
            &file,
            "",
            format!("{m}; run the ensemble with --draws N --keep-draws (or a sweep) to write it"),
        ))
    })?;
    let mut t = Table {
        file,
        header: Vec::new(),
        cells: Vec::new(),
        inputs: Vec::new(),
        x: Vec::new(),
        sweep,
    };
    let mut lines = text.lines();
    let Some(first) = lines.next().filter(|l| !l.trim().is_empty()) else {
        return Err(t.bad(
            1,
            "",
            "is empty; expected a header naming the inputs and the targets' met_ columns".into(),
        ));
    };
    t.header = first.split(',').map(str::to_string).collect();
    t.inputs = (0..t.header.len())
        .filter(|&j| match &swept {
            Some(keys) => keys.iter().any(|k| *k == t.header[j]),
            None => j > 0 && !t.header[j].starts_with("met_") && !t.header[j].starts_with("measured_"),
        })
        .collect();
    if t.inputs.is_empty() {
        return Err(Error::input(InputProblem::new(
            &t.file,
            "",
            "no uncertain input: the scenario states no [uncertainty] parameters or stochastic shocks to discover in",
        )));
    }
    for (i, line) in lines.enumerate() {
        let row = i + 2;
        let cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells.len() != t.header.len() {
            return Err(t.bad(
                row,
                "",
                format!("{} cells where the header has {}", cells.len(), t.header.len()),
            ));
        }
        let mut point = Vec::with_capacity(t.inputs.len());
        for &j in &t.inputs {
            let v: f64 = cells[j]
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| t.bad(row, &t.header[j], format!("`{}` is not a finite number", cells[j])))?;
            point.push(v);
        }
        t.x.push(point);
        t.cells.push(cells);
    }
    if t.x.is_empty() {
        return Err(t.bad(1, "", "holds no draw".into()));
    }
    Ok(t)
}

/// Reads the inputs of `dir` and whether each row met `target` (its name
/// as the scenario gives it, or its column `met_<target>`).
pub fn read(dir: &Path, target: &str) -> Result<Experiments> {
    let t = table(dir)?;
    let wanted = if target.starts_with("met_") {
        target.to_string()
    } else {
        format!("met_{}", column_name(target))
    };
    let Some(col) = t.column(&wanted) else {
        let names: Vec<&str> = t
            .header
            .iter()
            .filter(|h| h.starts_with("met_"))
            .map(|c| c.trim_start_matches("met_"))
            .collect();
        let hint = crate::declare::did_you_mean(&column_name(target), &names)
            .map(|d| format!("did you mean `{d}`? "))
            .unwrap_or_default();
        return Err(Error::input(InputProblem::new(
            "command line",
            "--target",
            format!(
                "`{target}` is not a target of this run; {hint}its targets: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
        )));
    };
    let mut met = Vec::with_capacity(t.cells.len());
    for (i, cells) in t.cells.iter().enumerate() {
        met.push(match cells[col].as_str() {
            "true" => true,
            "false" => false,
            other => return Err(t.bad(i + 2, &t.header[col], format!("`{other}`: expected true or false"))),
        });
    }
    Ok(Experiments {
        inputs: t.inputs.iter().map(|&j| t.header[j].clone()).collect(),
        met,
        target: t.header[col].clone(),
        rows: t.rows(),
        x: t.x,
    })
}

/// Which side of a bound an outcome's cases lie on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    Below(f64),
    Above(f64),
}

impl Side {
    fn holds(self, v: f64) -> bool {
        match self {
            Side::Below(x) => v < x,
            Side::Above(x) => v > x,
        }
    }

    pub fn words(self) -> String {
        match self {
            Side::Below(x) => format!("below {x}"),
            Side::Above(x) => format!("above {x}"),
        }
    }
}

/// Reads the inputs of `dir` and marks as met the rows whose `outcome`
/// (a national total, `INDICATOR@YEAR`) lies on `side` of its bound: from
/// the ensemble's `draws.csv` (every draw's national totals, written by
/// `--keep-draws`), or from a sweep's outcome column.
pub fn read_outcome(dir: &Path, outcome: &crate::outcome::Outcome, side: Side) -> Result<Experiments> {
    let t = table(dir)?;
    let label = outcome.label();
    if !outcome.dimension.is_empty() {
        return Err(Error::input(InputProblem::new(
            "command line",
            "--outcome",
            format!("= {label}: only national totals are kept per draw; expected INDICATOR@YEAR"),
        )));
    }
    let values: Vec<f64> = if t.sweep {
        let name = column_name(&label);
        let col = t.column(&name).ok_or_else(|| {
            Error::input(InputProblem::new(
                "command line",
                "--outcome",
                format!("= {label}: the sweep has no column {name}; sweep again with --outcome {label}"),
            ))
        })?;
        t.cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c[col]
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| t.bad(i + 2, &name, format!("`{}` is not a finite number", c[col])))
            })
            .collect::<Result<_>>()?
    } else {
        draw_values(dir, &t, outcome)?
    };
    Ok(Experiments {
        inputs: t.inputs.iter().map(|&j| t.header[j].clone()).collect(),
        met: values.iter().map(|v| side.holds(*v)).collect(),
        target: format!("{label} {}", side.words()),
        rows: t.rows(),
        x: t.x,
    })
}

/// The value of `outcome` in each draw of the table, from `draws.csv`.
fn draw_values(dir: &Path, t: &Table, outcome: &crate::outcome::Outcome) -> Result<Vec<f64>> {
    let path = dir.join("draws.csv");
    let file = path.display().to_string();
    let text = crate::input::read_text(&path).map_err(|m| {
        Error::input(InputProblem::new(
            &file,
            "",
            format!("{m}; run the ensemble with --draws N --keep-draws to write it"),
        ))
    })?;
    let bad = |row: usize, m: String| Error::input(InputProblem::new(&file, "", m).at(format!("row {row}")));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| {
        header.iter().position(|h| *h == name).ok_or_else(|| {
            bad(
                1,
                format!("no column `{name}`; expected scenario,draw,year,indicator,value"),
            )
        })
    };
    let (c_draw, c_year, c_ind, c_value) = (col("draw")?, col("year")?, col("indicator")?, col("value")?);
    let (name, year) = (outcome.indicator.name(), outcome.year.to_string());
    let mut by_draw = std::collections::HashMap::new();
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != header.len() {
            return Err(bad(
                i + 2,
                format!("{} cells where the header has {}", cells.len(), header.len()),
            ));
        }
        if cells[c_ind] != name || cells[c_year] != year {
            continue;
        }
        let draw: usize = cells[c_draw]
            .parse()
            .map_err(|_| bad(i + 2, format!("`{}` is not a draw number", cells[c_draw])))?;
        let v: f64 = cells[c_value]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| bad(i + 2, format!("`{}` is not a finite number", cells[c_value])))?;
        by_draw.insert(draw, v);
    }
    let label = outcome.label();
    if by_draw.is_empty() {
        return Err(Error::input(InputProblem::new(
            "command line",
            "--outcome",
            format!("= {label}: draws.csv has no row of {name} in {year}"),
        )));
    }
    let draw_col = t.column("draw").unwrap_or(0);
    t.cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d: usize = c[draw_col]
                .parse()
                .map_err(|_| t.bad(i + 2, "draw", format!("`{}` is not a draw number", c[draw_col])))?;
            by_draw.get(&d).copied().ok_or_else(|| {
                Error::input(InputProblem::new(
                    &file,
                    "",
                    format!("has no {label} for draw {d} of experiments.csv; are they from one run?"),
                ))
            })
        })
        .collect()
}
