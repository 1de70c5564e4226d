//! Every reported series, registered by name in one place (DESIGN.md section
//! 7). Stocks are recorded at 1 January of each year from start to end; flows
//! during each year from start to end − 1, so that
//! `stock(year + 1) = stock(year) + flows(year)`.

use super::Model;
use super::census::Census;
use super::dims::{EDU_NAMES, HIGH, N_AGE, N_EDU, N_SEX, N_STATUS, NATURALISED, SETTLED, SEX_NAMES, STATUS_LABELS};
use super::economy::EconomyYear;
use super::state::State;
use super::step::Flows;
use crate::params::{ImmigrantKind, Params};

macro_rules! indicators {
    ($($variant:ident => $name:literal, $unit:literal, $doc:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Indicator { $(#[doc = $doc] $variant,)* }
        impl Indicator {
            pub const ALL: &[Indicator] = &[$(Indicator::$variant,)*];
            pub fn name(self) -> &'static str {
                match self { $(Indicator::$variant => $name,)* }
            }
            /// The unit of its values: `persons`, `persons/year`,
            /// `USD/year`, `USD/month`, `USD/person/year`, `fraction`
            /// (0.25 = 25%) or `ratio` (a quotient that may pass 1).
            pub fn unit(self) -> &'static str {
                match self { $(Indicator::$variant => $unit,)* }
            }
            pub fn description(self) -> &'static str {
                match self { $(Indicator::$variant => $doc,)* }
            }
            /// The indicator of a name, the current one or a former one
            /// (`DEPRECATED`); callers that read user text say when a
            /// former name was used.
            pub fn from_name(name: &str) -> Option<Indicator> {
                let name = Self::renamed(name).unwrap_or(name);
                Self::ALL.iter().copied().find(|i| i.name() == name)
            }
            /// The current name of a former one.
            pub fn renamed(name: &str) -> Option<&'static str> {
                DEPRECATED.iter().find(|(old, _)| *old == name).map(|(_, new)| *new)
            }
        }
    };
}

/// Former indicator names still accepted, and the names that replace them.
/// `remittances_pct_gdp` was in percent while every other share was a
/// fraction; `remittances_share_gdp` is the fraction.
pub(crate) const DEPRECATED: &[(&str, &str)] = &[("remittances_pct_gdp", "remittances_share_gdp")];

indicators! {
    PopulationHome => "population_home", "persons", "residents (the people present) at 1 January; by region, border area, sex, education";
    PopulationPermanent => "population_permanent", "persons", "the permanent population as the statistics committee counts it: residents plus citizens abroad, at 1 January";
    PopulationAbroad => "population_abroad", "persons", "citizens abroad (temporary and settled) at 1 January; by destination, status, sex, education";
    PopulationNaturalised => "population_naturalised", "persons", "Kyrgyz-born abroad who took the destination's citizenship, at 1 January; by destination, sex";
    EmigrantStock => "emigrant_stock", "persons", "the Kyrgyz-born usually resident abroad (settled citizens and the naturalised), as destination censuses and UN DESA count them, at 1 January; by destination";
    Births => "births", "persons/year", "births during the year; location=home includes children of temporary migrants";
    Deaths => "deaths", "persons/year", "deaths during the year; by location";
    Emigrants => "emigrants", "persons/year", "residents leaving during the year; by destination, education, sex";
    Returns => "returns", "persons/year", "the Kyrgyz-born coming home during the year, citizens and (status=naturalised) former citizens; by destination, sex";
    Settlements => "settlements", "persons/year", "temporary migrants becoming settled abroad during the year";
    Naturalisations => "naturalisations", "persons/year", "citizens abroad taking the destination's citizenship during the year; by destination, sex";
    Immigrants => "immigrants", "persons/year", "non-citizen arrivals who become residents; by kind";
    NetMigration => "net_migration", "persons/year", "immigrants + returns - emigrants";
    InternalMoves => "internal_moves", "persons/year", "moves between regions during the year; by origin region";
    ForeignWorkers => "foreign_workers", "persons", "non-citizen workers present at 1 January";
    LaborForce => "labor_force", "persons", "residents 15-64 in the labour force";
    UnemploymentRate => "unemployment_rate", "fraction", "share of the labour force without a job";
    WageHomeUsd => "wage_home_usd", "USD/month", "average monthly wage at home, USD";
    GdpUsd => "gdp_usd", "USD/year", "GDP in the year, USD";
    RemittancesUsd => "remittances_usd", "USD/year", "official remittance receipts in the year, USD; by destination, region";
    RemittancesShareGdp => "remittances_share_gdp", "fraction", "official remittances as a share of GDP (0.25 = 25%; formerly remittances_pct_gdp, in percent)";
    RemittancesPerCapitaUsd => "remittances_per_capita_usd", "USD/person/year", "official remittances per resident, USD";
    TertiaryEmigrationRate => "tertiary_emigration_rate", "fraction", "high-educated abroad / (abroad + at home)";
    TertiaryShareHome => "tertiary_share_home", "fraction", "share of residents 25+ with high education";
    YouthAbroadShare => "youth_abroad_share", "fraction", "citizens 15-29 abroad / all citizens 15-29";
    DependencyRatio => "dependency_ratio", "ratio", "(residents 0-14 + 65+) / residents 15-64";
    PolicyCostUsd => "policy_cost_usd", "USD/year", "what the policies that state a cost spend in the year: cost.usd_per_unit × the lever's units × its intensity, USD";
}

