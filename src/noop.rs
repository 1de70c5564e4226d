//! Policies, shocks and quotas that change nothing, named with the reason
//! and the figure that shows it, so that a lever which never acts is not
//! read as a lever that does not work.
//!
//! - A destination's quota (or an agreement's) that the yearly intake never
//!   reaches, with the largest intake.
//! - A policy or shock dated after the projection ends.
//! - Any other policy or shock whose removal leaves every series as it was
//!   (the scenario is projected once without it).

use crate::model::{Dim, Indicator, Trajectory};
use crate::output::report::thousands;
use crate::params::Lever;
use crate::{Result, Scenario};

/// One thing that acted on nothing, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NoOp {
    /// What it is, as the scenario names it: `policies.korea_deal`,
    /// `destinations.south_korea.quota`, `shocks.exchange_rate-2028`.
    pub key: String,
    pub reason: String,
}

/// The largest yearly intake of destination `d` over `years`, and its year.
fn largest_intake(run: &Trajectory, d: usize, years: impl Iterator<Item = i32>) -> Option<(f64, i32)> {
    years
        .filter_map(|y| run.get(Indicator::Emigrants, Dim::Destination(d), y).map(|v| (v, y)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Every policy, shock and quota of `s` that changed nothing in `run` (its
/// central run).
pub fn find(s: &Scenario, run: &Trajectory) -> Result<Vec<NoOp>> {
    let p = &s.model.params;
    let flow_years = p.start_year..p.end_year;
    let mut out = Vec::new();
    for (d, dest) in p.destinations.iter().enumerate() {
        let Some(quota) = &dest.quota else { continue };
        if let Some((most, year)) = largest_intake(run, d, flow_years.clone())
            && flow_years.clone().all(|y| {
                run.get(Indicator::Emigrants, Dim::Destination(d), y)
                    .is_some_and(|v| v < quota.at(y))
            })
        {
            out.push(NoOp {
                key: format!("destinations.{}.quota", dest.name),
                reason: format!(
                    "never binds: the largest yearly intake is {} ({year}), below the quota of {}",
                    thousands(most),
                    thousands(quota.at(year))
                ),
            });
        }
    }
    for (i, policy) in p.policies.iter().enumerate() {
        let key = format!("policies.{}", policy.name);
        if policy.timing.start >= p.end_year {
            out.push(NoOp {
                key,
                reason: format!(
                    "starts in {}, when the projection ({}-{}) has ended",
                    policy.timing.start, p.start_year, p.end_year
                ),
            });
            continue;
        }
        let mut without = p.clone();
        without.policies.remove(i);
        if !same(run, &without)? {
            continue;
        }
        let why = match &policy.lever {
            Lever::Diversification(div) => div
                .destinations
                .0
                .iter()
                .find_map(|(d, a)| {
                    let q = a.quota?;
                    let active = policy.timing.start.max(p.start_year)..policy.timing.end.map_or(p.end_year, |e| (e + 1).min(p.end_year));
                    let (most, year) = largest_intake(run, *d, active)?;
                    (most < q).then(|| {
                        format!(
                            "changes no output: the quota of {} to {} never binds (the largest yearly intake is {}, {year}) and its access shift leaves the shares as they were",
                            thousands(q),
                            p.destinations[*d].name,
                            thousands(most)
                        )
                    })
                })
                .unwrap_or_else(|| "changes no output: every series is as it is without it".into()),
            _ => "changes no output: every series is as it is without it".into(),
        };
        out.push(NoOp { key, reason: why });
    }
    for (i, shock) in p.shocks.iter().enumerate() {
        let key = format!("shocks.{}", shock.name);
        if shock.year >= p.end_year {
            out.push(NoOp {
                key,
                reason: format!(
                    "strikes in {}, when the projection has ended ({})",
                    shock.year, p.end_year
                ),
            });
            continue;
        }
        let mut without = p.clone();
        without.shocks.remove(i);
        if same(run, &without)? {
            out.push(NoOp {
                key,
                reason: "changes no output: every series is as it is without it".into(),
            });
        }
    }
    Ok(out)
}

/// Whether the scenario without one policy or shock projects the same
/// series, to 1e-12 relative.
fn same(run: &Trajectory, without: &crate::params::Params) -> Result<bool> {
    // A scenario that cannot be calibrated without it is changed by it.
    let Ok(model) = crate::model::compile(without.clone()) else {
        return Ok(false);
    };
    let Ok(other) = crate::model::project_series(&model) else {
        return Ok(false);
    };
    // The rows by age (in a single run, not in an ensemble's) are sums of
    // the same stocks and flows: the series without them decide.
    let series: Vec<&crate::model::Row> = run.rows.iter().filter(|r| !matches!(r.dim, Dim::AgeSex(..))).collect();
    Ok(series.len() == other.rows.len()
        && series.iter().zip(&other.rows).all(|(a, b)| {
            a.indicator == b.indicator
                && a.dim == b.dim
                && a.year == b.year
                && (a.value - b.value).abs() <= 1e-12 * a.value.abs().max(1.0)
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(1050.4), "1,050");
        assert_eq!(thousands(6600.0), "6,600");
        assert_eq!(thousands(123.0), "123");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
