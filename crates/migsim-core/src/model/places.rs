//! The places a scenario names: the regions of the country and the
//! destinations abroad. Each process reads its own keys of them.

use crate::declare::ByEducation;
use crate::year_path::YearPath;

crate::section! {
    /// A first-level region of the country.
    pub struct Region (RawRegion) {
        /// The region's name, as other keys refer to it.
        name: String {},
        /// The name charts and reports show (`Osh city`); the name itself when left out.
        label: Option<String> {},
        /// Whether this is the capital (exactly one region is); a share of returnees settle there.
        capital: bool {} = false,
        /// Whether the region borders another country (border regions are reported together).
        border: bool {} = false,
        /// Latitude of the region's centre, for distances.
        lat: f64 { unit: "degrees", min: -90.0, max: 90.0, expect: "a latitude in degrees" },
        /// Longitude of the region's centre, for distances.
        lon: f64 { unit: "degrees", min: -180.0, max: 180.0, expect: "a longitude in degrees" },
        /// Regional wage relative to the national average.
        wage_index: YearPath { unit: "ratio", min: 0.05, max: 20.0, expect: "a wage relative to the national average" },
        /// Unemployment rate in the base year, the reference of the push to emigrate.
        unemployment_rate: f64 { unit: "share", min: 0.0, max: 0.9, expect: "a share" },
    }
}

crate::section! {
    /// A destination abroad.
    pub struct Destination (RawDestination) {
        /// The destination's name, as other keys refer to it.
        name: String {},
        /// The name charts and reports show (`South Korea`); the name itself when left out.
        label: Option<String> {},
        /// Average monthly wage in the base year.
        wage_usd: f64 { unit: "USD/month", min: 1.0, max: 1e6, expect: "a monthly wage in USD" },
        /// Yearly growth of the wage in USD.
        wage_growth: YearPath { unit: "1/year", min: -0.5, max: 0.5, expect: "a yearly growth rate" },
        /// Earnings of a migrant over the average wage there, by education (-0.2 = 20% below; negative: deskilling).
        premium: ByEducation { unit: "ratio", min: -0.9, max: 5.0, expect: "an earnings premium (-0.2 = 20% below average)" },
        /// Access term of the utility (visas, bans, agreements).
        access: YearPath { unit: "utils", min: -20.0, max: 20.0, expect: "a utility shift" } = YearPath::constant(0.0),
        /// Share of the base year's emigrants who go here; calibrates the destination's constant.
        flow_share: f64 { unit: "share", min: 1e-6, max: 1.0, expect: "a share of base-year emigrants (above 0)" },
        /// Cap on yearly intake from the country; none when left out.
        quota: Option<YearPath> { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
        /// Base return hazard of temporary migrants.
        return_rate_temporary: f64 { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" },
        /// Base return hazard of settled migrants.
        return_rate_settled: f64 { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" },
        /// Base hazard of a temporary migrant becoming settled.
        settle_rate: f64 { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" },
        /// Hazard of a temporary migrant taking the destination's citizenship (and leaving Kyrgyz citizenship).
        naturalise_rate_temporary: YearPath { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" } = YearPath::constant(0.0),
        /// Hazard of a settled migrant taking the destination's citizenship.
        naturalise_rate_settled: YearPath { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" } = YearPath::constant(0.0),
        /// Return hazard of the naturalised (former citizens).
        return_rate_naturalised: f64 { unit: "1/year", min: 0.0, max: 1.0, expect: "a yearly rate" } = 0.0,
        /// Share of migrants there who work.
        employment_rate: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Share of remittances sent through official channels in the base year.
        formal_share: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" },
        /// Transfer cost as a share of the amount sent.
        transfer_cost: YearPath { unit: "share", min: 0.0, max: 0.5, expect: "a cost as a share of the amount sent" },
        /// Mortality there relative to mortality at home.
        mortality_factor: f64 { unit: "ratio", min: 0.1, max: 10.0, expect: "a factor on mortality at home" } = 1.0,
    }
}

impl Region {
    /// The name charts and reports show.
    pub fn shown(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

impl Destination {
    /// The name charts and reports show.
    pub fn shown(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    /// Base return hazard of status `k` (temporary, settled).
    pub fn return_rate(&self, k: usize) -> f64 {
        [self.return_rate_temporary, self.return_rate_settled][k]
    }

    /// Naturalisation hazard of status `k` (temporary, settled) in `year`.
    pub fn naturalise_rate(&self, k: usize, year: i32) -> f64 {
        [&self.naturalise_rate_temporary, &self.naturalise_rate_settled][k].at(year)
    }
}
