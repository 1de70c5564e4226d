//! The briefing report of a run or a comparison, written twice from one
//! `Document`: `report.md` for version control and `report.html`, a single
//! self-contained page for a ministry desk.
//!
//! What a run's report says, in order: a five-line summary in words; the
//! assumptions in plain language (every lever's sizes, years and ramp, the
//! uncertainty an ensemble drew from); what changed nothing; the headline
//! figures (under an ensemble: median and 90% band, and the central run
//! named as such); the targets (with their probability under an ensemble);
//! the charts; the data sources and the inputs with their digests.

pub mod document;
pub mod html;
mod words;

use crate::ensemble::Ensemble;
use crate::model::{Dim, Indicator, Trajectory};
use crate::noop::NoOp;
use crate::params::Params;
use crate::scenario::uncertainty::Uncertainty;
use crate::targets::TargetResult;
use document::{Block, Document, Table};
pub use words::{fmt, thousands};

/// The headline rows: label, indicator, display scale and unit.
pub const ROWS: [(&str, Indicator, f64, &str); 9] = [
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

/// Everything a run's report reads.
pub struct RunContent<'a> {
    pub params: &'a Params,
    /// The scenario as written (the central run of an ensemble).
    pub run: &'a Trajectory,
    pub targets: &'a [TargetResult],
    pub no_ops: &'a [NoOp],
    pub charts: &'a [String],
    pub ensemble: Option<&'a Ensemble>,
    pub uncertainty: Option<&'a Uncertainty>,
    /// Input files as the manifest lists them: path and SHA-256.
    pub inputs: &'a [(String, String)],
}

/// The year a row is read in: flows of the last year are those of the year before.
fn row_year(p: &Params, ind: Indicator, y: i32) -> i32 {
    if ind.is_flow() { y.min(p.end_year - 1) } else { y }
}

/// The base year, 2030, 2040 and the last year, those inside the horizon.
fn headline_years(p: &Params) -> Vec<i32> {
    let mut years = Vec::new();
    for y in [p.start_year, 2030, 2040, p.end_year] {
        if (p.start_year..=p.end_year).contains(&y) && !years.contains(&y) {
            years.push(y);
        }
    }
    years
}

/// An ensemble's mean, p5, p25, p50, p75, p95 of a national total.
fn quantiles(e: &Ensemble, ind: Indicator, year: i32) -> Option<[f64; 6]> {
    let i = e
        .central
        .rows
        .iter()
        .position(|r| r.indicator == ind && r.dim == Dim::Total && r.year == year)?;
    e.summary.get(i).copied()
}

pub fn run_document(c: &RunContent) -> Document {
    let p = c.params;
    let mut d = Document::new(&p.name);
    if !p.description.is_empty() {
        d.paragraph(&p.description);
    }
    d.heading(2, "Summary");
    d.bullets(words::summary(c));
    d.heading(2, "Assumptions");
    d.bullets(words::assumptions(p, c.uncertainty, c.ensemble.map(Ensemble::n_draws)));
    if !c.no_ops.is_empty() {
        d.heading(3, "What changed nothing");
        d.bullets(c.no_ops.iter().map(|n| format!("`{}` {}.", n.key, n.reason)).collect());
    }
    d.heading(2, "Headline figures");
    d.paragraph("Stocks at 1 January; flows during the year (the last year's flows are those of the year before).");
    let years = headline_years(p);
    if let Some(e) = c.ensemble {
        d.paragraph(format!(
            "Median of {} draws, with the 90% band (5th to 95th percentile) in brackets.",
            e.n_draws()
        ));
        d.table(headline_table(p, &years, |ind, y| {
            quantiles(e, ind, y).map(|q| (q[3], Some((q[1], q[5]))))
        }));
        d.paragraph("The central run: the scenario as written, with every uncertain parameter at its stated value and no stochastic shock.");
    } else {
        d.paragraph("The scenario as written (one deterministic run).");
    }
    d.table(headline_table(p, &years, |ind, y| {
        c.run.get(ind, Dim::Total, y).map(|v| (v, None))
    }));
    d.heading(2, "Targets");
    if c.targets.is_empty() {
        d.paragraph("This scenario states no targets.");
    } else {
        d.table(targets_table(c.targets, c.ensemble.is_some()));
    }
    charts_section(&mut d, c.charts);
    d.heading(2, "Data sources");
    if p.sources.is_empty() {
        d.paragraph("The scenario lists no sources (`sources` under `[scenario]`).");
    } else {
        d.bullets(p.sources.clone());
    }
    d.heading(2, "Inputs");
    let mut t = Table::new(&["file", "SHA-256"], 2);
    t.numeric = vec![false, false];
    for (path, sha) in c.inputs {
        t.rows.push(vec![format!("`{path}`"), format!("`{sha}`")]);
    }
    d.table(t);
    d.paragraph(format!(
        "migsim {}{}; `manifest.json` holds the calibrated constants.",
        env!("CARGO_PKG_VERSION"),
        c.ensemble
            .map(|e| format!(", {} draws with seed {}", e.n_draws(), e.options.seed))
            .unwrap_or_default()
    ));
    d
}

