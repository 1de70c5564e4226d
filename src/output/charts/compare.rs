//! Charts of a comparison: one per headline indicator with every scenario
//! overlaid (the first, the reference, drawn thick), and for each a sorted bar
//! chart of the differences from the reference in a chosen year. A scenario
//! keeps its colour in every chart.

use super::Job;
use super::draw::{self, Line, colour};
use crate::model::{Dim, Indicator, Model, Trajectory};

/// The indicators of `HEADLINE`, whose compare charts carry their targets.
pub const CHARTED: [Indicator; 6] = [
    HEADLINE[0].0,
    HEADLINE[1].0,
    HEADLINE[2].0,
    HEADLINE[3].0,
    HEADLINE[4].0,
    HEADLINE[5].0,
];

/// Indicator, file stem, axis label, scale for display, and whether a
/// difference is best read relative (counts) or in points (shares).
pub const HEADLINE: [(Indicator, &str, &str, f64, bool); 6] = [
    (
        Indicator::PopulationAbroad,
        "population_abroad",
        "citizens abroad, persons",
        1.0,
        true,
    ),
    (
        Indicator::PopulationHome,
        "population_home",
        "residents, persons",
        1.0,
        true,
    ),
    (Indicator::Emigrants, "emigrants", "emigrants per year", 1.0, true),
    (
        Indicator::RemittancesUsd,
        "remittances_usd",
        "remittances, USD per year",
        1.0,
        true,
    ),
    (
        Indicator::RemittancesShareGdp,
        "remittances_share_gdp",
        "remittances, % of GDP",
        100.0,
        false,
    ),
    (
        Indicator::TertiaryEmigrationRate,
        "tertiary_emigration_rate",
        "tertiary emigration rate, %",
        100.0,
        false,
    ),
];

/// The compare charts, each line chart with the targets of every scenario
/// on its indicator's national total (labelled with the scenario's name).
pub fn jobs<'a>(
    runs: &'a [(&'a Model, &'a Trajectory)],
    targets: &'a [(String, crate::targets::TargetResult)],
    year: i32,
) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    for (ind, stem, label, scale, relative) in HEADLINE {
        jobs.push((
            format!("compare_{stem}.png"),
            Box::new(move |path| {
                let lines: Vec<Line> = runs
                    .iter()
                    .enumerate()
                    .map(|(i, (m, t))| Line {
                        name: m.params.name.clone(),
                        colour: if i == 0 {
                            plotters::style::RGBColor(0, 0, 0)
                        } else {
                            colour(i - 1)
                        },
                        points: t
                            .series(ind, Dim::Total)
                            .into_iter()
                            .map(|(y, v)| (f64::from(y), v * scale))
                            .collect(),
                        emphasised: i == 0,
                    })
                    .collect();
                let title = format!("{label}: all scenarios ({} in black)", runs[0].0.params.name);
                let markers: Vec<super::draw::Marker> = targets
                    .iter()
                    .flat_map(|(scenario, t)| {
                        super::run::markers(std::slice::from_ref(t), ind, scale)
                            .into_iter()
                            .map(move |mut m| {
                                m.label = format!("{scenario}: {}", m.label);
                                m
                            })
                    })
                    .collect();
                // Axes fitted to the data, not from zero: scenarios differ by a
                // few percent, which a 0-based axis flattens into one line.
                draw::png(path, |root| {
                    draw::lines(root, path, &title, label, &lines, &markers, false)
                })
            }),
        ));
        jobs.push((
            format!("differences_{stem}_{year}.png"),
            Box::new(move |path| {
                let (_, first) = runs[0];
                let y = if ind.is_flow() {
                    year.min(runs[0].0.params.end_year - 1)
                } else {
                    year
                };
                let reference = first.get(ind, Dim::Total, y).unwrap_or(f64::NAN) * scale;
                let mut bars: Vec<(String, f64, plotters::style::RGBColor)> = runs
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(i, (m, t))| {
                        let v = t.get(ind, Dim::Total, y).unwrap_or(f64::NAN) * scale;
                        let d = if relative {
                            100.0 * (v / reference - 1.0)
                        } else {
                            v - reference
                        };
                        (m.params.name.clone(), d, colour(i - 1))
                    })
                    .collect();
                bars.sort_by(|a, b| b.1.total_cmp(&a.1));
                let unit = if relative {
                    "difference from the reference, %"
                } else {
                    "difference from the reference, points"
                };
                let title = format!("{label}: difference from {} in {y}", runs[0].0.params.name);
                let suffix = if relative { "%" } else { " pts" };
                draw::png(path, |root| draw::bars(root, path, &title, unit, &bars, suffix))
            }),
        ));
    }
    jobs
}
