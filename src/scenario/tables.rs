//! CSV inputs named by a scenario: base-year stocks and the mortality table.
//! Problems name the file, the row and the column.
//!
//! Ages may be a single year (`23`), a band (`20-24`, spread evenly over its
//! years) or an open band (`100+`). Rows for the same cell add up.

use crate::error::InputProblem;
use crate::model::dims::{EDU_NAMES, MAX_AGE, N_AGE, N_EDU, N_SEX, N_STATUS, NATURALISED, SEX_NAMES, STATUS_LABELS};
use ndarray::{Array4, Array6};

/// Stop after this many problems in one table: the first ones tell the story.
const MAX_PROBLEMS: usize = 10;

struct Table<'a> {
    file: &'a str,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn parse<'a>(file: &'a str, text: &str, required: &[&str]) -> Result<(Table<'a>, Vec<usize>), Vec<InputProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
    };
    let mut cols = Vec::new();
    for want in required {
        match headers.iter().position(|h| h == want) {
            Some(i) => cols.push(i),
            None => {
                return Err(vec![
                    InputProblem::new(
                        file,
                        *want,
                        format!("missing column; expected a header with {}", required.join(",")),
                    )
                    .at("row 1"),
                ]);
            }
        }
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r.iter().map(str::to_owned).collect()));
            }
            Err(e) => return Err(vec![InputProblem::new(file, "", format!("not a readable CSV: {e}"))]),
        }
    }
    Ok((Table { file, headers, rows }, cols))
}

impl Table<'_> {
    fn problem(&self, line: usize, col: usize, message: String) -> InputProblem {
        InputProblem::new(self.file, self.headers[col].clone(), message).at(format!("row {line}"))
    }
}

