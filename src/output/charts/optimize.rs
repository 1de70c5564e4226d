//! The chart of an optimisation: every candidate's probability of meeting
//! the target against its cost, those that meet the probability asked for
//! in colour, the answer ringed, and with `--pareto` the cheapest mix found
//! at each probability joined as a front.

use super::draw::{FONT, chart_error, colour, short};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

pub struct Search<'a> {
    pub title: &'a str,
    /// Per candidate: share of draws meeting the target, cost (USD), and
    /// whether it meets the probability asked for.
    pub candidates: &'a [(f64, f64, bool)],
    /// The share of draws required, and how the legend says it.
    pub required: f64,
    pub required_label: &'a str,
    /// The answer's index into `candidates`.
    pub best: Option<usize>,
    /// The cheapest candidate per probability level, by probability.
    pub front: &'a [(f64, f64)],
}

pub fn search(root: &DrawingArea<BitMapBackend, Shift>, path: &Path, c: &Search) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| chart_error(path, e);
    let top = c.candidates.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.08;
    let mut chart = ChartBuilder::on(root)
        .caption(c.title, (FONT, 22).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..1.02, 0.0..top)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("share of the draws meeting the target")
        .y_desc("expected policy cost, USD, discounted")
        .y_label_formatter(&|v| short(*v))
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| err(&e))?;
    let required = c.required;
    chart
        .draw_series(LineSeries::new(
            [(required, 0.0), (required, top)],
            BLACK.mix(0.5).stroke_width(2),
        ))
        .map_err(|e| err(&e))?
        .label(c.required_label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], BLACK.mix(0.5).stroke_width(2)));
    let grey = RGBColor(170, 170, 170);
    let meets = colour(0);
    for (feasible, style, label) in [
        (false, grey.filled(), "falls short"),
        (true, meets.filled(), "meets the probability asked"),
    ] {
        let these: Vec<(f64, f64)> = c
            .candidates
            .iter()
            .filter(|p| p.2 == feasible)
            .map(|p| (p.0, p.1))
            .collect();
        if these.is_empty() {
            continue;
        }
        chart
            .draw_series(these.iter().map(|&(x, y)| Circle::new((x, y), 4, style)))
            .map_err(|e| err(&e))?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 8, y), 4, style));
    }
    if c.front.len() > 1 {
        let line = colour(1);
        chart
            .draw_series(LineSeries::new(c.front.iter().copied(), line.stroke_width(3)))
            .map_err(|e| err(&e))?
            .label("cheapest found at each probability")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], line.stroke_width(3)));
    }
    if let Some(&(x, y, _)) = c.best.and_then(|i| c.candidates.get(i)) {
        chart
            .draw_series(std::iter::once(Circle::new((x, y), 10, BLACK.stroke_width(3))))
            .map_err(|e| err(&e))?
            .label(format!("cheapest meeting it: USD {}", short(y)))
            .legend(|(x, y)| Circle::new((x + 8, y), 6, BLACK.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, 16))
        .draw()
        .map_err(|e| err(&e))
}
