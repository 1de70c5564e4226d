//! Population pyramids: residents and citizens abroad side by side, five-year
//! age groups, men to the left and women to the right.

use super::draw::{FONT, short, titled};
use crate::error::{Error, Result};
use crate::model::Pyramid;
use crate::model::dims::{FEMALE, MALE, N_AGE};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const GROUPS: usize = 17; // 0-4 … 75-79, 80+

fn groups(by_age: &[f64; N_AGE]) -> [f64; GROUPS] {
    let mut g = [0.0; GROUPS];
    for (a, v) in by_age.iter().enumerate() {
        g[(a / 5).min(GROUPS - 1)] += v;
    }
    g
}

fn label(i: usize) -> String {
    if i == GROUPS - 1 {
        "80+".into()
    } else {
        format!("{}-{}", 5 * i, 5 * i + 4)
    }
}

fn panel(
    area: &DrawingArea<BitMapBackend, Shift>,
    path: &Path,
    title: &str,
    women: [f64; GROUPS],
    men: [f64; GROUPS],
) -> Result<()> {
    let err = |e: &dyn std::fmt::Display| Error::Output {
        path: path.display().to_string(),
        message: format!("drawing chart: {e}"),
    };
    let max = women.iter().chain(&men).fold(0.0f64, |m, &v| m.max(v)).max(1.0) * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 22))
        .margin(14)
        .margin_right(30)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(-max..max, (0..GROUPS - 1).into_segmented())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("persons (men left, women right)")
        .x_labels(5)
        .x_label_formatter(&|v| short(v.abs()))
        .y_labels(GROUPS)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => label(*i),
            _ => String::new(),
        })
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| err(&e))?;
    let male = RGBColor(0, 114, 178);
    let female = RGBColor(213, 94, 0);
    chart
        .draw_series((0..GROUPS).map(|i| {
            let mut r = Rectangle::new(
                [(-men[i], SegmentValue::Exact(i)), (0.0, SegmentValue::Exact(i + 1))],
                male.filled(),
            );
            r.set_margin(2, 2, 0, 0);
            r
        }))
        .map_err(|e| err(&e))?
        .label("men")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], male.filled()));
    chart
        .draw_series((0..GROUPS).map(|i| {
            let mut r = Rectangle::new(
                [(0.0, SegmentValue::Exact(i)), (women[i], SegmentValue::Exact(i + 1))],
                female.filled(),
            );
            r.set_margin(2, 2, 0, 0);
            r
        }))
        .map_err(|e| err(&e))?
        .label("women")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], female.filled()));
    super::draw::legend(&mut chart, path, SeriesLabelPosition::UpperRight)
}

pub fn draw(root: &DrawingArea<BitMapBackend, Shift>, path: &Path, title: &str, p: &Pyramid) -> Result<()> {
    let area = titled(root, path, title)?;
    let (left, right) = area.split_horizontally(600);
    panel(&left, path, "residents", groups(&p.home[FEMALE]), groups(&p.home[MALE]))?;
    panel(
        &right,
        path,
        "citizens abroad",
        groups(&p.abroad[FEMALE]),
        groups(&p.abroad[MALE]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_year_groups_end_in_an_open_80_plus() {
        let g = groups(&[1.0; N_AGE]);
        assert_eq!(g[0], 5.0);
        assert_eq!(g[GROUPS - 1], 21.0);
        assert_eq!(g.iter().sum::<f64>(), N_AGE as f64);
        assert_eq!(label(3), "15-19");
    }
}
