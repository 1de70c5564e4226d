//! The report's sentences: numbers as a reader expects them, the summary,
//! the assumptions in plain language, chart captions.

use super::{RunContent, quantiles, row_year};
use crate::declare::Names;
use crate::ensemble::{Ensemble, quantile};
use crate::model::{Dim, Indicator};
use crate::params::Params;
use crate::scenario::uncertainty::Uncertainty;

/// A whole number with thousands grouped: `1,234,567`.
pub fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && out != "0" { format!("-{out}") } else { out }
}

/// Large numbers grouped and whole, small ones to one decimal.
pub fn fmt(v: f64) -> String {
    if v.abs() >= 1000.0 {
        thousands(v)
    } else {
        format!("{v:.1}")
    }
}

/// A difference, always with its sign.
pub fn signed(v: f64) -> String {
    let s = fmt(v);
    if s.starts_with('-') || fmt(v.abs()) == fmt(0.0) {
        s
    } else {
        format!("+{s}")
    }
}

fn change(from: f64, to: f64) -> String {
    if from == 0.0 {
        String::new()
    } else {
        format!(" ({:+.1}%)", 100.0 * (to / from - 1.0))
    }
}

/// The median and 90% band of the last year, under an ensemble.
fn band(c: &RunContent, ind: Indicator, year: i32, scale: f64, unit: &str) -> String {
    c.ensemble
        .and_then(|e| quantiles(e, ind, year))
        .map(|q| {
            format!(
                "; median {}{unit} (90% band {}–{}{unit})",
                fmt(q[3] * scale),
                fmt(q[1] * scale),
                fmt(q[5] * scale)
            )
        })
        .unwrap_or_default()
}

/// Five lines an adviser can paste: residents, citizens abroad, emigration,
/// remittances, targets.
pub fn summary(c: &RunContent) -> Vec<String> {
    let p = c.params;
    let (y0, y1) = (p.start_year, p.end_year);
    let at = |ind: Indicator, y: i32| c.run.get(ind, Dim::Total, row_year(p, ind, y));
    let mut lines = Vec::new();
    for (label, ind) in [
        ("Residents", Indicator::PopulationHome),
        ("Citizens abroad", Indicator::PopulationAbroad),
    ] {
        if let (Some(a), Some(b)) = (at(ind, y0), at(ind, y1)) {
            lines.push(format!(
                "{label}: {} in {y0}, {} in {y1}{}{}.",
                fmt(a),
                fmt(b),
                change(a, b),
                band(c, ind, y1, 1.0, "")
            ));
        }
    }
    let last_flow = row_year(p, Indicator::Emigrants, y1);
    if let (Some(a), Some(b)) = (at(Indicator::Emigrants, y0), at(Indicator::Emigrants, y1)) {
        lines.push(format!(
            "Emigrants a year: {} in {y0}, {} in {last_flow}{}{}.",
            fmt(a),
            fmt(b),
            change(a, b),
            band(c, Indicator::Emigrants, last_flow, 1.0, "")
        ));
    }
    let money = |y: i32| {
        let usd = at(Indicator::RemittancesUsd, y)?;
        let share = at(Indicator::RemittancesShareGdp, y)?;
        Some(format!(
            "USD {} million ({:.1}% of GDP) in {}",
            fmt(usd * 1e-6),
            100.0 * share,
            row_year(p, Indicator::RemittancesUsd, y)
        ))
    };
    if let (Some(a), Some(b)) = (money(y0), money(y1)) {
        lines.push(format!(
            "Remittances: {a}, {b}{}.",
            band(c, Indicator::RemittancesShareGdp, last_flow, 100.0, "% of GDP")
        ));
    }
    if let Some(cost) = cost_line(c) {
        lines.push(cost);
    }
    lines.push(targets_line(c));
    lines
}

/// What the policies that state a cost spend over the projection, plain and
/// discounted to the base year; none when no policy states a cost.
fn cost_line(c: &RunContent) -> Option<String> {
    let p = c.params;
    if !p.policies.iter().any(|pol| pol.lever.cost().is_some()) {
        return None;
    }
    let r = p.economy.discount_rate;
    let (total, discounted) = crate::outcome::policy_cost(p, c.run);
    Some(format!(
        "Policy cost: USD {} million over {}–{}, USD {} million discounted at {}% a year to {}.",
        fmt(total * 1e-6),
        p.start_year,
        p.end_year - 1,
        fmt(discounted * 1e-6),
        100.0 * r,
        p.start_year
    ))
}

