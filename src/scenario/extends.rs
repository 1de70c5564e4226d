//! Reading a scenario file and the chain of files it `extends`, merged into one
//! TOML table: tables merge key by key, arrays of named tables (`[[destinations]]`)
//! merge element by element on `name`, and everything else in the child
//! replaces the parent's value.

use super::source::{ReadLog, Source, normalize};
use crate::error::{Error, InputProblem, Result};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// One file of the chain, kept for locating keys in error messages.
#[derive(Clone)]
pub struct ChainFile {
    pub display: String,
    pub text: String,
}

/// The most files an `extends` chain may hold: real chains hold two to
/// four, and a bound keeps a generated chain from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Loads `path` and its ancestors; returns the merged table and the files,
/// leaf first.
pub fn load_chain(path: &Path, source: &dyn Source, log: &ReadLog) -> Result<(Table, Vec<ChainFile>)> {
    let mut files = Vec::new();
    let mut visiting = Vec::new();
    let table = load_one(path, source, log, &mut visiting, &mut files)?;
    Ok((table, files))
}

fn load_one(
    path: &Path,
    source: &dyn Source,
    log: &ReadLog,
    visiting: &mut Vec<PathBuf>,
    files: &mut Vec<ChainFile>,
) -> Result<Table> {
    let key = normalize(path);
    let display = source.display(path);
    if visiting.len() >= MAX_DEPTH {
        return Err(Error::input(InputProblem::new(
            source.display(visiting.last().expect("a deep chain has a child")),
            "scenario.extends",
            format!("`extends` chains more than {MAX_DEPTH} files; expected a shorter chain"),
        )));
    }
    if visiting.contains(&key) {
        let mut chain: Vec<String> = visiting.iter().map(|p| p.display().to_string()).collect();
        chain.push(key.display().to_string());
        return Err(Error::input(InputProblem::new(
            source.display(visiting.last().expect("a cycle needs a child")),
            "scenario.extends",
            format!("`extends` forms a cycle: {}", chain.join(" -> ")),
        )));
    }
    let text = log
        .read(source, path)
        .map_err(|why| Error::input(InputProblem::new(&display, "", format!("cannot read scenario: {why}"))))?;
    let mut table: Table = text.parse().map_err(|e: toml::de::Error| {
        let mut p = InputProblem::new(&display, "", format!("TOML syntax error: {}", e.message()));
        if let Some(span) = e.span() {
            p = p.at(line_col(&text, span.start));
        }
        Error::input(p)
    })?;
    if let Some(p) = repeated_name(&table, &display, &text) {
        return Err(Error::input(p));
    }
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    resolve_table_paths(&mut table, &dir);
    let this = ChainFile {
        display: display.clone(),
        text,
    };
    files.push(this.clone());

    let parent = match table.get_mut("scenario").and_then(|s| s.as_table_mut()) {
        Some(meta) => match meta.remove("extends") {
            Some(Value::String(p)) => Some(p),
            Some(_) => {
                let here = [this.clone()];
                let mut p = InputProblem::new(
                    &display,
                    "scenario.extends",
                    "expected a path to the parent scenario, relative to this file",
                );
                if let Some((_, line)) = super::locate::locate(&here, "scenario.extends") {
                    p = p.at(line.to_string());
                }
                return Err(Error::input(p));
            }
            None => None,
        },
        None => None,
    };
    match parent {
        None => Ok(table),
        Some(p) => {
            visiting.push(key);
            let base = load_one(&dir.join(&p), source, log, visiting, files).map_err(|e| match e {
                Error::Input(mut ps)
                    if ps.len() == 1 && ps[0].key.is_empty() && ps[0].message.starts_with("cannot read") =>
                {
                    ps[0] = InputProblem::new(&display, "scenario.extends", format!("parent `{p}`: {}", ps[0].message));
                    if let Some((_, line)) = super::locate::locate(std::slice::from_ref(&this), "scenario.extends") {
                        ps[0] = ps[0].clone().at(line.to_string());
                    }
                    Error::Input(ps)
                }
                other => other,
            })?;
            visiting.pop();
            Ok(merge(base, table))
        }
    }
}

/// A named entry stated twice in one file, which merging with a parent
/// would otherwise fold into one without a word.
fn repeated_name(table: &Table, display: &str, text: &str) -> Option<InputProblem> {
    for (key, v) in table {
        let Value::Array(items) = v else { continue };
        let mut seen = Vec::new();
        for name in items.iter().filter_map(name_of) {
            if seen.contains(&name) {
                let here = [ChainFile {
                    display: display.to_string(),
                    text: text.to_string(),
                }];
                let mut p = InputProblem::new(
                    display,
                    format!("{key}[{name}]"),
                    format!("name `{name}` appears twice in this file; expected distinct names"),
                );
                if let Some((_, line)) = super::locate::locate(&here, &format!("{key}[{name}]")) {
                    p = p.at(line.to_string());
                }
                return Some(p);
            }
            seen.push(name);
        }
    }
    None
}

