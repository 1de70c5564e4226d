//! The charts of one scenario: citizens abroad by destination, flows,
//! remittances, brain drain, population by region, labour market, and the
//! population pyramids of the base and last years. Targets appear as markers
//! on the charts of their indicator.

use super::Job;
use super::draw::{self, Line, Marker, colour};
use crate::model::{Dim, Indicator, Trajectory};
use crate::params::Params;
use crate::targets::TargetResult;

fn pts(run: &Trajectory, ind: Indicator, dim: Dim, scale: f64) -> Vec<(f64, f64)> {
    run.series(ind, dim)
        .into_iter()
        .map(|(y, v)| (f64::from(y), v * scale))
        .collect()
}

fn line(name: &str, c: usize, points: Vec<(f64, f64)>) -> Line {
    Line {
        name: name.to_string(),
        colour: colour(c),
        points,
        emphasised: false,
    }
}

/// Markers for the targets on `ind` (national totals), at the value the bound
/// allows; `scale` as on the chart's axis.
pub fn markers(targets: &[TargetResult], ind: Indicator, scale: f64) -> Vec<Marker> {
    targets
        .iter()
        .filter(|t| t.indicator == ind.name() && t.dimension.is_empty())
        .map(|t| Marker {
            year: f64::from(t.year),
            value: scale * t.reference_value.map_or(t.limit, |r| r * (1.0 + t.limit)),
            label: t.name.clone(),
            met: t.met,
        })
        .collect()
}

/// Indicators whose national total a chart of a single run draws, with the
/// targets on it.
pub const CHARTED: [Indicator; 10] = [
    Indicator::PopulationAbroad,
    Indicator::Emigrants,
    Indicator::Returns,
    Indicator::RemittancesUsd,
    Indicator::RemittancesShareGdp,
    Indicator::TertiaryEmigrationRate,
    Indicator::YouthAbroadShare,
    Indicator::TertiaryShareHome,
    Indicator::UnemploymentRate,
    Indicator::WageHomeUsd,
];

/// A target's own chart: its series in every scenario given (the first
/// drawn thick when there are several) and its bound, for each target
/// that names a dimension or an indicator no other chart draws. The file
/// is `target_<n>.png`, numbered in the order of the targets.
pub fn target_jobs<'a>(
    runs: &'a [(&'a Params, &'a Trajectory)],
    targets: &'a [(String, TargetResult)],
    charted: &'a [Indicator],
) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    let mut seen: Vec<(&str, &str, &str)> = Vec::new();
    for (scenario, t) in targets {
        let Some(ind) = Indicator::ALL.iter().copied().find(|i| i.name() == t.indicator) else {
            continue;
        };
        if t.dimension.is_empty() && charted.contains(&ind) {
            continue;
        }
        if seen.contains(&(scenario.as_str(), t.name.as_str(), t.dimension.as_str())) {
            continue;
        }
        seen.push((scenario.as_str(), t.name.as_str(), t.dimension.as_str()));
        let n = jobs.len() + 1;
        jobs.push((
            format!("target_{n}.png"),
            Box::new(move |path| {
                let scale = if ind.unit() == "fraction" { 100.0 } else { 1.0 };
                let lines: Vec<Line> = runs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (p, run))| {
                        let dim = run
                            .rows
                            .iter()
                            .find(|r| r.indicator == ind && r.dim.label(p) == t.dimension)?
                            .dim;
                        let mut l = line(&p.name, i, pts(run, ind, dim, scale));
                        if runs.len() > 1 && i == 0 {
                            l.colour = plotters::style::RGBColor(0, 0, 0);
                            l.emphasised = true;
                        } else if runs.len() > 1 {
                            l.colour = colour(i - 1);
                        }
                        Some(l)
                    })
                    .collect();
                let marker = Marker {
                    year: f64::from(t.year),
                    value: scale * t.reference_value.map_or(t.limit, |r| r * (1.0 + t.limit)),
                    label: if runs.len() > 1 {
                        format!("{scenario}: {}", t.name)
                    } else {
                        t.name.clone()
                    },
                    met: t.met,
                };
                let what = if t.dimension.is_empty() {
                    ind.name().to_string()
                } else {
                    format!("{} ({})", ind.name(), t.dimension)
                };
                let unit = if scale == 100.0 {
                    "percent".to_string()
                } else {
                    ind.unit().replace("/year", " per year")
                };
                draw::png(path, |root| {
                    draw::lines(
                        root,
                        path,
                        &format!("target \"{}\": {what}", t.name),
                        &unit,
                        &lines,
                        &[marker],
                        false,
                    )
                })
            }),
        ));
    }
    jobs
}

/// One job per chart of a single run.
/// A fan chart to draw: file name, title, axis label and the quantiles by year.
pub type Fan = (String, String, String, Vec<super::fan::Quantiles>);

