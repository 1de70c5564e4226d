//! The parameter reference (`migsim params`): every key a scenario can state,
//! from the declarations, as text for people, Markdown for the README and
//! JSON for scripts.

use crate::declare::ParamDoc;

fn range(d: &ParamDoc) -> String {
    match (d.min, d.max) {
        (Some(lo), Some(hi)) => format!("[{lo}, {hi}]"),
        (Some(lo), None) => format!(">= {lo}"),
        (None, Some(hi)) => format!("<= {hi}"),
        (None, None) => String::new(),
    }
}

fn default(d: &ParamDoc) -> String {
    d.default.clone().unwrap_or_else(|| "required".into())
}

/// One line per key: key, type, unit, range, default; the description on the
/// next line, indented.
pub fn text(docs: &[ParamDoc]) -> String {
    let width = docs.iter().map(|d| d.key.len()).max().unwrap_or(0);
    let mut out = String::new();
    for d in docs {
        let mut head = format!("{:<width$}  {}", d.key, d.kind);
        let default = match &d.default {
            Some(v) => format!("default {v}"),
            None => "required".into(),
        };
        for part in [d.unit.to_string(), range(d), default] {
            if !part.is_empty() {
                head.push_str(", ");
                head.push_str(&part);
            }
        }
        out.push_str(head.trim_end());
        out.push('\n');
        out.push_str(&format!("{:width$}  {}\n", "", d.description));
    }
    out
}

/// A Markdown table, as the README holds it.
pub fn markdown(docs: &[ParamDoc]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| key | type | unit | range | default | description |\n|---|---|---|---|---|---|\n");
    for d in docs {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            d.key,
            d.kind,
            cell(d.unit),
            range(d),
            cell(&default(d)),
            cell(&d.description)
        ));
    }
    out
}

/// An array of objects with `key`, `type`, `unit`, `min`, `max`, `default`
/// and `description`.
pub fn json(docs: &[ParamDoc]) -> String {
    serde_json::to_string_pretty(docs).expect("plain data")
}