/// `line:column`, both from 1, of a byte offset.
pub fn line_col(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{line}:{col}")
}

/// Keys ending in `_csv` (tables) and `relative_to_scenario` (another scenario)
/// name files relative to the file that states them; made
/// relative to the working directory here, so that a child need not know where
/// its parent's data live.
fn resolve_table_paths(table: &mut Table, dir: &Path) {
    for (k, v) in table.iter_mut() {
        match v {
            Value::String(s) if k.ends_with("_csv") || k == "relative_to_scenario" => {
                *s = dir.join(&*s).display().to_string();
            }
            Value::Table(t) => resolve_table_paths(t, dir),
            Value::Array(items) => {
                for item in items {
                    if let Value::Table(t) = item {
                        resolve_table_paths(t, dir);
                    }
                }
            }
            _ => {}
        }
    }
}

pub fn merge(base: Table, child: Table) -> Table {
    merge_at(base, child, &[])
}

/// The tables whose entries are each one value (a distribution), which a
/// child replaces whole rather than merges key by key: a child's
/// `{ uniform = ... }` must not join its parent's `{ normal = ... }`.
const WHOLE_ENTRIES: &[&[&str]] = &[&["uncertainty", "parameters"], &["calibration", "parameters"]];

fn merge_at(mut base: Table, child: Table, path: &[&str]) -> Table {
    let whole = WHOLE_ENTRIES.contains(&path);
    for (k, v) in child {
        let mut inner: Vec<&str> = path.to_vec();
        inner.push(&k);
        let merged = match (base.remove(&k), v) {
            (Some(Value::Table(b)), Value::Table(c)) if !whole => Value::Table(merge_at(b, c, &inner)),
            (Some(Value::Array(b)), Value::Array(c)) if all_named(&b) && all_named(&c) => {
                Value::Array(merge_named(b, c))
            }
            (_, v) => v,
        };
        base.insert(k, merged);
    }
    base
}

fn name_of(v: &Value) -> Option<&str> {
    v.as_table()?.get("name")?.as_str()
}

fn all_named(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|v| name_of(v).is_some())
}

fn merge_named(mut base: Vec<Value>, child: Vec<Value>) -> Vec<Value> {
    for c in child {
        let name = name_of(&c).map(str::to_owned);
        match base.iter().position(|b| name_of(b) == name.as_deref()) {
            Some(i) => {
                let b = std::mem::replace(&mut base[i], Value::Boolean(false));
                base[i] = match (b, c) {
                    (Value::Table(b), Value::Table(c)) => Value::Table(merge(b, c)),
                    (_, c) => c,
                };
            }
            None => base.push(c),
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Table {
        s.parse().unwrap()
    }

    #[test]
    fn a_childs_distribution_replaces_its_parents_whole() {
        let base = t(
            "[uncertainty.parameters]\n\"a.b\" = { normal = { mean = 0, sd = 1 } }\n\"c\" = { uniform = { min = 0, max = 1 } }",
        );
        let child = t("[uncertainty.parameters]\n\"a.b\" = { uniform = { min = 0, max = 2 } }");
        let m = merge(base, child);
        let ps = m["uncertainty"]["parameters"].as_table().unwrap();
        assert_eq!(ps["a.b"].as_table().unwrap().keys().collect::<Vec<_>>(), ["uniform"]);
        assert!(ps.contains_key("c"), "the parent's other entries stay");
    }

    #[test]
    fn tables_merge_deeply_and_scalars_replace() {
        let m = merge(t("[a]\nx = 1\ny = 2\n[b]\nz = 3"), t("[a]\ny = 20"));
        assert_eq!(m["a"]["x"].as_integer(), Some(1));
        assert_eq!(m["a"]["y"].as_integer(), Some(20));
        assert_eq!(m["b"]["z"].as_integer(), Some(3));
    }

    #[test]
    fn named_arrays_merge_by_name_and_append_new_names() {
        let base = t("[[d]]\nname = \"ru\"\nw = 1\n[[d]]\nname = \"kz\"\nw = 2");
        let child = t("[[d]]\nname = \"kz\"\nw = 5\n[[d]]\nname = \"kr\"\nw = 9");
        let m = merge(base, child);
        let d = m["d"].as_array().unwrap();
        let names: Vec<_> = d.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["ru", "kz", "kr"]);
        assert_eq!(d[1]["w"].as_integer(), Some(5));
    }

    #[test]
    fn plain_arrays_replace() {
        let m = merge(t("a = [1, 2, 3]"), t("a = [4]"));
        assert_eq!(m["a"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), "2:2");
    }
}
