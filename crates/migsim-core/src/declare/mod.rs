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

mod names;
mod values;

pub use names::*;
pub use values::*;

use serde::Deserialize;

/// A mark that only the checks can make: every declared section and
/// `Params` hold one, so that code outside this crate builds them only
/// through `Declared::check` and `params::check`, never by hand.
///
/// ```compile_fail
/// // A section written by hand, without its check, does not compile.
/// let s = migsim_core::params::AgeSchedule {
///     peak_age: 24.0, rise: 0.5, fall: 0.1, child_level: 0.0, child_rate: 0.1, floor: 0.0,
/// };
/// ```
///
/// ```
/// // Through its check it does.
/// use migsim_core::declare::{Declared, Problems, Spec};
/// use migsim_core::params::{AgeSchedule, RawAgeSchedule};
/// struct None_;
/// impl Problems for None_ {
///     fn problem(&mut self, key: &str, message: String) { panic!("{key}: {message}") }
/// }
/// let raw = RawAgeSchedule {
///     peak_age: Some(24.0), rise: Some(0.5), fall: Some(0.1),
///     child_level: Some(0.0), child_rate: Some(0.1), floor: Some(0.0),
/// };
/// let s = AgeSchedule::check(raw, "age_schedule", &Spec::NONE, &mut None_).unwrap();
/// assert_eq!(s.peak_age, 24.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sealed(());

/// The mark, for the checks of this crate.
#[doc(hidden)]
pub(crate) const SEALED: Sealed = Sealed(());

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

/// One value a scenario set, as a report states it: the key under its
/// section, the value as written (names, not indices), and its declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub unit: &'static str,
    pub description: &'static str,
}

/// The scenario's names, by which a report shows what a reference points to.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    pub regions: &'a [String],
    pub destinations: &'a [String],
}

impl Names<'_> {
    pub fn of(&self, of: Named) -> &[String] {
        match of {
            Named::Region => self.regions,
            Named::Destination => self.destinations,
        }
    }
}

/// Where a check reports what it found wrong (the scenario reader adds the
/// file and line), and the names that other keys may refer to.
pub trait Problems {
    fn problem(&mut self, key: &str, message: String);
    /// The names of the scenario's regions or destinations, in order
    /// (none, for a caller that checks no key naming them).
    fn names(&self, of: Named) -> &[String] {
        let _ = of;
        &[]
    }
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
    /// Sets the number at `path` under this value (the value itself when
    /// `path` is empty) to `value`, checked against `spec` as if read from a
    /// file: how a drawn or swept number reaches checked parameters without
    /// going back through the file. The error says what is wrong, to follow
    /// the key.
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let _ = (path, value, spec);
        Err(format!("is {}, not a number", article(Self::KIND)))
    }
    /// Every value set under this one, as a report states it.
    fn describe(&self, key: &str, spec: &Spec, names: &Names, out: &mut Vec<Setting>) {
        out.push(Setting {
            key: key.to_string(),
            value: self.show_named(names),
            unit: spec.unit,
            description: spec.description.trim(),
        });
    }
    /// `show`, with references to regions and destinations by name.
    fn show_named(&self, names: &Names) -> String {
        let _ = names;
        self.show()
    }
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

