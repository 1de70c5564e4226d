//! Parameters declared once. A process states its parameters with
//! `section!`, beside its equations: each field's TOML key (the field's own
//! name), its type, unit, allowed range, default and a one-line description.
//! From that one declaration come the serde mirror that reads the key, the
//! range check with its standard message, the typed field the model reads,
//! and the reference that `migsim params` prints and the README is tested
//! against.
//!
//! Checked values are built only by `Declared::check`, so a section the model
//! reads has passed its checks. Relations between keys (age ranks, shares
//! summing to 1) and names that refer to other sections are checked by the
//! scenario reader after the sections themselves.

use crate::year_path::YearPath;
use serde::Deserialize;

/// How one parameter is checked and described.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The unit, as the reference prints it (`persons/year`, `USD/month`,
    /// `1/year`, `share`, `utils`, `-` for a pure number).
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    /// What kind of number is expected, as an error message says it:
    /// `= 1.7: expected a yearly rate in [0, 1]`.
    pub expect: &'static str,
    pub description: &'static str,
}

impl Spec {
    /// No range and no unit: for text, flags and whole sections.
    pub const NONE: Spec = Spec {
        unit: "",
        min: f64::NEG_INFINITY,
        max: f64::INFINITY,
        expect: "",
        description: "",
    };
}

/// One leaf key of the reference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParamDoc {
    /// Dotted, with `*` for a named element: `destinations.*.wage_growth`.
    pub key: String,
    /// `number`, `year path`, `whole number`, `true/false` or `text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub unit: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// As written in a scenario; `None` when the key must be given.
    pub default: Option<String>,
    pub description: String,
}

/// Where a check reports what it found wrong (the scenario reader adds the
/// file and line), and the names that other keys may refer to.
pub trait Problems {
    fn problem(&mut self, key: &str, message: String);
    /// The names of the scenario's regions or destinations, in order.
    fn names(&self, of: Named) -> &[String];
}

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Region,
    Destination,
}

impl Named {
    pub fn word(self) -> &'static str {
        match self {
            Named::Region => "region",
            Named::Destination => "destination",
        }
    }
}

/// The index of `name` among the names of `of`, or a problem with a
/// suggestion.
pub fn resolve(c: &mut dyn Problems, key: &str, name: &str, of: Named) -> Option<usize> {
    let list = c.names(of);
    if let Some(i) = list.iter().position(|n| n == name) {
        return Some(i);
    }
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let hint = did_you_mean(name, &refs)
        .map(|m| format!(" (did you mean `{m}`?)"))
        .unwrap_or_default();
    let message = format!(
        "unknown {} `{name}`{hint}; expected one of {}",
        of.word(),
        refs.join(", ")
    );
    c.problem(key, message);
    None
}

/// A value a scenario can state: how it is read, checked and documented.
pub trait Declared: Sized {
    /// What serde reads.
    type Raw: for<'de> Deserialize<'de>;
    const KIND: &'static str;
    /// The checked value, or `None` after reporting each problem.
    fn check(raw: Self::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self>;
    /// The value used when the key is absent and no default is declared;
    /// `None` makes the key required.
    fn absent() -> Option<Self> {
        None
    }
    /// The value as a scenario would write it, for the reference.
    fn show(&self) -> String;
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        let bounded = |v: f64| v.is_finite().then_some(v);
        out.push(ParamDoc {
            key: key.to_string(),
            kind: Self::KIND,
            unit: spec.unit,
            min: bounded(spec.min),
            max: bounded(spec.max),
            default,
            description: spec.description.trim().to_string(),
        });
    }
}

/// Reads one field: its value if written, else its default, else what its
/// type allows in its absence, else a problem.
pub fn field<T: Declared>(
    raw: Option<T::Raw>,
    key: &str,
    spec: &Spec,
    default: Option<T>,
    c: &mut dyn Problems,
) -> Option<T> {
    match (raw, default) {
        (Some(r), _) => T::check(r, key, spec, c),
        (None, Some(d)) => Some(d),
        (None, None) => T::absent().or_else(|| {
            let what = if spec.expect.is_empty() { T::KIND } else { spec.expect };
            let range = if spec.min.is_finite() && spec.max.is_finite() {
                format!(" in [{}, {}]", spec.min, spec.max)
            } else {
                String::new()
            };
            c.problem(key, format!("missing; expected {what}{range}"));
            None
        }),
    }
}

/// `section.key`, or `key` at the top.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn in_range(value: f64, key: &str, spec: &Spec, at: &str, c: &mut dyn Problems) -> bool {
    let ok = value.is_finite() && value >= spec.min && value <= spec.max;
    if !ok {
        c.problem(
            key,
            format!(
                "= {value}{at}: expected {} in [{}, {}]",
                spec.expect, spec.min, spec.max
            ),
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
}

/// Knot years a path may name.
pub const KNOT_YEARS: (i32, i32) = (1900, 2300);

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
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        T::document(key, spec, default.or_else(|| Some("none".into())), out)
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
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        f64::document(&join(key, "*"), spec, default, out)
    }
}

