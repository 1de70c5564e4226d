//! The kinds of shock a scenario can state under `[[shocks]]`, each with its
//! parameters; what each does to the year is in `levers`. Every shock has
//! the same timing keys, declared once in `shock!`.

use crate::declare::{DestinationRef, RegionRef};

/// A shock's section: its timing keys, then its own.
macro_rules! shock {
    ($(#[$meta:meta])* pub struct $name:ident ($raw:ident) { $($body:tt)* }) => {
        crate::section! {
            $(#[$meta])*
            pub struct $name ($raw) {
                /// Year the shock strikes (within the projection).
                year: i32 { unit: "year", min: 1900.0, max: 2300.0, expect: "a year" },
                /// Years at full strength.
                duration_years: f64 { unit: "years", min: 1.0, max: 200.0, expect: "years" } = 1.0,
                /// Years over which it then fades to nothing, in a straight line.
                recovery_years: f64 { unit: "years", min: 0.0, max: 200.0, expect: "years" } = 0.0,
                $($body)*
            }
        }
    };
}

crate::kinds! {
    /// A shock, one variant per kind; its timing is `(year, duration_years,
    /// recovery_years)`.
    pub enum ShockEvent (RawShock) under "shocks";
    accessors {
        fn timing(&self) -> (i32, f64, f64) = |s| (s.year, s.duration_years, s.recovery_years);
    }
    ExchangeRate = "exchange_rate", "exchange-rate shock";
    EntryBan = "entry_ban", "mass entry bans";
    PandemicClosure = "pandemic_closure", "pandemic border closure";
    EnvironmentalDisaster = "environmental_disaster", "environmental disaster";
    Sanctions = "sanctions", "sanctions";
}

shock! {
    /// A change of a destination's currency against the dollar: its wages in USD change.
    pub struct ExchangeRate (RawExchangeRate) {
        /// The destination whose currency moves.
        destination: DestinationRef {},
        /// Relative change of its wages in USD at full strength.
        change: f64 { unit: "share", min: -0.95, max: 2.0, expect: "a relative change (-0.3 = 30% devaluation)" },
    }
}

shock! {
    /// Mass entry bans at a destination.
    pub struct EntryBan (RawEntryBan) {
        /// The destination.
        destination: DestinationRef {},
        /// Utility drop at full strength.
        access: f64 { unit: "utils", min: -20.0, max: 0.0, expect: "a utility drop (negative)" },
        /// Return hazard multiplier of temporary migrants there.
        return_multiplier: f64 { unit: "ratio", min: 0.0, max: 10.0, expect: "a multiplier (1 = no change)" } = 1.0,
    }
}

shock! {
    /// Borders closed by a pandemic.
    pub struct PandemicClosure (RawPandemicClosure) {
        /// Cut in emigration at full strength.
        emigration_drop: f64 { unit: "share", min: 0.0, max: 1.0, expect: "a reduction (0.2 = 20% less)" },
        /// Relative change of every return hazard at full strength.
        return_change: f64 { unit: "share", min: -1.0, max: 10.0, expect: "a relative change of returns" } = 0.0,
    }
}

shock! {
    /// A disaster that drives people out of one region.
    pub struct EnvironmentalDisaster (RawEnvironmentalDisaster) {
        /// The region struck.
        region: RegionRef {},
        /// Multiplier of all out-migration from it (internal and abroad) at full strength.
        outmigration_multiplier: f64 { unit: "ratio", min: 1.0, max: 50.0, expect: "a multiplier (1 = no change)" },
    }
}

shock! {
    /// Sanctions on a destination's economy.
    pub struct Sanctions (RawSanctions) {
        /// The destination.
        destination: DestinationRef {},
        /// Relative fall of its wages in USD at full strength.
        wage_change: f64 { unit: "share", min: -0.95, max: 0.0, expect: "a relative wage fall (negative)" },
        /// Relative fall of migrants' employment there.
        employment_change: f64 { unit: "share", min: -0.95, max: 0.0, expect: "a relative fall (negative)" } = 0.0,
    }
}
