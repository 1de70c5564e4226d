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

mod macros;
mod messages;
mod names;
mod values;

use messages::article;
pub use messages::*;
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
