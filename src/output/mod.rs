//! Writing results: `series` (the tidy CSV), `manifest` (what is needed to
//! reproduce a run), both through `atomic` (a temporary file renamed into place,
//! so a reader never sees half a file and a failed write leaves nothing).

pub mod atomic;
pub mod manifest;
pub mod series;
