//! The reference of every key a scenario can state: the parameters' own
//! declarations, and the keys of `[uncertainty]`, which this layer reads.

use crate::declare::ParamDoc;

/// The keys of `[uncertainty]`, read by `scenario::uncertainty`.
fn uncertainty() -> Vec<ParamDoc> {
    let doc = |key: &str, kind, unit, min: Option<f64>, default: Option<&str>, description: &str| ParamDoc {
        key: key.into(),
        kind,
        unit,
        min,
        max: None,
        default: default.map(Into::into),
        description: description.into(),
    };
    vec![
        doc(
            "uncertainty.draws",
            "whole number",
            "draws",
            Some(0.0),
            None,
            "Draws of an ensemble run with --ensemble; 0 switches off an inherited [uncertainty].",
        ),
        doc(
            "uncertainty.seed",
            "whole number",
            "-",
            Some(0.0),
            Some("0"),
            "Seed of the draws (overridden by --seed).",
        ),
        doc(
            "uncertainty.parameters.*",
            "distribution",
            "as the key",
            None,
            None,
            "A dotted key of any number above (year-path knots by year, e.g. `fertility.tfr.2050`) and its distribution: normal, lognormal, beta_scaled, uniform or triangular.",
        ),
        doc(
            "uncertainty.shocks.*.kind",
            "text",
            "",
            None,
            None,
            "A shock kind (see shocks.*) striking at random; its other keys as for that kind, without `year`.",
        ),
        doc(
            "uncertainty.shocks.*.yearly_probability",
            "number",
            "1/year",
            Some(0.0),
            None,
            "Probability that the shock strikes in a given year.",
        ),
        doc(
            "uncertainty.posterior_csv",
            "text",
            "",
            None,
            None,
            "A posterior.csv of `migsim calibrate`: each draw takes one of its rows, chosen by weight, so its parameters move together as the calibration found them.",
        ),
        doc(
            "calibration.observed_csv",
            "text",
            "",
            None,
            None,
            "Observed figures for `migsim calibrate`: indicator,dimension,year,value,error,source (error: the source's relative error scale).",
        ),
        doc(
            "calibration.particles",
            "whole number",
            "particles",
            Some(10.0),
            Some("500"),
            "Particles per ABC-SMC generation.",
        ),
        doc(
            "calibration.generations",
            "whole number",
            "generations",
            Some(1.0),
            Some("10"),
            "At most this many generations, the prior's included.",
        ),
        doc(
            "calibration.quantile",
            "number",
            "share",
            Some(0.0),
            Some("0.5"),
            "Each tolerance is this quantile of the previous generation's distances.",
        ),
        doc(
            "calibration.min_acceptance",
            "number",
            "share",
            Some(0.0),
            Some("0.02"),
            "Stop once a generation accepts less than this share of its proposals.",
        ),
        doc(
            "calibration.chains",
            "whole number",
            "chains",
            Some(1.0),
            Some("1"),
            "Independent ABC-SMC chains, each of `particles`, pooled with equal weight; the unit of `--shard`.",
        ),
        doc(
            "calibration.seed",
            "whole number",
            "-",
            Some(0.0),
            Some("0"),
            "Seed of the proposals (overridden by --seed).",
        ),
        doc(
            "calibration.parameters.*",
            "distribution",
            "as the key",
            None,
            None,
            "A dotted key to learn and its prior, in the syntax of uncertainty.parameters.*; a key by education alone (e.g. `remittances.share_temporary`) sets every level.",
        ),
    ]
}

/// Every key a scenario can state, in the order of a scenario file.
/// What a dotted key means, in the words of its declaration, with the
/// names its `*` stand for (and a year of a year path): for
/// `destinations.russia.wage_growth`, ("Yearly growth of the wage in USD",
/// ["russia"]).
pub fn meaning(key: &str) -> Option<(String, Vec<String>)> {
    let parts: Vec<&str> = key.split('.').collect();
    reference().into_iter().find_map(|doc| {
        let pattern: Vec<&str> = doc.key.split('.').collect();
        let (head, year) = match parts.len().checked_sub(pattern.len())? {
            0 => (&parts[..], None),
            1 if doc.kind == "year path" && parts.last()?.parse::<i32>().is_ok() => {
                (&parts[..pattern.len()], parts.last().map(|y| y.to_string()))
            }
            _ => return None,
        };
        let mut named = Vec::new();
        for (p, k) in pattern.iter().zip(head) {
            match *p {
                "*" => named.push(k.to_string()),
                p if p == *k => {}
                _ => return None,
            }
        }
        named.extend(year);
        Some((doc.description.trim_end_matches('.').to_string(), named))
    })
}

/// A dotted key in words: its description with the names it holds in
/// brackets (`Yearly growth of the wage in USD (russia)`), the key itself
/// when undeclared. With `room`, the description is cut to fit that many
/// characters, the names kept whole.
pub fn in_words(key: &str, room: Option<usize>) -> String {
    let (description, names) = match meaning(key) {
        Some((d, named)) if named.is_empty() => (d, String::new()),
        Some((d, named)) => (d, format!(" ({})", named.join(", "))),
        None => (key.to_string(), String::new()),
    };
    match room.map(|r| r.saturating_sub(names.chars().count()).max(12)) {
        Some(room) if description.chars().count() > room => {
            description.chars().take(room - 1).collect::<String>() + "…" + &names
        }
        _ => description + &names,
    }
}

pub fn reference() -> Vec<ParamDoc> {
    let mut out = crate::params::reference();
    out.extend(uncertainty());
    out
}

#[cfg(test)]
mod meaning_tests {
    use super::meaning;

    #[test]
    fn a_dotted_key_reads_as_its_declared_description_with_its_names() {
        let (d, named) = meaning("destinations.russia.wage_growth").unwrap();
        assert_eq!(
            (d.as_str(), named),
            ("Yearly growth of the wage in USD", vec!["russia".to_string()])
        );
        let (d, named) = meaning("fertility.tfr.2050").unwrap();
        assert!(d.to_lowercase().contains("fertility"), "{d}");
        assert_eq!(named, ["2050"]);
        assert!(meaning("emigration.gamma").is_some());
        assert!(meaning("nothing.here").is_none());
    }
}
