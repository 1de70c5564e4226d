//! The tiny test fixture for the core's own tests, built through the same
//! checks as any scenario. The core reads no TOML or CSV, so the fixture is
//! the tiny scenario (`tests/fixtures/tiny.toml` of the `migsim` crate) and
//! its tables as one JSON file, which a test of that crate keeps equal to
//! them.

use super::{Params, RawScenario, Tables, check};
use crate::declare::Problems;
use std::sync::Arc;

struct Refuse;

impl Problems for Refuse {
    fn problem(&mut self, key: &str, message: String) {
        panic!("the tiny fixture is not a valid scenario: `{key}`: {message}");
    }
}

fn array<D: ndarray::Dimension>(v: &serde_json::Value, shape: D) -> ndarray::Array<f64, D> {
    let values: Vec<f64> = serde_json::from_value(v["values"].clone()).expect("numbers");
    ndarray::Array::from_shape_vec(shape, values).expect("shape and values agree")
}

/// The tiny scenario's checked parameters.
pub fn tiny() -> Params {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/tiny.json")).expect("fixture is JSON");
    let raw: RawScenario<serde_json::Value> =
        serde_json::from_value(v["scenario"].clone()).expect("fixture has every section");
    let checked = check(&raw, &mut Refuse).expect("no problem was reported");
    let shape = |key: &str| -> Vec<usize> { serde_json::from_value(v[key]["shape"].clone()).expect("a shape") };
    let (h, a) = (shape("home"), shape("abroad"));
    let tables = Tables {
        home: Arc::new(array(&v["home"], ndarray::Ix4(h[0], h[1], h[2], h[3]))),
        abroad: Arc::new(array(&v["abroad"], ndarray::Ix6(a[0], a[1], a[2], a[3], a[4], a[5]))),
        naturalised: {
            let n = shape("naturalised");
            Arc::new(array(&v["naturalised"], ndarray::Ix4(n[0], n[1], n[2], n[3])))
        },
        baseline_hazard: serde_json::from_value(v["baseline_hazard"].clone()).expect("two lists"),
        observed: Vec::new(),
    };
    let params = checked.with_tables(tables);
    assert!(params.relations().is_empty(), "{:?}", params.relations());
    params
}
