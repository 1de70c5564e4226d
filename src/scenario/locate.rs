//! Finding where a key is written, so that a message can say `file:line`, and
//! suggesting the key the user probably meant.

use super::extends::ChainFile;

/// A key path split into segments: `destinations[russia].wage_usd` gives
/// `destinations`, `[russia]`, `wage_usd`.
fn segments(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in key.split('.') {
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(rest[..open].to_string());
            }
            let close = rest[open..].find(']').map_or(rest.len(), |c| open + c + 1);
            out.push(rest[open..close].to_string());
            rest = &rest[close..];
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

/// The file (from the leaf up) and line where `key` is set, when a simple
/// scan of the text can tell; `None` rather than a guess otherwise.
pub fn locate(files: &[ChainFile], key: &str) -> Option<(String, usize)> {
    let segs = segments(key);
    if segs.is_empty() {
        return None;
    }
    files
        .iter()
        .find_map(|f| locate_in(&f.text, &segs).map(|line| (f.display.clone(), line)))
}

fn locate_in(text: &str, segs: &[String]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut cursor = 0;
    let mut found = None;
    for (i, seg) in segs.iter().enumerate() {
        let last = i == segs.len() - 1;
        let hit = if let Some(name) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            let quoted = format!("\"{name}\"");
            (cursor..lines.len()).find(|&l| {
                let t = lines[l];
                t.starts_with("name") && t.contains('=') && t.ends_with(&quoted)
            })
        } else {
            (cursor..lines.len()).find(|&l| is_key_line(lines[l], seg, last))
        };
        match hit {
            Some(l) => {
                cursor = l;
                found = Some(l + 1);
            }
            // A key that is not written (a missing one, or a policy's implied
            // `kind`) is reported at the table that should hold it.
            None => return found.filter(|_| last && i > 0),
        }
    }
    found
}

fn is_key_line(line: &str, seg: &str, last: bool) -> bool {
    if line.starts_with('[') {
        let header = line.trim_matches(|c| c == '[' || c == ']');
        return header.split('.').any(|h| h.trim().trim_matches('"') == seg);
    }
    let Some(rest) = line.strip_prefix(seg) else {
        return false;
    };
    let rest = rest.trim_start();
    rest.starts_with('=') || (!last && rest.starts_with('.'))
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
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("end_yeer", &["start", "end_year"]),
            Some("end_year".into())
        );
        assert_eq!(did_you_mean("zzz", &["start", "end"]), None);
    }
}