/// One region or destination, by name; kept as its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref<const OF: u8>(pub usize);
/// Several regions or destinations, by name (at least one); kept as indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refs<const OF: u8>(pub Vec<usize>);

pub const REGION: u8 = 0;
pub const DESTINATION: u8 = 1;
pub type RegionRef = Ref<REGION>;
pub type RegionRefs = Refs<REGION>;
pub type DestinationRef = Ref<DESTINATION>;
pub type DestinationRefs = Refs<DESTINATION>;

const fn named(of: u8) -> Named {
    if of == REGION {
        Named::Region
    } else {
        Named::Destination
    }
}

impl<const OF: u8> Declared for Ref<OF> {
    type Raw = String;
    const KIND: &'static str = if OF == REGION {
        "region name"
    } else {
        "destination name"
    };
    fn check(raw: String, key: &str, _: &Spec, c: &mut dyn Problems) -> Option<Self> {
        resolve(c, key, &raw, named(OF)).map(Ref)
    }
    fn show(&self) -> String {
        self.0.to_string()
    }
}

impl<const OF: u8> Declared for Refs<OF> {
    type Raw = Vec<String>;
    const KIND: &'static str = if OF == REGION {
        "region names"
    } else {
        "destination names"
    };
    fn check(raw: Vec<String>, key: &str, _: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let found: Vec<Option<usize>> = raw.iter().map(|n| resolve(c, key, n, named(OF))).collect();
        if raw.is_empty() {
            c.problem(key, format!("expected at least one {}", named(OF).word()));
            return None;
        }
        found.into_iter().collect::<Option<Vec<usize>>>().map(Refs)
    }
    fn show(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// A table of `T` keyed by destination name, `{ south_korea = { … }, … }`;
/// kept in name order with each destination's index.
#[derive(Debug, Clone, PartialEq)]
pub struct ByDestination<T>(pub Vec<(usize, T)>);

impl<T: Declared> Declared for ByDestination<T> {
    type Raw = std::collections::BTreeMap<String, T::Raw>;
    const KIND: &'static str = "table";
    fn check(raw: Self::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let mut out = Some(Vec::new());
        for (name, r) in raw {
            let k = join(key, &name);
            let d = resolve(c, &k, &name, Named::Destination);
            let v = T::check(r, &k, spec, c);
            out = match (out, d, v) {
                (Some(mut o), Some(d), Some(v)) => {
                    o.push((d, v));
                    Some(o)
                }
                _ => None,
            };
        }
        out.map(ByDestination)
    }
    fn show(&self) -> String {
        String::new()
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        T::document(&join(key, "*"), spec, default, out)
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

/// `None` or `Some(default)`, for the macro's optional `= default`.
#[doc(hidden)]
#[macro_export]
macro_rules! __declared_default {
    () => {
        None
    };
    ($e:expr) => {
        Some($e)
    };
}

/// Declares a section of parameters: the checked struct (fields named as the
/// TOML keys), its serde mirror `$raw` (every key optional, so that a missing
/// one is reported with its full key and expected form), its check and its
/// reference. A field reads
///
/// ```text
/// /// One-line description.
/// key: Type { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" } = default,
/// ```
///
/// where the braces hold `Spec` fields (the description comes from the doc
/// comment) and `= default` may be left out for a required key. A field of a
/// section type nests that section under its key.
#[macro_export]
macro_rules! section {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($raw:ident) {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty { $($spec:ident : $val:expr),* $(,)? } $(= $default:expr)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(
                $(#[doc = $doc])+
                pub $field: $ty,
            )*
        }

        /// The scenario file's form of the section, as serde reads it.
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $raw {
            $(
                pub $field: Option<<$ty as $crate::declare::Declared>::Raw>,
            )*
        }

        impl $name {
            /// Each field's key and spec, in declaration order.
            #[allow(clippy::needless_update)]
            pub const SPECS: &'static [(&'static str, $crate::declare::Spec)] = &[
                $(
                    (stringify!($field), $crate::declare::Spec {
                        $($spec: $val,)*
                        description: concat!($($doc),+),
                        ..$crate::declare::Spec::NONE
                    }),
                )*
            ];
        }

        impl $crate::declare::Declared for $name {
            type Raw = $raw;
            const KIND: &'static str = "table";
            #[allow(unused_assignments)]
            fn check(
                raw: $raw,
                key: &str,
                _: &$crate::declare::Spec,
                c: &mut dyn $crate::declare::Problems,
            ) -> Option<Self> {
                let mut i = 0;
                $(
                    let $field = $crate::declare::field::<$ty>(
                        raw.$field,
                        &$crate::declare::join(key, stringify!($field)),
                        &Self::SPECS[i].1,
                        $crate::__declared_default!($($default)?),
                        c,
                    );
                    i += 1;
                )*
                Some($name { $($field: $field?,)* })
            }
            fn show(&self) -> String {
                String::new()
            }
            #[allow(unused_assignments)]
            fn document(
                key: &str,
                _: &$crate::declare::Spec,
                _: Option<String>,
                out: &mut Vec<$crate::declare::ParamDoc>,
            ) {
                let mut i = 0;
                $(
                    let default: Option<$ty> = $crate::__declared_default!($($default)?);
                    <$ty as $crate::declare::Declared>::document(
                        &$crate::declare::join(key, stringify!($field)),
                        &Self::SPECS[i].1,
                        default.map(|d| $crate::declare::Declared::show(&d)),
                        out,
                    );
                    i += 1;
                )*
            }
        }
    };
}

/// The reference of a section under `key`.
pub fn reference<T: Declared>(key: &str) -> Vec<ParamDoc> {
    let mut out = Vec::new();
    T::document(key, &Spec::NONE, None, &mut out);
    out
}

/// Tests build checked values only through their checks: a raw value and
/// the scenario's names in, a checked value out, or a panic naming each
/// problem.
#[cfg(test)]
pub(crate) fn checked<T: Declared>(raw: T::Raw, regions: &[&str], destinations: &[&str]) -> T {
    struct Strict(Vec<String>, Vec<String>, Vec<String>);
    impl Problems for Strict {
        fn problem(&mut self, key: &str, message: String) {
            self.2.push(format!("{key}: {message}"));
        }
        fn names(&self, of: Named) -> &[String] {
            match of {
                Named::Region => &self.0,
                Named::Destination => &self.1,
            }
        }
    }
    let own = |n: &[&str]| n.iter().map(|s| s.to_string()).collect();
    let mut c = Strict(own(regions), own(destinations), Vec::new());
    let value = T::check(raw, "test", &Spec::NONE, &mut c);
    assert!(c.2.is_empty(), "not a valid value: {:?}", c.2);
    value.expect("no problem was reported")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(String, String)>);

    impl Problems for Collect {
        fn problem(&mut self, key: &str, message: String) {
            self.0.push((key.into(), message));
        }
        fn names(&self, _: Named) -> &[String] {
            &[]
        }
    }

    crate::section! {
        /// A section for the tests of the macro.
        pub struct Demo (RawDemo) {
            /// A rate.
            rate: f64 { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" },
            /// A path with a default.
            growth: YearPath { unit: "1/year", min: -0.5, max: 0.5, expect: "a yearly growth rate" }
                = YearPath::constant(0.02),
            /// By education.
            premium: ByEducation { unit: "-", min: -0.9, max: 5.0, expect: "a premium" },
            /// Optional.
            quota: Option<f64> { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        }
    }

    fn raw(rate: Option<f64>) -> RawDemo {
        RawDemo {
            rate,
            growth: None,
            premium: Some(RawByEducation {
                low: -0.3,
                medium: 7.0,
                high: 0.0,
            }),
            quota: None,
        }
    }

    #[test]
    fn a_section_reports_every_problem_with_its_full_key_and_the_standard_message() {
        let mut c = Collect::default();
        assert!(Demo::check(raw(Some(1.7)), "demo", &Spec::NONE, &mut c).is_none());
        assert_eq!(
            c.0,
            vec![
                ("demo.rate".into(), "= 1.7: expected a yearly rate in [0, 1]".into()),
                (
                    "demo.premium.medium".into(),
                    "= 7: expected a premium in [-0.9, 5]".into()
                ),
            ]
        );
        let mut c = Collect::default();
        assert!(Demo::check(raw(None), "demo", &Spec::NONE, &mut c).is_none());
        assert_eq!(
            c.0[0],
            ("demo.rate".into(), "missing; expected a yearly rate in [0, 1]".into())
        );
    }

    #[test]
    fn defaults_and_absent_options_fill_unwritten_keys() {
        let mut c = Collect::default();
        let mut r = raw(Some(0.1));
        r.premium = Some(RawByEducation {
            low: 0.0,
            medium: 0.0,
            high: 0.1,
        });
        let d = Demo::check(r, "demo", &Spec::NONE, &mut c).expect("valid");
        assert!(c.0.is_empty());
        assert_eq!(
            (d.rate, d.growth.at(2030), d.premium[2], d.quota),
            (0.1, 0.02, 0.1, None)
        );
    }

    #[test]
    fn the_reference_lists_leaf_keys_with_units_ranges_and_defaults() {
        let docs = reference::<Demo>("demo");
        let keys: Vec<&str> = docs.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "demo.rate",
                "demo.growth",
                "demo.premium.low",
                "demo.premium.medium",
                "demo.premium.high",
                "demo.quota"
            ]
        );
        assert_eq!(docs[0].unit, "1/year");
        assert_eq!((docs[0].min, docs[0].max), (Some(0.0), Some(1.0)));
        assert_eq!(docs[0].default, None);
        assert_eq!(docs[1].default.as_deref(), Some("0.02"));
        assert_eq!(docs[5].default.as_deref(), Some("none"));
        assert_eq!(docs[0].description, "A rate.");
    }
}
