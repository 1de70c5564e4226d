//! `report.md`: what a scenario assumed, its headline figures in the base
//! year, 2030, 2040 and the last year, its targets, and its charts.

use crate::model::{Dim, Indicator, Trajectory};
use crate::params::Params;
use crate::targets::TargetResult;

const ROWS: [(&str, Indicator, f64, &str); 9] = [
    ("Residents", Indicator::PopulationHome, 1.0, "persons"),
    ("Citizens abroad", Indicator::PopulationAbroad, 1.0, "persons"),
    ("Emigrants", Indicator::Emigrants, 1.0, "per year"),
    ("Returns", Indicator::Returns, 1.0, "per year"),
    ("Remittances", Indicator::RemittancesUsd, 1e-6, "USD million"),
    ("Remittances", Indicator::RemittancesShareGdp, 100.0, "% of GDP"),
    (
        "Tertiary emigration rate",
        Indicator::TertiaryEmigrationRate,
        100.0,
        "%",
    ),
    ("Youth 15-29 abroad", Indicator::YouthAbroadShare, 100.0, "%"),
    ("Unemployment", Indicator::UnemploymentRate, 100.0, "%"),
];

/// The charts, linked, as a Markdown section (empty without charts).
fn charts_section(charts: &[String]) -> String {
    if charts.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n## Charts\n\n");
    for c in charts {
        s.push_str(&format!("![{c}](charts/{c})\n\n"));
    }
    s
}

/// A target's measured quantity: the value, or its relative change in %.
fn measured(t: &TargetResult) -> String {
    match t.reference_value {
        None => fmt(t.measured),
        Some(_) => format!("{:+.1}%", 100.0 * t.measured),
    }
}

fn verdict(t: &TargetResult) -> &'static str {
    if t.met { "met" } else { "**not met**" }
}

/// A whole number with thousands grouped: `1,234,567`.
pub fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

fn fmt(v: f64) -> String {
    if v.abs() >= 1000.0 {
        thousands(v)
    } else {
        format!("{v:.1}")
    }
}

