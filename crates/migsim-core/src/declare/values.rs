//! The kinds of value a key can hold: numbers, year paths, whole numbers,
//! flags, text, optional keys, and values by education, by sex or by name.

use super::{Declared, Names, ParamDoc, Problems, Setting, Spec, expected_range, join, out_of_range};
use crate::year_path::YearPath;
use serde::Deserialize;

pub(super) fn in_range(value: f64, key: &str, spec: &Spec, at: &str, c: &mut dyn Problems) -> bool {
    let ok = value.is_finite() && value >= spec.min && value <= spec.max;
    if !ok {
        c.problem(
            key,
            format!("= {}{at}: expected {}", super::number(value), expected_range(spec)),
        );
    }
    ok
}

impl Declared for f64 {
    type Raw = f64;
    const KIND: &'static str = "number";
    fn check(raw: f64, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<f64> {
        in_range(raw, key, spec, "", c).then_some(raw)
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        leaf(path)?;
        if let Some(m) = out_of_range(value, spec) {
            return Err(m);
        }
        *self = value;
        Ok(())
    }
}

/// Knot years a path may name.
pub(crate) const KNOT_YEARS: (i32, i32) = (1900, 2300);

impl Declared for YearPath {
    type Raw = YearPath;
    const KIND: &'static str = "year path";
    fn check(raw: YearPath, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<YearPath> {
        let mut ok = true;
        for &(year, value) in raw.knots() {
            if year != i32::MIN && !(KNOT_YEARS.0..=KNOT_YEARS.1).contains(&year) {
                c.problem(
                    key,
                    format!(
                        "knot year {year}: expected a year in [{}, {}]",
                        KNOT_YEARS.0, KNOT_YEARS.1
                    ),
                );
                ok = false;
            }
            let at = if year == i32::MIN {
                String::new()
            } else {
                format!(" (at {year})")
            };
            ok &= in_range(value, key, spec, &at, c);
        }
        ok.then_some(raw)
    }
    fn show(&self) -> String {
        match self.knots() {
            [(i32::MIN, v)] => v.to_string(),
            knots => {
                let parts: Vec<String> = knots.iter().map(|(y, v)| format!("{y} = {v}")).collect();
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let year = match path {
            [] => None,
            [y] => Some(y.parse::<i32>().map_err(|_| format!("`{y}` is not a knot year"))?),
            _ => return Err(format!("`{}` is not a knot year", path.join("."))),
        };
        if let Some(m) = out_of_range(value, spec) {
            return Err(m);
        }
        match year {
            None if self.is_constant() => self.set_constant(value),
            None => return Err("is a path of year knots; name one knot, e.g. `<key>.2050`".into()),
            Some(y) if self.set_knot(y, value) => {}
            Some(y) => return Err(format!("has no knot at {y}; its knots are {}", self.show())),
        }
        Ok(())
    }
}

/// A year (or another whole number that may be negative).
impl Declared for i32 {
    type Raw = i64;
    const KIND: &'static str = "whole number";
    fn check(raw: i64, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<i32> {
        (in_range(raw as f64, key, spec, "", c) && i32::try_from(raw).is_ok()).then_some(raw as i32)
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let w = whole(path, value, spec)?;
        *self = i32::try_from(w).map_err(|_| format!("= {}: expected a whole number", super::number(value)))?;
        Ok(())
    }
}

/// A whole number (ages, counts), checked as a number and kept as `usize`.
impl Declared for usize {
    type Raw = i64;
    const KIND: &'static str = "whole number";
    fn check(raw: i64, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<usize> {
        (in_range(raw as f64, key, spec, "", c) && raw >= 0).then_some(raw as usize)
    }
    fn show(&self) -> String {
        self.to_string()
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let w = whole(path, value, spec)?;
        *self = usize::try_from(w).map_err(|_| format!("= {}: expected a whole number >= 0", super::number(value)))?;
        Ok(())
    }
}

impl Declared for bool {
    type Raw = bool;
    const KIND: &'static str = "true/false";
    fn check(raw: bool, _: &str, _: &Spec, _: &mut dyn Problems) -> Option<bool> {
        Some(raw)
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Declared for String {
    type Raw = String;
    const KIND: &'static str = "text";
    fn check(raw: String, _: &str, _: &Spec, _: &mut dyn Problems) -> Option<String> {
        Some(raw)
    }
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

/// A list of texts, `["…", "…"]`.
impl Declared for Vec<String> {
    type Raw = Vec<String>;
    const KIND: &'static str = "list of texts";
    fn check(raw: Vec<String>, _: &str, _: &Spec, _: &mut dyn Problems) -> Option<Vec<String>> {
        Some(raw)
    }
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

/// A key that may be left out: absent means `None`.
impl<T: Declared> Declared for Option<T> {
    type Raw = T::Raw;
    const KIND: &'static str = T::KIND;
    fn check(raw: T::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Option<T>> {
        T::check(raw, key, spec, c).map(Some)
    }
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn show(&self) -> String {
        self.as_ref().map_or_else(|| "none".into(), T::show)
    }
    fn describe(&self, key: &str, spec: &Spec, names: &Names, out: &mut Vec<Setting>) {
        if let Some(v) = self {
            v.describe(key, spec, names, out);
        }
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        match self {
            Some(v) => v.set(path, value, spec),
            None => Err("is not given in the scenario; give it a value there first".into()),
        }
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        T::document(key, spec, default.or_else(|| Some("none".into())), out)
    }
}

/// A number written bare (`0.15`) or as a percentage (`"15%"`, read as
/// 0.15), for bounds whose unit may be a share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity(pub f64);

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawQuantity {
    Number(f64),
    Text(String),
}

impl Declared for Quantity {
    type Raw = RawQuantity;
    const KIND: &'static str = "number or percentage";
    fn check(raw: RawQuantity, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Quantity> {
        let value = match raw {
            RawQuantity::Number(v) => v,
            RawQuantity::Text(t) => {
                let parsed = t
                    .trim()
                    .strip_suffix('%')
                    .and_then(|n| n.trim().parse::<f64>().ok())
                    .map(|p| p / 100.0);
                match parsed {
                    Some(v) => v,
                    None => {
                        c.problem(
                            key,
                            format!("= {t:?}: expected a number, or a percentage such as \"15%\""),
                        );
                        return None;
                    }
                }
            }
        };
        in_range(value, key, spec, "", c).then_some(Quantity(value))
    }
    fn show(&self) -> String {
        self.0.to_string()
    }
}

/// Three values, one per education level, written `{ low = …, medium = …,
/// high = … }` and indexed like every education axis of the model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByEducation(pub [f64; 3]);

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawByEducation {
    pub low: f64,
    pub medium: f64,
    pub high: f64,
}

impl std::ops::Deref for ByEducation {
    type Target = [f64; 3];
    fn deref(&self) -> &[f64; 3] {
        &self.0
    }
}

impl Declared for ByEducation {
    type Raw = RawByEducation;
    const KIND: &'static str = "number";
    fn check(raw: RawByEducation, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let v = [
            f64::check(raw.low, &join(key, "low"), spec, c),
            f64::check(raw.medium, &join(key, "medium"), spec, c),
            f64::check(raw.high, &join(key, "high"), spec, c),
        ];
        Some(ByEducation([v[0]?, v[1]?, v[2]?]))
    }
    fn show(&self) -> String {
        format!("{{ low = {}, medium = {}, high = {} }}", self[0], self[1], self[2])
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        const LEVELS: [&str; 3] = ["low", "medium", "high"];
        // The key alone sets every level to the value: one number for a
        // behaviour that calibration or an ensemble moves as a whole.
        let Some((first, rest)) = path.split_first() else {
            for v in &mut self.0 {
                v.set(&[], value, spec)?;
            }
            return Ok(());
        };
        let e = LEVELS
            .iter()
            .position(|l| l == first)
            .ok_or_else(|| super::unknown_key(first, &LEVELS))?;
        self.0[e].set(rest, value, spec)
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        for level in ["low", "medium", "high"] {
            f64::document(&join(key, level), spec, default.clone(), out);
        }
    }
}

/// Two values, `{ female = …, male = … }`, indexed like the sex axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BySex<T>(pub [T; 2]);

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBySex<T> {
    pub female: T,
    pub male: T,
}

impl<T> std::ops::Deref for BySex<T> {
    type Target = [T; 2];
    fn deref(&self) -> &[T; 2] {
        &self.0
    }
}

impl<T: Declared> Declared for BySex<T> {
    type Raw = RawBySex<T::Raw>;
    const KIND: &'static str = T::KIND;
    fn check(raw: Self::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let female = T::check(raw.female, &join(key, "female"), spec, c);
        let male = T::check(raw.male, &join(key, "male"), spec, c);
        Some(BySex([female?, male?]))
    }
    fn show(&self) -> String {
        format!("{{ female = {}, male = {} }}", self[0].show(), self[1].show())
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        const SEXES: [&str; 2] = ["female", "male"];
        let Some((first, rest)) = path.split_first() else {
            return Err("holds one value per sex; name one, e.g. `<key>.female`".into());
        };
        let s = SEXES
            .iter()
            .position(|l| l == first)
            .ok_or_else(|| super::unknown_key(first, &SEXES))?;
        self.0[s].set(rest, value, spec)
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        for sex in ["female", "male"] {
            T::document(&join(key, sex), spec, default.clone(), out);
        }
    }
}

/// Shares by name, `{ chui = 0.5, bishkek = 0.5 }`. Each share is checked
/// here; that the names exist and the shares sum to 1 is checked where the
/// list of names is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares(pub std::collections::BTreeMap<String, f64>);

impl Declared for Shares {
    type Raw = std::collections::BTreeMap<String, f64>;
    const KIND: &'static str = "number";
    fn check(raw: Self::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let mut ok = true;
        for (name, &v) in &raw {
            ok &= f64::check(v, &join(key, name), spec, c).is_some();
        }
        ok.then_some(Shares(raw))
    }
    fn show(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{{ {} }}", parts.join(", "))
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let [name] = path else {
            return Err("holds one share per name; name one".into());
        };
        let keys: Vec<&str> = self.0.keys().map(String::as_str).collect();
        let unknown = super::unknown_key(name, &keys);
        let share = self.0.get_mut(*name).ok_or(unknown)?;
        share.set(&[], value, spec)
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        f64::document(&join(key, "*"), spec, default, out)
    }
}

/// A single value has nothing under it.
fn leaf(path: &[&str]) -> Result<(), String> {
    match path {
        [] => Ok(()),
        _ => Err(format!(
            "is a single value; `{}` does not exist under it",
            path.join(".")
        )),
    }
}

/// A number set at a whole-number key: in range, and whole.
fn whole(path: &[&str], value: f64, spec: &Spec) -> Result<i64, String> {
    leaf(path)?;
    if let Some(m) = out_of_range(value, spec) {
        return Err(m);
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Ok(value as i64)
    } else {
        Err(format!("= {value}: expected a whole number"))
    }
}
