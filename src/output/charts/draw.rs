//! Shared drawing pieces: fonts, palette, line, stacked-area and bar charts,
//! and the atomic PNG write.

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::Once;

pub const SIZE: (u32, u32) = (1200, 700);
pub const FONT: &str = "sans-serif";

/// Registers the bundled DejaVu faces once per process.
pub fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped by the `dejavu` crate.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Colour-blind-safe palette (Okabe–Ito, then a few more); index `i` always
/// gives the same colour, so a destination or scenario keeps its colour
/// across charts.
pub fn colour(i: usize) -> RGBColor {
    const P: [RGBColor; 20] = [
        RGBColor(213, 94, 0),
        RGBColor(0, 114, 178),
        RGBColor(0, 158, 115),
        RGBColor(230, 159, 0),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(120, 94, 60),
        RGBColor(100, 100, 100),
        RGBColor(170, 40, 40),
        RGBColor(60, 60, 160),
        RGBColor(140, 160, 40),
        RGBColor(40, 140, 140),
        RGBColor(240, 60, 120),
        RGBColor(110, 50, 150),
        RGBColor(255, 120, 80),
        RGBColor(30, 80, 40),
        RGBColor(180, 180, 0),
        RGBColor(0, 200, 200),
        RGBColor(150, 110, 200),
        RGBColor(90, 20, 20),
    ];
    P[i % P.len()]
}

pub(crate) fn chart_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.display().to_string(),
        message: format!("drawing chart: {e}"),
    }
}

/// Draws into a temporary PNG beside `path` and renames it into place only
/// when drawing succeeded: a failed chart leaves no file, blank or partial.
pub fn png(path: &Path, draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<()>) -> Result<()> {
    fonts();
    let name = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The extension must stay `.png`: the backend picks the format from it.
    let tmp = path.with_file_name(format!(".{name}.tmp-{}.png", std::process::id()));
    let result = (|| {
        {
            let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
            root.fill(&WHITE).map_err(|e| chart_error(path, e))?;
            draw(&root)?;
            root.present().map_err(|e| chart_error(path, e))?;
        }
        std::fs::rename(&tmp, path).map_err(|e| chart_error(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Short numbers for axes: 1.2M, 350k, 0.25.
pub fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}bn", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 10.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else if a < 1e-9 {
        // A tick at zero may come out as -1e-17.
        "0".into()
    } else {
        format!("{v:.2}")
    }
}

type YearChart<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart over years in `area`: caption, axes with their units, years printed
/// as integers, light grid.
pub fn year_chart<'a, 'b>(
    area: &'a DrawingArea<BitMapBackend<'b>, Shift>,
    path: &Path,
    title: &str,
    y_label: &str,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Result<YearChart<'a, 'b>> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 26).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| chart_error(path, e))?;
    chart
        .configure_mesh()
        .x_desc("year")
        .y_desc(y_label)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| short(*v))
        .x_labels(((x1 - x0) as usize).clamp(2, 14))
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| chart_error(path, e))?;
    Ok(chart)
}

fn marker_label(m: &Marker) -> String {
    format!("target {}: {}", if m.met { "met" } else { "not met" }, m.label)
}

/// Targets as crosses at their year and bound: green when met, red when not.
fn draw_markers(chart: &mut YearChart, path: &Path, markers: &[Marker]) -> Result<()> {
    for m in markers {
        let colour = if m.met {
            RGBColor(0, 130, 60)
        } else {
            RGBColor(200, 0, 0)
        };
        chart
            .draw_series(std::iter::once(Cross::new(
                (m.year, m.value),
                9,
                colour.stroke_width(3),
            )))
            .map_err(|e| chart_error(path, e))?
            .label(marker_label(m))
            .legend(move |(x, y)| Cross::new((x + 12, y), 6, colour.stroke_width(3)));
    }
    Ok(())
}

/// The boxed legend of every chart, at `position`.
pub fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, BitMapBackend<'b>, CT>,
    path: &Path,
    position: SeriesLabelPosition,
) -> Result<()> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.5))
        .label_font((FONT, 16))
        .position(position)
        .draw()
        .map_err(|e| chart_error(path, e))
}