pub fn markdown(
    p: &Params,
    run: &Trajectory,
    targets: &[TargetResult],
    no_ops: &[crate::noop::NoOp],
    charts: &[String],
) -> String {
    let mut s = format!("# {}\n\n{}\n\n", p.name, p.description);
    s.push_str(&format!(
        "Projection {}–{} over {} regions and {} destinations ({}).\n\n",
        p.start_year,
        p.end_year,
        p.regions.len(),
        p.destinations.len(),
        p.destinations
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str("## Assumptions\n\n");
    if p.policies.is_empty() && p.shocks.is_empty() && p.international_migration_scale == 1.0 {
        s.push_str("- No policy levers and no shocks: current trends.\n");
    }
    for pol in &p.policies {
        let end = pol.timing.end.map(|e| format!(" to {e}")).unwrap_or_default();
        s.push_str(&format!(
            "- Policy `{}` ({}): from {}{end}, reaching full strength over {} years.\n",
            pol.name,
            pol.lever.label(),
            pol.timing.start,
            pol.timing.ramp_years
        ));
    }
    for sh in &p.shocks {
        s.push_str(&format!(
            "- Shock: {} in {}, lasting {} years, recovering over {} years.\n",
            sh.event.label(),
            sh.year,
            sh.duration_years,
            sh.recovery_years
        ));
    }
    if p.international_migration_scale != 1.0 {
        s.push_str(&format!(
            "- Every international migration hazard and arrival × {}.\n",
            p.international_migration_scale
        ));
    }
    if !no_ops.is_empty() {
        s.push_str("\n### What changed nothing\n\n");
        for n in no_ops {
            s.push_str(&format!("- `{}` {}.\n", n.key, n.reason));
        }
    }
    let years: Vec<i32> = [p.start_year, 2030, 2040, p.end_year]
        .into_iter()
        .filter(|y| (p.start_year..=p.end_year).contains(y))
        .fold(Vec::new(), |mut v, y| {
            if !v.contains(&y) {
                v.push(y);
            }
            v
        });
    s.push_str("\n## Headline figures\n\nStocks at 1 January; flows during the year (the last year's flows are those of the year before).\n\n| indicator | unit |");
    for y in &years {
        s.push_str(&format!(" {y} |"));
    }
    s.push_str("\n|---|---|");
    s.push_str(&"---:|".repeat(years.len()));
    s.push('\n');
    for (label, ind, scale, unit) in ROWS {
        s.push_str(&format!("| {label} | {unit} |"));
        for &y in &years {
            let y = if ind.is_flow() { y.min(p.end_year - 1) } else { y };
            let v = run.get(ind, Dim::Total, y).map(|v| fmt(v * scale)).unwrap_or_default();
            s.push_str(&format!(" {v} |"));
        }
        s.push('\n');
    }
    s.push_str("\n## Targets\n\n");
    if targets.is_empty() {
        s.push_str("This scenario states no targets.\n");
    } else {
        s.push_str("| target | year | measured | bound | result |\n|---|---|---:|---|---|\n");
        for t in targets {
            let b = match t.reference_value {
                None => format!("{} {}", t.bound, fmt(t.limit)),
                Some(_) => format!("{} {:+.1}% vs {}", t.bound, 100.0 * t.limit, t.reference),
            };
            s.push_str(&format!(
                "| {} | {} | {} | {b} | {} |\n",
                t.name,
                t.year,
                measured(t),
                verdict(t)
            ));
        }
    }
    s.push_str(&charts_section(charts));
    s
}

/// `report.md` of a comparison: each scenario's description, the headline
/// figures of every scenario in `year` with differences from the first, each
/// scenario's targets, and the comparison charts.
pub fn comparison_markdown(
    scenarios: &[(&Params, &Trajectory, &[TargetResult])],
    year: i32,
    charts: &[String],
) -> String {
    let Some((first, first_run, _)) = scenarios.first() else {
        return String::new();
    };
    let mut s = format!(
        "# Comparison with {}\n\nValues in {year} (flows: during {year}, or the last projected year); in brackets the difference from {} (relative for counts, in points for shares).\n\n",
        first.name, first.name
    );
    s.push_str("| scenario | what it changes |");
    for (label, _, _, unit) in ROWS {
        s.push_str(&format!(" {label} ({unit}) |"));
    }
    s.push_str("\n|---|---|");
    s.push_str(&"---:|".repeat(ROWS.len()));
    s.push('\n');
    for (i, (p, run, _)) in scenarios.iter().enumerate() {
        s.push_str(&format!("| {} | {} |", p.name, p.description));
        for (_, ind, scale, unit) in ROWS {
            let y = if ind.is_flow() { year.min(p.end_year - 1) } else { year };
            let v = run.get(ind, Dim::Total, y).map(|v| v * scale);
            let r = first_run.get(ind, Dim::Total, y).map(|v| v * scale);
            let cell = match (v, r) {
                (Some(v), Some(r)) if i > 0 && (unit == "%" || unit == "% of GDP") => {
                    format!("{} ({:+.2})", fmt(v), v - r)
                }
                (Some(v), Some(r)) if i > 0 && r != 0.0 => format!("{} ({:+.1}%)", fmt(v), 100.0 * (v / r - 1.0)),
                (Some(v), _) => fmt(v),
                _ => String::new(),
            };
            s.push_str(&format!(" {cell} |"));
        }
        s.push('\n');
    }
    let with_targets: Vec<_> = scenarios.iter().filter(|(_, _, t)| !t.is_empty()).collect();
    if !with_targets.is_empty() {
        s.push_str("\n## Targets\n\n| scenario | target | year | measured | result |\n|---|---|---|---:|---|\n");
        for (p, _, targets) in with_targets {
            for t in targets.iter() {
                s.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    p.name,
                    t.name,
                    t.year,
                    measured(t),
                    verdict(t)
                ));
            }
        }
    }
    s.push_str(&charts_section(charts));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(fmt(7_037_485.0), "7,037,485");
        assert_eq!(fmt(-15_488.4), "-15,488");
        assert_eq!(fmt(18.77), "18.8");
    }
}