fn targets_line(c: &RunContent) -> String {
    if c.targets.is_empty() {
        return "Targets: none stated.".into();
    }
    let met = c.targets.iter().filter(|t| t.met).count();
    let mut s = format!("Targets: {met} of {} met by the scenario as written", c.targets.len());
    if c.ensemble.is_some() {
        let probs: Vec<String> = c
            .targets
            .iter()
            .filter_map(|t| t.probability.map(|p| format!("{} {:.0}%", t.name, 100.0 * p)))
            .collect();
        s.push_str(&format!("; probability of meeting each: {}", probs.join(", ")));
    } else {
        let missed: Vec<&str> = c.targets.iter().filter(|t| !t.met).map(|t| t.name.as_str()).collect();
        if !missed.is_empty() {
            s.push_str(&format!(" (not met: {})", missed.join(", ")));
        }
    }
    s + "."
}

/// How a lever comes in: its years and its ramp, in words.
fn timing(start: i32, end: Option<i32>, ramp: f64) -> String {
    let until = end.map(|e| format!(" to {e}")).unwrap_or_else(|| " on".into());
    if ramp <= 0.0 {
        format!("from {start}{until}, at full strength at once")
    } else {
        format!(
            "from {start}{until}, rising in a straight line to full strength over {} (by {})",
            years(ramp),
            start + ramp.ceil() as i32
        )
    }
}

fn settings(list: Vec<crate::declare::Setting>, skip: &[&str]) -> String {
    let parts: Vec<String> = list
        .into_iter()
        .filter(|s| !skip.contains(&s.key.as_str()))
        .map(|s| {
            let unit = match s.unit {
                "" | "-" => String::new(),
                u => format!(" {u}"),
            };
            format!(
                "{} = {}{unit} ({})",
                s.key,
                s.value,
                lower_first(s.description.trim_end_matches('.'))
            )
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join("; "))
    }
}

/// A sentence's start inside another sentence: `Relative change in USD` →
/// `relative change in USD`.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        // An acronym (`USD per unit`) keeps its capitals.
        (Some(_), Some(second)) if second.is_uppercase() => s.to_string(),
        (Some(f), _) => f.to_lowercase().chain(c).collect(),
        _ => String::new(),
    }
}

fn years(n: f64) -> String {
    if n == 1.0 {
        "1 year".into()
    } else {
        format!("{n} years")
    }
}

/// Every policy and shock with its sizes, years and ramp; the horizon and
/// places; the uncertainty an ensemble drew from.
pub fn assumptions(p: &Params, u: Option<&Uncertainty>, draws: Option<usize>) -> Vec<String> {
    let regions: Vec<String> = p.regions.iter().map(|r| r.name.clone()).collect();
    let destinations: Vec<String> = p.destinations.iter().map(|d| d.name.clone()).collect();
    let names = Names {
        regions: &regions,
        destinations: &destinations,
    };
    let shown: Vec<&str> = p.destinations.iter().map(|d| d.shown()).collect();
    let mut out = vec![format!(
        "Projection {}–{} over {} regions and {} destinations ({}).",
        p.start_year,
        p.end_year,
        p.regions.len(),
        p.destinations.len(),
        shown.join(", ")
    )];
    if p.policies.is_empty() && p.shocks.is_empty() {
        out.push("No policy levers and no shocks: current trends.".into());
    }
    for pol in &p.policies {
        let t = &pol.timing;
        out.push(format!(
            "Policy `{}`, {}, {}{}.",
            pol.name,
            pol.lever.label(),
            timing(t.start, t.end, t.ramp_years),
            settings(pol.lever.describe(&names), &["start", "end", "ramp_years"])
        ));
    }
    for sh in &p.shocks {
        out.push(format!(
            "Shock `{}`, {}, in {}: full strength for {}, then fading to nothing over {}{}.",
            sh.name,
            sh.event.label(),
            sh.year,
            years(sh.duration_years),
            years(sh.recovery_years),
            settings(sh.event.describe(&names), &["year", "duration_years", "recovery_years"])
        ));
    }
    if p.international_migration_scale != 1.0 {
        out.push(format!(
            "Every international migration hazard and arrival is multiplied by {}.",
            p.international_migration_scale
        ));
    }
    if let (Some(u), Some(n)) = (u, draws) {
        let mut s = format!("Uncertainty: {n} draws with seed {}", u.seed);
        if !u.parameters.is_empty() {
            let each: Vec<String> = u
                .parameters
                .iter()
                .map(|(k, d)| format!("`{k}` {}", d.words()))
                .collect();
            s.push_str(&format!("; drawn: {}", each.join(", ")));
        }
        for sh in &u.shocks {
            s.push_str(&format!(
                "; a stochastic shock strikes with probability {} a year, its `{}` {}",
                sh.yearly_probability,
                sh.magnitude_key,
                sh.magnitude.words()
            ));
        }
        if u.posterior.is_some() {
            s.push_str("; calibrated parameters from the posterior draws");
        }
        out.push(s + ".");
    }
    out
}

