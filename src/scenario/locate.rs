//! Finding where a key is written, so that a message can say `file:line`, and
//! suggesting the key the user probably meant.

use super::extends::ChainFile;

/// One step of a key path: a table key, or an array entry given by its
/// position or by its `name` (or `kind`).
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Entry(String),
}

/// A key path split into steps: `destinations[russia].wage_usd` gives
/// `destinations`, `[russia]`, `wage_usd`; `uncertainty.parameters."a.b"`
/// keeps `a.b` whole; `shocks[0].change` gives the first entry.
fn steps(key: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut chars = key.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '.' => {
                chars.next();
            }
            '"' => {
                chars.next();
                out.push(Step::Key(chars.by_ref().take_while(|&c| c != '"').collect()));
            }
            '[' => {
                chars.next();
                out.push(Step::Entry(chars.by_ref().take_while(|&c| c != ']').collect()));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' || c == '"' || c == ':' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                if word.is_empty() {
                    // A `: ` that follows a key names no table.
                    break;
                }
                out.push(Step::Key(word.trim().to_string()));
            }
        }
    }
    out
}

/// The file (from the leaf up) and line where `key` is set, read from the
/// parser's spans, so that keys inside arrays of tables, inline tables and
/// quoted keys are found as surely as plain ones; `None` rather than a guess
/// when no file sets it.
pub fn locate(files: &[ChainFile], key: &str) -> Option<(String, usize)> {
    let steps = steps(key);
    if steps.is_empty() {
        return None;
    }
    files
        .iter()
        .find_map(|f| locate_in(&f.text, &steps).map(|line| (f.display.clone(), line)))
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn locate_in(text: &str, steps: &[Step]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let mut array: Option<&[toml::Spanned<DeValue>]> = None;
    let mut found = None;
    for (i, step) in steps.iter().enumerate() {
        let last = i == steps.len() - 1;
        let value = match (step, array) {
            (Step::Key(k), None) => match table.iter().find(|(key, _)| key.get_ref() == k) {
                Some((key, value)) => {
                    found = Some(line_of(text, key.span().start));
                    value
                }
                // A key that is not written (a missing one, or a policy's
                // implied `kind`) is reported at the table that should hold it.
                None => return found.filter(|_| last && i > 0),
            },
            (Step::Entry(e), Some(items)) => {
                let named = |v: &&toml::Spanned<DeValue>| match v.get_ref() {
                    DeValue::Table(t) => t.iter().any(|(k, v)| {
                        (k.get_ref() == "name" || k.get_ref() == "kind")
                            && matches!(v.get_ref(), DeValue::String(s) if s == e)
                    }),
                    _ => false,
                };
                let item = match e.parse::<usize>() {
                    Ok(n) => items.get(n),
                    Err(_) => items.iter().find(named),
                }?;
                found = Some(line_of(text, item.span().start));
                item
            }
            _ => return None,
        };
        match value.get_ref() {
            DeValue::Table(t) => {
                table = t;
                array = None;
            }
            DeValue::Array(a) => array = Some(a),
            _ if last => {}
            _ => return None,
        }
    }
    found
}

pub use crate::declare::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Vec<ChainFile> {
        vec![ChainFile {
            display: "s.toml".into(),
            text: text.into(),
        }]
    }

    #[test]
    fn locates_a_key_inside_a_named_array_element() {
        let f = file(
            "[[destinations]]\nname = \"russia\"\nwage_usd = 1\n[[destinations]]\nname = \"turkey\"\nwage_usd = 2\n",
        );
        assert_eq!(locate(&f, "destinations[turkey].wage_usd"), Some(("s.toml".into(), 6)));
    }

    #[test]
    fn locates_a_key_in_a_table_and_declines_to_guess() {
        let f = file("[time]\nstart = 2023\nend = 2050\n");
        assert_eq!(locate(&f, "time.end"), Some(("s.toml".into(), 3)));
        assert_eq!(locate(&f, "economy.gdp_usd"), None);
        assert_eq!(locate(&f, "time.step"), Some(("s.toml".into(), 1)));
    }

    #[test]
    fn locates_a_dotted_table_header() {
        let f = file("[time]\nstart = 1\n\n[policies.domestic_jobs]\nstart = 2026\n");
        assert_eq!(locate(&f, "policies.domestic_jobs.start"), Some(("s.toml".into(), 5)));
        assert_eq!(locate(&f, "policies.domestic_jobs.kind"), Some(("s.toml".into(), 4)));
    }

    #[test]
    fn locates_keys_in_arrays_of_tables_by_position_inline_tables_and_quoted_keys() {
        let f = file(
            "[scenario]\nname = \"x\"\n\n[[shocks]]\nkind = \"entry_ban\"\nyear = 2030\n\n[[shocks]]\nkind = \"exchange_rate\"\nchange = -0.3\n\n[uncertainty]\ndraws = 10\n[uncertainty.parameters]\n\"economy.jobs_growth\" = { normal = { mean = 0.01, sd = 0.005 } }\n\n[[uncertainty.shocks]]\nkind = \"exchange_rate\"\nchange = { uniform = { min = -0.5, max = 0 } }\n",
        );
        let at = |k: &str| locate(&f, k).map(|(_, l)| l);
        assert_eq!(at("shocks[1].change"), Some(10));
        assert_eq!(at("shocks[0].year"), Some(6));
        assert_eq!(
            at("shocks[1].recovery_years"),
            Some(8),
            "a missing key: the header of the entry that lacks it"
        );
        assert_eq!(at("uncertainty.draws"), Some(13));
        assert_eq!(at("uncertainty.parameters.\"economy.jobs_growth\""), Some(15));
        assert_eq!(at("uncertainty.shocks[0].change"), Some(19));
        assert_eq!(at("shocks[2].change"), None);
    }

    #[test]
    fn a_key_followed_by_a_note_is_still_found() {
        let f = file("[uncertainty]\nposterior_csv = \"p.csv\"\n");
        assert_eq!(
            locate(&f, "uncertainty.posterior_csv: \"emigration.gamma\""),
            Some(("s.toml".into(), 2))
        );
    }

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("end_yeer", &["start", "end_year"]),
            Some("end_year".into())
        );
        assert_eq!(did_you_mean("zzz", &["start", "end"]), None);
    }
}
