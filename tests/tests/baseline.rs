//! The bundled Kyrgyz baseline: matches the base-year data it was calibrated
//! to, and stays sane to 2050.

use super::*;
use migsim::{Dim, Indicator, Trajectory};

fn baseline() -> (migsim::Model, Trajectory) {
    let (model, _) = migsim::compile(migsim::scenario::load_bundled_baseline().unwrap()).unwrap();
    let run = migsim::model::project(&model).unwrap();
    (model, run)
}

/// A WDI figure from the copy of the source kept in the repository.
fn wdi(indicator: &str, year: i32) -> f64 {
    let text = std::fs::read_to_string(repo().join("scenarios/data/sources/wdi_kgz_annual.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for rec in rdr.records() {
        let rec = rec.unwrap();
        if &rec[1] == indicator && rec[2].parse::<i32>().unwrap() == year {
            return rec[3].parse().unwrap();
        }
    }
    panic!("{indicator} {year} not in the WDI file");
}

#[test]
fn base_year_residents_within_2_percent_of_wdi() {
    let (_, run) = baseline();
    let model = run.get(Indicator::PopulationHome, Dim::Total, 2023).unwrap();
    let data = wdi("SP.POP.TOTL", 2023);
    assert!((model / data - 1.0).abs() < 0.02, "{model} vs {data}");
}

#[test]
fn base_year_remittances_within_10_percent_and_3_points_of_gdp() {
    let (_, run) = baseline();
    let usd = run.get(Indicator::RemittancesUsd, Dim::Total, 2023).unwrap();
    let data = wdi("BX.TRF.PWKR.CD.DT", 2023);
    assert!((usd / data - 1.0).abs() < 0.10, "{usd} vs {data}");
    let pct = run.get(Indicator::RemittancesPctGdp, Dim::Total, 2023).unwrap();
    let data_pct = 100.0 * data / wdi("NY.GDP.MKTP.CD", 2023);
    assert!((pct - data_pct).abs() < 3.0, "{pct} vs {data_pct}");
}

#[test]
fn base_year_citizens_abroad_and_russia_share_within_the_data_range() {
    let (model, run) = baseline();
    let abroad = run.get(Indicator::PopulationAbroad, Dim::Total, 2023).unwrap();
    // UN DESA mid-2024 (540,000) to the upper expert estimate of ~2017 (750,000).
    assert!((540_000.0..=750_000.0).contains(&abroad), "{abroad}");
    let russia = model
        .params
        .destinations
        .iter()
        .position(|d| d.name == "russia")
        .unwrap();
    let share = run
        .get(Indicator::PopulationAbroad, Dim::Destination(russia), 2023)
        .unwrap()
        / abroad;
    // UN DESA 2024 share (0.57) to the Deputy Labour Minister's 2024 figures (0.70).
    assert!((0.57..=0.70).contains(&share), "{share}");
}

#[test]
fn base_year_flows_match_their_calibration_targets() {
    let (_, run) = baseline();
    let emigrants = run.get(Indicator::Emigrants, Dim::Total, 2023).unwrap();
    assert!((emigrants - 50_000.0).abs() < 1e-3, "{emigrants}");
    let moves = run.get(Indicator::InternalMoves, Dim::Total, 2023).unwrap();
    assert!((moves - 55_000.0).abs() < 1e-3, "{moves}");
    // Returns: 37,000 a year in 2022-24, 48,000 in autumn 2024.
    let returns = run.get(Indicator::Returns, Dim::Total, 2023).unwrap();
    assert!((35_000.0..=50_000.0).contains(&returns), "{returns}");
}

#[test]
fn nothing_is_negative_or_nan_to_2050() {
    let (_, run) = baseline();
    for row in &run.rows {
        assert!(row.value.is_finite(), "{row:?}");
        if row.indicator != Indicator::NetMigration {
            assert!(row.value >= 0.0, "{row:?}");
        }
    }
    assert!(run.rows.iter().any(|r| r.year == 2050));
}
