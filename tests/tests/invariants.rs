//! Properties that must hold for any valid scenario: the balancing identities
//! and no negative stock, on random variations of the tiny fixture; and the
//! series file's columns and indicators.

use super::*;
use migsim::year_path::YearPath;
use proptest::prelude::*;

fn check_year(model: &migsim::Model, y: usize, state: &migsim::model::State) -> migsim::model::State {
    let (next, f) = migsim::model::step(model, y, state);
    for v in next.home.iter().chain(next.abroad.iter()) {
        assert!(v.is_finite() && *v >= 0.0, "year {y}: stock {v}");
    }
    for v in next.naturalised.iter() {
        assert!(v.is_finite() && *v >= 0.0, "year {y}: naturalised {v}");
    }
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let emig = sum(&f.emigrants_by_dest);
    let ret = sum(&f.returns_by_dest);
    let nat = sum(&f.naturalisations_by_dest);
    let nat_ret = sum(&f.returns_naturalised_by_dest);
    let imm = sum(&f.immigrants_by_kind);
    let home = state.population_home() + f.births_home - f.deaths_home - emig + ret + nat_ret + imm;
    let abroad = state.population_abroad() + f.births_abroad - f.deaths_abroad + emig - ret - nat;
    let naturalised = state.population_naturalised() + nat - nat_ret - f.deaths_naturalised;
    let (h1, a1, n1) = (
        next.population_home(),
        next.population_abroad(),
        next.population_naturalised(),
    );
    assert!((home - h1).abs() <= 1e-9 * h1.max(1.0), "home {home} vs {h1}");
    assert!((abroad - a1).abs() <= 1e-9 * a1.max(1.0), "abroad {abroad} vs {a1}");
    assert!(
        (naturalised - n1).abs() <= 1e-9 * n1.max(1.0),
        "naturalised {naturalised} vs {n1}"
    );
    // By sex, the flows add up to their totals.
    for (by_sex, total) in [
        (&f.emigrants_by_sex, emig),
        (&f.returns_by_sex, ret),
        (&f.naturalisations_by_sex, nat),
        (&f.returns_naturalised_by_sex, nat_ret),
    ] {
        assert!((sum(by_sex) - total).abs() <= 1e-9 * total.max(1.0));
    }
    next
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn balancing_identities_hold_and_no_stock_goes_negative(
        outflow in 0.0f64..300_000.0,
        moves in 0.0f64..100_000.0,
        ret in 0.0f64..=1.0,
        settle in 0.0f64..=1.0,
        naturalise in 0.0f64..=0.5,
        nat_return in 0.0f64..=0.5,
        tfr in 0.0f64..7.0,
        e0 in 30.0f64..90.0,
        quota in proptest::option::of(0.0f64..40_000.0),
        spill in 0.0f64..=1.0,
        scale in 0.01f64..3.0,
        immigrants in 0.0f64..50_000.0,
    ) {
        let mut p = tiny_params();
        p.emigration.base_outflow = outflow;
        p.emigration.quota_spillover = spill;
        p.internal.base_moves = moves;
        p.destinations[0].return_rate_temporary = ret;
        p.destinations[1].settle_rate = settle;
        p.destinations[1].naturalise_rate_settled = YearPath::constant(naturalise);
        p.destinations[0].return_rate_naturalised = nat_return;
        p.destinations[0].quota = quota.map(YearPath::constant);
        p.fertility.tfr = YearPath::constant(tfr);
        p.mortality.e0_female = YearPath::constant(e0);
        p.mortality.e0_male = YearPath::constant(e0 - 5.0);
        std::sync::Arc::make_mut(&mut p.home).mapv_inplace(|v| v * scale);
        p.immigration[0].persons = YearPath::constant(immigrants);
        // A quota can make the base outflow unreachable: calibration then
        // refuses the scenario, which is the right answer, not a failure here.
        let model = match migsim::model::compile(p) {
            Ok(m) => m,
            Err(e) => { prop_assume!(false, "{}", e); unreachable!() }
        };
        let mut state = model.initial_state();
        for y in 0..model.params.n_years() {
            state = check_year(&model, y, &state);
        }
    }
}

