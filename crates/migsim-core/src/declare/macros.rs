//! `section!` and `kinds!`: the declarations a process writes beside its
//! equations, and what they expand to (the serde mirror, the checks, the
//! typed fields and the reference).

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
