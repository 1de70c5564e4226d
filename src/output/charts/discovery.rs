//! The charts of a discovery: the trade-off between coverage and density
//! along PRIM's trajectory (the chosen box marked), and the chosen box's
//! limits, each input drawn over its whole range with the box's part.

use super::draw::{FONT, chart_error, colour};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Coverage against density, one point per step, coloured by how many
/// inputs the box restricts; the chosen step circled.
pub fn tradeoff(
    root: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    points: &[(f64, f64, usize)],
    chosen: usize,
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| chart_error(path, e);
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 24).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.02, 0.0..1.02)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("coverage: share of the cases of interest inside the box")
        .y_desc("density: share of the box that are cases")
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| err(&e))?;
    let most = points.iter().map(|p| p.2).max().unwrap_or(0);
    for r in 0..=most {
        let c = colour(r);
        let these: Vec<(f64, f64)> = points.iter().filter(|p| p.2 == r).map(|p| (p.0, p.1)).collect();
        if these.is_empty() {
            continue;
        }
        chart
            .draw_series(these.iter().map(|&(x, y)| Circle::new((x, y), 5, c.filled())))
            .map_err(|e| err(&e))?
            .label(format!("{r} inputs restricted"))
            .legend(move |(x, y)| Circle::new((x + 8, y), 5, c.filled()));
    }
    if let Some(&(x, y, _)) = points.get(chosen) {
        chart
            .draw_series(std::iter::once(Circle::new((x, y), 11, BLACK.stroke_width(3))))
            .map_err(|e| err(&e))?
            .label(format!("chosen: step {chosen}"))
            .legend(|(x, y)| Circle::new((x + 8, y), 6, BLACK.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, 16))
        .draw()
        .map_err(|e| err(&e))
}

/// One limit of the box: the input's words, its whole range and the box's.
pub struct Limit {
    pub name: String,
    pub range: (f64, f64),
    pub inside: (f64, f64),
}

/// Each input as a bar over its range scaled to 0–1: grey, with the box's
/// part in colour and its ends printed.
pub fn limits(root: &DrawingArea<BitMapBackend, Shift>, path: &Path, title: &str, limits: &[Limit]) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| chart_error(path, e);
    let n = limits.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 24).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(20)
        .build_cartesian_2d(-0.02..1.02, 0.0..n as f64)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("position within the input's range in the draws (0 = lowest drawn, 1 = highest)")
        .y_labels(0)
        .disable_y_mesh()
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| err(&e))?;
    let scale = |l: &Limit, v: f64| {
        let w = l.range.1 - l.range.0;
        if w > 0.0 { (v - l.range.0) / w } else { 0.5 }
    };
    for (i, l) in limits.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let (a, b) = (scale(l, l.inside.0), scale(l, l.inside.1));
        chart
            .draw_series([
                Rectangle::new([(0.0, y + 0.30), (1.0, y + 0.50)], RGBColor(220, 220, 220).filled()),
                Rectangle::new([(a, y + 0.25), (b, y + 0.55)], colour(1).filled()),
            ])
            .map_err(|e| err(&e))?;
        let words = TextStyle::from((FONT, 17).into_font());
        let ends = TextStyle::from((FONT, 15).into_font());
        chart
            .draw_series([
                Text::new(l.name.clone(), (0.0, y + 0.78), words),
                Text::new(format!("{:.4} to {:.4}", l.inside.0, l.inside.1), (a, y + 0.2), ends),
            ])
            .map_err(|e| err(&e))?;
    }
    Ok(())
}
