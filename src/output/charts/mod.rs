//! PNG charts for briefing notes, drawn with plotters and a bundled font
//! (DejaVu Sans, from the `dejavu` crate), so they look the same on any
//! machine and need no system fonts.
//!
//! - `draw` holds the shared pieces: fonts, palette, the line chart, the
//!   stacked-area chart, the horizontal bar chart, and the atomic PNG write
//!   (drawn into a temporary `.png`, renamed only when complete).
//! - `run` draws the charts of one scenario; `compare` those of several;
//!   `fan` the ensemble fan chart; `pyramid` the population pyramids.
//!
//! Every chart is 1200×700 and byte-identical from run to run.

pub mod calibration;
pub mod compare;
pub mod discovery;
pub mod draw;
pub mod fan;
pub mod optimize;
pub mod pyramid;
pub mod run;
pub mod tornado;

use crate::error::Result;

/// A chart to draw: its file name and how to draw it.
pub type Job<'a> = (String, Box<dyn Fn(&std::path::Path) -> Result<()> + Send + Sync + 'a>);

/// Draws every job into `dir`, spread over the available cores; charts are
/// independent, so the result does not depend on the number of threads.
pub fn draw_all(dir: &std::path::Path, jobs: Vec<Job>) -> Result<Vec<std::path::PathBuf>> {
    crate::output::atomic::create_dir(dir)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let chunk = jobs.len().div_ceil(threads.max(1)).max(1);
    let draw = |part: &[Job]| part.iter().map(|(name, f)| f(&dir.join(name))).collect::<Vec<_>>();
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let parts: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| crate::parallel::beside(scope, "charts", move || draw(part)))
            .collect();
        parts.into_iter().flat_map(crate::parallel::Beside::join).collect()
    });
    results.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(jobs.iter().map(|(name, _)| dir.join(name)).collect())
}
