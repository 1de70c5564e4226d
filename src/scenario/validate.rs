//! From the raw scenario to checked `Params`: ranges, names resolved to
//! indices, tables read. Every problem found is collected, each as one line
//! naming the file, the key and the expected form.

use super::extends::ChainFile;
use super::locate::{did_you_mean, locate};
use super::raw::*;
use super::source::{ReadLog, Source};
use super::tables;
use crate::error::InputProblem;
use crate::params::*;
use crate::year_path::YearPath;
use std::path::Path;

const YEAR_RANGE: (i64, i64) = (1900, 2300);
const MAX_HORIZON: i64 = 200;

struct Checker<'a> {
    files: &'a [ChainFile],
    problems: Vec<InputProblem>,
}

impl Checker<'_> {
    fn problem(&mut self, key: &str, message: String) {
        let (file, line) = match locate(self.files, key) {
            Some((f, l)) => (f, Some(l)),
            None => (self.files[0].display.clone(), None),
        };
        let mut p = InputProblem::new(file, key, message);
        if let Some(l) = line {
            p = p.at(l.to_string());
        }
        self.problems.push(p);
    }

    /// Checks `lo <= value <= hi`; `what` says what kind of number is expected.
    fn range(&mut self, key: &str, value: f64, lo: f64, hi: f64, what: &str) -> f64 {
        if !(value.is_finite() && value >= lo && value <= hi) {
            self.problem(key, format!("= {value}: expected {what} in [{lo}, {hi}]"));
        }
        value
    }

    fn path(&mut self, key: &str, path: &YearPath, lo: f64, hi: f64, what: &str) -> YearPath {
        for &(year, value) in path.knots() {
            if year != i32::MIN && !(YEAR_RANGE.0..=YEAR_RANGE.1).contains(&i64::from(year)) {
                self.problem(
                    key,
                    format!(
                        "knot year {year}: expected a year in [{}, {}]",
                        YEAR_RANGE.0, YEAR_RANGE.1
                    ),
                );
            }
            if !(value.is_finite() && value >= lo && value <= hi) {
                let at = if year == i32::MIN {
                    String::new()
                } else {
                    format!(" (at {year})")
                };
                self.problem(key, format!("= {value}{at}: expected {what} in [{lo}, {hi}]"));
            }
        }
        path.clone()
    }

    fn by_edu(&mut self, key: &str, v: RawByEducation, lo: f64, hi: f64, what: &str) -> [f64; 3] {
        [
            self.range(&format!("{key}.low"), v.low, lo, hi, what),
            self.range(&format!("{key}.medium"), v.medium, lo, hi, what),
            self.range(&format!("{key}.high"), v.high, lo, hi, what),
        ]
    }

    fn age_schedule(&mut self, key: &str, s: RawAgeSchedule) -> AgeSchedule {
        AgeSchedule {
            peak_age: self.range(&format!("{key}.peak_age"), s.peak_age, 12.0, 60.0, "an age in years"),
            rise: self.range(&format!("{key}.rise"), s.rise, 0.01, 5.0, "a rate per year of age"),
            fall: self.range(&format!("{key}.fall"), s.fall, 0.001, 2.0, "a rate per year of age"),
            child_level: self.range(
                &format!("{key}.child_level"),
                s.child_level,
                0.0,
                2.0,
                "a level relative to the peak",
            ),
            child_rate: self.range(
                &format!("{key}.child_rate"),
                s.child_rate,
                0.0,
                2.0,
                "a rate per year of age",
            ),
            floor: self.range(
                &format!("{key}.floor"),
                s.floor,
                0.0,
                1.0,
                "a level relative to the peak",
            ),
        }
    }
}

const RATE: &str = "a yearly rate";
const SHARE: &str = "a share";
const GROWTH: &str = "a yearly growth rate";
const USD: &str = "an amount in USD";