/// What a chart shows, from its file name.
pub fn caption(file: &str) -> String {
    let stem = file.trim_end_matches(".png");
    let fixed = match stem {
        "abroad_by_destination" => Some("Citizens abroad by destination (1 January)"),
        "flows" => Some("Emigrants and returns a year"),
        "remittances" => Some("Remittances: USD a year and share of GDP"),
        "brain_drain" => Some("Brain drain: tertiary emigration rate and young people abroad"),
        "population_by_region" => Some("Residents by region"),
        "labour_market" => Some("Labour force, unemployment and wages at home"),
        "tornado" => Some("Which parameters move the outcome most"),
        _ => None,
    };
    if let Some(f) = fixed {
        return f.into();
    }
    let words = |s: &str| s.replace('_', " ");
    // An indicator's stem as the compare charts' axes name it.
    let label = |stem: &str| {
        crate::output::charts::compare::HEADLINE
            .iter()
            .find(|h| h.1 == stem)
            .map_or_else(|| words(stem), |h| h.2.to_string())
    };
    let upper = |s: String| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    };
    if let Some(y) = stem.strip_prefix("pyramid_") {
        format!("Population pyramid, {y}: residents and citizens abroad by sex and age")
    } else if let Some(s) = stem.strip_prefix("fan_") {
        upper(format!(
            "{}: median, 50% and 90% bands over the draws, and the scenario as written",
            label(s)
        ))
    } else if let Some(s) = stem.strip_prefix("compare_") {
        upper(format!(
            "{} in every scenario (the first in black), with their targets",
            label(s)
        ))
    } else if let Some(rest) = stem.strip_prefix("differences_") {
        let (s, year) = rest.rsplit_once('_').unwrap_or((rest, ""));
        upper(format!("{}: difference from the first scenario in {year}", label(s)))
    } else if let Some(n) = stem.strip_prefix("target_") {
        format!("Target {n}: its series and its bound")
    } else {
        words(stem)
    }
}

/// The 90% band of a scenario's difference from the reference, paired draw
/// by draw, and the share of draws in which it is above the reference.
pub fn paired(e: &Ensemble, reference: &Ensemble, ind: Indicator, year: i32) -> (Option<(f64, f64)>, Option<f64>) {
    let row = |x: &Ensemble| {
        x.central
            .rows
            .iter()
            .position(|r| r.indicator == ind && r.dim == Dim::Total && r.year == year)
    };
    let (Some(a), Some(b)) = (row(e), row(reference)) else {
        return (None, None);
    };
    let n = e.n_draws().min(reference.n_draws());
    if n == 0 {
        return (None, None);
    }
    let mut diffs: Vec<f64> = (0..n).map(|i| e.draw(i)[a] - reference.draw(i)[b]).collect();
    let above = diffs.iter().filter(|d| **d > 0.0).count() as f64 / n as f64;
    diffs.sort_by(f64::total_cmp);
    (Some((quantile(&diffs, 0.05), quantile(&diffs, 0.95))), Some(above))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_briefing_writes_them() {
        assert_eq!(fmt(7_037_485.0), "7,037,485");
        assert_eq!(fmt(-15_488.4), "-15,488");
        assert_eq!(fmt(18.77), "18.8");
        assert_eq!(signed(1234.0), "+1,234");
        assert_eq!(signed(-0.25), "-0.2");
        assert_eq!(signed(0.0), "0.0");
        assert_eq!(thousands(-0.2), "0");
    }

    #[test]
    fn a_description_inside_a_sentence_keeps_its_acronyms() {
        assert_eq!(lower_first("Relative change in USD"), "relative change in USD");
        assert_eq!(lower_first("USD per unit"), "USD per unit");
    }

    #[test]
    fn a_lever_says_when_it_reaches_full_strength() {
        assert_eq!(timing(2024, None, 0.0), "from 2024 on, at full strength at once");
        assert_eq!(
            timing(2025, Some(2040), 5.0),
            "from 2025 to 2040, rising in a straight line to full strength over 5 years (by 2030)"
        );
    }
}