pub fn jobs<'a>(p: &'a Params, run: &'a Trajectory, targets: &'a [TargetResult], fans: &'a [Fan]) -> Vec<Job<'a>> {
    use Indicator::*;
    let name = &p.name;
    let mut jobs: Vec<Job<'a>> = Vec::new();
    jobs.push((
        "abroad_by_destination.png".into(),
        Box::new(move |path| {
            let layers: Vec<Line> = p
                .destinations
                .iter()
                .enumerate()
                .map(|(d, dest)| line(dest.shown(), d, pts(run, PopulationAbroad, Dim::Destination(d), 1.0)))
                .collect();
            draw::png(path, |root| {
                draw::stacked(
                    root,
                    path,
                    &format!("{name}: citizens abroad by destination"),
                    "persons (1 January)",
                    &layers,
                    &markers(targets, PopulationAbroad, 1.0),
                )
            })
        }),
    ));
    jobs.push((
        "flows.png".into(),
        Box::new(move |path| {
            let ls = [
                line("emigrants", 0, pts(run, Emigrants, Dim::Total, 1.0)),
                line("returns", 1, pts(run, Returns, Dim::Total, 1.0)),
                line("net migration", 7, pts(run, NetMigration, Dim::Total, 1.0)),
            ];
            let mut ms = markers(targets, Emigrants, 1.0);
            ms.extend(markers(targets, Returns, 1.0));
            draw::png(path, |root| {
                draw::lines(
                    root,
                    path,
                    &format!("{name}: migration flows"),
                    "persons per year",
                    &ls,
                    &ms,
                    true,
                )
            })
        }),
    ));
    jobs.push((
        "remittances.png".into(),
        Box::new(move |path| {
            draw::png(path, |root| {
                let area = draw::titled(root, path, &format!("{name}: remittances received (official)"))?;
                let (top, bottom) = area.split_vertically(330);
                let usd = [line("USD per year", 1, pts(run, RemittancesUsd, Dim::Total, 1.0))];
                draw::lines(
                    &top,
                    path,
                    "in USD",
                    "USD per year",
                    &usd,
                    &markers(targets, RemittancesUsd, 1.0),
                    true,
                )?;
                let pct = [line("% of GDP", 0, pts(run, RemittancesShareGdp, Dim::Total, 100.0))];
                draw::lines(
                    &bottom,
                    path,
                    "as a share of GDP",
                    "% of GDP",
                    &pct,
                    &markers(targets, RemittancesShareGdp, 100.0),
                    true,
                )
            })
        }),
    ));
    jobs.push((
        "brain_drain.png".into(),
        Box::new(move |path| {
            let ls = [
                line(
                    "tertiary emigration rate",
                    0,
                    pts(run, TertiaryEmigrationRate, Dim::Total, 100.0),
                ),
                line("youth 15-29 abroad", 1, pts(run, YouthAbroadShare, Dim::Total, 100.0)),
                line(
                    "tertiary share at home (25+)",
                    2,
                    pts(run, TertiaryShareHome, Dim::Total, 100.0),
                ),
            ];
            let mut ms = markers(targets, TertiaryEmigrationRate, 100.0);
            ms.extend(markers(targets, YouthAbroadShare, 100.0));
            ms.extend(markers(targets, TertiaryShareHome, 100.0));
            draw::png(path, |root| {
                draw::lines(root, path, &format!("{name}: brain drain"), "percent", &ls, &ms, true)
            })
        }),
    ));
    jobs.push((
        "population_by_region.png".into(),
        Box::new(move |path| {
            let ls: Vec<Line> = p
                .regions
                .iter()
                .enumerate()
                .map(|(r, reg)| line(reg.shown(), r, pts(run, PopulationHome, Dim::Region(r), 1.0)))
                .collect();
            draw::png(path, |root| {
                draw::lines(
                    root,
                    path,
                    &format!("{name}: residents by region"),
                    "persons (1 January)",
                    &ls,
                    &[],
                    true,
                )
            })
        }),
    ));
    jobs.push((
        "labour_market.png".into(),
        Box::new(move |path| {
            draw::png(path, |root| {
                let area = draw::titled(root, path, &format!("{name}: labour market at home"))?;
                let (top, bottom) = area.split_vertically(330);
                let u = [line(
                    "unemployment rate",
                    0,
                    pts(run, UnemploymentRate, Dim::Total, 100.0),
                )];
                draw::lines(
                    &top,
                    path,
                    "unemployment",
                    "% of labour force",
                    &u,
                    &markers(targets, UnemploymentRate, 100.0),
                    true,
                )?;
                let w = [line("average monthly wage", 1, pts(run, WageHomeUsd, Dim::Total, 1.0))];
                draw::lines(
                    &bottom,
                    path,
                    "average wage",
                    "USD per month",
                    &w,
                    &markers(targets, WageHomeUsd, 1.0),
                    true,
                )
            })
        }),
    ));
    for (file, title, label, data) in fans {
        jobs.push((
            file.clone(),
            Box::new(move |path| {
                draw::png(path, |root| {
                    super::fan::draw(root, path, &format!("{name}: {title}"), label, data)
                })
            }),
        ));
    }
    for pyr in &run.pyramids {
        jobs.push((
            format!("pyramid_{}.png", pyr.year),
            Box::new(move |path| {
                draw::png(path, |root| {
                    super::pyramid::draw(
                        root,
                        path,
                        &format!("{name}: population by age and sex, 1 January {}", pyr.year),
                        pyr,
                    )
                })
            }),
        ));
    }
    jobs
}