/// The headline rows in `years`; `value` gives a figure and, under an
/// ensemble, its band.
fn headline_table(
    p: &Params,
    years: &[i32],
    value: impl Fn(Indicator, i32) -> Option<(f64, Option<(f64, f64)>)>,
) -> Table {
    let mut columns = vec!["indicator".to_string(), "unit".to_string()];
    columns.extend(years.iter().map(|y| y.to_string()));
    let mut t = Table {
        numeric: (0..columns.len()).map(|i| i >= 2).collect(),
        columns,
        rows: Vec::new(),
    };
    for (label, ind, scale, unit) in ROWS {
        let mut row = vec![label.to_string(), unit.to_string()];
        for &y in years {
            row.push(match value(ind, row_year(p, ind, y)) {
                Some((v, None)) => fmt(v * scale),
                Some((v, Some((lo, hi)))) => format!("{} ({}–{})", fmt(v * scale), fmt(lo * scale), fmt(hi * scale)),
                None => String::new(),
            });
        }
        t.rows.push(row);
    }
    t
}

/// A target's measured quantity: the value, or its relative change in %.
fn measured(t: &TargetResult) -> String {
    match t.reference_value {
        None => fmt(t.measured),
        Some(_) => format!("{:+.1}%", 100.0 * t.measured),
    }
}

fn bound(t: &TargetResult) -> String {
    match t.reference_value {
        None => format!("{} {}", t.bound.replace('_', " "), fmt(t.limit)),
        Some(_) => format!(
            "{} {:+.1}% vs {}",
            t.bound.replace('_', " "),
            100.0 * t.limit,
            t.reference
        ),
    }
}

fn verdict(t: &TargetResult) -> &'static str {
    if t.met { "met" } else { "**not met**" }
}

fn probability(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.2}")).unwrap_or_default()
}

fn targets_table(targets: &[TargetResult], ensemble: bool) -> Table {
    let mut cols = vec!["target", "indicator", "year", "measured", "bound", "central run"];
    if ensemble {
        cols.push("probability met");
    }
    let mut t = Table::new(&cols, 2);
    t.numeric[4] = false;
    t.numeric[5] = false;
    for r in targets {
        let ind = if r.dimension.is_empty() {
            r.indicator.to_string()
        } else {
            format!("{} ({})", r.indicator, r.dimension)
        };
        let mut row = vec![
            r.name.clone(),
            ind,
            r.year.to_string(),
            measured(r),
            bound(r),
            verdict(r).to_string(),
        ];
        if ensemble {
            row.push(probability(r.probability));
        }
        t.rows.push(row);
    }
    t
}

fn charts_section(d: &mut Document, charts: &[String]) {
    if charts.is_empty() {
        return;
    }
    d.heading(2, "Charts");
    for c in charts {
        d.blocks.push(Block::Image {
            file: c.clone(),
            caption: words::caption(c),
        });
    }
}

