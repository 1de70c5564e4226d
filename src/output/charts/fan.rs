//! Fan chart of an ensemble: the 5–95 and 25–75 percentile bands around the
//! median, year by year, and the scenario as written (the central run), which
//! tables quote and which need not be the median.

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Quantiles of one year: p5, p25, p50, p75, p95, and the central run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    pub year: i32,
    pub q: [f64; 5],
    pub central: f64,
}

pub fn draw(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    y_label: &str,
    data: &[Quantiles],
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| Error::Output {
        path: path.display().to_string(),
        message: format!("drawing chart: {e}"),
    };
    if data.is_empty() {
        return Err(err(&"no quantiles to draw"));
    }
    let x0 = f64::from(data[0].year);
    let x1 = f64::from(data[data.len() - 1].year).max(x0 + 1.0);
    let lo = data
        .iter()
        .map(|d| d.q[0].min(d.central))
        .fold(f64::MAX, f64::min)
        .min(0.0);
    let hi = data.iter().map(|d| d.q[4].max(d.central)).fold(f64::MIN, f64::max);
    let mut chart = super::draw::year_chart(area, path, title, y_label, (x0, x1), (lo, hi * 1.06 + 1e-12))?;
    let blue = RGBColor(0, 114, 178);
    // Widest band first, so the inner band is painted over it.
    for (lo_i, hi_i, alpha, label) in [(0, 4, 0.2, "5-95%"), (1, 3, 0.4, "25-75%")] {
        let mut poly: Vec<(f64, f64)> = data.iter().map(|d| (f64::from(d.year), d.q[hi_i])).collect();
        poly.extend(data.iter().rev().map(|d| (f64::from(d.year), d.q[lo_i])));
        chart
            .draw_series(std::iter::once(Polygon::new(poly, blue.mix(alpha).filled())))
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], blue.mix(alpha).filled()));
    }
    chart
        .draw_series(LineSeries::new(
            data.iter().map(|d| (f64::from(d.year), d.q[2])),
            blue.stroke_width(3),
        ))
        .map_err(|e| err(&e))?
        .label("median")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], blue.stroke_width(3)));
    chart
        .draw_series(LineSeries::new(
            data.iter().map(|d| (f64::from(d.year), d.central)),
            BLACK.stroke_width(2),
        ))
        .map_err(|e| err(&e))?
        .label("scenario as written")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
    super::draw::legend(&mut chart, path, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic() -> Vec<Quantiles> {
        (0..20)
            .map(|i| {
                let m = 100.0 + 5.0 * f64::from(i);
                let s = 2.0 * f64::from(i);
                Quantiles {
                    year: 2025 + i,
                    q: [m - 1.64 * s, m - 0.67 * s, m, m + 0.67 * s, m + 1.64 * s],
                    central: m + 0.3 * s,
                }
            })
            .collect()
    }

    #[test]
    fn draws_a_fan_of_synthetic_quantiles_identically_twice() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<Vec<u8>> = (0..2)
            .map(|k| {
                let path = dir.path().join(format!("fan{k}.png"));
                super::super::draw::png(&path, |root| draw(root, &path, "fan", "persons", &synthetic())).unwrap();
                std::fs::read(&path).unwrap()
            })
            .collect();
        assert!(bytes[0].len() > 10_000, "suspiciously small PNG");
        assert_eq!(bytes[0], bytes[1]);
        let img = image_size(&bytes[0]);
        assert_eq!(img, (1200, 700));
    }

    /// Width and height from a PNG's IHDR chunk.
    fn image_size(png: &[u8]) -> (u32, u32) {
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        (w, h)
    }
}