/// The corner of the plot where a legend of `names` hides the least of the
/// data: the upper left unless data run there (a series starting at its
/// peak, say), then the other corners in turn. The legend's size in
/// pixels is estimated from its labels and compared with the plot's.
fn legend_corner(
    lines: &[Line],
    markers: &[Marker],
    names: &[&str],
    (x0, x1, y0, y1): (f64, f64, f64, f64),
    plot_px: (u32, u32),
) -> SeriesLabelPosition {
    let widest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let w = (60.0 + 9.0 * widest as f64) / f64::from(plot_px.0.max(1));
    let h = (14.0 + 22.0 * names.len() as f64) / f64::from(plot_px.1.max(1));
    // Every point of every line (segments sampled finely), in plot fractions.
    let mut points: Vec<(f64, f64)> = Vec::new();
    let frac = |(x, y): (f64, f64)| ((x - x0) / (x1 - x0), (y - y0) / (y1 - y0));
    for l in lines {
        for pair in l.points.windows(2) {
            for k in 0..12 {
                let t = f64::from(k) / 12.0;
                points.push(frac((
                    pair[0].0 + t * (pair[1].0 - pair[0].0),
                    pair[0].1 + t * (pair[1].1 - pair[0].1),
                )));
            }
        }
        points.extend(l.points.last().map(|p| frac(*p)));
    }
    points.extend(markers.iter().map(|m| frac((m.year, m.value))));
    let corners = [
        (SeriesLabelPosition::UpperLeft, (0.0, 1.0 - h), (w, 1.0)),
        (SeriesLabelPosition::UpperRight, (1.0 - w, 1.0 - h), (1.0, 1.0)),
        (SeriesLabelPosition::LowerRight, (1.0 - w, 0.0), (1.0, h)),
        (SeriesLabelPosition::LowerLeft, (0.0, 0.0), (w, h)),
    ];
    let hidden = |lo: (f64, f64), hi: (f64, f64)| {
        points
            .iter()
            .filter(|(x, y)| *x >= lo.0 && *x <= hi.0 && *y >= lo.1 && *y <= hi.1)
            .count()
    };
    let mut best = (usize::MAX, SeriesLabelPosition::UpperLeft);
    for (pos, lo, hi) in corners {
        let n = hidden(lo, hi);
        if n < best.0 {
            best = (n, pos);
        }
        if n == 0 {
            break;
        }
    }
    best.1
}

#[derive(Clone)]
pub struct Line {
    pub name: String,
    pub colour: RGBColor,
    pub points: Vec<(f64, f64)>,
    /// Drawn thicker: the baseline in a comparison.
    pub emphasised: bool,
}

/// A target's bound at its year.
#[derive(Clone)]
pub struct Marker {
    pub year: f64,
    pub value: f64,
    pub label: String,
    pub met: bool,
}

/// Axis ranges with headroom above the data for the legend (one row per
/// entry in the upper left), so that it never hides a line.
fn range(lines: &[Line], markers: &[Marker], from_zero: bool, legend_rows: usize) -> (f64, f64, f64, f64) {
    let xs = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(markers.iter().map(|m| m.year));
    let ys: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(markers.iter().map(|m| m.value))
        .collect();
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (mut y0, mut y1) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
    if from_zero {
        y0 = y0.min(0.0);
    }
    // Also catches NaN from empty or degenerate data.
    if y1.partial_cmp(&y0) != Some(std::cmp::Ordering::Greater) {
        y1 = y0 + 1.0;
    }
    let pad = 0.06 * (y1 - y0);
    let headroom = (y1 - y0) * (0.08 + 0.075 * legend_rows as f64);
    (
        x0,
        x1.max(x0 + 1.0),
        if from_zero && y0 >= 0.0 { y0 } else { y0 - pad },
        y1 + headroom,
    )
}

