//! The kinds of policy lever a scenario can state under `[policies.NAME]`,
//! each with its parameters; what each does to the year's multipliers is in
//! `levers`. Every lever has the same timing keys, declared once in `lever!`.

use crate::declare::{ByDestination, DestinationRefs, RegionRefs};
use crate::params::Timing;

/// A lever's section: its timing keys, then its own.
macro_rules! lever {
    ($(#[$meta:meta])* pub struct $name:ident ($raw:ident) { $($body:tt)* }) => {
        crate::section! {
            $(#[$meta])*
            pub struct $name ($raw) {
                /// First year the lever acts.
                start: i32 { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
                /// Last year the lever acts (inclusive); to the end of the projection when left out.
                end: Option<i32> { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
                /// Years to reach full strength, in a straight line from the start (within the horizon).
                ramp_years: f64 { unit: "years", min: 0.0, max: 200.0, expect: "years" } = 0.0,
                /// What the lever costs, per unit of what it does (the README's "Lever costs" names each lever's unit); no cost counted when left out.
                cost: Option<Cost> {},
                $($body)*
            }
        }
    };
}

crate::section! {
    /// A lever's cost.
    pub struct Cost (RawCost) {
        /// USD per unit of the lever's cost unit, at full strength.
        usd_per_unit: f64 { unit: "USD", min: 0.0, max: 1e12, expect: "USD per unit" },
        /// Where the figure comes from, or "assumption" and why.
        source: String {},
    }
}

crate::kinds! {
    /// A policy lever, one variant per kind; a `[policies.NAME]` table is of
    /// the kind its name says unless `kind` says otherwise.
    pub enum Lever (RawLever) under "policies";
    accessors {
        fn timing(&self) -> Timing = |l| Timing { start: l.start, end: l.end, ramp_years: l.ramp_years };
        fn cost(&self) -> Option<&Cost> = |l| l.cost.as_ref();
    }
    DomesticJobs = "domestic_jobs", "domestic job creation";
    RegionalDevelopment = "regional_development", "regional development";
    PreDepartureTraining = "pre_departure_training", "pre-departure training";
    Diversification = "diversification", "diversification of destinations";
    EaeuIntegration = "eaeu_integration", "EAEU integration";
    EntryBans = "entry_bans", "readmission and entry bans";
    RemittanceCost = "remittance_cost", "remittance cost reduction";
    DiasporaEngagement = "diaspora_engagement", "diaspora engagement";
    BrainDrainRetention = "brain_drain_retention", "brain-drain retention";
    ReturnReintegration = "return_reintegration", "return and reintegration support";
    KayrylmanResettlement = "kayrylman_resettlement", "kayrylman resettlement";
    ForeignLaborQuota = "foreign_labor_quota", "foreign labour quota";
    SkilledImmigration = "skilled_immigration", "skilled immigration";
    EducationExpansion = "education_expansion", "education expansion";
}

lever! {
    /// New jobs at home, spread over regions by their labour force.
    pub struct DomesticJobs (RawDomesticJobs) {
        /// Jobs created a year at full strength.
        jobs_per_year: f64 { unit: "jobs/year", min: 0.0, max: 1e7, expect: "jobs per year" },
        /// Regions where the jobs are created; every region when left out.
        regions: Option<RegionRefs> {},
    }
}

lever! {
    /// Development of lagging regions: less emigration and out-migration, higher wages.
    pub struct RegionalDevelopment (RawRegionalDevelopment) {
        /// Regions the programme covers.
        regions: RegionRefs {},
        /// Cut in those regions' emigration at full strength.
        emigration_reduction: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a reduction (0.2 = 20% less)" } = 0.0,
        /// Cut in their internal out-migration at full strength.
        outmigration_reduction: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a reduction (0.2 = 20% less)" } = 0.0,
        /// Rise of their wage index at full strength.
        wage_increase: f64 { unit: "share", min: 0.0, max: 2.0, expect: "a wage increase (0.1 = 10% more)" } = 0.0,
    }
}

lever! {
    /// Language and skills training before departure: higher earnings abroad, more formal transfers.
    pub struct PreDepartureTraining (RawPreDepartureTraining) {
        /// Share of migrants trained.
        coverage: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share of migrants" },
        /// Earnings gain of a trained migrant.
        earnings_premium: f64 { unit: "share", min: 0.0, max: 2.0, expect: "an earnings premium (0.1 = 10% more)" },
        /// Rise of the formal share of a trained migrant's remittances.
        formal_share_increase: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" } = 0.0,
    }
}

crate::section! {
    /// A bilateral labour agreement with one destination.
    pub struct Agreement (RawAgreement) {
        /// Utility shift of the destination at full strength.
        access: f64 { unit: "utils", min: -20.0, max: 20.0, expect: "a utility shift" } = 0.0,
        /// Yearly intake cap while the agreement is in force; none when left out.
        quota: Option<f64> { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
    }
}

lever! {
    /// Agreements opening other destinations.
    pub struct Diversification (RawDiversification) {
        /// The agreements, by destination name.
        destinations: ByDestination<Agreement> {},
    }
}

lever! {
    /// Deeper Eurasian Economic Union membership: easier access, more settlement and returns.
    pub struct EaeuIntegration (RawEaeuIntegration) {
        /// Destinations in the union.
        destinations: DestinationRefs {},
        /// Utility shift of those destinations at full strength.
        access: f64 { unit: "utils", min: -20.0, max: 20.0, expect: "a utility shift" } = 0.0,
        /// Settlement hazard multiplier at full strength.
        settle_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" } = 1.0,
        /// Return hazard multiplier at full strength.
        return_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" } = 1.0,
    }
}

lever! {
    /// Entry bans and readmission at destinations.
    pub struct EntryBans (RawEntryBans) {
        /// Destinations that ban entry.
        destinations: DestinationRefs {},
        /// Utility drop of those destinations at full strength.
        access: f64 { unit: "utils", min: -20.0, max: 0.0, expect: "a utility drop (negative)" },
        /// Return hazard multiplier of temporary migrants there (readmission).
        return_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" } = 1.0,
    }
}

lever! {
    /// Cheaper transfers home.
    pub struct RemittanceCost (RawRemittanceCost) {
        /// Cut in every corridor's transfer cost at full strength.
        cost_reduction: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a reduction (0.2 = 20% less)" },
        /// Rise of the formal share of remittances.
        formal_share_increase: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a share" } = 0.0,
    }
}

lever! {
    /// Ties with the settled diaspora: more remittances and returns from it.
    pub struct DiasporaEngagement (RawDiasporaEngagement) {
        /// Rise of settled migrants' remittances at full strength.
        settled_remittance_increase: f64 { unit: "share", min: 0.0, max: 5.0, expect: "an increase (0.5 = 50% more)" },
        /// Return hazard multiplier of settled migrants.
        settled_return_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" } = 1.0,
    }
}

lever! {
    /// Keeping the highly educated: less emigration of graduates.
    pub struct BrainDrainRetention (RawBrainDrainRetention) {
        /// Cut in the emigration of the highly educated at full strength.
        emigration_reduction: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a reduction (0.2 = 20% less)" },
    }
}

lever! {
    /// Support for returning temporary migrants.
    pub struct ReturnReintegration (RawReturnReintegration) {
        /// Return hazard multiplier of temporary migrants at full strength.
        return_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" },
    }
}

lever! {
    /// Resettlement of ethnic Kyrgyz (kayrylman), with the scenario's kayrylman stream's profile.
    pub struct KayrylmanResettlement (RawKayrylmanResettlement) {
        /// Extra arrivals a year at full strength.
        persons_per_year: f64 { unit: "persons/year", min: 0.0, max: 1e7, expect: "persons per year" },
    }
}

lever! {
    /// A different cap on foreign workers.
    pub struct ForeignLaborQuota (RawForeignLaborQuota) {
        /// The cap while the lever acts.
        quota: f64 { unit: "persons/year", min: 0.0, max: 1e8, expect: "persons per year" },
    }
}

lever! {
    /// Skilled immigration, with the scenario's skilled stream's profile.
    pub struct SkilledImmigration (RawSkilledImmigration) {
        /// Extra arrivals a year at full strength.
        persons_per_year: f64 { unit: "persons/year", min: 0.0, max: 1e7, expect: "persons per year" },
    }
}

lever! {
    /// More secondary and tertiary completion.
    pub struct EducationExpansion (RawEducationExpansion) {
        /// Rise of the probability of completing secondary.
        p_medium_increase: f64 { unit: "probability", min: 0.0, max: 1.0, expect: "a probability increase" } = 0.0,
        /// Rise of the probability of completing tertiary.
        p_high_increase: f64 { unit: "probability", min: 0.0, max: 1.0, expect: "a probability increase" } = 0.0,
    }
}

impl Lever {
    /// What one unit of the lever's cost is, and how many units it spends in
    /// a year at intensity `strength`, given the year's emigrants and
    /// returns: jobs and arrivals as stated, trainees among the emigrants,
    /// returnees supported; every other lever costs per year of the
    /// programme at full strength.
    pub fn cost_units(&self, strength: f64, emigrants: f64, returns: f64) -> (&'static str, f64) {
        match self {
            Lever::DomesticJobs(l) => ("job created", strength * l.jobs_per_year),
            Lever::KayrylmanResettlement(l) => ("person resettled", strength * l.persons_per_year),
            Lever::SkilledImmigration(l) => ("person admitted", strength * l.persons_per_year),
            Lever::PreDepartureTraining(l) => ("migrant trained", strength * l.coverage * emigrants),
            Lever::ReturnReintegration(_) => ("returnee supported", strength * returns),
            _ => ("programme-year at full strength", strength),
        }
    }
}
