//! Writing results: `series` (the tidy CSV), `manifest` (what is needed to
//! reproduce a run), and the rest, each through `atomic` (a temporary file
//! renamed into place, so a reader never sees half a file), all of a run's
//! files together through `generation` (a staging folder that replaces the
//! previous outputs as a whole).

pub mod atomic;
pub mod charts;
pub mod comparison;
pub mod experiments;
pub mod generation;
pub mod manifest;
pub mod reference;
pub mod report;
pub mod series;
pub mod targets;
pub mod xlsx;

/// A CSV field, quoted only when it must be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A column name that R's `read.csv` and pandas keep as it is: lower-case
/// letters, digits and underscores, starting with a letter (`%` becomes
/// `pct`), e.g. `population_abroad[destination=russia]@2040` →
/// `population_abroad_destination_russia_2040`.
pub fn column_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.replace('%', "pct").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("x_{out}"),
    }
}

/// `column_name` of each text, a repeated name numbered (`_2`, `_3`, …).
pub fn column_names(texts: &[String]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    texts
        .iter()
        .map(|t| {
            let base = column_name(t);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base}_{n}") }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_survive_r_and_pandas_unchanged() {
        assert_eq!(
            column_name("population_abroad[destination=russia]@2040"),
            "population_abroad_destination_russia_2040"
        );
        assert_eq!(
            column_name("met:citizens abroad in 2040 at least 10% below the baseline"),
            "met_citizens_abroad_in_2040_at_least_10pct_below_the_baseline"
        );
        assert_eq!(column_name("2040 goal"), "x_2040_goal");
        assert_eq!(
            column_names(&["a b".into(), "a-b".into(), "c".into()]),
            ["a_b", "a_b_2", "c"]
        );
    }
}
