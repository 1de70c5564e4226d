//! Charts and reports: every chart is drawn, at 1200×700, the same bytes every
//! time, and a chart that cannot be written leaves nothing behind.

use super::*;

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    )
}

fn run_into(scenario: &Path, out: &Path) -> std::process::Output {
    migsim()
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .unwrap()
}

const RUN_CHARTS: [&str; 8] = [
    "abroad_by_destination.png",
    "flows.png",
    "remittances.png",
    "brain_drain.png",
    "population_by_region.png",
    "labour_market.png",
    "pyramid_2023.png",
    "pyramid_2050.png",
];

#[test]
fn run_draws_every_chart_identically_each_time_and_links_them_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/kyrgyzstan/concept-2040-draft.toml");
    for out in ["a", "b"] {
        let o = run_into(&scenario, &dir.path().join(out));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for chart in RUN_CHARTS {
        let a = std::fs::read(dir.path().join("a/charts").join(chart)).unwrap();
        let b = std::fs::read(dir.path().join("b/charts").join(chart)).unwrap();
        assert_eq!(png_size(&a), (1200, 700), "{chart}");
        assert!(a.len() > 20_000, "{chart} looks blank ({} bytes)", a.len());
        assert!(a == b, "{chart} differs between runs");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path().join("a/charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), RUN_CHARTS.len(), "{names:?}");
    let report = std::fs::read_to_string(dir.path().join("a/report.md")).unwrap();
    for chart in RUN_CHARTS {
        assert!(report.contains(&format!("(charts/{chart})")), "report lacks {chart}");
    }
    assert!(
        report.contains("| 2040 |") && (report.contains("| met |") || report.contains("| not met |")),
        "{report}"
    );
}

#[test]
fn no_charts_skips_them() {
    let dir = tempfile::tempdir().unwrap();
    let o = migsim()
        .arg("run")
        .arg("--no-charts")
        .arg("--quiet")
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!dir.path().join("x/charts").exists());
    assert!(dir.path().join("x/series.csv").exists());
}

#[test]
fn a_chart_that_cannot_be_written_leaves_no_partial_or_blank_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A folder where `flows.png` should go: the chart cannot be put in place.
    std::fs::create_dir_all(out.join("charts/flows.png")).unwrap();
    let o = run_into(&repo().join("scenarios/kyrgyzstan/baseline.toml"), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("flows.png"), "{err}");
    let leftovers: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert!(out.join("charts/flows.png").is_dir());
}

#[test]
fn compare_draws_an_overlay_and_a_difference_chart_per_headline_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let k = repo().join("scenarios/kyrgyzstan");
    let o = migsim()
        .arg("compare")
        .args([
            k.join("baseline.toml"),
            k.join("jobs-at-home.toml"),
            k.join("ruble-crisis.toml"),
        ])
        .args(["--year", "2035", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for stem in [
        "population_abroad",
        "population_home",
        "emigrants",
        "remittances_usd",
        "remittances_share_gdp",
        "tertiary_emigration_rate",
    ] {
        for name in [format!("compare_{stem}.png"), format!("differences_{stem}_2035.png")] {
            let bytes = std::fs::read(dir.path().join("charts").join(&name)).unwrap();
            assert_eq!(png_size(&bytes), (1200, 700), "{name}");
        }
    }
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        report.contains("| jobs-at-home |") && report.contains("Values in 2035"),
        "{report}"
    );
    assert!(report.contains("(charts/differences_population_abroad_2035.png)"));
}

/// A target on a dimension, or on an indicator no chart draws, gets a chart
/// of its own (its series and its bound) in a run and in a comparison, and
/// the report shows it.
#[test]
fn targets_on_a_dimension_get_their_own_chart_in_run_and_compare() {
    let dir = tempfile::tempdir().unwrap();
    let k = repo().join("scenarios/kyrgyzstan");
    let scenario = extending(
        dir.path(),
        "with-targets",
        &k.join("jobs-at-home.toml"),
        "[[targets]]\nname = \"fewer in Russia\"\nindicator = \"population_abroad\"\n\
         dimension = \"destination=russia\"\nyear = 2040\nat_most = 500000\n\n\
         [[targets]]\nname = \"residents\"\nindicator = \"population_home\"\nyear = 2045\nat_least = 8000000\n",
    );
    let out = dir.path().join("run");
    let o = run_into(&scenario, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in ["target_1.png", "target_2.png"] {
        let bytes = std::fs::read(out.join("charts").join(name)).unwrap();
        assert_eq!(png_size(&bytes), (1200, 700), "{name}");
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("(charts/target_1.png)"), "{report}");
    let cmp = dir.path().join("cmp");
    let o = migsim()
        .arg("compare")
        .arg(k.join("baseline.toml"))
        .arg(&scenario)
        .args(["--quiet", "--out"])
        .arg(&cmp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // population_home has a compare chart, which carries its target; the
    // target on Russia gets its own.
    let charts: Vec<String> = std::fs::read_dir(cmp.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("target_"))
        .collect();
    assert_eq!(charts, ["target_1.png"]);
}