/// A line chart with a legend and optional target markers in `area`.
pub fn lines(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    y_label: &str,
    lines: &[Line],
    markers: &[Marker],
    from_zero: bool,
) -> Result<()> {
    // Many series: the legend goes in a column to the right of the plot.
    let outside = lines.len() + markers.len() > 6;
    let (plot, side) = if outside {
        let (l, r) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 290);
        (l, Some(r))
    } else {
        (area.clone(), None)
    };
    let rows = if outside { 0 } else { lines.len() + markers.len() };
    let (x0, x1, y0, y1) = range(lines, markers, from_zero, rows);
    let mut chart = year_chart(&plot, path, title, y_label, (x0, x1), (y0, y1))?;
    let mut names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    names.extend(markers.iter().map(marker_label));
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let corner = legend_corner(
        lines,
        markers,
        &name_refs,
        (x0, x1, y0, y1),
        chart.plotting_area().dim_in_pixel(),
    );
    // The emphasised line (the reference) is drawn last, on top of the others.
    let order = lines
        .iter()
        .filter(|l| !l.emphasised)
        .chain(lines.iter().filter(|l| l.emphasised));
    for l in order {
        let width = if l.emphasised { 5 } else { 2 };
        let style = l.colour.stroke_width(width);
        chart
            .draw_series(LineSeries::new(l.points.iter().copied(), style))
            .map_err(|e| chart_error(path, e))?
            .label(l.name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
    }
    draw_markers(&mut chart, path, markers)?;
    match side {
        None => legend(&mut chart, path, corner),
        Some(side) => {
            for (i, l) in lines.iter().enumerate() {
                let y = 70 + 26 * i as i32;
                let width = if l.emphasised { 5 } else { 2 };
                side.draw(&PathElement::new(vec![(6, y), (36, y)], l.colour.stroke_width(width)))
                    .map_err(|e| chart_error(path, e))?;
                side.draw(&Text::new(l.name.clone(), (44, y - 9), (FONT, 16)))
                    .map_err(|e| chart_error(path, e))?;
            }
            Ok(())
        }
    }
}

/// Layers stacked from the first up, each filled with its colour.
pub fn stacked(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    y_label: &str,
    layers: &[Line],
    markers: &[Marker],
) -> Result<()> {
    let n = layers.first().map_or(0, |l| l.points.len());
    let mut tops: Vec<Vec<(f64, f64)>> = Vec::with_capacity(layers.len());
    for (i, l) in layers.iter().enumerate() {
        let pts = (0..n)
            .map(|k| {
                (
                    l.points[k].0,
                    l.points[k].1 + if i > 0 { tops[i - 1][k].1 } else { 0.0 },
                )
            })
            .collect();
        tops.push(pts);
    }
    let total = Line {
        name: String::new(),
        colour: BLACK,
        points: tops.last().cloned().unwrap_or_default(),
        emphasised: false,
    };
    let (x0, x1, _, y1) = range(
        std::slice::from_ref(&total),
        markers,
        true,
        layers.len() + markers.len(),
    );
    let mut chart = year_chart(area, path, title, y_label, (x0, x1), (0.0, y1))?;
    let mut names: Vec<String> = layers.iter().map(|l| l.name.clone()).collect();
    names.extend(markers.iter().map(marker_label));
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let corner = legend_corner(
        &[total],
        markers,
        &name_refs,
        (x0, x1, 0.0, y1),
        chart.plotting_area().dim_in_pixel(),
    );
    // Top layer first, so each lower layer is painted over the one above.
    for (i, l) in layers.iter().enumerate().rev() {
        let colour = l.colour;
        chart
            .draw_series(
                AreaSeries::new(tops[i].iter().copied(), 0.0, colour.mix(0.85).filled())
                    .border_style(colour.stroke_width(1)),
            )
            .map_err(|e| chart_error(path, e))?
            .label(l.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.filled()));
    }
    draw_markers(&mut chart, path, markers)?;
    legend(&mut chart, path, corner)
}

