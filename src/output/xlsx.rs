//! `results.xlsx`: the run's tables for a spreadsheet, one sheet per table,
//! built from the very CSV text written beside it so the two cannot differ.
//! `series` is pivoted wide (one row per indicator, dimension and statistic,
//! one column per year); the other tables keep their CSV columns. Numbers
//! are stored as numbers and shown in the format of their unit (fractions
//! as percentages), so a reader in any locale sees them as numbers, not
//! as text split on commas.

use crate::error::{Error, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// The number format of a unit, as `series.csv` and `comparison.csv` name it.
fn format_of(unit: &str) -> Format {
    let code = match unit {
        "fraction" => "0.00%",
        "ratio" => "0.000",
        "USD/month" | "USD/person/year" => "#,##0.00",
        "persons" | "persons/year" | "USD/year" => "#,##0",
        _ => "General",
    };
    Format::new().set_num_format(code)
}

fn parse(csv_text: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let bad = |e: csv::Error| Error::Output {
        path: "results.xlsx".into(),
        message: format!("re-reading a table: {e}"),
    };
    let header = reader.headers().map_err(bad)?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for r in reader.records() {
        rows.push(r.map_err(bad)?.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Output {
        path: "results.xlsx".into(),
        message: e.to_string(),
    }
}

/// A cell as a number when it reads as one, else as text.
fn write_cell(ws: &mut Worksheet, row: u32, col: u16, text: &str, number: &Format) -> Result<()> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && !text.is_empty() => ws.write_number_with_format(row, col, v, number),
        _ => ws.write_string(row, col, text),
    }
    .map_err(xlsx_error)?;
    Ok(())
}

fn header_row(ws: &mut Worksheet, columns: &[String]) -> Result<()> {
    let bold = Format::new().set_bold();
    for (c, name) in columns.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, name, &bold)
            .map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

fn col(c: usize) -> Result<u16> {
    u16::try_from(c)
        .ok()
        .filter(|&c| c < 16_384)
        .ok_or_else(|| Error::Output {
            path: "results.xlsx".into(),
            message: format!("a table has {c} columns, more than a sheet holds"),
        })
}

fn row(r: usize) -> Result<u32> {
    u32::try_from(r)
        .ok()
        .filter(|&r| r < 1_048_576)
        .ok_or_else(|| Error::Output {
            path: "results.xlsx".into(),
            message: format!("a table has {r} rows, more than a sheet holds (1,048,576)"),
        })
}

/// A long table as it stands; a `unit` column, when there is one, gives
/// each row's number format.
fn long_sheet(ws: &mut Worksheet, csv_text: &str) -> Result<()> {
    let (header, rows) = parse(csv_text)?;
    header_row(ws, &header)?;
    let unit = header.iter().position(|h| h == "unit");
    for (i, r) in rows.iter().enumerate() {
        let f = format_of(unit.and_then(|u| r.get(u)).map_or("", String::as_str));
        for (c, text) in r.iter().enumerate() {
            write_cell(ws, row(i + 1)?, col(c)?, text, &f)?;
        }
    }
    finish(ws, rows.len(), header.len())
}

/// `series.csv` wide: one row per scenario, indicator, dimension and
/// statistic, in the CSV's order, one column per year.
fn wide_series(ws: &mut Worksheet, csv_text: &str) -> Result<()> {
    let (header, rows) = parse(csv_text)?;
    let at = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| Error::Output {
            path: "results.xlsx".into(),
            message: format!("series has no `{name}` column"),
        })
    };
    let (s, y, ind, dim, stat, val, unit) = (
        at("scenario")?,
        at("year")?,
        at("indicator")?,
        at("dimension")?,
        at("statistic")?,
        at("value")?,
        at("unit")?,
    );
    let mut years: Vec<i64> = rows.iter().filter_map(|r| r[y].parse().ok()).collect();
    years.sort_unstable();
    years.dedup();
    // Rows in the order their first value appears in the CSV, each with its
    // value of every year (the last one, if a year repeats).
    let column_of: HashMap<i64, usize> = years.iter().enumerate().map(|(j, y)| (*y, j)).collect();
    let mut row_of: HashMap<[&str; 5], usize> = HashMap::new();
    let mut table: Vec<([&str; 5], Vec<Option<&str>>)> = Vec::new();
    for r in &rows {
        let key = [
            r[s].as_str(),
            r[ind].as_str(),
            r[dim].as_str(),
            r[stat].as_str(),
            r[unit].as_str(),
        ];
        let i = *row_of.entry(key).or_insert_with(|| {
            table.push((key, vec![None; years.len()]));
            table.len() - 1
        });
        if let Some(j) = r[y].parse().ok().and_then(|year: i64| column_of.get(&year)) {
            table[i].1[*j] = Some(r[val].as_str());
        }
    }
    let mut columns: Vec<String> = ["scenario", "indicator", "dimension", "statistic", "unit"]
        .map(String::from)
        .to_vec();
    columns.extend(years.iter().map(|y| y.to_string()));
    header_row(ws, &columns)?;
    for (i, (key, values)) in table.iter().enumerate() {
        let r = row(i + 1)?;
        for (c, text) in key.iter().enumerate() {
            ws.write_string(r, col(c)?, *text).map_err(xlsx_error)?;
        }
        let f = format_of(key[4]);
        for (j, v) in values.iter().enumerate() {
            if let Some(v) = v {
                write_cell(ws, r, col(5 + j)?, v, &f)?;
            }
        }
    }
    finish(ws, table.len(), columns.len())
}

fn finish(ws: &mut Worksheet, rows: usize, cols: usize) -> Result<()> {
    if rows > 0 && cols > 0 {
        ws.autofilter(0, 0, row(rows)?, col(cols - 1)?).map_err(xlsx_error)?;
    }
    ws.autofit();
    Ok(())
}

/// The workbook: an `about` sheet (label, text), then one sheet per table.
/// Its creation date is fixed, so identical inputs give identical bytes.
/// Each sheet is given by its name and the CSV text written beside it.
pub fn workbook(about: &[(String, String)], sheets: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_error)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_title("migsim results"),
    );
    let ws = wb.add_worksheet();
    ws.set_name("about").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (i, (label, text)) in about.iter().enumerate() {
        ws.write_string_with_format(row(i)?, 0, label, &bold)
            .map_err(xlsx_error)?;
        ws.write_string(row(i)?, 1, text).map_err(xlsx_error)?;
    }
    ws.autofit();
    for &(name, csv) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(xlsx_error)?;
        if name == "series" {
            wide_series(ws, csv)?;
        } else {
            long_sheet(ws, csv)?;
        }
    }
    // The writer starts a thread per sheet and panics if it cannot.
    crate::caught::catching(|| wb.save_to_buffer())
        .map_err(|panic| Error::Output {
            path: "results.xlsx".into(),
            message: format!("the spreadsheet writer failed ({panic}); is there a limit on threads?"),
        })?
        .map_err(xlsx_error)
}
