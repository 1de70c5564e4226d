//! Keys that name regions or destinations: resolved to indices when checked,
//! with a suggestion for a mistyped name.

use super::{Declared, Names, ParamDoc, Problems, Setting, Spec, join};

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
    match super::find_name(name, c.names(of), of.word()) {
        Ok(i) => Some(i),
        Err(message) => {
            c.problem(key, message);
            None
        }
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

/// The name of element `i` of `of`, or its index when the names are not at hand.
fn name_of(names: &Names, of: u8, i: usize) -> String {
    names.of(named(of)).get(i).cloned().unwrap_or_else(|| i.to_string())
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
    fn show_named(&self, names: &Names) -> String {
        name_of(names, OF, self.0)
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
    fn show_named(&self, names: &Names) -> String {
        let all: Vec<String> = self.0.iter().map(|&i| name_of(names, OF, i)).collect();
        all.join(", ")
    }
}

/// A table of `T` keyed by destination name, `{ south_korea = { … }, … }`;
/// kept in name order with each destination's index, and the names as
/// written, by which a drawn or swept number reaches an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ByDestination<T>(pub Vec<(usize, T)>, pub Vec<String>);

impl<T: Declared> Declared for ByDestination<T> {
    type Raw = std::collections::BTreeMap<String, T::Raw>;
    const KIND: &'static str = "table";
    fn check(raw: Self::Raw, key: &str, spec: &Spec, c: &mut dyn Problems) -> Option<Self> {
        let mut out = Some(Vec::new());
        let names: Vec<String> = raw.keys().cloned().collect();
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
        out.map(|o| ByDestination(o, names))
    }
    fn show(&self) -> String {
        String::new()
    }
    fn describe(&self, key: &str, spec: &Spec, names: &Names, out: &mut Vec<Setting>) {
        for (d, v) in &self.0 {
            v.describe(&join(key, &name_of(names, DESTINATION, *d)), spec, names, out);
        }
    }
    fn set(&mut self, path: &[&str], value: f64, spec: &Spec) -> Result<(), String> {
        let Some((name, rest)) = path.split_first() else {
            return Err("is a table by destination; name one".into());
        };
        match self.1.iter().position(|n| n == name) {
            Some(i) => self.0[i].1.set(rest, value, spec),
            None => Err(format!(
                "`{name}` is not given in the scenario (it gives {}); give it a value there first",
                if self.1.is_empty() {
                    "none".to_string()
                } else {
                    self.1.join(", ")
                }
            )),
        }
    }
    fn document(key: &str, spec: &Spec, default: Option<String>, out: &mut Vec<ParamDoc>) {
        T::document(&join(key, "*"), spec, default, out)
    }
}
