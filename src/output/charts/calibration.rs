//! The fit of a calibration: for one calibrated series, the posterior's
//! 5–95% band and median year by year, and each observed figure with its
//! error scale (±1 scale as a bar).

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One year of the posterior: p5, p50, p95.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub year: i32,
    pub q: [f64; 3],
}

/// An observed figure and its error scale, in the series' units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub year: i32,
    pub value: f64,
    pub error: f64,
}

pub fn draw(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    y_label: &str,
    band: &[Band],
    observed: &[Point],
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| Error::Output {
        path: path.display().to_string(),
        message: format!("drawing chart: {e}"),
    };
    let finite: Vec<&Band> = band.iter().filter(|b| b.q.iter().all(|v| v.is_finite())).collect();
    if finite.is_empty() {
        return Err(err(&"no posterior values to draw"));
    }
    let years = finite.iter().map(|b| b.year).chain(observed.iter().map(|p| p.year));
    let (x0, x1) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let values = finite
        .iter()
        .flat_map(|b| [b.q[0], b.q[2]])
        .chain(observed.iter().flat_map(|p| [p.value - p.error, p.value + p.error]));
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let pad = 0.08 * (hi - lo).max(hi.abs() * 1e-3);
    let (x0, x1) = (f64::from(x0) - 0.5, f64::from(x1) + 0.5);
    let headroom = 0.25 * (hi - lo + 2.0 * pad);
    let mut chart = super::draw::year_chart(area, path, title, y_label, (x0, x1), (lo - pad, hi + pad + headroom))?;
    let blue = RGBColor(0, 114, 178);
    let mut poly: Vec<(f64, f64)> = finite.iter().map(|b| (f64::from(b.year), b.q[2])).collect();
    poly.extend(finite.iter().rev().map(|b| (f64::from(b.year), b.q[0])));
    chart
        .draw_series(std::iter::once(Polygon::new(poly, blue.mix(0.25).filled())))
        .map_err(|e| err(&e))?
        .label("posterior 5-95%")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], blue.mix(0.25).filled()));
    chart
        .draw_series(LineSeries::new(
            finite.iter().map(|b| (f64::from(b.year), b.q[1])),
            blue.stroke_width(3),
        ))
        .map_err(|e| err(&e))?
        .label("posterior median")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3)));
    let black = RGBColor(20, 20, 20);
    chart
        .draw_series(observed.iter().map(|p| {
            let x = f64::from(p.year);
            PathElement::new(
                vec![(x, p.value - p.error), (x, p.value + p.error)],
                black.stroke_width(2),
            )
        }))
        .map_err(|e| err(&e))?;
    chart
        .draw_series(
            observed
                .iter()
                .map(|p| Circle::new((f64::from(p.year), p.value), 6, black.filled())),
        )
        .map_err(|e| err(&e))?
        .label("observed (bar: ±1 error scale)")
        .legend(move |(x, y)| Circle::new((x + 10, y), 5, black.filled()));
    super::draw::legend(&mut chart, path, SeriesLabelPosition::UpperLeft)
}
