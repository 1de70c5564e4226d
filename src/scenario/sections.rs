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
pub fn reference() -> Vec<ParamDoc> {
    let mut out = crate::params::reference();
    out.extend(uncertainty());
    out
}
