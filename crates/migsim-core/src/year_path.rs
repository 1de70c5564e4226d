//! A value that changes over time: a constant, or year knots interpolated
//! linearly and held flat before the first and after the last knot.
//!
//! In a scenario file a path is written either as a number (`tfr = 2.7`) or as a
//! table of knots (`tfr = { 2023 = 2.7, 2050 = 2.2 }`).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct YearPath {
    /// Knots sorted by year, at least one, years distinct.
    knots: Vec<(i32, f64)>,
}

impl YearPath {
    pub fn constant(value: f64) -> Self {
        YearPath {
            knots: vec![(i32::MIN, value)],
        }
    }

    /// Builds a path from knots in any order. Returns `None` for no knots or a
    /// repeated year.
    pub fn from_knots(mut knots: Vec<(i32, f64)>) -> Option<Self> {
        if knots.is_empty() {
            return None;
        }
        knots.sort_by_key(|k| k.0);
        if knots.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        Some(YearPath { knots })
    }

    pub fn at(&self, year: i32) -> f64 {
        let k = &self.knots;
        if year <= k[0].0 {
            return k[0].1;
        }
        let last = k[k.len() - 1];
        if year >= last.0 {
            return last.1;
        }
        // Knots are few (a handful), so a linear scan beats a binary search.
        let i = k.iter().position(|&(y, _)| y > year).unwrap_or(k.len() - 1);
        let (y0, v0) = k[i - 1];
        let (y1, v1) = k[i];
        v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0)
    }

    /// Every value the path takes at a knot; the extremes of a piecewise-linear
    /// path are at its knots, so range checks need look nowhere else.
    pub fn knot_values(&self) -> impl Iterator<Item = f64> + '_ {
        self.knots.iter().map(|k| k.1)
    }

    pub fn knots(&self) -> &[(i32, f64)] {
        &self.knots
    }

    pub fn is_constant(&self) -> bool {
        self.knots[0].0 == i32::MIN
    }

    /// Makes a constant path `value`.
    pub fn set_constant(&mut self, value: f64) {
        self.knots = vec![(i32::MIN, value)];
    }

    /// Sets the value of the knot at `year`; false when there is none.
    pub fn set_knot(&mut self, year: i32, value: f64) -> bool {
        match self.knots.iter_mut().find(|k| k.0 == year && year != i32::MIN) {
            Some(k) => {
                k.1 = value;
                true
            }
            None => false,
        }
    }

    /// The same path with every value passed through `f`.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        YearPath {
            knots: self.knots.iter().map(|&(y, v)| (y, f(v))).collect(),
        }
    }
}

impl<'de> serde::Deserialize<'de> for YearPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PathVisitor)
    }
}

struct PathVisitor;

const EXPECTED: &str = "a number or a table of year knots such as { 2023 = 2.7, 2050 = 2.2 }";

impl<'de> Visitor<'de> for PathVisitor {
    type Value = YearPath;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<YearPath, E> {
        Ok(YearPath::constant(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<YearPath, E> {
        Ok(YearPath::constant(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YearPath, E> {
        Ok(YearPath::constant(v as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YearPath, A::Error> {
        let mut knots = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let year: i32 = key
                .trim()
                .parse()
                .map_err(|_| de::Error::custom(format!("knot `{key}` is not a year: expected {EXPECTED}")))?;
            let value: Knot = map.next_value()?;
            knots.push((year, value.0));
        }
        YearPath::from_knots(knots)
            .ok_or_else(|| de::Error::custom(format!("empty or repeated year knots: expected {EXPECTED}")))
    }
}

/// A knot's value: an integer or a float.
struct Knot(f64);

impl<'de> serde::Deserialize<'de> for Knot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Knot;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Knot, E> {
                Ok(Knot(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Knot, E> {
                Ok(Knot(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Knot, E> {
                Ok(Knot(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_linearly_and_holds_flat_outside_the_knots() {
        let p = YearPath::from_knots(vec![(2050, 2.2), (2023, 2.8)]).unwrap();
        assert_eq!(p.at(2000), 2.8);
        assert_eq!(p.at(2023), 2.8);
        assert!((p.at(2036) - (2.8 - 0.6 * 13.0 / 27.0)).abs() < 1e-12);
        assert_eq!(p.at(2050), 2.2);
        assert_eq!(p.at(2100), 2.2);
    }

    #[test]
    fn constant_is_the_same_every_year() {
        let p = YearPath::constant(0.3);
        assert_eq!(p.at(1900), 0.3);
        assert_eq!(p.at(2200), 0.3);
    }

    #[test]
    fn rejects_repeated_years() {
        assert!(YearPath::from_knots(vec![(2030, 1.0), (2030, 2.0)]).is_none());
    }

    #[test]
    fn reads_numbers_and_knot_tables() {
        #[derive(serde::Deserialize)]
        struct T {
            a: YearPath,
            b: YearPath,
        }
        let t: T = serde_json::from_str(r#"{"a": 3, "b": {"2023": 1, "2033": 2.5}}"#).unwrap();
        assert_eq!(t.a.at(2040), 3.0);
        assert_eq!(t.b.at(2028), 1.75);
        assert!(serde_json::from_str::<T>(r#"{"a": 1, "b": {"twenty": 1}}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": "high", "b": 1}"#).is_err());
    }
}
