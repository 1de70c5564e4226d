//! The words of every check: how a number, a range, an unknown name or key
//! is put in the one-line message a reader of a scenario sees.

use super::Spec;

pub(super) fn article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// The problem with `value` against `spec`, if any, in the words of a
/// file's check.
pub(crate) fn out_of_range(value: f64, spec: &Spec) -> Option<String> {
    let ok = value.is_finite() && value >= spec.min && value <= spec.max;
    (!ok).then(|| format!("= {}: expected {}", number(value), expected_range(spec)))
}

/// A number as a message shows it: as Rust prints it, or in exponent form
/// where that would run to hundreds of digits (`1e300`, not 301 digits).
pub fn number(v: f64) -> String {
    if v.is_finite() && v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// `a yearly rate in [0, 1]`, or `a number (finite)` for an unbounded key.
pub(crate) fn expected_range(spec: &Spec) -> String {
    match (spec.min.is_finite(), spec.max.is_finite()) {
        (false, false) => format!("{} (finite)", spec.expect),
        _ => format!("{} in [{}, {}]", spec.expect, spec.min, spec.max),
    }
}

/// The index of `given` in `names`, or the one-line message every reader
/// gives for an unknown name: `unknown region `osj` (did you mean `osh`?);
/// expected one of …`.
pub fn find_name(given: &str, names: &[impl AsRef<str>], what: &str) -> Result<usize, String> {
    if let Some(i) = names.iter().position(|n| n.as_ref() == given) {
        return Ok(i);
    }
    let list: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    let hint = did_you_mean(given, &list)
        .map(|m| format!(" (did you mean `{m}`?)"))
        .unwrap_or_default();
    Err(format!(
        "unknown {what} `{given}`{hint}; expected one of {}",
        list.join(", ")
    ))
}

/// No key `given` here; names the closest of `keys`.
pub(crate) fn unknown_key(given: &str, keys: &[&str]) -> String {
    let hint = did_you_mean(given, keys)
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    format!("has no key `{given}`; {hint}expected one of {}", keys.join(", "))
}

/// `section.key`, or `key` at the top.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The closest of `expected` to a mistyped `given`, if close enough to be a
/// likely typo.
pub fn did_you_mean(given: &str, expected: &[&str]) -> Option<String> {
    expected
        .iter()
        .map(|e| (strsim::jaro_winkler(given, e), *e))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e.to_string())
}
