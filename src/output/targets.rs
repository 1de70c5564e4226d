//! `targets.csv`: one row per scenario and target, met or not.

use super::csv_field as field;
use crate::targets::TargetResult;

pub const HEADER: &str = "scenario,target,indicator,dimension,year,reference,value,reference_value,measured,bound,limit,probability_met,probability_better_than_first,met";

pub fn to_csv(rows: &[(String, TargetResult)]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (scenario, r) in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            field(scenario),
            field(&r.name),
            r.indicator,
            r.dimension,
            r.year,
            field(&r.reference),
            r.value,
            r.reference_value.map(|v| v.to_string()).unwrap_or_default(),
            r.measured,
            r.bound,
            r.limit,
            r.probability.map(|v| v.to_string()).unwrap_or_default(),
            r.probability_better_than_first
                .map(|v| v.to_string())
                .unwrap_or_default(),
            r.met
        ));
    }
    out
}
