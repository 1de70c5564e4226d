//! The parameter reference: every key a scenario states is declared, the
//! README holds the declarations' reference as `migsim params` prints it,
//! and the README's tables of levers and shocks list their declared keys.

use super::*;
use migsim::declare::ParamDoc;
use std::collections::BTreeSet;

fn reference() -> Vec<ParamDoc> {
    migsim::scenario::sections::reference()
}

/// `a.*.b` matches `a.x.b`, segment by segment.
fn matches(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len() && p.iter().zip(&k).all(|(p, k)| *p == "*" || p == k)
}

fn declared(docs: &[ParamDoc], key: &str) -> Option<&'static str> {
    docs.iter().find(|d| matches(&d.key, key)).map(|d| d.kind)
}

/// The leaf keys of a scenario file, in the reference's form: named array
/// entries as `*`, policies and shocks by kind, year-path knots not split.
fn leaf_keys(docs: &[ParamDoc], prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) if declared(docs, &key) != Some("year path") => match key.as_str() {
                "policies" => {
                    for (name, p) in t {
                        let p = p.as_table().unwrap();
                        let kind = p.get("kind").and_then(|k| k.as_str()).unwrap_or(name);
                        let mut p = p.clone();
                        p.remove("kind");
                        leaf_keys(docs, &format!("policies.{kind}"), &p, out);
                    }
                }
                "uncertainty.parameters" | "calibration.parameters" => {
                    out.insert(format!("{key}.*"));
                }
                _ => leaf_keys(docs, &key, t, out),
            },
            toml::Value::Array(items) if items.iter().all(|i| i.is_table()) => {
                for item in items {
                    let t = item.as_table().unwrap();
                    match key.as_str() {
                        "shocks" | "uncertainty.shocks" => {
                            let kind = t["kind"].as_str().unwrap();
                            let mut rest = t.clone();
                            rest.remove("kind");
                            if key == "uncertainty.shocks" {
                                out.insert("uncertainty.shocks.*.kind".into());
                                if rest.remove("yearly_probability").is_some() {
                                    out.insert("uncertainty.shocks.*.yearly_probability".into());
                                }
                                // A drawn magnitude is a distribution table, not split.
                                for (m, v) in &rest {
                                    if v.is_table() {
                                        out.insert(format!("shocks.{kind}.{m}"));
                                    }
                                }
                                rest.retain(|_, v| !v.is_table());
                            }
                            leaf_keys(docs, &format!("shocks.{kind}"), &rest, out);
                        }
                        _ => leaf_keys(docs, &format!("{key}.*"), t, out),
                    }
                }
            }
            _ => {
                out.insert(key);
            }
        }
    }
}

#[test]
fn every_key_of_every_pack_scenario_is_declared() {
    let docs = reference();
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(repo().join("scenarios/kyrgyzstan")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let table: toml::Table = text.parse().unwrap();
        leaf_keys(&docs, "", &table, &mut keys);
    }
    let baseline: toml::Table = std::fs::read_to_string(repo().join("scenarios/kyrgyzstan/baseline.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let mut base_keys = BTreeSet::new();
    leaf_keys(&docs, "", &baseline, &mut base_keys);
    assert!(base_keys.len() > 120, "too few leaf keys found: {}", base_keys.len());
    assert!(base_keys.contains("destinations.*.wage_growth"));
    let missing: Vec<&String> = keys.iter().filter(|k| declared(&docs, k).is_none()).collect();
    assert!(
        missing.is_empty(),
        "keys the pack uses but no declaration gives: {missing:?}"
    );
}

#[test]
fn every_lever_and_shock_kind_is_in_the_reference_with_its_timing() {
    let docs = reference();
    let has = |k: String| docs.iter().any(|d| d.key == k);
    for kind in migsim::params::Lever::KINDS {
        for key in ["start", "end", "ramp_years"] {
            assert!(has(format!("policies.{kind}.{key}")), "policies.{kind}.{key}");
        }
    }
    for kind in migsim::params::ShockEvent::KINDS {
        for key in ["year", "duration_years", "recovery_years"] {
            assert!(has(format!("shocks.{kind}.{key}")), "shocks.{kind}.{key}");
        }
    }
    let gamma = docs.iter().find(|d| d.key == "emigration.gamma").unwrap();
    assert_eq!((gamma.min, gamma.max, gamma.unit), (Some(0.0), Some(10.0), "-"));
    let access = docs.iter().find(|d| d.key == "destinations.*.access").unwrap();
    assert_eq!(access.default.as_deref(), Some("0"));
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

#[test]
fn the_readme_reference_is_what_migsim_params_prints() {
    let text = readme();
    let start = text.find("<!-- params:start -->\n").expect("start marker") + "<!-- params:start -->\n".len();
    let end = text.find("<!-- params:end -->").expect("end marker");
    let printed = migsim().args(["params", "--format", "markdown"]).output().unwrap();
    assert!(printed.status.success());
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert_eq!(
        &text[start..end],
        migsim::output::reference::markdown(&reference()),
        "README's parameter reference differs from the declarations: regenerate it with \
         `migsim params --format markdown`"
    );
    assert_eq!(printed, &text[start..end]);
}

#[test]
fn params_json_gives_every_key_with_unit_range_default_and_description() {
    let o = migsim().args(["params", "--format", "json"]).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), reference().len());
    for field in ["key", "unit", "min", "max", "default", "description"] {
        assert!(rows.iter().all(|r| r.get(field).is_some()), "`{field}` missing");
    }
    let jobs = rows
        .iter()
        .find(|r| r["key"] == "policies.domestic_jobs.jobs_per_year")
        .unwrap();
    assert_eq!(jobs["unit"], "jobs/year");
    assert_eq!(jobs["max"], 1e7);
}

/// The README's lever and shock tables list, per kind, the keys declared for
/// it (beyond the timing keys every kind has).
#[test]
fn the_readme_tables_of_levers_and_shocks_list_their_declared_keys() {
    let docs = reference();
    let text = readme();
    // Keys every lever or shock has, described once beside the tables.
    let timing = [
        "start",
        "end",
        "ramp_years",
        "cost.usd_per_unit",
        "cost.source",
        "year",
        "duration_years",
        "recovery_years",
    ];
    let mut seen = 0;
    for (section, kinds) in [
        ("policies", migsim::params::Lever::KINDS),
        ("shocks", migsim::params::ShockEvent::KINDS),
    ] {
        for line in text.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').collect();
            let named: Vec<&str> = cells[1].split('`').skip(1).step_by(2).collect();
            if !named.iter().all(|n| kinds.contains(n)) {
                continue;
            }
            let listed: BTreeSet<String> = cells[2].split('`').skip(1).step_by(2).map(String::from).collect();
            for kind in named {
                seen += 1;
                let prefix = format!("{section}.{kind}.");
                let declared: BTreeSet<String> = docs
                    .iter()
                    .filter_map(|d| d.key.strip_prefix(&prefix))
                    .filter(|k| !timing.contains(k))
                    .map(String::from)
                    .collect();
                assert_eq!(listed, declared, "README row of `{kind}`");
            }
        }
    }
    assert_eq!(
        seen,
        migsim::params::Lever::KINDS.len() + migsim::params::ShockEvent::KINDS.len()
    );
}
