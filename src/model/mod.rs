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
//!   flows into rows; `project` runs the whole horizon into a `Trajectory`.

pub mod abroad_exits;
pub mod census;
pub mod compile;
pub mod dims;
pub mod economy;
pub mod education;
pub mod emigration;
pub mod fertility;
pub mod hazard;
pub mod home_exits;
pub mod immigration;
pub mod indicators;
pub mod internal;
pub mod lanes;
pub mod levers;
pub mod mortality;
pub mod remittances;
pub mod schedule;
pub mod state;
pub mod step;
pub mod sums;

pub use compile::{Model, compile, compile_reusing};
pub use indicators::{Dim, Indicator, Pyramid, Row, Trajectory};
pub use state::State;
pub use step::{Flows, step};

/// Runs the model from the base year to the end year.
pub fn project(model: &Model) -> Trajectory {
    project_with(model, true)
}

/// `project` without the population pyramids, which only charts use: for
/// the many runs of ensembles, sweeps and sensitivity analyses, where each
/// pyramid would be a pass over the whole stock abroad for nothing.
pub fn project_series(model: &Model) -> Trajectory {
    project_with(model, false)
}

fn project_with(model: &Model, pyramids: bool) -> Trajectory {
    let mut traj = Trajectory::default();
    let mut state = model.initial_state();
    if pyramids {
        traj.pyramids
            .push(indicators::Pyramid::of(model.params.start_year, &state));
    }
    let mut work = step::Workspace::for_state(&state);
    let mut census = model.census_at_start(&state);
    for y in 0..model.params.n_years() {
        let (next, flows) = step::advance(model, y, &mut state, &census, &mut work);
        indicators::record_stocks(model, y, &census, &flows.economy, &mut traj);
        indicators::record_flows(model, y, &census, &flows, &mut traj);
        work.recycle(std::mem::replace(&mut census, next).abroad);
    }
    let last = model.params.n_years();
    let econ = economy::evaluate(model, last, &state, &model.levers_for(last, &state));
    indicators::record_stocks(model, last, &census, &econ, &mut traj);
    if pyramids {
        traj.pyramids
            .push(indicators::Pyramid::of(model.params.end_year, &state));
    }
    traj
}

/// The tiny test fixture (2 regions, 2 destinations), compiled.
#[cfg(test)]
pub(crate) fn tiny_model() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny.toml");
    let loaded = crate::scenario::load_file(&path).expect("fixture loads");
    compile(loaded.params).expect("fixture compiles")
}
