//! `results.xlsx` read back with an independent reader (calamine): one sheet
//! per table, units beside the numbers, numbers stored as numbers equal to
//! the CSV's.

use super::*;
use calamine::{Data, Reader, Xlsx, open_workbook};

fn run_to(dir: &Path, args: &[&str]) {
    let o = migsim()
        .args(args)
        .arg("--out")
        .arg(dir)
        .args(["--quiet", "--no-charts"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn a_run_workbook_holds_every_table_with_units_and_the_csv_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_to(&out, &["run", "--draws", "4"]);
    let mut wb: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["about", "series", "targets"]);
    let series = wb.worksheet_range("series").unwrap();
    let header: Vec<String> = series.rows().next().unwrap().iter().map(cell_text).collect();
    assert_eq!(header[..5], ["scenario", "indicator", "dimension", "statistic", "unit"]);
    assert_eq!(header[5], "2023");
    assert_eq!(header.last().unwrap(), "2050");
    // Every row has a unit, and each CSV value is the workbook's number.
    let csv = std::fs::read_to_string(out.join("series.csv")).unwrap();
    let mut wanted = std::collections::HashMap::new();
    for line in csv.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        wanted.insert(
            (c[2].to_string(), c[3].to_string(), c[4].to_string(), c[1].to_string()),
            c[5].parse::<f64>().unwrap(),
        );
    }
    let mut checked = 0;
    for r in series.rows().skip(1) {
        let key: Vec<String> = r[..5].iter().map(cell_text).collect();
        assert!(!key[4].is_empty(), "a row without unit: {key:?}");
        for (j, year) in header[5..].iter().enumerate() {
            if let Data::Float(v) = r[5 + j] {
                let w = wanted[&(key[1].clone(), key[2].clone(), key[3].clone(), year.clone())];
                assert_eq!(v, w, "{key:?} {year}");
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        csv.lines().count() - 1,
        "every CSV value is in the workbook once"
    );
    let targets = wb.worksheet_range("targets").unwrap();
    assert_eq!(cell_text(&targets.rows().next().unwrap()[0]), "scenario");
    let about = wb.worksheet_range("about").unwrap();
    let labels: Vec<String> = about.rows().map(|r| cell_text(&r[0])).collect();
    assert!(
        labels.contains(&"ensemble".to_string()) && labels.contains(&"units".to_string()),
        "{labels:?}"
    );
}

#[test]
fn a_comparison_workbook_holds_the_comparison_with_units_and_is_byte_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let scenarios: Vec<String> = ["baseline.toml", "jobs-at-home.toml"]
        .iter()
        .map(|s| repo().join("scenarios/kyrgyzstan").join(s).display().to_string())
        .collect();
    let mut bytes = Vec::new();
    for k in 0..2 {
        let out = tmp.path().join(format!("c{k}"));
        let mut args = vec!["compare"];
        args.extend(scenarios.iter().map(String::as_str));
        run_to(&out, &args);
        bytes.push(std::fs::read(out.join("results.xlsx")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1], "identical inputs give an identical workbook");
    let mut wb: Xlsx<_> = open_workbook(tmp.path().join("c0/results.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["about", "comparison", "targets"]);
    let c = wb.worksheet_range("comparison").unwrap();
    let header: Vec<String> = c.rows().next().unwrap().iter().map(cell_text).collect();
    assert_eq!(header.last().unwrap(), "unit");
    let shares = c
        .rows()
        .filter(|r| cell_text(&r[2]) == "remittances_share_gdp")
        .inspect(|r| assert_eq!(cell_text(r.last().unwrap()), "fraction"))
        .count();
    assert!(shares > 0);
}
