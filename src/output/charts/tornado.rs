//! The tornado chart of a sensitivity analysis: one row per parameter, most
//! influential at the top, with its total and first-order Sobol' indices as
//! bars and their 95% bootstrap intervals as whiskers — or, when only the
//! Morris screen ran, μ* with ±σ whiskers.

use super::draw::{FONT, chart_error, colour};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One bar of a row: its value and interval, when known.
pub struct Bar {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// A parameter's row: its name and one or two bars (drawn top to bottom).
pub struct Row {
    pub name: String,
    pub bars: Vec<Bar>,
}

pub fn draw(
    root: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    x_label: &str,
    legend: &[&str],
    rows: &[Row],
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| chart_error(path, e);
    let per_row = rows.iter().map(|r| r.bars.len()).max().unwrap_or(1).max(1);
    let n = rows.len().max(1);
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let hi = rows
        .iter()
        .flat_map(|r| r.bars.iter().map(|b| finite(b.high).max(finite(b.value))))
        .fold(0.0f64, f64::max);
    let lo = rows
        .iter()
        .flat_map(|r| r.bars.iter().map(|b| finite(b.low).min(finite(b.value))))
        .fold(0.0f64, f64::min);
    let pad = 0.06 * (hi - lo).max(1e-9);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 24).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(380)
        .build_cartesian_2d(lo - pad..hi + pad, 0.0..n as f64)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_labels(0)
        .disable_y_mesh()
        .light_line_style(WHITE.mix(0.0))
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .draw()
        .map_err(|e| err(&e))?;
    // Row i (0 = most influential) occupies [n-1-i, n-i) on the y axis.
    // Names go left of the plot, in the label area, placed by pixel.
    let style = TextStyle::from((FONT, 15).into_font()).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Right,
        plotters::style::text_anchor::VPos::Center,
    ));
    for (i, name) in names.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(lo - pad, (n - 1 - i) as f64 + 0.5));
        root.draw(&Text::new(name.clone(), (x - 8, y), style.clone()))
            .map_err(|e| err(&e))?;
    }
    let slot = 0.8 / per_row as f64;
    for (b, label) in (0..per_row).zip(legend.iter().copied().chain(std::iter::repeat(""))) {
        let c = colour(b + 1);
        let bars: Vec<(f64, f64, &Bar)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let top = (n - i) as f64 - 0.1 - b as f64 * slot;
                r.bars.get(b).map(|bar| (top - slot, top, bar))
            })
            .collect();
        chart
            .draw_series(
                bars.iter()
                    .filter(|(_, _, bar)| bar.value.is_finite())
                    .map(|(y0, y1, bar)| {
                        Rectangle::new([(0.0, *y0 + 0.05 * slot), (bar.value, *y1 - 0.05 * slot)], c.filled())
                    }),
            )
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled()));
        chart
            .draw_series(
                bars.iter()
                    .filter(|(_, _, bar)| bar.low.is_finite() && bar.high.is_finite())
                    .map(|(y0, y1, bar)| {
                        let y = 0.5 * (y0 + y1);
                        PathElement::new(vec![(bar.low, y), (bar.high, y)], BLACK.stroke_width(2))
                    }),
            )
            .map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, 16))
        .draw()
        .map_err(|e| err(&e))?;
    Ok(())
}
