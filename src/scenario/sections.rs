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
    ]
}

/// Every key a scenario can state, in the order of a scenario file.
pub fn reference() -> Vec<ParamDoc> {
    let mut out = crate::params::reference();
    out.extend(uncertainty());
    out
}
