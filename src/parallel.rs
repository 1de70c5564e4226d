//! The thread pool and progress bar shared by ensembles, batches, sweeps and
//! sensitivity designs.

use crate::error::{Error, Result};

/// A pool of `threads` workers; results never depend on how many.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {threads} threads: {e}")))
}

/// A bar on standard error counting `len` items of `unit`; hidden unless
/// `show`, and indicatif draws nothing when standard error is not a terminal.
pub fn progress_bar(show: bool, len: usize, unit: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(len as u64), indicatif::ProgressDrawTarget::stderr());
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}, {{per_sec}}, eta {{eta}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// A counter on standard error of `unit` done so far, for work whose
/// length is not known ahead (a search that stops when it has converged);
/// hidden unless `show`, and silent when standard error is not a terminal.
pub fn progress_counter(show: bool, unit: &str, note: &str) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let template = format!("{{spinner}} {{pos}} {unit} ({note}), {{per_sec}}, {{elapsed}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// `f` over every index of `range` on `threads` workers, results in index
/// order, with a progress bar counting `unit`. Every index runs, so that
/// the error reported is the one of the lowest index, whatever the threads.
pub fn map<T: Send>(
    range: std::ops::Range<usize>,
    threads: usize,
    progress: bool,
    unit: &str,
    f: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    use rayon::prelude::*;
    let bar = progress_bar(progress, range.len(), unit);
    let out = pool(threads)?
        .install(|| {
            range
                .into_par_iter()
                .map(|i| {
                    let r = f(i);
                    bar.inc(1);
                    r
                })
                .collect::<Vec<Result<T>>>()
        })
        .into_iter()
        .collect::<Result<Vec<T>>>()?;
    bar.finish_and_clear();
    Ok(out)
}

/// Work started on its own scoped thread, or kept to be done on `join` when
/// no thread can be started (a limit on processes, as job schedulers set):
/// the work is then done in turn rather than failing the run.
pub enum Beside<'scope, T, F> {
    Thread(std::thread::ScopedJoinHandle<'scope, T>),
    Later(F),
}

impl<T, F: FnOnce() -> T> Beside<'_, T, F> {
    /// The work's value; a panic on the thread goes on here.
    pub fn join(self) -> T {
        match self {
            Beside::Thread(h) => h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Beside::Later(f) => f(),
        }
    }
}

/// Starts `f` on a thread named `name` in `scope`, or keeps it for `join`.
/// `f` is a copy (it borrows what it works on), so that a thread that could
/// not start leaves it at hand.
pub fn beside<'scope, T: Send + 'scope, F: FnOnce() -> T + Send + Copy + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    f: F,
) -> Beside<'scope, T, F> {
    match std::thread::Builder::new().name(name.into()).spawn_scoped(scope, f) {
        Ok(h) => Beside::Thread(h),
        Err(_) => Beside::Later(f),
    }
}