/// A country of one region: the stock abroad is rewritten one region per
/// pass (the smallest group of `abroad_runs`), internal migration has
/// nowhere to go, and every year still balances with no stock negative.
#[test]
fn a_one_region_country_balances_every_year() {
    let dir = fixture_dir();
    for f in ["tiny_home.csv", "tiny_abroad.csv"] {
        let path = dir.path().join(f);
        let kept: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("south,"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, kept).unwrap();
    }
    let text = std::fs::read_to_string(dir.path().join("tiny.toml")).unwrap();
    let south = text
        .find("[[regions]]\nname = \"south\"")
        .expect("the fixture has `south`");
    let next = south + text[south + 2..].find("[[").expect("a table after `south`") + 2;
    let one = format!("{}{}", &text[..south], &text[next..]).replacen("base_moves = 20000", "base_moves = 0", 1);
    let path = dir.path().join("one.toml");
    std::fs::write(&path, one).unwrap();
    let model = migsim::model::compile(migsim::scenario::load_file(&path).unwrap().params).unwrap();
    assert_eq!(model.n_regions, 1);
    let mut state = model.initial_state();
    let abroad0 = state.population_abroad();
    for y in 0..model.params.n_years() {
        state = check_year(&model, y, &state);
    }
    assert!(state.population_abroad() != abroad0, "the stock abroad moved");
}

#[test]
fn series_has_the_documented_columns_and_every_indicator() {
    let model = migsim::model::compile(tiny_params()).unwrap();
    let run = migsim::model::project(&model).unwrap();
    let csv = migsim::output::series::to_csv(&model.params, &run);
    assert_eq!(
        csv.lines().next().unwrap(),
        "scenario,year,indicator,dimension,statistic,value,unit"
    );
    let expected = [
        "population_home",
        "population_abroad",
        "births",
        "deaths",
        "emigrants",
        "returns",
        "settlements",
        "naturalisations",
        "population_permanent",
        "population_naturalised",
        "emigrant_stock",
        "immigrants",
        "net_migration",
        "internal_moves",
        "foreign_workers",
        "labor_force",
        "unemployment_rate",
        "wage_home_usd",
        "gdp_usd",
        "remittances_usd",
        "remittances_share_gdp",
        "remittances_per_capita_usd",
        "tertiary_emigration_rate",
        "tertiary_share_home",
        "youth_abroad_share",
        "dependency_ratio",
        "policy_cost_usd",
    ];
    let found: std::collections::BTreeSet<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
    let expected: std::collections::BTreeSet<&str> = expected.into_iter().collect();
    assert_eq!(found, expected);
    for dim in [
        "destination=east",
        "region=south",
        "area=border",
        "status=settled",
        "education=high",
        "kind=kayrylman",
        "location=abroad",
        "sex=female",
        "status=naturalised",
    ] {
        assert!(csv.contains(&format!(",{dim},")), "no row with {dim}");
    }
}

#[test]
fn quota_caps_intake_and_spillover_moves_the_rest() {
    let base = migsim::model::compile(tiny_params()).unwrap();
    let (_, free) = migsim::model::step(&base, 0, &base.initial_state());
    let mut p = tiny_params();
    let cap = free.emigrants_by_dest[0] * 0.5;
    p.destinations[0].quota = Some(YearPath::constant(cap));
    p.emigration.quota_spillover = 1.0;
    // Keep the calibrated level of the unconstrained run, to see the quota act.
    p.emigration.base_outflow = 0.0;
    let mut capped = migsim::model::compile(p).unwrap();
    capped.emigration_level = base.emigration_level;
    capped.internal_scale = base.internal_scale;
    let (_, f) = migsim::model::step(&capped, 0, &capped.initial_state());
    assert!(
        (f.emigrants_by_dest[0] - cap).abs() < 1e-6 * cap,
        "{} vs {cap}",
        f.emigrants_by_dest[0]
    );
    let turned_away = free.emigrants_by_dest[0] - cap;
    let west_gain = f.emigrants_by_dest[1] - free.emigrants_by_dest[1];
    assert!(
        (west_gain / turned_away - 1.0).abs() < 1e-3,
        "{west_gain} vs {turned_away}"
    );
}

#[test]
fn pyramids_add_up_to_the_population_by_sex() {
    let model = migsim::model::compile(tiny_params()).unwrap();
    let run = migsim::model::project(&model).unwrap();
    for pyr in &run.pyramids {
        for s in 0..2 {
            let home: f64 = pyr.home[s].iter().sum();
            let expected = run
                .get(migsim::Indicator::PopulationHome, migsim::Dim::Sex(s), pyr.year)
                .unwrap();
            assert!(
                (home - expected).abs() <= 1e-9 * expected,
                "{} sex {s}: {home} vs {expected}",
                pyr.year
            );
        }
        let abroad: f64 = pyr.abroad.iter().flatten().sum();
        let expected = run
            .get(migsim::Indicator::PopulationAbroad, migsim::Dim::Total, pyr.year)
            .unwrap();
        assert!((abroad - expected).abs() <= 1e-9 * expected);
    }
    assert_eq!(run.pyramids.len(), 2);
}

