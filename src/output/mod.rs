//! Writing results: `series` (the tidy CSV), `manifest` (what is needed to
//! reproduce a run), and the rest, each through `atomic` (a temporary file
//! renamed into place, so a reader never sees half a file), all of a run's
//! files together through `generation` (a staging folder that replaces the
//! previous outputs as a whole).

pub mod atomic;
pub mod charts;
pub mod comparison;
pub mod generation;
pub mod manifest;
pub mod reference;
pub mod report;
pub mod series;
pub mod targets;
pub mod xlsx;

/// A CSV field, quoted only when it must be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