impl Indicator {
    /// Stocks are at 1 January; everything else happens during the year.
    pub fn is_flow(self) -> bool {
        use Indicator::*;
        matches!(
            self,
            Births
                | Deaths
                | Emigrants
                | Returns
                | Settlements
                | Naturalisations
                | Immigrants
                | NetMigration
                | InternalMoves
                | GdpUsd
                | RemittancesUsd
                | RemittancesShareGdp
                | RemittancesPerCapitaUsd
                | PolicyCostUsd
        )
    }
}

/// Which slice of an indicator a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Total,
    Region(usize),
    BorderArea,
    Sex(usize),
    Education(usize),
    Destination(usize),
    Status(usize),
    Kind(usize),
    Location(bool),
    /// Five-year age group (`dims::age_group_label`) and sex.
    AgeSex(usize, usize),
}

impl Dim {
    /// `key=value`, or empty for the national total.
    pub fn label(self, p: &Params) -> String {
        match self {
            Dim::Total => String::new(),
            Dim::Region(r) => format!("region={}", p.regions[r].name),
            Dim::BorderArea => "area=border".into(),
            Dim::Sex(s) => format!("sex={}", SEX_NAMES[s]),
            Dim::Education(e) => format!("education={}", EDU_NAMES[e]),
            Dim::Destination(d) => format!("destination={}", p.destinations[d].name),
            Dim::Status(k) => format!("status={}", STATUS_LABELS[k]),
            Dim::Kind(k) => format!("kind={}", ImmigrantKind::ALL[k].name()),
            Dim::Location(home) => format!("location={}", if home { "home" } else { "abroad" }),
            Dim::AgeSex(g, s) => format!("age={};sex={}", super::dims::age_group_label(g), SEX_NAMES[s]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub year: i32,
    pub indicator: Indicator,
    pub dim: Dim,
    pub value: f64,
}

/// Residents and citizens abroad by sex and single year of age in one year,
/// `[female, male][age]`, for population pyramids.
#[derive(Debug, Clone, PartialEq)]
pub struct Pyramid {
    pub year: i32,
    pub home: [[f64; N_AGE]; N_SEX],
    pub abroad: [[f64; N_AGE]; N_SEX],
}

impl Pyramid {
    pub fn of(year: i32, state: &State) -> Pyramid {
        let mut p = Pyramid {
            year,
            home: [[0.0; N_AGE]; N_SEX],
            abroad: [[0.0; N_AGE]; N_SEX],
        };
        // Runs of ages cycle through education inside sex (home) and through
        // education inside sex inside status (abroad).
        for (i, run) in state.home_flat().chunks_exact(N_AGE).enumerate() {
            let s = (i / N_EDU) % N_SEX;
            p.home[s].iter_mut().zip(run).for_each(|(t, v)| *t += v);
        }
        for (i, run) in state.abroad_flat().chunks_exact(N_AGE).enumerate() {
            let s = (i / N_EDU) % N_SEX;
            p.abroad[s].iter_mut().zip(run).for_each(|(t, v)| *t += v);
        }
        p
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trajectory {
    pub rows: Vec<Row>,
    /// Age-sex structure in the base year and the last year.
    pub pyramids: Vec<Pyramid>,
}

impl Trajectory {
    fn push(&mut self, year: i32, indicator: Indicator, dim: Dim, value: f64) {
        self.rows.push(Row {
            year,
            indicator,
            dim,
            value,
        });
    }

    pub fn get(&self, indicator: Indicator, dim: Dim, year: i32) -> Option<f64> {
        self.rows
            .iter()
            .find(|r| r.indicator == indicator && r.dim == dim && r.year == year)
            .map(|r| r.value)
    }

    /// The years and values of one series, years ascending.
    pub fn series(&self, indicator: Indicator, dim: Dim) -> Vec<(i32, f64)> {
        let mut out: Vec<(i32, f64)> = self
            .rows
            .iter()
            .filter(|r| r.indicator == indicator && r.dim == dim)
            .map(|r| (r.year, r.value))
            .collect();
        out.sort_by_key(|p| p.0);
        out
    }

    /// Rows grouped by indicator then dimension, years ascending within each:
    /// the order a reader scans.
    pub fn sorted(&self) -> Vec<Row> {
        let mut rows = self.rows.clone();
        rows.sort_by_key(|r| (r.indicator, r.dim, r.year));
        rows
    }
}

fn sum_ages(v: &[f64], ages: std::ops::RangeInclusive<usize>) -> f64 {
    super::sums::sum(&v[ages])
}

pub(crate) fn record_stocks(model: &Model, y: usize, census: &Census, econ: &EconomyYear, t: &mut Trajectory) {
    use Indicator::*;
    let p = &model.params;
    let year = p.start_year + y as i32;
    let home = &census.home;
    let total_home = home.total();
    t.push(year, PopulationHome, Dim::Total, total_home);
    for (r, v) in home.by_region.iter().enumerate() {
        t.push(year, PopulationHome, Dim::Region(r), *v);
    }
    let border: f64 = home
        .by_region
        .iter()
        .zip(&p.regions)
        .filter(|(_, rg)| rg.border)
        .map(|(v, _)| v)
        .sum();
    t.push(year, PopulationHome, Dim::BorderArea, border);
    for (s, v) in home.by_sex.iter().enumerate() {
        t.push(year, PopulationHome, Dim::Sex(s), *v);
    }
    for (e, v) in home.by_edu.iter().enumerate() {
        t.push(year, PopulationHome, Dim::Education(e), *v);
    }

    let mut ab_dest = vec![0.0; model.n_destinations];
    let mut ab_settled = vec![0.0; model.n_destinations];
    let mut ab_status = [0.0; N_STATUS];
    let mut ab_sex = [0.0; N_SEX];
    let mut ab_edu = [0.0; N_EDU];
    let mut youth_abroad = 0.0;
    for (d, ad) in ab_dest.iter_mut().enumerate() {
        for k in 0..N_STATUS {
            for s in 0..N_SEX {
                for e in 0..N_EDU {
                    let run = census.abroad.run(d, k, s, e);
                    let total = super::sums::sum(run);
                    *ad += total;
                    if k == SETTLED {
                        ab_settled[d] += total;
                    }
                    ab_status[k] += total;
                    ab_sex[s] += total;
                    ab_edu[e] += total;
                    youth_abroad += sum_ages(run, 15..=29);
                }
            }
        }
    }
    t.push(year, PopulationAbroad, Dim::Total, ab_dest.iter().sum());
    for (d, v) in ab_dest.iter().enumerate() {
        t.push(year, PopulationAbroad, Dim::Destination(d), *v);
    }
    for (k, v) in ab_status.iter().enumerate() {
        t.push(year, PopulationAbroad, Dim::Status(k), *v);
    }
    for (s, v) in ab_sex.iter().enumerate() {
        t.push(year, PopulationAbroad, Dim::Sex(s), *v);
    }
    for (e, v) in ab_edu.iter().enumerate() {
        t.push(year, PopulationAbroad, Dim::Education(e), *v);
    }
    t.push(
        year,
        PopulationPermanent,
        Dim::Total,
        total_home + ab_dest.iter().sum::<f64>(),
    );
    let nat_dest: Vec<f64> = census.naturalised.iter().map(|s| s.iter().sum()).collect();
    t.push(year, PopulationNaturalised, Dim::Total, nat_dest.iter().sum());
    for (d, v) in nat_dest.iter().enumerate() {
        t.push(year, PopulationNaturalised, Dim::Destination(d), *v);
    }
    for s in 0..N_SEX {
        let v = census.naturalised.iter().map(|x| x[s]).sum();
        t.push(year, PopulationNaturalised, Dim::Sex(s), v);
    }
    t.push(
        year,
        EmigrantStock,
        Dim::Total,
        ab_settled.iter().sum::<f64>() + nat_dest.iter().sum::<f64>(),
    );
    for (d, (a, n)) in ab_settled.iter().zip(&nat_dest).enumerate() {
        t.push(year, EmigrantStock, Dim::Destination(d), a + n);
    }

    t.push(year, ForeignWorkers, Dim::Total, census.foreign_workers);
    t.push(year, LaborForce, Dim::Total, econ.labor_force);
    t.push(year, UnemploymentRate, Dim::Total, econ.unemployment_rate);
    for (r, u) in econ.unemployment_by_region.iter().enumerate() {
        t.push(year, UnemploymentRate, Dim::Region(r), *u);
    }
    t.push(year, WageHomeUsd, Dim::Total, econ.wage_home_usd);
    t.push(
        year,
        TertiaryEmigrationRate,
        Dim::Total,
        ratio(ab_edu[HIGH], ab_edu[HIGH] + home.by_edu[HIGH]),
    );
    t.push(year, TertiaryShareHome, Dim::Total, ratio(home.high25, home.adults25));
    t.push(
        year,
        YouthAbroadShare,
        Dim::Total,
        ratio(youth_abroad, youth_abroad + home.youth),
    );
    t.push(
        year,
        DependencyRatio,
        Dim::Total,
        ratio(home.young + home.old, home.working),
    );
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

pub(crate) fn record_flows(model: &Model, y: usize, census: &Census, f: &Flows, t: &mut Trajectory) {
    use Indicator::*;
    let year = model.params.start_year + y as i32;
    t.push(year, Births, Dim::Total, f.births_home + f.births_abroad);
    t.push(year, Births, Dim::Location(true), f.births_home);
    t.push(year, Births, Dim::Location(false), f.births_abroad);
    t.push(year, Deaths, Dim::Total, f.deaths_home + f.deaths_abroad);
    t.push(year, Deaths, Dim::Location(true), f.deaths_home);
    t.push(year, Deaths, Dim::Location(false), f.deaths_abroad);
    let emigrants: f64 = f.emigrants_by_dest.iter().sum();
    t.push(year, Emigrants, Dim::Total, emigrants);
    for (d, v) in f.emigrants_by_dest.iter().enumerate() {
        t.push(year, Emigrants, Dim::Destination(d), *v);
    }
    for (e, v) in f.emigrants_by_edu.iter().enumerate() {
        t.push(year, Emigrants, Dim::Education(e), *v);
    }
    for (s, v) in f.emigrants_by_sex.iter().enumerate() {
        t.push(year, Emigrants, Dim::Sex(s), *v);
    }
    let naturalised_back: f64 = f.returns_naturalised_by_dest.iter().sum();
    let returns: f64 = f.returns_by_dest.iter().sum::<f64>() + naturalised_back;
    t.push(year, Returns, Dim::Total, returns);
    for (d, (v, n)) in f.returns_by_dest.iter().zip(&f.returns_naturalised_by_dest).enumerate() {
        t.push(year, Returns, Dim::Destination(d), v + n);
    }
    for (s, (v, n)) in f.returns_by_sex.iter().zip(&f.returns_naturalised_by_sex).enumerate() {
        t.push(year, Returns, Dim::Sex(s), v + n);
    }
    t.push(year, Returns, Dim::Status(NATURALISED), naturalised_back);
    t.push(year, Settlements, Dim::Total, f.settlements);
    t.push(
        year,
        Naturalisations,
        Dim::Total,
        f.naturalisations_by_dest.iter().sum(),
    );
    for (d, v) in f.naturalisations_by_dest.iter().enumerate() {
        t.push(year, Naturalisations, Dim::Destination(d), *v);
    }
    for (s, v) in f.naturalisations_by_sex.iter().enumerate() {
        t.push(year, Naturalisations, Dim::Sex(s), *v);
    }
    let immigrants: f64 = f.immigrants_by_kind.iter().sum();
    t.push(year, Immigrants, Dim::Total, immigrants);
    for (k, v) in f.immigrants_by_kind.iter().enumerate() {
        t.push(year, Immigrants, Dim::Kind(k), *v);
    }
    t.push(year, NetMigration, Dim::Total, immigrants + returns - emigrants);
    t.push(year, InternalMoves, Dim::Total, f.internal_by_origin.iter().sum());
    for (r, v) in f.internal_by_origin.iter().enumerate() {
        t.push(year, InternalMoves, Dim::Region(r), *v);
    }
    t.push(year, GdpUsd, Dim::Total, f.economy.gdp_usd);
    let remit = f.remittances.total();
    t.push(year, RemittancesUsd, Dim::Total, remit);
    for (d, v) in f.remittances.by_dest.iter().enumerate() {
        t.push(year, RemittancesUsd, Dim::Destination(d), *v);
    }
    for (r, v) in f.remittances.by_region.iter().enumerate() {
        t.push(year, RemittancesUsd, Dim::Region(r), *v);
    }
    t.push(year, RemittancesShareGdp, Dim::Total, ratio(remit, f.economy.gdp_usd));
    t.push(
        year,
        RemittancesPerCapitaUsd,
        Dim::Total,
        ratio(remit, census.home.total()),
    );
    // Citizens coming home: whom reintegration support serves.
    let citizens_back: f64 = f.returns_by_dest.iter().sum();
    let cost: f64 = model
        .params
        .policies
        .iter()
        .filter_map(|p| {
            let c = p.lever.cost()?;
            let (_, units) = p.lever.cost_units(p.timing.intensity(year), emigrants, citizens_back);
            Some(c.usd_per_unit * units)
        })
        // From +0: an empty f64 sum is -0, which would print as "-0".
        .fold(0.0, |a, b| a + b);
    t.push(year, PolicyCostUsd, Dim::Total, cost);
}