pub fn validate(
    raw: RawScenario,
    files: &[ChainFile],
    source: &dyn Source,
    log: &ReadLog,
) -> Result<Params, Vec<InputProblem>> {
    let mut c = Checker {
        files,
        problems: Vec::new(),
    };

    // Time.
    let (start, end) = (raw.time.start, raw.time.end);
    if !(YEAR_RANGE.0..=YEAR_RANGE.1).contains(&start) {
        c.problem(
            "time.start",
            format!("= {start}: expected a year in [{}, {}]", YEAR_RANGE.0, YEAR_RANGE.1),
        );
    }
    if end <= start || end - start > MAX_HORIZON {
        c.problem(
            "time.end",
            format!("= {end}: expected a year after time.start = {start}, at most {MAX_HORIZON} years later"),
        );
    }
    if raw.scenario.name.trim().is_empty() || raw.scenario.name.contains(['/', '\\']) {
        c.problem(
            "scenario.name",
            "expected a non-empty name without slashes (it names the output folder)".into(),
        );
    }

    // Regions.
    let region_names: Vec<String> = raw.regions.iter().map(|r| r.name.clone()).collect();
    if region_names.is_empty() {
        c.problem("regions", "expected at least one [[regions]] entry".into());
    }
    check_unique(&mut c, "regions", &region_names);
    let capitals: Vec<usize> = raw
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.capital)
        .map(|(i, _)| i)
        .collect();
    if capitals.len() != 1 && !region_names.is_empty() {
        c.problem(
            "regions",
            format!("{} regions have `capital = true`; expected exactly one", capitals.len()),
        );
    }
    let regions: Vec<Region> = raw
        .regions
        .iter()
        .map(|r| {
            let k = format!("regions[{}]", r.name);
            Region {
                name: r.name.clone(),
                border: r.border,
                lat_deg: c.range(&format!("{k}.lat"), r.lat, -90.0, 90.0, "a latitude in degrees"),
                lon_deg: c.range(&format!("{k}.lon"), r.lon, -180.0, 180.0, "a longitude in degrees"),
                wage_index: c.path(
                    &format!("{k}.wage_index"),
                    &r.wage_index,
                    0.05,
                    20.0,
                    "a wage relative to the national average",
                ),
                unemployment_rate_base: c.range(
                    &format!("{k}.unemployment_rate"),
                    r.unemployment_rate,
                    0.0,
                    0.9,
                    SHARE,
                ),
            }
        })
        .collect();

    // Destinations.
    let dest_names: Vec<String> = raw.destinations.iter().map(|d| d.name.clone()).collect();
    if dest_names.is_empty() {
        c.problem("destinations", "expected at least one [[destinations]] entry".into());
    }
    check_unique(&mut c, "destinations", &dest_names);
    let destinations: Vec<Destination> = raw
        .destinations
        .iter()
        .map(|d| {
            let k = format!("destinations[{}]", d.name);
            Destination {
                name: d.name.clone(),
                wage_usd: c.range(&format!("{k}.wage_usd"), d.wage_usd, 1.0, 1e6, "a monthly wage in USD"),
                wage_growth_per_year: c.path(&format!("{k}.wage_growth"), &d.wage_growth, -0.5, 0.5, GROWTH),
                premium: c.by_edu(
                    &format!("{k}.premium"),
                    d.premium,
                    -0.9,
                    5.0,
                    "an earnings premium (-0.2 = 20% below average)",
                ),
                access: c.path(&format!("{k}.access"), &d.access, -20.0, 20.0, "a utility shift"),
                flow_share: c.range(
                    &format!("{k}.flow_share"),
                    d.flow_share,
                    1e-6,
                    1.0,
                    "a share of base-year emigrants (above 0)",
                ),
                quota: d
                    .quota
                    .as_ref()
                    .map(|q| c.path(&format!("{k}.quota"), q, 0.0, 1e8, "persons per year")),
                return_hazard: [
                    c.range(
                        &format!("{k}.return_rate_temporary"),
                        d.return_rate_temporary,
                        0.0,
                        1.0,
                        RATE,
                    ),
                    c.range(
                        &format!("{k}.return_rate_settled"),
                        d.return_rate_settled,
                        0.0,
                        1.0,
                        RATE,
                    ),
                ],
                settle_hazard: c.range(&format!("{k}.settle_rate"), d.settle_rate, 0.0, 1.0, RATE),
                employment_rate: c.range(&format!("{k}.employment_rate"), d.employment_rate, 0.0, 1.0, SHARE),
                formal_share_base: c.range(&format!("{k}.formal_share"), d.formal_share, 0.0, 1.0, SHARE),
                transfer_cost: c.path(
                    &format!("{k}.transfer_cost"),
                    &d.transfer_cost,
                    0.0,
                    0.5,
                    "a cost as a share of the amount sent",
                ),
                mortality_factor: c.range(
                    &format!("{k}.mortality_factor"),
                    d.mortality_factor,
                    0.1,
                    10.0,
                    "a factor on mortality at home",
                ),
            }
        })
        .collect();
    let share_sum: f64 = destinations.iter().map(|d| d.flow_share).sum();
    if !destinations.is_empty() && (share_sum - 1.0).abs() > 1e-3 {
        c.problem(
            "destinations",
            format!("flow_share values sum to {share_sum:.4}; expected them to sum to 1"),
        );
    }

    // Demography.
    let m = &raw.mortality;
    let e0 = [
        c.path(
            "mortality.e0_female",
            &m.e0_female,
            20.0,
            95.0,
            "a life expectancy at birth in years",
        ),
        c.path(
            "mortality.e0_male",
            &m.e0_male,
            20.0,
            95.0,
            "a life expectancy at birth in years",
        ),
    ];
    let abroad_factor = c.range(
        "mortality.abroad_factor",
        m.abroad_factor,
        0.1,
        10.0,
        "a factor on mortality at home",
    );
    let f = &raw.fertility;
    let fertility = Fertility {
        tfr: c.path("fertility.tfr", &f.tfr, 0.0, 10.0, "births per woman"),
        mean_age: c.range(
            "fertility.mean_age",
            f.mean_age,
            18.0,
            40.0,
            "a mean age of childbearing in years",
        ),
        sd_age: c.range("fertility.sd_age", f.sd_age, 2.0, 12.0, "a standard deviation in years"),
        sex_ratio_at_birth: c.range(
            "fertility.sex_ratio_at_birth",
            f.sex_ratio_at_birth,
            0.9,
            1.2,
            "boys per girl",
        ),
    };
    let ed = &raw.education;
    let age_secondary = c.range(
        "education.age_secondary",
        ed.age_secondary as f64,
        10.0,
        30.0,
        "an age in years",
    ) as usize;
    let age_tertiary = c.range(
        "education.age_tertiary",
        ed.age_tertiary as f64,
        15.0,
        40.0,
        "an age in years",
    ) as usize;
    if ed.age_tertiary <= ed.age_secondary {
        c.problem(
            "education.age_tertiary",
            format!(
                "= {}: expected an age above education.age_secondary = {}",
                ed.age_tertiary, ed.age_secondary
            ),
        );
    }
    let brain_gain = c.range("education.brain_gain", ed.brain_gain, 0.0, 10.0, "an incentive factor");
    let education = Education {
        age_secondary,
        age_tertiary,
        p_medium: [
            c.path(
                "education.p_medium_female",
                &ed.p_medium_female,
                0.0,
                1.0,
                "a probability",
            ),
            c.path("education.p_medium_male", &ed.p_medium_male, 0.0, 1.0, "a probability"),
        ],
        p_high: [
            c.path("education.p_high_female", &ed.p_high_female, 0.0, 1.0, "a probability"),
            c.path("education.p_high_male", &ed.p_high_male, 0.0, 1.0, "a probability"),
        ],
        brain_gain,
    };

    // Migration.
    let em = &raw.emigration;
    let emigration = Emigration {
        base_outflow: c.range("emigration.base_outflow", em.base_outflow, 0.0, 1e8, "persons per year"),
        sex_relative: [
            c.range(
                "emigration.female_relative",
                em.female_relative,
                0.0,
                10.0,
                "a propensity relative to men",
            ),
            1.0,
        ],
        education_relative: c.by_edu(
            "emigration.education_relative",
            em.education_relative,
            0.0,
            10.0,
            "a relative propensity",
        ),
        beta_wage: c.range("emigration.beta_wage", em.beta_wage, 0.0, 10.0, "a utility weight"),
        beta_network: c.range(
            "emigration.beta_network",
            em.beta_network,
            0.0,
            10.0,
            "a utility weight",
        ),
        gamma: c.range("emigration.gamma", em.gamma, 0.0, 10.0, "an elasticity"),
        delta_unemployment: c.range(
            "emigration.delta_unemployment",
            em.delta_unemployment,
            -50.0,
            50.0,
            "a semi-elasticity",
        ),
        quota_spillover: c.range("emigration.quota_spillover", em.quota_spillover, 0.0, 1.0, SHARE),
        age_schedule: c.age_schedule("emigration.age_schedule", em.age_schedule),
    };
    let rt = &raw.returns;
    let returns = Returns {
        kappa: c.range("returns.kappa", rt.kappa, 0.0, 10.0, "an elasticity"),
        capital_share: c.range("returns.capital_share", rt.capital_share, 0.0, 1.0, SHARE),
        education_relative: c.by_edu(
            "returns.education_relative",
            rt.education_relative,
            0.0,
            10.0,
            "a relative hazard",
        ),
        settle_education_relative: c.by_edu(
            "returns.settle_education_relative",
            rt.settle_education_relative,
            0.0,
            10.0,
            "a relative hazard",
        ),
    };
    let it = &raw.internal;
    let internal = Internal {
        base_moves: c.range("internal.base_moves", it.base_moves, 0.0, 1e8, "persons per year"),
        population_exponent: c.range(
            "internal.population_exponent",
            it.population_exponent,
            0.0,
            3.0,
            "an exponent",
        ),
        distance_exponent: c.range(
            "internal.distance_exponent",
            it.distance_exponent,
            0.0,
            5.0,
            "an exponent",
        ),
        beta_wage: c.range("internal.beta_wage", it.beta_wage, 0.0, 10.0, "an elasticity"),
        age_schedule: c.age_schedule("internal.age_schedule", it.age_schedule),
    };
    let immigration = raw
        .immigration
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let k = format!("immigration[{i}]");
            let kind = match ImmigrantKind::ALL.iter().find(|kd| kd.name() == s.kind) {
                Some(kd) => *kd,
                None => {
                    let names: Vec<&str> = ImmigrantKind::ALL.iter().map(|kd| kd.name()).collect();
                    let hint = did_you_mean(&s.kind, &names)
                        .map(|m| format!(" (did you mean `{m}`?)"))
                        .unwrap_or_default();
                    c.problem(
                        &format!("{k}.kind"),
                        format!("unknown kind `{}`{hint}; expected one of {}", s.kind, names.join(", ")),
                    );
                    return None;
                }
            };
            let education_share = c.by_edu(&format!("{k}.education"), s.education, 0.0, 1.0, SHARE);
            if (education_share.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
                c.problem(
                    &format!("{k}.education"),
                    "expected shares low + medium + high = 1".into(),
                );
            }
            let region_share = s.regions.as_ref().map(|m| {
                let mut shares = vec![0.0; region_names.len()];
                for (name, v) in m {
                    match region_names.iter().position(|n| n == name) {
                        Some(r) => shares[r] = c.range(&format!("{k}.regions.{name}"), *v, 0.0, 1.0, SHARE),
                        None => c.problem(
                            &format!("{k}.regions.{name}"),
                            format!("unknown region; expected one of {}", region_names.join(", ")),
                        ),
                    }
                }
                if (shares.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
                    c.problem(&format!("{k}.regions"), "expected region shares summing to 1".into());
                }
                shares
            });
            Some(ImmigrantStream {
                kind,
                persons_per_year: c.path(&format!("{k}.persons"), &s.persons, 0.0, 1e8, "persons per year"),
                age_mean: c.range(&format!("{k}.age_mean"), s.age_mean, 0.0, 90.0, "an age in years"),
                age_sd: c.range(
                    &format!("{k}.age_sd"),
                    s.age_sd,
                    1.0,
                    50.0,
                    "a standard deviation in years",
                ),
                female_share: c.range(&format!("{k}.female_share"), s.female_share, 0.0, 1.0, SHARE),
                education_share,
                region_share,
            })
        })
        .collect();
    let fw = &raw.foreign_workers;
    let foreign_workers = ForeignWorkers {
        initial: c.range("foreign_workers.initial", fw.initial, 0.0, 1e8, "persons"),
        mean_stay_years: c.range(
            "foreign_workers.mean_stay_years",
            fw.mean_stay_years,
            0.1,
            100.0,
            "years",
        ),
        quota: c.path("foreign_workers.quota", &fw.quota, 0.0, 1e8, "persons per year"),
        fill_rate: c.range("foreign_workers.fill_rate", fw.fill_rate, 0.0, 1.0, SHARE),
    };

    // Economy and remittances.
    let ec = &raw.economy;
    let participation = [
        c.by_edu("economy.participation.female", ec.participation.female, 0.0, 1.0, SHARE),
        c.by_edu("economy.participation.male", ec.participation.male, 0.0, 1.0, SHARE),
    ];
    let economy = Economy {
        wage_home_usd: c.range(
            "economy.wage_home_usd",
            ec.wage_home_usd,
            1.0,
            1e6,
            "a monthly wage in USD",
        ),
        wage_growth_per_year: c.path("economy.wage_growth", &ec.wage_growth, -0.5, 0.5, GROWTH),
        labor_elasticity: c.range(
            "economy.labor_elasticity",
            ec.labor_elasticity,
            0.0,
            2.0,
            "an elasticity",
        ),
        jobs_growth_per_year: c.path("economy.jobs_growth", &ec.jobs_growth, -0.5, 0.5, GROWTH),
        gdp_usd: c.range("economy.gdp_usd", ec.gdp_usd, 1.0, 1e15, USD),
        tfp_growth_per_year: c.path("economy.tfp_growth", &ec.tfp_growth, -0.5, 0.5, GROWTH),
        alpha_labor: c.range("economy.alpha_labor", ec.alpha_labor, 0.0, 1.0, "an output elasticity"),
        alpha_human: c.range("economy.alpha_human", ec.alpha_human, 0.0, 1.0, "an output elasticity"),
        participation,
        education_weight: c.by_edu(
            "economy.education_weight",
            ec.education_weight,
            0.0,
            10.0,
            "a productivity weight",
        ),
    };
    let rm = &raw.remittances;
    let remittances = Remittances {
        base_year_usd: rm
            .base_year_usd
            .map(|v| c.range("remittances.base_year_usd", v, 0.0, 1e13, USD)),
        share: [
            c.by_edu(
                "remittances.share_temporary",
                rm.share_temporary,
                0.0,
                1.0,
                "a share of earnings",
            ),
            c.by_edu(
                "remittances.share_settled",
                rm.share_settled,
                0.0,
                1.0,
                "a share of earnings",
            ),
        ],
        formal_elasticity: c.range(
            "remittances.formal_elasticity",
            rm.formal_elasticity,
            0.0,
            5.0,
            "an elasticity",
        ),
    };

    if !c.problems.is_empty() {
        return Err(c.problems);
    }

    // Tables, read only once the names they refer to are known to be sound.
    let read = |path: &str| -> Result<(String, String), Vec<InputProblem>> {
        let p = Path::new(path);
        let shown = source.display(p);
        log.read(source, p)
            .map(|text| (shown.clone(), text))
            .map_err(|why| vec![InputProblem::new(shown, "", format!("cannot read table: {why}"))])
    };
    let (hf, ht) = read(&raw.population.home_csv).map_err(|p| with_key(p, &c, "population.home_csv"))?;
    let home = tables::read_home(&hf, &ht, &region_names)?;
    let (af, at) = read(&raw.population.abroad_csv).map_err(|p| with_key(p, &c, "population.abroad_csv"))?;
    let abroad = tables::read_abroad(&af, &at, &region_names, &dest_names)?;
    let (mf, mt) = read(&m.mx_csv).map_err(|p| with_key(p, &c, "mortality.mx_csv"))?;
    let baseline_hazard = tables::read_mx(&mf, &mt)?;
    if home.sum() <= 0.0 {
        return Err(vec![InputProblem::new(
            hf,
            "persons",
            "no residents; expected a positive population",
        )]);
    }

    Ok(Params {
        name: raw.scenario.name,
        description: raw.scenario.description,
        start_year: start as i32,
        end_year: end as i32,
        regions,
        capital: capitals[0],
        destinations,
        home,
        abroad,
        mortality: Mortality {
            baseline_hazard,
            e0,
            abroad_factor,
        },
        fertility,
        education,
        emigration,
        returns,
        internal,
        immigration,
        foreign_workers,
        economy,
        remittances,
    })
}

/// A table that cannot be read is reported against the scenario key naming it.
fn with_key(mut problems: Vec<InputProblem>, c: &Checker, key: &str) -> Vec<InputProblem> {
    let loc = locate(c.files, key);
    for p in &mut problems {
        p.message = format!(
            "{} (named by `{key}`{})",
            p.message,
            loc.as_ref().map(|(f, l)| format!(" in {f}:{l}")).unwrap_or_default()
        );
    }
    problems
}

fn check_unique(c: &mut Checker, key: &str, names: &[String]) {
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() {
            c.problem(key, "expected every entry to have a non-empty name".into());
        } else if names[..i].contains(n) {
            c.problem(key, format!("name `{n}` appears twice; expected distinct names"));
        }
    }
}
