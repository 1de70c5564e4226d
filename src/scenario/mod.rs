//! Reading scenarios: `source` (disk or bundled files) → `extends` (the chain of
//! parent files merged into one TOML table) → `raw` (serde mirror, unknown keys
//! refused) → `validate` (ranges, names, CSV `tables`) → checked `Params`.
//!
//! Nothing past this module sees TOML or files.

pub mod distribution;
pub mod extends;
pub mod locate;
pub mod posterior;
pub mod raw;
pub mod sections;
pub mod source;
pub mod tables;
pub mod uncertainty;
pub mod validate;

use crate::error::{Error, InputProblem, Result};
use crate::params::Params;
use extends::ChainFile;
use source::{Embedded, ReadLog, Source};
use std::path::{Path, PathBuf};

/// A loaded scenario and every file that went into it, with its SHA-256.
pub struct Loaded {
    pub params: Params,
    pub files: Vec<(String, String)>,
    /// What an ensemble needs to make each draw's parameters.
    pub template: Template,
}

/// What an ensemble needs beside the checked parameters: the draws and
/// stochastic shocks of `[uncertainty]`, each shock already a checked event
/// whose year and magnitude a draw sets.
#[derive(Clone, Default)]
pub struct Template {
    /// The scenario's own file, which draw problems name.
    pub file: String,
    /// Its folder: paths written into outputs are relative to it.
    pub folder: PathBuf,
    /// The texts of the scenario's files, leaf first, to place a later
    /// problem (a draw's) at its line.
    pub chain: std::sync::Arc<Vec<extends::ChainFile>>,
    pub uncertainty: Option<uncertainty::Uncertainty>,
    /// `[calibration]`, for `migsim calibrate`.
    pub calibration: Option<crate::calibrate::Spec>,
    pub shock_events: Vec<crate::params::ShockEvent>,
}

/// The Kyrgyz pack, compiled in so that `migsim run` needs no files.
pub const BUNDLED: Embedded = Embedded {
    files: &[
        (
            "scenarios/kyrgyzstan/baseline.toml",
            include_str!("../../scenarios/kyrgyzstan/baseline.toml"),
        ),
        (
            "scenarios/data/home_2023.csv",
            include_str!("../../scenarios/data/home_2023.csv"),
        ),
        (
            "scenarios/data/abroad_2023.csv",
            include_str!("../../scenarios/data/abroad_2023.csv"),
        ),
        (
            "scenarios/data/posterior_backtest_2016.csv",
            include_str!("../../scenarios/data/posterior_backtest_2016.csv"),
        ),
        (
            "scenarios/data/mx_wpp2024_2010_2020.csv",
            include_str!("../../scenarios/data/mx_wpp2024_2010_2020.csv"),
        ),
    ],
};

pub const BUNDLED_BASELINE: &str = "scenarios/kyrgyzstan/baseline.toml";

pub fn load(path: &Path, source: &dyn Source) -> Result<Loaded> {
    let log = ReadLog::new(path);
    let (table, files) = extends::load_chain(path, source, &log)?;
    let files = std::sync::Arc::new(files);
    let mut loaded = load_chain(path, table, &files, source, &log).map_err(|e| locate_problems(e, &files))?;
    loaded.files = log.into_entries();
    Ok(loaded)
}

/// Places every problem that names a key of the scenario's files but no
/// line at the file and line that set the key.
pub fn locate_problems(e: Error, files: &[extends::ChainFile]) -> Error {
    match e {
        Error::Input(mut ps) => {
            for p in ps.iter_mut().filter(|p| p.location.is_none()) {
                if files.iter().any(|f| f.display == p.file)
                    && let Some((file, line)) = locate::locate(files, &p.key)
                {
                    p.file = file;
                    p.location = Some(line.to_string());
                }
            }
            Error::Input(ps)
        }
        other => other,
    }
}

fn load_chain(
    path: &Path,
    table: toml::Table,
    files: &std::sync::Arc<Vec<extends::ChainFile>>,
    source: &dyn Source,
    log: &ReadLog,
) -> Result<Loaded> {
    let raw = deserialize(table, files)?;
    let mut uncertainty = match &raw.uncertainty {
        // `draws = 0` switches off an [uncertainty] inherited from a parent.
        Some(u) => Some(uncertainty::read(&files[0].display, u).map_err(Error::Input)?).filter(|u| u.draws > 0),
        None => None,
    };
    if let Some(u) = &mut uncertainty
        && let Some(path) = u.posterior_csv.clone()
    {
        let shown = source.display(Path::new(&path));
        let text = log.read(source, Path::new(&path)).map_err(|why| {
            Error::input(InputProblem::new(
                files[0].display.clone(),
                "uncertainty.posterior_csv",
                format!("cannot read {shown}: {why}"),
            ))
        })?;
        let post = uncertainty::read_posterior(&shown, &text).map_err(Error::Input)?;
        if let Some(k) = post.keys.iter().find(|k| u.parameters.iter().any(|(p, _)| p == *k)) {
            return Err(Error::input(InputProblem::new(
                files[0].display.clone(),
                format!("uncertainty.parameters.\"{k}\""),
                format!("is also drawn from {shown}; expected each key in one place"),
            )));
        }
        u.posterior = Some(post);
    }
    let calibration = match &raw.calibration {
        Some(t) => Some(crate::calibrate::read_spec(&files[0].display, t).map_err(Error::Input)?),
        None => None,
    };
    let params = validate::validate(raw, files, source, log).map_err(Error::Input)?;
    let file = files[0].display.clone();
    let shock_events = match &uncertainty {
        Some(u) => uncertainty::shock_events(u, &params, &file).map_err(Error::Input)?,
        None => Vec::new(),
    };
    let template = Template {
        file,
        folder: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        chain: files.clone(),
        uncertainty,
        calibration,
        shock_events,
    };
    Ok(Loaded {
        params,
        files: Vec::new(),
        template,
    })
}