/// One scenario of a comparison.
pub struct Compared<'a> {
    pub params: &'a Params,
    pub run: &'a Trajectory,
    pub targets: &'a [TargetResult],
    pub ensemble: Option<&'a Ensemble>,
}

/// The report of a comparison: what each scenario changes, the differences
/// from the first in `year` (absolute and relative; under ensembles the
/// paired 90% band of the difference and the share of draws above the
/// first), every scenario's targets, and the charts.
pub fn comparison_document(scenarios: &[Compared], year: i32, charts: &[String]) -> Document {
    let Some(first) = scenarios.first() else {
        return Document::new("Comparison");
    };
    let mut d = Document::new(format!("Comparison with {}", first.params.name));
    d.heading(2, "Scenarios");
    d.bullets(
        scenarios
            .iter()
            .map(|s| {
                let what = if s.params.description.is_empty() {
                    "(no description)"
                } else {
                    &s.params.description
                };
                format!("**{}**: {what}", s.params.name)
            })
            .collect(),
    );
    d.heading(2, "Differences");
    let paired = scenarios.iter().all(|s| s.ensemble.is_some());
    d.paragraph(format!(
        "Values in {year} (flows: during {year}, or the last projected year) of the scenario as written, and the difference from {}{}.",
        first.params.name,
        if paired {
            "; under the ensembles, the 90% band of the difference paired draw by draw (common random numbers) and the share of draws in which the scenario is above the reference"
        } else {
            ""
        }
    ));
    let mut cols = vec!["indicator", "unit", "scenario", "value", "difference", "relative"];
    if paired {
        cols.extend(["difference, 90% band", "P(above reference)"]);
    }
    let mut t = Table::new(&cols, 3);
    for (label, ind, scale, unit) in ROWS {
        for s in scenarios {
            let y = row_year(s.params, ind, year);
            let v = s.run.get(ind, Dim::Total, y);
            let r = first.run.get(ind, Dim::Total, y);
            let mut row = vec![label.to_string(), unit.to_string(), s.params.name.clone()];
            row.push(v.map(|v| fmt(v * scale)).unwrap_or_default());
            let first_row = std::ptr::eq(s, first);
            match (v, r) {
                (Some(v), Some(r)) if !first_row => {
                    row.push(words::signed((v - r) * scale));
                    row.push(if r != 0.0 {
                        format!("{:+.1}%", 100.0 * (v / r - 1.0))
                    } else {
                        String::new()
                    });
                }
                _ => row.extend([String::new(), String::new()]),
            }
            if paired {
                match (s.ensemble, first.ensemble) {
                    (Some(e), Some(f)) if !first_row => {
                        let (band, above) = words::paired(e, f, ind, y);
                        row.push(
                            band.map(|(lo, hi)| {
                                format!("{} to {}", words::signed(lo * scale), words::signed(hi * scale))
                            })
                            .unwrap_or_default(),
                        );
                        row.push(probability(above));
                    }
                    _ => row.extend([String::new(), String::new()]),
                }
            }
            t.rows.push(row);
        }
    }
    d.table(t);
    let with_targets: Vec<&Compared> = scenarios.iter().filter(|s| !s.targets.is_empty()).collect();
    if !with_targets.is_empty() {
        d.heading(2, "Targets");
        let mut cols = vec!["scenario", "target", "year", "measured", "central run"];
        if paired {
            cols.extend(["probability met", "P(better than reference)"]);
        }
        let mut t = Table::new(&cols, 2);
        t.numeric[4] = false;
        for s in with_targets {
            for r in s.targets {
                let mut row = vec![
                    s.params.name.clone(),
                    r.name.clone(),
                    r.year.to_string(),
                    measured(r),
                    verdict(r).into(),
                ];
                if paired {
                    row.push(probability(r.probability));
                    row.push(probability(r.probability_better_than_first));
                }
                t.rows.push(row);
            }
        }
        d.table(t);
    }
    charts_section(&mut d, charts);
    d
}