/// Horizontal bars, one per label, in the given order (top to bottom).
pub fn bars(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    x_label: &str,
    bars: &[(String, f64, RGBColor)],
    unit_suffix: &str,
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| chart_error(path, e);
    let n = bars.len().max(1);
    let lo = bars.iter().map(|b| b.1).fold(0.0f64, f64::min);
    let hi = bars.iter().map(|b| b.1).fold(0.0f64, f64::max);
    // Room beyond the bars for their values.
    let pad = 0.16 * (hi - lo).max(1e-9);
    let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 26).into_font().style(FontStyle::Bold))
        .margin(18)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(250)
        .build_cartesian_2d(lo - pad..hi + pad, (0..n - 1).into_segmented())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .x_label_formatter(&|v| short(*v))
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names.get(n - 1 - *i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| err(&e))?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, (_, v, c))| {
            let row = n - 1 - i;
            let mut r = Rectangle::new(
                [(0.0, SegmentValue::Exact(row)), (*v, SegmentValue::Exact(row + 1))],
                c.filled(),
            );
            r.set_margin(4, 4, 0, 0);
            r
        }))
        .map_err(|e| err(&e))?;
    // Each bar's value beside its end, outside the bar.
    let gap = 0.01 * (hi - lo).max(1e-9);
    chart
        .draw_series(bars.iter().enumerate().map(|(i, (_, v, _))| {
            let row = n - 1 - i;
            let (x, side) = if *v >= 0.0 {
                (*v + gap, HPos::Left)
            } else {
                (*v - gap, HPos::Right)
            };
            let style = TextStyle::from((FONT, 17).into_font()).pos(Pos::new(side, VPos::Center));
            Text::new(
                format!("{}{unit_suffix}", value_label(*v)),
                (x, SegmentValue::CenterOf(row)),
                style,
            )
        }))
        .map_err(|e| err(&e))?;
    Ok(())
}

/// A bar's value as printed beside it: `+2.4`, `-12`, `+0.35`.
pub fn value_label(v: f64) -> String {
    let a = v.abs();
    let body = if a >= 100.0 {
        super::super::report::thousands(a)
    } else if a >= 10.0 {
        format!("{a:.1}")
    } else {
        format!("{a:.2}")
    };
    format!("{}{body}", if v < 0.0 { "-" } else { "+" })
}

/// The canvas below a common title, to be split into panels.
pub fn titled<'b>(
    root: &DrawingArea<BitMapBackend<'b>, Shift>,
    path: &Path,
    title: &str,
) -> Result<DrawingArea<BitMapBackend<'b>, Shift>> {
    root.titled(title, (FONT, 28).into_font().style(FontStyle::Bold))
        .map_err(|e| chart_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_read_well_on_axes() {
        assert_eq!(short(1_250_000.0), "1.25M");
        assert_eq!(short(350_000.0), "350k");
        assert_eq!(short(2.85e9), "2.9bn");
        assert_eq!(short(0.126), "0.13");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(18.0), "18");
        assert_eq!(short(2.5), "2.5");
    }

    #[test]
    fn a_chart_that_cannot_be_written_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("x.png");
        let line = Line {
            name: "a".into(),
            colour: colour(0),
            points: vec![(2020.0, 1.0), (2021.0, 2.0)],
            emphasised: false,
        };
        let e = png(&path, |root| lines(root, &path, "t", "y", &[line], &[], true)).unwrap_err();
        assert!(e.to_string().contains("x.png"), "{e}");
        assert!(!dir.path().join("missing").exists());
    }

    #[test]
    fn the_legend_goes_to_a_corner_the_data_leave_free() {
        let falling = Line {
            name: "share".into(),
            colour: colour(0),
            points: vec![(2023.0, 18.0), (2030.0, 14.0), (2049.0, 10.0)],
            emphasised: false,
        };
        let corner = legend_corner(
            std::slice::from_ref(&falling),
            &[],
            &["share"],
            (2023.0, 2049.0, 0.0, 19.0),
            (1000, 500),
        );
        assert_eq!(corner, SeriesLabelPosition::UpperRight);
        let rising = Line {
            points: vec![(2023.0, 2.0), (2049.0, 18.0)],
            ..falling
        };
        let corner = legend_corner(&[rising], &[], &["share"], (2023.0, 2049.0, 0.0, 19.0), (1000, 500));
        assert_eq!(corner, SeriesLabelPosition::UpperLeft);
    }

    #[test]
    fn bar_values_carry_their_sign() {
        assert_eq!(value_label(-12.53), "-12.5");
        assert_eq!(value_label(0.354), "+0.35");
        assert_eq!(value_label(1520.0), "+1,520");
    }
}
