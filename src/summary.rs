//! What the command line prints: headline figures, target tables and the
//! comparison table. Plain text for people; Markdown for the README.

/// Prints a line on standard output; a closed pipe (`migsim run | head`)
/// ends the output quietly instead of panicking. Any other failure (a full
/// disk) is remembered, and the command then exits 1 (`main`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::summary::failed_write(e);
        }
    }};
}
pub(crate) use say;

static STDOUT_FAILED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records a failed write to standard output, unless the reader closed it.
pub fn failed_write(e: std::io::Error) {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        let _ = STDOUT_FAILED.set(e.to_string());
    }
}

/// Why writing to standard output failed, if it did.
pub fn stdout_failure() -> Option<&'static str> {
    STDOUT_FAILED.get().map(String::as_str)
}

use migsim::{Dim, Indicator, Scenario, TargetResult, Trajectory};

fn get(run: &Trajectory, ind: Indicator, year: i32) -> f64 {
    run.get(ind, Dim::Total, year).unwrap_or(f64::NAN)
}

pub fn headline(s: &Scenario, run: &Trajectory, dir: &std::path::Path) {
    let p = &s.model.params;
    let written: Vec<String> = [
        "series.csv",
        "targets.csv",
        "fit.csv",
        "draws.csv",
        "report.md",
        "report.html",
        "results.xlsx",
        "charts",
        "manifest.json",
    ]
    .iter()
    .filter(|f| dir.join(f).exists())
    .map(|f| {
        if *f == "charts" {
            "charts/".to_string()
        } else {
            f.to_string()
        }
    })
    .collect();
    say!(
        "{} {}-{}: wrote {} ({})",
        p.name,
        p.start_year,
        p.end_year,
        dir.join("series.csv").display(),
        written.join(", ")
    );
    say!("{:<28}{:>14}{:>14}", "", p.start_year, p.end_year);
    for (label, ind, last) in [
        ("residents", Indicator::PopulationHome, p.end_year),
        ("citizens abroad", Indicator::PopulationAbroad, p.end_year),
        ("emigrants / year", Indicator::Emigrants, p.end_year - 1),
        ("remittances / GDP", Indicator::RemittancesShareGdp, p.end_year - 1),
        (
            "tertiary emigration rate",
            Indicator::TertiaryEmigrationRate,
            p.end_year,
        ),
    ] {
        say!(
            "{label:<28}{:>14.3}{:>14.3}",
            get(run, ind, p.start_year),
            get(run, ind, last)
        );
    }
}

/// Policies, shocks and quotas that changed nothing, each with its reason.
pub fn no_ops(items: &[migsim::noop::NoOp]) {
    if items.is_empty() {
        return;
    }
    say!("changed nothing:");
    for n in items {
        say!("  {}: {}", n.key, n.reason);
    }
}

pub fn targets(scenario: &str, results: &[TargetResult]) {
    if results.is_empty() {
        return;
    }
    say!("targets of {scenario}:");
    for r in results {
        let what = match r.reference_value {
            None => format!("{:.4}", r.measured),
            Some(_) => format!("{:+.2}%", 100.0 * r.measured),
        };
        let limit = match r.reference_value {
            None => format!("{}", r.limit),
            Some(_) => format!("{:+.2}%", 100.0 * r.limit),
        };
        let verdict = if r.met { "met" } else { "NOT met" };
        let mut extra = String::new();
        if let Some(p) = r.probability {
            extra.push_str(&format!("; met in {:.1}% of draws", 100.0 * p));
        }
        if let Some(p) = r.probability_better_than_first {
            extra.push_str(&format!(
                "; better than the first scenario in {:.1}% of draws",
                100.0 * p
            ));
        }
        say!(
            "  {:<8} {} ({} {}): {what}, bound {} {limit}{extra}",
            verdict,
            r.name,
            r.indicator,
            r.year,
            r.bound
        );
    }
}

/// The indicators a policy adviser asks about first, with how to show a
/// difference: relative (%) for counts, in points for shares.
const HEADLINE: [(&str, Indicator, bool); 4] = [
    ("citizens abroad", Indicator::PopulationAbroad, true),
    ("emigrants / year", Indicator::Emigrants, true),
    ("remittances % GDP", Indicator::RemittancesShareGdp, false),
    ("tertiary emigration %", Indicator::TertiaryEmigrationRate, false),
];

fn cell(value: f64, reference: f64, relative: bool, first: bool) -> String {
    let shown = |v: f64| if relative { format!("{v:.0}") } else { format!("{v:.2}") };
    if first {
        return shown(value);
    }
    if relative {
        format!("{} ({:+.1}%)", shown(value), 100.0 * (value / reference - 1.0))
    } else {
        format!("{} ({:+.2})", shown(value), value - reference)
    }
}

fn scaled(ind: Indicator, v: f64) -> f64 {
    // Shares are shown in percent, their differences in points.
    if ind.unit() == "fraction" { 100.0 * v } else { v }
}

pub fn comparison(scenarios: &[Scenario], runs: &[Trajectory], year: i32, markdown: bool) {
    let Some(first) = runs.first() else { return };
    let header: Vec<String> = std::iter::once("scenario".to_string())
        .chain(markdown.then(|| "what it changes".to_string()))
        .chain(HEADLINE.iter().map(|h| h.0.to_string()))
        .collect();
    let rows: Vec<Vec<String>> = scenarios
        .iter()
        .zip(runs)
        .enumerate()
        .map(|(i, (s, run))| {
            let mut row = vec![s.name().to_string()];
            if markdown {
                row.push(s.model.params.description.clone());
            }
            for (_, ind, relative) in HEADLINE {
                // Flows are reported to the year before the end.
                let y = if ind.is_flow() {
                    year.min(s.model.params.end_year - 1)
                } else {
                    year
                };
                let v = scaled(ind, get(run, ind, y));
                let r = scaled(ind, get(first, ind, y));
                row.push(cell(v, r, relative, i == 0));
            }
            row
        })
        .collect();
    if markdown {
        say!("| {} |", header.join(" | "));
        say!("|{}", "---|".repeat(header.len()));
        for row in rows {
            say!("| {} |", row.join(" | "));
        }
    } else {
        say!("{year}, differences from {} in brackets:", scenarios[0].name());
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                rows.iter()
                    .map(|r| r[c].len())
                    .chain([header[c].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| if i == 0 { format!("{c:<w$}") } else { format!("{c:>w$}") })
                .collect::<Vec<_>>()
                .join("  ")
        };
        say!("{}", line(&header));
        for row in &rows {
            say!("{}", line(row));
        }
    }
}

pub fn fit(rows: &[migsim::fit::FitRow]) {
    if rows.is_empty() {
        return;
    }
    say!("fit to observed figures (model / observed - 1):");
    say!(
        "  {:<34}{:>6}{:>16}{:>16}{:>9}",
        "indicator",
        "year",
        "observed",
        "model",
        "error"
    );
    for r in rows {
        let name = if r.dimension.is_empty() {
            r.indicator.to_string()
        } else {
            format!("{} {}", r.indicator, r.dimension)
        };
        let error = if r.error.is_finite() {
            format!("{:>8.1}%", 100.0 * r.error)
        } else {
            format!("{:>9}", "-")
        };
        say!("  {name:<34}{:>6}{:>16.0}{:>16.0}{error}", r.year, r.observed, r.model);
    }
}