/// The numbers of the behavioural sections and the policies of the draft
/// 2040 concept, each as a key `Params::set` reaches, with its declared
/// range (`*` expanded to the scenario's names; policies by their table's
/// name). Keys with an unbounded side and the fixed sections are left out.
fn behavioural_keys(s: &migsim::Scenario) -> Vec<(String, f64, f64, bool)> {
    let p = &s.model.params;
    let behavioural = [
        "emigration.",
        "returns.",
        "economy.",
        "remittances.",
        "internal.",
        "foreign_workers.",
        "fertility.",
        "education.",
        "destinations.*.",
        "regions.*.",
        "policies.",
    ];
    // `regions.*` and `destinations.*`, wherever they stand, once per name.
    let expand = |key: String| -> Vec<String> {
        let mut keys = vec![key];
        for (set, names) in [
            (
                "regions.*.",
                p.regions.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
            ),
            (
                "destinations.*.",
                p.destinations.iter().map(|d| d.name.clone()).collect(),
            ),
        ] {
            keys = keys
                .into_iter()
                .flat_map(|k| match k.contains(set) {
                    true => names.iter().map(|n| k.replacen(set, &set.replace('*', n), 1)).collect(),
                    false => vec![k],
                })
                .collect();
        }
        keys
    };
    let mut out = Vec::new();
    for doc in migsim::params::reference() {
        let (Some(min), Some(max)) = (doc.min, doc.max) else {
            continue;
        };
        if !behavioural.iter().any(|b| doc.key.starts_with(b))
            || !matches!(doc.kind, "number" | "year path" | "whole number")
        {
            continue;
        }
        let whole = doc.kind == "whole number";
        let named: Vec<String> = match doc.key.strip_prefix("policies.") {
            Some(rest) => {
                let (kind, key) = rest.split_once('.').unwrap_or((rest, ""));
                p.policies
                    .iter()
                    .filter(|x| x.lever.kind() == kind)
                    .map(|x| format!("policies.{}.{key}", x.name))
                    .collect()
            }
            None => vec![doc.key.clone()],
        };
        out.extend(named.into_iter().flat_map(expand).map(|k| (k, min, max, whole)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any values inside the declared ranges of up to twelve behavioural
    /// and policy numbers at once, on a scenario with seven policies, give
    /// a finite projection with no negative stock; a combination the
    /// compiler refuses (a relation between keys) is one `validate` refuses
    /// too, never a projection that fails.
    #[test]
    fn values_inside_their_declared_ranges_project_finite(
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), 0.0f64..=1.0), 1..=12),
    ) {
        let s = migsim::Scenario::from_file(&repo().join("scenarios/kyrgyzstan/concept-2040-draft.toml")).unwrap();
        let keys = behavioural_keys(&s);
        prop_assert!(keys.len() > 100, "{} keys", keys.len());
        let mut p = s.model.params.clone();
        for (i, u) in &picks {
            let (key, min, max, whole) = &keys[i.index(keys.len())];
            let mut v = min + u * (max - min);
            if *whole {
                v = v.round();
            }
            // A single value is set whole; a path of knots at the first of
            // these years it has a knot in.
            let knots = [2050, 2040, 2035, 2030, 2023].map(|y| format!("{key}.{y}"));
            let set = std::iter::once(key.as_str())
                .chain(knots.iter().map(String::as_str))
                .map(|k| p.set(k, v))
                .find(Result::is_ok)
                .unwrap_or_else(|| p.set(key, v));
            match set {
                // An optional key the scenario leaves out, or a path with
                // knots in other years, has nothing to set here.
                Err(e) if e.contains("is not given in the scenario") || e.contains("name one knot") => {}
                Err(e) => return Err(TestCaseError::fail(format!("{key} = {v}: {e}"))),
                Ok(()) => {}
            }
        }
        let model = match migsim::model::compile(p) {
            Ok(m) => m,
            Err(e) => { prop_assume!(false, "{}", e); unreachable!() }
        };
        let run = migsim::model::project_series(&model)
            .map_err(|h| TestCaseError::fail(format!("{picks:?}: {h}")))?;
        for r in &run.rows {
            prop_assert!(r.value.is_finite(), "{:?}", r);
        }
    }
}