pub fn load_file(path: &Path) -> Result<Loaded> {
    load(path, &source::Disk)
}

pub fn load_bundled_baseline() -> Result<Loaded> {
    load(Path::new(BUNDLED_BASELINE), &BUNDLED)
}

fn deserialize(mut table: toml::Table, files: &[ChainFile]) -> Result<raw::RawScenario> {
    name_policy_kinds(&mut table);
    if let Some(toml::Value::Array(targets)) = table.get("targets") {
        for t in targets {
            if let Some(name) = t.get("indicator").and_then(|v| v.as_str()) {
                crate::warn_renamed(name);
            }
        }
    }
    let value = toml::Value::Table(table);
    serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let mut key = readable_path(e.path(), &value);
        let message = explain(e.inner().to_string());
        // serde names an unknown key in its message, not in the path.
        if let Some(given) = message.strip_prefix("unknown key `").and_then(|r| r.split('`').next())
            && !key.ends_with(given)
        {
            key = format!("{key}.{given}");
        }
        // A missing section has no line to point at: the problem is the file's.
        if key == "(top level)"
            && let Some(section) = message
                .strip_prefix("missing field `")
                .and_then(|r| r.strip_suffix('`'))
        {
            return Error::input(InputProblem::new(
                files[0].display.clone(),
                "",
                format!("missing the section `[{section}]` (in this file or a parent it extends)"),
            ));
        }
        // For an unknown key the path already ends in it; for a missing one the
        // path is its parent table, which is where it must be added.
        let (file, line) = match locate::locate(files, &key) {
            Some((f, l)) => (f, Some(l)),
            None => (files[0].display.clone(), None),
        };
        let mut p = InputProblem::new(file, key, message);
        if let Some(l) = line {
            p = p.at(l.to_string());
        }
        Error::input(p)
    })
}

/// `[policies.domestic_jobs]` needs no `kind`: the table's name is its kind.
fn name_policy_kinds(table: &mut toml::Table) {
    if let Some(toml::Value::Table(policies)) = table.get_mut("policies") {
        for (name, policy) in policies.iter_mut() {
            if let toml::Value::Table(t) = policy {
                t.entry("kind").or_insert_with(|| toml::Value::String(name.clone()));
            }
        }
    }
}

/// `destinations[1].wage_usd` becomes `destinations[turkey].wage_usd`: names are
/// what the user wrote, indices are not.
fn readable_path(path: &serde_path_to_error::Path, root: &toml::Value) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    let mut node = Some(root);
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                let item = node.and_then(|n| n.as_array()).and_then(|a| a.get(*index));
                match item.and_then(|i| i.get("name")).and_then(|n| n.as_str()) {
                    Some(name) => out.push_str(&format!("[{name}]")),
                    None => out.push_str(&format!("[{index}]")),
                }
                node = item;
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
                node = node.and_then(|n| n.get(key));
            }
            Segment::Unknown => {}
        }
    }
    if out.is_empty() { "(top level)".into() } else { out }
}

/// Adds "did you mean" to serde's unknown-field message.
fn explain(message: String) -> String {
    // The TOML deserializer appends the key path, which the message already names.
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let message = match message.rfind(" in `") {
        Some(i) if message.ends_with('`') => message[..i].to_string(),
        _ => message,
    };
    let message = message
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected a whole number");
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (given, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        let hint = locate::did_you_mean(given, &expected)
            .map(|m| format!("; did you mean `{m}`?"))
            .unwrap_or_default();
        return format!(
            "unknown kind `{given}`{hint} (expected one of: {})",
            expected.join(", ")
        );
    }
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((given, tail)) = rest.split_once('`') else {
        return message;
    };
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    match locate::did_you_mean(given, &expected) {
        Some(m) => format!(
            "unknown key `{given}`; did you mean `{m}`? (expected one of: {})",
            expected.join(", ")
        ),
        None => format!("unknown key `{given}`; expected one of: {}", expected.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_message_gains_a_hint() {
        let m = explain("unknown field `end_yeer`, expected `start` or `end_year`".into());
        assert!(m.contains("did you mean `end_year`"), "{m}");
    }

    #[test]
    fn bundled_baseline_loads() {
        let l = load_bundled_baseline().unwrap();
        assert_eq!(l.params.regions.len(), 9);
        // The scenario, its three tables and the posterior its ensembles draw from.
        assert_eq!(l.files.len(), 5);
    }
}
