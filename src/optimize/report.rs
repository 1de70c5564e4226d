//! The briefing of an optimisation: what was asked, the mix found and what
//! it costs, the prices it rests on with their sources, the front with
//! `--pareto`, the search's chart and how the claim can be checked; as
//! `report.md` and `report.html`, like a run's.

use super::Optimum;
use crate::Scenario;
use crate::output::report::document::{Document, Table};
use crate::scenario::sections::in_words;

fn usd_million(v: f64) -> String {
    format!("USD {:.1} million", v * 1e-6)
}

/// A lever's value: whole above 100, else to four decimals, without
/// trailing zeros (`1`, `1.4997`, `44191`).
pub fn value(v: f64) -> String {
    if v.abs() >= 100.0 {
        return format!("{v:.0}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The document; `chart` names the chart written into `charts/`, if any.
pub fn document(o: &Optimum, s: &Scenario, chart: Option<&str>) -> Document {
    let spec = &o.spec;
    let p = &s.model.params;
    let level = &o.levels[0];
    let mut d = Document::new(format!("{}: the cheapest mix for \"{}\"", s.name(), o.target));
    d.heading(2, "Summary");
    let mut lines = vec![format!(
        "Asked: the target \"{}\" met with probability at least {}, shown on {} draws of the scenario's uncertainty (seed {}) at confidence {}: at least {} of the {} draws must meet it.",
        o.target, spec.probability, spec.draws, spec.seed, spec.confidence, level.required, spec.draws
    )];
    match o.best() {
        Some(b) => {
            let mix: Vec<String> = spec
                .levers
                .iter()
                .zip(&b.values)
                .map(|(l, v)| format!("`{}` = {}", l.key, value(*v)))
                .collect();
            lines.push(format!("Cheapest mix found: {}.", mix.join(", ")));
            lines.push(format!(
                "Expected policy cost {} (± {:.1}), discounted at {}% a year to {}; the target is met in {} of {} draws (probability {:.3} ± {:.3}).",
                usd_million(b.cost),
                b.cost_se * 1e-6,
                100.0 * p.economy.discount_rate,
                p.start_year,
                b.met,
                b.draws(),
                b.probability(),
                b.probability_se()
            ));
        }
        None => {
            let most = o.candidates.iter().map(|c| c.met).max().unwrap_or(0);
            lines.push(format!(
                "No mix within the ranges meets the target in {} of {} draws; the most any candidate reached is {most}.",
                level.required, spec.draws
            ));
        }
    }
    lines.push(format!("{} candidates were evaluated.", o.candidates.len()));
    if let Some(doubt) = &o.doubt {
        lines.push(format!("Warning: {doubt}."));
    }
    for key in &o.free {
        lines.push(format!(
            "`{key}` costs the same at both ends of its range: the search treats it as free."
        ));
    }
    d.bullets(lines);

    d.heading(2, "Levers");
    let mut t = Table::new(&["lever", "key", "from", "to", "chosen"], 2);
    for (i, l) in spec.levers.iter().enumerate() {
        t.rows.push(vec![
            in_words(&l.key, None),
            format!("`{}`", l.key),
            value(l.from),
            value(l.to),
            o.best().map_or(String::new(), |b| value(b.values[i])),
        ]);
    }
    d.table(t);

    d.heading(2, "Prices");
    d.paragraph(
        "What the policies cost per unit, as the scenario states them; a policy without a price counts as free.",
    );
    let mut prices = Table::new(&["policy", "USD per unit", "unit", "source"], 1);
    for pol in &p.policies {
        if let Some(c) = pol.lever.cost() {
            let (unit, _) = pol.lever.cost_units(1.0, 0.0, 0.0);
            prices.rows.push(vec![
                format!("`{}`", pol.name),
                format!("{}", c.usd_per_unit),
                unit.to_string(),
                c.source.clone(),
            ]);
        }
    }
    prices.numeric = vec![false, true, false, false];
    d.table(prices);

    if spec.pareto {
        d.heading(2, "The cheapest mix at each probability");
        let mut columns = vec!["probability", "draws required"];
        let keys: Vec<String> = spec.levers.iter().map(|l| format!("`{}`", l.key)).collect();
        columns.extend(keys.iter().map(String::as_str));
        columns.extend(["cost (USD million)", "draws met"]);
        let mut front = Table::new(&columns, 0);
        let mut levels: Vec<_> = o.levels.iter().collect();
        levels.sort_by(|a, b| a.probability.total_cmp(&b.probability));
        for l in levels {
            let mut row = vec![format!("{}", l.probability), l.required.to_string()];
            match l.best.map(|i| &o.candidates[i]) {
                Some(c) => {
                    row.extend(c.values.iter().map(|v| value(*v)));
                    row.push(format!("{:.1}", c.cost * 1e-6));
                    row.push(c.met.to_string());
                }
                None => {
                    row.push("none found".into());
                    row.extend(std::iter::repeat_n(String::new(), spec.levers.len() + 1));
                }
            }
            front.rows.push(row);
        }
        d.table(front);
    }

    if let Some(file) = chart {
        d.heading(2, "The search");
        d.blocks.push(crate::output::report::document::Block::Image {
            file: file.to_string(),
            caption: "Every candidate's share of draws meeting the target against its expected cost; in colour those that meet the requirement, the answer ringed.".into(),
        });
    }

    d.heading(2, "How to read and check it");
    d.bullets(vec![
        "Every candidate ran on the same draws (common random numbers), so two mixes differ only by their levers.".into(),
        format!(
            "The requirement is the Wilson lower bound of the share of draws met at confidence {}: the mix meets the target with probability at least {} unless these {} draws were unusually favourable.",
            spec.confidence, spec.probability, spec.draws
        ),
        "The search assumes that moving a lever from FROM to TO costs more and never makes the target less likely, and checks it with candidates spread over the ranges.".into(),
        format!(
            "`best-mix.toml` extends the scenario with the mix; `migsim run best-mix.toml --draws {} --seed <another seed>` shows the probability on draws it was not chosen on.",
            spec.draws
        ),
        "`optimize.csv` lists every candidate with its cost and probability and their Monte Carlo standard errors.".into(),
    ]);
    d
}
