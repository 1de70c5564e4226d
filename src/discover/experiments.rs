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

/// Reads `dir/experiments.csv` (or, in a sweep's folder, `dir/sweep.csv`)
/// and the column of `target` (its name as the scenario gives it, or its
/// column `met_<target>`).
pub fn read(dir: &Path, target: &str) -> Result<Experiments> {
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
    let bad =
        |row: usize, key: &str, m: String| Error::input(InputProblem::new(&file, key, m).at(format!("row {row}")));
    let mut lines = text.lines();
    let Some(first) = lines.next().filter(|l| !l.trim().is_empty()) else {
        return Err(bad(
            1,
            "",
            "is empty; expected a header naming the inputs and the targets' met_ columns".into(),
        ));
    };
    let header: Vec<&str> = first.split(',').collect();
    let met_columns: Vec<&str> = header.iter().copied().filter(|h| h.starts_with("met_")).collect();
    let wanted = if target.starts_with("met_") {
        target.to_string()
    } else {
        format!("met_{}", column_name(target))
    };
    let Some(col) = header.iter().position(|h| *h == wanted) else {
        let names: Vec<&str> = met_columns.iter().map(|c| c.trim_start_matches("met_")).collect();
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
    let input_cols: Vec<usize> = (0..header.len())
        .filter(|&j| match &swept {
            Some(keys) => keys.iter().any(|k| k == header[j]),
            None => j > 0 && !header[j].starts_with("met_") && !header[j].starts_with("measured_"),
        })
        .collect();
    if input_cols.is_empty() {
        return Err(Error::input(InputProblem::new(
            &file,
            "",
            "no uncertain input: the scenario states no [uncertainty] parameters or stochastic shocks to discover in",
        )));
    }
    let (mut x, mut met) = (Vec::new(), Vec::new());
    for (i, line) in lines.enumerate() {
        let row = i + 2;
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != header.len() {
            return Err(bad(
                row,
                "",
                format!("{} cells where the header has {}", cells.len(), header.len()),
            ));
        }
        let mut point = Vec::with_capacity(input_cols.len());
        for &j in &input_cols {
            let v: f64 = cells[j]
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| bad(row, header[j], format!("`{}` is not a finite number", cells[j])))?;
            point.push(v);
        }
        x.push(point);
        met.push(match cells[col] {
            "true" => true,
            "false" => false,
            other => return Err(bad(row, header[col], format!("`{other}`: expected true or false"))),
        });
    }
    if x.is_empty() {
        return Err(bad(1, "", "holds no draw".into()));
    }
    Ok(Experiments {
        inputs: input_cols.iter().map(|&j| header[j].to_string()).collect(),
        x,
        met,
        target: header[col].to_string(),
        rows: if sweep { "points" } else { "draws" },
    })
}
