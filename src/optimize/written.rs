//! What `optimize` writes: every candidate, the front, and the best mix as
//! a scenario file that extends the input.

use super::{Candidate, Optimum};

/// The swept keys as column names: dots kept (R and pandas accept them),
/// anything else but letters and digits as `_`, as in `sweep.csv`.
fn key_columns(o: &Optimum) -> Vec<String> {
    o.spec
        .levers
        .iter()
        .map(|l| {
            l.key
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' })
                .collect()
        })
        .collect()
}

fn candidate_cells(c: &Candidate) -> Vec<String> {
    let mut cells: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
    cells.extend([
        c.cost.to_string(),
        c.cost_se.to_string(),
        c.draws().to_string(),
        c.met.to_string(),
        c.probability().to_string(),
        c.probability_se().to_string(),
    ]);
    cells
}

const MEASURES: [&str; 6] = [
    "cost_usd",
    "cost_usd_se",
    "draws",
    "draws_met",
    "probability",
    "probability_se",
];

/// `optimize.csv`: every candidate in the order evaluated, whether it
/// meets the probability asked for (enough draws meet the target), and
/// which one is the answer.
pub fn optimize_csv(o: &Optimum) -> String {
    let mut header = vec!["candidate".to_string()];
    header.extend(key_columns(o));
    header.extend(MEASURES.iter().map(|m| m.to_string()));
    header.extend(["draws_required".into(), "feasible".into(), "best".into()]);
    let mut out = header.join(",") + "\n";
    let level = &o.levels[0];
    for (i, c) in o.candidates.iter().enumerate() {
        let mut cells = vec![(i + 1).to_string()];
        cells.extend(candidate_cells(c));
        cells.extend([
            level.required.to_string(),
            (c.met >= level.required).to_string(),
            (level.best == Some(i)).to_string(),
        ]);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// `front.csv`: per probability asked for, the cheapest candidate found
/// that reaches it (empty cells where none does), cheapest level first.
pub fn front_csv(o: &Optimum) -> String {
    let mut header = vec![
        "probability_required".to_string(),
        "draws_required".into(),
        "candidate".into(),
    ];
    header.extend(key_columns(o));
    header.extend(MEASURES.iter().map(|m| m.to_string()));
    let mut out = header.join(",") + "\n";
    let mut levels: Vec<_> = o.levels.iter().collect();
    levels.sort_by(|a, b| a.probability.total_cmp(&b.probability));
    for l in levels {
        let mut cells = vec![l.probability.to_string(), l.required.to_string()];
        match l.best {
            Some(i) => {
                cells.push((i + 1).to_string());
                cells.extend(candidate_cells(&o.candidates[i]));
            }
            None => cells.extend(std::iter::repeat_n(
                String::new(),
                1 + o.spec.levers.len() + MEASURES.len(),
            )),
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The best mix as a scenario that `extends` the input (`parent`, as a
/// path relative to where this file is written) and sets each lever, with
/// a header saying what was claimed and how to check it.
pub fn scenario_toml(o: &Optimum, scenario_name: &str, parent: &str, best: &Candidate) -> String {
    let spec = &o.spec;
    let keys: Vec<&str> = spec.levers.iter().map(|l| l.key.as_str()).collect();
    let mut text = format!(
        "# Written by `migsim optimize`: the cheapest mix found of\n\
         #   {}\n\
         # for the target \"{}\" with probability at least {}\n\
         # (Wilson lower bound at confidence {}), over draws 0..{} of seed {}\n\
         # (the same draws for every candidate): {} of {} draws meet it\n\
         # (probability {:.3} ± {:.3}); mean policy cost USD {:.1} million,\n\
         # discounted to the base year. Check the claim on other draws:\n\
         #   migsim run best-mix.toml --draws {} --seed <another seed>\n",
        keys.join(", "),
        o.target,
        spec.probability,
        spec.confidence,
        spec.draws,
        spec.seed,
        best.met,
        best.draws(),
        best.probability(),
        best.probability_se(),
        best.cost * 1e-6,
        spec.draws
    );
    let mut meta = toml::Table::new();
    meta.insert("name".into(), format!("{scenario_name}-optimized").into());
    meta.insert(
        "description".into(),
        format!(
            "Cheapest mix of levers meeting \"{}\" with probability {}",
            o.target, spec.probability
        )
        .into(),
    );
    meta.insert("extends".into(), parent.into());
    let mut head = toml::Table::new();
    head.insert("scenario".into(), toml::Value::Table(meta));
    text.push_str(&toml::to_string(&head).expect("strings serialise"));
    text.push('\n');
    let mut root = toml::Table::new();
    for (key, v) in keys.iter().zip(&best.values) {
        let parts: Vec<&str> = key.split('.').collect();
        let mut table = &mut root;
        for part in &parts[..parts.len() - 1] {
            table = table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .expect("only tables are inserted on the way to a key");
        }
        table.insert(parts[parts.len() - 1].to_string(), toml::Value::Float(*v));
    }
    text.push_str(&toml::to_string(&root).expect("tables of strings and numbers serialise"));
    text
}
