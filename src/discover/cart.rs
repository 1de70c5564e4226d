//! CART as a second view of a discovery (Breiman et al. 1984, as EMA
//! Workbench uses it for scenario discovery): a classification tree that
//! splits the inputs until each leaf is pure or too small to split, every
//! leaf a box. Where PRIM gives one box and a trade-off, CART partitions
//! the whole space, so it also shows the boxes where the cases are rare.
//!
//! The tree is the one scikit-learn's `DecisionTreeClassifier` grows with
//! `min_samples_leaf` = `mass_min` × rows and no depth limit, as EMA
//! Workbench's `CART` asks it: at each node, the split of largest Gini
//! decrease (the largest `Σ_side Σ_class count² / n_side`), between two
//! consecutive distinct values at their midpoint, leaving at least
//! `min_leaf` rows on each side; the first best in input order and value
//! order wins a tie. Leaves come in depth-first order, left (`x ≤ t`)
//! before right. Inputs are compared as scikit-learn stores them, in single
//! precision, so that the thresholds agree with it (checked on a fixture).

/// One leaf: its limits (none where the tree never split that input on
/// that side), its rows and how many of them are cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    pub n: usize,
    pub cases: usize,
}

/// Values closer than this are one value (scikit-learn's `FEATURE_THRESHOLD`).
const SAME: f64 = 1e-7;

/// The leaves of the tree grown on rows `x` (inputs) labelled `y`.
pub fn leaves(x: &[Vec<f64>], y: &[bool], min_leaf: usize) -> Vec<Leaf> {
    let k = x.first().map_or(0, Vec::len);
    // Single precision, as scikit-learn converts its inputs.
    let xf: Vec<Vec<f64>> = x
        .iter()
        .map(|row| row.iter().map(|v| f64::from(*v as f32)).collect())
        .collect();
    let mut out = Vec::new();
    let root = Leaf {
        lower: vec![None; k],
        upper: vec![None; k],
        n: 0,
        cases: 0,
    };
    let rows: Vec<usize> = (0..x.len()).collect();
    grow(&xf, y, min_leaf.max(1), rows, root, &mut out);
    out
}

fn grow(x: &[Vec<f64>], y: &[bool], min_leaf: usize, rows: Vec<usize>, mut node: Leaf, out: &mut Vec<Leaf>) {
    let n = rows.len();
    let cases = rows.iter().filter(|&&i| y[i]).count();
    node.n = n;
    node.cases = cases;
    if cases == 0 || cases == n || n < 2 * min_leaf.max(1) || n < 2 {
        out.push(node);
        return;
    }
    match best_split(x, y, min_leaf, &rows, cases) {
        None => out.push(node),
        Some((j, threshold)) => {
            let (left, right): (Vec<usize>, Vec<usize>) = rows.into_iter().partition(|&i| x[i][j] <= threshold);
            let mut l = node.clone();
            l.upper[j] = Some(threshold);
            let mut r = node;
            r.lower[j] = Some(threshold);
            grow(x, y, min_leaf, left, l, out);
            grow(x, y, min_leaf, right, r, out);
        }
    }
}

/// The input and threshold of the split of largest Gini decrease, if any
/// split leaves `min_leaf` rows on both sides.
fn best_split(x: &[Vec<f64>], y: &[bool], min_leaf: usize, rows: &[usize], cases: usize) -> Option<(usize, f64)> {
    let n = rows.len();
    let k = x[rows[0]].len();
    let mut best: Option<(f64, usize, f64)> = None;
    let mut sorted = rows.to_vec();
    for j in 0..k {
        sorted.sort_by(|&a, &b| x[a][j].total_cmp(&x[b][j]));
        let (mut left_n, mut left_cases) = (0usize, 0usize);
        for p in 1..n {
            left_n += 1;
            left_cases += usize::from(y[sorted[p - 1]]);
            let (lo, hi) = (x[sorted[p - 1]][j], x[sorted[p]][j]);
            if hi <= lo + SAME || left_n < min_leaf || n - left_n < min_leaf {
                continue;
            }
            let sq = |c: usize, m: usize| ((c * c + (m - c) * (m - c)) as f64) / m as f64;
            let proxy = sq(left_cases, left_n) + sq(cases - left_cases, n - left_n);
            if best.is_none_or(|(b, _, _)| proxy > b) {
                let mut t = lo / 2.0 + hi / 2.0;
                if t == hi || t.is_infinite() {
                    t = lo;
                }
                best = Some((proxy, j, t));
            }
        }
    }
    best.map(|(_, j, t)| (j, t))
}

/// `cart.csv`: one row per leaf in the tree's order: its rows, cases,
/// coverage (its share of all cases), density (its share of rows that are
/// cases), mass, restricted inputs, then per input its lower and upper
/// limit (empty where the tree never limits it).
pub fn to_csv(inputs: &[String], leaves: &[Leaf]) -> String {
    let total: usize = leaves.iter().map(|l| l.n).sum();
    let cases: usize = leaves.iter().map(|l| l.cases).sum();
    let mut out = String::from("leaf,n,cases,coverage,density,mass,restricted");
    for key in inputs {
        out.push_str(&format!(",{key}_lower,{key}_upper"));
    }
    out.push('\n');
    let cell = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for (i, l) in leaves.iter().enumerate() {
        let restricted = (0..inputs.len())
            .filter(|&j| l.lower[j].is_some() || l.upper[j].is_some())
            .count();
        out.push_str(&format!(
            "{i},{},{},{},{},{},{restricted}",
            l.n,
            l.cases,
            if cases > 0 { l.cases as f64 / cases as f64 } else { 0.0 },
            l.cases as f64 / l.n as f64,
            l.n as f64 / total as f64
        ));
        for j in 0..inputs.len() {
            out.push_str(&format!(",{},{}", cell(l.lower[j]), cell(l.upper[j])));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_in_one_input_is_one_split_there() {
        // Cases exactly where x0 > 0.5; x1 is noise: one split on x0.
        let x: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64 / 40.0, ((i * 7) % 40) as f64]).collect();
        let y: Vec<bool> = x.iter().map(|r| r[0] > 0.5).collect();
        let l = leaves(&x, &y, 2);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].cases, l[1].cases), (0, l[1].n));
        let t = l[0].upper[0].unwrap();
        assert!(t > 0.5 && t < 0.55, "{t}");
        assert!(l[0].upper[1].is_none() && l[1].lower[1].is_none());
    }

    #[test]
    fn no_leaf_is_smaller_than_asked() {
        let x: Vec<Vec<f64>> = (0..100).map(|i| vec![((i * 37) % 100) as f64]).collect();
        let y: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
        for min in [1, 5, 20] {
            let l = leaves(&x, &y, min);
            assert!(l.iter().all(|leaf| leaf.n >= min), "{min}");
            assert_eq!(l.iter().map(|leaf| leaf.n).sum::<usize>(), 100);
        }
    }
}