fn article(kind: &str) -> String {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// The problem with `value` against `spec`, if any, in the words of a
/// file's check.
pub fn out_of_range(value: f64, spec: &Spec) -> Option<String> {
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
pub fn expected_range(spec: &Spec) -> String {
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
pub fn unknown_key(given: &str, keys: &[&str]) -> String {
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
            /// Made by the check only.
            _sealed: $crate::declare::Sealed,
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
                Some($name { $($field: $field?,)* _sealed: $crate::declare::SEALED })
            }
            fn show(&self) -> String {
                String::new()
            }
            #[allow(unused_assignments)]
            fn set(&mut self, path: &[&str], value: f64, _: &$crate::declare::Spec) -> Result<(), String> {
                let Some((first, rest)) = path.split_first() else {
                    return Err("is a table; name one of its keys".into());
                };
                let mut i = 0;
                $(
                    if *first == stringify!($field) {
                        return $crate::declare::Declared::set(&mut self.$field, rest, value, &Self::SPECS[i].1);
                    }
                    i += 1;
                )*
                let keys: Vec<&str> = Self::SPECS.iter().map(|s| s.0).collect();
                Err($crate::declare::unknown_key(first, &keys))
            }
            #[allow(unused_assignments)]
            fn describe(
                &self,
                key: &str,
                _: &$crate::declare::Spec,
                names: &$crate::declare::Names,
                out: &mut Vec<$crate::declare::Setting>,
            ) {
                let mut i = 0;
                $(
                    $crate::declare::Declared::describe(
                        &self.$field,
                        &$crate::declare::join(key, stringify!($field)),
                        &Self::SPECS[i].1,
                        names,
                        out,
                    );
                    i += 1;
                )*
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

/// An enum of kinds (policy levers, shocks), each variant a declared
/// section named by `kind` in a file: the enum, its serde mirror tagged by
/// `kind`, and what every kind answers alike (its name in a file and in a
/// report, its timing, its check, setting a number by key, its reference
/// under `PREFIX.KIND`).
#[macro_export]
macro_rules! kinds {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($raw:ident) under $prefix:literal;
        accessors { $($accessors:tt)* }
        $( $variant:ident = $kind:literal, $label:literal; )*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub enum $name {
            $( $variant($variant), )*
        }

        /// As written: `kind` names the variant.
        #[derive(Debug, Clone, serde::Deserialize)]
        #[serde(tag = "kind")]
        pub enum $raw {
            $( #[serde(rename = $kind)] $variant(<$variant as $crate::declare::Declared>::Raw), )*
        }

        impl $name {
            /// Every kind, as written in a scenario.
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            pub fn kind(&self) -> &'static str {
                match self { $( Self::$variant(_) => $kind, )* }
            }

            /// What the kind is called in a report.
            pub fn label(&self) -> &'static str {
                match self { $( Self::$variant(_) => $label, )* }
            }

            $crate::__kinds_accessors! { [$($variant)*] $($accessors)* }

            /// Sets a number by its key under the kind's table.
            pub fn set(&mut self, path: &[&str], value: f64) -> Result<(), String> {
                use $crate::declare::{Declared, Spec};
                match self { $( Self::$variant(v) => v.set(path, value, &Spec::NONE), )* }
            }

            pub fn check(raw: $raw, key: &str, c: &mut dyn $crate::declare::Problems) -> Option<Self> {
                use $crate::declare::{Declared, Spec};
                match raw {
                    $( $raw::$variant(r) => $variant::check(r, key, &Spec::NONE, c).map(Self::$variant), )*
                }
            }

            /// Every value the kind's table sets, keyed under it.
            pub fn describe(&self, names: &$crate::declare::Names) -> Vec<$crate::declare::Setting> {
                use $crate::declare::{Declared, Spec};
                let mut out = Vec::new();
                match self { $( Self::$variant(v) => v.describe("", &Spec::NONE, names, &mut out), )* }
                out
            }

            /// The reference of every kind, under `PREFIX.KIND`.
            pub fn reference() -> Vec<$crate::declare::ParamDoc> {
                let mut out = Vec::new();
                $( out.extend($crate::declare::reference::<$variant>(concat!($prefix, ".", $kind))); )*
                out
            }
        }
    };
}

/// The accessors of `kinds!`, one at a time: each `fn NAME(&self) -> TYPE
/// = |l| BODY;` becomes a method evaluating BODY with `l` bound to the
/// variant's value, whatever the variant. (Recursion, because the accessors
/// and the variants repeat independently.)
#[doc(hidden)]
#[macro_export]
macro_rules! __kinds_accessors {
    ($vars:tt) => {};
    ($vars:tt fn $acc:ident(&self) -> $ret:ty = |$l:ident| $body:expr; $($rest:tt)*) => {
        pub fn $acc(&self) -> $ret {
            $crate::__kinds_match!(self, $l, $body, $vars)
        }
        $crate::__kinds_accessors! { $vars $($rest)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __kinds_match {
    ($self:ident, $l:ident, $body:expr, [$($variant:ident)*]) => {
        match $self { $( Self::$variant($l) => $body, )* }
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
    use crate::year_path::YearPath;

    #[test]
    fn messages_show_huge_and_tiny_numbers_in_exponent_form() {
        assert_eq!(number(1e300), "1e300");
        assert_eq!(number(-2.5e-9), "-2.5e-9");
        assert_eq!(number(-5.0), "-5");
        assert_eq!(number(0.0153), "0.0153");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::NAN), "NaN");
        let spec = Spec {
            min: 0.0,
            max: 10.0,
            expect: "a number",
            ..Spec::NONE
        };
        assert_eq!(
            out_of_range(1e300, &spec).unwrap(),
            "= 1e300: expected a number in [0, 10]"
        );
    }

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