/// Parses the named columns of each row with `parse_row`, collecting problems.
fn each_row<T>(
    table: &Table,
    cols: &[usize],
    mut parse_row: impl FnMut(&[&str], &dyn Fn(usize, String) -> InputProblem) -> Result<T, InputProblem>,
) -> Result<Vec<T>, Vec<InputProblem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, fields) in &table.rows {
        let vals: Vec<&str> = cols.iter().map(|&c| fields.get(c).map_or("", String::as_str)).collect();
        let err = |i: usize, m: String| table.problem(*line, cols[i], m);
        match parse_row(&vals, &err) {
            Ok(v) => out.push(v),
            Err(p) => {
                problems.push(p);
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
            }
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn label(value: &str, names: &[impl AsRef<str>], what: &str) -> Result<usize, String> {
    crate::declare::find_name(value, names, what)
}

/// `23`, `20-24` or `100+` as an inclusive range of single years.
fn age_band(value: &str) -> Result<(usize, usize), String> {
    let expected = || format!("`{value}` is not an age; expected 0..=100, a band like 20-24, or 100+");
    let num = |s: &str| s.trim().parse::<usize>().ok().filter(|&a| a <= MAX_AGE);
    if let Some(lo) = value.strip_suffix('+') {
        let lo = num(lo).ok_or_else(expected)?;
        return Ok((lo, MAX_AGE));
    }
    if let Some((lo, hi)) = value.split_once('-') {
        let (lo, hi) = (num(lo).ok_or_else(expected)?, num(hi).ok_or_else(expected)?);
        return if lo <= hi { Ok((lo, hi)) } else { Err(expected()) };
    }
    let a = num(value).ok_or_else(expected)?;
    Ok((a, a))
}

/// The most persons one row may hold: more than the world's population, so
/// that no real table reaches it, and small enough that the stocks a
/// projection makes of them stay finite.
const MAX_PERSONS: f64 = 1e10;

fn persons(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(v) if (0.0..=MAX_PERSONS).contains(&v) => Ok(v),
        Ok(v) if v.is_finite() && v > MAX_PERSONS => Err(format!(
            "`{value}` is more persons than live on Earth; expected a non-negative number of persons, at most 1e10"
        )),
        _ => Err(format!(
            "`{value}` is not a count; expected a non-negative number of persons"
        )),
    }
}

/// Residents: columns `region,sex,education,age,persons`.
pub fn read_home(file: &str, text: &str, regions: &[String]) -> Result<Array4<f64>, Vec<InputProblem>> {
    let (table, cols) = parse(file, text, &["region", "sex", "education", "age", "persons"])?;
    let rows = each_row(&table, &cols, |v, err| {
        let r = label(v[0], regions, "region").map_err(|m| err(0, m))?;
        let s = label(v[1], &SEX_NAMES, "sex").map_err(|m| err(1, m))?;
        let e = label(v[2], &EDU_NAMES, "education level").map_err(|m| err(2, m))?;
        let ages = age_band(v[3]).map_err(|m| err(3, m))?;
        let n = persons(v[4]).map_err(|m| err(4, m))?;
        Ok((r, s, e, ages, n))
    })?;
    let mut home = Array4::zeros((regions.len(), N_SEX, N_EDU, N_AGE));
    for (r, s, e, (lo, hi), n) in rows {
        let each = n / (hi - lo + 1) as f64;
        for a in lo..=hi {
            home[[r, s, e, a]] += each;
        }
    }
    Ok(home)
}

/// The Kyrgyz-born abroad: columns
/// `region,destination,status,sex,education,age,persons`. Citizens
/// (temporary, settled) by origin region; the naturalised summed over it.
pub fn read_abroad(
    file: &str,
    text: &str,
    regions: &[String],
    destinations: &[String],
) -> Result<(Array6<f64>, Array4<f64>), Vec<InputProblem>> {
    let (table, cols) = parse(
        file,
        text,
        &["region", "destination", "status", "sex", "education", "age", "persons"],
    )?;
    let rows = each_row(&table, &cols, |v, err| {
        let r = label(v[0], regions, "region").map_err(|m| err(0, m))?;
        let d = label(v[1], destinations, "destination").map_err(|m| err(1, m))?;
        let k = label(v[2], &STATUS_LABELS, "status").map_err(|m| err(2, m))?;
        let s = label(v[3], &SEX_NAMES, "sex").map_err(|m| err(3, m))?;
        let e = label(v[4], &EDU_NAMES, "education level").map_err(|m| err(4, m))?;
        let ages = age_band(v[5]).map_err(|m| err(5, m))?;
        let n = persons(v[6]).map_err(|m| err(6, m))?;
        Ok((r, d, k, s, e, ages, n))
    })?;
    let mut abroad = Array6::zeros((regions.len(), destinations.len(), N_STATUS, N_SEX, N_EDU, N_AGE));
    let mut naturalised = Array4::zeros((destinations.len(), N_SEX, N_EDU, N_AGE));
    for (r, d, k, s, e, (lo, hi), n) in rows {
        let each = n / (hi - lo + 1) as f64;
        for a in lo..=hi {
            if k == NATURALISED {
                naturalised[[d, s, e, a]] += each;
            } else {
                abroad[[r, d, k, s, e, a]] += each;
            }
        }
    }
    Ok((abroad, naturalised))
}

/// Death rates: columns `sex,age_start,mx`, single-year or abridged ages. Each
/// rate holds from its `age_start` to the next one; the last to 100+.
pub fn read_mx(file: &str, text: &str) -> Result<[Vec<f64>; 2], Vec<InputProblem>> {
    let (table, cols) = parse(file, text, &["sex", "age_start", "mx"])?;
    let rows = each_row(&table, &cols, |v, err| {
        let s = label(v[0], &SEX_NAMES, "sex").map_err(|m| err(0, m))?;
        let a = v[1].parse::<usize>().ok().filter(|&a| a <= MAX_AGE).ok_or_else(|| {
            err(
                1,
                format!("`{}` is not an age; expected a whole number in 0..=100", v[1]),
            )
        })?;
        let mx = v[2]
            .parse::<f64>()
            .ok()
            .filter(|m| m.is_finite() && *m > 0.0 && *m <= 5.0)
            .ok_or_else(|| {
                err(
                    2,
                    format!("`{}` is not a death rate; expected a number in (0, 5]", v[2]),
                )
            })?;
        Ok((s, a, mx))
    })?;
    let mut out: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for (s, out_s) in out.iter_mut().enumerate() {
        let mut knots: Vec<(usize, f64)> = rows.iter().filter(|r| r.0 == s).map(|r| (r.1, r.2)).collect();
        knots.sort_by_key(|k| k.0);
        if knots.first().map(|k| k.0) != Some(0) {
            return Err(vec![InputProblem::new(
                file,
                "age_start",
                format!(
                    "no rate for {} at age 0; expected rows from age 0 up for each sex",
                    SEX_NAMES[s]
                ),
            )]);
        }
        if knots.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(vec![InputProblem::new(
                file,
                "age_start",
                format!("repeated age_start for {}; expected one rate per age", SEX_NAMES[s]),
            )]);
        }
        *out_s = (0..N_AGE)
            .map(|a| knots.iter().rev().find(|k| k.0 <= a).expect("age 0 is present").1)
            .collect();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<String> {
        vec!["north".into(), "south".into()]
    }

    #[test]
    fn spreads_age_bands_evenly_and_adds_repeated_rows() {
        let csv = "region,sex,education,age,persons\nnorth,female,low,20-24,500\nnorth,female,low,22,7\nsouth,male,high,100+,3\n";
        let h = read_home("h.csv", csv, &regions()).unwrap();
        assert_eq!(h[[0, 0, 0, 20]], 100.0);
        assert_eq!(h[[0, 0, 0, 22]], 107.0);
        assert_eq!(h[[1, 1, 2, 100]], 3.0);
        assert_eq!(h.sum(), 510.0);
    }

    #[test]
    fn negative_count_names_file_row_and_column() {
        let csv = "region,sex,education,age,persons\nnorth,female,low,20,-5\n";
        let e = read_home("h.csv", csv, &regions()).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "h.csv:row 2: `persons`: `-5` is not a count; expected a non-negative number of persons"
        );
    }

    /// A count no population has would overflow the projection to
    /// infinity years later; it is refused where it is written.
    #[test]
    fn a_count_beyond_any_population_is_refused_at_its_row() {
        let csv = "region,sex,education,age,persons\nnorth,female,low,20,1e10\nnorth,male,low,20,1e308\n";
        let e = read_home("h.csv", csv, &regions()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            e[0].to_string(),
            "h.csv:row 3: `persons`: `1e308` is more persons than live on Earth; expected a non-negative number of persons, at most 1e10"
        );
    }

    #[test]
    fn unknown_region_suggests_the_nearest() {
        let csv = "region,sex,education,age,persons\nnorht,female,low,20,5\n";
        let e = read_home("h.csv", csv, &regions()).unwrap_err();
        assert!(e[0].message.contains("did you mean `north`"), "{}", e[0]);
    }

    #[test]
    fn missing_column_is_named() {
        let e = read_home("h.csv", "region,sex,age,persons\n", &regions()).unwrap_err();
        assert_eq!(e[0].key, "education");
    }

    #[test]
    fn abridged_mx_holds_each_rate_to_the_next_age() {
        let csv = "sex,age_start,mx\nfemale,0,0.02\nfemale,1,0.001\nfemale,5,0.0005\nmale,0,0.03\n";
        let mx = read_mx("m.csv", csv).unwrap();
        assert_eq!(mx[0][0], 0.02);
        assert_eq!(mx[0][4], 0.001);
        assert_eq!(mx[0][100], 0.0005);
        assert_eq!(mx[1][50], 0.03);
    }

    #[test]
    fn rejects_bad_ages() {
        assert!(age_band("101").is_err());
        assert!(age_band("30-20").is_err());
        assert_eq!(age_band("95+"), Ok((95, 100)));
    }
}
