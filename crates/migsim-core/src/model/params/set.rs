//! Numbers set on checked parameters by their dotted keys: how draws, sweep
//! points and sensitivity runs reach the model without a file.

use super::Params;

impl Params {
    /// Sets the number at a dotted key, as `[uncertainty]`, `sweep --set` and
    /// `sensitivity` name it (`destinations.russia.wage_growth`,
    /// `fertility.tfr.2050`, `policies.domestic_jobs.jobs_per_year`), checked
    /// against its declaration like a value read from a file. Regions and
    /// destinations are named by name, immigration streams by kind, policies
    /// by their table's name. `relations` must be empty afterwards.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        use crate::declare::{Declared, Spec, unknown_key};
        let none = &Spec::NONE;
        let path: Vec<&str> = key.split('.').collect();
        let (first, rest) = path.split_first().expect("split yields at least one part");
        match *first {
            "regions" => {
                let (r, rest) = entry(&mut self.regions, |r| &r.name, rest, "regions")?;
                r.set(rest, value, none)
            }
            "destinations" => {
                let (d, rest) = entry(&mut self.destinations, |d| &d.name, rest, "destinations")?;
                d.set(rest, value, none)
            }
            "immigration" => {
                let Some(&kind) = rest.first() else {
                    return Err("names no stream; expected `immigration.KIND.KEY`".into());
                };
                let of_kind: Vec<usize> = (0..self.immigration.len())
                    .filter(|&i| self.immigration[i].kind.name() == kind)
                    .collect();
                match of_kind[..] {
                    [i] => self.immigration[i].set(&rest[1..], value, none),
                    [] => Err(format!("has no stream of kind `{kind}`")),
                    _ => Err(format!(
                        "has {} streams of kind `{kind}`; a key must name one",
                        of_kind.len()
                    )),
                }
            }
            "policies" => {
                let (p, rest) = entry(&mut self.policies, |p| &p.name, rest, "policies")?;
                p.lever.set(rest, value)?;
                p.timing = p.lever.timing();
                Ok(())
            }
            "mortality" => self.mortality.set(rest, value, none),
            "fertility" => self.fertility.set(rest, value, none),
            "education" => self.education.set(rest, value, none),
            "emigration" => self.emigration.set(rest, value, none),
            "returns" => self.returns.set(rest, value, none),
            "internal" => self.internal.set(rest, value, none),
            "foreign_workers" => self.foreign_workers.set(rest, value, none),
            "economy" => self.economy.set(rest, value, none),
            "remittances" => self.remittances.set(rest, value, none),
            "counterfactual" if rest == ["international_migration"] => {
                let spec = crate::model::levers::Counterfactual::SPECS[0].1;
                self.international_migration_scale.set(&[], value, &spec)
            }
            "scenario" | "time" | "population" | "shocks" | "targets" | "backtest" | "uncertainty" => Err(
                "is fixed for a scenario: only the numbers of its processes, places and policies can be drawn or swept"
                    .into(),
            ),
            other => Err(unknown_key(other, SECTIONS)),
        }
    }
}

/// The entry of `items` that the first part of `rest` names, and the rest.
fn entry<'a, 'k, T>(
    items: &'a mut [T],
    name: impl Fn(&T) -> &str,
    rest: &'k [&'k str],
    what: &str,
) -> Result<(&'a mut T, &'k [&'k str]), String> {
    let Some((given, rest)) = rest.split_first() else {
        return Err(format!("names no entry; expected `{what}.NAME.KEY`"));
    };
    if items.is_empty() {
        return Err(format!("the scenario has no {what} to set"));
    }
    let names: Vec<String> = items.iter().map(|i| name(i).to_string()).collect();
    match names.iter().position(|n| n == given) {
        Some(i) => Ok((&mut items[i], rest)),
        None => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Err(crate::declare::unknown_key(given, &names))
        }
    }
}

/// The sections whose numbers `Params::set` reaches.
const SECTIONS: &[&str] = &[
    "regions",
    "destinations",
    "mortality",
    "fertility",
    "education",
    "emigration",
    "returns",
    "internal",
    "immigration",
    "foreign_workers",
    "economy",
    "remittances",
    "policies",
    "counterfactual",
];

#[cfg(test)]
mod tests {
    fn tiny() -> super::Params {
        crate::model::tiny_model().params
    }

    #[test]
    fn set_reaches_named_entries_knots_policies_and_whole_numbers() {
        let mut p = tiny();
        p.set("destinations.west.wage_usd", 1600.0).unwrap();
        assert_eq!(p.destinations[1].wage_usd, 1600.0);
        p.set("fertility.tfr.2030", 2.1).unwrap();
        assert_eq!(p.fertility.tfr.at(2030), 2.1);
        p.set("economy.participation.female.high", 0.6).unwrap();
        assert_eq!(p.economy.participation[0][2], 0.6);
        p.set("emigration.age_schedule.peak_age", 26.0).unwrap();
        assert_eq!(p.emigration.age_schedule.peak_age, 26.0);
        p.set("education.age_secondary", 17.0).unwrap();
        assert_eq!(p.education.age_secondary, 17);
        p.set("immigration.kayrylman.age_mean", 30.0).unwrap();
        assert_eq!(p.immigration[0].age_mean, 30.0);
        assert!(p.relations().is_empty());
    }

    #[test]
    fn set_refuses_what_a_file_would_refuse_with_the_same_words() {
        let mut p = tiny();
        let err = |p: &mut super::Params, k: &str, v: f64| p.set(k, v).unwrap_err();
        assert_eq!(
            err(&mut p, "destinations.east.return_rate_temporary", 1.7),
            "= 1.7: expected a yearly rate in [0, 1]"
        );
        assert!(err(&mut p, "emigration.gama", 1.0).contains("did you mean `gamma`?"));
        assert!(err(&mut p, "destinations.esat.wage_usd", 1.0).contains("did you mean `east`?"));
        assert!(err(&mut p, "fertility.tfr", 2.0).contains("name one knot"));
        assert!(err(&mut p, "fertility.tfr.2025", 2.0).contains("no knot at 2025"));
        assert!(err(&mut p, "education.age_secondary", 17.5).contains("whole number"));
        assert!(err(&mut p, "time.end", 2040.0).contains("fixed for a scenario"));
        assert!(err(&mut p, "regions.north.border", 1.0).contains("not a number"));
        assert_eq!(
            err(&mut p, "policies.jobs.jobs_per_year", 1.0),
            "the scenario has no policies to set"
        );
        p.set("destinations.east.flow_share", 0.5).unwrap();
        let rel = p.relations();
        assert_eq!(rel[0].0, "destinations");
        assert!(rel[0].1.contains("sum to 1"), "{rel:?}");
    }
}
