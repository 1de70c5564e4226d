//! The simulation core: pure functions from checked `Params` to numbers. No
//! files, no TOML, no printing.
//!
//! - `compile` turns `Params` into a `Model`: schedules by year, calibrated
//!   constants (emigration level, destination constants, internal-migration
//!   scale, remittance scale), base-year references.
//! - `step` advances a `State` by one year in the order of MODEL.md section 2,
//!   calling one module per process (`mortality`, `fertility`, `emigration`,
//!   `home_exits`, `abroad_exits`, `internal`, `immigration`, `education`,
//!   `economy`, `remittances`) and returns the year's `Flows`. A projection
//!   uses `step::advance`, which works in place on the state and carries the
//!   `census` of it from year to year; `step::step` is the same year on a
//!   copy.
//! - `indicators` names every reported series in one place and turns states and
//!   flows into rows.
//! - `observe` runs the whole horizon, calling observers at each year: the
//!   finite-value guard always, then the series and pyramid recorders that
//!   `project` gathers into a `Trajectory`.
//! - `params` holds the checked parameters; each process file declares its
//!   own section of them, `places` the regions and destinations,
//!   `lever_kinds` and `shock_kinds` the policies and shocks.

pub(crate) mod abroad_exits;
mod abroad_runs;
pub(crate) mod census;
pub mod compile;
pub mod dims;
pub(crate) mod economy;
pub(crate) mod education;
pub(crate) mod emigration;
pub(crate) mod fertility;
pub(crate) mod hazard;
pub(crate) mod home_exits;
pub(crate) mod immigration;
pub mod indicators;
pub(crate) mod internal;
pub(crate) mod lanes;
pub(crate) mod lever_kinds;
pub(crate) mod levers;
pub(crate) mod mortality;
pub(crate) mod naturalised;
pub(crate) mod observe;
pub mod params;
pub(crate) mod places;
pub(crate) mod remittances;
pub(crate) mod schedule;
pub(crate) mod shock_kinds;
pub(crate) mod state;
pub(crate) mod step;
pub(crate) mod sums;

pub use census::Census;
pub use compile::{Model, compile, compile_reusing};
pub use indicators::{Dim, Indicator, Pyramid, Row, Trajectory};
pub use observe::Halt;
use observe::{AgeRecorder, Observer, PyramidRecorder, SeriesRecorder};
pub use state::State;
pub use step::{Flows, Workspace, advance, step};

/// What a projection keeps besides the series of `indicators`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// The population pyramids of the first and last years, for charts.
    pub pyramids: bool,
    /// Rows by five-year age group and sex (`AgeRecorder`).
    pub ages: bool,
}

impl Detail {
    pub const ALL: Detail = Detail {
        pyramids: true,
        ages: true,
    };
    pub const SERIES: Detail = Detail {
        pyramids: false,
        ages: false,
    };
}

/// Runs the model from the base year to the end year, keeping `detail`.
pub fn project_with(model: &Model, detail: Detail) -> Result<Trajectory, Halt> {
    let mut series = SeriesRecorder::default();
    let mut pyramids = PyramidRecorder::default();
    let mut ages = AgeRecorder::default();
    let mut observers: Vec<&mut dyn Observer> = vec![&mut series];
    if detail.pyramids {
        observers.push(&mut pyramids);
    }
    if detail.ages {
        observers.push(&mut ages);
    }
    observe::run(model, &mut observers)?;
    let mut traj = series.0;
    traj.rows.extend(ages.0);
    traj.pyramids = pyramids.0;
    Ok(traj)
}

/// Every series, the rows by age and sex, and the pyramids of the first
/// and last years.
pub fn project(model: &Model) -> Result<Trajectory, Halt> {
    project_with(model, Detail::ALL)
}

/// `project` without the pyramids and the rows by age: for the many runs of
/// ensembles, sweeps and sensitivity analyses, where each would be a pass
/// over the whole stock for nothing.
pub fn project_series(model: &Model) -> Result<Trajectory, Halt> {
    project_with(model, Detail::SERIES)
}

/// The tiny test fixture (2 regions, 2 destinations), compiled.
#[cfg(test)]
pub(crate) fn tiny_model() -> Model {
    compile(crate::params::testing::tiny()).expect("fixture compiles")
}
